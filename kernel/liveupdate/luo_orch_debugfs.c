// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator debugfs, /sys/kernel/debug/liveupdate/:
 *
 * - last_update: per-participant record of the last live update, one line
 *   per participant and event that ran:
 *   "<name> <kind> <priority> <event> <ret> <duration_ns>".
 * - abi_override (0200): fault injection for tests; "MAJOR.MINOR" makes the
 *   handover claim that ABI version, which the next kernel must refuse.
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

	down_read(&luo_state_rwsem);
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
	up_read(&luo_state_rwsem);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(last_update);

static ssize_t abi_override_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	unsigned int major, minor;
	char buf[16];
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%u.%u", &major, &minor) != 2 || major > U16_MAX ||
	    minor > U16_MAX)
		return -EINVAL;
	err = luo_orch_set_abi(major, minor);
	return err ? err : count;
}

static const struct file_operations abi_override_fops = {
	.owner	= THIS_MODULE,
	.write	= abi_override_write,
};

static int __init luo_orch_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("liveupdate", NULL);

	debugfs_create_file("last_update", 0444, dir, NULL, &last_update_fops);
	debugfs_create_file("abi_override", 0200, dir, NULL, &abi_override_fops);
	return 0;
}
late_initcall(luo_orch_debugfs_init);
