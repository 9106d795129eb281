// SPDX-License-Identifier: GPL-2.0
/*
 * luo-require: attach the "require" policy: a live update may only be
 * prepared while every named participant is registered.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "luo_loader.h"
#include "require.h"
#include "require.skel.h"

static const char *prog = "luo-require";

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s [--name NAME] [--pin-dir DIR] [-v] PARTICIPANT...\n"
"       %s --detach [--name NAME] [--pin-dir DIR]\n"
"Veto prepare (ENOENT) unless every PARTICIPANT (at most %d) is registered.\n"
"The policy stays attached (pinned at DIR/NAME, default " LUO_LD_PIN_DIR "/require)\n"
"until --detach or 'luoctl policy detach NAME'.\n", prog, prog, REQUIRE_MAX);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name",	required_argument, NULL, 'n' },
		{ "pin-dir",	required_argument, NULL, 'p' },
		{ "detach",	no_argument,	   NULL, 'd' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	const char *name = "require", *dir = LUO_LD_PIN_DIR;
	bool detach = false, verbose = false;
	struct require_bpf *skel;
	struct bpf_link *link;
	int c, i, n, err;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'p': dir = optarg; break;
		case 'd': detach = true; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default:  usage(stderr); return 2;
		}
	}
	if (!luo_ld_valid_name(name)) {
		usage(stderr);
		return 2;
	}
	if (detach) {
		if (optind != argc) {
			usage(stderr);
			return 2;
		}
		err = luo_ld_detach(dir, name);
		if (err) {
			luo_ld_report(prog, err, "cannot detach %s/%s", dir, name);
			return 1;
		}
		printf("detached %s\n", name);
		return 0;
	}
	n = argc - optind;
	if (n < 1 || n > REQUIRE_MAX) {
		fprintf(stderr, "%s: give 1 to %d participant names\n", prog,
			REQUIRE_MAX);
		return 2;
	}
	for (i = 0; i < n; i++) {
		const char *p = argv[optind + i];

		if (!p[0] || strlen(p) >= LUO_LD_NAME_LEN) {
			fprintf(stderr, "%s: bad participant name '%s' "
				"(1 to %d characters)\n", prog, p,
				LUO_LD_NAME_LEN - 1);
			return 2;
		}
	}

	luo_ld_capture_libbpf(verbose);
	skel = require_bpf__open();
	if (!skel) {
		luo_ld_report(prog, errno, "cannot open the BPF object");
		return 1;
	}
	bpf_map__set_autoattach(skel->maps.require, false);
	err = luo_ld_ops_set_str(skel->obj, skel->maps.require, "name", name);
	if (err) {
		luo_ld_report(prog, err, "cannot set name '%s'", name);
		goto out;
	}
	for (i = 0; i < n; i++)
		strncpy(skel->bss->required[i], argv[optind + i],
			sizeof(skel->bss->required[i]) - 1);
	skel->rodata->nr_required = n;

	err = require_bpf__load(skel);
	if (err) {
		luo_ld_report(prog, err, "cannot load the policy");
		goto out;
	}
	link = luo_ld_attach_pin(skel->maps.require, dir, name);
	if (!link) {
		err = -errno;
		luo_ld_report(prog, err, "cannot attach %s", name);
		goto out;
	}
	bpf_link__destroy(link);
	printf("attached %s: requires", name);
	for (i = 0; i < n; i++)
		printf(" %s", argv[optind + i]);
	putchar('\n');
out:
	require_bpf__destroy(skel);
	return err ? 1 : 0;
}
