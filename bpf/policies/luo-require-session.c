// SPDX-License-Identifier: GPL-2.0
/*
 * luo-require-session: attach the "require_session" policy: the kexec of a
 * live update only goes ahead when every named mainline LUO session is
 * handed over with at least --min-files files.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "loader_cli.h"
#include "require_session.h"
#include "require_session.skel.h"

static const char *prog = "luo-require-session";

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s [--min-files M] [--name NAME] [--pin-dir DIR] [-v] SESSION...\n"
"       %s --detach [--name NAME] [--pin-dir DIR]\n"
"Veto the REBOOT of a live update, which aborts its kexec, unless every\n"
"SESSION (at most %d) of /dev/liveupdate is handed over holding at least M\n"
"files (default 1): ENOENT when one is missing, EAGAIN when it holds too\n"
"few. The policy stays attached (pinned at DIR/NAME, default\n"
LUO_DEFAULT_BPFFS_DIR "/require_session) until --detach or\n"
"'luoctl policy detach NAME'.\n", prog, prog, REQUIRE_SESSION_MAX);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "min-files",	required_argument, NULL, 'm' },
		{ "name",	required_argument, NULL, 'n' },
		{ "pin-dir",	required_argument, NULL, 'p' },
		{ "detach",	no_argument,	   NULL, 'd' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	const char *name = "require_session", *dir = LUO_DEFAULT_BPFFS_DIR;
	struct luo_bpf_attach_opts ao = { .sz = sizeof(ao) };
	bool detach = false, verbose = false;
	struct require_session_bpf *skel;
	unsigned long min_files = 1;
	struct luo_ctx *ctx;
	int c, i, n, rc;
	char *end;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			errno = 0;
			min_files = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' ||
			    min_files > 1000000) {
				fprintf(stderr, "%s: bad number of files '%s'\n",
					prog, optarg);
				return 2;
			}
			break;
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
	if (!detach && (n < 1 || n > REQUIRE_SESSION_MAX)) {
		fprintf(stderr, "%s: give 1 to %d session names\n", prog,
			REQUIRE_SESSION_MAX);
		return 2;
	}
	for (i = 0; i < n; i++) {
		const char *s = argv[optind + i];

		if (!s[0] || strlen(s) >= REQUIRE_SESSION_NAME) {
			fprintf(stderr, "%s: bad session name '%s' (1 to %d bytes)\n",
				prog, s, REQUIRE_SESSION_NAME - 1);
			return 2;
		}
	}
	ctx = cli_ctx(prog, dir, name, detach, &rc);
	if (!ctx)
		return rc;

	skel = require_session_bpf__open_opts(luo_bpf_open_opts(ctx));
	if (!skel) {
		rc = cli_fail(ctx, prog, verbose);
		goto out_ctx;
	}
	for (i = 0; i < n; i++)
		strncpy(skel->bss->sessions[i], argv[optind + i],
			sizeof(skel->bss->sessions[i]) - 1);
	skel->rodata->nr_sessions = n;
	skel->rodata->min_files = min_files;

	ao.name = name;
	rc = luo_bpf_attach(ctx, skel->obj, &ao) ? cli_fail(ctx, prog, verbose) : 0;
	if (!rc) {
		printf("attached %s: REBOOT requires", name);
		for (i = 0; i < n; i++)
			printf(" %s", argv[optind + i]);
		printf(" with at least %lu files each\n", min_files);
	}
	require_session_bpf__destroy(skel);
out_ctx:
	luo_ctx_free(ctx);
	return rc;
}
