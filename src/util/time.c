#include "swim/error.h"
#include "util/time.h"

int swim_time_iso(char out[SWIM_TIME_ISO_SIZE], time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    strftime(out, SWIM_TIME_ISO_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return swim_error_set(SWIM_ERROR, "cannot format the time");
	return 0;
}

int swim_time_now_iso(char out[SWIM_TIME_ISO_SIZE])
{
	return swim_time_iso(out, time(NULL));
}

uint64_t swim_time_monotonic_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
