// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Host unit tests for libluo and luoctl, run against a fake LUO sysfs
 * tree of regular files in a mkdtemp() directory. Output is KTAP/TAP.
 *
 *   test_libluo [PATH_TO_LUOCTL [PATH_TO_LUOCTL_INJECT]]
 *
 * Never calls kexec_file_load() or reboot(): kexec tests only use
 * LUO_KEXEC_CHECK_ONLY or invalid input; the kexec reboot of luo_update()
 * is replaced here and, for luoctl, in luoctl-inject (tests/luoctl_inject.c).
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
#ifdef HAVE_LIBBPF
#include <bpf/libbpf.h>
#endif

/* ---------------------------------------------------------------- */
/* error injection: replaces the library's luo_write_attr() and
 * luo_reboot_kexec() (static link), so no test can ever reboot */

static char inject_file[64];	/* basename to fail, "" = none */
static int inject_err;
static int inject_calls;
static const char *inject_record;	/* last_failure written on failure */

static int reboot_err;		/* what the "kexec reboot" returns */
static const char *reboot_state;	/* state after it, NULL: unchanged */
static const char *reboot_record;	/* last_failure after it */
static int reboot_calls;

static char sysfs[300];		/* root/liveupdate */
static void put(const char *dir, const char *name, const char *content);

int luo_write_attr(const char *path, const char *val);
int luo_write_attr(const char *path, const char *val)
{
	const char *base = strrchr(path, '/');
	size_t len = strlen(val);
	int fd, err = 0;

	base = base ? base + 1 : path;
	if (inject_file[0] && !strcmp(base, inject_file)) {
		inject_calls++;
		if (inject_record)
			put(sysfs, "last_failure", inject_record);
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

int luo_reboot_kexec(void);
int luo_reboot_kexec(void)
{
	reboot_calls++;
	if (reboot_state)
		put(sysfs, "state", reboot_state);
	if (reboot_record)
		put(sysfs, "last_failure", reboot_record);
	return reboot_err;
}

/* ---------------------------------------------------------------- */
/* tiny test harness                                                */

static char fail_reason[512];
static const char *luoctl_path;
static const char *luoctl_inject_path;	/* luoctl + tests/luoctl_inject.c */

static char root[256];		/* tmp dir */
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

/*
 * Change a file that a reader (watch, wait) polls, without the empty file
 * that put()'s truncation shows for a moment: overwrite it in place, padded
 * with newlines to its old size (trailing whitespace is allowed).
 */
static void put_live(const char *dir, const char *name, const char *content)
{
	char path[512], buf[256];
	size_t len = strlen(content);
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || fstat(fd, &st) || len >= sizeof(buf)) {
		perror(path);
		exit(2);
	}
	memset(buf, '\n', sizeof(buf));
	memcpy(buf, content, len);
	if ((size_t)st.st_size > len)
		len = (size_t)st.st_size < sizeof(buf) ? (size_t)st.st_size : sizeof(buf);
	if (pwrite(fd, buf, len, 0) != (ssize_t)len) {
		perror(path);
		exit(2);
	}
	close(fd);
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

static void unset_inject_env(void);

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
	put(sysfs, "prepare_lease_ms", "0\n");
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
	inject_record = NULL;
	reboot_err = -ENOSYS;
	reboot_state = NULL;
	reboot_record = NULL;
	reboot_calls = 0;
	unset_inject_env();
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

static int run_bin(const char *bin, const char *first, va_list ap)
{
	char *argv[32];
	char opath[512], epath[512];
	int argc = 0, status, fd;
	const char *a;
	pid_t pid;

	argv[argc++] = (char *)bin;
	for (a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
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
		execv(bin, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	get(root, ".out", out, sizeof(out));
	get(root, ".err", errbuf, sizeof(errbuf));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_luoctl(const char *first, ...)
{
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = run_bin(luoctl_path, first, ap);
	va_end(ap);
	return rc;
}

/* luoctl-inject: kernel errors and the reboot come from LUO_INJECT_* */
static int run_inject(const char *first, ...)
{
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = run_bin(luoctl_inject_path, first, ap);
	va_end(ap);
	return rc;
}

static void unset_inject_env(void)
{
	static const char *const vars[] = {
		"LUO_INJECT_WRITE", "LUO_INJECT_RECORD", "LUO_INJECT_REBOOT",
		"LUO_INJECT_REBOOT_STATE", "LUO_INJECT_REBOOT_RECORD",
		"LUO_INJECT_REBOOT_DELAY_MS", "LUO_INJECT_LOG",
	};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

#define CHECK_RUN(want, ...)						\
	do {								\
		int rc_ = run_luoctl(__VA_ARGS__, NULL);		\
		if (rc_ != (want))					\
			FAIL("line %d: luoctl exit %d, want %d; stderr: %.200s", \
			     __LINE__, rc_, (want), errbuf);		\
	} while (0)

#define CHECK_INJ(want, ...)						\
	do {								\
		int rc_ = run_inject(__VA_ARGS__, NULL);		\
		if (rc_ != (want))					\
			FAIL("line %d: luoctl exit %d, want %d; out: %.200s " \
			     "err: %.200s", __LINE__, rc_, (want), out, errbuf); \
	} while (0)

#define CHECK_NOT(buf, sub)						\
	do {								\
		if (strstr((buf), (sub)))				\
			FAIL("line %d: output has '%s': %.300s",	\
			     __LINE__, (sub), (buf));			\
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
	struct luo_failure f = { .sz = sizeof(f) };

	f.present = true;
	CHECK_ERR(luo_get_last_failure(ctx, &f), 0);
	CHECK(!f.present);
}

static void t_failure_reason(void)
{
	struct luo_failure f = { .sz = sizeof(f) };
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
	CHECK(!f.has_time);

	/* since 0.2: the live update sequence and the time */
	put(sysfs, "last_failure", "event=reboot participant=kvm errno=-5 "
	    "sequence=3 time_ns=1764136800123456789\n");
	CHECK_ERR(luo_get_last_failure(ctx, &f), 0);
	CHECK(f.has_time && f.sequence == 3 && f.time_ns == 1764136800123456789ULL);
	CHECK(f.err == -EIO && !f.has_reason && !f.by_policy);
	put(sysfs, "last_failure", "event=reboot participant=kvm errno=-5 "
	    "sequence=x time_ns=1\n");
	CHECK_ERR(luo_get_last_failure(ctx, &f), -EPROTO);

	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "reason=outside maintenance window\n");
	CHECK_ERR(luo_get_last_failure(ctx, &f), 0);
	luo_failure_describe(&f, buf, sizeof(buf));
	CHECK(!strcmp(buf, "refused by policy 'window': outside "
		      "maintenance window (EPERM)"));
}

static void t_failure_noreason(void)
{
	struct luo_failure f = { .sz = sizeof(f) };
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
	struct luo_failure f = { .sz = sizeof(f) };

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
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), 0);
	CHECK(n == 3);
	CHECK(p[0].priority == 0 && p[0].kind == LUO_KIND_NATIVE &&
	      !strcmp(p[0].name, "memfd"));
	CHECK(p[1].priority == 1 && p[1].kind == LUO_KIND_BPF &&
	      !strcmp(p[1].name, "window"));
	CHECK(p[2].priority == 2 && p[2].kind == LUO_KIND_UNKNOWN);
	free(p);

	put(sysfs, "participants", "");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), 0);
	CHECK(n == 0);
	free(p);
}

static void t_participants_bad(void)
{
	struct luo_participant *p = NULL;
	size_t n = 0;

	put(sysfs, "participants", "0 native memfd\nx native kvm\n");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), -EPROTO);
	CHECK_MSG("participants:2");
	put(sysfs, "participants", "0 native\n");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), -EPROTO);
	put(sysfs, "participants", "0 native a b\n");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), -EPROTO);
	rm(sysfs, "participants");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), -ENOENT);
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
	CHECK_ERR(luo_get_timings(ctx, &t, sizeof(*t), &n), 0);
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
	CHECK_ERR(luo_get_timings(ctx, &t, sizeof(*t), &n), -EPROTO);
	CHECK_MSG("last_update:1");
	put(debugfs, "last_update", "memfd native 0 prepare zero 10\n");
	CHECK_ERR(luo_get_timings(ctx, &t, sizeof(*t), &n), -EPROTO);
	put(debugfs, "last_update", "memfd native 0 prepare 0 -10\n");
	CHECK_ERR(luo_get_timings(ctx, &t, sizeof(*t), &n), -EPROTO);
	rm(debugfs, "last_update");
	CHECK_ERR(luo_get_timings(ctx, &t, sizeof(*t), &n), -ENOENT);
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
	struct luo_failure f = { .sz = sizeof(f) };

	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "reason=outside maintenance window\n");
	strcpy(inject_file, "prepare");
	inject_err = -EPERM;
	CHECK_ERR(luo_prepare(ctx), -EPERM);
	CHECK(!strcmp(luo_errmsg(ctx), "prepare refused by policy "
		      "'window': outside maintenance window (EPERM)"));
	CHECK(luo_error_cause(ctx, &f) == LUO_CAUSE_POLICY);
	CHECK(!strcmp(f.participant, "window"));

	put(sysfs, "last_failure", "event=prepare participant=kvm errno=-12\n");
	inject_err = -ENOMEM;
	CHECK_ERR(luo_prepare(ctx), -ENOMEM);
	CHECK_MSG("participant 'kvm'");
	CHECK_MSG("ENOMEM");
	CHECK(luo_error_cause(ctx, &f) == LUO_CAUSE_PARTICIPANT);
	/* a success clears the cause */
	inject_file[0] = '\0';
	CHECK_ERR(luo_prepare(ctx), 0);
	CHECK(luo_error_cause(ctx, &f) == LUO_CAUSE_NONE && !f.present);
	strcpy(inject_file, "prepare");

	/* stale record of another event: generic message */
	put(sysfs, "last_failure", "event=finish participant=kvm errno=-12\n");
	CHECK_ERR(luo_prepare(ctx), -ENOMEM);
	CHECK_MSG("prepare failed");
	CHECK(!strstr(luo_errmsg(ctx), "kvm"));
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_NONE);

	/* a time-stamped record the failed write did not change is an old
	 * one: EPERM is then a permission error, not that veto */
	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "sequence=0 time_ns=1 reason=old\n");
	inject_err = -EPERM;
	CHECK_ERR(luo_prepare(ctx), -EPERM);
	CHECK(!strstr(luo_errmsg(ctx), "window"));
	CHECK_MSG("CAP_SYS_BOOT");
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_NONE);
	/* the same veto again, new time stamp: a veto */
	inject_record = "event=prepare policy=window errno=-1 sequence=0 "
			"time_ns=2 reason=old\n";
	CHECK_ERR(luo_prepare(ctx), -EPERM);
	CHECK_MSG("refused by policy 'window'");
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_POLICY);
}

static void t_kernel_errnos(void)
{
	strcpy(inject_file, "prepare");
	put(sysfs, "state", "prepared\n");
	inject_err = -EBUSY;
	CHECK_ERR(luo_prepare(ctx), -EBUSY);
	CHECK_MSG("'prepared'");
	CHECK_MSG("EBUSY");
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_STATE);
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
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_STATE);
	/* EBUSY in the expected state and no record: busy (kexec under way) */
	put(sysfs, "state", "updated\n");
	CHECK_ERR(luo_finish(ctx), -EBUSY);
	CHECK_MSG("busy");
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_STATE);
	put(sysfs, "state", "normal\n");
	/* EBUSY in the right state, with a new record: a participant's */
	strcpy(inject_file, "prepare");
	inject_record = "event=prepare participant=kvm errno=-16 sequence=0 "
			"time_ns=3\n";
	CHECK_ERR(luo_prepare(ctx), -EBUSY);
	CHECK_MSG("failed in participant 'kvm'");
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_PARTICIPANT);
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

