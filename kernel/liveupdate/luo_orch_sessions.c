// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: what mainline LUO is about to preserve, as the
 * policy checks see it.
 */

/**
 * DOC: Live Update Orchestrator session view
 *
 * A policy may ask which sessions mainline LUO will hand to the next
 * kernel, and how many files each holds (bpf_liveupdate_session_*()). The
 * checks of REBOOT run on the kexec path and may not sleep, while
 * mainline's session locks do, so the orchestrator copies the outgoing
 * sessions under those locks (read-only) just before it asks the
 * policies, and the kfuncs read that copy. It is a snapshot: a session
 * created or closed after it was taken is not seen, also one closed between
 * the REBOOT check and mainline's serialization.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/liveupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"
#include "luo_orch_internal.h"

struct luo_session_info {
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	u64 nr_files;
};

/* Under luo_state_rwsem held for writing. */
static struct {
	struct luo_session_info *v;
	u32 nr, cap;
	bool taken;
} luo_sessions;

/* One outgoing session, under mainline's locks: append it to the copy. */
static int luo_sessions_add(const char *name, u64 nr_files, void *arg)
{
	struct luo_session_info *v = luo_sessions.v;

	if (luo_sessions.nr == luo_sessions.cap) {
		u32 cap = luo_sessions.cap ? luo_sessions.cap * 2 : 8;

		v = krealloc_array(v, cap, sizeof(*v), GFP_KERNEL);
		if (!v)
			return -ENOMEM;
		luo_sessions.v = v;
		luo_sessions.cap = cap;
	}
	strscpy(v[luo_sessions.nr].name, name, sizeof(v->name));
	v[luo_sessions.nr++].nr_files = nr_files;
	return 0;
}

/**
 * luo_sessions_snapshot - Copy the outgoing sessions for the policy checks.
 *
 * Return: 0, or -ENOMEM (nothing is kept).
 */
int luo_sessions_snapshot(void)
{
	int err;

	lockdep_assert_held_write(&luo_state_rwsem);
	luo_sessions.nr = 0;
	err = luo_session_for_each_outgoing(luo_sessions_add, NULL);
	if (err) {
		luo_sessions_release();
		return err;
	}
	luo_sessions.taken = true;
	return 0;
}

/** luo_sessions_release - The policy checks are over. */
void luo_sessions_release(void)
{
	kfree(luo_sessions.v);
	luo_sessions.v = NULL;
	luo_sessions.nr = 0;
	luo_sessions.cap = 0;
	luo_sessions.taken = false;
}

/** luo_sessions_count - Outgoing sessions, -EINVAL outside a policy check. */
int luo_sessions_count(void)
{
	return luo_sessions.taken ? luo_sessions.nr : -EINVAL;
}

static int luo_sessions_files_of(u32 idx)
{
	return min_t(u64, luo_sessions.v[idx].nr_files, INT_MAX);
}

/**
 * luo_sessions_files - Files in the outgoing session @name.
 * @name: Not necessarily NUL terminated.
 * @len:  Its length.
 *
 * Return: the number of files, -ENOENT if there is no such session,
 * -EINVAL outside a policy check.
 */
int luo_sessions_files(const char *name, size_t len)
{
	u32 i;

	if (!luo_sessions.taken)
		return -EINVAL;
	len = strnlen(name, len);
	if (!len || len >= LIVEUPDATE_SESSION_NAME_LENGTH)
		return -ENOENT;
	for (i = 0; i < luo_sessions.nr; i++) {
		if (!strncmp(luo_sessions.v[i].name, name, len) &&
		    !luo_sessions.v[i].name[len])
			return luo_sessions_files_of(i);
	}
	return -ENOENT;
}

/**
 * luo_sessions_name - Name and files of the @idx-th outgoing session.
 * @idx:  From 0.
 * @buf:  Where the name goes, NUL terminated, truncated to @size.
 * @size: Its size, at least 1.
 *
 * Return: the number of files, -ENOENT past the last session, -EINVAL
 * outside a policy check.
 */
int luo_sessions_name(u32 idx, char *buf, u32 size)
{
	if (!luo_sessions.taken || !size)
		return -EINVAL;
	if (idx >= luo_sessions.nr)
		return -ENOENT;
	strscpy_pad(buf, luo_sessions.v[idx].name, size);
	return luo_sessions_files_of(idx);
}
