// SPDX-License-Identifier: GPL-2.0
/* loader_cli.c - see loader_cli.h */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "loader_cli.h"

int cli_fail(struct luo_ctx *ctx, const char *prog, bool verbose)
{
	fprintf(stderr, "%s: error: %s\n", prog, luo_errmsg(ctx));
	if (verbose && *luo_bpf_log(ctx))
		fprintf(stderr, "%s: verifier log:\n%s", prog, luo_bpf_log(ctx));
	return 1;
}

static int cli_detach(struct luo_ctx *ctx, const char *prog, const char *name)
{
	if (luo_policy_detach(ctx, name))
		return cli_fail(ctx, prog, false);
	printf("detached %s\n", name);
	return 0;
}

struct luo_ctx *cli_ctx(const char *prog, const char *dir, const char *name,
			bool detach, int *rc)
{
	struct luo_ctx_opts o = { .sz = sizeof(o), .bpffs_dir = dir };
	struct luo_ctx *ctx = luo_ctx_new(&o);

	*rc = 1;
	if (!ctx) {
		fprintf(stderr, "%s: error: %s\n", prog, strerror(errno));
		return NULL;
	}
	if (name && luo_bpf_check_name(ctx, name)) {
		fprintf(stderr, "%s: %s\n", prog, luo_errmsg(ctx));
		luo_ctx_free(ctx);
		*rc = 2;
		return NULL;
	}
	if (detach) {
		*rc = cli_detach(ctx, prog, name);
		luo_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}