/* extensible structs: the caller's sz is honoured, smaller or larger */
struct old_failure {		/* a struct luo_failure of an older luo.h */
	size_t sz;
	bool present;
	enum luo_event event;
};

struct old_participant {
	size_t sz;
	unsigned int priority;
	enum luo_kind kind;
};

static int sz_cb(const struct luo_participant *p, void *data)
{
	(void)data;
	return p->sz == sizeof(*p) ? 0 : -1;
}

static void t_struct_sz(void)
{
	struct { struct old_failure f; long canary; } old = { .canary = 42 };
	struct { struct luo_failure f; long extra; } big = { .extra = 42 };
	struct old_participant *op = NULL;
	struct { struct luo_participant p; long extra; } *bp = NULL;
	struct { struct luo_timing t; long extra; } *bt = NULL;
	struct luo_failure f = { .sz = 0 };
	struct luo_participant *p = NULL;
	char buf[128];
	size_t n = 0;

	put(sysfs, "last_failure", "event=reboot participant=kvm errno=-16\n");
	/* sz not set: refused, and nothing written */
	f.present = true;
	CHECK_ERR(luo_get_last_failure(ctx, &f), -EINVAL);
	CHECK_MSG(".sz");
	CHECK(f.present && f.sz == 0);
	CHECK(luo_parse_failure("event=prepare participant=a errno=-1", &f) ==
	      -EINVAL);
	luo_failure_describe(&f, buf, sizeof(buf));
	CHECK(!strcmp(buf, "no failure recorded"));

	/* older, smaller struct: only its bytes are written */
	old.f.sz = sizeof(old.f);
	CHECK_ERR(luo_get_last_failure(ctx, (struct luo_failure *)&old.f), 0);
	CHECK(old.f.sz == sizeof(old.f) && old.f.present &&
	      old.f.event == LUO_EVENT_REBOOT);
	CHECK(old.canary == 42);
	f.sz = offsetof(struct luo_failure, participant);
	CHECK(luo_parse_failure("event=prepare participant=a errno=-1", &f) == 0);
	CHECK(f.sz == offsetof(struct luo_failure, participant));
	CHECK(LUO_HAS_FIELD(&f, event_str) && !LUO_HAS_FIELD(&f, participant));
	/* describing it does not read past its sz */
	luo_failure_describe(&f, buf, sizeof(buf));
	CHECK(strstr(buf, "participant ''"));

	/* newer, larger struct: the unknown tail is zeroed, sz says so */
	big.f.sz = sizeof(big);
	CHECK_ERR(luo_get_last_failure(ctx, &big.f), 0);
	CHECK(big.f.sz == sizeof(struct luo_failure) && big.extra == 0);
	CHECK(!strcmp(big.f.participant, "kvm") && big.f.err == -EBUSY);
	CHECK(LUO_HAS_FIELD(&big.f, by_policy));

	/* arrays use the caller's element size as the stride */
	CHECK_ERR(luo_get_participants(ctx, &p, 0, &n), -EINVAL);
	CHECK_ERR(luo_get_participants(ctx, (struct luo_participant **)&op,
				       sizeof(*op), &n), 0);
	CHECK(n == 3 && op[1].sz == sizeof(*op) && op[1].priority == 1 &&
	      op[2].kind == LUO_KIND_BPF && op[2].priority == 2);
	free(op);
	CHECK_ERR(luo_get_participants(ctx, (struct luo_participant **)&bp,
				       sizeof(*bp), &n), 0);
	CHECK(n == 3 && bp[2].p.sz == sizeof(bp->p) && !bp[2].extra &&
	      !strcmp(bp[2].p.name, "window"));
	free(bp);
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), 0);
	CHECK(n == 3 && p[0].sz == sizeof(*p) && !strcmp(p[1].name, "kvm"));
	free(p);
	CHECK_ERR(luo_foreach_participant(ctx, sz_cb, NULL), 0);

	put(debugfs, "last_update", "memfd native 0 prepare 0 12000\n"
	    "kvm native 1 reboot -16 900\n");
	CHECK_ERR(luo_get_timings(ctx, (struct luo_timing **)&bt, sizeof(*bt),
				  &n), 0);
	CHECK(n == 2 && bt[1].t.sz == sizeof(bt->t) && bt[1].t.ret == -EBUSY &&
	      bt[1].t.duration_ns == 900 && !bt[1].extra);
	free(bt);
	put(sysfs, "participants", "");
	p = (void *)1;
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), 0);
	CHECK(n == 0 && p == NULL);
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
		put_live(sysfs, "state", "prepared\n");
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

#define APPEND_WORD(buf, w)						\
	snprintf((buf) + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", \
		 *(buf) ? " " : "", (w))

/* the next kernel's command line: composed, and checked for the handover */
static void t_kexec_cmdline(void)
{
	static const struct { const char *cmdline; bool keeps; } cases[] = {
		{ "liveupdate=on", true },
		{ "liveupdate=1 kho=on", true },
		{ "console=ttyS0 liveupdate=Y", true },
		{ "liveupdate=off liveupdate=on", true },
		/* an unparsable value changes nothing: the earlier one stays */
		{ "liveupdate=on liveupdate=bogus", true },
		{ "", false },
		{ "console=ttyS0", false },
		{ "liveupdate=on liveupdate=off", false },
		{ "liveupdate=bogus", false },
		{ "liveupdate", false },
		{ "xliveupdate=on", false },
		{ "liveupdate=on kho=off", false },
		{ "liveupdate=on kho=0 kho=1", true },
		/* after "--" the words are init's */
		{ "console=ttyS0 -- liveupdate=on", false },
		{ "foo=\"a liveupdate=on\"", false },
	};
	char *out, want[4096], proc[4096], *w, *save = NULL, *words[512];
	int i, n = 0, dd = -1;
	const char *why;
	FILE *f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = "unset";
		if (luo_cmdline_keeps_update(cases[i].cmdline, &why) != cases[i].keeps)
			FAIL("'%s': keeps_update %d, want %d", cases[i].cmdline,
			     !cases[i].keeps, cases[i].keeps);
		if (cases[i].keeps != !why)
			FAIL("'%s': why '%s'", cases[i].cmdline, why ? why : "(null)");
	}
	CHECK(!luo_cmdline_keeps_update(NULL, NULL));

	CHECK_ERR(luo_kexec_cmdline(ctx, "  a   b=\"x y\" ", " c  d ", 0, &out), 0);
	CHECK(!strcmp(out, "a b=\"x y\" c d"));
	free(out);
	/* appended kernel parameters go before init's "--" */
	CHECK_ERR(luo_kexec_cmdline(ctx, "a -- x -- y", "b", 0, &out), 0);
	CHECK(!strcmp(out, "a b -- x -- y"));
	free(out);
	/* an explicit command line is taken as given, BOOT_IMAGE= included */
	CHECK_ERR(luo_kexec_cmdline(ctx, "BOOT_IMAGE=/v a", NULL, 0, &out), 0);
	CHECK(!strcmp(out, "BOOT_IMAGE=/v a"));
	free(out);
	CHECK_ERR(luo_kexec_cmdline(ctx, NULL, NULL, 0, &out), 0);
	CHECK(!strcmp(out, ""));
	free(out);
	CHECK_ERR(luo_kexec_cmdline(ctx, "a", NULL, LUO_KEXEC_REUSE_CMDLINE, &out),
		  -EINVAL);
	CHECK(!out);
	CHECK_ERR(luo_kexec_cmdline(ctx, "a", NULL, LUO_KEXEC_CHECK_ONLY, &out),
		  -EINVAL);

	/* reused: /proc/cmdline word by word without BOOT_IMAGE=, then append */
	f = fopen("/proc/cmdline", "r");
	CHECK(f);
	proc[0] = '\0';
	CHECK(fgets(proc, sizeof(proc), f) || feof(f));
	fclose(f);
	for (w = strtok_r(proc, " \t\n", &save); w && n < 512;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (dd < 0 && !strcmp(w, "--"))
			dd = n;
		words[n++] = w;
	}
	want[0] = '\0';
	for (i = 0; i < (dd < 0 ? n : dd); i++)
		if (strncmp(words[i], "BOOT_IMAGE=", 11))
			APPEND_WORD(want, words[i]);
	APPEND_WORD(want, "liveupdate=on");
	for (i = dd < 0 ? n : dd; i < n; i++)
		APPEND_WORD(want, words[i]);
	CHECK_ERR(luo_kexec_cmdline(ctx, NULL, "liveupdate=on",
				    LUO_KEXEC_REUSE_CMDLINE, &out), 0);
	if (strcmp(out, want))
		FAIL("reused '%s', want '%s'", out, want);
	CHECK(!strstr(out, "BOOT_IMAGE="));
	free(out);
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

	/* no kernel loaded: refused before anything is asked */
	put(sysfs, "check", "");
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), -ENOEXEC);
	CHECK_MSG("no kexec kernel loaded");
	get(sysfs, "check", buf, sizeof(buf));
	CHECK(!buf[0]);

	/* the preflight asks the policies through check, and nothing else */
	put(root, "kexec_loaded", "1\n");
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), 0);
	get(sysfs, "check", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!buf[0]);
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);

	/* already prepared: dry run leaves it alone */
	put(sysfs, "check", "");
	put(sysfs, "state", "prepared\n");
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), 0);
	get(sysfs, "check", buf, sizeof(buf));
	CHECK(!buf[0]);
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!buf[0]);
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);

	/* a kernel without check: no fallback to a real prepare */
	put(sysfs, "state", "normal\n");
	rm(sysfs, "check");
	CHECK_ERR(luo_check(ctx), -EOPNOTSUPP);
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), -EOPNOTSUPP);
	CHECK_MSG("without running PREPARE");
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!buf[0]);
}

static void t_update_refused(void)
{
	char buf[32];

	put(sysfs, "state", "updated\n");
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), -EBUSY);
	CHECK_MSG("finish");
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_STATE);
	put(sysfs, "state", "normal\n");
	put(sysfs, "enabled", "0\n");
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), -EOPNOTSUPP);
	CHECK_MSG("disabled");
	put(sysfs, "enabled", "1\n");
	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "reason=outside maintenance window\n");
	put(root, "kexec_loaded", "1\n");
	put(sysfs, "check", "");
	strcpy(inject_file, "check");
	inject_err = -EPERM;
	CHECK_ERR(luo_update(ctx, LUO_UPDATE_DRY_RUN), -EPERM);
	CHECK_MSG("check refused by policy 'window'");
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_POLICY);
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);	/* nothing to cancel */
	CHECK_ERR(luo_update(ctx, 0x40), -EINVAL);
}

/*
 * REBOOT vetoed by a policy during the kexec: the kernel has already
 * cancelled everyone and is back in normal, so there is nothing to cancel
 * and the state must not be reported as prepared.
 */
