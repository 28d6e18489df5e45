/* UTC timestamps in the one form swim stores and prints:
 * "YYYY-MM-DDTHH:MM:SSZ" (ISO 8601, seconds, UTC). */
#ifndef SWIM_UTIL_TIME_H
#define SWIM_UTIL_TIME_H

#include <stdint.h>
#include <time.h>

/* 20 characters and the NUL. */
#define SWIM_TIME_ISO_SIZE 21

/* Formats t into out; SWIM_ERROR when the time cannot be represented. */
int swim_time_iso(char out[SWIM_TIME_ISO_SIZE], time_t t);

/* The current time. */
int swim_time_now_iso(char out[SWIM_TIME_ISO_SIZE]);

/* CLOCK_MONOTONIC in milliseconds: for timeouts and expiry. */
uint64_t swim_time_monotonic_ms(void);

#endif
