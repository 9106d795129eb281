// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Host unit tests for libluo and luoctl, run against a fake LUO sysfs
 * tree of regular files in a mkdtemp() directory. Output is KTAP/TAP.
 *
 *   test_libluo [PATH_TO_LUOCTL]
 *
 * Never calls kexec_file_load() or reboot(): kexec tests only use
 * LUO_KEXEC_CHECK_ONLY or invalid input, update tests only --dry-run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../luo.h"

/* ---------------------------------------------------------------- */
/* error injection: replaces the library's luo_write_attr() (static link) */

static char inject_file[64];	/* basename to fail, "" = none */
static int inject_err;
static int inject_calls;

int luo_write_attr(const char *path, const char *val);
int luo_write_attr(const char *path, const char *val)
{
	const char *base = strrchr(path, '/');
	size_t len = strlen(val);
	int fd, err = 0;

	base = base ? base + 1 : path;
	if (inject_file[0] && !strcmp(base, inject_file)) {
		inject_calls++;
		return inject_err;
	}
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

/* ---------------------------------------------------------------- */
/* tiny test harness                                                */

static char fail_reason[512];
static const char *luoctl_path;

static char root[256];		/* tmp dir */
static char sysfs[300];		/* root/liveupdate */
static char debugfs[300];	/* root/debug */
static char bpffs[300];		/* root/bpf */
static struct luo_ctx *ctx;

#define FAIL(...)							\
	do {								\
		snprintf(fail_reason, sizeof(fail_reason), __VA_ARGS__); \
		return;							\
	} while (0)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			FAIL("line %d: %s", __LINE__, #cond);		\
	} while (0)

#define CHECK_ERR(expr, want)						\
	do {								\
		int r_ = (expr);					\
		if (r_ != (want))					\
			FAIL("line %d: %s = %d (%s), want %d", __LINE__, \
			     #expr, r_, luo_errmsg(ctx), (want));	\
	} while (0)

#define CHECK_MSG(sub)							\
	do {								\
		if (!strstr(luo_errmsg(ctx), (sub)))			\
			FAIL("line %d: message '%s' lacks '%s'", __LINE__, \
			     luo_errmsg(ctx), (sub));			\
	} while (0)

static void put(const char *dir, const char *name, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(content, f);
	fclose(f);
}

static void get(const char *dir, const char *name, char *buf, size_t sz)
{
	char path[512];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return;
	n = fread(buf, 1, sz - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void rm(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

/* replace a file by a directory: writes and reads then fail */
static void make_dir_instead(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	mkdir(path, 0755);
}

static int rm_cb(const char *p, const struct stat *s, int t, struct FTW *f)
{
	(void)s; (void)t; (void)f;
	return remove(p);
}

static void setup(void)
{
	struct luo_ctx_opts opts = { .sz = sizeof(opts) };

	snprintf(root, sizeof(root), "%s/luotest.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(sysfs, sizeof(sysfs), "%s/liveupdate", root);
	snprintf(debugfs, sizeof(debugfs), "%s/debug", root);
	snprintf(bpffs, sizeof(bpffs), "%s/bpf", root);
	mkdir(sysfs, 0755);
	mkdir(debugfs, 0755);

	put(sysfs, "state", "normal\n");
	put(sysfs, "enabled", "1\n");
	put(sysfs, "prepare", "");
	put(sysfs, "finish", "");
	put(sysfs, "cancel", "");
	put(sysfs, "reset", "");
	put(sysfs, "last_failure", "none\n");
	put(sysfs, "sequence", "0\n");
	put(sysfs, "last_blackout_ns", "0\n");
	put(sysfs, "participants", "0 native memfd\n1 native kvm\n2 bpf window\n");
	put(root, "kexec_loaded", "0\n");

	opts.sysfs_root = sysfs;
	opts.debugfs_root = debugfs;
	opts.bpffs_dir = bpffs;
	ctx = luo_ctx_new(&opts);
	if (!ctx) {
		perror("luo_ctx_new");
		exit(2);
	}
	inject_file[0] = '\0';
	inject_err = 0;
	inject_calls = 0;
}

static void teardown(void)
{
	luo_ctx_free(ctx);
	ctx = NULL;
	nftw(root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* a file that passes the bzImage check (never passed to the kernel) */
static void make_fake_bzimage(const char *name)
{
	char buf[0x400] = { 0 };
	char path[512];
	FILE *f;

	memcpy(buf + 0x202, "HdrS", 4);
	snprintf(path, sizeof(path), "%s/%s", root, name);
	f = fopen(path, "w");
	fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
}

/* run luoctl; stdout/stderr captured into out/errbuf */
static char out[8192], errbuf[8192];

static int run_luoctl(const char *first, ...)
{
	char *argv[32];
	char opath[512], epath[512];
	int argc = 0, status, fd;
	const char *a;
	va_list ap;
	pid_t pid;

	argv[argc++] = (char *)luoctl_path;
	va_start(ap, first);
	for (a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;

	snprintf(opath, sizeof(opath), "%s/.out", root);
	snprintf(epath, sizeof(epath), "%s/.err", root);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fd = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		close(fd);
		fd = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		close(fd);
		setenv("LUO_SYSFS_ROOT", sysfs, 1);
		setenv("LUO_DEBUGFS_ROOT", debugfs, 1);
		setenv("LUO_BPFFS_DIR", bpffs, 1);
		execv(luoctl_path, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	get(root, ".out", out, sizeof(out));
	get(root, ".err", errbuf, sizeof(errbuf));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define CHECK_RUN(want, ...)						\
	do {								\
		int rc_ = run_luoctl(__VA_ARGS__, NULL);		\
		if (rc_ != (want))					\
			FAIL("line %d: luoctl exit %d, want %d; stderr: %.200s", \
			     __LINE__, rc_, (want), errbuf);		\
	} while (0)

#define CHECK_OUT(buf, sub)						\
	do {								\
		if (!strstr((buf), (sub)))				\
			FAIL("line %d: output lacks '%s': %.300s",	\
			     __LINE__, (sub), (buf));			\
	} while (0)

/* ---------------------------------------------------------------- */
/* library: parsing                                                  */

static void t_state_values(void)
{
	static const struct { const char *txt; enum luo_state st; } v[] = {
		{ "normal\n", LUO_STATE_NORMAL },
		{ "prepared\n", LUO_STATE_PREPARED },
		{ "updated\n", LUO_STATE_UPDATED },
		{ "updated", LUO_STATE_UPDATED },
	};
	enum luo_state st;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		put(sysfs, "state", v[i].txt);
		CHECK_ERR(luo_get_state(ctx, &st), 0);
		CHECK(st == v[i].st);
		CHECK(!strcmp(luo_state_str(st), v[i].txt[0] == 'n' ? "normal" :
			      v[i].txt[0] == 'p' ? "prepared" : "updated"));
		CHECK(luo_errmsg(ctx)[0] == '\0');
	}
}

static void t_state_garbage(void)
{
	enum luo_state st = LUO_STATE_NORMAL;

	put(sysfs, "state", "frobnicated\n");
	CHECK_ERR(luo_get_state(ctx, &st), -EPROTO);
	CHECK_MSG("frobnicated");
	put(sysfs, "state", "");
	CHECK_ERR(luo_get_state(ctx, &st), -EPROTO);
	put(sysfs, "state", "normalx\n");
	CHECK_ERR(luo_get_state(ctx, &st), -EPROTO);
	CHECK(luo_state_from_str("prepared \n") == LUO_STATE_PREPARED);
	CHECK(luo_state_from_str("Prepared") == LUO_STATE_UNKNOWN);
	CHECK(!strcmp(luo_state_str(LUO_STATE_UNKNOWN), "unknown"));
}

static void t_state_missing(void)
{
	enum luo_state st;
	char want[400];

	rm(sysfs, "state");
	snprintf(want, sizeof(want), "%s/state", sysfs);
	CHECK_ERR(luo_get_state(ctx, &st), -ENOENT);
	CHECK_MSG(want);
	CHECK_MSG("ENOENT");
}

static void t_enabled(void)
{
	bool en = false;

	CHECK_ERR(luo_get_enabled(ctx, &en), 0);
	CHECK(en);
	put(sysfs, "enabled", "0\n");
	CHECK_ERR(luo_get_enabled(ctx, &en), 0);
	CHECK(!en);
	put(sysfs, "enabled", "yes\n");
	CHECK_ERR(luo_get_enabled(ctx, &en), -EPROTO);
	CHECK_MSG("enabled");
	rm(sysfs, "enabled");
	CHECK_ERR(luo_get_enabled(ctx, &en), -ENOENT);
	CHECK_MSG("enabled");
}

static void t_sequence(void)
{
	uint64_t v = 1;

	CHECK_ERR(luo_get_sequence(ctx, &v), 0);
	CHECK(v == 0);
	put(sysfs, "sequence", "18446744073709551615\n");
	CHECK_ERR(luo_get_sequence(ctx, &v), 0);
	CHECK(v == UINT64_MAX);
	put(sysfs, "sequence", "18446744073709551616\n");
	CHECK(luo_get_sequence(ctx, &v) < 0);
	put(sysfs, "sequence", "-1\n");
	CHECK_ERR(luo_get_sequence(ctx, &v), -EPROTO);
	put(sysfs, "sequence", "12abc\n");
	CHECK_ERR(luo_get_sequence(ctx, &v), -EPROTO);
	CHECK_MSG("sequence");
}

static void t_blackout(void)
{
	uint64_t v = 0;

	put(sysfs, "last_blackout_ns", "1234567\n");
	CHECK_ERR(luo_get_blackout_ns(ctx, &v), 0);
	CHECK(v == 1234567);
	rm(sysfs, "last_blackout_ns");
	CHECK_ERR(luo_get_blackout_ns(ctx, &v), -ENOENT);
	CHECK_MSG("unknown");
}

static void t_failure_none(void)
{
	struct luo_failure f;

	f.present = true;
	CHECK_ERR(luo_get_last_failure(ctx, &f), 0);
	CHECK(!f.present);
}

static void t_failure_reason(void)
{
	struct luo_failure f;
	char buf[512];

	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "reason=outside maintenance window (next: 02:00 a=b)\n");
	CHECK_ERR(luo_get_last_failure(ctx, &f), 0);
	CHECK(f.present);
	CHECK(f.event == LUO_EVENT_PREPARE);
	CHECK(!strcmp(f.event_str, "prepare"));
	CHECK(!strcmp(f.participant, "window"));
	CHECK(f.err == -EPERM);
	CHECK(f.has_reason);
	CHECK(!strcmp(f.reason, "outside maintenance window (next: 02:00 a=b)"));

	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "reason=outside maintenance window\n");
	CHECK_ERR(luo_get_last_failure(ctx, &f), 0);
	luo_failure_describe(&f, buf, sizeof(buf));
	CHECK(!strcmp(buf, "refused by policy 'window': outside "
		      "maintenance window (EPERM)"));
}

static void t_failure_noreason(void)
{
	struct luo_failure f;
	char buf[512];

	put(sysfs, "last_failure", "event=reboot participant=kvm errno=-16\n");
	CHECK_ERR(luo_get_last_failure(ctx, &f), 0);
	CHECK(f.present && f.event == LUO_EVENT_REBOOT);
	CHECK(!strcmp(f.participant, "kvm"));
	CHECK(f.err == -EBUSY);
	CHECK(!f.has_reason && !f.reason[0]);
	luo_failure_describe(&f, buf, sizeof(buf));
	CHECK(strstr(buf, "'kvm'") && strstr(buf, "(EBUSY)"));

	/* every event name, unknown ones kept verbatim */
	CHECK(!luo_parse_failure("event=finish participant=a errno=-5", &f));
	CHECK(f.event == LUO_EVENT_FINISH && f.err == -EIO);
	CHECK(!luo_parse_failure("event=cancel participant=a errno=-12", &f));
	CHECK(f.event == LUO_EVENT_CANCEL);
	CHECK(!luo_parse_failure("event=freeze participant=a errno=-12", &f));
	CHECK(f.event == LUO_EVENT_UNKNOWN && !strcmp(f.event_str, "freeze"));
	/* reason= with nothing after it */
	CHECK(!luo_parse_failure("event=prepare participant=a errno=-1 reason=", &f));
	CHECK(f.has_reason && !f.reason[0]);
}

static void t_failure_garbage(void)
{
	struct luo_failure f;

	put(sysfs, "last_failure", "something went wrong\n");
	CHECK_ERR(luo_get_last_failure(ctx, &f), -EPROTO);
	CHECK_MSG("last_failure");
	CHECK(luo_parse_failure("event=prepare errno=-1", &f) == -EINVAL);
	CHECK(luo_parse_failure("event=prepare participant=x errno=abc", &f) == -EINVAL);
	CHECK(luo_parse_failure("event=prepare participant= errno=-1", &f) == -EINVAL);
	CHECK(luo_parse_failure("", &f) == -EINVAL);
	rm(sysfs, "last_failure");
	CHECK_ERR(luo_get_last_failure(ctx, &f), -ENOENT);
	CHECK_MSG("last_failure");
}

static void t_participants(void)
{
	struct luo_participant *p = NULL;
	size_t n = 0;

	put(sysfs, "participants", "0 native memfd\n\n1 bpf window\n2 future x\n");
	CHECK_ERR(luo_get_participants(ctx, &p, &n), 0);
	CHECK(n == 3);
	CHECK(p[0].priority == 0 && p[0].kind == LUO_KIND_NATIVE &&
	      !strcmp(p[0].name, "memfd"));
	CHECK(p[1].priority == 1 && p[1].kind == LUO_KIND_BPF &&
	      !strcmp(p[1].name, "window"));
	CHECK(p[2].priority == 2 && p[2].kind == LUO_KIND_UNKNOWN);
	free(p);

	put(sysfs, "participants", "");
	CHECK_ERR(luo_get_participants(ctx, &p, &n), 0);
	CHECK(n == 0);
	free(p);
}

static void t_participants_bad(void)
{
	struct luo_participant *p = NULL;
	size_t n = 0;

	put(sysfs, "participants", "0 native memfd\nx native kvm\n");
	CHECK_ERR(luo_get_participants(ctx, &p, &n), -EPROTO);
	CHECK_MSG("participants:2");
	put(sysfs, "participants", "0 native\n");
	CHECK_ERR(luo_get_participants(ctx, &p, &n), -EPROTO);
	put(sysfs, "participants", "0 native a b\n");
	CHECK_ERR(luo_get_participants(ctx, &p, &n), -EPROTO);
	rm(sysfs, "participants");
	CHECK_ERR(luo_get_participants(ctx, &p, &n), -ENOENT);
	CHECK_MSG("participants");
}

static int stop_at_second(const struct luo_participant *p, void *data)
{
	int *cnt = data;

	(void)p;
	return ++*cnt == 2 ? 42 : 0;
}

static void t_participants_cb(void)
{
	int cnt = 0;

	CHECK_ERR(luo_foreach_participant(ctx, stop_at_second, &cnt), 42);
	CHECK(cnt == 2);
}

static void t_timings(void)
{
	struct luo_timing *t = NULL;
	size_t n = 0;

	put(debugfs, "last_update",
	    "memfd native 0 prepare 0 12000\n"
	    "window bpf 2 prepare -1 900\n"
	    "kvm native 1 reboot 0 18446744073709551615\n");
	CHECK_ERR(luo_get_timings(ctx, &t, &n), 0);
	CHECK(n == 3);
	CHECK(!strcmp(t[0].name, "memfd") && t[0].kind == LUO_KIND_NATIVE &&
	      t[0].priority == 0 && t[0].event == LUO_EVENT_PREPARE &&
	      t[0].ret == 0 && t[0].duration_ns == 12000);
	CHECK(t[1].kind == LUO_KIND_BPF && t[1].ret == -EPERM && t[1].priority == 2);
	CHECK(t[2].event == LUO_EVENT_REBOOT && t[2].duration_ns == UINT64_MAX);
	free(t);
}

static void t_timings_bad(void)
{
	struct luo_timing *t = NULL;
	size_t n = 0;

	put(debugfs, "last_update", "memfd native 0 prepare 0\n");
	CHECK_ERR(luo_get_timings(ctx, &t, &n), -EPROTO);
	CHECK_MSG("last_update:1");
	put(debugfs, "last_update", "memfd native 0 prepare zero 10\n");
	CHECK_ERR(luo_get_timings(ctx, &t, &n), -EPROTO);
	put(debugfs, "last_update", "memfd native 0 prepare 0 -10\n");
	CHECK_ERR(luo_get_timings(ctx, &t, &n), -EPROTO);
	rm(debugfs, "last_update");
	CHECK_ERR(luo_get_timings(ctx, &t, &n), -ENOENT);
	CHECK_MSG("last_update");
}

/* ---------------------------------------------------------------- */
/* library: transitions and error paths                              */

static void t_transitions_write(void)
{
	char buf[32];

	CHECK_ERR(luo_prepare(ctx), 0);
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	CHECK_ERR(luo_cancel(ctx), 0);
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	CHECK_ERR(luo_finish(ctx), 0);
	get(sysfs, "finish", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	CHECK_ERR(luo_reset(ctx), 0);
	get(sysfs, "reset", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
}

static void t_cancel_fallback(void)
{
	char buf[32];

	rm(sysfs, "cancel");
	CHECK_ERR(luo_cancel(ctx), 0);
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!strcmp(buf, "0"));
}

static void t_write_missing(void)
{
	char want[400];

	rm(sysfs, "prepare");
	snprintf(want, sizeof(want), "%s/prepare", sysfs);
	CHECK_ERR(luo_prepare(ctx), -ENOENT);
	CHECK_MSG(want);
	rm(sysfs, "finish");
	CHECK_ERR(luo_finish(ctx), -ENOENT);
	CHECK_MSG("finish");
}

static void t_write_unwritable(void)
{
	make_dir_instead(sysfs, "prepare");
	CHECK_ERR(luo_prepare(ctx), -EISDIR);
	CHECK_MSG("prepare");
	make_dir_instead(sysfs, "reset");
	CHECK_ERR(luo_reset(ctx), -EISDIR);
	CHECK_MSG("reset");
	make_dir_instead(sysfs, "state");
	{
		enum luo_state st;

		CHECK(luo_get_state(ctx, &st) == -EISDIR);
		CHECK_MSG("state");
	}
}

static void t_prepare_refused(void)
{
	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "reason=outside maintenance window\n");
	strcpy(inject_file, "prepare");
	inject_err = -EPERM;
	CHECK_ERR(luo_prepare(ctx), -EPERM);
	CHECK(!strcmp(luo_errmsg(ctx), "prepare refused by policy "
		      "'window': outside maintenance window (EPERM)"));

	put(sysfs, "last_failure", "event=prepare participant=kvm errno=-12\n");
	inject_err = -ENOMEM;
	CHECK_ERR(luo_prepare(ctx), -ENOMEM);
	CHECK_MSG("participant 'kvm'");
	CHECK_MSG("ENOMEM");

	/* stale record of another event: generic message */
	put(sysfs, "last_failure", "event=finish participant=kvm errno=-12\n");
	CHECK_ERR(luo_prepare(ctx), -ENOMEM);
	CHECK_MSG("prepare failed");
	CHECK(!strstr(luo_errmsg(ctx), "kvm"));
}

static void t_kernel_errnos(void)
{
	strcpy(inject_file, "prepare");
	put(sysfs, "state", "prepared\n");
	inject_err = -EBUSY;
	CHECK_ERR(luo_prepare(ctx), -EBUSY);
	CHECK_MSG("'prepared'");
	CHECK_MSG("EBUSY");
	inject_err = -EOPNOTSUPP;
	CHECK_ERR(luo_prepare(ctx), -EOPNOTSUPP);
	CHECK_MSG("disabled");
	inject_err = -EINVAL;
	CHECK_ERR(luo_prepare(ctx), -EINVAL);
	CHECK_MSG("EINVAL");
	inject_err = -EINTR;
	CHECK_ERR(luo_prepare(ctx), -EINTR);
	CHECK_MSG("interrupted");
	strcpy(inject_file, "finish");
	inject_err = -EBUSY;
	put(sysfs, "state", "normal\n");
	CHECK_ERR(luo_finish(ctx), -EBUSY);
	CHECK_MSG("is 'normal', expected 'updated'");
}

static void t_errmsg_cleared(void)
{
	enum luo_state st;

	rm(sysfs, "sequence");
	{
		uint64_t v;

		CHECK(luo_get_sequence(ctx, &v) == -ENOENT);
	}
	CHECK(luo_errmsg(ctx)[0]);
	CHECK_ERR(luo_get_state(ctx, &st), 0);
	CHECK(luo_errmsg(ctx)[0] == '\0');
}

static void t_errno_names(void)
{
	CHECK(!strcmp(luo_errno_name(-EPERM), "EPERM"));
	CHECK(!strcmp(luo_errno_name(EBUSY), "EBUSY"));
	CHECK(!strcmp(luo_errno_name(-EOPNOTSUPP), "EOPNOTSUPP"));
	CHECK(!strcmp(luo_errno_name(-524), "ENOTSUPP"));
	CHECK(luo_errno_name(-9999) == NULL);
}

static void t_ctx_opts(void)
{
	struct { struct luo_ctx_opts o; long extra; } big = { 0 };
	struct luo_ctx_opts small = { .sz = 4 };
	struct luo_ctx *c;

	c = luo_ctx_new(NULL);
	CHECK(c && !strcmp(luo_sysfs_root(c), "/sys/kernel/liveupdate"));
	CHECK(!strcmp(luo_bpffs_dir(c), "/sys/fs/bpf/luo"));
	CHECK(!strcmp(luo_debugfs_root(c), "/sys/kernel/debug/liveupdate"));
	luo_ctx_free(c);
	errno = 0;
	CHECK(luo_ctx_new(&small) == NULL && errno == EINVAL);
	big.o.sz = sizeof(big);
	c = luo_ctx_new(&big.o);
	CHECK(c != NULL);
	luo_ctx_free(c);
	big.extra = 1;
	errno = 0;
	CHECK(luo_ctx_new(&big.o) == NULL && errno == EINVAL);
}

/* ---------------------------------------------------------------- */
/* wait                                                              */

static long ms_since(struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void t_wait_timeout(void)
{
	enum luo_state st = LUO_STATE_UNKNOWN;
	struct timespec t0;
	long el;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_ERR(luo_wait_state_change(ctx, LUO_STATE_NORMAL, &st, 300), -ETIMEDOUT);
	el = ms_since(&t0);
	if (el < 280 || el > 2000)
		FAIL("timed out after %ld ms, expected ~300", el);
	CHECK(st == LUO_STATE_UNKNOWN);
	/* already different: immediate, even with timeout 0 */
	CHECK_ERR(luo_wait_state_change(ctx, LUO_STATE_PREPARED, &st, 0), 0);
	CHECK(st == LUO_STATE_NORMAL);
	rm(sysfs, "state");
	CHECK_ERR(luo_wait_state_change(ctx, LUO_STATE_NORMAL, &st, 10), -ENOENT);
	CHECK_MSG("state");
}

static void t_wait_change(void)
{
	enum luo_state st = LUO_STATE_UNKNOWN;
	struct timespec t0;
	pid_t pid;
	int status;
	long el;

	pid = fork();
	if (pid == 0) {
		usleep(150 * 1000);
		put(sysfs, "state", "prepared\n");
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_ERR(luo_wait_state_change(ctx, LUO_STATE_NORMAL, &st, 5000), 0);
	el = ms_since(&t0);
	waitpid(pid, &status, 0);
	CHECK(st == LUO_STATE_PREPARED);
	if (el > 2000)
		FAIL("change noticed only after %ld ms", el);
}

/* ---------------------------------------------------------------- */
/* kexec / update (never reaching kexec_file_load or reboot)         */

static void t_kexec_check(void)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/nope", root);
	CHECK_ERR(luo_kexec_check_image(ctx, path), -ENOENT);
	CHECK_MSG("nope");
	put(root, "notakernel", "#!/bin/sh\necho hi\n");
	snprintf(path, sizeof(path), "%s/notakernel", root);
	CHECK_ERR(luo_kexec_check_image(ctx, path), -ENOEXEC);
	CHECK_MSG("HdrS");
	put(root, "empty", "");
	snprintf(path, sizeof(path), "%s/empty", root);
	CHECK_ERR(luo_kexec_check_image(ctx, path), -ENOEXEC);
	CHECK_ERR(luo_kexec_check_image(ctx, root), -EINVAL);
	CHECK_MSG("regular file");
	make_fake_bzimage("bzImage");
	snprintf(path, sizeof(path), "%s/bzImage", root);
	CHECK_ERR(luo_kexec_check_image(ctx, path), 0);
	CHECK_ERR(luo_kexec_check_image(ctx, NULL), -EINVAL);
}

static void t_kexec_load_args(void)
{
	char k[512], bad[512], initrd[512];

	make_fake_bzimage("bzImage");
	snprintf(k, sizeof(k), "%s/bzImage", root);
	snprintf(bad, sizeof(bad), "%s/missing-initrd", root);
	snprintf(initrd, sizeof(initrd), "%s/initrd", root);
	put(root, "initrd", "x");

	CHECK_ERR(luo_kexec_load(ctx, k, NULL, "x", LUO_KEXEC_REUSE_CMDLINE |
				 LUO_KEXEC_CHECK_ONLY), -EINVAL);
	CHECK_MSG("mutually exclusive");
	CHECK_ERR(luo_kexec_load(ctx, k, NULL, NULL, 0x80), -EINVAL);
	CHECK_ERR(luo_kexec_load(ctx, k, bad, NULL, LUO_KEXEC_CHECK_ONLY), -ENOENT);
	CHECK_MSG("initrd");
	CHECK_ERR(luo_kexec_load(ctx, k, initrd, "console=ttyS0",
				 LUO_KEXEC_CHECK_ONLY), 0);
	CHECK_ERR(luo_kexec_load(ctx, k, NULL, NULL, LUO_KEXEC_REUSE_CMDLINE |
				 LUO_KEXEC_CHECK_ONLY), 0);
	CHECK_ERR(luo_kexec_load(ctx, root, NULL, NULL, LUO_KEXEC_CHECK_ONLY), -EINVAL);
}

static void t_kexec_loaded(void)
{
	CHECK_ERR(luo_kexec_loaded(ctx), 0);
	put(root, "kexec_loaded", "1\n");
	CHECK_ERR(luo_kexec_loaded(ctx), 1);
	put(root, "kexec_loaded", "maybe\n");
	CHECK_ERR(luo_kexec_loaded(ctx), -EPROTO);
	rm(root, "kexec_loaded");
	CHECK_ERR(luo_kexec_loaded(ctx), -ENOENT);
}

static void t_update_dry_run(void)
{
	char buf[32];

	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), 0);
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));

	/* already prepared: dry run leaves it alone */
	put(sysfs, "prepare", "");
	put(sysfs, "cancel", "");
	put(sysfs, "state", "prepared\n");
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), 0);
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!buf[0]);
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);
}

static void t_update_refused(void)
{
	char buf[32];

	put(sysfs, "state", "updated\n");
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), -EBUSY);
	CHECK_MSG("finish");
	put(sysfs, "state", "normal\n");
	put(sysfs, "enabled", "0\n");
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), -EOPNOTSUPP);
	CHECK_MSG("disabled");
	put(sysfs, "enabled", "1\n");
	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "reason=outside maintenance window\n");
	strcpy(inject_file, "prepare");
	inject_err = -EPERM;
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), -EPERM);
	CHECK_MSG("refused by policy 'window'");
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);	/* nothing to cancel */
	CHECK_ERR(luo_update(ctx, 0x40), -EINVAL);
}

