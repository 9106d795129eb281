// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libluo: /sys/kernel/liveupdate state machine and information files. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "luo_internal.h"

/* Slice used to re-read the state while waiting, so that a missed
 * notification (or a tree without sysfs_notify, as in tests) is noticed. */
#define LUO_POLL_SLICE_MS 200

static const char *const state_names[] = {
	[LUO_STATE_NORMAL]	= "normal",
	[LUO_STATE_PREPARED]	= "prepared",
	[LUO_STATE_UPDATED]	= "updated",
};

static const char *const event_names[] = {
	[LUO_EVENT_PREPARE]	= "prepare",
	[LUO_EVENT_REBOOT]	= "reboot",
	[LUO_EVENT_FINISH]	= "finish",
	[LUO_EVENT_CANCEL]	= "cancel",
};

const char *luo_state_str(enum luo_state state)
{
	if (state >= 0 && (size_t)state < ARRAY_SIZE(state_names))
		return state_names[state];
	return "unknown";
}

/* match @name against @s, allowing trailing whitespace in @s */
static bool word_eq(const char *s, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(s, name, n))
		return false;
	for (s += n; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

enum luo_state luo_state_from_str(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(state_names); i++)
		if (word_eq(s, state_names[i]))
			return (enum luo_state)i;
	return LUO_STATE_UNKNOWN;
}

const char *luo_event_str(enum luo_event ev)
{
	if (ev >= 0 && (size_t)ev < ARRAY_SIZE(event_names))
		return event_names[ev];
	return "unknown";
}

enum luo_event luo_event_from_str(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(event_names); i++)
		if (word_eq(s, event_names[i]))
			return (enum luo_event)i;
	return LUO_EVENT_UNKNOWN;
}

const char *luo_kind_str(enum luo_kind kind)
{
	switch (kind) {
	case LUO_KIND_NATIVE: return "native";
	case LUO_KIND_BPF: return "bpf";
	default: return "unknown";
	}
}

/* Read <dir>/<name> into buf with trailing whitespace stripped. */
int luo_read_attr(struct luo_ctx *ctx, const char *dir, const char *name,
		     char *buf, size_t sz)
{
	char path[PATH_MAX];
	int err;

	err = luo_path(ctx, path, sizeof(path), dir, name);
	if (err)
		return err;
	err = luo_read_file(ctx, path, buf, sz);
	if (err < 0)
		return err;
	luo_rstrip(buf);
	return 0;
}

static int parse_state(struct luo_ctx *ctx, const char *buf,
		       enum luo_state *state)
{
	enum luo_state s = luo_state_from_str(buf);

	if (s == LUO_STATE_UNKNOWN)
		return luo_err(ctx, -EPROTO,
			       "unrecognised state '%.64s' in %s/state",
			       buf, ctx->sysfs_root);
	*state = s;
	return 0;
}

int luo_get_state(struct luo_ctx *ctx, enum luo_state *state)
{
	char buf[64];
	int err;

	err = luo_read_attr(ctx, ctx->sysfs_root, "state", buf, sizeof(buf));
	if (err)
		return err;
	err = parse_state(ctx, buf, state);
	if (!err)
		luo_ok(ctx);
	return err;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* re-read an open sysfs attribute from offset 0 (also re-arms poll) */
static int reread_state(struct luo_ctx *ctx, int fd, const char *path,
			enum luo_state *state)
{
	char buf[64], eb[96];
	ssize_t n;

	do {
		n = pread(fd, buf, sizeof(buf) - 1, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = -errno;

		return luo_err(ctx, err, "cannot read %s: %s", path,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	buf[n] = '\0';
	luo_rstrip(buf);
	return parse_state(ctx, buf, state);
}

int luo_wait_state_change(struct luo_ctx *ctx, enum luo_state old,
			  enum luo_state *new_state, int timeout_ms)
{
	char path[PATH_MAX], eb[96];
	int64_t deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;
	enum luo_state cur = LUO_STATE_UNKNOWN;
	int fd, err;

	err = luo_path(ctx, path, sizeof(path), ctx->sysfs_root, "state");
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		return luo_err(ctx, err, "cannot open %s: %s", path,
			       luo_strerr(err, eb, sizeof(eb)));
	}

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI | POLLERR };
		int slice = LUO_POLL_SLICE_MS;

		/* read first: this both checks and arms the notification */
		err = reread_state(ctx, fd, path, &cur);
		if (err)
			break;
		if (cur != old) {
			*new_state = cur;
			luo_ok(ctx);
			break;
		}
		if (timeout_ms >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0) {
				err = luo_err(ctx, -ETIMEDOUT,
					      "state stayed '%s' for %d ms",
					      luo_state_str(old), timeout_ms);
				break;
			}
			if (left < slice)
				slice = (int)left;
		}
		if (poll(&pfd, 1, slice) < 0) {
			err = -errno;
			luo_err(ctx, err, "waiting for %s: %s", path,
				luo_strerr(err, eb, sizeof(eb)));
			break;
		}
	}
	close(fd);
	return err;
}

/* ---------------------------------------------------------------- */

