// SPDX-License-Identifier: GPL-2.0
/*
 * luoctl - control the kernel Live Update Orchestrator.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "luo.h"

#define LUOCTL_VERSION "0.1"

enum {
	EXIT_OK		= 0,
	EXIT_FAILED	= 1,
	EXIT_USAGE	= 2,
	EXIT_STATE	= 3,
	EXIT_NOTSUPP	= 4,
};

struct cmd {
	const char *name;
	int (*fn)(struct luo_ctx *ctx, int argc, char **argv);
	const char *summary;
	const char *usage;
	bool needs_sysfs;
};

static const struct cmd *cur_cmd;
static bool g_json;

static void __attribute__((format(printf, 1, 2))) err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("luoctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("luoctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cur_cmd)
		fprintf(stderr, "Try 'luoctl %s --help' for more information.\n",
			cur_cmd->name);
	else
		fprintf(stderr, "Try 'luoctl --help' for more information.\n");
	return EXIT_USAGE;
}

static int exit_code(int err)
{
	switch (-err) {
	case 0:
		return EXIT_OK;
	case EBUSY:
		return EXIT_STATE;
	case EOPNOTSUPP:
	case ENOSYS:
		return EXIT_NOTSUPP;
	default:
		return EXIT_FAILED;
	}
}

static int fail(struct luo_ctx *ctx, int err)
{
	err_msg("%s", luo_errmsg(ctx));
	return exit_code(err);
}

/* ---------------------------------------------------------------- */
/* JSON helpers                                                     */

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		default:
			if (c < 0x20)
				printf("\\u%04x", c);
			else
				putchar(c);
		}
	}
	putchar('"');
}

static void json_key(const char *k, bool *first)
{
	if (!*first)
		putchar(',');
	*first = false;
	json_str(k);
	putchar(':');
}

static void json_failure(const struct luo_failure *f)
{
	const char *en = luo_errno_name(f->err);
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
	json_key("errno", &first);
	printf("%d", f->err);
	json_key("errno_name", &first);
	if (en)
		json_str(en);
	else
		fputs("null", stdout);
	json_key("reason", &first);
	if (f->has_reason)
		json_str(f->reason);
	else
		fputs("null", stdout);
	putchar('}');
}

/* ---------------------------------------------------------------- */
/* option parsing shared by all commands                            */

#define OPT_HELP 'h'
#define OPT_JSON 0x100

/* Parse the options of a command. @opts is appended with --help and
 * (if @json_ok) --json. Returns -1 when done, an option char otherwise;
 * help and usage errors are handled here and reported via *rc. */
struct parser {
	int argc;
	char **argv;
	struct option lo[12];
	char so[32];
	int rc;		/* >= 0: stop and exit with this */
};

