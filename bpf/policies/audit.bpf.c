// SPDX-License-Identifier: GPL-2.0
/*
 * audit: a participant that takes part in every step and logs it. Each
 * handler sends {event, state, sequence, boot ns} to a ring buffer and lets
 * the step go on (returns 0). luo-audit --follow prints the records.
 */
#include "luo.bpf.h"
#include "audit.h"

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

/* records lost because nobody drained the ring buffer */
__u64 dropped;

static __always_inline int record(u32 event)
{
	struct audit_record *r;

	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&dropped, 1);
		return 0;	/* never fail a live update for logging */
	}
	r->event = event;
	r->state = bpf_liveupdate_state();
	r->sequence = bpf_liveupdate_sequence();
	r->boot_ns = bpf_ktime_get_boot_ns();
	bpf_ringbuf_submit(r, 0);
	return 0;
}

int LUO_OPS(audit_prepare)	{ return record(AUDIT_PREPARE); }
int LUO_OPS(audit_reboot)	{ return record(AUDIT_REBOOT); }
int LUO_OPS(audit_finish)	{ return record(AUDIT_FINISH); }
int LUO_OPS(audit_cancel)	{ return record(AUDIT_CANCEL); }
int LUO_OPS(audit_may_prepare)	{ return record(AUDIT_MAY_PREPARE); }

LUO_POLICY_DEFINE(audit,
	.prepare	= (void *)audit_prepare,
	.reboot		= (void *)audit_reboot,
	.finish		= (void *)audit_finish,
	.cancel		= (void *)audit_cancel,
	.may_prepare	= (void *)audit_may_prepare,
	.priority	= LUO_PRIO_BEFORE_DEVICES,
	.name		= "audit");