/* EBUSY from the orchestrator: the state does not allow the step, or it
 * does and the kernel is busy with the kexec of a live update */
static int wrong_state(struct luo_ctx *ctx, const char *what, const char *expect)
{
	enum luo_state st = LUO_STATE_UNKNOWN;
	char buf[64];
	int err;

	if (luo_read_attr(ctx, ctx->sysfs_root, "state", buf, sizeof(buf)) == 0)
		st = luo_state_from_str(buf);
	if (st != LUO_STATE_UNKNOWN && !strcmp(luo_state_str(st), expect))
		err = luo_err(ctx, -EBUSY, "cannot %s: the live update is busy "
			      "(a kexec under way?) (EBUSY)", what);
	else if (st != LUO_STATE_UNKNOWN)
		err = luo_err(ctx, -EBUSY, "cannot %s: live update state is "
			      "'%s', expected '%s' (EBUSY)", what,
			      luo_state_str(st), expect);
	else
		err = luo_err(ctx, -EBUSY, "cannot %s: wrong live update "
			      "state, expected '%s' (EBUSY)", what, expect);
	luo_set_cause(ctx, LUO_CAUSE_STATE, NULL);
	return err;
}

static int do_transition(struct luo_ctx *ctx, const char *what,
			 const char *file, const char *val,
			 enum luo_event event, const char *expect)
{
	char path[PATH_MAX], eb[96], snap[LUO_FAILURE_LINE_MAX], buf[64];
	struct luo_failure f;
	bool fresh;
	int err;

	err = luo_path(ctx, path, sizeof(path), ctx->sysfs_root, file);
	if (err)
		return err;
	luo_failure_snapshot(ctx, snap, sizeof(snap));
	err = luo_write_attr(path, val);
	if (!err) {
		luo_ok(ctx);
		return 0;
	}
	/* a participant or a policy said no: the step wrote last_failure */
	fresh = luo_failure_fresh(ctx, snap, event, err, &f);

	switch (err) {
	case -ENOENT:
		return luo_err(ctx, err, "cannot %s: %s does not exist "
			       "(kernel without live update support?)",
			       what, path);
	case -EACCES:
	case -EPERM:
		if (fresh)
			break;
		return luo_err(ctx, err, "cannot %s: %s: %s (needs root and "
			       "CAP_SYS_BOOT)", what, path,
			       luo_strerr(err, eb, sizeof(eb)));
	case -EISDIR:
	case -ENOTDIR:
	case -EROFS:
		return luo_err(ctx, err, "cannot %s: cannot write %s: %s",
			       what, path, luo_strerr(err, eb, sizeof(eb)));
	case -EOPNOTSUPP:
		if (fresh)
			break;
		return luo_err(ctx, err, "cannot %s: live update is disabled "
			       "(%s/enabled is 0)", what, ctx->sysfs_root);
	case -EBUSY:
		/* in the expected state, EBUSY came from a participant */
		if (fresh && luo_read_attr(ctx, ctx->sysfs_root, "state", buf,
				       sizeof(buf)) == 0 &&
		    (!strcmp(expect, "any") ||
		     luo_state_from_str(buf) == luo_state_from_str(expect)))
			break;
		return wrong_state(ctx, what, expect);
	case -EINVAL:
		if (fresh)
			break;
		return luo_err(ctx, err, "cannot %s: kernel rejected '%s' "
			       "written to %s (EINVAL)", what, val, path);
	case -EINTR:
		return luo_err(ctx, err, "%s interrupted (EINTR)", what);
	default:
		break;
	}

	if (fresh) {
		char desc[LUO_MSG_MAX - 64];

		luo_failure_describe(&f, desc, sizeof(desc));
		err = luo_err(ctx, err, "%s %s", what, desc);
		luo_set_cause(ctx, f.by_policy ? LUO_CAUSE_POLICY :
			      LUO_CAUSE_PARTICIPANT, &f);
		return err;
	}
	return luo_err(ctx, err, "%s failed: %s", what,
		       luo_strerr(err, eb, sizeof(eb)));
}

int luo_prepare(struct luo_ctx *ctx)
{
	return do_transition(ctx, "prepare", "prepare", "1",
			     LUO_EVENT_PREPARE, "normal");
}

int luo_check(struct luo_ctx *ctx)
{
	char path[PATH_MAX];
	int err;

	err = luo_path(ctx, path, sizeof(path), ctx->sysfs_root, "check");
	if (err)
		return err;
	/* never fall back to a real prepare: that would run every handler */
	if (access(path, F_OK) && errno == ENOENT)
		return luo_err(ctx, -EOPNOTSUPP, "cannot check: %s does not "
			       "exist (a kernel without the preflight cannot ask "
			       "the policies without running PREPARE)", path);
	return do_transition(ctx, "check", "check", "1",
			     LUO_EVENT_PREPARE, "normal");
}

int luo_cancel(struct luo_ctx *ctx)
{
	char path[PATH_MAX];
	int err;

	err = luo_path(ctx, path, sizeof(path), ctx->sysfs_root, "cancel");
	if (err)
		return err;
	if (access(path, F_OK) && errno == ENOENT)
		return do_transition(ctx, "cancel", "prepare", "0",
				     LUO_EVENT_CANCEL, "prepared");
	return do_transition(ctx, "cancel", "cancel", "1",
			     LUO_EVENT_CANCEL, "prepared");
}

