/* CIM datetime values (DSP0004): timestamps `yyyymmddhhmmss.mmmmmmsutc`
 * and intervals `ddddddddhhmmss.mmmmmm:000`, both 25 characters.
 *
 * Unknown low-order digits may be written as '*': one run that ends at
 * the last microsecond digit, covering whole fields except in the
 * microseconds (`20250419******.******+000`, `20250419144402.12****+060`).
 * `precision` counts the significant digits (20 when there is no '*');
 * wildcard fields hold their smallest value (month and day 1, others 0),
 * so comparisons and conversions treat them as the start of the range.
 */
#ifndef SWIM_CIM_DATETIME_H
#define SWIM_CIM_DATETIME_H

#include <stdbool.h>
#include <stdint.h>

#include "swim/buf.h"

#define SWIM_CIM_DATETIME_LEN 25
#define SWIM_CIM_DATETIME_DIGITS 20

typedef struct swim_cim_datetime {
	bool interval;
	uint8_t precision;  /* significant digits, 0..20 */
	uint16_t year;      /* timestamps: 0..9999 */
	uint8_t month;      /* timestamps: 1..12 */
	uint8_t day;        /* timestamps: 1..31 (valid for the month) */
	uint32_t days;      /* intervals: 0..99999999 */
	uint8_t hour, minute, second;
	uint32_t usec;      /* 0..999999 */
	int16_t offset;     /* timestamps: minutes east of UTC, -999..999 */
} swim_cim_datetime;

/* Parses the 25-character form. SWIM_EINVAL naming the text and the field
 * at fault ("month 13 is out of range"). */
int swim_cim_datetime_parse(swim_cim_datetime *out, const char *text);

/* Writes the 25-character form plus a NUL into out. */
void swim_cim_datetime_print(char out[SWIM_CIM_DATETIME_LEN + 1],
                             const swim_cim_datetime *dt);

/* Appends the 25-character form to buf. */
int swim_cim_datetime_format(swim_buf *buf, const swim_cim_datetime *dt);

/* A timestamp for the Unix time sec.usec seen at `offset` minutes east of
 * UTC (0 for UTC). SWIM_EINVAL outside years 0000..9999. */
int swim_cim_datetime_from_unix(swim_cim_datetime *out, int64_t sec,
                                uint32_t usec, int offset);

/* The Unix time of a timestamp (its offset applied). SWIM_EINVAL for
 * intervals. */
int swim_cim_datetime_to_unix(int64_t *sec, uint32_t *usec,
                              const swim_cim_datetime *dt);

/* The same instant with offset 0. SWIM_EINVAL for a timestamp whose
 * minutes are wildcards and whose offset is not 0 (the shift would change
 * digits that are unknown); intervals are returned unchanged. */
int swim_cim_datetime_to_utc(swim_cim_datetime *out,
                             const swim_cim_datetime *dt);

/* An interval of `usec` microseconds. SWIM_EINVAL beyond 99999999 days. */
int swim_cim_datetime_from_interval(swim_cim_datetime *out, uint64_t usec);

/* The length of an interval in microseconds. SWIM_EINVAL for timestamps. */
int swim_cim_datetime_interval_usec(uint64_t *out,
                                    const swim_cim_datetime *dt);

/* Orders two timestamps by instant or two intervals by length: *out is
 * -1, 0 or 1. SWIM_EINVAL when one is a timestamp and the other an
 * interval. */
int swim_cim_datetime_compare(int *out, const swim_cim_datetime *a,
                              const swim_cim_datetime *b);

/* Same kind, same precision, same instant (timestamps in different
 * offsets can be equal) or same length. */
bool swim_cim_datetime_equal(const swim_cim_datetime *a,
                             const swim_cim_datetime *b);

#endif
