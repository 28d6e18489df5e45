#include <stdio.h>
#include <string.h>

#include "cim/datetime.h"
#include "swim/error.h"

#define USEC_PER_SEC 1000000ULL
#define SEC_PER_DAY 86400LL

/* Where each field starts in the 20 digits (the '.' left out), and the
 * smallest value a wildcard field stands for. */
struct field {
	const char *name;
	unsigned start, len, min;
};

static const struct field stamp_fields[] = {
	{ "year", 0, 4, 0 }, { "month", 4, 2, 1 }, { "day", 6, 2, 1 },
	{ "hour", 8, 2, 0 }, { "minute", 10, 2, 0 }, { "second", 12, 2, 0 },
	{ "microsecond", 14, 6, 0 },
};

static const struct field interval_fields[] = {
	{ "days", 0, 8, 0 }, { "hours", 8, 2, 0 }, { "minutes", 10, 2, 0 },
	{ "seconds", 12, 2, 0 }, { "microseconds", 14, 6, 0 },
};

static bool is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned char dim[] = { 31, 28, 31, 30, 31, 30,
	                                     31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date, counting in
 * 400-year eras so that every year from 0 on works. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m,
                            unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int bad(const char *text, const char *field, unsigned v)
{
	return swim_error_set(SWIM_EINVAL, "datetime '%s': %s %u is out of range",
	                      text, field, v);
}

static unsigned field_value(const char *digits, const struct field *f,
                            unsigned precision)
{
	unsigned v = 0;

	if (precision <= f->start)
		return f->min;
	for (unsigned i = f->start; i < f->start + f->len; i++)
		v = v * 10 + (i < precision ? (unsigned)(digits[i] - '0') : 0);
	return v;
}

int swim_cim_datetime_parse(swim_cim_datetime *out, const char *text)
{
	const struct field *fields;
	size_t nfields;
	char digits[SWIM_CIM_DATETIME_DIGITS];
	unsigned precision = SWIM_CIM_DATETIME_DIGITS, v[7];
	bool boundary = false;

	memset(out, 0, sizeof(*out));
	if (!text || strlen(text) != SWIM_CIM_DATETIME_LEN || text[14] != '.')
		return swim_error_set(SWIM_EINVAL,
		                      "datetime '%s': expected 25 characters as "
		                      "yyyymmddhhmmss.mmmmmmsutc or "
		                      "ddddddddhhmmss.mmmmmm:000", text ? text : "");
	if (text[21] == ':') {
		if (memcmp(text + 22, "000", 3) != 0)
			return swim_error_set(SWIM_EINVAL,
			                      "datetime '%s': an interval must end in ':000'",
			                      text);
		out->interval = true;
		fields = interval_fields;
		nfields = sizeof(interval_fields) / sizeof(interval_fields[0]);
	} else if (text[21] == '+' || text[21] == '-') {
		fields = stamp_fields;
		nfields = sizeof(stamp_fields) / sizeof(stamp_fields[0]);
	} else {
		return swim_error_set(SWIM_EINVAL,
		                      "datetime '%s': expected '+', '-' or ':' after "
		                      "the microseconds", text);
	}
	for (unsigned i = 0; i < SWIM_CIM_DATETIME_DIGITS; i++) {
		char c = text[i < 14 ? i : i + 1];

		if (c == '*') {
			if (precision == SWIM_CIM_DATETIME_DIGITS)
				precision = i;
		} else if (c < '0' || c > '9' ||
		           precision != SWIM_CIM_DATETIME_DIGITS) {
			return swim_error_set(SWIM_EINVAL,
			                      "datetime '%s': expected digits, with "
			                      "'*' only as the last ones", text);
		}
		digits[i] = c;
	}
	/* A wildcard run covers whole fields, except within microseconds. */
	for (size_t f = 0; f < nfields; f++)
		if (precision == fields[f].start || precision >= 14)
			boundary = true;
	if (!boundary)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime '%s': '*' must cover whole fields",
		                      text);
	for (size_t f = 0; f < nfields; f++)
		v[f] = field_value(digits, &fields[f], precision);
	out->precision = (uint8_t)precision;
	if (out->interval) {
		out->days = v[0];
		out->hour = (uint8_t)v[1];
		out->minute = (uint8_t)v[2];
		out->second = (uint8_t)v[3];
		out->usec = v[4];
	} else {
		int off = 0;

		for (int i = 22; i < 25; i++) {
			if (text[i] < '0' || text[i] > '9')
				return swim_error_set(SWIM_EINVAL,
				                      "datetime '%s': the UTC offset "
				                      "must be three digits", text);
			off = off * 10 + (text[i] - '0');
		}
		out->year = (uint16_t)v[0];
		out->month = (uint8_t)v[1];
		out->day = (uint8_t)v[2];
		out->hour = (uint8_t)v[3];
		out->minute = (uint8_t)v[4];
		out->second = (uint8_t)v[5];
		out->usec = v[6];
		out->offset = (int16_t)(text[21] == '-' ? -off : off);
		if (out->month < 1 || out->month > 12)
			return bad(text, "month", out->month);
		if (out->day < 1 ||
		    out->day > days_in_month(out->year, out->month))
			return bad(text, "day", out->day);
	}
	if (out->hour > 23)
		return bad(text, "hour", out->hour);
	if (out->minute > 59)
		return bad(text, "minute", out->minute);
	if (out->second > 59)
		return bad(text, "second", out->second);
	return 0;
}