static void t_policy_nolibbpf(void)
{
	struct luo_policy *p;
	size_t n;

	if (luo_policy_supported()) {
		/* with libbpf: only the argument checks are host-safe */
		CHECK_ERR(luo_policy_detach(ctx, "../x"), -EINVAL);
		CHECK_ERR(luo_policy_detach(ctx, "nope"), -ENOENT);
		CHECK_ERR(luo_policy_list(ctx, &p, &n), 0);
		CHECK(n == 0);
		free(p);
		return;
	}
	CHECK_ERR(luo_policy_attach(ctx, "x.o", NULL), -EOPNOTSUPP);
	CHECK_MSG("libbpf");
	CHECK_ERR(luo_policy_detach(ctx, "x"), -EOPNOTSUPP);
	CHECK_ERR(luo_policy_list(ctx, &p, &n), -EOPNOTSUPP);
}

/*
 * Needs libbpf and the objects from tests/bpf/ (LUO_TEST_BPF_DIR, set by
 * 'make test' when clang is available). Everything checked here happens
 * before the object is loaded, so no kernel support is needed.
 */
static void t_policy_prechecks(void)
{
	const char *dir = getenv("LUO_TEST_BPF_DIR");
	char obj[512], pin[512];
	struct stat st;

	snprintf(obj, sizeof(obj), "%s/no_struct_ops.bpf.o", dir);
	CHECK_ERR(luo_policy_attach(ctx, obj, "w"), -ENOENT);
	CHECK_MSG("no struct_ops map");
	snprintf(obj, sizeof(obj), "%s/policy_nolink.bpf.o", dir);
	CHECK_ERR(luo_policy_attach(ctx, obj, "w"), -EINVAL);
	CHECK_MSG("struct_ops.link");
	snprintf(obj, sizeof(obj), "%s/policy_link.bpf.o", dir);
	/* pin name taken */
	mkdir(bpffs, 0755);
	put(bpffs, "test_window", "");
	CHECK_ERR(luo_policy_attach(ctx, obj, NULL), -EEXIST);
	CHECK_MSG("already attached");
	rm(bpffs, "test_window");
	rmdir(bpffs);
	/* the fake tree is not bpffs: refused, and nothing created */
	CHECK_ERR(luo_policy_attach(ctx, obj, "w"), -EINVAL);
	CHECK_MSG("not on a BPF filesystem");
	CHECK(stat(bpffs, &st) && errno == ENOENT);
	CHECK_ERR(luo_policy_attach(ctx, obj, "a/b"), -EINVAL);
	put(root, "garbage.o", "not an ELF file\n");
	snprintf(obj, sizeof(obj), "%s/garbage.o", root);
	CHECK(luo_policy_attach(ctx, obj, "w") < 0);
	CHECK_MSG("garbage.o");
	snprintf(pin, sizeof(pin), "%s/nope.o", root);
	CHECK_ERR(luo_policy_attach(ctx, pin, "w"), -ENOENT);
}

