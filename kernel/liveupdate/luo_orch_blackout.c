// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: the blackout and its phases.
 */

/**
 * DOC: Live Update Orchestrator blackout breakdown
 *
 * The old kernel stamps the TSC at named points of the kexec path into the
 * handover block: REBOOT dispatch start and end, mainline's sessions
 * serialized, reboot notifiers and device shutdown done, and the last
 * point before machine_kexec(). It hands over the REBOOT duration of each
 * participant too. The next kernel adds its own points: the handover read
 * in an early initcall (the end of the blackout), the orchestrator's
 * initcall, the start of init (the first userspace process), and FINISH.
 *
 * The TSC keeps counting across kexec; a span that starts in the old kernel
 * is converted with its ``tsc_khz``, the later ones with this kernel's.
 * Without a usable TSC in the old kernel the blackout falls back to
 * CLOCK_REALTIME, which this early only has the RTC's one-second
 * resolution, and only this kernel's own phases are shown. The stamps come
 * from another kernel: a span that cannot be right is left out, never
 * trusted into an overflow.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/init.h>
#include <linux/kho/abi/luo_orchestrator.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>
#ifdef CONFIG_X86
#include <asm/tsc.h>
#endif

#include "luo_orch_internal.h"

/* Points of one live update, in time order; the first five in the old kernel. */
enum luo_bp {
	LUO_BP_REBOOT_START,
	LUO_BP_REBOOT_END,
	LUO_BP_SESSIONS,
	LUO_BP_SHUTDOWN,
	LUO_BP_JUMP,
	LUO_BP_HANDOVER_IN,
	LUO_BP_ORCH_INIT,
	LUO_BP_USERSPACE,
	LUO_BP_FINISH,
	LUO_BP_NR,
};

static const struct {
	const char *name;
	u8 from;
	u8 to;
} luo_phases[] = {
	{ "reboot",	LUO_BP_REBOOT_START,	LUO_BP_REBOOT_END },
	{ "sessions",	LUO_BP_REBOOT_END,	LUO_BP_SESSIONS },
	{ "shutdown",	LUO_BP_SESSIONS,	LUO_BP_SHUTDOWN },
	{ "kexec",	LUO_BP_SHUTDOWN,	LUO_BP_JUMP },
	{ "boot",	LUO_BP_JUMP,		LUO_BP_HANDOVER_IN },
	{ "initcalls",	LUO_BP_HANDOVER_IN,	LUO_BP_ORCH_INIT },
	{ "userspace",	LUO_BP_ORCH_INIT,	LUO_BP_USERSPACE },
	{ "finish",	LUO_BP_USERSPACE,	LUO_BP_FINISH },
};

/* This kernel's view of the live update that brought it up. */
static u64 luo_bp_tsc[LUO_BP_NR];
static u64 luo_bp_khz;
static u64 luo_blackout_ns;
static struct luo_orch_ser_timing *luo_in_timings;
static u32 luo_nr_in_timings, luo_nr_in_reboot;

static u64 luo_tsc_khz(void)
{
#ifdef CONFIG_X86
	if (boot_cpu_has(X86_FEATURE_TSC) && tsc_khz)
		return tsc_khz;
#endif
	return 0;
}

/*
 * Readable before this kernel has calibrated it: a span is converted with
 * the old kernel's frequency.
 */
static u64 luo_tsc_read(void)
{
#ifdef CONFIG_X86
	if (boot_cpu_has(X86_FEATURE_TSC))
		return rdtsc_ordered();
#endif
	return 0;
}

u64 luo_orch_blackout_ns(void)
{
	return READ_ONCE(luo_blackout_ns);
}

/* Old kernel: REBOOT starts; what an earlier attempt stamped goes. */
void luo_blackout_begin(struct luo_orch_ser *ser)
{
	memset(ser->stamp_tsc, 0, sizeof(ser->stamp_tsc));
	ser->nr_timings = 0;
	ser->nr_reboot = 0;
	ser->reboot_start_tsc = luo_tsc_read();
	ser->tsc_khz = luo_tsc_khz();
	ser->reboot_start_real_ns = ktime_get_real_ns();
}

