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
#include <bpf/libbpf.h>

#include "luo_loader.h"
#include "window.skel.h"

static const char *prog = "luo-window";

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s --in SECONDS --for SECONDS [--name NAME] [--pin-dir DIR] [-v]\n"
"       %s --detach [--name NAME] [--pin-dir DIR]\n"
"Allow live updates only in a maintenance window that opens SECONDS from\n"
"now (--in, default 0) and lasts --for SECONDS. The policy stays attached\n"
"(pinned at DIR/NAME, default " LUO_LD_PIN_DIR "/window) until --detach\n"
"or 'luoctl policy detach NAME'.\n", prog, prog);
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
	const char *name = "window", *dir = LUO_LD_PIN_DIR;
	bool detach = false, verbose = false, have_for = false;
	struct window_bpf *skel;
	struct bpf_link *link;
	int c, err;

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
	if (optind != argc || !luo_ld_valid_name(name)) {
		usage(stderr);
		return 2;
	}
	if (detach) {
		err = luo_ld_detach(dir, name);
		if (err) {
			luo_ld_report(prog, err, "cannot detach %s/%s", dir, name);
			return 1;
		}
		printf("detached %s\n", name);
		return 0;
	}
	if (!have_for) {
		fprintf(stderr, "%s: --for SECONDS is required\n", prog);
		usage(stderr);
		return 2;
	}

	luo_ld_capture_libbpf(verbose);
	skel = window_bpf__open();
	if (!skel) {
		luo_ld_report(prog, errno, "cannot open the BPF object");
		return 1;
	}
	bpf_map__set_autoattach(skel->maps.window, false);
	err = luo_ld_ops_set_str(skel->obj, skel->maps.window, "name", name);
	if (err) {
		luo_ld_report(prog, err, "cannot set name '%s'", name);
		goto out;
	}

	now = luo_ld_boot_ns();
	skel->rodata->win_start = now + in * 1000000000ULL;
	skel->rodata->win_end = skel->rodata->win_start + len * 1000000000ULL;

	err = window_bpf__load(skel);
	if (err) {
		luo_ld_report(prog, err, "cannot load the policy");
		goto out;
	}
	link = luo_ld_attach_pin(skel->maps.window, dir, name);
	if (!link) {
		err = -errno;
		luo_ld_report(prog, err, "cannot attach %s", name);
		goto out;
	}
	bpf_link__destroy(link);
	printf("attached %s: window opens in %llus for %llus (boot ns %llu..%llu)\n",
	       name, in, len, (unsigned long long)skel->rodata->win_start,
	       (unsigned long long)skel->rodata->win_end);
out:
	window_bpf__destroy(skel);
	return err ? 1 : 0;
bad:
	fprintf(stderr, "%s: bad number of seconds '%s'\n", prog, optarg);
	return 2;
}
