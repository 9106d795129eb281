// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: state machine and participant dispatch.
 */

/**
 * DOC: Live Update Orchestrator state machine
 *
 * The orchestrator tracks one live update through three states::
 *
 *   normal --prepare--> prepared --kexec--> (next kernel) updated
 *     ^                    |                                  |
 *     +------cancel--------+                                  |
 *     +------------------------finish-------------------------+
 *
 * Kernel subsystems take part as *participants*: notifiers registered with
 * liveupdate_register_notifier(), or BPF struct_ops instances. They form
 * one list, ordered by &enum liveupdate_cb_priority and, within a priority,
 * by registration order. Events run forwards through that list; CANCEL runs
 * backwards, so a participant is undone after everything that came after it.
 *
 * Rollback rule: every participant whose PREPARE returned 0 gets exactly
 * one CANCEL, unless the live update completes (the kexec happens). That
 * CANCEL comes from a rollback, ``cancel``, ``reset`` or the participant's
 * own unregistration, whichever is first, also when the participant was
 * ejected for misbehaving or its PREPARE overran its budget:
 *
 * - PREPARE fails at participant k: the prepared participants (1..k-1, and k
 *   itself if its PREPARE returned 0 but overran) get CANCEL in reverse
 *   order, and the state stays ``normal``.
 * - REBOOT fails, or a later step of the kexec does: every prepared
 *   participant gets CANCEL, the state returns to ``normal`` and the kexec
 *   is aborted.
 * - FINISH and CANCEL cannot fail: an error is logged and recorded as the
 *   last failure, and the remaining participants still run. During a
 *   rollback the root cause stays the recorded failure.
 *
 * The state is guarded by an rwsem. Transitions take it for writing;
 * subsystems that must not race a transition hold it for reading through
 * liveupdate_read_state_enter(). Participants are called with the rwsem held
 * for writing and must not call back into the orchestrator. After a
 * successful REBOOT the rwsem is released, so that mainline's session
 * serialization and device shutdown never wait for it, and the
 * ``rebooting`` flag refuses every transition instead.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/liveupdate.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <trace/events/liveupdate.h>

#include "luo_orch_internal.h"

DECLARE_RWSEM(luo_state_rwsem);
LIST_HEAD(luo_participants);
struct luo_participant *luo_current;

static struct {
	enum liveupdate_state state;
	/* REBOOT succeeded, the kexec is under way: no transition. */
	bool rebooting;
	/* And nothing can roll it back any more: nobody gets CANCEL. */
	bool committed;
	u64 sequence;
	int nr_participants;
	struct luo_failure failure;
} luo_orch;

static const char *const luo_state_names[] = {
	[LIVEUPDATE_STATE_NORMAL]	= "normal",
	[LIVEUPDATE_STATE_PREPARED]	= "prepared",
	[LIVEUPDATE_STATE_UPDATED]	= "updated",
};

static const char *const luo_event_names[] = {
	[LIVEUPDATE_PREPARE]	= "prepare",
	[LIVEUPDATE_REBOOT]	= "reboot",
	[LIVEUPDATE_FINISH]	= "finish",
	[LIVEUPDATE_CANCEL]	= "cancel",
};

const char *luo_state_name(enum liveupdate_state state)
{
	return state < ARRAY_SIZE(luo_state_names) ? luo_state_names[state] : "?";
}

const char *luo_event_name(enum liveupdate_event event)
{
	return event < ARRAY_SIZE(luo_event_names) ? luo_event_names[event] : "?";
}

const char *luo_kind_name(enum luo_participant_kind kind)
{
	return kind == LUO_PARTICIPANT_BPF ? "bpf" : "native";
}

bool luo_orch_enabled(void)
{
	return liveupdate_enabled();
}

enum liveupdate_state luo_orch_state(void)
{
	return READ_ONCE(luo_orch.state);
}

u64 luo_orch_sequence(void)
{
	return READ_ONCE(luo_orch.sequence);
}