/* ---------------------------------------------------------------- */
/* luoctl                                                            */

static void t_cli_usage(void)
{
	CHECK_RUN(2, "frobnicate");
	CHECK_OUT(errbuf, "luoctl: unknown command 'frobnicate'");
	CHECK_RUN(2, "--bogus", "status");
	CHECK_OUT(errbuf, "luoctl: ");
	CHECK_RUN(2, "status", "--bogus");
	CHECK_RUN(2, "status", "extra");
	CHECK_RUN(2, "prepare", "--json");	/* not a read command */
	CHECK_RUN(2, "watch", "--timeout", "abc");
	CHECK_RUN(2, "watch", "--count", "0");
	CHECK_RUN(2, "watch", "--timeout");
	CHECK_RUN(2, "policy");
	CHECK_RUN(2, "policy", "frob");
	CHECK_RUN(2, "policy", "detach");
	if (run_luoctl(NULL) != 2)
		FAIL("no arguments should exit 2");
	CHECK_OUT(errbuf, "Usage: luoctl");
}

static void t_cli_help(void)
{
	static const char *const cmds[] = {
		"status", "prepare", "cancel", "finish", "reset", "load",
		"update", "watch", "stats", "participants", "policy",
	};
	char want[64];

	CHECK_RUN(0, "--help");
	CHECK_OUT(out, "Exit status:");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(want, sizeof(want), "Usage: luoctl %s", cmds[i]);
		CHECK_RUN(0, cmds[i], "--help");
		CHECK_OUT(out, want);
		CHECK_RUN(0, "help", cmds[i]);
		CHECK_OUT(out, want);
	}
	CHECK_RUN(0, "policy", "attach", "--help");
	CHECK_OUT(out, "Usage: luoctl policy attach");
	/* help works even without a LUO sysfs directory */
	rm(sysfs, "state");
	CHECK_RUN(0, "--sysfs-root", "/nonexistent/luo", "status", "--help");
}

