// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: REBOOT on the kexec path, and the handover of
 * the orchestrator state to the next kernel through KHO.
 */

/**
 * DOC: Live Update Orchestrator handover
 *
 * At boot the orchestrator allocates one preserved &struct luo_orch_ser and
 * publishes it as the KHO subtree %LUO_ORCH_KHO_ENTRY_NAME. On the kexec path,
 * kernel_kexec() calls liveupdate_reboot(), which calls luo_orch_reboot():
 *
 * - state ``prepared``: REBOOT runs in every participant. On success the
 *   block is stamped ``prepared`` with the next sequence number and the
 *   REBOOT start time, and the state lock stays held so that nothing can
 *   cancel the update while the machine goes down. On failure everyone gets
 *   CANCEL, the state returns to ``normal`` and the kexec is aborted.
 * - any other state: the block says ``normal`` and the kexec proceeds as in
 *   mainline.
 *
 * If mainline's session serialization fails after a successful REBOOT,
 * luo_orch_reboot_abort() cancels every participant and releases the lock.
 *
 * The next kernel reads the block in an early initcall. ``prepared`` means it
 * boots ``updated``, and the blackout (REBOOT start to that initcall) is
 * measured with the TSC, which keeps counting across kexec, scaled by the
 * old kernel's ``tsc_khz``. Without a usable TSC the fallback is
 * CLOCK_REALTIME, which this early only has the RTC's one-second resolution.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo_orchestrator.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <trace/events/liveupdate.h>
#ifdef CONFIG_X86
#include <asm/tsc.h>
#endif

#include "luo_orch_internal.h"

static struct luo_orch_ser *luo_ser_out;
static bool luo_orch_rebooting;
static u64 luo_blackout_ns;

static u64 luo_tsc_khz(void)
{
#ifdef CONFIG_X86
	if (boot_cpu_has(X86_FEATURE_TSC) && tsc_khz)
		return tsc_khz;
#endif
	return 0;
}

static u64 luo_tsc_read(void)
{
#ifdef CONFIG_X86
	if (luo_tsc_khz())
		return rdtsc_ordered();
#endif
	return 0;
}

u64 luo_orch_blackout_ns(void)
{
	return READ_ONCE(luo_blackout_ns);
}

/**
 * luo_orch_set_abi - Fault injection: hand over another ABI version.
 * @major: Major version the next kernel will see.
 * @minor: Minor version the next kernel will see.
 *
 * For tests of the next kernel's refusal (debugfs ``abi_override``).
 *
 * Return: 0, or -ENODEV when there is no handover block.
 */
int luo_orch_set_abi(u16 major, u16 minor)
{
	if (!luo_ser_out)
		return -ENODEV;
	luo_ser_out->major = major;
	luo_ser_out->minor = minor;
	return 0;
}

/**
 * luo_orch_reboot - REBOOT step of a live update, from liveupdate_reboot().
 *
 * Return: 0 to go on with the kexec, or the errno that aborts it.
 */
int luo_orch_reboot(void)
{
	struct luo_orch_ser *ser = luo_ser_out;
	u64 seq = luo_orch_sequence();
	int err;

	if (!ser)
		return 0;

	down_write(&luo_state_rwsem);
	if (luo_orch_state() != LIVEUPDATE_STATE_PREPARED) {
		ser->state = LUO_ORCH_SER_NORMAL;
		ser->sequence = seq;
		up_write(&luo_state_rwsem);
		return 0;
	}

	ser->reboot_start_tsc = luo_tsc_read();
	ser->tsc_khz = luo_tsc_khz();
	ser->reboot_start_real_ns = ktime_get_real_ns();
	err = luo_orch_reboot_locked();
	if (err) {
		ser->state = LUO_ORCH_SER_NORMAL;
		up_write(&luo_state_rwsem);
		return err;
	}

	ser->sequence = seq + 1;
	ser->state = LUO_ORCH_SER_PREPARED;
	luo_orch_rebooting = true;
	trace_liveupdate_handover_out(ser->sequence, ser->major, ser->minor, 0);
	pr_info("handing live update %llu to the next kernel\n", ser->sequence);
	/* The lock stays held: the kexec must not race a cancel. */
	return 0;
}

/**
 * luo_orch_reboot_abort - A later step of the kexec failed after REBOOT.
 * @err: Its errno, recorded as the failure.
 */
