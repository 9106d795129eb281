// SPDX-License-Identifier: GPL-2.0
/*
 * luo-ratelimit: attach the "ratelimit" policy: at most --max live updates
 * in any --window seconds, counted across kexecs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader_cli.h"
#include "ratelimit.h"
#include "ratelimit.skel.h"

static const char *prog = "luo-ratelimit";

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s --max N --window SECONDS [--name NAME] [--pin-dir DIR] [-v]\n"
"       %s --show [--name NAME] [--pin-dir DIR]\n"
"       %s --detach [--name NAME] [--pin-dir DIR]\n"
"Allow at most N live updates (1..%d) in any window of SECONDS. The\n"
"history of updates is handed from kernel to kernel, so the limit holds\n"
"across kexecs: attach the policy again in the new kernel before 'finish'\n"
"(it reclaims its history by NAME). It stays attached (pinned at DIR/NAME,\n"
"default " LUO_DEFAULT_BPFFS_DIR "/ratelimit) until --detach or\n"
"'luoctl policy detach NAME'. --show prints the history it holds (read at\n"
"its first policy check in this kernel).\n", prog, prog, prog, RATELIMIT_MAX);
}

/* --show: the history in the attached instance's pinned .bss. */
static int show(struct luo_ctx *ctx, const char *name)
{
	struct ratelimit_bpf__bss bss;
	struct bpf_map_info info;
	__u32 len = sizeof(info), zero = 0, i;
	char path[4096], val[1024];
	int fd, err;

	if (luo_bpf_aux_path(ctx, name, "bss", path, sizeof(path)))
		return -1;
	fd = bpf_obj_get(path);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s (attached with this loader?)\n", prog, path,
			strerror(errno));
		return -1;
	}
	memset(&info, 0, sizeof(info));
	err = bpf_map_get_info_by_fd(fd, &info, &len);
	/* The map's value may be shorter than the skeleton's padded struct. */
	if (!err && (info.value_size > sizeof(val) || info.value_size > sizeof(bss) ||
		     info.value_size < offsetof(typeof(bss), restored) + sizeof(bss.restored)))
		err = -EINVAL;
	if (!err)
		err = bpf_map_lookup_elem(fd, &zero, val);
	close(fd);
	memset(&bss, 0, sizeof(bss));
	if (!err)
		memcpy(&bss, val, info.value_size);
	if (err) {
		fprintf(stderr, "%s: cannot read %s\n", prog, path);
		return -1;
	}
	if (!bss.restored) {
		printf("%s: history not read yet (no policy check in this kernel)\n", name);
		return 0;
	}
	if (bss.restored < 0)
		printf("%s: no history from the previous kernel\n", name);
	else
		printf("%s: %llu live update%s in the history restored from the previous kernel (%d bytes)\n",
		       name, (unsigned long long)bss.history.nr,
		       bss.history.nr == 1 ? "" : "s", bss.restored);
	for (i = 0; i < bss.history.nr && i < RATELIMIT_MAX; i++)
		printf("  update %u at CLOCK_TAI %llu ns\n", i + 1,
		       (unsigned long long)bss.history.when[i]);
	return 0;
}

static int parse_ull(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || !*out || *out > max)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max",	required_argument, NULL, 'm' },
		{ "window",	required_argument, NULL, 'w' },
		{ "name",	required_argument, NULL, 'n' },
		{ "pin-dir",	required_argument, NULL, 'p' },
		{ "detach",	no_argument,	   NULL, 'd' },
		{ "show",	no_argument,	   NULL, 's' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	unsigned long long max = 0, window = 0;
	const char *name = "ratelimit", *dir = LUO_DEFAULT_BPFFS_DIR;
	bool detach = false, verbose = false, do_show = false;
	struct luo_bpf_attach_opts ao = { .sz = sizeof(ao) };
	struct ratelimit_bpf *skel;
	struct luo_ctx *ctx;
	int c, rc;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_ull(optarg, RATELIMIT_MAX, &max))
				goto bad;
			break;
		case 'w':
			if (parse_ull(optarg, 100ULL * 365 * 86400, &window))
				goto bad;
			break;
		case 'n': name = optarg; break;
		case 'p': dir = optarg; break;
		case 'd': detach = true; break;
		case 's': do_show = true; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default:  usage(stderr); return 2;
		}
	}
	if (do_show && !detach && optind == argc) {
		ctx = cli_ctx(prog, dir, name, false, &rc);
		if (!ctx)
			return rc;
		rc = show(ctx, name) ? 1 : 0;
		luo_ctx_free(ctx);
		return rc;
	}
	if (optind != argc || do_show || (!detach && (!max || !window))) {
		if (optind == argc)
			fprintf(stderr, "%s: --max and --window are required\n", prog);
		usage(stderr);
		return 2;
	}
	ctx = cli_ctx(prog, dir, name, detach, &rc);
	if (!ctx)
		return rc;

	skel = ratelimit_bpf__open_opts(luo_bpf_open_opts(ctx));
	if (!skel) {
		rc = cli_fail(ctx, prog, verbose);
		goto out_ctx;
	}
	skel->rodata->max_updates = max;
	skel->rodata->window_ns = window * 1000000000ULL;

	ao.name = name;
	ao.pin_globals = true;	/* .bss: the history, for inspection */
	rc = luo_bpf_attach(ctx, skel->obj, &ao) ? cli_fail(ctx, prog, verbose) : 0;
	if (!rc)
		printf("attached %s: at most %llu live updates in %llus\n",
		       name, max, window);
	ratelimit_bpf__destroy(skel);
out_ctx:
	luo_ctx_free(ctx);
	return rc;
bad:
	fprintf(stderr, "%s: bad value '%s'\n", prog, optarg);
	return 2;
}