static void t_cli_status(void)
{
	put(sysfs, "state", "prepared\n");
	put(sysfs, "sequence", "7\n");
	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "reason=outside \"maintenance\" window\n");
	CHECK_RUN(0, "status");
	CHECK_OUT(out, "state:         prepared");
	CHECK_OUT(out, "sequence:      7");
	CHECK_OUT(out, "refused by policy 'window'");
	CHECK_RUN(0, "status", "--json");
	CHECK_OUT(out, "\"state\":\"prepared\"");
	CHECK_OUT(out, "\"sequence\":7");
	CHECK_OUT(out, "\"errno_name\":\"EPERM\"");
	CHECK_OUT(out, "\"reason\":\"outside \\\"maintenance\\\" window\"");
	CHECK_RUN(0, "--json", "status");
	CHECK_OUT(out, "\"enabled\":true");
	put(sysfs, "state", "bogus\n");
	CHECK_RUN(1, "status");
	CHECK_OUT(errbuf, "luoctl: unrecognised state 'bogus'");
}

static void t_cli_missing_root(void)
{
	CHECK_RUN(4, "--sysfs-root", "/nonexistent/luo", "status");
	CHECK_OUT(errbuf, "/nonexistent/luo not found");
}

static void t_cli_load(void)
{
	char k[512], bad[512], missing[512];

	snprintf(missing, sizeof(missing), "%s/no-such-kernel", root);
	CHECK_RUN(2, "load", missing);
	CHECK_OUT(errbuf, "no-such-kernel");
	CHECK_OUT(errbuf, "No such file");

	put(root, "notakernel", "hello world\n");
	snprintf(bad, sizeof(bad), "%s/notakernel", root);
	CHECK_RUN(2, "load", bad);
	CHECK_OUT(errbuf, "does not look like a kernel image");

	CHECK_RUN(2, "load");
	CHECK_OUT(errbuf, "missing KERNEL");
	CHECK_RUN(2, "load", root);
	CHECK_OUT(errbuf, "not a regular file");

	make_fake_bzimage("bzImage");
	snprintf(k, sizeof(k), "%s/bzImage", root);
	CHECK_RUN(2, "load", k, "--cmdline", "x", "--reuse-cmdline");
	CHECK_OUT(errbuf, "mutually exclusive");
	CHECK_RUN(2, "load", k, "--initrd", missing, "--check");
	CHECK_OUT(errbuf, "initrd");
	CHECK_RUN(0, "load", "--check", k, "--reuse-cmdline");
	CHECK_OUT(out, "looks like a loadable kernel image");
}

