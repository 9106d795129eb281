// SPDX-License-Identifier: GPL-2.0
/* luoctl: status, prepare, cancel, finish and reset, the state machine's commands. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "luoctl.h"

int cmd_status(struct luo_ctx *ctx, int argc, char **argv)
{
	struct status_info si = { .failure.sz = sizeof(si.failure) };
	int err;

	PARSE_SIMPLE(0, 0);

	err = luo_get_state(ctx, &si.state);
	if (err)
		return fail(ctx, err);
	si.have_enabled = !luo_get_enabled(ctx, &si.enabled);
	si.have_seq = !luo_get_sequence(ctx, &si.seq);
	si.have_failure = !luo_get_last_failure(ctx, &si.failure);
	si.kexec_loaded = luo_kexec_loaded(ctx);
	print_status(&si);
	return EXIT_OK;
}

int simple_op(struct luo_ctx *ctx, int argc, char **argv,
		     int (*op)(struct luo_ctx *))
{
	int err;

	PARSE_SIMPLE(0, 0);
	err = op(ctx);
	if (err)
		return fail(ctx, err);
	if (g_json)
		json_result(cur_cmd->name);
	return EXIT_OK;
}

int cmd_prepare(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_prepare);
}

int cmd_cancel(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_cancel);
}

int cmd_finish(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_finish);
}

int cmd_reset(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_reset);
}

void print_status(const struct status_info *si)
{
	int loaded = si->kexec_loaded;

	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("state", &first);
		json_str(luo_state_str(si->state));
		json_key("enabled", &first);
		fputs(si->have_enabled ? (si->enabled ? "true" : "false") : "null",
		      stdout);
		json_key("sequence", &first);
		if (si->have_seq)
			printf("%" PRIu64, si->seq);
		else
			fputs("null", stdout);
		json_key("kexec_loaded", &first);
		fputs(loaded < 0 ? "null" : loaded ? "true" : "false", stdout);
		json_key("policy_support", &first);
		json_bool(luo_policy_supported());
		json_key("last_failure", &first);
		if (si->have_failure)
			json_failure(&si->failure);
		else
			fputs("null", stdout);
		json_end();
		return;
	}

	printf("state:         %s\n", luo_state_str(si->state));
	printf("enabled:       %s\n", si->have_enabled ?
	       (si->enabled ? "yes" : "no") : "unknown");
	if (si->have_seq)
		printf("sequence:      %" PRIu64 "\n", si->seq);
	else
		printf("sequence:      unknown\n");
	printf("kexec loaded:  %s\n", loaded < 0 ? "unknown" : loaded ? "yes" : "no");
	printf("last failure:  ");
	if (si->have_failure)
		print_failure_text(&si->failure);
	else
		puts("unknown");
}
