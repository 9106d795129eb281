// SPDX-License-Identifier: GPL-2.0
/*
 * luo-window: attach the "window" policy: live updates may only be
 * prepared between now+IN and now+IN+FOR seconds (CLOCK_BOOTTIME).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>

#include "loader_cli.h"
#include "window.skel.h"

static const char *prog = "luo-window";

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s --in SECONDS --for SECONDS [--name NAME] [--pin-dir DIR] [-v]\n"
"       %s --detach [--name NAME] [--pin-dir DIR]\n"
"Allow live updates only in a maintenance window that opens SECONDS from\n"
"now (--in, default 0) and lasts --for SECONDS. The policy stays attached\n"
"(pinned at DIR/NAME, default " LUO_DEFAULT_BPFFS_DIR "/window) until --detach\n"
"or 'luoctl policy detach NAME'.\n", prog, prog);
}

/* CLOCK_BOOTTIME now, in ns: the clock of bpf_ktime_get_boot_ns() */
static unsigned long long boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int parse_secs(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || *out > 100ULL * 365 * 86400)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "in",		required_argument, NULL, 'i' },
		{ "for",	required_argument, NULL, 'f' },
		{ "name",	required_argument, NULL, 'n' },
		{ "pin-dir",	required_argument, NULL, 'p' },
		{ "detach",	no_argument,	   NULL, 'd' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	unsigned long long in = 0, len = 0, now;
	const char *name = "window", *dir = LUO_DEFAULT_BPFFS_DIR;
	bool detach = false, verbose = false, have_for = false;
	struct luo_bpf_attach_opts ao = { .sz = sizeof(ao) };
	struct window_bpf *skel;
	struct luo_ctx *ctx;
	int c, rc;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (parse_secs(optarg, &in))
				goto bad;
			break;
		case 'f':
			if (parse_secs(optarg, &len))
				goto bad;
			have_for = true;
			break;
		case 'n': name = optarg; break;
		case 'p': dir = optarg; break;
		case 'd': detach = true; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default:  usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!detach && !have_for) {
		fprintf(stderr, "%s: --for SECONDS is required\n", prog);
		usage(stderr);
		return 2;
	}
	ctx = cli_ctx(prog, dir, name, detach, &rc);
	if (!ctx)
		return rc;

	skel = window_bpf__open_opts(luo_bpf_open_opts(ctx));
	if (!skel) {
		rc = cli_fail(ctx, prog, verbose);
		goto out_ctx;
	}
	now = boot_ns();
	skel->rodata->win_start = now + in * 1000000000ULL;
	skel->rodata->win_end = skel->rodata->win_start + len * 1000000000ULL;

	ao.name = name;
	rc = luo_bpf_attach(ctx, skel->obj, &ao) ? cli_fail(ctx, prog, verbose) : 0;
	if (!rc)
		printf("attached %s: window opens in %llus for %llus (boot ns %llu..%llu)\n",
		       name, in, len, (unsigned long long)skel->rodata->win_start,
		       (unsigned long long)skel->rodata->win_end);
	window_bpf__destroy(skel);
out_ctx:
	luo_ctx_free(ctx);
	return rc;
bad:
	fprintf(stderr, "%s: bad number of seconds '%s'\n", prog, optarg);
	return 2;
}
