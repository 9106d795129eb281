// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: per-participant record of the last live update,
 * in /sys/kernel/debug/liveupdate/last_update. One line per participant and
 * event that ran: "<name> <kind> <priority> <event> <ret> <duration_ns>".
 */

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/seq_file.h>

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

static int __init luo_orch_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("liveupdate", NULL);

	debugfs_create_file("last_update", 0444, dir, NULL, &last_update_fops);
	return 0;
}
late_initcall(luo_orch_debugfs_init);