static void t_cli_ops(void)
{
	char buf[32];

	CHECK_RUN(0, "prepare");
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	make_dir_instead(sysfs, "cancel");
	CHECK_RUN(1, "cancel");
	CHECK_OUT(errbuf, "luoctl: cannot cancel: cannot write");
	rm(sysfs, "finish");
	CHECK_RUN(1, "finish");
	CHECK_OUT(errbuf, "finish");
	CHECK_RUN(0, "reset");
}

static void t_cli_update(void)
{
	CHECK_RUN(0, "update", "--dry-run");
	CHECK_OUT(out, "dry run");
	put(sysfs, "state", "updated\n");
	CHECK_RUN(3, "update", "--dry-run");
	put(sysfs, "state", "normal\n");
	put(sysfs, "enabled", "0\n");
	CHECK_RUN(4, "update", "--dry-run");
	CHECK_OUT(errbuf, "disabled");
}

static void t_cli_stats_participants(void)
{
	put(sysfs, "sequence", "3\n");
	put(sysfs, "last_blackout_ns", "2500000\n");
	put(debugfs, "last_update", "memfd native 0 prepare 0 12000\n"
	    "window bpf 2 prepare -1 900\n");
	CHECK_RUN(0, "stats");
	CHECK_OUT(out, "updates:        3");
	CHECK_OUT(out, "2.500 ms");
	CHECK_OUT(out, "EPERM");
	CHECK_RUN(0, "stats", "--json");
	CHECK_OUT(out, "\"last_blackout_ns\":2500000");
	CHECK_OUT(out, "{\"name\":\"window\",\"kind\":\"bpf\",\"priority\":2,"
		  "\"event\":\"prepare\",\"ret\":-1,\"duration_ns\":900}");
	rm(sysfs, "last_blackout_ns");
	rm(debugfs, "last_update");
	CHECK_RUN(0, "stats", "--json");
	CHECK_OUT(out, "\"last_blackout_ns\":null");
	CHECK_OUT(out, "\"timings\":null");
	CHECK_RUN(0, "stats");
	CHECK_OUT(out, "unknown");

	CHECK_RUN(0, "participants");
	CHECK_OUT(out, "2    bpf    window");
	CHECK_RUN(0, "participants", "--json");
	CHECK_OUT(out, "[{\"priority\":0,\"kind\":\"native\",\"name\":\"memfd\"},");
	put(sysfs, "participants", "garbage\n");
	CHECK_RUN(1, "participants");
	CHECK_OUT(errbuf, "malformed");
}

