/* SPDX-License-Identifier: GPL-2.0 */
/* luoctl internals, shared by its files (see main.c). */
#ifndef __LUOCTL_H
#define __LUOCTL_H

#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "luo.h"

/* Exit status, documented in EXIT_STATUS_TEXT, README.md and luoctl(8). */
enum {
	EXIT_OK		= 0,
	EXIT_FAILED	= 1,	/* any other failure */
	EXIT_USAGE	= 2,	/* usage error or invalid input */
	EXIT_STATE	= 3,	/* wrong state for a transition (EBUSY) */
	EXIT_NOTSUPP	= 4,	/* not supported, live update disabled */
	EXIT_POLICY	= 5,	/* a BPF policy vetoed */
	EXIT_PARTICIPANT = 6,	/* a participant failed */
	EXIT_PERM	= 7,	/* not allowed (EPERM, EACCES) */
};

/* version of every JSON object printed, first member "schema" */
#define LUOCTL_JSON_SCHEMA 1

struct cmd {
	const char *name;
	int (*fn)(struct luo_ctx *ctx, int argc, char **argv);
	const char *summary;
	const char *usage;
	bool needs_sysfs;
};

extern const struct cmd *cur_cmd;
extern bool g_json;
extern bool g_debug;	/* -d: libbpf's and the verifier's messages */

/* opts.c */
#define OPT_HELP 'h'
#define OPT_JSON 0x100

/* Parse the options of a command. @extra is appended with --help and
 * --json. Returns -1 when done, an option char otherwise; help and usage
 * errors are handled here and reported via p->rc. */
struct parser {
	int argc;
	char **argv;
	struct option lo[12];
	char so[32];
	int rc;		/* >= 0: stop and exit with this */
};

void parser_init(struct parser *p, int argc, char **argv,
		 const struct option *extra, const char *short_extra);
int parser_next(struct parser *p);
/* positional arguments after options: check the count */
int want_args(struct parser *p, int min, int max);
int parse_int_arg(const char *opt, const char *s, long min, long max,
		  long *out);

#define PARSE_SIMPLE(min, max)						\
	do {								\
		struct parser p;					\
		int c_, r_;						\
		parser_init(&p, argc, argv, NULL, NULL);		\
		while ((c_ = parser_next(&p)) != -1)			\
			;						\
		if (p.rc >= 0)						\
			return p.rc;					\
		r_ = want_args(&p, min, max);				\
		if (r_ >= 0)						\
			return r_;					\
	} while (0)

/* lease.c: the prepare lease */
/* luoctl update's lease unless --lease says otherwise */
#define UPDATE_LEASE_DEFAULT_MS	60000U
/* N[ms|s|m|h] (a bare number is seconds) into *@ms, at most
 * LUO_PREPARE_LEASE_MAX_MS: -1 if valid, else the usage error's exit code */
int parse_duration_ms(const char *opt, const char *s, uint32_t *ms);
/* report a failed lease read or write (no lease in the kernel: status 4) */
int lease_fail(struct luo_ctx *ctx, int err);
/* write back the value read before a failed step; warns if that fails */
void lease_restore(struct luo_ctx *ctx, uint32_t old);

/* Writes the lease again every third of it, from a thread of its own. */
struct lease_renewer {
	struct luo_ctx *ctx;		/* the thread's own */
	uint32_t ms;
	bool running, stop;
	unsigned int renewals;
	int last_err;			/* of the last failed renewal */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* @ms 0: no thread. Returns 0 or a negative errno. */
int lease_renew_start(struct lease_renewer *r, struct luo_ctx *ctx, uint32_t ms);
/* stop and join the thread; no-op if none runs */
void lease_renew_stop(struct lease_renewer *r);

/* output.c: errors and exit codes */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* report @err (negative errno) with a message; returns @rc */
int report_error(int err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* report the last library failure on @ctx; returns its exit code */
int fail(struct luo_ctx *ctx, int err);
int exit_code(struct luo_ctx *ctx, int err);

/* output.c: text and JSON */
#define TEXT_MAX 2048
const char *clean_text(const char *s, char *buf, size_t sz);
void json_bool(bool v);
void json_str_or_null(const char *s);
void json_failure(const struct luo_failure *f);
void print_failure_text(const struct luo_failure *f);
/* an input file: -1 if usable, else the usage error's exit code */
int check_input_file(const char *what, const char *path);
void json_str(const char *s);
void json_key(const char *k, bool *first);
void json_begin(bool *first);
void json_elem(size_t i, bool *first);
void json_end(void);
void json_result(const char *command);
void json_load_result(const char *cmdline, const char *warning, bool check);

struct status_info {
	enum luo_state state;
	bool have_enabled, enabled;
	bool have_seq;
	uint64_t seq;
	int kexec_loaded;		/* 1, 0 or -errno */
	bool have_failure;
	struct luo_failure failure;
	bool have_lease;		/* false: kernel without the lease */
	uint32_t lease_ms;
};

struct stats_info {
	bool enabled;
	enum luo_state state;
	uint64_t seq;
	bool have_blackout;
	uint64_t blackout_ns;
	struct luo_phase *phases;	/* NULL: unknown (older kernel) */
	size_t nphases;
	struct luo_failure failure;
	struct luo_timing *timings;	/* NULL: unavailable */
	size_t ntimings;
	const char *timings_err;	/* why unavailable */
	struct luo_exit *exits;		/* ejected BPF instances */
	size_t nexits;
};

void print_status(const struct status_info *si);
void print_stats(const struct stats_info *si);
/* the commands, one file per group */
typedef int cmd_fn(struct luo_ctx *ctx, int argc, char **argv);
cmd_fn cmd_status, cmd_prepare, cmd_cancel, cmd_finish, cmd_reset;	/* state.c */
cmd_fn cmd_load, cmd_unload, cmd_update;				/* kexec.c */
cmd_fn cmd_stats, cmd_participants;					/* observe.c */
cmd_fn cmd_watch;							/* watch.c */
cmd_fn cmd_policy;							/* policy.c */
/* route libbpf's messages to stderr under -d, nowhere otherwise */
void policy_debug_init(void);
/* run @op, a transition without options (state.c) */
int simple_op(struct luo_ctx *ctx, int argc, char **argv,
	      int (*op)(struct luo_ctx *));
/* run @op after the options were parsed, report its result */
int run_op(struct luo_ctx *ctx, int (*op)(struct luo_ctx *));
/* prometheus.c */
void print_prometheus(const struct stats_info *si);
void print_participants(const struct luo_participant *pa, size_t n,
			size_t omitted);
void print_policies(const struct luo_policy *pol, size_t n);
void print_transition(double t, enum luo_state from, enum luo_state to);
void print_dry_run(bool already_prepared);

/* help.c */
extern const char usage_main[], usage_status[], usage_prepare[],
	usage_cancel[], usage_finish[], usage_reset[], usage_load[], usage_unload[],
	usage_update[], usage_watch[], usage_stats[], usage_participants[],
	usage_policy[];

#endif
