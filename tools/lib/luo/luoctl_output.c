// SPDX-License-Identifier: GPL-2.0
/*
 * luoctl output: errors, exit codes, text and JSON printing.
 *
 * Names and reasons come from the kernel and, through BPF, from anyone
 * who can attach a policy: they are untrusted bytes. JSON strings are
 * always valid UTF-8 (control characters escaped, invalid bytes replaced
 * by U+FFFD); text output replaces both by '?' so that nothing reaches
 * the terminal as a control sequence.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luoctl.h"

#define TEXT_MAX 2048

/* ---------------------------------------------------------------- */
/* untrusted bytes                                                  */

static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Length of the valid UTF-8 sequence at @s (1..4), 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return cont(s[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* no overlong forms, no surrogates */
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return cont(s[1]) && cont(s[2]) ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		/* no overlong forms, nothing above U+10FFFF */
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return cont(s[1]) && cont(s[2]) && cont(s[3]) ? 4 : 0;
	}
	return 0;
}

/* U+0080..U+009F, the C1 controls, are 0xc2 0x80..0x9f */
static bool is_c1(const unsigned char *s)
{
	return s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f;
}

const char *clean_text(const char *s, char *buf, size_t sz)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (*p && o + 1 < sz) {
		size_t n = utf8_len(p);

		if (!n || *p < 0x20 || *p == 0x7f || is_c1(p)) {
			buf[o++] = '?';
			p += n ? n : 1;
			continue;
		}
		if (o + n >= sz)
			break;
		memcpy(buf + o, p, n);
		o += n;
		p += n;
	}
	buf[o] = '\0';
	return buf;
}

/* ---------------------------------------------------------------- */
/* JSON                                                             */

void json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putchar('"');
	while (*p) {
		size_t n = utf8_len(p);

		switch (*p) {
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				printf("\\u%04x", *p);
			else if (!n)
				fputs("\\ufffd", stdout);
			else
				fwrite(p, 1, n, stdout);
		}
		p += n ? n : 1;
	}
	putchar('"');
}

static void json_str_or_null(const char *s)
{
	if (s)
		json_str(s);
	else
		fputs("null", stdout);
}

void json_key(const char *k, bool *first)
{
	if (!*first)
		putchar(',');
	*first = false;
	json_str(k);
	putchar(':');
}

/* every object printed on its own starts with the schema version */
void json_begin(bool *first)
{
	*first = true;
	putchar('{');
	json_key("schema", first);
	printf("%d", LUOCTL_JSON_SCHEMA);
}

void json_end(void)
{
	puts("}");
}

/* an action command succeeded */
void json_result(const char *command)
{
	bool first;

	json_begin(&first);
	json_key("command", &first);
	json_str(command);
	json_key("ok", &first);
	fputs("true", stdout);
	json_end();
}

static void json_bool(bool v)
{
	fputs(v ? "true" : "false", stdout);
}

/* load: the command line the next kernel gets, and why it loses the
 * update (@warning, NULL if it keeps it) */
void json_load_result(const char *cmdline, const char *warning, bool check)
{
	bool first;

	json_begin(&first);
	json_key("command", &first);
	json_str("load");
	json_key("ok", &first);
	json_bool(true);
	json_key("loaded", &first);
	json_bool(!check);
	json_key("cmdline", &first);
	json_str(cmdline);
	json_key("keeps_update", &first);
	json_bool(!warning);
	json_key("warning", &first);
	json_str_or_null(warning);
	json_end();
}

static void json_failure(const struct luo_failure *f)
{
	bool first = true;

	if (!f->present) {
		fputs("null", stdout);
		return;
	}
	putchar('{');
	json_key("event", &first);
	json_str(f->event_str);
	json_key("participant", &first);
	json_str(f->participant);
	json_key("by_policy", &first);
	json_bool(f->by_policy);
	json_key("errno", &first);
	printf("%d", f->err);
	json_key("errno_name", &first);
	json_str_or_null(luo_errno_name(f->err));
	json_key("reason", &first);
	json_str_or_null(f->has_reason ? f->reason : NULL);
	putchar('}');
}

/* ---------------------------------------------------------------- */
/* errors and exit codes                                            */

static void json_error(int err, const char *msg, int rc,
		       const struct luo_failure *f)
{
	bool first, in = true;
	bool rec = f && f->present;

	json_begin(&first);
	json_key("error", &first);
	putchar('{');
	json_key("errno", &in);
	printf("%d", err);
	json_key("name", &in);
	json_str_or_null(luo_errno_name(err));
	json_key("message", &in);
	json_str(msg);
	json_key("by_policy", &in);
	json_bool(rec && f->by_policy);
	json_key("participant", &in);
	json_str_or_null(rec ? f->participant : NULL);
	json_key("event", &in);
	json_str_or_null(rec ? f->event_str : NULL);
	json_key("exit_code", &in);
	printf("%d", rc);
	putchar('}');
	json_end();
}