static void t_cli_watch(void)
{
	pid_t pid;
	int status;
	double ts;
	char a[32], b[32];

	CHECK_RUN(0, "watch", "--timeout", "250");
	CHECK(out[0] == '\0');

	pid = fork();
	if (pid == 0) {
		usleep(200 * 1000);
		put(sysfs, "state", "prepared\n");
		usleep(500 * 1000);
		put(sysfs, "state", "normal\n");
		_exit(0);
	}
	{
		int rc = run_luoctl("watch", "--count", "2", "--timeout", "5000", NULL);

		waitpid(pid, &status, 0);
		if (rc != 0)
			FAIL("watch exit %d: %.200s", rc, errbuf);
	}
	if (sscanf(out, "%lf %31s -> %31s", &ts, a, b) != 3 || ts <= 0 ||
	    strcmp(a, "normal") || strcmp(b, "prepared"))
		FAIL("bad first watch line: %.200s", out);
	CHECK_OUT(out, " prepared -> normal\n");

	CHECK_RUN(1, "watch", "--count", "1", "--timeout", "200");
	CHECK_OUT(errbuf, "timed out");
}

static void t_cli_policy(void)
{
	if (luo_policy_supported()) {
		CHECK_RUN(0, "policy", "list", "--json");
		CHECK_OUT(out, "[]");
		return;
	}
	CHECK_RUN(4, "policy", "list");
	CHECK_OUT(errbuf, "libbpf");
	put(root, "obj.o", "x");
	{
		char obj[512];

		snprintf(obj, sizeof(obj), "%s/obj.o", root);
		CHECK_RUN(4, "policy", "attach", obj, "--name", "window");
	}
	CHECK_RUN(2, "policy", "attach", "/nonexistent/obj.o");
	CHECK_RUN(4, "policy", "detach", "window");
}