static void t_update_reboot_vetoed(void)
{
	put(root, "kexec_loaded", "1\n");
	reboot_err = -EPERM;
	reboot_state = "normal\n";
	reboot_record = "event=reboot policy=window errno=-1 sequence=3 "
			"time_ns=1700000000000000001 reason=outside maintenance "
			"window\n";
	/* as the kernel: cancel is refused in normal */
	strcpy(inject_file, "cancel");
	inject_err = -EBUSY;
	CHECK_ERR(luo_update(ctx, 0), -EPERM);
	CHECK(reboot_calls == 1);
	CHECK(inject_calls == 0);	/* no cancel tried */
	CHECK_MSG("reboot refused by policy 'window': outside maintenance "
		  "window (EPERM)");
	CHECK_MSG("state is 'normal'");
	if (strstr(luo_errmsg(ctx), "prepared"))
		FAIL("claims prepared: %s", luo_errmsg(ctx));
	{
		struct luo_failure f = { .sz = sizeof(f) };

		CHECK(luo_error_cause(ctx, &f) == LUO_CAUSE_POLICY);
		CHECK(f.present && f.by_policy && f.event == LUO_EVENT_REBOOT);
		CHECK(!strcmp(f.participant, "window") && f.err == -EPERM);
	}
}

static void t_update_reboot_failed(void)
{
	struct luo_failure f = { .sz = sizeof(f) };
	char buf[32];

	/* a participant failed REBOOT: rolled back too */
	put(root, "kexec_loaded", "1\n");
	reboot_err = -EIO;
	reboot_state = "normal\n";
	reboot_record = "event=reboot participant=kvm errno=-5 sequence=3 "
			"time_ns=1700000000000000002\n";
	CHECK_ERR(luo_update(ctx, 0), -EIO);
	CHECK_MSG("reboot failed in participant 'kvm'");
	CHECK_MSG("(EIO)");
	CHECK(luo_error_cause(ctx, &f) == LUO_CAUSE_PARTICIPANT);
	CHECK(!f.by_policy && !strcmp(f.participant, "kvm"));
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);

	/* refused before REBOOT ran (no CAP_SYS_BOOT): the old record of
	 * another veto must not be blamed; our prepare is cancelled */
	put(sysfs, "last_failure", "event=reboot policy=window errno=-1 "
	    "sequence=3 time_ns=1700000000000000001 reason=old\n");
	reboot_err = -EPERM;
	reboot_state = "prepared\n";
	reboot_record = NULL;
	put(sysfs, "state", "normal\n");
	CHECK_ERR(luo_update(ctx, 0), -EPERM);
	CHECK(!strstr(luo_errmsg(ctx), "window"));
	CHECK_MSG("Operation not permitted (EPERM)");
	CHECK(luo_error_cause(ctx, &f) == LUO_CAUSE_NONE && !f.present);
	CHECK_MSG("prepare cancelled");
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));

	/* kexec busy, cancel fails too, state really still prepared */
	put(sysfs, "state", "normal\n");
	put(sysfs, "cancel", "");
	reboot_err = -EBUSY;
	strcpy(inject_file, "cancel");
	inject_err = -EINTR;
	CHECK_ERR(luo_update(ctx, 0), -EBUSY);
	CHECK_MSG("left 'prepared'");
	CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_NONE);	/* not a state */

	/* prepared before: left alone, and said so */
	inject_file[0] = '\0';
	put(sysfs, "state", "prepared\n");
	put(sysfs, "prepare", "");
	put(sysfs, "cancel", "");
	reboot_err = -EINVAL;
	CHECK_ERR(luo_update(ctx, 0), -EINVAL);
	CHECK_MSG("still 'prepared'");
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!buf[0]);
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);
}

static int count_cb(const struct luo_participant *p, void *data)
{
	(void)p;
	++*(int *)data;
	return 0;
}

/* the kernel truncates a listing longer than a page */
static void t_participants_truncated(void)
{
	struct luo_participant *p = NULL;
	size_t n = 0, omitted;
	int cnt = 0;

	put(sysfs, "participants", "0 native memfd\n1 bpf window\n... 7 more\n");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), 0);
	CHECK(n == 2);
	CHECK(!strcmp(p[1].name, "window"));
	free(p);
	omitted = 0;
	CHECK_ERR(luo_list_participants(ctx, &p, sizeof(*p), &n, &omitted), 0);
	CHECK(n == 2 && omitted == 7);
	free(p);
	CHECK_ERR(luo_foreach_participant(ctx, count_cb, &cnt), 0);
	CHECK(cnt == 2);
	put(sysfs, "participants", "0 native memfd\n");
	CHECK_ERR(luo_list_participants(ctx, &p, sizeof(*p), &n, &omitted), 0);
	CHECK(n == 1 && omitted == 0);
	free(p);
	/* anything after it, or a bad count, is still malformed */
	put(sysfs, "participants", "0 native memfd\n... 7 more\n1 bpf window\n");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), -EPROTO);
	put(sysfs, "participants", "0 native memfd\n... x more\n");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), -EPROTO);
	put(sysfs, "participants", "... 0 more\n");
	CHECK_ERR(luo_get_participants(ctx, &p, sizeof(*p), &n), -EPROTO);
}

static void t_policy_nolibbpf(void)
{
	struct luo_policy *p;
	size_t n;

	if (luo_policy_supported()) {
		/* with libbpf: only the argument checks are host-safe */
		CHECK_ERR(luo_policy_detach(ctx, "../x"), -EINVAL);
		CHECK_ERR(luo_policy_detach(ctx, "a.b"), -EINVAL);
		CHECK_MSG("dot");
		CHECK_ERR(luo_policy_detach(ctx, "abcdefghijklmnopqrstuvwxyz012345"),
			  -EINVAL);
		CHECK_MSG("31");
		CHECK_ERR(luo_policy_detach(ctx, "nope"), -ENOENT);
		CHECK_ERR(luo_policy_list(ctx, &p, sizeof(*p), &n), 0);
		CHECK(n == 0);
		free(p);
		/* the state columns come from the kernel's blobs list */
		mkdir(bpffs, 0755);
		put(bpffs, "ratelimit", "");
		put(bpffs, "audit", "");
		put(bpffs, "other", "");
		put(sysfs, "blobs", "out ratelimit 152\nin ratelimit 144 claimed\n"
		    "in audit 8 unclaimed\nout other 16\nin ratelimitx 8 claimed\n");
		CHECK_ERR(luo_policy_list(ctx, &p, sizeof(*p), &n), 0);
		CHECK(n == 3);
		for (size_t i = 0; i < n; i++) {
			if (!strcmp(p[i].name, "ratelimit"))
				CHECK(p[i].restored == 144 && p[i].preserved == 152);
			else if (!strcmp(p[i].name, "audit"))	/* not claimed */
				CHECK(p[i].restored == -1 && p[i].preserved == -1);
			else
				CHECK(p[i].restored == -1 && p[i].preserved == 16);
		}
		free(p);
		rm(sysfs, "blobs");	/* an older kernel: no state, no error */
		CHECK_ERR(luo_policy_list(ctx, &p, sizeof(*p), &n), 0);
		CHECK(n == 3 && p[0].restored == -1 && p[0].preserved == -1);
		free(p);
		rm(bpffs, "ratelimit");
		rm(bpffs, "audit");
		rm(bpffs, "other");
		rmdir(bpffs);
		return;
	}
	CHECK_ERR(luo_policy_attach(ctx, "x.o", NULL), -EOPNOTSUPP);
	CHECK_MSG("libbpf");
	CHECK_ERR(luo_policy_detach(ctx, "x"), -EOPNOTSUPP);
	CHECK_ERR(luo_policy_list(ctx, &p, sizeof(*p), &n), -EOPNOTSUPP);
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
	put(bpffs, "window", "");	/* the ops' name member */
	CHECK_ERR(luo_policy_attach(ctx, obj, NULL), -EEXIST);
	CHECK_MSG("already attached");
	rm(bpffs, "window");
	rmdir(bpffs);
	/* the fake tree is not bpffs: refused, and nothing created */
	CHECK_ERR(luo_policy_attach(ctx, obj, "w"), -EINVAL);
	CHECK_MSG("not on a BPF filesystem");
	CHECK(stat(bpffs, &st) && errno == ENOENT);
	CHECK_ERR(luo_policy_attach(ctx, obj, "a/b"), -EINVAL);
	CHECK_ERR(luo_policy_attach(ctx, obj, "a.b"), -EINVAL);
	CHECK_ERR(luo_policy_attach(ctx, obj, "abcdefghijklmnopqrstuvwxyz012345"),
		  -EINVAL);
	CHECK(stat(bpffs, &st) && errno == ENOENT);	/* nothing created */
	put(root, "garbage.o", "not an ELF file\n");
	snprintf(obj, sizeof(obj), "%s/garbage.o", root);
	CHECK(luo_policy_attach(ctx, obj, "w") < 0);
	CHECK_MSG("garbage.o");
	snprintf(pin, sizeof(pin), "%s/nope.o", root);
	CHECK_ERR(luo_policy_attach(ctx, pin, "w"), -ENOENT);
}

#ifdef HAVE_LIBBPF
static int libbpf_lines;

static int count_print(enum libbpf_print_level level, const char *fmt,
		       va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	libbpf_lines++;
	return 0;
}
#endif

/* The naming rule, and fields and globals set by name before load. */
static void t_bpf_setters(void)
{
#ifdef HAVE_LIBBPF
	libbpf_print_fn_t old;
	const char *dir = getenv("LUO_TEST_BPF_DIR");
	struct bpf_object *obj;
	struct bpf_map *ops;
	char path[512];

	CHECK_ERR(luo_bpf_check_name(ctx, "ok_Name_31"), 0);
	CHECK_ERR(luo_bpf_check_name(ctx, "a-b"), -EINVAL);
	CHECK_ERR(luo_bpf_check_name(ctx, "a.b"), -EINVAL);
	CHECK_ERR(luo_bpf_check_name(ctx, ""), -EINVAL);
	CHECK_ERR(luo_bpf_check_name(ctx, "abcdefghijklmnopqrstuvwxyz01234"), 0);
	CHECK_ERR(luo_bpf_check_name(ctx, "abcdefghijklmnopqrstuvwxyz012345"),
		  -EINVAL);

	snprintf(path, sizeof(path), "%s/policy_link.bpf.o", dir);
	obj = bpf_object__open_file(path, luo_bpf_open_opts(ctx));
	CHECK(obj != NULL);
	if (!obj)
		return;
	ops = bpf_object__find_map_by_name(obj, "test_window");
	CHECK(ops != NULL);
	CHECK_ERR(luo_bpf_set_field(ctx, obj, ops, "priority", -128), 0);
	CHECK_ERR(luo_bpf_set_field(ctx, obj, ops, "priority", 128), -ERANGE);
	CHECK_MSG("does not fit");
	CHECK_ERR(luo_bpf_set_field(ctx, obj, ops, "flags", 0xffffffffLL), 0);
	CHECK_ERR(luo_bpf_set_field(ctx, obj, ops, "flags", -1), -ERANGE);
	CHECK_ERR(luo_bpf_set_field(ctx, obj, ops, "bogus", 1), -ENOENT);
	CHECK_MSG("no member 'bogus'");
	CHECK_ERR(luo_bpf_set_field(ctx, obj, ops, "name", 1), -EINVAL);
	CHECK_ERR(luo_bpf_set_field_str(ctx, obj, ops, "name", "fifteen_chars_x"), 0);
	CHECK_ERR(luo_bpf_set_field_str(ctx, obj, ops, "name", "sixteen_chars_xx"),
		  -EINVAL);
	CHECK_ERR(luo_bpf_set_field_str(ctx, obj, ops, "flags", "x"), -EINVAL);
	CHECK_ERR(luo_bpf_set_field(ctx, obj, NULL, "flags", 1), -EINVAL);
	CHECK_ERR(luo_bpf_set_global(ctx, obj, "small_global", 65535), 0);
	CHECK_ERR(luo_bpf_set_global(ctx, obj, "small_global", 65536), -ERANGE);
	CHECK_ERR(luo_bpf_set_global(ctx, obj, "big_global", -(1LL << 62)), 0);
	CHECK_ERR(luo_bpf_set_global(ctx, obj, "nope", 1), -ENOENT);
	/* the caller's objects are left to it: nothing pinned, nothing loaded */
	CHECK(!strcmp(luo_bpf_log(ctx), ""));
	bpf_object__close(obj);

	/* libbpf's print hook is the application's: libluo neither swaps it
	 * nor hides what libbpf says through it */
	old = libbpf_set_print(count_print);
	put(root, "garbage.o", "not an ELF file\n");
	snprintf(path, sizeof(path), "%s/garbage.o", root);
	CHECK(luo_policy_attach(ctx, path, "w") < 0);
	CHECK(libbpf_lines > 0);
	CHECK(libbpf_set_print(old) == count_print);
#endif
}