static void luo_set_state(enum liveupdate_state to, const char *cause)
{
	enum liveupdate_state from = luo_orch.state;

	lockdep_assert_held_write(&luo_state_rwsem);
	WRITE_ONCE(luo_orch.state, to);
	/* What lives only while prepared, or only while updated. */
	if (to == LIVEUPDATE_STATE_PREPARED) {
		luo_lease_arm_locked();
	} else if (from == LIVEUPDATE_STATE_PREPARED) {
		luo_lease_disarm_locked();
		luo_blobs_out_end();
	} else if (from == LIVEUPDATE_STATE_UPDATED) {
		luo_blobs_drop_unclaimed();
	}
	trace_liveupdate_transition(luo_state_name(from), luo_state_name(to),
				    luo_orch.sequence, cause);
	luo_orch_sysfs_notify();
}

/* Called once from an early initcall, before anybody can race us. */
void luo_orch_set_incoming(enum liveupdate_state state, u64 sequence)
{
	down_write(&luo_state_rwsem);
	luo_orch.sequence = sequence;
	luo_set_state(state, "boot");
	up_write(&luo_state_rwsem);
}

static void luo_record_failure(enum liveupdate_event event, const char *who,
			       int err, const char *reason)
{
	struct luo_failure *f = &luo_orch.failure;

	f->valid = true;
	f->by_policy = false;
	f->event = event;
	f->err = err;
	f->sequence = luo_orch.sequence;
	f->time_ns = ktime_get_real_ns();
	strscpy(f->participant, who, sizeof(f->participant));
	strscpy(f->reason, reason ? reason : "", sizeof(f->reason));
}

int luo_orch_failure(struct luo_failure *out)
{
	int err = down_read_killable(&luo_state_rwsem);

	if (err)
		return err;
	*out = luo_orch.failure;
	up_read(&luo_state_rwsem);
	return 0;
}

static int luo_handler(struct luo_participant *p, enum liveupdate_event event)
{
	if (p->nb)
		return notifier_to_errno(p->nb->notifier_call(p->nb, event, NULL));
	return p->op->fn[event] ? p->op->fn[event]() : 0;
}

/*
 * Call @fn as @p's current call: luo_current and the reason are set up for
 * the kfuncs, the call is timed, and a call over @p's budget (a decision,
 * not "nothing to say" > 0) is reported as @op's overrun and fails.
 */
static int luo_run(struct luo_participant *p, enum liveupdate_event event,
		   int (*fn)(struct luo_participant *p, enum liveupdate_event event),
		   const char *op, u64 *took)
{
	u64 start;
	int ret;

	luo_current = p;
	p->reason[0] = '\0';
	start = ktime_get_ns();
	ret = fn(p, event);
	*took = ktime_get_ns() - start;
	luo_current = NULL;
	/* Work done is work to undo, even when it came too late. */
	if (event == LIVEUPDATE_PREPARE && fn == luo_handler && !ret)
		p->prepared = true;
	/*
	 * Natives have no budget: tested first, it is all they pay. A call
	 * that got its participant ejected has failed already; an invalid
	 * result (< -MAX_ERRNO) is reported as such, not as late.
	 */
	if (p->budget_ns && *took > p->budget_ns && ret <= 0 &&
	    ret >= -MAX_ERRNO && !p->ejected) {
		p->overrun(p, op, *took);
		ret = -ETIMEDOUT;
	}
	return ret;
}

static bool luo_invalid_result(int ret)
{
	return ret > 0 || ret < -MAX_ERRNO;
}

/*
 * luo_call() for an invalid result or with the participant event enabled:
 * sanitise, record, trace. Out of line, so that while the event is disabled
 * the hot path keeps nothing alive for it: the kernel built without the
 * events runs the same instructions but for the one static branch.
 */
static noinline int luo_call_slow(struct luo_participant *p,
				  struct luo_call_record *rec, int ret)
{
	/* From @rec, not an argument: one register less on the hot path. */
	enum liveupdate_event event = rec - p->record;

	if (luo_invalid_result(ret)) {
		if (p->invalid)
			p->invalid(p, luo_event_name(event), ret);
		else
			pr_warn("participant '%s' returned invalid %d from %s, treating as -EINVAL\n",
				p->name, ret, luo_event_name(event));
		ret = -EINVAL;
	}
	rec->ran = true;
	rec->ret = ret;
	trace_liveupdate_participant(luo_event_name(event), p->name,
				     luo_kind_name(p->kind), p->priority,
				     ret, rec->duration_ns);
	return ret;
}