/* ---------------------------------------------------------------- */

static void luo_rstrip_test(char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
}

struct test {
	const char *name;
	void (*fn)(void);
	bool cli;
	bool bpf;
};

#define T(f) { #f + 2, f, false, false }
#define C(f) { #f + 2, f, true, false }
#define B(f) { #f + 2, f, false, true }

static const struct test tests[] = {
	T(t_state_values), T(t_state_garbage), T(t_state_missing),
	T(t_enabled), T(t_sequence), T(t_blackout),
	T(t_failure_none), T(t_failure_reason), T(t_failure_noreason),
	T(t_failure_garbage), T(t_participants), T(t_participants_bad),
	T(t_participants_cb), T(t_timings), T(t_timings_bad),
	T(t_transitions_write), T(t_cancel_fallback), T(t_write_missing),
	T(t_write_unwritable), T(t_prepare_refused), T(t_kernel_errnos),
	T(t_errmsg_cleared), T(t_errno_names), T(t_ctx_opts),
	T(t_wait_timeout), T(t_wait_change),
	T(t_kexec_check), T(t_kexec_load_args), T(t_kexec_loaded),
	T(t_update_dry_run), T(t_update_refused), T(t_policy_nolibbpf),
	B(t_policy_prechecks),
	C(t_cli_usage), C(t_cli_help), C(t_cli_status), C(t_cli_missing_root),
	C(t_cli_load), C(t_cli_ops), C(t_cli_update),
	C(t_cli_stats_participants), C(t_cli_watch), C(t_cli_policy),
};

