// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: the /sys/kernel/liveupdate/ control interface.
 */

/**
 * DOC: Live Update Orchestrator sysfs interface
 *
 * ``/sys/kernel/liveupdate/`` drives and shows the orchestrator:
 *
 * - ``state`` (0444, pollable): ``normal``, ``prepared`` or ``updated``.
 * - ``enabled`` (0444): ``1`` when live update is usable. When LUO or KHO is
 *   off the directory still exists, ``enabled`` reads ``0``, ``state`` reads
 *   ``normal`` and every write fails with EOPNOTSUPP.
 * - ``prepare`` (0200): ``1`` prepares, ``0`` cancels a prepared update.
 * - ``cancel`` (0200), ``finish`` (0200), ``reset`` (0200): ``1``.
 * - ``check`` (0200): ``1`` in ``normal`` asks the policies whether PREPARE
 *   would be allowed, and calls no handler: the write fails with the veto's
 *   errno (reason in ``last_failure``), and the state does not change.
 * - ``last_failure`` (0444): ``none``, or ``event=<e> participant=<name>
 *   errno=<-N> sequence=<n> time_ns=<t>[ reason=<text>]`` for the root cause
 *   of the last failed step: ``policy=<name>`` instead of ``participant=``
 *   for a veto, the live update sequence it happened in, and when
 *   (CLOCK_REALTIME, ns). The reason is printable text and ends the line.
 * - ``sequence`` (0444): live updates in this chain of kernels.
 * - ``participants`` (0444): ``<priority> <kind> <name>`` in call order.
 *   A listing longer than a page ends with ``... <N> more``.
 * - ``last_blackout_ns`` (0444): REBOOT start in the old kernel to early
 *   init of this one, 0 if this kernel did not boot from a live update.
 * - ``blackout`` (0444): that live update phase by phase, ``<phase> <ns>``
 *   a line, in time order: ``reboot`` (REBOOT dispatch) and within it
 *   ``orchestrator`` (its own share, the handlers' time taken out),
 *   ``sessions`` (mainline's session serialization), ``shutdown`` (reboot
 *   notifiers and device shutdown), ``kexec`` (the rest of the old
 *   kernel's path), ``boot`` (from the jump to this kernel's early
 *   initcall), ``blackout`` (the sum of those, as ``last_blackout_ns``),
 *   then after the blackout ``initcalls`` (to the orchestrator's
 *   initcall) and ``finish`` (to FINISH). A phase whose ends were not both
 *   stamped is left out; empty if this kernel did not boot from a live
 *   update.
 * - ``exits`` (0444): one line per BPF instance ejected for misbehaving:
 *   ``<name> kind=<invalid-return|over-budget> op=<op> errno=<-N>
 *   msg=<text>``. ``over-budget`` means a call returned after its
 *   ``timeout_ms`` budget: the budget is checked once the call returned, it
 *   is not a watchdog.
 *
 * - ``prepare_lease_ms`` (0644): the prepare lease, 0 (the default) for
 *   none, at most 86400000 (a day). A prepare arms it; if no kexec follows
 *   in time, the orchestrator cancels by itself (``last_failure``:
 *   ``participant=lease``). A write while ``prepared`` re-arms it from now.
 * - ``blobs`` (0444): the state BPF instances carry across the kexec,
 *   ``out <name> <bytes>`` for what this live update hands over, ``in
 *   <name> <bytes> claimed|unclaimed`` for what the previous kernel did.
 *
 * Writes need CAP_SYS_BOOT besides the file mode (EPERM otherwise), and
 * accept exactly ``1`` or ``0`` with an optional newline (a number of
 * milliseconds for ``prepare_lease_ms``). Anything else
 * fails with EINVAL and changes nothing; a write in the wrong state fails
 * with EBUSY and a log line naming both states. Reads that wait for a
 * transition in progress are killable.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/capability.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>

#include "luo_orch_internal.h"

static struct kobject *luo_kobj;

void luo_orch_sysfs_notify(void)
{
	if (luo_kobj)
		sysfs_notify(luo_kobj, NULL, "state");
}

/*
 * Accept "1", "1\n", and with @zero_ok "0", "0\n", from a writer allowed to
 * reboot the machine.
 */
static int luo_parse_switch(const char *buf, size_t count, bool zero_ok)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (count == 2 && buf[1] != '\n')
		return -EINVAL;
	if (count < 1 || count > 2)
		return -EINVAL;
	if (buf[0] == '1')
		return 1;
	if (buf[0] == '0' && zero_ok)
		return 0;
	return -EINVAL;
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", luo_state_name(luo_orch_state()));
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", luo_orch_enabled());
}

static ssize_t sequence_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%llu\n", luo_orch_sequence());
}

static ssize_t last_blackout_ns_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", luo_orch_blackout_ns());
}

static ssize_t blackout_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return luo_blackout_show(buf);
}