static void parser_init(struct parser *p, int argc, char **argv,
			const struct option *extra, const char *short_extra,
			bool json_ok)
{
	int n = 0;

	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	p->rc = -1;
	for (; extra && extra[n].name; n++)
		p->lo[n] = extra[n];
	p->lo[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	if (json_ok)
		p->lo[n++] = (struct option){ "json", no_argument, NULL, OPT_JSON };
	snprintf(p->so, sizeof(p->so), "h%s", short_extra ? short_extra : "");
	optind = 0;
	opterr = 0;
}

static int parser_next(struct parser *p)
{
	int c = getopt_long(p->argc, p->argv, p->so, p->lo, NULL);

	switch (c) {
	case OPT_HELP:
		fputs(cur_cmd->usage, stdout);
		p->rc = EXIT_OK;
		return -1;
	case OPT_JSON:
		g_json = true;
		return parser_next(p);
	case '?':
		if (optopt && optopt < 0x100 && strchr(p->so, optopt))
			p->rc = usage_err("option '-%c' requires an argument", optopt);
		else if (optopt && optopt < 0x100)
			p->rc = usage_err("unknown option '-%c'", optopt);
		else if (optind > 0 && optind <= p->argc &&
			 !strncmp(p->argv[optind - 1], "--", 2) &&
			 strchr(p->argv[optind - 1], '='))
			p->rc = usage_err("option '%s' takes no argument",
					  p->argv[optind - 1]);
		else
			p->rc = usage_err("unknown or incomplete option '%s'",
					  p->argv[optind - 1]);
		return -1;
	case ':':
		p->rc = usage_err("option '%s' requires an argument",
				  p->argv[optind - 1]);
		return -1;
	}
	return c;
}

/* positional arguments after options: check the count */
static int want_args(struct parser *p, int min, int max)
{
	int n = p->argc - optind;

	if (n < min)
		return usage_err("missing argument");
	if (n > max)
		return usage_err("unexpected argument '%s'", p->argv[optind + max]);
	return -1;
}

static int parse_int_arg(const char *opt, const char *s, long min, long max,
			 long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return usage_err("invalid value '%s' for %s", s, opt);
	*out = v;
	return -1;
}

#define PARSE_SIMPLE(json_ok, min, max)					\
	do {								\
		struct parser p;					\
		int c_, r_;						\
		parser_init(&p, argc, argv, NULL, NULL, json_ok);	\
		while ((c_ = parser_next(&p)) != -1)			\
			;						\
		if (p.rc >= 0)						\
			return p.rc;					\
		r_ = want_args(&p, min, max);				\
		if (r_ >= 0)						\
			return r_;					\
	} while (0)

/* ---------------------------------------------------------------- */
/* commands                                                         */

static void print_failure_text(const struct luo_failure *f)
{
	char buf[1024];

	if (!f->present) {
		puts("none");
		return;
	}
	luo_failure_describe(f, buf, sizeof(buf));
	printf("%s %s\n", f->event_str, buf);
}

static int cmd_status(struct luo_ctx *ctx, int argc, char **argv)
{
	struct luo_failure f;
	enum luo_state st;
	bool enabled;
	uint64_t seq;
	int err, have_en, have_seq, have_f, loaded;

	PARSE_SIMPLE(true, 0, 0);

	err = luo_get_state(ctx, &st);
	if (err)
		return fail(ctx, err);
	have_en = !luo_get_enabled(ctx, &enabled);
	have_seq = !luo_get_sequence(ctx, &seq);
	have_f = !luo_get_last_failure(ctx, &f);
	loaded = luo_kexec_loaded(ctx);

	if (g_json) {
		bool first = true;

		putchar('{');
		json_key("state", &first);
		json_str(luo_state_str(st));
		json_key("enabled", &first);
		fputs(have_en ? (enabled ? "true" : "false") : "null", stdout);
		json_key("sequence", &first);
		if (have_seq)
			printf("%" PRIu64, seq);
		else
			fputs("null", stdout);
		json_key("kexec_loaded", &first);
		fputs(loaded < 0 ? "null" : loaded ? "true" : "false", stdout);
		json_key("policy_support", &first);
		fputs(luo_policy_supported() ? "true" : "false", stdout);
		json_key("last_failure", &first);
		if (have_f)
			json_failure(&f);
		else
			fputs("null", stdout);
		puts("}");
		return EXIT_OK;
	}

	printf("state:         %s\n", luo_state_str(st));
	printf("enabled:       %s\n", have_en ? (enabled ? "yes" : "no") : "unknown");
	if (have_seq)
		printf("sequence:      %" PRIu64 "\n", seq);
	else
		printf("sequence:      unknown\n");
	printf("kexec loaded:  %s\n", loaded < 0 ? "unknown" : loaded ? "yes" : "no");
	printf("last failure:  ");
	if (have_f)
		print_failure_text(&f);
	else
		puts("unknown");
	return EXIT_OK;
}

static int simple_op(struct luo_ctx *ctx, int argc, char **argv,
		     int (*op)(struct luo_ctx *))
{
	int err;

	PARSE_SIMPLE(false, 0, 0);
	err = op(ctx);
	return err ? fail(ctx, err) : EXIT_OK;
}

static int cmd_prepare(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_prepare);
}

static int cmd_cancel(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_cancel);
}

static int cmd_finish(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_finish);
}

static int cmd_reset(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_reset);
}

static int check_input_file(const char *what, const char *path)
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

