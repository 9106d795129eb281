// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator debugfs, /sys/kernel/debug/liveupdate/:
 *
 * - last_update: per-participant record of the last live update, one line
 *   per participant and event that ran:
 *   "<name> <kind> <priority> <event> <ret> <duration_ns>". In a kernel
 *   booted from a live update, the old kernel's REBOOT lines follow, until
 *   this kernel runs a PREPARE of its own.
 *
 * With CONFIG_LIVEUPDATE_ORCH_FAULT_INJECT only, fault injection for tests:
 *
 * - abi_override (0200): "MAJOR.MINOR[ LEN]" makes the handover claim that
 *   ABI version, and with LEN publishes only its first LEN bytes.
 * - unpublish (0200): "1" drops the handover block, as if it could not be
 *   published at boot.
 * - fail_serialize (0600): an errno number N, e.g. "5", makes the step
 *   after a successful REBOOT (mainline's session serialization) fail with
 *   -N; "0" turns it off.
 */

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "luo_orch_internal.h"

static int last_update_show(struct seq_file *m, void *unused)
{
	struct luo_participant *p;
	int ev;

	if (down_read_killable(&luo_state_rwsem))
		return -EINTR;
	list_for_each_entry(p, &luo_participants, list) {
		for (ev = 0; ev < LUO_EVENT_NR; ev++) {
			if (!p->record[ev].ran)
				continue;
			seq_printf(m, "%s %s %d %s %d %llu\n", p->name,
				   luo_kind_name(p->kind), p->priority,
				   luo_event_name(ev), p->record[ev].ret,
				   p->record[ev].duration_ns);
		}
	}
	luo_blackout_timings_show(m);
	up_read(&luo_state_rwsem);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(last_update);

#ifdef CONFIG_LIVEUPDATE_ORCH_FAULT_INJECT
static ssize_t abi_override_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	unsigned int major, minor, len = 0;
	char buf[32];
	int err, n;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	n = sscanf(buf, "%u.%u %u", &major, &minor, &len);
	if (n < 2 || major > U16_MAX || minor > U16_MAX)
		return -EINVAL;
	err = luo_orch_set_abi(major, minor, len);
	return err ? err : count;
}

static const struct file_operations abi_override_fops = {
	.owner	= THIS_MODULE,
	.write	= abi_override_write,
};

static ssize_t unpublish_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	bool val;
	int err = kstrtobool_from_user(ubuf, count, &val);

	if (err)
		return err;
	if (!val)
		return -EINVAL;
	err = luo_orch_unpublish();
	return err ? err : count;
}

static const struct file_operations unpublish_fops = {
	.owner	= THIS_MODULE,
	.write	= unpublish_write,
};

static void __init luo_orch_debugfs_faults(struct dentry *dir)
{
	debugfs_create_file("abi_override", 0200, dir, NULL, &abi_override_fops);
	debugfs_create_file("unpublish", 0200, dir, NULL, &unpublish_fops);
	debugfs_create_u32("fail_serialize", 0600, dir, &luo_orch_fail_serialize);
}
#else
static void __init luo_orch_debugfs_faults(struct dentry *dir)
{
}
#endif

static int __init luo_orch_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("liveupdate", NULL);

	debugfs_create_file("last_update", 0444, dir, NULL, &last_update_fops);
	luo_orch_debugfs_faults(dir);
	return 0;
}
late_initcall(luo_orch_debugfs_init);