void swim_cim_datetime_print(char out[SWIM_CIM_DATETIME_LEN + 1],
                             const swim_cim_datetime *dt)
{
	unsigned off = (unsigned)(dt->offset < 0 ? -dt->offset : dt->offset);

	if (dt->interval)
		(void)snprintf(out, SWIM_CIM_DATETIME_LEN + 1,
		               "%08u%02u%02u%02u.%06u:000",
		               (unsigned)(dt->days % 100000000u),
		               (unsigned)(dt->hour % 100u),
		               (unsigned)(dt->minute % 100u),
		               (unsigned)(dt->second % 100u),
		               (unsigned)(dt->usec % 1000000u));
	else
		(void)snprintf(out, SWIM_CIM_DATETIME_LEN + 1,
		               "%04u%02u%02u%02u%02u%02u.%06u%c%03u",
		               (unsigned)(dt->year % 10000u),
		               (unsigned)(dt->month % 100u),
		               (unsigned)(dt->day % 100u),
		               (unsigned)(dt->hour % 100u),
		               (unsigned)(dt->minute % 100u),
		               (unsigned)(dt->second % 100u),
		               (unsigned)(dt->usec % 1000000u),
		               dt->offset < 0 ? '-' : '+', off % 1000u);
	for (unsigned i = dt->precision; i < SWIM_CIM_DATETIME_DIGITS; i++)
		out[i < 14 ? i : i + 1] = '*';
}

int swim_cim_datetime_format(swim_buf *buf, const swim_cim_datetime *dt)
{
	char s[SWIM_CIM_DATETIME_LEN + 1];

	swim_cim_datetime_print(s, dt);
	return swim_buf_put(buf, s, SWIM_CIM_DATETIME_LEN);
}

int swim_cim_datetime_from_unix(swim_cim_datetime *out, int64_t sec,
                                uint32_t usec, int offset)
{
	int64_t local, days, rem, y;
	unsigned m, d;

	memset(out, 0, sizeof(*out));
	if (offset < -999 || offset > 999 || usec >= USEC_PER_SEC)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime: offset %d or microseconds %u out "
		                      "of range", offset, (unsigned)usec);
	/* Years 0..9999 span about +-3e11 s around 1970: no overflow. */
	if (sec < -62167219200LL || sec > 253402300799LL + 999 * 60)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime: time %lld is outside years "
		                      "0000..9999", (long long)sec);
	local = sec + (int64_t)offset * 60;
	days = local / SEC_PER_DAY;
	rem = local % SEC_PER_DAY;
	if (rem < 0) {
		rem += SEC_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime: time %lld is outside years "
		                      "0000..9999", (long long)sec);
	out->precision = SWIM_CIM_DATETIME_DIGITS;
	out->year = (uint16_t)y;
	out->month = (uint8_t)m;
	out->day = (uint8_t)d;
	out->hour = (uint8_t)(rem / 3600);
	out->minute = (uint8_t)(rem / 60 % 60);
	out->second = (uint8_t)(rem % 60);
	out->usec = usec;
	out->offset = (int16_t)offset;
	return 0;
}