static int cmd_load(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "reuse-cmdline", no_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'n' },
		{ 0 }
	};
	const char *initrd = NULL, *cmdline = NULL, *kernel;
	unsigned int flags = 0;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "i:c:rn", false);
	while ((c = parser_next(&p)) != -1) {
		switch (c) {
		case 'i': initrd = optarg; break;
		case 'c': cmdline = optarg; break;
		case 'r': flags |= LUO_KEXEC_REUSE_CMDLINE; break;
		case 'n': flags |= LUO_KEXEC_CHECK_ONLY; break;
		}
	}
	if (p.rc >= 0)
		return p.rc;
	if (optind >= argc)
		return usage_err("missing KERNEL argument");
	r = want_args(&p, 1, 1);
	if (r >= 0)
		return r;
	kernel = argv[optind];
	if (cmdline && (flags & LUO_KEXEC_REUSE_CMDLINE))
		return usage_err("--cmdline and --reuse-cmdline are mutually exclusive");

	/* validate all input first, so that bad input changes nothing */
	r = check_input_file("kernel image", kernel);
	if (r >= 0)
		return r;
	err = luo_kexec_check_image(ctx, kernel);
	if (err) {
		err_msg("%s", luo_errmsg(ctx));
		return EXIT_USAGE;
	}
	if (initrd) {
		r = check_input_file("initrd", initrd);
		if (r >= 0)
			return r;
	}

	err = luo_kexec_load(ctx, kernel, initrd, cmdline, flags);
	if (err)
		return fail(ctx, err);
	if (flags & LUO_KEXEC_CHECK_ONLY)
		printf("%s: looks like a loadable kernel image\n", kernel);
	return EXIT_OK;
}

static int cmd_update(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ 0 }
	};
	unsigned int flags = 0;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "n", false);
	while ((c = parser_next(&p)) != -1)
		if (c == 'n')
			flags |= LUO_UPDATE_DRY_RUN;
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;

	err = luo_update(ctx, flags);
	if (err)
		return fail(ctx, err);
	if (flags & LUO_UPDATE_DRY_RUN)
		puts("dry run: prepare succeeded in all participants (cancelled again)");
	return EXIT_OK;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmd_watch(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ 0 }
	};
	long timeout = -1, count = 0, seen = 0;
	enum luo_state cur, next;
	double deadline = 0;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "t:c:", false);
	while ((c = parser_next(&p)) != -1) {
		if (c == 't')
			r = parse_int_arg("--timeout", optarg, 0, INT32_MAX, &timeout);
		else
			r = parse_int_arg("--count", optarg, 1, INT32_MAX, &count);
		if (r >= 0)
			return r;
	}
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;

	err = luo_get_state(ctx, &cur);
	if (err)
		return fail(ctx, err);
	if (timeout >= 0)
		deadline = mono_now() + timeout / 1000.0;
	setvbuf(stdout, NULL, _IOLBF, 0);

	while (!count || seen < count) {
		int left = -1;

		if (timeout >= 0) {
			double l = (deadline - mono_now()) * 1000.0;

			left = l > 0 ? (int)(l + 0.5) : 0;
		}
		err = luo_wait_state_change(ctx, cur, &next, left);
		if (err == -ETIMEDOUT) {
			if (!count)
				return EXIT_OK;
			err_msg("timed out after %ld ms with %ld of %ld "
				"transitions seen", timeout, seen, count);
			return EXIT_FAILED;
		}
		if (err)
			return fail(ctx, err);
		printf("%.6f %s -> %s\n", mono_now(), luo_state_str(cur),
		       luo_state_str(next));
		cur = next;
		seen++;
	}
	return EXIT_OK;
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