/* ---------------------------------------------------------------- */
/* luoctl                                                            */

#define VETO_REBOOT "event=reboot policy=window errno=-1 sequence=3 " \
		    "time_ns=1700000000000000001 reason=outside maintenance window\n"

/* python3 -m json.tool accepts @buf; without python3 nothing is valid */
static int json_valid(const char *buf)
{
	char cmd[700];

	if (system("python3 -c '' >/dev/null 2>&1")) {
		fprintf(stderr, "python3 not found: it validates luoctl's JSON\n");
		return 0;
	}
	put(root, ".json", buf);
	snprintf(cmd, sizeof(cmd), "python3 -m json.tool %s/.json >/dev/null 2>&1",
		 root);
	return system(cmd) == 0;
}

#define CHECK_JSON(buf)							\
	do {								\
		if (!json_valid(buf))					\
			FAIL("line %d: not valid JSON: %.300s", __LINE__, (buf)); \
	} while (0)


static void t_cli_usage(void)
{
	CHECK_RUN(2, "frobnicate");
	CHECK_OUT(errbuf, "luoctl: unknown command 'frobnicate'");
	CHECK_RUN(2, "--bogus", "status");
	CHECK_OUT(errbuf, "luoctl: ");
	CHECK_RUN(2, "status", "--bogus");
	CHECK_RUN(2, "status", "extra");
	CHECK_RUN(2, "prepare", "--dry-run");
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
	CHECK_RUN(0, "load", "--check", k, "--reuse-cmdline", "-a", "liveupdate=on");
	CHECK_OUT(out, "looks like a loadable kernel image");

	/* a command line that loses the live update is refused... */
	CHECK_RUN(2, "load", "--check", k, "--cmdline", "console=ttyS0");
	CHECK_OUT(errbuf, "refusing to load");
	CHECK_OUT(errbuf, "liveupdate=on");
	CHECK_RUN(2, "load", "--check", k, "-c", "liveupdate=on kho=off");
	CHECK_OUT(errbuf, "KHO off");
	/* ... loaded with a warning under --force */
	CHECK_RUN(0, "load", "--check", k, "--cmdline", "console=ttyS0", "--force");
	CHECK_OUT(errbuf, "warning");
	CHECK_OUT(out, "command line: console=ttyS0\n");
	/* --append goes after the base command line */
	CHECK_RUN(0, "load", "--check", k, "-c", "a", "--append", "liveupdate=on");
	CHECK_OUT(out, "command line: a liveupdate=on\n");
	CHECK_NOT(errbuf, "warning");
	CHECK_RUN(0, "--json", "load", "--check", k, "-c", "liveupdate=on");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"loaded\":false,\"cmdline\":\"liveupdate=on\","
		  "\"keeps_update\":true,\"warning\":null");
	CHECK_RUN(0, "--json", "load", "--check", k, "-c", "x", "-f");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"keeps_update\":false,\"warning\":\"the next kernel");
	CHECK_RUN(2, "--json", "load", "--check", k, "-c", "x");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"error\":");
	CHECK_RUN(2, "unload", "extra");
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
	put(sysfs, "check", "");
	CHECK_RUN(1, "update", "--dry-run");
	CHECK_OUT(errbuf, "no kexec kernel loaded");
	put(root, "kexec_loaded", "1\n");
	CHECK_RUN(0, "update", "--dry-run");
	CHECK_OUT(out, "no policy vetoes PREPARE");
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
	put(sysfs, "blackout", "reboot 500000\norchestrator 2500\n"
	    "blackout 2500000\nfinish 7000\n");
	CHECK_RUN(0, "stats");
	CHECK_OUT(out, "  reboot             500.000 us  20.0000%");
	CHECK_OUT(out, "  orchestrator         2.500 us   0.1000%");
	CHECK_OUT(out, "  finish               7.000 us\n");
	CHECK_RUN(0, "stats", "--prometheus");
	CHECK_OUT(out, "luo_last_blackout_phase_seconds{phase=\"orchestrator\"} "
		  "0.000002500");
	CHECK_RUN(0, "stats", "--json");
	CHECK_OUT(out, "\"blackout_phases\":[{\"name\":\"reboot\",\"ns\":500000},");
	rm(sysfs, "blackout");
	CHECK_RUN(0, "stats", "--json");
	CHECK_OUT(out, "\"blackout_phases\":null");
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
	CHECK_OUT(out, "{\"schema\":1,\"participants\":[{\"priority\":0,"
		  "\"kind\":\"native\",\"name\":\"memfd\"},");
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

	/* the trace instance goes under --tracefs-root (or LUO_TRACEFS_ROOT) */
	CHECK_RUN(1, "--tracefs-root", "/nonexistent", "watch", "--timeout", "10");
	CHECK_OUT(errbuf, "cannot create the trace instance /nonexistent/instances/luo-watch-");
	CHECK_RUN(0, "watch", "--poll", "--timeout", "250");
	CHECK(out[0] == '\0');

	pid = fork();
	if (pid == 0) {
		usleep(200 * 1000);
		put_live(sysfs, "state", "prepared\n");
		usleep(500 * 1000);
		put_live(sysfs, "state", "normal\n");
		_exit(0);
	}
	{
		int rc = run_luoctl("watch", "--poll", "--count", "2", "--timeout", "5000", NULL);

		waitpid(pid, &status, 0);
		if (rc != 0)
			FAIL("watch exit %d: %.200s", rc, errbuf);
	}
	if (sscanf(out, "%lf %31s -> %31s", &ts, a, b) != 3 || ts <= 0 ||
	    strcmp(a, "normal") || strcmp(b, "prepared"))
		FAIL("bad first watch line: %.200s", out);
	CHECK_OUT(out, " prepared -> normal\n");

	CHECK_RUN(1, "watch", "-p", "--count", "1", "--timeout", "200");
	CHECK_OUT(errbuf, "stopped after 0 of 1 transitions");

	/* --json: one object per line */
	pid = fork();
	if (pid == 0) {
		usleep(200 * 1000);
		put_live(sysfs, "state", "prepared\n");
		_exit(0);
	}
	{
		int rc = run_luoctl("watch", "--poll", "--json", "--count", "1",
				    "--timeout", "5000", NULL);

		waitpid(pid, &status, 0);
		if (rc != 0)
			FAIL("watch --json exit %d: %.200s", rc, errbuf);
	}
	CHECK(!strncmp(out, "{\"schema\":1,\"monotonic_s\":", 26));
	CHECK_OUT(out, "\"from\":\"normal\",\"to\":\"prepared\"}\n");
	CHECK_JSON(out);
}

