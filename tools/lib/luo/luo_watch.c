// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libluo: a lossless stream of what the orchestrator does, read from its
 * trace events. Each watcher has a trace instance of its own
 * (instances/luo-watch-<pid>), so it neither misses an event between two
 * reads, as polling the state would, nor touches the global trace buffer.
 * The instance runs on the monotonic clock; times are turned into
 * CLOCK_REALTIME as they are read.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "luo_internal.h"

#define WATCH_BUF	8192

struct luo_watch {
	struct luo_ctx *ctx;
	char dir[PATH_MAX];	/* the trace instance */
	int fd;			/* its trace_pipe */
	uint64_t seq;		/* the live update the events belong to */
	char buf[WATCH_BUF];
	size_t len;
};

static const char *const kind_names[] = {
	[LUO_WATCH_TRANSITION]	= "transition",
	[LUO_WATCH_VETO]	= "veto",
	[LUO_WATCH_FAILURE]	= "failure",
	[LUO_WATCH_ROLLBACK]	= "rollback",
	[LUO_WATCH_EJECT]	= "eject",
	[LUO_WATCH_LOST]	= "lost",
};

const char *luo_watch_kind_str(enum luo_watch_kind kind)
{
	return (unsigned int)kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "unknown";
}

static int write_file(const char *dir, const char *name, const char *val)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return luo_write_attr(path, val);
}

int luo_watch_open(struct luo_ctx *ctx, struct luo_watch **out)
{
	struct luo_watch *w;
	char path[PATH_MAX], eb[96];
	int err;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return luo_err(ctx, -ENOMEM, "out of memory");
	w->ctx = ctx;
	w->fd = -1;
	err = luo_get_sequence(ctx, &w->seq);
	if (err)
		goto fail;
	if (snprintf(w->dir, sizeof(w->dir), "%s/instances/luo-watch-%d",
		     ctx->tracefs_root, (int)getpid()) >= (int)sizeof(w->dir)) {
		err = luo_err(ctx, -ENAMETOOLONG, "tracefs root too long");
		w->dir[0] = '\0';
		goto fail;
	}
	/* an instance left by a dead process with our pid is ours now */
	if (mkdir(w->dir, 0700) && errno != EEXIST) {
		err = -errno;
		luo_err(ctx, err, "cannot create the trace instance %s: %s "
			"(tracefs not mounted, or not root?)", w->dir,
			luo_strerr(err, eb, sizeof(eb)));
		w->dir[0] = '\0';
		goto fail;
	}
	err = write_file(w->dir, "trace_clock", "mono");
	if (!err)
		err = write_file(w->dir, "events/liveupdate/enable", "1");
	if (err) {
		luo_err(ctx, err, "cannot enable the liveupdate trace events in "
			"%s: %s (a kernel without them?)", w->dir,
			luo_strerr(err, eb, sizeof(eb)));
		goto fail;
	}
	err = luo_path(ctx, path, sizeof(path), w->dir, "trace_pipe");
	if (err)
		goto fail;
	w->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0) {
		err = -errno;
		luo_err(ctx, err, "cannot open %s: %s", path,
			luo_strerr(err, eb, sizeof(eb)));
		goto fail;
	}
	*out = w;
	luo_ok(ctx);
	return 0;
fail:
	luo_watch_close(w);
	return err;
}

void luo_watch_close(struct luo_watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->dir[0]) {
		write_file(w->dir, "events/liveupdate/enable", "0");
		rmdir(w->dir);
	}
	free(w);
}

/* The text after "@key=" up to the next space (or the end with @rest). */
static bool field(const char *s, const char *key, char *dst, size_t sz,
		  bool rest)
{
	char pat[32];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(s, pat);
	if (!p)
		return false;
	p += strlen(pat);
	n = rest ? strlen(p) : strcspn(p, " ");
	if (n >= sz)
		n = sz - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
	return true;
}

static bool int_field(const char *s, const char *key, int *v)
{
	char buf[16], *e;
	long l;

	if (!field(s, key, buf, sizeof(buf), false))
		return false;
	l = strtol(buf, &e, 10);
	if (e == buf || *e)
		return false;
	*v = (int)l;
	return true;
}

/* "<comm>-<pid> [cpu] <flags> <secs>.<usecs>: <event>: <args>" */
static uint64_t line_time_ns(const char *line, const char *ev)
{
	const char *p = ev - 2;	/* the ':' after the timestamp */
	struct timespec mono, real;
	unsigned long long s, us;
	int64_t off;

	while (p > line && p[-1] != ' ')
		p--;
	if (sscanf(p, "%llu.%llu:", &s, &us) != 2)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	off = (int64_t)(real.tv_sec - mono.tv_sec) * 1000000000 +
	      (real.tv_nsec - mono.tv_nsec);
	return s * 1000000000ULL + us * 1000ULL + off;
}

int luo_watch_parse(struct luo_watch *w, const char *line,
		    struct luo_watch_event *ev)
{
	char from[16], to[16], lost[24];
	const char *p, *args;
	int v;

	memset(ev, 0, sizeof(*ev));
	ev->sz = sizeof(*ev);
	/* "CPU:N [LOST M EVENTS]": the trace's own line, never an event's text */
	if (!strncmp(line, "CPU:", 4) && strstr(line, " [LOST ") &&
	    sscanf(strstr(line, " [LOST "), " [LOST %23s", lost) == 1) {
		ev->kind = LUO_WATCH_LOST;
		ev->sequence = w->seq;
		ev->err = atoi(lost);
		return 1;
	}
	p = strstr(line, ": liveupdate_");
	if (!p)
		return 0;
	args = strchr(p + 2, ':');
	if (!args)
		return 0;
	ev->time_ns = line_time_ns(line, p + 2);
	ev->sequence = w->seq;

