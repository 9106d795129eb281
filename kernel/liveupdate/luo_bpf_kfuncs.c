// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: kfuncs for struct liveupdate_ops programs.
 *
 * They are registered for struct_ops programs, and a filter lets only
 * programs of struct liveupdate_ops call them: any other program type, or
 * another struct_ops, fails verification. They are only ever called from
 * the dispatch loop, under the state rwsem.
 */

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/init.h>
#include <linux/string.h>

#include "luo_orch_internal.h"

__bpf_kfunc_start_defs();

/**
 * bpf_liveupdate_state - The orchestrator state.
 *
 * Return: &enum liveupdate_state: 0 normal, 1 prepared, 2 updated.
 */
__bpf_kfunc u32 bpf_liveupdate_state(void)
{
	return luo_orch_state();
}

/**
 * bpf_liveupdate_sequence - The live update sequence number.
 *
 * Return: live updates in this chain of kernels (0 after a cold boot).
 */
__bpf_kfunc u64 bpf_liveupdate_sequence(void)
{
	return luo_orch_sequence();
}

/**
 * bpf_liveupdate_set_reason - Explain the result of the current call.
 * @reason:     Text, need not be NUL terminated.
 * @reason__sz: Its size in bytes; longer text is truncated.
 *
 * A veto or failure returned by the current op carries this reason to the
 * failure record, the policy verdict tracepoint and the log. Bytes that are
 * not printable ASCII become '?'.
 *
 * Return: 0, or -EINVAL outside a live update call.
 */
__bpf_kfunc int bpf_liveupdate_set_reason(const char *reason, u32 reason__sz)
{
	struct luo_participant *p = luo_current;
	size_t n, i;

	if (!p)
		return -EINVAL;
	n = min_t(size_t, reason__sz, sizeof(p->reason) - 1);
	n = strnlen(reason, n);
	/* It ends up in sysfs lines, the log and JSON: printable ASCII only. */
	for (i = 0; i < n; i++) {
		unsigned char c = reason[i];

		p->reason[i] = c >= ' ' && c <= '~' ? c : '?';
	}
	p->reason[n] = '\0';
	return 0;
}

/**
 * bpf_liveupdate_has_participant - Is a participant registered?
 * @name:     Participant name, need not be NUL terminated.
 * @name__sz: Its size in bytes.
 *
 * Return: true if a native or BPF participant of that name is registered.
 */
__bpf_kfunc bool bpf_liveupdate_has_participant(const char *name, u32 name__sz)
{
	struct luo_participant *p;
	size_t n = strnlen(name, name__sz);

	if (!luo_current || !n || n >= LIVEUPDATE_PARTICIPANT_NAME_LEN)
		return false;
	list_for_each_entry(p, &luo_participants, list) {
		if (!p->policy_only && !strncmp(p->name, name, n) && !p->name[n])
			return true;
	}
	return false;
}

/**
 * bpf_liveupdate_preserve - Hand state of this instance to the next kernel.
 * @data:     The state.
 * @data__sz: Its size: a multiple of 8, at most 4096 bytes.
 *
 * During the calls of a live update being prepared or handed over
 * (may_prepare, prepare, may_reboot, reboot; not a ``check``). Preserving
 * again replaces the blob; a CANCEL of this instance drops it, also what
 * it preserves during that CANCEL. In the next
 * kernel the instance of the same name, once attached, reads it with
 * bpf_liveupdate_restore(). All instances together keep at most 64 KiB,
 * headers included (40 bytes a blob).
 *
 * Return: 0, -EINVAL (outside such a call, or a size that is not a
 * non-zero multiple of 8), -E2BIG (over 4096 bytes) or -ENOSPC (the 64 KiB
 * are used up).
 */
__bpf_kfunc int bpf_liveupdate_preserve(const void *data, u32 data__sz)
{
	if (!luo_current)
		return -EINVAL;
	return luo_blobs_preserve(luo_current, data, data__sz);
}

/**
 * bpf_liveupdate_restore - Read the state the previous kernel handed over.
 * @data:     Where to copy it.
 * @data__sz: Its size.
 *
 * From any call of an instance that was attached in a kernel booted from a
 * live update in which an instance of the same name preserved state. It
 * stays readable until the instance is detached.
 *
 * Return: the state's size in bytes, -ENOENT if there is none, -ENOSPC if
 * it does not fit (nothing is copied), -EINVAL outside a call.
 */
__bpf_kfunc int bpf_liveupdate_restore(void *data, u32 data__sz)
{
	if (!luo_current)
		return -EINVAL;
	return luo_blobs_restore(luo_current, data, data__sz);
}

/**
 * bpf_liveupdate_session_count - Sessions mainline LUO will hand over.
 *
 * In may_prepare and may_reboot, from a copy of the outgoing sessions
 * taken under mainline's locks just before the policies are asked.
 *
 * Return: the number of outgoing sessions, -EINVAL outside those ops.
 */
__bpf_kfunc int bpf_liveupdate_session_count(void)
{
	return luo_sessions_count();
}

/**
 * bpf_liveupdate_session_files - Files preserved in a session.
 * @name:     Session name, need not be NUL terminated.
 * @name__sz: Its size in bytes.
 *
 * Also tells whether the session exists. In may_prepare and may_reboot.
 *
 * Return: the number of files in the outgoing session @name, -ENOENT if
 * there is none, -EINVAL outside those ops.
 */
__bpf_kfunc int bpf_liveupdate_session_files(const char *name, u32 name__sz)
{
	return luo_sessions_files(name, name__sz);
}

/**
 * bpf_liveupdate_session_name - The @idx-th outgoing session.
 * @idx:      From 0 to bpf_liveupdate_session_count() - 1.
 * @name:     Where its name goes, NUL terminated and truncated to fit.
 * @name__sz: Its size, at least 1; 64 holds every name.
 *
 * In may_prepare and may_reboot.
 *
 * Return: the number of files in that session, -ENOENT past the last one,
 * -EINVAL outside those ops.
 */
__bpf_kfunc int bpf_liveupdate_session_name(u32 idx, char *name, u32 name__sz)
{
	return luo_sessions_name(idx, name, name__sz);
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(luo_bpf_kfunc_ids)
BTF_ID_FLAGS(func, bpf_liveupdate_state)
BTF_ID_FLAGS(func, bpf_liveupdate_sequence)
BTF_ID_FLAGS(func, bpf_liveupdate_set_reason)
BTF_ID_FLAGS(func, bpf_liveupdate_has_participant)
BTF_ID_FLAGS(func, bpf_liveupdate_preserve)
BTF_ID_FLAGS(func, bpf_liveupdate_restore)
BTF_ID_FLAGS(func, bpf_liveupdate_session_count)
BTF_ID_FLAGS(func, bpf_liveupdate_session_files)
BTF_ID_FLAGS(func, bpf_liveupdate_session_name)
BTF_KFUNCS_END(luo_bpf_kfunc_ids)

static int luo_bpf_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	if (!btf_id_set8_contains(&luo_bpf_kfunc_ids, kfunc_id))
		return 0;
	return luo_bpf_is_ours(prog) ? 0 : -EACCES;
}

static const struct btf_kfunc_id_set luo_bpf_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &luo_bpf_kfunc_ids,
	.filter	= luo_bpf_kfunc_filter,
};

static int __init luo_bpf_kfuncs_init(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS,
					 &luo_bpf_kfunc_set);
}
late_initcall(luo_bpf_kfuncs_init);