int luo_finish(struct luo_ctx *ctx)
{
	return do_transition(ctx, "finish", "finish", "1",
			     LUO_EVENT_FINISH, "updated");
}

int luo_reset(struct luo_ctx *ctx)
{
	return do_transition(ctx, "reset", "reset", "1",
			     LUO_EVENT_UNKNOWN, "any");
}

/* ---------------------------------------------------------------- */

int luo_get_enabled(struct luo_ctx *ctx, bool *enabled)
{
	char buf[32];
	int err;

	err = luo_read_attr(ctx, ctx->sysfs_root, "enabled", buf, sizeof(buf));
	if (err)
		return err;
	if (!strcmp(buf, "1"))
		*enabled = true;
	else if (!strcmp(buf, "0"))
		*enabled = false;
	else
		return luo_err(ctx, -EPROTO, "unrecognised value '%.16s' in %s/enabled",
			       buf, ctx->sysfs_root);
	luo_ok(ctx);
	return 0;
}

static int read_u64_attr(struct luo_ctx *ctx, const char *name, uint64_t *v)
{
	char buf[64];
	int err;

	err = luo_read_attr(ctx, ctx->sysfs_root, name, buf, sizeof(buf));
	if (err)
		return err;
	if (luo_parse_u64(buf, v))
		return luo_err(ctx, -EPROTO, "%s/%s: not a number: '%.32s'",
			       ctx->sysfs_root, name, buf);
	luo_ok(ctx);
	return 0;
}

int luo_get_sequence(struct luo_ctx *ctx, uint64_t *seq)
{
	return read_u64_attr(ctx, "sequence", seq);
}

int luo_get_blackout_ns(struct luo_ctx *ctx, uint64_t *ns)
{
	int err = read_u64_attr(ctx, "last_blackout_ns", ns);

	if (err == -ENOENT)
		luo_err(ctx, err, "blackout time unknown: %s/last_blackout_ns "
			"not provided by this kernel", ctx->sysfs_root);
	return err;
}

/* ---------------------------------------------------------------- */
/* prepare lease                                                    */

#define LEASE_FILE "prepare_lease_ms"

int luo_get_prepare_lease(struct luo_ctx *ctx, uint32_t *ms)
{
	uint64_t v;
	int err;

	err = read_u64_attr(ctx, LEASE_FILE, &v);
	if (err == -ENOENT)
		return luo_err(ctx, err, "no prepare lease: %s/" LEASE_FILE
			       " not provided by this kernel", ctx->sysfs_root);
	if (err)
		return err;
	if (v > UINT32_MAX)
		return luo_err(ctx, -EPROTO, "%s/" LEASE_FILE ": out of range: "
			       "'%llu'", ctx->sysfs_root, (unsigned long long)v);
	*ms = (uint32_t)v;
	return 0;
}

/* the kernel refused a write of @val to prepare_lease_ms with @err */
static int lease_refused(struct luo_ctx *ctx, const char *path,
			 const char *val, int err)
{
	char eb[96];

	switch (err) {
	case -ENOENT:
		return luo_err(ctx, err, "cannot set the prepare lease: %s does "
			       "not exist (kernel without prepare lease?)", path);
	case -EACCES:
	case -EPERM:
		return luo_err(ctx, err, "cannot set the prepare lease: %s: %s "
			       "(needs root and CAP_SYS_BOOT)", path,
			       luo_strerr(err, eb, sizeof(eb)));
	case -EINVAL:
		return luo_err(ctx, err, "cannot set the prepare lease: kernel "
			       "rejected '%s' written to %s (EINVAL)", val, path);
	case -EBUSY:
		return luo_err(ctx, err, "cannot set the prepare lease: the live "
			       "update is busy (a kexec under way?) (EBUSY)");
	case -EOPNOTSUPP:
		return luo_err(ctx, err, "cannot set the prepare lease: live "
			       "update is disabled (%s/enabled is 0)",
			       ctx->sysfs_root);
	default:
		return luo_err(ctx, err, "cannot set the prepare lease: cannot "
			       "write %s: %s", path,
			       luo_strerr(err, eb, sizeof(eb)));
	}
}

int luo_set_prepare_lease(struct luo_ctx *ctx, uint32_t ms)
{
	char path[PATH_MAX], val[16];
	int err;

	if (ms > LUO_PREPARE_LEASE_MAX_MS)
		return luo_err(ctx, -EINVAL, "prepare lease of %u ms is too long "
			       "(at most %u ms, 24 h)", ms,
			       LUO_PREPARE_LEASE_MAX_MS);
	err = luo_path(ctx, path, sizeof(path), ctx->sysfs_root, LEASE_FILE);
	if (err)
		return err;
	snprintf(val, sizeof(val), "%u", ms);
	err = luo_write_attr(path, val);
	if (err)
		return lease_refused(ctx, path, val, err);
	luo_ok(ctx);
	return 0;
}
