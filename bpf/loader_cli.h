/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loader_cli.h - the command-line side that the bundled loaders and the
 * test loader share: a libluo ctx for a pin directory, error lines, and
 * detach. Loading, attaching and pinning are libluo's (luo_bpf_attach).
 */
#ifndef __LOADER_CLI_H
#define __LOADER_CLI_H

#include <stdbool.h>
#include <luo.h>

/*
 * A ctx whose bpffs_dir is @dir (NULL: the default), once @name (unless
 * NULL) passed libluo's naming rule. NULL after an error line, with *@rc
 * the exit status: 2 for a bad name, 1 otherwise. With @detach, detach
 * @name instead and return NULL, *@rc saying how that went.
 */
struct luo_ctx *cli_ctx(const char *prog, const char *dir, const char *name,
			bool detach, int *rc);

/* "prog: error: <luo_errmsg>", then the verifier's log when @verbose. 1. */
int cli_fail(struct luo_ctx *ctx, const char *prog, bool verbose);

#endif