static void text_error(const char *msg)
{
	char buf[TEXT_MAX];

	fprintf(stderr, "luoctl: %s\n", clean_text(msg, buf, sizeof(buf)));
}

void err_msg(const char *fmt, ...)
{
	char msg[TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	text_error(msg);
}

int report_error(int err, int rc, const char *fmt, ...)
{
	char msg[TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (g_json)
		json_error(err, msg, rc, NULL);
	else
		text_error(msg);
	return rc;
}

int usage_err(const char *fmt, ...)
{
	char msg[TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (g_json) {
		json_error(-EINVAL, msg, EXIT_USAGE, NULL);
		return EXIT_USAGE;
	}
	text_error(msg);
	if (cur_cmd)
		fprintf(stderr, "Try 'luoctl %s --help' for more information.\n",
			cur_cmd->name);
	else
		fprintf(stderr, "Try 'luoctl --help' for more information.\n");
	return EXIT_USAGE;
}

int exit_code(struct luo_ctx *ctx, int err)
{
	struct luo_failure f = { .sz = sizeof(f) };

	if (!err)
		return EXIT_OK;
	switch (luo_error_cause(ctx, &f)) {
	case LUO_CAUSE_POLICY:
		return EXIT_POLICY;
	case LUO_CAUSE_PARTICIPANT:
		/* the orchestrator's own check: no handover possible */
		if (!strcmp(f.participant, "handover") &&
		    (f.err == -ENODEV || f.err == -EOPNOTSUPP))
			return EXIT_NOTSUPP;
		return EXIT_PARTICIPANT;
	case LUO_CAUSE_STATE:
		return EXIT_STATE;
	default:
		break;
	}
	switch (-err) {
	case EPERM:
	case EACCES:
		return EXIT_PERM;
	case EOPNOTSUPP:
	case ENOSYS:
	case ENODEV:
		return EXIT_NOTSUPP;
	default:
		return EXIT_FAILED;
	}
}

int fail(struct luo_ctx *ctx, int err)
{
	struct luo_failure f = { .sz = sizeof(f) };
	int rc = exit_code(ctx, err);

	luo_error_cause(ctx, &f);
	if (g_json)
		json_error(err, luo_errmsg(ctx), rc, &f);
	else
		text_error(luo_errmsg(ctx));
	return rc;
}

/* ---------------------------------------------------------------- */
/* command output                                                   */

static void print_failure_text(const struct luo_failure *f)
{
	char buf[TEXT_MAX], clean[TEXT_MAX], ev[64];

	if (!f->present) {
		puts("none");
		return;
	}
	luo_failure_describe(f, buf, sizeof(buf));
	printf("%s %s\n", clean_text(f->event_str, ev, sizeof(ev)),
	       clean_text(buf, clean, sizeof(clean)));
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

static void fmt_ns(uint64_t ns, char *buf, size_t sz)
{
	if (ns >= 1000000000ULL)
		snprintf(buf, sz, "%.3f s", ns / 1e9);
	else if (ns >= 1000000ULL)
		snprintf(buf, sz, "%.3f ms", ns / 1e6);
	else if (ns >= 1000ULL)
		snprintf(buf, sz, "%.3f us", ns / 1e3);
	else
		snprintf(buf, sz, "%" PRIu64 " ns", ns);
}

static void json_timings(const struct luo_timing *t, size_t nt)
{
	putchar('[');
	for (size_t i = 0; i < nt; i++) {
		bool first = true;

		if (i)
			putchar(',');
		putchar('{');
		json_key("name", &first);
		json_str(t[i].name);
		json_key("kind", &first);
		json_str(luo_kind_str(t[i].kind));
		json_key("priority", &first);
		printf("%u", t[i].priority);
		json_key("event", &first);
		json_str(t[i].event_str);
		json_key("ret", &first);
		printf("%d", t[i].ret);
		json_key("duration_ns", &first);
		printf("%" PRIu64, t[i].duration_ns);
		putchar('}');
	}
	putchar(']');
}

static void text_timings(const struct luo_timing *t, size_t nt)
{
	char buf[64], name[LUO_NAME_MAX], ev[64], res[24];

	printf("\n%-24s %-6s %4s %-8s %-8s %14s\n", "PARTICIPANT", "KIND",
	       "PRIO", "EVENT", "RESULT", "DURATION");
	for (size_t i = 0; i < nt; i++) {
		const char *en = luo_errno_name(t[i].ret);

		if (!t[i].ret)
			snprintf(res, sizeof(res), "ok");
		else if (en)
			snprintf(res, sizeof(res), "%s", en);
		else
			snprintf(res, sizeof(res), "%d", t[i].ret);
		fmt_ns(t[i].duration_ns, buf, sizeof(buf));
		printf("%-24s %-6s %4u %-8s %-8s %14s\n",
		       clean_text(t[i].name, name, sizeof(name)),
		       luo_kind_str(t[i].kind), t[i].priority,
		       clean_text(t[i].event_str, ev, sizeof(ev)), res, buf);
	}
}

void print_stats(const struct stats_info *si)
{
	char buf[64], clean[TEXT_MAX];

	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("sequence", &first);
		printf("%" PRIu64, si->seq);
		json_key("last_blackout_ns", &first);
		if (si->have_blackout)
			printf("%" PRIu64, si->blackout_ns);
		else
			fputs("null", stdout);
		json_key("last_failure", &first);
		json_failure(&si->failure);
		json_key("timings", &first);
		if (si->timings_err)
			fputs("null", stdout);
		else
			json_timings(si->timings, si->ntimings);
		json_end();
		return;
	}

	printf("updates:        %" PRIu64 "\n", si->seq);
	if (!si->have_blackout) {
		printf("last blackout:  unknown\n");
	} else if (si->blackout_ns == 0) {
		printf("last blackout:  none\n");
	} else {
		fmt_ns(si->blackout_ns, buf, sizeof(buf));
		printf("last blackout:  %s (%" PRIu64 " ns)\n", buf, si->blackout_ns);
	}
	printf("last failure:   ");
	print_failure_text(&si->failure);
	if (si->timings_err)
		printf("timings:        unavailable (%s)\n",
		       clean_text(si->timings_err, clean, sizeof(clean)));
	else if (!si->ntimings)
		printf("timings:        none recorded\n");
	else
		text_timings(si->timings, si->ntimings);
}

void print_participants(const struct luo_participant *pa, size_t n,
			size_t omitted)
{
	char name[LUO_NAME_MAX];

	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("participants", &first);
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			bool f1 = true;

			if (i)
				putchar(',');
			putchar('{');
			json_key("priority", &f1);
			printf("%u", pa[i].priority);
			json_key("kind", &f1);
			json_str(luo_kind_str(pa[i].kind));
			json_key("name", &f1);
			json_str(pa[i].name);
			putchar('}');
		}
		putchar(']');
		json_key("omitted", &first);
		printf("%zu", omitted);
		json_end();
		return;
	}
	printf("%-4s %-6s %s\n", "PRIO", "KIND", "NAME");
	for (size_t i = 0; i < n; i++)
		printf("%-4u %-6s %s\n", pa[i].priority, luo_kind_str(pa[i].kind),
		       clean_text(pa[i].name, name, sizeof(name)));
	/* as the kernel says it: its listing stops after one page */
	if (omitted)
		printf("... %zu more\n", omitted);
}

void print_policies(const struct luo_policy *pol, size_t n)
{
	char name[LUO_NAME_MAX];

	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("policies", &first);
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			bool f1 = true;

			if (i)
				putchar(',');
			putchar('{');
			json_key("name", &f1);
			json_str(pol[i].name);
			json_key("link_id", &f1);
			printf("%u", pol[i].link_id);
			json_key("map_id", &f1);
			printf("%u", pol[i].map_id);
			putchar('}');
		}
		putchar(']');
		json_end();
		return;
	}
	printf("%-24s %8s %8s\n", "NAME", "LINK_ID", "MAP_ID");
	for (size_t i = 0; i < n; i++)
		printf("%-24s %8u %8u\n", clean_text(pol[i].name, name, sizeof(name)),
		       pol[i].link_id, pol[i].map_id);
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

void print_dry_run(bool already_prepared)
{
	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("command", &first);
		json_str("update");
		json_key("ok", &first);
		json_bool(true);
		json_key("dry_run", &first);
		json_bool(true);
		json_key("already_prepared", &first);
		json_bool(already_prepared);
		json_end();
		return;
	}
	if (already_prepared)
		puts("dry run: a kernel is loaded; already prepared, so PREPARE's "
		     "policies agreed at prepare (REBOOT's are asked at the kexec)");
	else
		puts("dry run: a kernel is loaded and no policy vetoes PREPARE "
		     "(no handler was called, nothing changed)");
}