static int cmd_stats(struct luo_ctx *ctx, int argc, char **argv)
{
	struct luo_timing *t = NULL;
	struct luo_failure f;
	uint64_t seq, bo;
	size_t nt = 0;
	int err, berr, ferr, terr;
	char buf[64];

	PARSE_SIMPLE(true, 0, 0);

	err = luo_get_sequence(ctx, &seq);
	if (err)
		return fail(ctx, err);
	berr = luo_get_blackout_ns(ctx, &bo);
	if (berr && berr != -ENOENT)
		return fail(ctx, berr);
	ferr = luo_get_last_failure(ctx, &f);
	if (ferr)
		return fail(ctx, ferr);
	terr = luo_get_timings(ctx, &t, &nt);
	if (terr && terr != -ENOENT)
		return fail(ctx, terr);

	if (g_json) {
		bool first = true;

		putchar('{');
		json_key("sequence", &first);
		printf("%" PRIu64, seq);
		json_key("last_blackout_ns", &first);
		if (berr)
			fputs("null", stdout);
		else
			printf("%" PRIu64, bo);
		json_key("last_failure", &first);
		json_failure(&f);
		json_key("timings", &first);
		if (terr) {
			fputs("null", stdout);
		} else {
			putchar('[');
			for (size_t i = 0; i < nt; i++) {
				bool f1 = true;

				if (i)
					putchar(',');
				putchar('{');
				json_key("name", &f1);
				json_str(t[i].name);
				json_key("kind", &f1);
				json_str(luo_kind_str(t[i].kind));
				json_key("priority", &f1);
				printf("%u", t[i].priority);
				json_key("event", &f1);
				json_str(t[i].event_str);
				json_key("ret", &f1);
				printf("%d", t[i].ret);
				json_key("duration_ns", &f1);
				printf("%" PRIu64, t[i].duration_ns);
				putchar('}');
			}
			putchar(']');
		}
		puts("}");
		free(t);
		return EXIT_OK;
	}

	printf("updates:        %" PRIu64 "\n", seq);
	if (berr) {
		printf("last blackout:  unknown\n");
	} else if (bo == 0) {
		printf("last blackout:  none\n");
	} else {
		fmt_ns(bo, buf, sizeof(buf));
		printf("last blackout:  %s (%" PRIu64 " ns)\n", buf, bo);
	}
	printf("last failure:   ");
	print_failure_text(&f);
	if (terr) {
		printf("timings:        unavailable (%s)\n", luo_errmsg(ctx));
	} else if (!nt) {
		printf("timings:        none recorded\n");
	} else {
		printf("\n%-24s %-6s %4s %-8s %-8s %14s\n", "PARTICIPANT", "KIND",
		       "PRIO", "EVENT", "RESULT", "DURATION");
		for (size_t i = 0; i < nt; i++) {
			const char *en = luo_errno_name(t[i].ret);
			char res[24];

			if (!t[i].ret)
				snprintf(res, sizeof(res), "ok");
			else if (en)
				snprintf(res, sizeof(res), "%s", en);
			else
				snprintf(res, sizeof(res), "%d", t[i].ret);
			fmt_ns(t[i].duration_ns, buf, sizeof(buf));
			printf("%-24s %-6s %4u %-8s %-8s %14s\n", t[i].name,
			       luo_kind_str(t[i].kind), t[i].priority,
			       t[i].event_str, res, buf);
		}
	}
	free(t);
	return EXIT_OK;
}

static int cmd_participants(struct luo_ctx *ctx, int argc, char **argv)
{
	struct luo_participant *pa;
	size_t n;
	int err;

	PARSE_SIMPLE(true, 0, 0);

	err = luo_get_participants(ctx, &pa, &n);
	if (err)
		return fail(ctx, err);
	if (g_json) {
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			bool first = true;

			if (i)
				putchar(',');
			putchar('{');
			json_key("priority", &first);
			printf("%u", pa[i].priority);
			json_key("kind", &first);
			json_str(luo_kind_str(pa[i].kind));
			json_key("name", &first);
			json_str(pa[i].name);
			putchar('}');
		}
		puts("]");
	} else {
		printf("%-4s %-6s %s\n", "PRIO", "KIND", "NAME");
		for (size_t i = 0; i < n; i++)
			printf("%-4u %-6s %s\n", pa[i].priority,
			       luo_kind_str(pa[i].kind), pa[i].name);
	}
	free(pa);
	return EXIT_OK;
}

static int check_policy_name(const char *name)
{
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strchr(name, '/'))
		return usage_err("invalid policy name '%s'", name);
	return -1;
}

static int cmd_policy_attach(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "name", required_argument, NULL, 'n' },
		{ 0 }
	};
	const char *name = NULL;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "n:", false);
	while ((c = parser_next(&p)) != -1)
		if (c == 'n')
			name = optarg;
	if (p.rc >= 0)
		return p.rc;
	if (optind >= argc)
		return usage_err("missing OBJ argument");
	r = want_args(&p, 1, 1);
	if (r >= 0)
		return r;
	if (name && (r = check_policy_name(name)) >= 0)
		return r;
	r = check_input_file("BPF object", argv[optind]);
	if (r >= 0)
		return r;
	err = luo_policy_attach(ctx, argv[optind], name);
	return err ? fail(ctx, err) : EXIT_OK;
}

static int cmd_policy_detach(struct luo_ctx *ctx, int argc, char **argv)
{
	int err;

	int r;

	PARSE_SIMPLE(false, 1, 1);
	r = check_policy_name(argv[optind]);
	if (r >= 0)
		return r;
	err = luo_policy_detach(ctx, argv[optind]);
	return err ? fail(ctx, err) : EXIT_OK;
}