static void t_cli_policy(void)
{
	if (luo_policy_supported()) {
		CHECK_RUN(0, "policy", "list", "--json");
		CHECK_OUT(out, "{\"schema\":1,\"policies\":[]}");
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

/* luoctl update when the kexec reboot fails (luoctl-inject) */
static void t_cli_update_reboot(void)
{
	char buf[32];

	put(root, "kexec_loaded", "1\n");
	setenv("LUO_INJECT_REBOOT", "-1", 1);
	setenv("LUO_INJECT_REBOOT_STATE", "normal\n", 1);
	setenv("LUO_INJECT_REBOOT_RECORD", VETO_REBOOT, 1);
	CHECK_INJ(5, "update");
	CHECK_OUT(errbuf, "refused by policy 'window': outside maintenance "
		  "window (EPERM)");
	CHECK_OUT(errbuf, "reboot");
	CHECK_NOT(errbuf, "prepared");
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);

	setenv("LUO_INJECT_REBOOT", "-5", 1);
	setenv("LUO_INJECT_REBOOT_RECORD", "event=reboot participant=kvm "
	       "errno=-5 sequence=3 time_ns=1700000000000000002\n", 1);
	CHECK_INJ(6, "update");
	CHECK_OUT(errbuf, "failed in participant 'kvm'");

	/* EBUSY from kexec is not a wrong state; our prepare is undone */
	setenv("LUO_INJECT_REBOOT", "-16", 1);
	unsetenv("LUO_INJECT_REBOOT_STATE");
	unsetenv("LUO_INJECT_REBOOT_RECORD");
	CHECK_INJ(1, "update");
	CHECK_OUT(errbuf, "prepare cancelled");
	get(sysfs, "state", buf, sizeof(buf));
	CHECK(!strcmp(buf, "normal\n"));
}

/* one exposition line: "name[{k="v",...}] value" (value parses whole) */
static bool prom_line_ok(const char *l)
{
	bool quoted = false;
	const char *p = l;
	char *e;

	if (!strncmp(l, "# HELP ", 7) || !strncmp(l, "# TYPE ", 7))
		return true;
	while (*p == '_' || (*p >= 'a' && *p <= 'z'))
		p++;
	if (p == l)
		return false;
	if (*p == '{') {
		for (p++; *p && (quoted || *p != '}'); p++) {
			if (quoted && *p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quoted = !quoted;
		}
		if (*p++ != '}')
			return false;
	}
	if (*p++ != ' ')
		return false;
	strtod(p, &e);
	return e != p && !*e;
}

/* the lossless watch, on a fake tracefs: every kind of event, in order */
static void t_watch(void)
{
	struct luo_ctx_opts o = { .sz = sizeof(o) };
	struct luo_watch_event ev = { .sz = sizeof(ev) };
	char tr[600], inst[700], buf[16];
	struct luo_watch *w;
	struct luo_ctx *c;
	struct timespec now;

	snprintf(tr, sizeof(tr), "%s/tracing", root);
	snprintf(inst, sizeof(inst), "%s/instances", tr);
	mkdir(tr, 0755);
	mkdir(inst, 0755);
	o.sysfs_root = sysfs;
	o.tracefs_root = tr;
	c = luo_ctx_new(&o);
	CHECK(c);
	/* not a tracefs: the instance has no files */
	CHECK(luo_watch_open(c, &w) == -ENOENT);
	CHECK(strstr(luo_errmsg(c), "trace events"));

	snprintf(inst + strlen(inst), sizeof(inst) - strlen(inst),
		 "/luo-watch-%d", (int)getpid());
	mkdir(inst, 0755);
	put(inst, "trace_clock", "");
	snprintf(tr, sizeof(tr), "%s/events", inst);
	mkdir(tr, 0755);
	strcat(tr, "/liveupdate");
	mkdir(tr, 0755);
	put(tr, "enable", "");
	clock_gettime(CLOCK_MONOTONIC, &now);
	{
		char lines[2048];

		snprintf(lines, sizeof(lines),
			 " bash-1 [000] ..... %ld.000001: liveupdate_event_start: event=prepare participants=2 ret=0\n"
			 " bash-1 [000] ..... %ld.000002: liveupdate_policy_verdict: policy=win event=prepare verdict=0 reason=\n"
			 " bash-1 [000] ..... %ld.000003: liveupdate_participant: event=prepare name=kvm kind=native priority=1 ret=0 duration_ns=5\n"
			 " bash-1 [000] ..... %ld.000004: liveupdate_transition: normal -> prepared seq=4 cause=sysfs\n"
			 " bash-1 [000] ..... %ld.000005: liveupdate_policy_verdict: policy=win event=reboot verdict=-1 reason=closed until 02:00\n"
			 " bash-1 [000] ..... %ld.000005: liveupdate_policy_verdict: policy=win event=reboot verdict=0 reason=CPU:0 [LOST 9 EVENTS]\n"
			 " bash-1 [000] ..... %ld.000006: liveupdate_participant: event=prepare name=kvm kind=native priority=1 ret=-5 duration_ns=5\n"
			 " bash-1 [000] ..... %ld.000007: liveupdate_rollback: event=prepare failed=kvm err=-5 cancelled=2\n"
			 " kworker-9 [001] ..... %ld.000008: liveupdate_eject: name=p2 kind=invalid-return op=cancel err=-22 msg=returned 1, not 0 or -errno\n"
			 "CPU:1 [LOST 12 EVENTS]\n"
			 " bash-1 [000] ..... %ld.000009: liveupdate_transition: prepared -> normal seq=4\n"
			 " bash-1 [000] ..... %ld.000010: liveupdate_transition: garbage\n",
			 (long)now.tv_sec, (long)now.tv_sec, (long)now.tv_sec,
			 (long)now.tv_sec, (long)now.tv_sec, (long)now.tv_sec,
			 (long)now.tv_sec, (long)now.tv_sec, (long)now.tv_sec,
			 (long)now.tv_sec, (long)now.tv_sec);
		put(inst, "trace_pipe", lines);
	}
	CHECK_ERR(luo_watch_open(c, &w), 0);
	get(tr, "enable", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	get(inst, "trace_clock", buf, sizeof(buf));
	CHECK(!strcmp(buf, "mono"));

	CHECK(!luo_watch_next(w, &ev, 1000));
	CHECK(ev.kind == LUO_WATCH_TRANSITION && ev.from == LUO_STATE_NORMAL &&
	      ev.to == LUO_STATE_PREPARED && ev.sequence == 4);
	CHECK(!strcmp(ev.detail, "sysfs"));
	/* a realtime stamp: within a minute of now */
	CHECK(ev.time_ns / 1000000000 + 60 > (uint64_t)time(NULL) &&
	      ev.time_ns / 1000000000 < (uint64_t)time(NULL) + 60);
	CHECK(!luo_watch_next(w, &ev, 1000));
	CHECK(ev.kind == LUO_WATCH_VETO && ev.err == -1 && ev.sequence == 4);
	CHECK(!strcmp(ev.name, "win") && !strcmp(ev.event, "reboot"));
	CHECK(!strcmp(ev.detail, "closed until 02:00"));
	CHECK(!luo_watch_next(w, &ev, 1000));
	CHECK(ev.kind == LUO_WATCH_FAILURE && ev.err == -EIO &&
	      !strcmp(ev.name, "kvm") && !strcmp(ev.detail, "native"));
	CHECK(!luo_watch_next(w, &ev, 1000));
	CHECK(ev.kind == LUO_WATCH_ROLLBACK && ev.err == -EIO &&
	      !strcmp(ev.detail, "2"));
	CHECK(!luo_watch_next(w, &ev, 1000));
	CHECK(ev.kind == LUO_WATCH_EJECT && ev.err == -EINVAL &&
	      !strcmp(ev.event, "cancel") &&
	      !strcmp(ev.detail, "invalid-return: returned 1, not 0 or -errno"));
	CHECK(!luo_watch_next(w, &ev, 1000));
	CHECK(ev.kind == LUO_WATCH_LOST && ev.err == 12);
	CHECK(!luo_watch_next(w, &ev, 1000));
	CHECK(ev.kind == LUO_WATCH_TRANSITION && ev.to == LUO_STATE_NORMAL &&
	      !ev.detail[0]);
	CHECK(luo_watch_next(w, &ev, 1000) == -EPROTO);
	CHECK(strstr(luo_errmsg(c), "unexpected trace line"));
	CHECK(luo_watch_next(w, &ev, 100) == -ETIMEDOUT);
	luo_watch_close(w);
	get(tr, "enable", buf, sizeof(buf));
	CHECK(!strcmp(buf, "0"));
	luo_ctx_free(c);
}

/* update --via-systemd: preflight, prepare, then "systemctl kexec" (a fake) */
static void t_cli_update_systemd(void)
{
	char bin[600], path[4096], buf[64];
	const char *old = getenv("PATH");

	snprintf(bin, sizeof(bin), "%s/bin", root);
	mkdir(bin, 0755);
	put(bin, "systemctl", "#!/bin/sh\necho \"$*\" > \"$(dirname \"$0\")/args\"\n"
	    "exit $(cat \"$(dirname \"$0\")/rc\")\n");
	snprintf(path, sizeof(path), "%s/systemctl", bin);
	chmod(path, 0755);
	put(bin, "rc", "0\n");
	snprintf(path, sizeof(path), "%s:%s", bin, old ? old : "/usr/bin:/bin");
	setenv("PATH", path, 1);
	put(sysfs, "check", "");

	CHECK_RUN(2, "update", "--via-systemd", "--dry-run");
	CHECK_RUN(1, "update", "--via-systemd");
	CHECK_OUT(errbuf, "no kexec kernel loaded");
	get(bin, "args", buf, sizeof(buf));
	CHECK(!buf[0]);

	put(root, "kexec_loaded", "1\n");
	CHECK_RUN(0, "update", "--via-systemd");
	CHECK_OUT(out, "systemd stops the services");
	get(bin, "args", buf, sizeof(buf));
	CHECK(!strcmp(buf, "kexec\n"));
	get(sysfs, "check", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	get(sysfs, "prepare", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);

	/* systemctl fails: the prepare done here is undone */
	put(sysfs, "prepare", "");
	put(bin, "rc", "3\n");
	CHECK_RUN(1, "update", "--via-systemd");
	CHECK_OUT(errbuf, "systemctl kexec failed (exit 3): the prepare was cancelled");
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!strcmp(buf, "1"));
	/* already prepared: left prepared */
	put(sysfs, "cancel", "");
	put(sysfs, "state", "prepared\n");
	CHECK_RUN(1, "update", "--via-systemd");
	CHECK_OUT(errbuf, "still prepared");
	get(sysfs, "cancel", buf, sizeof(buf));
	CHECK(!buf[0]);
	setenv("PATH", old ? old : "/usr/bin:/bin", 1);
}

static void t_cli_stats_prometheus(void)
{
	char *l, *save = NULL;

	put(sysfs, "state", "prepared\n");
	put(sysfs, "sequence", "3\n");
	put(sysfs, "last_blackout_ns", "2500000\n");
	put(sysfs, "last_failure", "event=prepare policy=window errno=-1 "
	    "sequence=3 time_ns=1764136800123456789 reason=closed \"now\"\n");
	put(sysfs, "exits", "p1 kind=invalid-return op=prepare errno=-22 msg=returned 7\n"
	    "p2 kind=over-budget op=cancel errno=-62 msg=took 30 ms, budget 20 ms\n"
	    "p3 kind=invalid-return op=reboot errno=-22 msg=returned 1\n");
	put(debugfs, "last_update", "memfd native 0 prepare 0 12000\n"
	    "window bpf 2 prepare -1 900\n");
	CHECK_RUN(0, "stats", "--prometheus");
	CHECK_OUT(out, "luo_enabled 1\n");
	CHECK_OUT(out, "luo_state{state=\"normal\"} 0\nluo_state{state=\"prepared\"} 1\n"
		  "luo_state{state=\"updated\"} 0\n");
	CHECK_OUT(out, "luo_sequence 3\n");
	CHECK_OUT(out, "luo_last_blackout_seconds 0.002500000\n");
	CHECK_OUT(out, "luo_last_failure_info{event=\"prepare\",kind=\"policy\","
		  "name=\"window\",errno=\"EPERM\"} 1\n");
	CHECK_OUT(out, "luo_last_failure_timestamp_seconds 1764136800.123456789\n");
	CHECK_OUT(out, "luo_last_failure_sequence 3\n");
	CHECK_OUT(out, "luo_bpf_ejections{kind=\"invalid-return\"} 2\n"
		  "luo_bpf_ejections{kind=\"over-budget\"} 1\n");
	CHECK_OUT(out, "luo_participant_last_duration_seconds{participant=\"memfd\","
		  "kind=\"native\",event=\"prepare\"} 0.000012000\n");
	CHECK_OUT(out, "luo_participant_last_errno{participant=\"window\","
		  "kind=\"bpf\",event=\"prepare\"} -1\n");
	CHECK_OUT(out, "# TYPE luo_sequence gauge\n");
	for (l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (!prom_line_ok(l))
			FAIL("not the exposition format: '%s'", l);

	/* nothing failed, no debugfs, a kernel without exits */
	put(sysfs, "last_failure", "none\n");
	rm(sysfs, "exits");
	rm(debugfs, "last_update");
	CHECK_RUN(0, "stats", "-p");
	CHECK_NOT(out, "luo_last_failure_info{");
	CHECK_NOT(out, "luo_participant_last_duration_seconds{");
	CHECK_OUT(out, "luo_bpf_ejections{kind=\"over-budget\"} 0\n");
	put(sysfs, "exits", "garbage\n");
	CHECK_RUN(1, "stats", "--prometheus");
	CHECK_OUT(errbuf, "malformed");
	CHECK_RUN(2, "--json", "stats", "--prometheus");
	CHECK_JSON(out);
}

static void t_blackout_phases(void)
{
	struct luo_phase *ph;
	size_t n;

	rm(sysfs, "blackout");
	CHECK_ERR(luo_get_blackout_phases(ctx, &ph, sizeof(*ph), &n), -ENOENT);
	put(sysfs, "blackout", "");
	CHECK_ERR(luo_get_blackout_phases(ctx, &ph, sizeof(*ph), &n), 0);
	CHECK(n == 0 && !ph);
	put(sysfs, "blackout", "reboot 4000\norchestrator 300\nboot 90000\n"
	    "blackout 94000\n");
	CHECK_ERR(luo_get_blackout_phases(ctx, &ph, sizeof(*ph), &n), 0);
	CHECK(n == 4 && !strcmp(ph[1].name, "orchestrator") && ph[1].ns == 300);
	CHECK(!strcmp(ph[3].name, "blackout") && ph[3].ns == 94000);
	free(ph);
	static const char *const bad[] = {
		"reboot\n", "reboot x\n", "reboot -1\n", "reboot 1 2\n",
		"a_phase_name_longer_than_31_bytes_x 1\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(sysfs, "blackout", bad[i]);
		if (luo_get_blackout_phases(ctx, &ph, sizeof(*ph), &n) != -EPROTO)
			FAIL("'%s' accepted", bad[i]);
	}
	rm(sysfs, "blackout");
}

static void t_exits(void)
{
	struct luo_exit *x;
	size_t n;

	put(sysfs, "exits", "");
	CHECK_ERR(luo_get_exits(ctx, &x, sizeof(*x), &n), 0);
	CHECK(n == 0 && !x);
	put(sysfs, "exits", "pol kind=over-budget op=may_prepare errno=-62 "
	    "msg=took 30 ms, budget 20 ms\n"
	    "p2 kind=invalid-return op=cancel errno=-22 msg=returned 1\n");
	CHECK_ERR(luo_get_exits(ctx, &x, sizeof(*x), &n), 0);
	CHECK(n == 2);
	CHECK(!strcmp(x[0].name, "pol") && !strcmp(x[0].kind, "over-budget"));
	CHECK(!strcmp(x[0].op, "may_prepare") && x[0].err == -ETIME);
	CHECK(!strcmp(x[0].msg, "took 30 ms, budget 20 ms"));
	CHECK(!strcmp(x[1].name, "p2") && x[1].err == -EINVAL);
	free(x);
	static const char *const bad[] = {
		"pol\n", "pol kind=x\n", "pol op=a kind=b errno=-1 msg=\n",
		"pol kind=a op=b errno=x msg=m\n", "pol kind=a op=b errno=5 msg=m\n",
		"pol kind=a op=b errno=-1\n", " kind=a op=b errno=-1 msg=m\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(sysfs, "exits", bad[i]);
		if (luo_get_exits(ctx, &x, sizeof(*x), &n) != -EPROTO)
			FAIL("'%s' accepted", bad[i]);
	}
	CHECK_MSG("malformed");
	rm(sysfs, "exits");
	CHECK_ERR(luo_get_exits(ctx, &x, sizeof(*x), &n), -ENOENT);
	CHECK_ERR(luo_get_exits(ctx, &x, 1, &n), -EINVAL);
}

/* ---------------------------------------------------------------- */
/* library: the prepare lease                                        */

static void t_lease(void)
{
	static const char *const bad[] = {
		"", "x\n", "-1\n", "12ms\n", "4294967296\n",
	};
	char buf[32];
	uint32_t ms = 7;

	CHECK_ERR(luo_get_prepare_lease(ctx, &ms), 0);
	CHECK(ms == 0);
	put(sysfs, "prepare_lease_ms", "1500\n");
	CHECK_ERR(luo_get_prepare_lease(ctx, &ms), 0);
	CHECK(ms == 1500);
	CHECK_ERR(luo_set_prepare_lease(ctx, 2000), 0);
	get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
	CHECK(!strcmp(buf, "2000"));
	CHECK(!luo_errmsg(ctx)[0]);
	CHECK_ERR(luo_set_prepare_lease(ctx, LUO_PREPARE_LEASE_MAX_MS), 0);
	get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
	CHECK(!strcmp(buf, "86400000"));
	CHECK_ERR(luo_set_prepare_lease(ctx, 0), 0);
	get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
	CHECK(!strcmp(buf, "0"));
	/* too long: refused here, nothing written */
	CHECK_ERR(luo_set_prepare_lease(ctx, LUO_PREPARE_LEASE_MAX_MS + 1),
		  -EINVAL);
	CHECK_MSG("at most 86400000 ms");
	get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
	CHECK(!strcmp(buf, "0"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(sysfs, "prepare_lease_ms", bad[i]);
		if (luo_get_prepare_lease(ctx, &ms) != -EPROTO)
			FAIL("'%s' accepted", bad[i]);
	}
	CHECK_MSG("prepare_lease_ms");
	rm(sysfs, "prepare_lease_ms");
	CHECK_ERR(luo_get_prepare_lease(ctx, &ms), -ENOENT);
	CHECK_MSG("not provided by this kernel");
	CHECK_ERR(luo_set_prepare_lease(ctx, 100), -ENOENT);
	CHECK_MSG("kernel without prepare lease");
}

/* what the kernel refuses a lease with, each with its own message */
static void t_lease_errnos(void)
{
	static const struct { int err; const char *msg; } v[] = {
		{ -EPERM, "CAP_SYS_BOOT" },
		{ -EACCES, "CAP_SYS_BOOT" },
		{ -EINVAL, "kernel rejected '500'" },
		{ -EBUSY, "a kexec under way" },
		{ -EOPNOTSUPP, "disabled" },
		{ -EIO, "Input/output error" },
	};
	char buf[32];

	strcpy(inject_file, "prepare_lease_ms");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		inject_err = v[i].err;
		CHECK_ERR(luo_set_prepare_lease(ctx, 500), v[i].err);
		CHECK_MSG(v[i].msg);
		CHECK_MSG("prepare lease");
		CHECK(luo_error_cause(ctx, NULL) == LUO_CAUSE_NONE);
	}
	get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
	CHECK(!strcmp(buf, "0\n"));
	make_dir_instead(sysfs, "prepare_lease_ms");
	inject_file[0] = '\0';
	CHECK_ERR(luo_set_prepare_lease(ctx, 500), -EISDIR);
}

static void t_cli_participants_truncated(void)
{
	put(sysfs, "participants", "0 native memfd\n1 bpf window\n... 7 more\n");
	CHECK_RUN(0, "participants");
	CHECK_OUT(out, "1    bpf    window\n");
	CHECK_OUT(out, "... 7 more\n");
}

/* the exit code of each cause (luoctl-inject) */
static void t_cli_exit_codes(void)
{
	setenv("LUO_INJECT_WRITE", "prepare=-1", 1);
	setenv("LUO_INJECT_RECORD", "event=prepare policy=window errno=-1 "
	       "sequence=0 time_ns=1 reason=outside maintenance window\n", 1);
	CHECK_INJ(5, "prepare");
	CHECK_OUT(errbuf, "refused by policy 'window'");
	setenv("LUO_INJECT_WRITE", "prepare=-5", 1);
	setenv("LUO_INJECT_RECORD", "event=prepare participant=kvm errno=-5 "
	       "sequence=0 time_ns=2\n", 1);
	CHECK_INJ(6, "prepare");
	CHECK_OUT(errbuf, "failed in participant 'kvm'");
	/* EPERM with no new record: no CAP_SYS_BOOT, not a veto */
	setenv("LUO_INJECT_WRITE", "prepare=-1", 1);
	unsetenv("LUO_INJECT_RECORD");
	CHECK_INJ(7, "prepare");
	CHECK_NOT(errbuf, "kvm");
	setenv("LUO_INJECT_WRITE", "finish=-13", 1);
	CHECK_INJ(7, "finish");
	unsetenv("LUO_INJECT_WRITE");
	/* EBUSY from a transition: wrong state */
	put(sysfs, "state", "prepared\n");
	CHECK_INJ(3, "prepare");
	CHECK_OUT(errbuf, "'prepared'");
	CHECK_INJ(3, "finish");
	/* the orchestrator's own check: no handover possible */
	setenv("LUO_INJECT_WRITE", "prepare=-19", 1);
	setenv("LUO_INJECT_RECORD", "event=prepare participant=handover "
	       "errno=-19 sequence=0 time_ns=3 reason=no KHO handover block\n", 1);
	put(sysfs, "state", "normal\n");
	CHECK_INJ(4, "prepare");
	CHECK_OUT(errbuf, "handover");
	unsetenv("LUO_INJECT_WRITE");
	put(sysfs, "enabled", "0\n");
	CHECK_INJ(4, "update", "--dry-run");
}

/* reasons are untrusted bytes: JSON stays valid UTF-8 */
static void t_cli_json_bytes(void)
{
	put(sysfs, "last_failure", "event=prepare policy=w\xff errno=-1 "
	    "sequence=0 time_ns=1 reason=a\x01" "b\x1f" "c\xff" "d\xc3\xa9"
	    "e\xe2\x82 \"q\\\t\x7f\xed\xa0\x80" "z\n");
	CHECK_RUN(0, "status", "--json");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"reason\":\"a\\u0001b\\u001fc\\ufffdd\xc3\xa9"
		  "e\\ufffd\\ufffd \\\"q\\\\\\t\\u007f\\ufffd\\ufffd\\ufffdz\"");
	CHECK_OUT(out, "\"participant\":\"w\\ufffd\"");
	CHECK_OUT(out, "\"by_policy\":true");
	CHECK(!strncmp(out, "{\"schema\":1,", 12));
	CHECK_RUN(0, "stats", "--json");
	CHECK_JSON(out);
	CHECK(!strncmp(out, "{\"schema\":1,", 12));
	CHECK_OUT(out, "\"by_policy\":true");
	/* text output does not pass control bytes to the terminal */
	CHECK_RUN(0, "status");
	CHECK_NOT(out, "\x01");
	CHECK_NOT(out, "\x1f");
	CHECK_NOT(out, "\xff");
	CHECK_OUT(out, "d\xc3\xa9");
}

static void t_cli_json_errors(void)
{
	setenv("LUO_INJECT_WRITE", "prepare=-1", 1);
	setenv("LUO_INJECT_RECORD", "event=prepare policy=window errno=-1 "
	       "sequence=0 time_ns=1 reason=outside\xff window\n", 1);
	CHECK_INJ(5, "--json", "prepare");
	CHECK_JSON(out);
	CHECK(!errbuf[0]);
	CHECK_OUT(out, "{\"schema\":1,\"error\":{\"errno\":-1,\"name\":\"EPERM\","
		  "\"message\":\"prepare refused by policy 'window': "
		  "outside\\ufffd window (EPERM)\",\"by_policy\":true,"
		  "\"participant\":\"window\"");
	unsetenv("LUO_INJECT_RECORD");
	CHECK_INJ(7, "--json", "prepare");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"name\":\"EPERM\"");
	CHECK_OUT(out, "\"by_policy\":false,\"participant\":null");
	unsetenv("LUO_INJECT_WRITE");
	/* usage errors and state errors too */
	CHECK_RUN(2, "--json", "status", "--bogus");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"error\":{\"errno\":-22,\"name\":\"EINVAL\"");
	put(sysfs, "state", "updated\n");
	CHECK_RUN(3, "update", "--dry-run", "--json");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"name\":\"EBUSY\"");
	put(sysfs, "state", "normal\n");
	/* a dry run prints only JSON */
	put(root, "kexec_loaded", "1\n");
	put(sysfs, "check", "");
	CHECK_RUN(0, "update", "--dry-run", "--json");
	CHECK_JSON(out);
	CHECK(!strncmp(out, "{\"schema\":1,", 12));
	CHECK_OUT(out, "\"dry_run\":true,\"already_prepared\":false}");
	put(sysfs, "state", "prepared\n");
	CHECK_RUN(0, "update", "--dry-run");
	CHECK_OUT(out, "already prepared, so PREPARE's policies agreed");
	CHECK_RUN(0, "update", "--dry-run", "--json");
	CHECK_OUT(out, "\"already_prepared\":true}");
	put(sysfs, "state", "normal\n");
	/* every other command's JSON */
	CHECK_RUN(0, "prepare", "--json");
	CHECK_JSON(out);
	CHECK_OUT(out, "{\"schema\":1,\"command\":\"prepare\",\"ok\":true}");
	make_fake_bzimage("bzImage");
	{
		char k[512];

		snprintf(k, sizeof(k), "%s/bzImage", root);
		CHECK_RUN(0, "--json", "load", "--check", k, "-a", "liveupdate=on");
		CHECK_JSON(out);
		CHECK_OUT(out, "\"command\":\"load\"");
		CHECK_RUN(2, "--json", "load", root);
		CHECK_JSON(out);
	}
	CHECK_RUN(0, "--json", "watch", "--poll", "--timeout", "50");
	CHECK(!out[0]);
	CHECK_RUN(1, "--json", "watch", "--poll", "--count", "1", "--timeout", "50");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"name\":\"ETIMEDOUT\"");
	/* -j is --json, before or after the command */
	CHECK_RUN(0, "-j", "participants");
	CHECK_JSON(out);
	CHECK_RUN(0, "participants", "-j");
	CHECK_JSON(out);
	CHECK_RUN(0, "--json", "participants");
	CHECK_JSON(out);
	CHECK_OUT(out, "{\"schema\":1,\"participants\":[{\"priority\":0,"
		  "\"kind\":\"native\",\"name\":\"memfd\"},");
	CHECK_OUT(out, "\"omitted\":0}");
	put(sysfs, "participants", "0 native memfd\n... 300 more\n");
	CHECK_RUN(0, "--json", "participants");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"omitted\":300}");
	CHECK_RUN(4, "--json", "--sysfs-root", "/nonexistent/luo", "status");
	CHECK_JSON(out);
}

