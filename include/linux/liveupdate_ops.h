/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct liveupdate_ops: live update participants and policies written in
 * BPF. This is the contract for every policy author.
 */
#ifndef _LINUX_LIVEUPDATE_OPS_H
#define _LINUX_LIVEUPDATE_OPS_H

#include <linux/types.h>

#define LIVEUPDATE_OPS_NAME_LEN		32
/* At most this many instances are attached at once. */
#define LIVEUPDATE_OPS_MAX		64
/* Default and maximum per-call time budget of an instance. */
#define LIVEUPDATE_OPS_TIMEOUT_DEFAULT_MS	1000
#define LIVEUPDATE_OPS_TIMEOUT_MAX_MS		60000
/* bpf_liveupdate_preserve(): one instance's blob, and all blobs with headers */
#define LIVEUPDATE_OPS_BLOB_MAX			4096
#define LIVEUPDATE_OPS_BLOBS_TOTAL		65536

/**
 * enum liveupdate_ops_flags - &liveupdate_ops.flags.
 * @LIVEUPDATE_OPS_F_POLICY_ONLY: The instance only checks policy
 *	(may_prepare, may_reboot). It is not a participant: it is not listed
 *	in ``participants`` and its handlers, if any, are never called.
 * @LIVEUPDATE_OPS_ALL_FLAGS: Every known flag; any other bit is refused.
 */
enum liveupdate_ops_flags {
	LIVEUPDATE_OPS_F_POLICY_ONLY	= 1U << 0,
	LIVEUPDATE_OPS_ALL_FLAGS	= LIVEUPDATE_OPS_F_POLICY_ONLY,
};

/**
 * struct liveupdate_ops - A BPF live update participant and policy.
 *
 * Attach with a link (``SEC(".struct_ops.link")``): bpftool struct_ops
 * register, or bpf_map__attach_struct_ops(). Many instances may be attached,
 * up to %LIVEUPDATE_OPS_MAX, each with a unique @name. An instance joins the
 * ordered participant list at @priority, after the participants already
 * there, native or BPF, and follows the same rollback rules.
 *
 * Every int op returns 0 or a negative errno. Any other value ejects the
 * instance: it is detached, its link pollers get EPOLLHUP, an exit record
 * ("invalid-return") is kept in /sys/kernel/liveupdate/exits, and the call
 * counts as a failure of that step. A call that returns after its
 * @timeout_ms budget is handled the same way ("over-budget"): a program
 * cannot be stopped, so the budget is checked once it returned; it is not a
 * watchdog. An ejected instance whose PREPARE returned 0 still gets its one
 * CANCEL. Reasons are kept as printable ASCII.
 *
 * Detaching while an update is ``prepared`` sends the instance CANCEL first.
 * Names are unique among BPF instances; a native participant may have the
 * same name.
 * Programs do not survive kexec: in the new kernel an instance takes part in
 * FINISH only if it was attached again before ``finish`` is written.
 *
 * State does, by name. During may_prepare, prepare, may_reboot and reboot
 * an instance may hand one blob of its own to the next kernel with
 * bpf_liveupdate_preserve() (a multiple of 8 bytes, at most
 * %LIVEUPDATE_OPS_BLOB_MAX; all instances together at most
 * %LIVEUPDATE_OPS_BLOBS_TOTAL bytes, 40 bytes of header each included).
 * Preserving again replaces it; a CANCEL of the instance drops it. In the
 * next kernel the instance of the same name claims it when attached, and
 * reads it with bpf_liveupdate_restore() from any op until it is detached.
 * A blob not claimed by ``finish`` (or ``reset``) is freed and reported.
 *
 * Policy checks see what mainline LUO is about to preserve: in may_prepare
 * and may_reboot, bpf_liveupdate_session_count(),
 * bpf_liveupdate_session_files() and bpf_liveupdate_session_name() read a
 * copy of the outgoing sessions taken under mainline's locks just before
 * the policies are asked.
 *
 * Ops take no argument: what a call needs (the state, the sequence, the
 * instance's own blob, the sessions) comes from the kfuncs, which know the
 * calling instance.
 *
 * @prepare:     PREPARE handler. Process context, may sleep
 *               (``SEC("struct_ops.s/prepare")`` allowed). An error rolls
 *               the prepare back.
 * @reboot:      REBOOT handler, on the kexec path inside the blackout
 *               window. Must be fast; may not sleep (a sleepable program is
 *               refused at load). An error cancels everyone and aborts the
 *               kexec.
 * @finish:      FINISH handler in the new kernel. May sleep. Errors are
 *               recorded, never fatal.
 * @cancel:      CANCEL handler. May sleep. Errors are recorded, never fatal.
 * @may_prepare: Policy check before any PREPARE handler runs. May sleep.
 *               0 allows, -errno vetoes; set a reason with
 *               bpf_liveupdate_set_reason(). A veto fails the prepare with
 *               that errno and nothing is prepared.
 * @may_reboot:  Policy check before any REBOOT handler, on the kexec path.
 *               May not sleep. A veto cancels everyone and aborts the kexec.
 * @flags:       &enum liveupdate_ops_flags.
 * @timeout_ms:  Per-call budget, 0 for %LIVEUPDATE_OPS_TIMEOUT_DEFAULT_MS, at
 *               most %LIVEUPDATE_OPS_TIMEOUT_MAX_MS.
 * @priority:    &enum liveupdate_cb_priority, as for native participants.
 * @name:        Unique, non-empty, NUL terminated.
 * @reserved:    Must be zero.
 */
struct liveupdate_ops {
	int (*prepare)(void);
	int (*reboot)(void);
	int (*finish)(void);
	int (*cancel)(void);
	int (*may_prepare)(void);
	int (*may_reboot)(void);
	u32 flags;
	u32 timeout_ms;
	s32 priority;
	char name[LIVEUPDATE_OPS_NAME_LEN];
	u64 reserved;
};

#endif /* _LINUX_LIVEUPDATE_OPS_H */