/**
 * luo_blackout_reboot_done - Old kernel: every REBOOT callback returned.
 * @ser: The handover block.
 *
 * Context: the state lock is held for writing.
 */
void luo_blackout_reboot_done(struct luo_orch_ser *ser)
{
	struct luo_participant *p;

	ser->stamp_tsc[LUO_ORCH_STAMP_REBOOT_END] = luo_tsc_read();
	list_for_each_entry(p, &luo_participants, list) {
		const struct luo_call_record *r = &p->record[LIVEUPDATE_REBOOT];
		struct luo_orch_ser_timing *t;

		if (!r->ran)
			continue;
		if (ser->nr_reboot++ >= LUO_ORCH_SER_TIMINGS)
			continue;
		t = &ser->timings[ser->nr_timings++];
		memset(t, 0, sizeof(*t));
		strscpy(t->name, p->name, sizeof(t->name));
		t->priority = p->priority;
		t->kind = p->kind == LUO_PARTICIPANT_BPF;
		t->ret = r->ret;
		t->duration_ns = r->duration_ns;
	}
}

/* Old kernel, lock-free: a point of the kexec path of a live update. */
void luo_blackout_stamp(struct luo_orch_ser *ser, unsigned int point)
{
	if (ser && READ_ONCE(ser->state) == LUO_ORCH_SER_PREPARED &&
	    point < LUO_ORCH_STAMP_NR)
		WRITE_ONCE(ser->stamp_tsc[point], luo_tsc_read());
}

/* A TSC frequency that can be real: 1 MHz to 100 GHz. */
static bool luo_khz_sane(u64 khz)
{
	return khz >= 1000 && khz <= 100000000;
}

/* ns between two TSC values, 0 if unknown or not representable. */
static u64 luo_tsc_span_ns(u64 from, u64 to, u64 khz)
{
	if (!luo_khz_sane(khz) || !from || to <= from ||
	    div64_u64(to - from, khz) >= U64_MAX / 1000000)
		return 0;
	return mul_u64_u64_div_u64(to - from, 1000000, khz);
}

/**
 * luo_blackout_take - New kernel: the handover of a live update was read.
 * @ser: A copy of the block, the fields a shorter block lacks zeroed.
 *
 * Return: the blackout, REBOOT start to now, in ns (0 if unknown).
 */
u64 __init luo_blackout_take(const struct luo_orch_ser *ser)
{
	u64 now = luo_tsc_read();
	unsigned int i;

	luo_bp_khz = luo_khz_sane(ser->tsc_khz) ? ser->tsc_khz : 0;
	luo_bp_tsc[LUO_BP_REBOOT_START] = ser->reboot_start_tsc;
	for (i = 0; i < LUO_ORCH_STAMP_NR; i++)
		luo_bp_tsc[LUO_BP_REBOOT_END + i] = ser->stamp_tsc[i];
	luo_bp_tsc[LUO_BP_HANDOVER_IN] = now;

	luo_blackout_ns = luo_tsc_span_ns(ser->reboot_start_tsc, now, luo_bp_khz);
	if (!luo_blackout_ns && ser->reboot_start_real_ns &&
	    ktime_get_real_ns() > ser->reboot_start_real_ns)
		luo_blackout_ns = ktime_get_real_ns() - ser->reboot_start_real_ns;

	luo_nr_in_reboot = ser->nr_reboot;
	if (ser->nr_timings && ser->nr_timings <= LUO_ORCH_SER_TIMINGS) {
		luo_in_timings = kmemdup_array(ser->timings, ser->nr_timings,
					       sizeof(*luo_in_timings), GFP_KERNEL);
		if (luo_in_timings)
			luo_nr_in_timings = ser->nr_timings;
	}
	return luo_blackout_ns;
}

/* New kernel: the orchestrator's initcall, and the first FINISH. */
static void luo_blackout_mark(enum luo_bp point)
{
	if (luo_bp_tsc[LUO_BP_HANDOVER_IN] && !luo_bp_tsc[point])
		WRITE_ONCE(luo_bp_tsc[point], luo_tsc_read());
}