/* the kernel's rule: no dot, at most 31 bytes; refused before loading */
static void t_cli_policy_names(void)
{
	char obj[512];

	put(root, "obj.o", "x");
	snprintf(obj, sizeof(obj), "%s/obj.o", root);
	CHECK_RUN(2, "policy", "attach", obj, "--name", "a.b");
	CHECK_OUT(errbuf, "'a.b'");
	CHECK_OUT(errbuf, "dot");
	CHECK_RUN(2, "policy", "attach", obj, "--name",
		  "abcdefghijklmnopqrstuvwxyz012345");	/* 32 */
	CHECK_OUT(errbuf, "31");
	CHECK_RUN(2, "policy", "detach", "a.b");
	CHECK_RUN(2, "--json", "policy", "attach", obj, "--name", "a.b");
	CHECK_JSON(out);
	/* 31 bytes pass the name check (and fail later: not an object) */
	CHECK_RUN(luo_policy_supported() ? 1 : 4, "policy", "attach", obj,
		  "--name", "abcdefghijklmnopqrstuvwxyz01234");
}

/* ---------------------------------------------------------------- */
/* luoctl and the prepare lease                                      */

/* --lease DURATION: N[ms|s|m|h], a bare number is seconds, at most 24h */
static void t_cli_lease_parse(void)
{
	static const struct { const char *arg, *file; } good[] = {
		{ "500ms", "500" }, { "2s", "2000" }, { "2", "2000" },
		{ "1m", "60000" }, { "1h", "3600000" }, { "24h", "86400000" },
		{ "86400000ms", "86400000" }, { "0", "0" }, { "0ms", "0" },
		{ "007s", "7000" },
	};
	static const char *const bad[] = {
		"", "ms", "s", "x", "2x", "2 s", " 2", "2s ", "+2", "-1", "1.5s",
		"0x10", "2sec", "1d", "2S", "25h", "86400001ms", "1441m",
		"86401", "99999999999999999999999", "18446744073709551617ms",
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(sysfs, "prepare_lease_ms", "1234\n");
		int rc = run_luoctl("prepare", "--lease", bad[i], NULL);

		if (rc != 2)
			FAIL("--lease '%s': exit %d, want 2", bad[i], rc);
		CHECK_OUT(errbuf, "--lease");
		get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
		get(sysfs, "prepare", buf + 16, sizeof(buf) - 16);
		if (strcmp(buf, "1234\n") || buf[16])
			FAIL("--lease '%s' changed something", bad[i]);
		rc = run_luoctl("update", "--lease", bad[i], NULL);
		if (rc != 2)
			FAIL("update --lease '%s': exit %d, want 2", bad[i], rc);
	}
	CHECK_RUN(2, "prepare", "--lease", "25h");
	CHECK_OUT(errbuf, "24h");
	CHECK_RUN(2, "prepare", "--lease", "2x");
	CHECK_OUT(errbuf, "a bare number is seconds");
	CHECK_RUN(2, "prepare", "--lease", "");
	CHECK_OUT(errbuf, "empty");
	CHECK_RUN(2, "prepare", "--lease");
	CHECK_RUN(2, "--json", "prepare", "--lease", "1d");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"name\":\"EINVAL\"");
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		/* luoctl-inject: its writes truncate, as sysfs' replace */
		put(sysfs, "state", "normal\n");
		put(sysfs, "prepare", "");
		CHECK_INJ(0, "prepare", "-l", good[i].arg);
		get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
		if (strcmp(buf, good[i].file))
			FAIL("--lease %s wrote '%s', want '%s'", good[i].arg,
			     buf, good[i].file);
		get(sysfs, "prepare", buf, sizeof(buf));
		CHECK(!strcmp(buf, "1"));
	}
	put(sysfs, "state", "normal\n");
	CHECK_INJ(0, "--json", "prepare", "--lease=3s");
	CHECK_OUT(out, "{\"schema\":1,\"command\":\"prepare\",\"ok\":true}");
}