	if (!strncmp(p + 2, "liveupdate_transition:", 22)) {
		if (sscanf(args + 1, " %15s -> %15s", from, to) != 2 ||
		    !field(args, "seq", ev->detail, sizeof(ev->detail), false))
			return -EPROTO;
		ev->kind = LUO_WATCH_TRANSITION;
		ev->from = luo_state_from_str(from);
		ev->to = luo_state_from_str(to);
		ev->sequence = w->seq = strtoull(ev->detail, NULL, 10);
		if (!field(args, "cause", ev->detail, sizeof(ev->detail), true))
			ev->detail[0] = '\0';
		return 1;
	}
	if (!strncmp(p + 2, "liveupdate_policy_verdict:", 26)) {
		if (!int_field(args, "verdict", &v) ||
		    !field(args, "policy", ev->name, sizeof(ev->name), false) ||
		    !field(args, "event", ev->event, sizeof(ev->event), false))
			return -EPROTO;
		if (v >= 0)
			return 0;	/* allowed */
		ev->kind = LUO_WATCH_VETO;
		ev->err = v;
		field(args, "reason", ev->detail, sizeof(ev->detail), true);
		return 1;
	}
	if (!strncmp(p + 2, "liveupdate_participant:", 23)) {
		if (!int_field(args, "ret", &v) ||
		    !field(args, "name", ev->name, sizeof(ev->name), false) ||
		    !field(args, "event", ev->event, sizeof(ev->event), false))
			return -EPROTO;
		if (!v)
			return 0;	/* a call that succeeded */
		ev->kind = LUO_WATCH_FAILURE;
		ev->err = v;
		field(args, "kind", ev->detail, sizeof(ev->detail), false);
		return 1;
	}
	if (!strncmp(p + 2, "liveupdate_rollback:", 20)) {
		if (!int_field(args, "err", &ev->err) ||
		    !field(args, "failed", ev->name, sizeof(ev->name), false) ||
		    !field(args, "event", ev->event, sizeof(ev->event), false) ||
		    !field(args, "cancelled", ev->detail, sizeof(ev->detail), false))
			return -EPROTO;
		ev->kind = LUO_WATCH_ROLLBACK;
		return 1;
	}
	if (!strncmp(p + 2, "liveupdate_eject:", 17)) {
		char kind[32], msg[LUO_REASON_MAX - 40];

		if (!int_field(args, "err", &ev->err) ||
		    !field(args, "name", ev->name, sizeof(ev->name), false) ||
		    !field(args, "op", ev->event, sizeof(ev->event), false) ||
		    !field(args, "kind", kind, sizeof(kind), false) ||
		    !field(args, "msg", msg, sizeof(msg), true))
			return -EPROTO;
		ev->kind = LUO_WATCH_EJECT;
		snprintf(ev->detail, sizeof(ev->detail), "%s: %s", kind, msg);
		return 1;
	}
	return 0;	/* dispatch start/end, handover: not reported */
}

/* Next complete line from the buffer, or NULL. */
static char *next_line(struct luo_watch *w, char *line, size_t sz)
{
	char *nl = memchr(w->buf, '\n', w->len);
	size_t n;

	if (!nl)
		return NULL;
	n = nl - w->buf;
	snprintf(line, sz, "%.*s", (int)n, w->buf);
	memmove(w->buf, nl + 1, w->len - n - 1);
	w->len -= n + 1;
	return line;
}

int luo_watch_next(struct luo_watch *w, struct luo_watch_event *uev,
		   int timeout_ms)
{
	struct luo_watch_event ev;
	char line[WATCH_BUF];
	struct timespec t0, t;
	int r, left = timeout_ms;
	ssize_t n;

	if (!uev || luo_struct_sz(uev) < sizeof(size_t))
		return luo_err(w->ctx, -EINVAL, "invalid event struct size");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		while (next_line(w, line, sizeof(line))) {
			r = luo_watch_parse(w, line, &ev);
			if (r < 0)
				return luo_err(w->ctx, r, "unexpected trace line: %.200s",
					       line);
			if (r > 0) {
				luo_copy_out(uev, luo_struct_sz(uev), &ev, sizeof(ev));
				luo_ok(w->ctx);
				return 0;
			}
		}
		if (w->len == sizeof(w->buf))
			w->len = 0;	/* a line longer than the buffer: drop it */
		n = read(w->fd, w->buf + w->len, sizeof(w->buf) - w->len);
		if (n > 0) {
			w->len += n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return luo_err(w->ctx, -errno, "reading the trace: %s",
				       strerror(errno));
		if (timeout_ms >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			left = timeout_ms - (int)((t.tv_sec - t0.tv_sec) * 1000 +
						  (t.tv_nsec - t0.tv_nsec) / 1000000);
			if (left <= 0)
				return luo_err(w->ctx, -ETIMEDOUT, "no event in %d ms",
					       timeout_ms);
		}
		/* trace_pipe polls; a plain file at its end (tests) does not */
		if (n == 0)
			r = poll(NULL, 0, left < 0 || left > 50 ? 50 : left);
		else
			r = poll(&(struct pollfd){ .fd = w->fd, .events = POLLIN },
				 1, left < 0 || left > 1000 ? 1000 : left);
		if (r < 0 && errno == EINTR)
			return luo_err(w->ctx, -EINTR, "interrupted");
	}
}
