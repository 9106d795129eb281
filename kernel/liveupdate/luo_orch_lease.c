// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: the prepare lease.
 */

/**
 * DOC: Live Update Orchestrator prepare lease
 *
 * ``prepared`` outlives the agent that asked for it: if the agent dies
 * before the kexec, devices stay in their limited prepared mode until
 * somebody notices. A lease bounds that. ``prepare_lease_ms`` (0, the
 * default, for none) arms a deadline at every successful prepare; if the
 * state is still ``prepared`` when it passes, and no kexec is under way,
 * the orchestrator cancels by itself: every prepared participant gets
 * CANCEL, ``last_failure`` says ``lease expired`` and pollers of ``state``
 * are woken. Writing ``prepare_lease_ms`` while prepared re-arms the
 * deadline from now (0 disarms it): that is how an agent renews its lease.
 *
 * The deadline is a delayed work item. It is never cancelled
 * synchronously, because it takes the state lock that its cancellers hold:
 * the work item checks under the lock that its deadline is still armed and
 * has passed, so a stale run does nothing.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/jiffies.h>
#include <linux/workqueue.h>
#include <trace/events/liveupdate.h>

#include "luo_orch_internal.h"

/* Under luo_state_rwsem held for writing. */
static struct {
	u32 ms;			/* the setting */
	bool armed;		/* a deadline runs */
	unsigned long deadline;	/* jiffies */
} luo_lease;

static void luo_lease_expire(struct work_struct *work);
static DECLARE_DELAYED_WORK(luo_lease_work, luo_lease_expire);

static void luo_lease_start(const char *action)
{
	unsigned long delay = msecs_to_jiffies(luo_lease.ms);

	luo_lease.deadline = jiffies + delay;
	luo_lease.armed = true;
	mod_delayed_work(system_wq, &luo_lease_work, delay);
	trace_liveupdate_lease(action, luo_orch_sequence(), luo_lease.ms);
}

/** luo_lease_arm_locked - The state became ``prepared``. */
void luo_lease_arm_locked(void)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	if (luo_lease.ms)
		luo_lease_start("armed");
}

/** luo_lease_disarm_locked - ``prepared`` ends, or its kexec began. */
void luo_lease_disarm_locked(void)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	if (!luo_lease.armed)
		return;
	luo_lease.armed = false;
	cancel_delayed_work(&luo_lease_work);
	trace_liveupdate_lease("disarmed", luo_orch_sequence(), luo_lease.ms);
}

static void luo_lease_expire(struct work_struct *work)
{
	char reason[64];

	down_write(&luo_state_rwsem);
	if (luo_lease.armed && time_after_eq(jiffies, luo_lease.deadline) &&
	    luo_orch_state() == LIVEUPDATE_STATE_PREPARED &&
	    !luo_orch_rebooting_locked()) {
		luo_lease.armed = false;
		trace_liveupdate_lease("expired", luo_orch_sequence(), luo_lease.ms);
		snprintf(reason, sizeof(reason),
			 "lease expired: no kexec within %u ms", luo_lease.ms);
		luo_orch_expire_locked("lease", -ETIMEDOUT, reason);
	}
	up_write(&luo_state_rwsem);
}

/** luo_lease_get - The lease setting, in ms. */
u32 luo_lease_get(void)
{
	return READ_ONCE(luo_lease.ms);
}

/**
 * luo_lease_set - Set the lease to @ms; while prepared, re-arm it from now.
 * @ms: Milliseconds, 0 for none.
 *
 * Return: 0, -EBUSY during the kexec of a live update, or -EINTR.
 */
int luo_lease_set(u32 ms)
{
	int err = down_write_killable(&luo_state_rwsem);

	if (err)
		return err;
	if (luo_orch_rebooting_locked()) {
		up_write(&luo_state_rwsem);
		return -EBUSY;
	}
	WRITE_ONCE(luo_lease.ms, ms);
	if (luo_orch_state() == LIVEUPDATE_STATE_PREPARED) {
		if (ms)
			luo_lease_start(luo_lease.armed ? "renewed" : "armed");
		else
			luo_lease_disarm_locked();
	}
	up_write(&luo_state_rwsem);
	return 0;
}
