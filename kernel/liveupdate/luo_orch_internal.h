/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the orchestrator's files: the state machine and
 * dispatch (luo_orchestrator.c), sysfs (luo_orch_sysfs.c), the kexec and KHO
 * handover (luo_orch_handover.c) and debugfs (luo_orch_debugfs.c).
 */
#ifndef _KERNEL_LIVEUPDATE_LUO_ORCH_INTERNAL_H
#define _KERNEL_LIVEUPDATE_LUO_ORCH_INTERNAL_H

#include <linux/init.h>
#include <linux/liveupdate.h>
#include <linux/list.h>
#include <linux/rwsem.h>

#define LUO_EVENT_NR		(LIVEUPDATE_CANCEL + 1)
#define LUO_REASON_LEN		128

struct luo_blob;

enum luo_participant_kind {
	LUO_PARTICIPANT_NATIVE,
	LUO_PARTICIPANT_BPF,
};

/* What one participant did for one event of the last live update. */
struct luo_call_record {
	bool ran;
	int ret;
	u64 duration_ns;
};

/* Handlers by event that take no argument: a BPF instance's ops. */
struct luo_handlers {
	int (*fn[LUO_EVENT_NR])(void);
};

/**
 * struct luo_participant - One entry of the ordered participant list.
 * @list:     Link in luo_participants, sorted by @priority, then by
 *            registration order.
 * @name:     Unique name, used in listings, failure records and traces.
 * @kind:     Native notifier or BPF struct_ops instance.
 * @priority: &enum liveupdate_cb_priority.
 * @nb:       The notifier, for native participants.
 * @op:       BPF only: the handlers by event (struct_ops trampolines, NULL
 *            for an op it does not implement), called with no wrapper in
 *            between: this is the hottest path of a BPF participant.
 * @check:    Policy check for PREPARE and REBOOT, BPF only: 0 allows, -errno
 *            vetoes, > 0 means the participant has no check for that event.
 * @budget_ns: Time budget of one call, 0 for none (native). It is checked
 *            after the call returned: it is not a watchdog and cannot stop a
 *            call that never returns.
 * @overrun:  Called when a call took longer than @budget_ns; the call then
 *            counts as failed with -ETIMEDOUT.
 * @invalid:  Called when a handler returned neither 0 nor a -errno (which
 *            counts as -EINVAL); NULL to only log it.
 * @policy_only: Only @check is called; not listed as a participant.
 * @ejected:  Misbehaved and is being detached: never called again, except
 *            for the CANCEL it is owed (@prepared).
 * @prepared: Its PREPARE returned 0 (even if over budget) and it has not had
 *            CANCEL since: it gets exactly one CANCEL unless the live update
 *            completes.
 * @reason:   Set by the participant during its current call (veto reason).
 * @blob:     BPF only: the state the previous kernel handed over for it.
 * @record:   Per event: whether it ran, its result and duration.
 */
struct luo_participant {
	struct list_head list;
	char name[LIVEUPDATE_PARTICIPANT_NAME_LEN];
	enum luo_participant_kind kind;
	int priority;
	struct notifier_block *nb;
	const struct luo_handlers *op;
	int (*check)(struct luo_participant *p, enum liveupdate_event event);
	u64 budget_ns;
	void (*overrun)(struct luo_participant *p, const char *op, u64 took_ns);
	void (*invalid)(struct luo_participant *p, const char *op, int ret);
	bool policy_only;
	bool ejected;
	bool prepared;
	char reason[LUO_REASON_LEN];
	struct luo_blob *blob;
	struct luo_call_record record[LUO_EVENT_NR];
};

/*
 * The root cause of the last failed step: event, participant or policy,
 * errno, reason, the live update sequence it happened in and when
 * (CLOCK_REALTIME).
 */
struct luo_failure {
	bool valid;
	bool by_policy;
	enum liveupdate_event event;
	int err;
	u64 sequence;
	u64 time_ns;
	char participant[LIVEUPDATE_PARTICIPANT_NAME_LEN];
	char reason[LUO_REASON_LEN];
};

extern struct rw_semaphore luo_state_rwsem;
extern struct list_head luo_participants;
/* The participant being called right now, under luo_state_rwsem. */
extern struct luo_participant *luo_current;

