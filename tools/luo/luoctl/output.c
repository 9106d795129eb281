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
#include <sys/stat.h>
#include <unistd.h>

#include "luoctl.h"

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

void json_str_or_null(const char *s)
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

/* Open element @i of an array of objects: "," between elements, "{". */
void json_elem(size_t i, bool *first)
{
	if (i)
		putchar(',');
	putchar('{');
	*first = true;
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

void json_bool(bool v)
{
	fputs(v ? "true" : "false", stdout);
}

void json_failure(const struct luo_failure *f)
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

void print_failure_text(const struct luo_failure *f)
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

/* an input file given on the command line: usage error if unusable */
int check_input_file(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return usage_err("%s '%s': %s", what, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return usage_err("%s '%s' is not a regular file", what, path);
	if (access(path, R_OK))
		return usage_err("%s '%s': %s", what, path, strerror(errno));
	return -1;
}