static int cmd_policy_list(struct luo_ctx *ctx, int argc, char **argv)
{
	struct luo_policy *pol;
	size_t n;
	int err;

	PARSE_SIMPLE(true, 0, 0);
	err = luo_policy_list(ctx, &pol, &n);
	if (err)
		return fail(ctx, err);
	if (g_json) {
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			bool first = true;

			if (i)
				putchar(',');
			putchar('{');
			json_key("name", &first);
			json_str(pol[i].name);
			json_key("link_id", &first);
			printf("%u", pol[i].link_id);
			json_key("map_id", &first);
			printf("%u", pol[i].map_id);
			putchar('}');
		}
		puts("]");
	} else {
		printf("%-24s %8s %8s\n", "NAME", "LINK_ID", "MAP_ID");
		for (size_t i = 0; i < n; i++)
			printf("%-24s %8u %8u\n", pol[i].name, pol[i].link_id,
			       pol[i].map_id);
	}
	free(pol);
	return EXIT_OK;
}

/* ---------------------------------------------------------------- */
/* help texts                                                       */

#define EXIT_STATUS_TEXT						\
	"Exit status:\n"						\
	"  0  success\n"						\
	"  1  the operation failed (the kernel, a participant or a policy\n" \
	"     refused; the reason is printed)\n"			\
	"  2  usage error or invalid input; nothing was changed\n"	\
	"  3  wrong live update state for this operation\n"		\
	"  4  not supported by this kernel, or live update disabled\n"

static const char usage_main[] =
	"Usage: luoctl [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"Control the kernel Live Update Orchestrator (LUO): prepare the running\n"
	"system for a kexec based live update, perform it, and inspect the\n"
	"result.\n"
	"\n"
	"Commands:\n"
	"%s"
	"\n"
	"Global options:\n"
	"  --sysfs-root DIR    LUO sysfs directory (default /sys/kernel/liveupdate,\n"
	"                      environment: LUO_SYSFS_ROOT)\n"
	"  --debugfs-root DIR  LUO debugfs directory (default\n"
	"                      /sys/kernel/debug/liveupdate, env: LUO_DEBUGFS_ROOT)\n"
	"  --bpffs-dir DIR     where policies are pinned (default /sys/fs/bpf/luo,\n"
	"                      environment: LUO_BPFFS_DIR)\n"
	"  --json              machine readable output for read commands\n"
	"  -h, --help          show this help, or 'luoctl COMMAND --help'\n"
	"  -V, --version       show the version\n"
	"\n"
	"A typical update:\n"
	"  luoctl load /boot/vmlinuz-new --initrd /boot/initrd.img-new --reuse-cmdline\n"
	"  luoctl update --dry-run     # ask every participant, change nothing\n"
	"  luoctl update               # prepare and reboot into the new kernel\n"
	"  luoctl finish               # in the new kernel, once restored\n"
	"\n"
	EXIT_STATUS_TEXT;

