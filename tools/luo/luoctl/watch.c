// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * luoctl watch: every transition, veto, participant failure, rollback and
 * ejection, in order, from the orchestrator's trace events (luo_watch_*).
 * --poll falls back to re-reading the state, which can miss a transition.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "luoctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* milliseconds left until @deadline (0: none, -1) */
static int ms_left(double deadline)
{
	double l;

	if (!deadline)
		return -1;
	l = (deadline - mono_now()) * 1000.0;
	return l > 0 ? (int)(l + 0.5) : 0;
}

/* "2026-11-26T05:55:01.123456Z", UTC */
static void fmt_time(uint64_t ns, char *buf, size_t sz)
{
	time_t s = ns / 1000000000;
	struct tm tm;

	if (!ns || !gmtime_r(&s, &tm)) {
		snprintf(buf, sz, "-");
		return;
	}
	strftime(buf, sz, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sz - strlen(buf), ".%06uZ",
		 (unsigned int)(ns % 1000000000 / 1000));
}

static void json_watch_event(const struct luo_watch_event *e, const char *when)
{
	const char *ename = luo_errno_name(e->err);
	bool first;

	json_begin(&first);
	json_key("kind", &first);
	json_str(luo_watch_kind_str(e->kind));
	json_key("sequence", &first);
	printf("%" PRIu64, e->sequence);
	json_key("time", &first);
	json_str(when);
	json_key("time_ns", &first);
	printf("%" PRIu64, e->time_ns);
	switch (e->kind) {
	case LUO_WATCH_TRANSITION:
		json_key("from", &first);
		json_str(luo_state_str(e->from));
		json_key("to", &first);
		json_str(luo_state_str(e->to));
		json_key("cause", &first);
		json_str(e->detail);
		break;
	case LUO_WATCH_LOST:
		json_key("lost", &first);
		printf("%d", e->err);
		break;
	default:
		json_key("event", &first);
		json_str(e->event);
		json_key(e->kind == LUO_WATCH_VETO ? "policy" : "participant", &first);
		json_str(e->name);
		json_key("errno", &first);
		printf("%d", e->err);
		json_key("errno_name", &first);
		if (ename)
			json_str(ename);
		else
			fputs("null", stdout);
		json_key("detail", &first);
		json_str(e->detail);
	}
	json_end();
}

static void print_watch_event(const struct luo_watch_event *e)
{
	char when[48], name[LUO_NAME_MAX], detail[LUO_REASON_MAX];
	const char *ename = luo_errno_name(e->err);

	fmt_time(e->time_ns, when, sizeof(when));
	if (g_json) {
		json_watch_event(e, when);
		return;
	}
	clean_text(e->name, name, sizeof(name));
	clean_text(e->detail, detail, sizeof(detail));
	if (!ename)
		ename = "?";
	printf("%s seq=%" PRIu64 " ", when, e->sequence);
	switch (e->kind) {
	case LUO_WATCH_TRANSITION:
		printf("%s -> %s (%s)\n", luo_state_str(e->from),
		       luo_state_str(e->to), detail);
		break;
	case LUO_WATCH_VETO:
		printf("veto: %s refused by policy '%s': %s (%s)\n", e->event,
		       name, detail, ename);
		break;
	case LUO_WATCH_FAILURE:
		printf("failure: %s failed in %s participant '%s' (%s)\n",
		       e->event, detail, name, ename);
		break;
	case LUO_WATCH_ROLLBACK:
		printf("rollback: %s failed in '%s' (%s), %s cancelled\n",
		       e->event, name, ename, detail);
		break;
	case LUO_WATCH_EJECT:
		printf("eject: BPF participant '%s' in %s: %s (%s)\n", name,
		       e->event, detail, ename);
		break;
	case LUO_WATCH_LOST:
		printf("lost: %d trace events (the trace buffer overran)\n", e->err);
		break;
	}
}

/* the state re-read after every wakeup: a quick prepare+cancel is missed */
static int watch_poll(struct luo_ctx *ctx, double deadline, long count)
{
	enum luo_state cur, next;
	long seen = 0;
	int err;

	err = luo_get_state(ctx, &cur);
	if (err)
		return fail(ctx, err);
	while ((!count || seen < count) && !stop) {
		err = luo_wait_state_change(ctx, cur, &next, ms_left(deadline));
		if (err == -ETIMEDOUT || err == -EINTR)
			break;
		if (err)
			return fail(ctx, err);
		print_transition(mono_now(), cur, next);
		cur = next;
		seen++;
	}
	if (count && seen < count)
		return report_error(-ETIMEDOUT, EXIT_FAILED, "stopped after %ld "
				    "of %ld transitions", seen, count);
	return EXIT_OK;
}

static int watch_trace(struct luo_ctx *ctx, double deadline, long count)
{
	struct luo_watch_event ev = { .sz = sizeof(ev) };
	struct luo_watch *w;
	long seen = 0;
	int err, rc = EXIT_OK;

	err = luo_watch_open(ctx, &w);
	if (err)
		return fail(ctx, err);
	/* the ready line tells a script that nothing from now on is missed */
	fprintf(stderr, "luoctl: watching\n");
	while ((!count || seen < count) && !stop) {
		err = luo_watch_next(w, &ev, ms_left(deadline));
		if (err == -ETIMEDOUT || err == -EINTR)
			break;
		if (err) {
			rc = fail(ctx, err);
			break;
		}
		print_watch_event(&ev);
		seen++;
	}
	luo_watch_close(w);
	if (rc == EXIT_OK && count && seen < count)
		rc = report_error(-ETIMEDOUT, EXIT_FAILED, "stopped after %ld "
				  "of %ld events", seen, count);
	return rc;
}

int cmd_watch(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "poll", no_argument, NULL, 'p' },
		{ 0 }
	};
	struct sigaction sa = { .sa_handler = on_signal };
	long timeout = -1, count = 0;
	double deadline = 0;
	bool poll_mode = false;
	struct parser p;
	int c, r = -1;

	parser_init(&p, argc, argv, lo, "t:c:p");
	while ((c = parser_next(&p)) != -1) {
		if (c == 't')
			r = parse_int_arg("--timeout", optarg, 0, INT32_MAX, &timeout);
		else if (c == 'c')
			r = parse_int_arg("--count", optarg, 1, INT32_MAX, &count);
		else if (c == 'p')
			poll_mode = true;
		if (r >= 0)
			return r;
	}
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;

	/* SIGINT and SIGTERM end the watch cleanly (the trace instance goes) */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (timeout >= 0)
		deadline = mono_now() + timeout / 1000.0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	return poll_mode ? watch_poll(ctx, deadline, count) :
			   watch_trace(ctx, deadline, count);
}

void print_transition(double t, enum luo_state from, enum luo_state to)
{
	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("monotonic_s", &first);
		printf("%.6f", t);
		json_key("from", &first);
		json_str(luo_state_str(from));
		json_key("to", &first);
		json_str(luo_state_str(to));
		json_end();
		return;
	}
	printf("%.6f %s -> %s\n", t, luo_state_str(from), luo_state_str(to));
}
