/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live Update Orchestrator: state machine and participant API.
 *
 * Included from <linux/liveupdate.h>; do not include directly.
 */
#ifndef _LINUX_LIVEUPDATE_ORCHESTRATOR_H
#define _LINUX_LIVEUPDATE_ORCHESTRATOR_H

#include <linux/bug.h>
#include <linux/notifier.h>
#include <linux/types.h>

/**
 * enum liveupdate_event - Events that trigger live update callbacks.
 * @LIVEUPDATE_PREPARE: Sent when userspace writes '1' into
 *                      ``/sys/kernel/liveupdate/prepare``, *before* the
 *                      blackout window. Workloads are still running.
 *                      Participants serialize their state. May fail; a
 *                      failure cancels the participants already prepared.
 * @LIVEUPDATE_REBOOT:  Sent from the kexec reboot path when the old kernel is
 *                      on its way out, *inside* the blackout window. Last
 *                      chance to save state. Must be fast. May fail; a
 *                      failure cancels every participant and aborts the kexec.
 * @LIVEUPDATE_FINISH:  Sent in the new kernel when userspace writes '1' into
 *                      ``/sys/kernel/liveupdate/finish``, after the blackout.
 *                      Participants release what was preserved but never
 *                      reclaimed. Must not fail.
 * @LIVEUPDATE_CANCEL:  Sent when PREPARE or REBOOT fails, or when userspace
 *                      cancels a prepared update. Participants undo their
 *                      PREPARE work. Must not fail.
 */
enum liveupdate_event {
	LIVEUPDATE_PREPARE,
	LIVEUPDATE_REBOOT,
	LIVEUPDATE_FINISH,
	LIVEUPDATE_CANCEL,
};

/**
 * enum liveupdate_state - States of the live update orchestrator.
 * @LIVEUPDATE_STATE_NORMAL:   No live update in progress.
 * @LIVEUPDATE_STATE_PREPARED: Every PREPARE callback succeeded; the machine
 *                             may now kexec. Participating devices may run
 *                             in a limited mode (no unbind, no new mappings).
 * @LIVEUPDATE_STATE_UPDATED:  Running the new kernel after a live update,
 *                             waiting for FINISH.
 */
enum liveupdate_state {
	LIVEUPDATE_STATE_NORMAL,
	LIVEUPDATE_STATE_PREPARED,
	LIVEUPDATE_STATE_UPDATED,
};

/**
 * enum liveupdate_cb_priority - Order of participants within an event.
 * @LIVEUPDATE_CB_PRIO_BEFORE_DEVICES: Called before the device layer.
 * @LIVEUPDATE_CB_PRIO_WITH_DEVICES:   Called together with the device layer.
 * @LIVEUPDATE_CB_PRIO_AFTER_DEVICES:  Called after the device layer.
 *
 * Participants are called in ascending priority value, and within one
 * priority in registration order. CANCEL runs in the reverse order. Note
 * that this is the opposite of a plain notifier chain, which calls the
 * highest &notifier_block.priority first.
 */
enum liveupdate_cb_priority {
	LIVEUPDATE_CB_PRIO_BEFORE_DEVICES,
	LIVEUPDATE_CB_PRIO_WITH_DEVICES,
	LIVEUPDATE_CB_PRIO_AFTER_DEVICES,
};

#define LIVEUPDATE_PARTICIPANT_NAME_LEN	32

/*
 * Points of the kexec path after REBOOT that kernel_kexec() stamps, for the
 * breakdown of the blackout that the next kernel reports.
 */
enum liveupdate_kexec_point {
	LIVEUPDATE_KEXEC_SHUTDOWN,	/* reboot notifiers, devices shut down */
	LIVEUPDATE_KEXEC_JUMP,		/* the last point before machine_kexec() */
};

#ifdef CONFIG_LIVEUPDATE

void liveupdate_kexec_stamp(enum liveupdate_kexec_point point);
void liveupdate_userspace_stamp(void);

bool liveupdate_state_updated(void);
bool liveupdate_state_normal(void);
int liveupdate_read_state_enter_killable(void);
void liveupdate_read_state_enter(void);
void liveupdate_read_state_exit(void);

int liveupdate_register_notifier(struct notifier_block *nb);
int liveupdate_register_notifier_named(struct notifier_block *nb,
				       const char *name);
int liveupdate_unregister_notifier(struct notifier_block *nb);

#else /* CONFIG_LIVEUPDATE */