/* prepare --lease: set, then prepare; a failed prepare restores it */
static void t_cli_prepare_lease(void)
{
	char buf[256], log[600];

	snprintf(log, sizeof(log), "%s/writes", root);
	setenv("LUO_INJECT_LOG", log, 1);
	put(sysfs, "prepare_lease_ms", "700\n");
	CHECK_INJ(0, "prepare", "--lease", "2s");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare_lease_ms=2000\nprepare=1\n"));
	get(sysfs, "state", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepared\n"));

	/* not from normal: exit 3, the lease of that prepare left alone */
	rm(root, "writes");
	CHECK_INJ(3, "prepare", "--lease", "5s");
	CHECK_OUT(errbuf, "'prepared'");
	CHECK_OUT(errbuf, "left alone");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!buf[0]);

	/* the prepare refused: the previous value is back */
	put(sysfs, "state", "normal\n");
	put(sysfs, "prepare_lease_ms", "700\n");
	setenv("LUO_INJECT_WRITE", "prepare=-5", 1);
	setenv("LUO_INJECT_RECORD", "event=prepare participant=kvm errno=-5 "
	       "sequence=0 time_ns=2\n", 1);
	CHECK_INJ(6, "prepare", "--lease", "2s");
	CHECK_OUT(errbuf, "failed in participant 'kvm'");
	get(root, "writes", log, sizeof(log));
	CHECK(!strcmp(log, "prepare_lease_ms=2000\nprepare=1\nprepare_lease_ms=700\n"));
	get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
	CHECK(!strcmp(buf, "700"));
	setenv("LUO_INJECT_RECORD", "event=prepare participant=kvm errno=-5 "
	       "sequence=0 time_ns=3\n", 1);
	CHECK_INJ(6, "--json", "prepare", "--lease", "2s");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"participant\":\"kvm\"");
	get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
	CHECK(!strcmp(buf, "700"));

	/* the lease refused: exit 7, no prepare */
	rm(root, "writes");
	setenv("LUO_INJECT_WRITE", "prepare_lease_ms=-1", 1);
	unsetenv("LUO_INJECT_RECORD");
	CHECK_INJ(7, "prepare", "--lease", "2s");
	CHECK_OUT(errbuf, "CAP_SYS_BOOT");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare_lease_ms=2000\n"));
	setenv("LUO_INJECT_WRITE", "prepare_lease_ms=-95", 1);
	CHECK_INJ(4, "prepare", "--lease", "2s");
	unsetenv("LUO_INJECT_WRITE");

	/* a kernel without the lease: exit 4, nothing written */
	rm(root, "writes");
	rm(sysfs, "prepare_lease_ms");
	CHECK_INJ(4, "prepare", "--lease", "2s");
	CHECK_OUT(errbuf, "not provided by this kernel");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!buf[0]);
	/* without --lease, prepare does not care */
	CHECK_INJ(0, "prepare");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare=1\n"));
}

static void t_cli_status_lease(void)
{
	CHECK_RUN(0, "status");
	CHECK_OUT(out, "prepare lease: none\n");
	CHECK_RUN(0, "status", "--json");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"prepare_lease_ms\":0,");
	put(sysfs, "prepare_lease_ms", "1500\n");
	CHECK_RUN(0, "status");
	CHECK_OUT(out, "prepare lease: 1500 ms\n");
	CHECK_RUN(0, "status", "--json");
	CHECK_OUT(out, "\"policy_support\":");
	CHECK_OUT(out, "\"prepare_lease_ms\":1500,\"last_failure\":");
	rm(sysfs, "prepare_lease_ms");
	CHECK_RUN(0, "status");
	CHECK_OUT(out, "prepare lease: unknown\n");
	CHECK_RUN(0, "status", "--json");
	CHECK_JSON(out);
	CHECK_OUT(out, "\"prepare_lease_ms\":null,");
}

/* count the lines of @log equal to @line */
static int count_lines(const char *log, const char *line)
{
	size_t n = strlen(line);
	int c = 0;

	for (const char *p = log; (p = strstr(p, line)); p += n)
		if ((p == log || p[-1] == '\n') && p[n] == '\n')
			c++;
	return c;
}

/*
 * The writes of an update whose kexec failed and was cancelled: @lease
 * first, then prepare=1, renewals (@lease again, also after the cancel
 * until the thread is stopped: harmless in normal), cancel=1, and
 * @restore last. The number of renewals, -1 if the log is not that.
 */
static int update_log_renewals(const char *log, const char *lease,
			       const char *restore)
{
	char copy[4096], *line[128], *save = NULL;
	int n = 0, renewals = 0, prep = -1, canc = -1;

	snprintf(copy, sizeof(copy), "%s", log);
	for (char *l = strtok_r(copy, "\n", &save); l && n < 128;
	     l = strtok_r(NULL, "\n", &save))
		line[n++] = l;
	if (n < 4 || strcmp(line[0], lease) || strcmp(line[n - 1], restore))
		return -1;
	for (int i = 1; i < n - 1; i++) {
		if (!strcmp(line[i], "prepare=1") && prep < 0)
			prep = i;
		else if (!strcmp(line[i], "cancel=1") && canc < 0)
			canc = i;
		else if (!strcmp(line[i], lease))
			renewals++;
		else
			return -1;
	}
	return prep > 0 && canc > prep ? renewals : -1;
}

/* update holds a lease: set before the prepare, renewed until the kexec,
 * the previous value back when the update fails */