/* luo_orchestrator.c */
enum liveupdate_state luo_orch_state(void);
u64 luo_orch_sequence(void);
const char *luo_state_name(enum liveupdate_state state);
const char *luo_event_name(enum liveupdate_event event);
const char *luo_kind_name(enum luo_participant_kind kind);
bool luo_orch_enabled(void);
int luo_orch_prepare(void);
int luo_orch_check(void);
int luo_orch_cancel(void);
int luo_orch_finish(void);
int luo_orch_reset(void);
int luo_orch_failure(struct luo_failure *out);
int luo_participant_add(struct luo_participant *p);

/* Under luo_state_rwsem held for writing: */
int luo_orch_reboot_locked(void);
bool luo_orch_rebooting_locked(void);
void luo_orch_commit(void);
void luo_orch_rollback_locked(const char *who, int err, const char *reason);
void luo_orch_expire_locked(const char *who, int err, const char *reason);
void luo_participant_remove_locked(struct luo_participant *p);
void luo_orch_set_incoming(enum liveupdate_state state, u64 sequence);

/* luo_bpf.c */
#ifdef CONFIG_BPF_SYSCALL
struct bpf_prog;
ssize_t luo_bpf_exits_show(char *buf);
bool luo_bpf_is_ours(const struct bpf_prog *prog);
#else
static inline ssize_t luo_bpf_exits_show(char *buf)
{
	return 0;
}
#endif

/* luo_orch_sysfs.c */
void luo_orch_sysfs_notify(void);

/* luo_orch_handover.c: called by liveupdate_reboot() in luo_core.c */
int luo_orch_reboot(void);
void luo_orch_reboot_abort(int err);
void luo_orch_reboot_commit(void);
bool luo_orch_handover_ready(void);
void luo_orch_republish_blobs(void);

/* luo_orch_blackout.c: stamps of the kexec path and the blackout phases */
struct luo_orch_ser;
struct seq_file;
u64 luo_orch_blackout_ns(void);
void luo_blackout_begin(struct luo_orch_ser *ser);
void luo_blackout_reboot_done(struct luo_orch_ser *ser);
void luo_blackout_stamp(struct luo_orch_ser *ser, unsigned int point);
u64 luo_blackout_take(const struct luo_orch_ser *ser);
void luo_blackout_mark_init(void);
void luo_blackout_mark_finish(void);
ssize_t luo_blackout_show(char *buf);
void luo_blackout_timings_show(struct seq_file *m);

/* luo_orch_lease.c: the prepare lease */
u32 luo_lease_get(void);
int luo_lease_set(u32 ms);
void luo_lease_arm_locked(void);
void luo_lease_disarm_locked(void);

/* luo_orch_sessions.c: mainline's outgoing sessions, for the policy checks */
int luo_sessions_snapshot(void);
void luo_sessions_release(void);
int luo_sessions_count(void);
int luo_sessions_files(const char *name, size_t len);
int luo_sessions_name(u32 idx, char *buf, u32 size);

/* luo_orch_blobs.c: BPF instance state carried across the kexec */
int luo_blobs_out_begin(void);
void luo_blobs_out_end(void);
void luo_blobs_out_trim(void);
bool luo_blobs_out_publish(struct luo_orch_ser *ser);
int luo_blobs_preserve(struct luo_participant *p, const void *data, u32 len);
int luo_blobs_restore(struct luo_participant *p, void *data, u32 size);
void luo_blobs_cancel(struct luo_participant *p);
void luo_blobs_claim(struct luo_participant *p);
void luo_blobs_release(struct luo_participant *p);
void luo_blobs_drop_unclaimed(void);
ssize_t luo_blobs_show(char *buf);
void __init luo_blobs_take(const struct luo_orch_ser *ser);

#ifdef CONFIG_LIVEUPDATE_ORCH_FAULT_INJECT
/* luo_orch_handover.c: fault injection for tests, through debugfs. */
int luo_orch_set_abi(u16 major, u16 minor, u32 len);
int luo_orch_unpublish(void);
extern u32 luo_orch_fail_serialize;

/* Called by liveupdate_reboot() after a successful session serialization. */
static inline int luo_orch_fault_serialize(void)
{
	return -(int)min_t(u32, READ_ONCE(luo_orch_fail_serialize), MAX_ERRNO);
}
#else
static inline int luo_orch_fault_serialize(void)
{
	return 0;
}
#endif

#endif /* _KERNEL_LIVEUPDATE_LUO_ORCH_INTERNAL_H */