static inline void liveupdate_kexec_stamp(enum liveupdate_kexec_point point)
{
}

static inline void liveupdate_userspace_stamp(void)
{
}

static inline bool liveupdate_state_updated(void)
{
	return false;
}

static inline bool liveupdate_state_normal(void)
{
	return true;
}

static inline int liveupdate_read_state_enter_killable(void)
{
	return 0;
}

static inline void liveupdate_read_state_enter(void)
{
}

static inline void liveupdate_read_state_exit(void)
{
}

static inline int liveupdate_register_notifier(struct notifier_block *nb)
{
	return 0;
}

static inline int liveupdate_register_notifier_named(struct notifier_block *nb,
						     const char *name)
{
	return 0;
}

static inline int liveupdate_unregister_notifier(struct notifier_block *nb)
{
	return 0;
}

#endif /* CONFIG_LIVEUPDATE */

/**
 * LIVEUPDATE_DECLARE_NOTIFIER - Declare a live update participant.
 * @_name:     Base name. The participant is listed under this name, and the
 *             macro expects ``_name##_liveupdate_prepare()``,
 *             ``_name##_liveupdate_reboot()``, ``_name##_liveupdate_finish()``
 *             and ``_name##_liveupdate_cancel()``, each ``int (void)``.
 * @_priority: A value of &enum liveupdate_cb_priority.
 *
 * Declares ``_name##_liveupdate_notifier_block`` and a callback that
 * dispatches each event to its handler. Errors from FINISH and CANCEL are
 * warned about once; they do not stop the orchestrator.
 *
 * Example::
 *
 *	static int foo_liveupdate_prepare(void) { ... }
 *	static int foo_liveupdate_reboot(void) { ... }
 *	static int foo_liveupdate_finish(void) { ... }
 *	static int foo_liveupdate_cancel(void) { ... }
 *	LIVEUPDATE_DECLARE_NOTIFIER(foo, LIVEUPDATE_CB_PRIO_WITH_DEVICES);
 *	...
 *	err = LIVEUPDATE_REGISTER_NOTIFIER(foo);
 */
#define LIVEUPDATE_DECLARE_NOTIFIER(_name, _priority)			\
static int _name##_liveupdate(struct notifier_block *nb,		\
			      unsigned long action, void *data)		\
{									\
	int err = 0;							\
									\
	switch ((enum liveupdate_event)action) {			\
	case LIVEUPDATE_PREPARE:					\
		err = _name##_liveupdate_prepare();			\
		break;							\
	case LIVEUPDATE_REBOOT:						\
		err = _name##_liveupdate_reboot();			\
		break;							\
	case LIVEUPDATE_FINISH:						\
		err = _name##_liveupdate_finish();			\
		WARN_ONCE(err, #_name ": finish failed [%d]\n", err);	\
		break;							\
	case LIVEUPDATE_CANCEL:						\
		err = _name##_liveupdate_cancel();			\
		WARN_ONCE(err, #_name ": cancel failed [%d]\n", err);	\
		break;							\
	default:							\
		WARN_ONCE(1, #_name ": unexpected event [%lu]\n", action); \
		return NOTIFY_DONE;					\
	}								\
									\
	return notifier_from_errno(err);				\
}									\
									\
static struct notifier_block _name##_liveupdate_notifier_block = {	\
	.notifier_call = _name##_liveupdate,				\
	.priority = (_priority),					\
}

/**
 * LIVEUPDATE_REGISTER_NOTIFIER - Register a participant declared with
 * LIVEUPDATE_DECLARE_NOTIFIER().
 * @_name: The base name given to LIVEUPDATE_DECLARE_NOTIFIER().
 *
 * Return: 0 or a negative errno.
 */
#define LIVEUPDATE_REGISTER_NOTIFIER(_name)				\
	liveupdate_register_notifier_named(&_name##_liveupdate_notifier_block, \
					   #_name)

/**
 * LIVEUPDATE_UNREGISTER_NOTIFIER - Unregister a participant declared with
 * LIVEUPDATE_DECLARE_NOTIFIER().
 * @_name: The base name given to LIVEUPDATE_DECLARE_NOTIFIER().
 */
#define LIVEUPDATE_UNREGISTER_NOTIFIER(_name)				\
	liveupdate_unregister_notifier(&_name##_liveupdate_notifier_block)

#endif /* _LINUX_LIVEUPDATE_ORCHESTRATOR_H */