int main(int argc, char **argv)
{
	size_t n = sizeof(tests) / sizeof(tests[0]);
	int passed = 0, failed = 0;

	luoctl_path = argc > 1 ? argv[1] : NULL;
	if (luoctl_path && access(luoctl_path, X_OK)) {
		fprintf(stderr, "%s: not executable\n", luoctl_path);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		if (tests[i].cli && !luoctl_path) {
			printf("ok %zu %s # SKIP no luoctl path given\n", i + 1,
			       tests[i].name);
			passed++;
			continue;
		}
		if (tests[i].bpf && (!luo_policy_supported() ||
				     !getenv("LUO_TEST_BPF_DIR"))) {
			printf("ok %zu %s # SKIP needs libbpf and clang-built "
			       "test objects\n", i + 1, tests[i].name);
			passed++;
			continue;
		}
		fail_reason[0] = '\0';
		setup();
		tests[i].fn();
		teardown();
		if (fail_reason[0]) {
			/* keep the KTAP result on one line */
			for (char *c = fail_reason; *c; c++)
				if (*c == '\n')
					*c = ' ';
			luo_rstrip_test(fail_reason);
			printf("not ok %zu %s # %s\n", i + 1, tests[i].name,
			       fail_reason);
			failed++;
		} else {
			printf("ok %zu %s\n", i + 1, tests[i].name);
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
