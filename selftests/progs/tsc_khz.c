// SPDX-License-Identifier: GPL-2.0
/*
 * tsc_khz: print this machine's TSC frequency in kHz, measured against
 * CLOCK_MONOTONIC_RAW. Under TCG a guest's TSC is the host's, so the guest
 * must be told the host's rate (tsc_early_khz=): a value written into a
 * script is right on one machine only. Each sample is bracketed by two
 * clock reads; the tightest bracket of several wins, so a preemption
 * between the reads costs a sample, not the result.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static int64_t ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* one TSC read and the time it was taken, to within *err ns */
static void sample(uint64_t *tsc, int64_t *t, int64_t *err)
{
	int64_t best = INT64_MAX;

	for (int i = 0; i < 50; i++) {
		int64_t a = ns();
		uint64_t c = __rdtsc();
		int64_t b = ns();

		if (b - a < best) {
			best = b - a;
			*tsc = c;
			*t = a + (b - a) / 2;
		}
	}
	*err = best;
}

int main(void)
{
	const struct timespec gap = { 0, 200 * 1000 * 1000 };
	uint64_t c0, c1;
	int64_t t0, t1, e0, e1;

	sample(&c0, &t0, &e0);
	nanosleep(&gap, NULL);
	sample(&c1, &t1, &e1);
	if (t1 <= t0 || c1 <= c0 || e0 + e1 > 100000) {
		fprintf(stderr, "tsc_khz: cannot measure (clock step or %lld ns reads)\n",
			(long long)(e0 + e1));
		return 1;
	}
	printf("%llu\n", (unsigned long long)((c1 - c0) * 1000000ULL / (uint64_t)(t1 - t0)));
	return 0;
}
