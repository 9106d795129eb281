/* SPDX-License-Identifier: GPL-2.0 */
/*
 * luo.bpf.h - helpers for writing live update participants and policies
 * (struct liveupdate_ops) in BPF.
 *
 *	#include "luo.bpf.h"
 *
 *	int LUO_OPS_SLEEPABLE(my_may_prepare)
 *	{
 *		if (too_busy())
 *			return LUO_VETO(EBUSY, "system too busy");
 *		return 0;
 *	}
 *
 *	LUO_POLICY_DEFINE(my_policy,
 *		.may_prepare	= (void *)my_may_prepare,
 *		.flags		= LUO_F_POLICY_ONLY,
 *		.name		= "my_policy");
 *
 * Every op takes no argument and returns 0 or a negative errno; any other
 * value (or a call longer than timeout_ms) ejects the instance.
 */
#ifndef __LUO_BPF_H
#define __LUO_BPF_H

/* the kfuncs are declared below, with the exact types of the contract */
#ifndef BPF_NO_KFUNC_PROTOTYPES
#define BPF_NO_KFUNC_PROTOTYPES
#endif
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/*
 * Constants of include/linux/liveupdate_ops.h and of the orchestrator. They
 * are macros with our own prefix so they never clash with the enums that
 * vmlinux.h may or may not carry.
 */
#define LUO_F_POLICY_ONLY		(1U << 0)	/* LIVEUPDATE_OPS_F_POLICY_ONLY */

#define LUO_NAME_LEN			32		/* LIVEUPDATE_OPS_NAME_LEN */
#define LUO_TIMEOUT_DEFAULT_MS		1000
#define LUO_TIMEOUT_MAX_MS		60000

/* bpf_liveupdate_preserve(): per instance, and all instances together */
#define LUO_BLOB_MAX			4096		/* LUO_ORCH_BLOB_MAX */
#define LUO_BLOBS_SIZE			65536		/* LUO_ORCH_BLOBS_SIZE */

/* bpf_liveupdate_state() */
#define LUO_STATE_NORMAL		0
#define LUO_STATE_PREPARED		1
#define LUO_STATE_UPDATED		2

/* liveupdate_ops.priority (enum liveupdate_cb_priority) */
#define LUO_PRIO_BEFORE_DEVICES		0
#define LUO_PRIO_WITH_DEVICES		1
#define LUO_PRIO_AFTER_DEVICES		2

/* errno values used by policies (vmlinux.h has no errno.h) */
#ifndef EPERM
#define EPERM		1
#define ENOENT		2
#define E2BIG		7
#define EINTR		4
#define EIO		5
#define EAGAIN		11
#define ENOMEM		12
#define EBUSY		16
#define EEXIST		17
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ECANCELED	125
#endif

/* Kfuncs; the kernel only lets liveupdate_ops programs call them. */
extern u32 bpf_liveupdate_state(void) __ksym;
extern u64 bpf_liveupdate_sequence(void) __ksym;
extern int bpf_liveupdate_set_reason(const char *reason, u32 reason__sz) __ksym;
extern bool bpf_liveupdate_has_participant(const char *name, u32 name__sz) __ksym;
/*
 * State carried across the kexec, keyed by the instance's name: preserve
 * during may_prepare, prepare, may_reboot or reboot (a multiple of 8 bytes,
 * at most LUO_BLOB_MAX); restore in the next kernel, from any op, once the
 * instance is attached again (before finish). Restore returns the size.
 */
extern int bpf_liveupdate_preserve(const void *data, u32 data__sz) __ksym;
extern int bpf_liveupdate_restore(void *data, u32 data__sz) __ksym;
/*
 * Mainline LUO's outgoing sessions, in may_prepare and may_reboot (a copy
 * taken under mainline's locks before the policies run): how many, the
 * files in one by name (-ENOENT: no such session), the idx-th one's name.
 */
#define LUO_SESSION_NAME_LEN		64	/* LIVEUPDATE_SESSION_NAME_LENGTH */
extern int bpf_liveupdate_session_count(void) __ksym;
extern int bpf_liveupdate_session_files(const char *name, u32 name__sz) __ksym;
extern int bpf_liveupdate_session_name(u32 idx, char *name, u32 name__sz) __ksym;

/*
 * LUO_OPS(name) - define the program of one op: "int LUO_OPS(my_prepare) {...}"
 * LUO_OPS_SLEEPABLE(name) - the same, sleepable. The kernel accepts it for
 * prepare, finish, cancel and may_prepare, and refuses it for reboot and
 * may_reboot, which run on the kexec path.
 *
 * The ops take no argument; args... exists only for symmetry with
 * BPF_STRUCT_OPS and must stay empty.
 */
#define LUO_OPS(name, args...)						\
	SEC("struct_ops/" #name)					\
	BPF_PROG(name, ##args)

#define LUO_OPS_SLEEPABLE(name, args...)				\
	SEC("struct_ops.s/" #name)					\
	BPF_PROG(name, ##args)

/*
 * LUO_POLICY_DEFINE(var, .field = value, ...) - the struct_ops instance.
 * Always link based (SEC(".struct_ops.link")): attach it with
 * bpf_map__attach_struct_ops() and pin the link to keep it after the loader
 * exits. Data fields may also be changed by the loader before load through
 * skel->struct_ops.var.
 */
#define LUO_POLICY_DEFINE(var, ...)					\
	SEC(".struct_ops.link")						\
	struct liveupdate_ops var = {					\
		__VA_ARGS__,						\
	}

/*
 * The reason kfuncs read *and may write* their buffer argument as far as the
 * verifier is concerned, so a string literal (in read-only .rodata) cannot be
 * passed directly: LUO_SET_REASON copies it to the stack first.
 */
#define LUO_SET_REASON(str)						\
	({								\
		char ___luo_reason[] = str;				\
		bpf_liveupdate_set_reason(___luo_reason,		\
					  sizeof(___luo_reason));	\
	})

/* LUO_VETO(errno, "reason") - record the reason, evaluate to -errno */
#define LUO_VETO(err, str)						\
	({								\
		LUO_SET_REASON(str);					\
		-(err);							\
	})

/* Is a participant named by a string literal registered? */
#define LUO_HAS_PARTICIPANT(str)					\
	({								\
		char ___luo_name[] = str;				\
		bpf_liveupdate_has_participant(___luo_name,		\
					       sizeof(___luo_name));	\
	})

/* A string for a state value, for bpf_printk() and the like. */
static __always_inline const char *luo_state_str(u32 state)
{
	switch (state) {
	case LUO_STATE_NORMAL:		return "normal";
	case LUO_STATE_PREPARED:	return "prepared";
	case LUO_STATE_UPDATED:		return "updated";
	default:			return "unknown";
	}
}

#endif /* __LUO_BPF_H */