/* Call one participant's handler, record and trace it, sanitise the result. */
static int luo_call(struct luo_participant *p, enum liveupdate_event event)
{
	struct luo_call_record *rec = &p->record[event];
	int ret;

	ret = luo_run(p, event, luo_handler, luo_event_name(event),
		      &rec->duration_ns);
	if (trace_liveupdate_participant_enabled() ||
	    unlikely(luo_invalid_result(ret)))
		return luo_call_slow(p, rec, ret);
	rec->ran = true;
	rec->ret = ret;
	return ret;
}

/*
 * FINISH and CANCEL cannot fail: warn, record, go on. In a rollback
 * (@rollback) the failure that caused it stays the recorded one.
 */
static void luo_call_nofail(struct luo_participant *p,
			    enum liveupdate_event event, bool rollback)
{
	int ret;

	if (event == LIVEUPDATE_CANCEL)
		p->prepared = false;
	ret = luo_call(p, event);
	/* Also what it preserved during this very CANCEL. */
	if (event == LIVEUPDATE_CANCEL)
		luo_blobs_cancel(p);
	if (ret) {
		pr_warn("participant '%s' failed %s: %pe (ignored)\n", p->name,
			luo_event_name(event), ERR_PTR(ret));
		if (!rollback)
			luo_record_failure(event, p->name, ret, p->reason);
	}
}

/* Handlers go to real participants that still behave. */
static bool luo_takes_part(const struct luo_participant *p)
{
	return !p->policy_only && !p->ejected;
}

/*
 * CANCEL, in reverse order, every participant that is owed one: the
 * prepared ones, or with @all (leaving ``updated``) everyone taking part.
 */
static void luo_cancel_all(bool all, bool rollback)
{
	struct luo_participant *p;

	list_for_each_entry_reverse(p, &luo_participants, list) {
		if (p->prepared || (all && luo_takes_part(p)))
			luo_call_nofail(p, LIVEUPDATE_CANCEL, rollback);
	}
}

static void luo_reset_records(enum liveupdate_event event)
{
	struct luo_participant *p;

	list_for_each_entry(p, &luo_participants, list)
		p->record[event].ran = false;
}

/*
 * @ev failed because of @who (@err, already recorded): CANCEL every
 * prepared participant. The trace counts them first, and only when it is on,
 * so that the CANCEL loop counts nothing.
 */
static void luo_rollback(const char *ev, const char *who, int err)
{
	struct luo_participant *p;
	int n = 0;

	if (trace_liveupdate_rollback_enabled()) {
		list_for_each_entry(p, &luo_participants, list)
			n += p->prepared;
	}
	luo_reset_records(LIVEUPDATE_CANCEL);
	luo_cancel_all(false, true);
	trace_liveupdate_rollback(ev, who, err, n);
}

/*
 * Ask every policy about @event, before any handler runs. The first veto
 * wins: its errno fails the step and its reason is recorded.
 */
static int luo_ask_policies(enum liveupdate_event event)
{
	const char *ev = luo_event_name(event);
	const char *op = event == LIVEUPDATE_PREPARE ? "may_prepare" : "may_reboot";
	struct luo_participant *p;
	u64 took;
	int ret;

	list_for_each_entry(p, &luo_participants, list) {
		if (!p->check || p->ejected)
			continue;
		ret = luo_run(p, event, p->check, op, &took);
		if (ret > 0)
			continue;
		trace_liveupdate_policy_verdict(p->name, ev, ret, p->reason);
		if (!ret)
			continue;
		pr_warn("%s vetoed by policy '%s': %pe%s%s\n", ev, p->name,
			ERR_PTR(ret), p->reason[0] ? ": " : "", p->reason);
		luo_record_failure(event, p->name, ret, p->reason);
		luo_orch.failure.by_policy = true;
		return ret;
	}
	return 0;
}

