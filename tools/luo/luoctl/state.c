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
	si.have_lease = !luo_get_prepare_lease(ctx, &si.lease_ms);
	print_status(&si);
	return EXIT_OK;
}

int run_op(struct luo_ctx *ctx, int (*op)(struct luo_ctx *))
{
	int err = op(ctx);

	if (err)
		return fail(ctx, err);
	if (g_json)
		json_result(cur_cmd->name);
	return EXIT_OK;
}

int simple_op(struct luo_ctx *ctx, int argc, char **argv,
		     int (*op)(struct luo_ctx *))
{
	PARSE_SIMPLE(0, 0);
	return run_op(ctx, op);
}

/*
 * prepare --lease: set prepare_lease_ms, then prepare, so that the prepare
 * arms the lease. Only from normal: in another state the write would
 * re-arm the lease of someone else's prepare. A failed prepare gets the
 * previous value back.
 */
static int prepare_with_lease(struct luo_ctx *ctx, uint32_t ms)
{
	enum luo_state st;
	uint32_t old;
	int err, rc;

	err = luo_get_prepare_lease(ctx, &old);
	if (err)
		return lease_fail(ctx, err);
	err = luo_get_state(ctx, &st);
	if (err)
		return fail(ctx, err);
	if (st != LUO_STATE_NORMAL)
		return report_error(-EBUSY, EXIT_STATE, "cannot prepare: live "
				    "update state is '%s', expected 'normal' "
				    "(EBUSY); the prepare lease was left alone",
				    luo_state_str(st));
	err = luo_set_prepare_lease(ctx, ms);
	if (err)
		return lease_fail(ctx, err);
	rc = run_op(ctx, luo_prepare);
	if (rc != EXIT_OK)
		lease_restore(ctx, old);
	return rc;
}

int cmd_prepare(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "lease", required_argument, NULL, 'l' },
		{ 0 }
	};
	const char *lease = NULL;
	struct parser p;
	uint32_t ms;
	int c, r;

	parser_init(&p, argc, argv, lo, "l:");
	while ((c = parser_next(&p)) != -1)
		if (c == 'l')
			lease = optarg;
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;
	if (!lease)
		return run_op(ctx, luo_prepare);
	r = parse_duration_ms("--lease", lease, &ms);
	if (r >= 0)
		return r;
	return prepare_with_lease(ctx, ms);
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
		json_key("prepare_lease_ms", &first);
		if (si->have_lease)
			printf("%" PRIu32, si->lease_ms);
		else
			fputs("null", stdout);
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
	if (!si->have_lease)
		printf("prepare lease: unknown\n");
	else if (!si->lease_ms)
		printf("prepare lease: none\n");
	else
		printf("prepare lease: %" PRIu32 " ms\n", si->lease_ms);
	printf("last failure:  ");
	if (si->have_failure)
		print_failure_text(&si->failure);
	else
		puts("unknown");
}
