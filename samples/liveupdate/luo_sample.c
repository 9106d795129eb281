// SPDX-License-Identifier: GPL-2.0
/*
 * Sample native participant of the Live Update Orchestrator.
 *
 * A participant is told about each step of a live update:
 *
 *  - PREPARE, in the old kernel, when userspace writes "1" into
 *    /sys/kernel/liveupdate/prepare. Workloads still run. A real driver
 *    would serialize its state here, e.g. into memory preserved with KHO.
 *  - REBOOT, in the old kernel, from the kexec path, inside the blackout
 *    window. Last chance to save state; must be fast.
 *  - FINISH, in the new kernel, when userspace writes "1" into
 *    /sys/kernel/liveupdate/finish. Free whatever was preserved but never
 *    reclaimed.
 *  - CANCEL, in the old kernel, when the update is abandoned: undo the
 *    PREPARE work. Also sent in the new kernel when userspace resets an
 *    updated orchestrator: drop what was preserved.
 *
 * PREPARE and REBOOT may fail by returning a negative errno, which makes
 * the orchestrator cancel the update. FINISH and CANCEL must not fail.
 *
 * This sample only logs the events. Load it, then drive the orchestrator
 * from userspace, e.g.:
 *
 *	# modprobe luo_sample
 *	# echo 1 > /sys/kernel/liveupdate/prepare
 *	# echo 1 > /sys/kernel/liveupdate/cancel
 *	# dmesg | grep luo_sample
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/liveupdate.h>
#include <linux/module.h>
#include <linux/printk.h>

/*
 * The four handlers below are looked up by name by
 * LIVEUPDATE_DECLARE_NOTIFIER(): <name>_liveupdate_<event>(). They may be
 * called while the orchestrator holds its state lock for writing, so they
 * must not call the liveupdate_state_*() or liveupdate_*_notifier()
 * functions.
 */
static int luo_sample_liveupdate_prepare(void)
{
	pr_info("prepare: saving state for the next kernel\n");
	return 0;
}

static int luo_sample_liveupdate_reboot(void)
{
	pr_info("reboot: about to kexec into the next kernel\n");
	return 0;
}

static int luo_sample_liveupdate_finish(void)
{
	pr_info("finish: live update complete, releasing preserved state\n");
	return 0;
}

static int luo_sample_liveupdate_cancel(void)
{
	pr_info("cancel: live update abandoned, dropping saved state\n");
	return 0;
}

/*
 * Declare luo_sample_liveupdate_notifier_block, a participant named
 * "luo_sample" that is called together with the device layer: after the
 * BEFORE_DEVICES participants and before the AFTER_DEVICES ones, and in
 * the reverse order for CANCEL.
 */
LIVEUPDATE_DECLARE_NOTIFIER(luo_sample, LIVEUPDATE_CB_PRIO_WITH_DEVICES);

static int __init luo_sample_init(void)
{
	int err;

	/*
	 * In the new kernel, the orchestrator stays in the "updated" state
	 * until userspace writes "1" into /sys/kernel/liveupdate/finish.
	 * A real driver would look for its preserved state now. This is only
	 * a snapshot of the state: it may change as soon as this returns.
	 */
	if (liveupdate_state_updated())
		pr_info("booted after a live update\n");

	/*
	 * Registration is refused with -EBUSY while an update is prepared,
	 * so a module loaded at that time does not take part in it.
	 */
	err = LIVEUPDATE_REGISTER_NOTIFIER(luo_sample);
	if (err) {
		pr_err("failed to register participant [%d]\n", err);
		return err;
	}

	pr_info("registered\n");
	return 0;
}
module_init(luo_sample_init);

static void __exit luo_sample_exit(void)
{
	LIVEUPDATE_UNREGISTER_NOTIFIER(luo_sample);
	pr_info("unregistered\n");
}
module_exit(luo_sample_exit);

MODULE_DESCRIPTION("Sample Live Update Orchestrator participant");
MODULE_LICENSE("GPL");