void luo_blackout_mark_init(void)
{
	luo_blackout_mark(LUO_BP_ORCH_INIT);
}

/**
 * liveupdate_userspace_stamp - kernel_init() is about to start init.
 *
 * The first userspace process: after a live update, the point between the
 * orchestrator's initcall and FINISH.
 */
void liveupdate_userspace_stamp(void)
{
	luo_blackout_mark(LUO_BP_USERSPACE);
}

void luo_blackout_mark_finish(void)
{
	luo_blackout_mark(LUO_BP_FINISH);
}

/*
 * The orchestrator's own share of the REBOOT phase: its span minus the
 * participants' handlers, when all of them were handed over. The policy
 * checks (may_reboot) count as the orchestrator's.
 */
static u64 luo_blackout_own_ns(u64 reboot_ns)
{
	u64 handlers = 0;
	u32 i;

	if (!reboot_ns || luo_nr_in_timings != luo_nr_in_reboot)
		return 0;
	for (i = 0; i < luo_nr_in_timings; i++)
		if (check_add_overflow(handlers, luo_in_timings[i].duration_ns,
				       &handlers))
			return 0;
	return handlers < reboot_ns ? reboot_ns - handlers : 0;
}

/**
 * luo_blackout_show - The sysfs ``blackout`` table.
 * @buf: The sysfs page.
 *
 * One "PHASE NS" line per phase whose both ends are known, in time order,
 * with "orchestrator" (its own share of "reboot") after "reboot" and
 * "blackout" (REBOOT start to the handover read: the sum of the phases
 * before it when they are all there) after "boot". Empty when this kernel
 * did not boot from a live update.
 *
 * Return: the length written.
 */
ssize_t luo_blackout_show(char *buf)
{
	u64 tsc[LUO_BP_NR];
	int len = 0;
	unsigned int i;

	if (!luo_bp_tsc[LUO_BP_HANDOVER_IN] && !luo_blackout_ns)
		return 0;
	for (i = 0; i < LUO_BP_NR; i++)
		tsc[i] = READ_ONCE(luo_bp_tsc[i]);
	for (i = 0; i < ARRAY_SIZE(luo_phases); i++) {
		/* from the handover read on, both ends are this kernel's */
		u64 khz = luo_phases[i].from >= LUO_BP_HANDOVER_IN ?
			  luo_tsc_khz() : luo_bp_khz;
		u64 ns = luo_tsc_span_ns(tsc[luo_phases[i].from],
					 tsc[luo_phases[i].to], khz);
		u64 own;

		if (ns)
			len += sysfs_emit_at(buf, len, "%s %llu\n",
					     luo_phases[i].name, ns);
		own = luo_phases[i].to == LUO_BP_REBOOT_END ?
		      luo_blackout_own_ns(ns) : 0;
		if (own)
			len += sysfs_emit_at(buf, len, "orchestrator %llu\n", own);
		if (luo_phases[i].to == LUO_BP_HANDOVER_IN && luo_blackout_ns)
			len += sysfs_emit_at(buf, len, "blackout %llu\n",
					     luo_blackout_ns);
	}
	return len;
}

/**
 * luo_blackout_timings_show - The old kernel's REBOOT records, for debugfs.
 * @m: The last_update file.
 *
 * Shown in last_update's format until a participant of this kernel runs
 * PREPARE, which starts the next live update.
 *
 * Context: the state lock is held.
 */
void luo_blackout_timings_show(struct seq_file *m)
{
	struct luo_participant *p;
	u32 i;

	list_for_each_entry(p, &luo_participants, list)
		if (p->record[LIVEUPDATE_PREPARE].ran)
			return;
	for (i = 0; i < luo_nr_in_timings; i++) {
		const struct luo_orch_ser_timing *t = &luo_in_timings[i];

		seq_printf(m, "%.*s %s %u reboot %d %llu\n",
			   (int)sizeof(t->name), t->name,
			   luo_kind_name(t->kind ? LUO_PARTICIPANT_BPF :
					 LUO_PARTICIPANT_NATIVE),
			   t->priority, t->ret, t->duration_ns);
	}
}
