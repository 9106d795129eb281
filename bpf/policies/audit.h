/* SPDX-License-Identifier: GPL-2.0 */
/* The audit record, shared by audit.bpf.c and its loader. */
#ifndef __LUO_AUDIT_H
#define __LUO_AUDIT_H

enum audit_event {
	AUDIT_PREPARE		= 0,
	AUDIT_REBOOT		= 1,
	AUDIT_FINISH		= 2,
	AUDIT_CANCEL		= 3,
	AUDIT_MAY_PREPARE	= 4,
	AUDIT_NR_EVENTS,
};

struct audit_record {
	__u32 event;		/* enum audit_event */
	__u32 state;		/* bpf_liveupdate_state() */
	__u64 sequence;		/* bpf_liveupdate_sequence() */
	__u64 boot_ns;		/* bpf_ktime_get_boot_ns() */
};

#endif