/* The policies, with the view of mainline's sessions they may ask for. */
static int luo_check_policies(enum liveupdate_event event)
{
	struct luo_participant *p;
	int err;

	list_for_each_entry(p, &luo_participants, list) {
		if (p->check && !p->ejected)
			break;
	}
	if (list_entry_is_head(p, &luo_participants, list))
		return 0;
	err = luo_sessions_snapshot();
	if (err) {
		luo_record_failure(event, "sessions", err,
				   "cannot copy the session list for the policies");
		return err;
	}
	err = luo_ask_policies(event);
	luo_sessions_release();
	return err;
}

/*
 * Run @event through every participant. PREPARE and REBOOT first ask the
 * policies, then stop at the first failure and roll back; FINISH and CANCEL
 * always reach everyone.
 */
static int luo_dispatch(enum liveupdate_event event)
{
	const char *ev = luo_event_name(event);
	struct luo_participant *p;
	int err = 0;

	lockdep_assert_held_write(&luo_state_rwsem);
	trace_liveupdate_event_start(ev, luo_orch.nr_participants, 0);
	luo_reset_records(event);

	if (event == LIVEUPDATE_CANCEL) {
		luo_cancel_all(luo_orch.state == LIVEUPDATE_STATE_UPDATED, false);
		goto out;
	}

	if (event == LIVEUPDATE_PREPARE || event == LIVEUPDATE_REBOOT) {
		err = luo_check_policies(event);
		if (err) {
			/* Nothing ran yet; a vetoed REBOOT still cancels the prepare. */
			luo_rollback(ev, luo_orch.failure.participant, err);
			goto out;
		}
	}

	list_for_each_entry(p, &luo_participants, list) {
		if (!luo_takes_part(p))
			continue;
		if (event == LIVEUPDATE_FINISH) {
			luo_call_nofail(p, event, false);
			continue;
		}
		err = luo_call(p, event);
		if (!err)
			continue;

		pr_warn("%s failed in participant '%s': %pe, rolling back\n",
			ev, p->name, ERR_PTR(err));
		luo_record_failure(event, p->name, err, p->reason);
		luo_rollback(ev, p->name, err);
		break;
	}
out:
	trace_liveupdate_event_end(ev, luo_orch.nr_participants, err);
	return err;
}

/* Take the state lock for a transition requested from userspace. */
static int luo_transition_begin(enum liveupdate_state need, const char *what)
{
	int err;

	if (!luo_orch_enabled())
		return -EOPNOTSUPP;
	err = down_write_killable(&luo_state_rwsem);
	if (err)
		return err;
	if (luo_orch.rebooting) {
		pr_warn_ratelimited("cannot %s: the kexec of a live update is under way\n",
				    what);
		up_write(&luo_state_rwsem);
		return -EBUSY;
	}
	if (luo_orch.state != need) {
		pr_warn_ratelimited("cannot %s in state '%s': needs '%s'\n",
				    what, luo_state_name(luo_orch.state),
				    luo_state_name(need));
		up_write(&luo_state_rwsem);
		return -EBUSY;
	}
	return 0;
}

/*
 * Without the handover block published at boot the kexec would silently be
 * a plain one: refuse to @what, recording why.
 */
static int luo_handover_missing(const char *what)
{
	if (luo_orch_handover_ready())
		return 0;
	pr_warn("cannot %s: the orchestrator handover block was not published at boot\n",
		what);
	luo_record_failure(LIVEUPDATE_PREPARE, "handover", -ENODEV,
			   "no KHO handover block: the next kernel could not boot updated");
	return -ENODEV;
}

/**
 * luo_orch_prepare - normal -> prepared, running PREPARE.
 *
 * Return: 0, or the errno of the failing participant (the state is then
 * still ``normal`` and the prepared participants were cancelled).
 */
int luo_orch_prepare(void)
{
	int err = luo_transition_begin(LIVEUPDATE_STATE_NORMAL, "prepare");

	if (err)
		return err;
	err = luo_handover_missing("prepare");
	if (err)
		goto out;
	err = luo_blobs_out_begin();
	if (err) {
		luo_record_failure(LIVEUPDATE_PREPARE, "blobs", err,
				   "cannot allocate the preserved area for BPF state");
		goto out;
	}
	err = luo_dispatch(LIVEUPDATE_PREPARE);
	if (err)
		luo_blobs_out_end();
	else
		luo_set_state(LIVEUPDATE_STATE_PREPARED, "sysfs");
out:
	up_write(&luo_state_rwsem);
	return err;
}