int swim_cim_datetime_to_unix(int64_t *sec, uint32_t *usec,
                              const swim_cim_datetime *dt)
{
	if (dt->interval)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime: an interval is not a point in time");
	*sec = days_from_civil(dt->year, dt->month, dt->day) * SEC_PER_DAY +
	       dt->hour * 3600 + dt->minute * 60 + dt->second -
	       (int64_t)dt->offset * 60;
	*usec = dt->usec;
	return 0;
}

int swim_cim_datetime_to_utc(swim_cim_datetime *out,
                             const swim_cim_datetime *dt)
{
	int64_t sec;
	uint32_t usec;
	int rc;

	if (dt->interval || dt->offset == 0) {
		*out = *dt;
		return 0;
	}
	if (dt->precision < 12)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime: cannot move a timestamp whose "
		                      "minutes are unknown to UTC");
	(void)swim_cim_datetime_to_unix(&sec, &usec, dt);
	if ((rc = swim_cim_datetime_from_unix(out, sec, usec, 0)) < 0)
		return rc;
	out->precision = dt->precision;
	return 0;
}

int swim_cim_datetime_from_interval(swim_cim_datetime *out, uint64_t usec)
{
	uint64_t sec = usec / USEC_PER_SEC;

	memset(out, 0, sizeof(*out));
	if (sec / SEC_PER_DAY > 99999999u)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime: an interval of %llu s is longer "
		                      "than 99999999 days", (unsigned long long)sec);
	out->interval = true;
	out->precision = SWIM_CIM_DATETIME_DIGITS;
	out->days = (uint32_t)(sec / SEC_PER_DAY);
	out->hour = (uint8_t)(sec / 3600 % 24);
	out->minute = (uint8_t)(sec / 60 % 60);
	out->second = (uint8_t)(sec % 60);
	out->usec = (uint32_t)(usec % USEC_PER_SEC);
	return 0;
}

int swim_cim_datetime_interval_usec(uint64_t *out,
                                    const swim_cim_datetime *dt)
{
	if (!dt->interval)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime: a timestamp is not an interval");
	*out = (((uint64_t)dt->days * 24 + dt->hour) * 3600 +
	        (uint64_t)dt->minute * 60 + dt->second) * USEC_PER_SEC +
	       dt->usec;
	return 0;
}

int swim_cim_datetime_compare(int *out, const swim_cim_datetime *a,
                              const swim_cim_datetime *b)
{
	if (a->interval != b->interval)
		return swim_error_set(SWIM_EINVAL,
		                      "datetime: cannot compare a timestamp with "
		                      "an interval");
	if (a->interval) {
		uint64_t x, y;

		(void)swim_cim_datetime_interval_usec(&x, a);
		(void)swim_cim_datetime_interval_usec(&y, b);
		*out = x < y ? -1 : x > y;
	} else {
		int64_t xs, ys;
		uint32_t xu, yu;

		(void)swim_cim_datetime_to_unix(&xs, &xu, a);
		(void)swim_cim_datetime_to_unix(&ys, &yu, b);
		*out = xs != ys ? (xs < ys ? -1 : 1) : (xu < yu ? -1 : xu > yu);
	}
	return 0;
}

bool swim_cim_datetime_equal(const swim_cim_datetime *a,
                             const swim_cim_datetime *b)
{
	int c;

	if (a->interval != b->interval || a->precision != b->precision)
		return false;
	return swim_cim_datetime_compare(&c, a, b) == 0 && c == 0;
}
