/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live Update Orchestrator trace events: every state transition, every
 * event dispatch, every participant callback, every rollback, every policy
 * verdict, the KHO handover in both directions, the prepare lease and the
 * BPF state carried across the kexec. Field names are stable:
 * bpftrace scripts read them as args->NAME.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM liveupdate

#if !defined(_TRACE_LIVEUPDATE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_LIVEUPDATE_H

#include <linux/tracepoint.h>

TRACE_EVENT(liveupdate_transition,
	TP_PROTO(const char *from, const char *to, u64 seq, const char *cause),
	TP_ARGS(from, to, seq, cause),
	TP_STRUCT__entry(
		__string(from, from)
		__string(to, to)
		__field(u64, seq)
		__string(cause, cause)
	),
	TP_fast_assign(
		__assign_str(from);
		__assign_str(to);
		__entry->seq = seq;
		__assign_str(cause);
	),
	TP_printk("%s -> %s seq=%llu cause=%s", __get_str(from), __get_str(to),
		  __entry->seq, __get_str(cause))
);

DECLARE_EVENT_CLASS(liveupdate_dispatch,
	TP_PROTO(const char *event, int nr, int ret),
	TP_ARGS(event, nr, ret),
	TP_STRUCT__entry(
		__string(event, event)
		__field(int, nr)
		__field(int, ret)
	),
	TP_fast_assign(
		__assign_str(event);
		__entry->nr = nr;
		__entry->ret = ret;
	),
	TP_printk("event=%s participants=%d ret=%d", __get_str(event),
		  __entry->nr, __entry->ret)
);

DEFINE_EVENT(liveupdate_dispatch, liveupdate_event_start,
	TP_PROTO(const char *event, int nr, int ret),
	TP_ARGS(event, nr, ret)
);

DEFINE_EVENT(liveupdate_dispatch, liveupdate_event_end,
	TP_PROTO(const char *event, int nr, int ret),
	TP_ARGS(event, nr, ret)
);

TRACE_EVENT(liveupdate_participant,
	TP_PROTO(const char *event, const char *name, const char *kind,
		 int priority, int ret, u64 duration_ns),
	TP_ARGS(event, name, kind, priority, ret, duration_ns),
	TP_STRUCT__entry(
		__string(event, event)
		__string(name, name)
		__string(kind, kind)
		__field(int, priority)
		__field(int, ret)
		__field(u64, duration_ns)
	),
	TP_fast_assign(
		__assign_str(event);
		__assign_str(name);
		__assign_str(kind);
		__entry->priority = priority;
		__entry->ret = ret;
		__entry->duration_ns = duration_ns;
	),
	TP_printk("event=%s name=%s kind=%s priority=%d ret=%d duration_ns=%llu",
		  __get_str(event), __get_str(name), __get_str(kind),
		  __entry->priority, __entry->ret, __entry->duration_ns)
);

TRACE_EVENT(liveupdate_rollback,
	TP_PROTO(const char *event, const char *name, int err, int cancelled),
	TP_ARGS(event, name, err, cancelled),
	TP_STRUCT__entry(
		__string(event, event)
		__string(name, name)
		__field(int, err)
		__field(int, cancelled)
	),
	TP_fast_assign(
		__assign_str(event);
		__assign_str(name);
		__entry->err = err;
		__entry->cancelled = cancelled;
	),
	TP_printk("event=%s failed=%s err=%d cancelled=%d", __get_str(event),
		  __get_str(name), __entry->err, __entry->cancelled)
);

TRACE_EVENT(liveupdate_policy_verdict,
	TP_PROTO(const char *policy, const char *event, int verdict,
		 const char *reason),
	TP_ARGS(policy, event, verdict, reason),
	TP_STRUCT__entry(
		__string(policy, policy)
		__string(event, event)
		__field(int, verdict)
		__string(reason, reason)
	),
	TP_fast_assign(
		__assign_str(policy);
		__assign_str(event);
		__entry->verdict = verdict;
		__assign_str(reason);
	),
	TP_printk("policy=%s event=%s verdict=%d reason=%s", __get_str(policy),
		  __get_str(event), __entry->verdict, __get_str(reason))
);

/* A BPF instance ejected for misbehaving, as listed in sysfs exits. */
TRACE_EVENT(liveupdate_eject,
	TP_PROTO(const char *name, const char *kind, const char *op, int err,
		 const char *msg),
	TP_ARGS(name, kind, op, err, msg),
	TP_STRUCT__entry(
		__string(name, name)
		__string(kind, kind)
		__string(op, op)
		__field(int, err)
		__string(msg, msg)
	),
	TP_fast_assign(
		__assign_str(name);
		__assign_str(kind);
		__assign_str(op);
		__entry->err = err;
		__assign_str(msg);
	),
	TP_printk("name=%s kind=%s op=%s err=%d msg=%s", __get_str(name),
		  __get_str(kind), __get_str(op), __entry->err, __get_str(msg))
);

DECLARE_EVENT_CLASS(liveupdate_handover,
	TP_PROTO(u64 seq, u16 major, u16 minor, u64 blackout_ns),
	TP_ARGS(seq, major, minor, blackout_ns),
	TP_STRUCT__entry(
		__field(u64, seq)
		__field(u16, major)
		__field(u16, minor)
		__field(u64, blackout_ns)
	),
	TP_fast_assign(
		__entry->seq = seq;
		__entry->major = major;
		__entry->minor = minor;
		__entry->blackout_ns = blackout_ns;
	),
	TP_printk("seq=%llu abi=%u.%u blackout_ns=%llu", __entry->seq,
		  __entry->major, __entry->minor, __entry->blackout_ns)
);

DEFINE_EVENT(liveupdate_handover, liveupdate_handover_out,
	TP_PROTO(u64 seq, u16 major, u16 minor, u64 blackout_ns),
	TP_ARGS(seq, major, minor, blackout_ns)
);

DEFINE_EVENT(liveupdate_handover, liveupdate_handover_in,
	TP_PROTO(u64 seq, u16 major, u16 minor, u64 blackout_ns),
	TP_ARGS(seq, major, minor, blackout_ns)
);

/* The prepare lease: armed, renewed, expired or disarmed. */
TRACE_EVENT(liveupdate_lease,
	TP_PROTO(const char *action, u64 sequence, u32 lease_ms),
	TP_ARGS(action, sequence, lease_ms),
	TP_STRUCT__entry(
		__string(action, action)
		__field(u64, sequence)
		__field(u32, lease_ms)
	),
	TP_fast_assign(
		__assign_str(action);
		__entry->sequence = sequence;
		__entry->lease_ms = lease_ms;
	),
	TP_printk("action=%s sequence=%llu lease_ms=%u", __get_str(action),
		  __entry->sequence, __entry->lease_ms)
);

/*
 * A BPF instance's state across the kexec: preserve, discard (a CANCEL;
 * name "*" for the whole area), claim (in the next kernel) or unclaimed
 * (freed at the end of updated).
 */
TRACE_EVENT(liveupdate_blob,
	TP_PROTO(const char *action, const char *name, u32 len),
	TP_ARGS(action, name, len),
	TP_STRUCT__entry(
		__string(action, action)
		__string(name, name)
		__field(u32, len)
	),
	TP_fast_assign(
		__assign_str(action);
		__assign_str(name);
		__entry->len = len;
	),
	TP_printk("action=%s name=%s len=%u", __get_str(action),
		  __get_str(name), __entry->len)
);

#endif /* _TRACE_LIVEUPDATE_H */

#include <trace/define_trace.h>