/**
 * luo_orch_check - ask the policies whether PREPARE would be allowed now.
 *
 * A preflight: in ``normal`` only, it runs the policy checks of PREPARE and
 * nothing else. No handler is called and the state does not change; a veto
 * is recorded in last_failure like a refused prepare's.
 *
 * Return: 0, or the errno of the veto (or of a missing handover block).
 */
int luo_orch_check(void)
{
	int err = luo_transition_begin(LIVEUPDATE_STATE_NORMAL, "check");

	if (err)
		return err;
	err = luo_handover_missing("check");
	if (!err)
		err = luo_check_policies(LIVEUPDATE_PREPARE);
	up_write(&luo_state_rwsem);
	return err;
}

/* @from -> normal through @event, which cannot fail. */
static int luo_orch_to_normal(enum liveupdate_state from, const char *what,
			      enum liveupdate_event event)
{
	int err = luo_transition_begin(from, what);

	if (err)
		return err;
	luo_dispatch(event);
	luo_set_state(LIVEUPDATE_STATE_NORMAL, "sysfs");
	up_write(&luo_state_rwsem);
	return 0;
}

/** luo_orch_cancel - prepared -> normal, running CANCEL. */
int luo_orch_cancel(void)
{
	return luo_orch_to_normal(LIVEUPDATE_STATE_PREPARED, "cancel",
				  LIVEUPDATE_CANCEL);
}

/** luo_orch_finish - updated -> normal, running FINISH. */
int luo_orch_finish(void)
{
	return luo_orch_to_normal(LIVEUPDATE_STATE_UPDATED, "finish",
				  LIVEUPDATE_FINISH);
}

/**
 * luo_orch_reset - Any state -> normal.
 *
 * From ``prepared`` or ``updated``, every participant gets CANCEL in reverse
 * order: drop whatever was prepared or preserved. From ``normal`` nothing
 * is called.
 *
 * Return: 0, -EBUSY during the kexec of a live update, -EOPNOTSUPP when
 * live update is off, or -EINTR.
 */
int luo_orch_reset(void)
{
	int err;

	if (!luo_orch_enabled())
		return -EOPNOTSUPP;
	err = down_write_killable(&luo_state_rwsem);
	if (err)
		return err;
	if (luo_orch.rebooting) {
		up_write(&luo_state_rwsem);
		return -EBUSY;
	}
	if (luo_orch.state != LIVEUPDATE_STATE_NORMAL) {
		luo_dispatch(LIVEUPDATE_CANCEL);
		luo_set_state(LIVEUPDATE_STATE_NORMAL, "reset");
	}
	up_write(&luo_state_rwsem);
	return 0;
}

/**
 * luo_orch_reboot_locked - Run REBOOT on the kexec path.
 *
 * Return: 0 when every participant succeeded: the state is then
 * ``rebooting`` until the kexec happens or luo_orch_rollback_locked().
 * Otherwise everyone was cancelled, the state is ``normal`` and the errno
 * is returned.
 */
int luo_orch_reboot_locked(void)
{
	int err;

	lockdep_assert_held_write(&luo_state_rwsem);
	err = luo_dispatch(LIVEUPDATE_REBOOT);
	if (err) {
		luo_set_state(LIVEUPDATE_STATE_NORMAL, "rollback");
	} else {
		luo_orch.rebooting = true;
		luo_lease_disarm_locked();
	}
	return err;
}

/* See luo_orch_reboot_commit(). */
void luo_orch_commit(void)
{
	WRITE_ONCE(luo_orch.committed, true);
}

bool luo_orch_rebooting_locked(void)
{
	lockdep_assert_held(&luo_state_rwsem);
	return luo_orch.rebooting;
}

/*
 * @event cannot complete because of @who (@err, @reason), the recorded root
 * cause: cancel every prepared participant and return to ``normal``.
 */