static const char usage_status[] =
	"Usage: luoctl status [--json]\n"
	"\n"
	"Show the live update state (normal, prepared or updated), whether live\n"
	"update is enabled, the number of live updates performed so far, whether\n"
	"a kexec kernel is loaded, and the last recorded failure.\n"
	"\n"
	"Options:\n"
	"  --json      print one JSON object\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_prepare[] =
	"Usage: luoctl prepare\n"
	"\n"
	"Move from 'normal' to 'prepared': every participant saves the state it\n"
	"wants to preserve across the kexec, in priority order. If one refuses\n"
	"(or a BPF policy vetoes) nothing is kept prepared and the reason is\n"
	"printed, e.g.\n"
	"  luoctl: prepare refused by policy 'window': outside maintenance\n"
	"  window (EPERM)\n"
	"Undo with 'luoctl cancel'.\n"
	"\n"
	"Options:\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_cancel[] =
	"Usage: luoctl cancel\n"
	"\n"
	"Move from 'prepared' back to 'normal', releasing what the participants\n"
	"saved during prepare.\n"
	"\n"
	"Options:\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_finish[] =
	"Usage: luoctl finish\n"
	"\n"
	"In the new kernel, after all preserved resources were reclaimed, move\n"
	"from 'updated' to 'normal' so that leftovers are released and the next\n"
	"live update can start.\n"
	"\n"
	"Options:\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_reset[] =
	"Usage: luoctl reset\n"
	"\n"
	"Force the state machine back to 'normal' from any state. Meant for\n"
	"recovery; preserved state that was not reclaimed is discarded.\n"
	"\n"
	"Options:\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_load[] =
	"Usage: luoctl load KERNEL [--initrd FILE] [--cmdline STRING | --reuse-cmdline]\n"
	"                   [--check]\n"
	"\n"
	"Load KERNEL (a bzImage) as the target of the next live update with\n"
	"kexec_file_load(2). The image is validated first (exists, readable,\n"
	"'HdrS' signature at offset 0x202); invalid input is refused with exit\n"
	"status 2 and nothing is loaded. Needs CAP_SYS_BOOT.\n"
	"\n"
	"Options:\n"
	"  -i, --initrd FILE     initramfs to pass to the new kernel\n"
	"  -c, --cmdline STRING  kernel command line for the new kernel\n"
	"  -r, --reuse-cmdline   use the running kernel's /proc/cmdline\n"
	"  -n, --check           only validate the arguments, do not load\n"
	"  -h, --help            show this help\n"
	"\n"
	"Without --cmdline or --reuse-cmdline the new kernel gets an empty\n"
	"command line.\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_update[] =
	"Usage: luoctl update [--dry-run]\n"
	"\n"
	"Perform the live update: prepare (unless already prepared), sync the\n"
	"filesystems and reboot into the kernel loaded with 'luoctl load'. On\n"
	"success this command does not return. If the reboot fails, a prepare\n"
	"done by this command is cancelled again.\n"
	"\n"
	"Options:\n"
	"  -n, --dry-run  prepare, then cancel: checks that every participant\n"
	"                 and policy agrees, without rebooting\n"
	"  -h, --help     show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_watch[] =
	"Usage: luoctl watch [--timeout MS] [--count N]\n"
	"\n"
	"Print every state transition as it happens, one line each:\n"
	"  <monotonic seconds> <old state> -> <new state>\n"
	"\n"
	"Options:\n"
	"  -t, --timeout MS  stop after MS milliseconds (default: never)\n"
	"  -c, --count N     stop after N transitions; if the timeout expires\n"
	"                    first, exit with status 1\n"
	"  -h, --help        show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_stats[] =
	"Usage: luoctl stats [--json]\n"
	"\n"
	"Show the number of live updates performed, the blackout time of the\n"
	"last one, the last failure, and per-participant timings of the last\n"
	"update (from debugfs, if mounted).\n"
	"\n"
	"Options:\n"
	"  --json      print one JSON object\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_participants[] =
	"Usage: luoctl participants [--json]\n"
	"\n"
	"List the registered participants in the order they are called, with\n"
	"their priority (0..2) and kind (native kernel code or bpf).\n"
	"\n"
	"Options:\n"
	"  --json      print a JSON array\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

static const char usage_policy[] =
	"Usage: luoctl policy attach OBJ [--name NAME]\n"
	"       luoctl policy detach NAME\n"
	"       luoctl policy list [--json]\n"
	"\n"
	"Manage BPF struct_ops policies that can veto or observe live updates.\n"
	"\n"
	"  attach  load the BPF object OBJ, attach each of its struct_ops maps\n"
	"          (declared in SEC(\".struct_ops.link\")) and pin the link in the\n"
	"          bpffs directory as NAME (default: the map's name)\n"
	"  detach  detach the policy pinned as NAME and remove the pin\n"
	"  list    list the pinned policies\n"
	"\n"
	"Options:\n"
	"  -n, --name NAME  pin name for attach\n"
	"  --json           JSON output for list\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status 4 if luoctl was built without libbpf.\n"
	"\n" EXIT_STATUS_TEXT;

static const struct cmd policy_cmds[] = {
	{ "attach", cmd_policy_attach, NULL, usage_policy, false },
	{ "detach", cmd_policy_detach, NULL, usage_policy, false },
	{ "list", cmd_policy_list, NULL, usage_policy, false },
	{ 0 }
};

static int cmd_policy(struct luo_ctx *ctx, int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2)
		return usage_err("missing policy subcommand (attach, detach, list)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_policy, stdout);
		return EXIT_OK;
	}
	for (c = policy_cmds; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->fn(ctx, argc - 1, argv + 1);
	return usage_err("unknown policy subcommand '%s'", argv[1]);
}

