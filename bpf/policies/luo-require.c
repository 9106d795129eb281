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

#include "loader_cli.h"
#include "require.h"
#include "require.skel.h"

static const char *prog = "luo-require";

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s [--name NAME] [--pin-dir DIR] [-v] PARTICIPANT...\n"
"       %s --detach [--name NAME] [--pin-dir DIR]\n"
"Veto prepare (ENOENT) unless every PARTICIPANT (at most %d) is registered.\n"
"The policy stays attached (pinned at DIR/NAME, default " LUO_DEFAULT_BPFFS_DIR "/require)\n"
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
	const char *name = "require", *dir = LUO_DEFAULT_BPFFS_DIR;
	struct luo_bpf_attach_opts ao = { .sz = sizeof(ao) };
	bool detach = false, verbose = false;
	struct require_bpf *skel;
	struct luo_ctx *ctx;
	int c, i, n, rc;

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
	n = argc - optind;
	if (detach && n) {
		usage(stderr);
		return 2;
	}
	if (!detach && (n < 1 || n > REQUIRE_MAX)) {
		fprintf(stderr, "%s: give 1 to %d participant names\n", prog,
			REQUIRE_MAX);
		return 2;
	}
	for (i = 0; i < n; i++) {
		const char *p = argv[optind + i];

		if (!p[0] || strlen(p) > LUO_POLICY_NAME_LEN) {
			fprintf(stderr, "%s: bad participant name '%s' "
				"(1 to %d characters)\n", prog, p,
				LUO_POLICY_NAME_LEN);
			return 2;
		}
	}
	ctx = cli_ctx(prog, dir, name, detach, &rc);
	if (!ctx)
		return rc;

	skel = require_bpf__open_opts(luo_bpf_open_opts(ctx));
	if (!skel) {
		rc = cli_fail(ctx, prog, verbose);
		goto out_ctx;
	}
	for (i = 0; i < n; i++)
		strncpy(skel->bss->required[i], argv[optind + i],
			sizeof(skel->bss->required[i]) - 1);
	skel->rodata->nr_required = n;

	ao.name = name;
	rc = luo_bpf_attach(ctx, skel->obj, &ao) ? cli_fail(ctx, prog, verbose) : 0;
	if (!rc) {
		printf("attached %s: requires", name);
		for (i = 0; i < n; i++)
			printf(" %s", argv[optind + i]);
		putchar('\n');
	}
	require_bpf__destroy(skel);
out_ctx:
	luo_ctx_free(ctx);
	return rc;
}