static void luo_abort_locked(enum liveupdate_event event, const char *who,
			     int err, const char *reason, const char *cause)
{
	luo_orch.rebooting = false;
	luo_record_failure(event, who, err, reason);
	luo_rollback(luo_event_name(event), who, err);
	luo_set_state(LIVEUPDATE_STATE_NORMAL, cause);
}

/*
 * The REBOOT step cannot complete, or a step after a successful REBOOT
 * failed (@who, @err, @reason): cancel every prepared participant.
 */
void luo_orch_rollback_locked(const char *who, int err, const char *reason)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	pr_warn("REBOOT aborted by %s: %pe%s%s, rolling back\n", who,
		ERR_PTR(err), reason ? ": " : "", reason ?: "");
	luo_abort_locked(LIVEUPDATE_REBOOT, who, err, reason, "rollback");
}

/*
 * A prepared live update is given up by the orchestrator itself (@who:
 * the lease): CANCEL everyone, recording @err and @reason as the cause.
 */
void luo_orch_expire_locked(const char *who, int err, const char *reason)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	pr_warn("prepared live update cancelled: %s\n", reason);
	luo_abort_locked(LIVEUPDATE_CANCEL, who, err, reason, who);
}

/*
 * Native and BPF names are separate namespaces, so that a BPF instance can
 * never take the name of a driver that registers later.
 */
static struct luo_participant *luo_find(const char *name,
					enum luo_participant_kind kind,
					struct notifier_block *nb)
{
	struct luo_participant *p;

	list_for_each_entry(p, &luo_participants, list) {
		if (nb && p->nb == nb)
			return p;
		if (name && p->kind == kind && !strcmp(p->name, name))
			return p;
	}
	return NULL;
}

/**
 * luo_participant_add - Insert @p in priority order.
 * @p: name, kind, priority and nb or op filled in.
 *
 * Only in ``normal`` and ``updated``: a prepared update has a fixed set of
 * participants.
 *
 * Return: 0, -EINVAL for a bad priority or an empty name, -EEXIST for a
 * duplicate name of the same kind, -EBUSY when prepared, or -EINTR.
 */
int luo_participant_add(struct luo_participant *p)
{
	struct luo_participant *pos;
	int err;

	if (p->priority < LIVEUPDATE_CB_PRIO_BEFORE_DEVICES ||
	    p->priority > LIVEUPDATE_CB_PRIO_AFTER_DEVICES || !p->name[0])
		return -EINVAL;
	err = down_write_killable(&luo_state_rwsem);
	if (err)
		return err;
	if (luo_orch.state == LIVEUPDATE_STATE_PREPARED || luo_orch.rebooting) {
		err = -EBUSY;
		goto out;
	}
	if (luo_find(p->name, p->kind, p->nb)) {
		err = -EEXIST;
		goto out;
	}
	/* After the last participant of the same or a lower priority. */
	list_for_each_entry(pos, &luo_participants, list) {
		if (pos->priority > p->priority)
			break;
	}
	list_add_tail(&p->list, &pos->list);
	luo_orch.nr_participants++;
	if (p->kind == LUO_PARTICIPANT_BPF)
		luo_blobs_claim(p);
out:
	up_write(&luo_state_rwsem);
	return err;
}

/**
 * luo_participant_remove_locked - Take @p out of the list.
 * @p: a participant added with luo_participant_add().
 *
 * A participant leaving a prepared update gets the CANCEL it is owed first,
 * so it never stays half prepared; the update itself stays prepared for the
 * others. Once the kexec is committed the update goes on and nobody is
 * cancelled.
 */
void luo_participant_remove_locked(struct luo_participant *p)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	if (p->prepared && !READ_ONCE(luo_orch.committed))
		luo_call_nofail(p, LIVEUPDATE_CANCEL, false);
	/* What it preserved goes too (a policy gets no CANCEL). */
	if (!READ_ONCE(luo_orch.committed))
		luo_blobs_cancel(p);
	p->prepared = false;
	list_del(&p->list);
	luo_orch.nr_participants--;
	luo_blobs_release(p);
}