static const struct cmd cmds[] = {
	{ "status", cmd_status, "show state, enabled, update count, last failure",
	  usage_status, true },
	{ "prepare", cmd_prepare, "normal -> prepared", usage_prepare, true },
	{ "cancel", cmd_cancel, "prepared -> normal", usage_cancel, true },
	{ "finish", cmd_finish, "updated -> normal (in the new kernel)",
	  usage_finish, true },
	{ "reset", cmd_reset, "force the state back to normal", usage_reset, true },
	{ "load", cmd_load, "load the kernel to update to (kexec_file_load)",
	  usage_load, false },
	{ "update", cmd_update, "prepare and reboot into the loaded kernel",
	  usage_update, true },
	{ "watch", cmd_watch, "print state transitions as they happen",
	  usage_watch, true },
	{ "stats", cmd_stats, "update count, blackout, failure, timings",
	  usage_stats, true },
	{ "participants", cmd_participants, "list participants in call order",
	  usage_participants, true },
	{ "policy", cmd_policy, "attach, detach or list BPF policies",
	  usage_policy, false },
	{ 0 }
};

static void print_main_usage(FILE *f)
{
	char list[2048];
	size_t off = 0;

	list[0] = '\0';
	for (const struct cmd *c = cmds; c->name; c++)
		off += snprintf(list + off, sizeof(list) - off, "  %-13s %s\n",
				c->name, c->summary);
	fprintf(f, usage_main, list);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "sysfs-root", required_argument, NULL, 's' },
		{ "debugfs-root", required_argument, NULL, 'd' },
		{ "bpffs-dir", required_argument, NULL, 'b' },
		{ 0 }
	};
	struct luo_ctx_opts opts = { .sz = sizeof(opts) };
	const struct cmd *cmd;
	struct luo_ctx *ctx;
	struct stat st;
	int c, rc;

	opts.sysfs_root = getenv("LUO_SYSFS_ROOT");
	opts.debugfs_root = getenv("LUO_DEBUGFS_ROOT");
	opts.bpffs_dir = getenv("LUO_BPFFS_DIR");

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", lo, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_main_usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("luoctl %s\n", LUOCTL_VERSION);
			return EXIT_OK;
		case 'j':
			g_json = true;
			break;
		case 's':
			opts.sysfs_root = optarg;
			break;
		case 'd':
			opts.debugfs_root = optarg;
			break;
		case 'b':
			opts.bpffs_dir = optarg;
			break;
		default:
			if (optopt && optopt < 0x100)
				return usage_err("unknown option '-%c'", optopt);
			return usage_err("unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		print_main_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		if (optind + 1 >= argc) {
			print_main_usage(stdout);
			return EXIT_OK;
		}
		optind++;
		for (cmd = cmds; cmd->name; cmd++)
			if (!strcmp(cmd->name, argv[optind])) {
				fputs(cmd->usage, stdout);
				return EXIT_OK;
			}
		return usage_err("unknown command '%s'", argv[optind]);
	}
	for (cmd = cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, argv[optind]))
			break;
	if (!cmd->name)
		return usage_err("unknown command '%s'", argv[optind]);
	cur_cmd = cmd;

	ctx = luo_ctx_new(&opts);
	if (!ctx) {
		err_msg("cannot create context: %s", strerror(errno));
		return EXIT_FAILED;
	}

	/* a missing LUO directory means the kernel has no live update;
	 * --help must still work, so only check when really running */
	if (cmd->needs_sysfs && stat(luo_sysfs_root(ctx), &st) && errno == ENOENT) {
		bool help = false;

		for (int i = optind + 1; i < argc; i++)
			if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
				help = true;
		if (!help) {
			err_msg("%s not found: this kernel has no live update "
				"support (CONFIG_LIVEUPDATE)", luo_sysfs_root(ctx));
			luo_ctx_free(ctx);
			return EXIT_NOTSUPP;
		}
	}

	rc = cmd->fn(ctx, argc - optind, argv + optind);
	luo_ctx_free(ctx);
	if (fflush(stdout) && rc == EXIT_OK) {
		err_msg("write error: %s", strerror(errno));
		rc = EXIT_FAILED;
	}
	return rc;
}