static ssize_t last_failure_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct luo_failure f;
	int len;

	len = luo_orch_failure(&f);
	if (len)
		return len;
	if (!f.valid)
		return sysfs_emit(buf, "none\n");
	len = sysfs_emit(buf, "event=%s %s=%s errno=%d sequence=%llu time_ns=%llu",
			 luo_event_name(f.event),
			 f.by_policy ? "policy" : "participant", f.participant,
			 f.err, f.sequence, f.time_ns);
	if (f.reason[0])
		len += sysfs_emit_at(buf, len, " reason=%s", f.reason);
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t participants_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct luo_participant *p;
	int len = 0, more = 0;

	if (down_read_killable(&luo_state_rwsem))
		return -EINTR;
	list_for_each_entry(p, &luo_participants, list) {
		if (p->policy_only)
			continue;
		/* One page: a listing that does not fit says how much is left. */
		if (more || len > PAGE_SIZE - LIVEUPDATE_PARTICIPANT_NAME_LEN - 48) {
			more++;
			continue;
		}
		len += sysfs_emit_at(buf, len, "%d %s %s\n", p->priority,
				     luo_kind_name(p->kind), p->name);
	}
	up_read(&luo_state_rwsem);
	if (more)
		len += sysfs_emit_at(buf, len, "... %d more\n", more);
	return len;
}

static ssize_t exits_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return luo_bpf_exits_show(buf);
}

static ssize_t blobs_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return luo_blobs_show(buf);
}

static ssize_t prepare_lease_ms_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", luo_lease_get());
}

#define LUO_LEASE_MAX_MS	(24 * 60 * 60 * 1000)

static ssize_t prepare_lease_ms_store(struct kobject *kobj,
				      struct kobj_attribute *attr,
				      const char *buf, size_t count)
{
	u32 ms;
	int err;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (!luo_orch_enabled())
		return -EOPNOTSUPP;
	/* Decimal only, optional newline; kstrtou32 takes no sign or space. */
	if (!count || buf[0] < '0' || buf[0] > '9' || kstrtou32(buf, 10, &ms) ||
	    ms > LUO_LEASE_MAX_MS)
		return -EINVAL;
	err = luo_lease_set(ms);
	return err ? err : count;
}

static ssize_t prepare_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	int val = luo_parse_switch(buf, count, true);
	int err;

	if (val < 0)
		return val;
	err = val ? luo_orch_prepare() : luo_orch_cancel();
	return err ? err : count;
}

/* "1" runs @op; its errno is the write's result. */
static ssize_t luo_store_one(const char *buf, size_t count, int (*op)(void))
{
	int val = luo_parse_switch(buf, count, false);
	int err;

	if (val < 0)
		return val;
	err = op();
	return err ? err : count;
}

static ssize_t cancel_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return luo_store_one(buf, count, luo_orch_cancel);
}

/* FINISH ends the live update: the last point of its breakdown. */
static int luo_finish_stamped(void)
{
	int err = luo_orch_finish();

	if (!err)
		luo_blackout_mark_finish();
	return err;
}

static ssize_t finish_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return luo_store_one(buf, count, luo_finish_stamped);
}

static ssize_t check_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	return luo_store_one(buf, count, luo_orch_check);
}

static ssize_t reset_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	return luo_store_one(buf, count, luo_orch_reset);
}

static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute enabled_attr = __ATTR_RO(enabled);
static struct kobj_attribute sequence_attr = __ATTR_RO(sequence);
static struct kobj_attribute last_blackout_ns_attr = __ATTR_RO(last_blackout_ns);
static struct kobj_attribute blackout_attr = __ATTR_RO(blackout);
static struct kobj_attribute last_failure_attr = __ATTR_RO(last_failure);
static struct kobj_attribute participants_attr = __ATTR_RO(participants);
static struct kobj_attribute exits_attr = __ATTR_RO(exits);
static struct kobj_attribute blobs_attr = __ATTR_RO(blobs);
static struct kobj_attribute prepare_lease_ms_attr = __ATTR_RW(prepare_lease_ms);
static struct kobj_attribute prepare_attr = __ATTR_WO(prepare);
static struct kobj_attribute cancel_attr = __ATTR_WO(cancel);
static struct kobj_attribute finish_attr = __ATTR_WO(finish);
static struct kobj_attribute reset_attr = __ATTR_WO(reset);
static struct kobj_attribute check_attr = __ATTR_WO(check);

static struct attribute *luo_attrs[] = {
	&state_attr.attr,
	&enabled_attr.attr,
	&sequence_attr.attr,
	&last_blackout_ns_attr.attr,
	&blackout_attr.attr,
	&last_failure_attr.attr,
	&participants_attr.attr,
	&exits_attr.attr,
	&blobs_attr.attr,
	&prepare_lease_ms_attr.attr,
	&prepare_attr.attr,
	&cancel_attr.attr,
	&finish_attr.attr,
	&reset_attr.attr,
	&check_attr.attr,
	NULL,
};

static const struct attribute_group luo_attr_group = {
	.attrs = luo_attrs,
};

/* After mainline LUO's late initcalls, which may still disable live update. */
static int __init luo_orch_sysfs_init(void)
{
	int err;

	luo_kobj = kobject_create_and_add("liveupdate", kernel_kobj);
	if (!luo_kobj)
		return -ENOMEM;
	luo_blackout_mark_init();
	err = sysfs_create_group(luo_kobj, &luo_attr_group);
	if (err) {
		kobject_put(luo_kobj);
		luo_kobj = NULL;
		pr_err("cannot create /sys/kernel/liveupdate: %pe\n", ERR_PTR(err));
	}
	return err;
}
late_initcall_sync(luo_orch_sysfs_init);