/**
 * liveupdate_register_notifier_named - Register a named participant.
 * @nb:   Notifier; &notifier_block.priority is an &enum liveupdate_cb_priority.
 *        The callback gets an &enum liveupdate_event and returns
 *        notifier_from_errno().
 * @name: Unique name, at most %LIVEUPDATE_PARTICIPANT_NAME_LEN - 1 chars.
 *
 * Context: Process context; not from within a live update callback.
 * Return: 0, -EINVAL, -EEXIST, -EBUSY (a live update is prepared), -ENOMEM
 * or -EINTR.
 */
int liveupdate_register_notifier_named(struct notifier_block *nb,
				       const char *name)
{
	struct luo_participant *p;
	int err;

	if (!nb || !nb->notifier_call || !name ||
	    strlen(name) >= LIVEUPDATE_PARTICIPANT_NAME_LEN)
		return -EINVAL;
	p = kzalloc_obj(*p);
	if (!p)
		return -ENOMEM;
	strscpy(p->name, name, sizeof(p->name));
	p->kind = LUO_PARTICIPANT_NATIVE;
	p->priority = nb->priority;
	p->nb = nb;
	err = luo_participant_add(p);
	if (err)
		kfree(p);
	return err;
}
EXPORT_SYMBOL_GPL(liveupdate_register_notifier_named);

/**
 * liveupdate_register_notifier - Register a participant named after its
 * callback.
 * @nb: See liveupdate_register_notifier_named().
 *
 * Return: See liveupdate_register_notifier_named().
 */
int liveupdate_register_notifier(struct notifier_block *nb)
{
	char name[LIVEUPDATE_PARTICIPANT_NAME_LEN];

	if (!nb || !nb->notifier_call)
		return -EINVAL;
	snprintf(name, sizeof(name), "%ps", nb->notifier_call);
	return liveupdate_register_notifier_named(nb, name);
}
EXPORT_SYMBOL_GPL(liveupdate_register_notifier);

/**
 * liveupdate_unregister_notifier - Unregister a native participant.
 * @nb: The notifier given at registration.
 *
 * If a live update is prepared, the participant gets CANCEL first.
 *
 * Return: 0 or -ENOENT if @nb is not registered.
 */
int liveupdate_unregister_notifier(struct notifier_block *nb)
{
	struct luo_participant *p;

	down_write(&luo_state_rwsem);
	p = luo_find(NULL, LUO_PARTICIPANT_NATIVE, nb);
	if (p)
		luo_participant_remove_locked(p);
	up_write(&luo_state_rwsem);
	if (!p)
		return -ENOENT;
	kfree(p);
	return 0;
}
EXPORT_SYMBOL_GPL(liveupdate_unregister_notifier);

/**
 * liveupdate_state_updated - Is this kernel in the ``updated`` state?
 *
 * Return: true after a live update, until FINISH.
 */
bool liveupdate_state_updated(void)
{
	return luo_orch_state() == LIVEUPDATE_STATE_UPDATED;
}
EXPORT_SYMBOL_GPL(liveupdate_state_updated);

/**
 * liveupdate_state_normal - Is no live update in progress?
 *
 * Return: true in the ``normal`` state.
 */
bool liveupdate_state_normal(void)
{
	return luo_orch_state() == LIVEUPDATE_STATE_NORMAL;
}
EXPORT_SYMBOL_GPL(liveupdate_state_normal);

/**
 * liveupdate_read_state_enter_killable - Hold the state stable, killable.
 *
 * Blocks transitions until liveupdate_read_state_exit().
 *
 * Return: 0, or -EINTR if killed while waiting.
 */
int liveupdate_read_state_enter_killable(void)
{
	return down_read_killable(&luo_state_rwsem);
}
EXPORT_SYMBOL_GPL(liveupdate_read_state_enter_killable);

/**
 * liveupdate_read_state_enter - Hold the state stable.
 *
 * Blocks transitions until liveupdate_read_state_exit().
 */
void liveupdate_read_state_enter(void)
{
	down_read(&luo_state_rwsem);
}
EXPORT_SYMBOL_GPL(liveupdate_read_state_enter);

/** liveupdate_read_state_exit - Release what liveupdate_read_state_enter() took. */
void liveupdate_read_state_exit(void)
{
	up_read(&luo_state_rwsem);
}
EXPORT_SYMBOL_GPL(liveupdate_read_state_exit);