void luo_orch_reboot_abort(int err)
{
	if (!luo_orch_rebooting)
		return;
	luo_orch_rebooting = false;
	luo_ser_out->state = LUO_ORCH_SER_NORMAL;
	luo_orch_rollback_locked("luo-sessions", err);
	up_write(&luo_state_rwsem);
}

static u64 luo_blackout_since(const struct luo_orch_ser *ser)
{
	u64 now_tsc = luo_tsc_read();

	if (ser->tsc_khz && ser->reboot_start_tsc && now_tsc > ser->reboot_start_tsc)
		return mul_u64_u64_div_u64(now_tsc - ser->reboot_start_tsc,
					   1000000, ser->tsc_khz);
	if (ser->reboot_start_real_ns &&
	    ktime_get_real_ns() > ser->reboot_start_real_ns)
		return ktime_get_real_ns() - ser->reboot_start_real_ns;
	return 0;
}

static void __init luo_orch_check_abi(const struct luo_orch_ser *ser,
				      size_t len)
{
	if (len < sizeof(*ser))
		panic("liveupdate: orchestrator handover too small (%zu < %zu)\n",
		      len, sizeof(*ser));
	if (strncmp(ser->compatible, LUO_ORCH_COMPATIBLE, LUO_ORCH_COMPAT_LEN))
		panic("liveupdate: orchestrator handover is not '%s'\n",
		      LUO_ORCH_COMPATIBLE);
	if (ser->major != LUO_ORCH_ABI_MAJOR || ser->minor > LUO_ORCH_ABI_MINOR)
		panic("liveupdate: orchestrator ABI %u.%u from the previous kernel is incompatible with %u.%u\n",
		      ser->major, ser->minor, LUO_ORCH_ABI_MAJOR,
		      LUO_ORCH_ABI_MINOR);
}

/* Find the previous kernel's handover and boot "updated" if it says so. */
static int __init luo_orch_incoming_init(void)
{
	struct luo_orch_ser *ser;
	phys_addr_t phys;
	size_t len;
	int err;

	if (!liveupdate_enabled() || !kho_is_enabled())
		return 0;
	err = kho_retrieve_subtree(LUO_ORCH_KHO_ENTRY_NAME, &phys, &len);
	if (err) {
		if (err != -ENOENT)
			pr_warn("cannot retrieve orchestrator handover: %pe\n",
				ERR_PTR(err));
		return 0;
	}

	ser = phys_to_virt(phys);
	luo_orch_check_abi(ser, len);
	if (ser->state == LUO_ORCH_SER_PREPARED) {
		WRITE_ONCE(luo_blackout_ns, luo_blackout_since(ser));
		luo_orch_set_incoming(LIVEUPDATE_STATE_UPDATED, ser->sequence);
		trace_liveupdate_handover_in(ser->sequence, ser->major,
					     ser->minor, luo_blackout_ns);
		pr_info("booted from live update %llu, blackout %llu ns\n",
			ser->sequence, luo_blackout_ns);
	} else {
		luo_orch_set_incoming(LIVEUPDATE_STATE_NORMAL, ser->sequence);
	}
	kho_restore_free(ser);
	return 0;
}
early_initcall(luo_orch_incoming_init);

/* Publish the outgoing block; filled in on the kexec path. */
static int __init luo_orch_outgoing_init(void)
{
	struct luo_orch_ser *ser;
	int err;

	if (!liveupdate_enabled())
		return 0;
	ser = kho_alloc_preserve(sizeof(*ser));
	if (IS_ERR(ser)) {
		pr_err("cannot preserve orchestrator handover: %pe\n", ser);
		return PTR_ERR(ser);
	}
	strscpy_pad(ser->compatible, LUO_ORCH_COMPATIBLE, sizeof(ser->compatible));
	ser->major = LUO_ORCH_ABI_MAJOR;
	ser->minor = LUO_ORCH_ABI_MINOR;
	ser->state = LUO_ORCH_SER_NORMAL;
	err = kho_add_subtree(LUO_ORCH_KHO_ENTRY_NAME, ser, sizeof(*ser));
	if (err) {
		kho_unpreserve_free(ser);
		pr_err("cannot publish orchestrator handover: %pe\n", ERR_PTR(err));
		return err;
	}
	luo_ser_out = ser;
	return 0;
}
late_initcall(luo_orch_outgoing_init);