static void t_cli_update_lease(void)
{
	char log[600], buf[4096];

	snprintf(log, sizeof(log), "%s/writes", root);
	setenv("LUO_INJECT_LOG", log, 1);
	put(sysfs, "prepare_lease_ms", "700\n");
	put(sysfs, "check", "");

	/* refused before the prepare: the lease is not touched */
	CHECK_INJ(1, "update");
	CHECK_OUT(errbuf, "no kexec kernel loaded");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!buf[0]);
	put(root, "kexec_loaded", "1\n");
	/* a dry run writes nothing but check */
	CHECK_INJ(0, "update", "--dry-run", "--lease", "5s");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "check=1\n"));
	rm(root, "writes");

	/* default 60s; the kexec fails (EBUSY): cancelled, 700 back */
	setenv("LUO_INJECT_REBOOT", "-16", 1);
	CHECK_INJ(1, "update");
	CHECK_OUT(errbuf, "prepare cancelled");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare_lease_ms=60000\nprepare=1\ncancel=1\n"
		      "prepare_lease_ms=700\n"));
	get(sysfs, "prepare_lease_ms", buf, sizeof(buf));
	CHECK(!strcmp(buf, "700"));

	/* 300ms, a kexec that takes 1 s to fail: renewed every 100 ms */
	rm(root, "writes");
	setenv("LUO_INJECT_REBOOT_DELAY_MS", "1000", 1);
	CHECK_INJ(1, "update", "--lease", "300ms");
	get(root, "writes", buf, sizeof(buf));
	if (update_log_renewals(buf, "prepare_lease_ms=300",
				"prepare_lease_ms=700") < 5)
		FAIL("not the writes of a renewed lease: %.400s", buf);
	CHECK(count_lines(buf, "prepare_lease_ms=300") < 20);

	/* --lease 0: none, nothing renewed */
	rm(root, "writes");
	setenv("LUO_INJECT_REBOOT_DELAY_MS", "300", 1);
	CHECK_INJ(1, "update", "--lease", "0");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare_lease_ms=0\nprepare=1\ncancel=1\n"
		      "prepare_lease_ms=700\n"));
	unsetenv("LUO_INJECT_REBOOT_DELAY_MS");

	/* REBOOT vetoed: the kernel rolled back; the lease restored */
	rm(root, "writes");
	setenv("LUO_INJECT_REBOOT", "-1", 1);
	setenv("LUO_INJECT_REBOOT_STATE", "normal\n", 1);
	setenv("LUO_INJECT_REBOOT_RECORD", VETO_REBOOT, 1);
	CHECK_INJ(5, "update", "-l", "2s");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare_lease_ms=2000\nprepare=1\n"
		      "prepare_lease_ms=700\n"));
	unsetenv("LUO_INJECT_REBOOT_STATE");
	unsetenv("LUO_INJECT_REBOOT_RECORD");

	/* already prepared: the lease covers the kexec too, restored after */
	rm(root, "writes");
	put(sysfs, "state", "prepared\n");
	setenv("LUO_INJECT_REBOOT", "-16", 1);
	CHECK_INJ(1, "update", "--lease", "2s");
	CHECK_OUT(errbuf, "still 'prepared'");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare_lease_ms=2000\nprepare_lease_ms=700\n"));
	put(sysfs, "state", "normal\n");

	/* the lease refused: nothing prepared */
	rm(root, "writes");
	setenv("LUO_INJECT_WRITE", "prepare_lease_ms=-1", 1);
	CHECK_INJ(7, "update");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare_lease_ms=60000\n"));
	unsetenv("LUO_INJECT_WRITE");

	/* a kernel without the lease: updated without one, or exit 4 */
	rm(root, "writes");
	rm(sysfs, "prepare_lease_ms");
	CHECK_INJ(1, "update");
	CHECK_OUT(errbuf, "updating without a lease");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "prepare=1\ncancel=1\n"));
	rm(root, "writes");
	CHECK_INJ(4, "update", "--lease", "30s");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!buf[0]);
}

/* update --via-systemd: the lease only with --lease, set once */
static void t_cli_update_systemd_lease(void)
{
	char bin[600], path[4096], buf[256];
	const char *old = getenv("PATH");

	snprintf(bin, sizeof(bin), "%s/bin", root);
	mkdir(bin, 0755);
	put(bin, "systemctl", "#!/bin/sh\nexit $(cat \"$(dirname \"$0\")/rc\")\n");
	snprintf(path, sizeof(path), "%s/systemctl", bin);
	chmod(path, 0755);
	put(bin, "rc", "0\n");
	snprintf(path, sizeof(path), "%s:%s", bin, old ? old : "/usr/bin:/bin");
	setenv("PATH", path, 1);
	snprintf(path, sizeof(path), "%s/writes", root);
	setenv("LUO_INJECT_LOG", path, 1);
	put(sysfs, "check", "");
	put(sysfs, "prepare_lease_ms", "700\n");
	put(root, "kexec_loaded", "1\n");

	CHECK_INJ(0, "update", "--via-systemd");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "check=1\nprepare=1\n"));
	rm(root, "writes");
	put(sysfs, "state", "normal\n");
	CHECK_INJ(0, "update", "--via-systemd", "--lease", "10m");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "check=1\nprepare_lease_ms=600000\nprepare=1\n"));
	/* systemctl fails: cancelled, the lease restored */
	rm(root, "writes");
	put(sysfs, "state", "normal\n");
	put(sysfs, "prepare_lease_ms", "700\n");
	put(bin, "rc", "3\n");
	CHECK_INJ(1, "update", "--via-systemd", "--lease", "10m");
	CHECK_OUT(errbuf, "the prepare was cancelled");
	get(root, "writes", buf, sizeof(buf));
	CHECK(!strcmp(buf, "check=1\nprepare_lease_ms=600000\nprepare=1\n"
		      "cancel=1\nprepare_lease_ms=700\n"));
	setenv("PATH", old ? old : "/usr/bin:/bin", 1);
}

/* ---------------------------------------------------------------- */
/* make install, exported symbols, completion: tests/install_check.sh on
 * the temporary DESTDIR that make test installed into (LUO_TEST_INSTALL)
 */

static int run_script(const char *first, ...)
{
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = run_bin("/bin/bash", first, ap);
	va_end(ap);
	return rc;
}

static void install_check(const char *check)
{
	char script[512];
	int rc;

	snprintf(script, sizeof(script), "%s/tests/install_check.sh",
		 getenv("LUO_TEST_SRC"));
	rc = run_script(script, check, luoctl_path, NULL);
	if (rc)
		FAIL("exit %d: %.400s", rc, errbuf[0] ? errbuf : out);
}

static void t_install(void) { install_check("install"); }
static void t_install_files(void) { install_check("files"); }
static void t_install_symlinks(void) { install_check("symlinks"); }
static void t_install_pkgconfig(void) { install_check("pkgconfig"); }
static void t_install_man(void) { install_check("man"); }
static void t_completion(void) { install_check("completion"); }
static void t_exported_symbols(void) { install_check("symbols"); }
static void t_systemd_units(void) { install_check("systemd"); }

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
	bool inject;	/* also needs luoctl-inject */
	bool install;	/* needs make test's install (LUO_TEST_INSTALL) */
};

#define T(f) { #f + 2, f, false, false, false, false }
#define C(f) { #f + 2, f, true, false, false, false }
#define B(f) { #f + 2, f, false, true, false, false }
#define I(f) { #f + 2, f, true, false, true, false }
#define X(f) { #f + 2, f, true, false, false, true }

static const struct test tests[] = {
	T(t_state_values), T(t_state_garbage), T(t_state_missing),
	T(t_enabled), T(t_sequence), T(t_blackout),
	T(t_failure_none), T(t_failure_reason), T(t_failure_noreason),
	T(t_failure_garbage), T(t_participants), T(t_participants_bad),
	T(t_participants_cb), T(t_timings), T(t_timings_bad),
	T(t_transitions_write), T(t_cancel_fallback), T(t_write_missing),
	T(t_write_unwritable), T(t_prepare_refused), T(t_kernel_errnos),
	T(t_errmsg_cleared), T(t_errno_names), T(t_ctx_opts), T(t_struct_sz),
	T(t_wait_timeout), T(t_wait_change),
	T(t_kexec_check), T(t_kexec_load_args), T(t_kexec_cmdline),
	T(t_kexec_loaded), T(t_exits), T(t_blackout_phases), T(t_watch),
	T(t_update_dry_run), T(t_update_refused), T(t_update_reboot_vetoed),
	T(t_update_reboot_failed), T(t_participants_truncated),
	T(t_policy_nolibbpf), B(t_policy_prechecks), B(t_bpf_setters),
	C(t_cli_usage), C(t_cli_help), C(t_cli_status), C(t_cli_missing_root),
	C(t_cli_load), C(t_cli_ops), C(t_cli_update),
	C(t_cli_stats_participants), C(t_cli_stats_prometheus),
	C(t_cli_update_systemd), C(t_cli_watch), C(t_cli_policy),
	I(t_cli_update_reboot), C(t_cli_participants_truncated),
	I(t_cli_exit_codes), C(t_cli_json_bytes), I(t_cli_json_errors),
	C(t_cli_policy_names), T(t_lease), T(t_lease_errnos),
	I(t_cli_lease_parse), I(t_cli_prepare_lease), C(t_cli_status_lease),
	I(t_cli_update_lease), I(t_cli_update_systemd_lease),
	X(t_install), X(t_install_files), X(t_install_symlinks),
	X(t_install_pkgconfig), X(t_install_man), X(t_completion),
	X(t_exported_symbols), X(t_systemd_units),
};

/* the planted cases of LUO_TEST_CANARY */
static void t_canary(void)
{
	FAIL("planted failure");
}

static const struct test canary_fail = T(t_canary);
static const struct test canary_skip = C(t_canary);

int main(int argc, char **argv)
{
	const struct test *list = tests;
	size_t n = sizeof(tests) / sizeof(tests[0]);
	const char *canary = getenv("LUO_TEST_CANARY");
	int passed = 0, failed = 0, skipped = 0;

	luoctl_path = argc > 1 ? argv[1] : NULL;
	luoctl_inject_path = argc > 2 ? argv[2] : NULL;
	for (int i = 1; i < argc && i < 3; i++) {
		if (access(argv[i], X_OK)) {
			fprintf(stderr, "%s: not executable\n", argv[i]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * LUO_TEST_CANARY=fail or =skip runs one planted case instead of the
	 * tests, through the same loop: one that fails, or one that needs
	 * luoctl and is given none, so it is skipped. The harness's own test
	 * that either turns the host run red.
	 */
	if (canary) {
		if (strcmp(canary, "fail") && strcmp(canary, "skip")) {
			fprintf(stderr, "LUO_TEST_CANARY: 'fail' or 'skip', not '%s'\n",
				canary);
			return 2;
		}
		list = strcmp(canary, "fail") ? &canary_skip : &canary_fail;
		n = 1;
		luoctl_path = NULL;
	}
	printf("TAP version 13\n1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		if ((list[i].cli && !luoctl_path) ||
		    (list[i].inject && !luoctl_inject_path)) {
			printf("ok %zu %s # SKIP no %s path given\n", i + 1,
			       list[i].name,
			       list[i].inject ? "luoctl-inject" : "luoctl");
			skipped++;
			continue;
		}
		if (list[i].install && (!getenv("LUO_TEST_INSTALL") ||
					 !getenv("LUO_TEST_SRC"))) {
			printf("ok %zu %s # SKIP no install to check (run by "
			       "make test)\n", i + 1, list[i].name);
			skipped++;
			continue;
		}
		if (list[i].bpf && (!luo_policy_supported() ||
				     !getenv("LUO_TEST_BPF_DIR"))) {
			printf("ok %zu %s # SKIP needs libbpf and clang-built "
			       "test objects\n", i + 1, list[i].name);
			skipped++;
			continue;
		}
		fail_reason[0] = '\0';
		setup();
		list[i].fn();
		teardown();
		if (fail_reason[0]) {
			/* keep the KTAP result on one line */
			for (char *c = fail_reason; *c; c++)
				if (*c == '\n')
					*c = ' ';
			luo_rstrip_test(fail_reason);
			printf("not ok %zu %s # %s\n", i + 1, list[i].name,
			       fail_reason);
			failed++;
		} else {
			printf("ok %zu %s\n", i + 1, list[i].name);
			passed++;
		}
	}
	/* a skipped case proved nothing */
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed || skipped ? 1 : 0;
}
