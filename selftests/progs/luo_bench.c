// SPDX-License-Identifier: GPL-2.0
/*
 * luo_bench - time prepare+cancel round trips through sysfs.
 *
 *   luo_bench DIR ROUNDS BATCHES
 *
 * Runs BATCHES batches of ROUNDS round trips ("1" to DIR/prepare, then
 * "1" to DIR/cancel) and prints the median batch as ns per round trip.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char path[512];
	long long t[64];
	int prep, canc, rounds, batches, b, i;

	if (argc != 4)
		return fprintf(stderr, "usage: luo_bench DIR ROUNDS BATCHES\n"), 2;
	rounds = atoi(argv[2]);
	batches = atoi(argv[3]);
	if (rounds < 1 || batches < 1 || batches > 64)
		return 2;
	snprintf(path, sizeof(path), "%s/prepare", argv[1]);
	prep = open(path, O_WRONLY);
	snprintf(path, sizeof(path), "%s/cancel", argv[1]);
	canc = open(path, O_WRONLY);
	if (prep < 0 || canc < 0)
		return perror("open"), 1;
	for (b = 0; b < batches; b++) {
		long long start = now_ns();

		for (i = 0; i < rounds; i++) {
			if (pwrite(prep, "1", 1, 0) != 1 || pwrite(canc, "1", 1, 0) != 1)
				return perror("write"), 1;
		}
		t[b] = (now_ns() - start) / rounds;
	}
	qsort(t, batches, sizeof(t[0]), cmp);
	printf("%lld\n", t[batches / 2]);
	return 0;
}
