// SPDX-License-Identifier: GPL-2.0
/*
 * luoctl: the prepare lease (sysfs prepare_lease_ms). --lease DURATION
 * parsing, restoring the previous value after a failure, and the thread
 * that renews the lease while luoctl update runs, so that an agent that
 * dies between prepare and the kexec leaves nothing prepared for long.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "luoctl.h"

static const struct {
	const char *suffix;
	uint32_t ms;
} lease_units[] = {
	{ "ms", 1 },
	{ "s", 1000 },
	{ "", 1000 },		/* a bare number is seconds */
	{ "m", 60 * 1000 },
	{ "h", 60 * 60 * 1000 },
};

static uint32_t unit_ms(const char *suffix)
{
	for (size_t i = 0; i < sizeof(lease_units) / sizeof(lease_units[0]); i++)
		if (!strcmp(suffix, lease_units[i].suffix))
			return lease_units[i].ms;
	return 0;
}

int parse_duration_ms(const char *opt, const char *s, uint32_t *ms)
{
	const uint64_t max = LUO_PREPARE_LEASE_MAX_MS;
	bool too_long = false;
	const char *p = s;
	uint64_t v = 0;
	uint32_t mult;

	if (!*s)
		return usage_err("invalid value '' for %s: empty duration", opt);
	for (; isdigit((unsigned char)*p); p++) {
		/* stop adding digits once too long: v never overflows */
		if (v > max)
			too_long = true;
		else
			v = v * 10 + (uint64_t)(*p - '0');
	}
	mult = p == s ? 0 : unit_ms(p);
	if (!mult)
		return usage_err("invalid value '%s' for %s: expected a whole "
				 "number with an optional unit ms, s, m or h "
				 "(a bare number is seconds), e.g. 500ms, 2s, "
				 "1m", s, opt);
	if (too_long || v > max / mult)
		return usage_err("invalid value '%s' for %s: longer than the "
				 "kernel's maximum, 24h (%llu ms)", s, opt,
				 (unsigned long long)max);
	*ms = (uint32_t)(v * mult);
	return -1;
}

int lease_fail(struct luo_ctx *ctx, int err)
{
	if (err == -ENOENT)
		return report_error(err, EXIT_NOTSUPP, "%s", luo_errmsg(ctx));
	return fail(ctx, err);
}

void lease_restore(struct luo_ctx *ctx, uint32_t old)
{
	int err = luo_set_prepare_lease(ctx, old);

	/* the command's own error was reported: this is only a warning */
	if (err)
		err_msg("warning: restoring the prepare lease to %u ms failed: "
			"%s", old, luo_errmsg(ctx));
}

/* ---------------------------------------------------------------- */
/* renewal thread                                                   */

static void ts_add_ms(struct timespec *ts, uint32_t ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* sleep until @due or until stopped; true when stopped. Lock held. */
static bool renewer_wait(struct lease_renewer *r, const struct timespec *due)
{
	while (!r->stop)
		if (pthread_cond_timedwait(&r->cond, &r->lock, due) == ETIMEDOUT)
			break;
	return r->stop;
}

static void *renewer_main(void *arg)
{
	struct lease_renewer *r = arg;
	uint32_t period = r->ms / 3 ? r->ms / 3 : 1;
	struct timespec due, now;
	int err;

	pthread_mutex_lock(&r->lock);
	clock_gettime(CLOCK_MONOTONIC, &due);
	for (;;) {
		ts_add_ms(&due, period);
		if (renewer_wait(r, &due))
			break;
		pthread_mutex_unlock(&r->lock);
		/* EBUSY once the kexec is under way: nothing left to renew */
		err = luo_set_prepare_lease(r->ctx, r->ms);
		pthread_mutex_lock(&r->lock);
		r->renewals++;
		if (err)
			r->last_err = err;
		/* a write that blocked past the next due time: no burst */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ts_before(&due, &now))
			due = now;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static int renewer_init_sync(struct lease_renewer *r)
{
	pthread_condattr_t ca;
	int err;

	err = pthread_condattr_init(&ca);
	if (err)
		return -err;
	err = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!err)
		err = pthread_cond_init(&r->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (err)
		return -err;
	err = pthread_mutex_init(&r->lock, NULL);
	if (err) {
		pthread_cond_destroy(&r->cond);
		return -err;
	}
	return 0;
}

static void renewer_free(struct lease_renewer *r)
{
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	luo_ctx_free(r->ctx);
	r->ctx = NULL;
}

int lease_renew_start(struct lease_renewer *r, struct luo_ctx *ctx, uint32_t ms)
{
	/* the library wants one ctx per thread */
	struct luo_ctx_opts opts = {
		.sz = sizeof(opts),
		.sysfs_root = luo_sysfs_root(ctx),
	};
	int err;

	memset(r, 0, sizeof(*r));
	r->ms = ms;
	if (!ms)
		return 0;	/* no lease, nothing to renew */
	r->ctx = luo_ctx_new(&opts);
	if (!r->ctx)
		return -errno;
	err = renewer_init_sync(r);
	if (err) {
		luo_ctx_free(r->ctx);
		r->ctx = NULL;
		return err;
	}
	err = pthread_create(&r->thread, NULL, renewer_main, r);
	if (err) {
		renewer_free(r);
		return -err;
	}
	r->running = true;
	return 0;
}

void lease_renew_stop(struct lease_renewer *r)
{
	if (!r->running)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	r->running = false;
	renewer_free(r);
}
