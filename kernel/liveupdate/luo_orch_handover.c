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
 * - state ``prepared``: the kexec must be able to carry the handover: the
 *   block was published at boot and the kernel was loaded with
 *   kexec_file_load(), which passes KHO data (the legacy kexec_load() does
 *   not). If not, the kexec is aborted and everyone is cancelled: a live
 *   update is never silently turned into a plain kexec. Then REBOOT runs
 *   in every participant. On success the block is stamped ``prepared``
 *   with the next sequence number and the REBOOT start time, and the
 *   orchestrator is ``rebooting``: every transition is refused from now
 *   on, and the state lock is released (mainline then serializes its
 *   sessions, and device shutdown may use the API). A participant that
 *   leaves before luo_orch_reboot_commit(), the point after which nothing
 *   can roll the update back, still gets its CANCEL; after it, none. On
 *   failure everyone gets CANCEL, the state returns to ``normal`` and the
 *   kexec is aborted.
 * - any other state: the block says ``normal`` and the kexec proceeds as in
 *   mainline.
 *
 * If mainline's session serialization fails after a successful REBOOT,
 * luo_orch_reboot_abort() cancels every prepared participant still there.
 *
 * The next kernel reads the block in an early initcall. Only a ``prepared``
 * block must be compatible (its header, up to @state, is the same in every
 * ABI version): a plain kexec between kernels of different orchestrator
 * ABIs boots ``normal``. ``prepared`` means it boots ``updated``, or panics
 * if it cannot honour the handover (incompatible ABI, or live update turned
 * off): devices kept running across the kexec may still DMA into memory
 * that this kernel would hand out.
 *
 * The blackout (REBOOT start to that initcall) and its phases are
 * luo_orch_blackout.c's.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo_orchestrator.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <trace/events/liveupdate.h>

#include "luo_orch_internal.h"

static struct luo_orch_ser *luo_ser_out;
/* Fault injection chose the ABI version: keep it. */
static bool luo_ser_abi_forced;

/*
 * Point the block at the blob area (or clear it) and stamp the lowest
 * minor that describes it: without blobs 1.0, which a kernel that knows no
 * blobs accepts, so that a live update back to it still works.
 */
static void luo_ser_publish_blobs(struct luo_orch_ser *ser)
{
	bool blobs = luo_blobs_out_publish(ser);

	if (!luo_ser_abi_forced)
		ser->minor = blobs ? LUO_ORCH_ABI_MINOR : 0;
}

/* The blob area changed during the kexec: the block follows. */
void luo_orch_republish_blobs(void)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	if (luo_ser_out)
		luo_ser_publish_blobs(luo_ser_out);
}

/* Can a live update be handed over at all? Checked by prepare. */
bool luo_orch_handover_ready(void)
{
	return !!READ_ONCE(luo_ser_out);
}

/* Does the loaded kernel receive KHO data? kexec_load() passes none. */
static bool luo_kexec_carries_kho(void)
{
	return kexec_image && kexec_image->file_mode && kexec_image->kho.fdt;
}

/**
 * luo_orch_reboot - REBOOT step of a live update, from liveupdate_reboot().
 *
 * Context: kernel_kexec(), under the kexec lock. Takes the state lock.
 * Return: 0 to go on with the kexec, or the errno that aborts it.
 */
int luo_orch_reboot(void)
{
	struct luo_orch_ser *ser;
	u64 seq;
	int err;

	down_write(&luo_state_rwsem);
	ser = luo_ser_out;
	seq = luo_orch_sequence();
	if (luo_orch_state() != LIVEUPDATE_STATE_PREPARED) {
		if (ser) {
			ser->state = LUO_ORCH_SER_NORMAL;
			ser->sequence = seq;
			luo_ser_publish_blobs(ser);
		}
		up_write(&luo_state_rwsem);
		return 0;
	}
	if (!ser) {
		luo_orch_rollback_locked("handover", -ENODEV,
					 "no KHO handover block: the next kernel could not boot updated");
		up_write(&luo_state_rwsem);
		return -ENODEV;
	}
	if (!luo_kexec_carries_kho()) {
		luo_orch_rollback_locked("handover", -EOPNOTSUPP,
					 "the loaded kernel gets no KHO data: load it with kexec_file_load (kexec -s)");
		up_write(&luo_state_rwsem);
		return -EOPNOTSUPP;
	}

	luo_blackout_begin(ser);
	err = luo_orch_reboot_locked();
	if (err) {
		ser->state = LUO_ORCH_SER_NORMAL;
		up_write(&luo_state_rwsem);
		return err;
	}
	luo_blackout_reboot_done(ser);

	ser->sequence = seq + 1;
	luo_ser_publish_blobs(ser);
	ser->state = LUO_ORCH_SER_PREPARED;
	trace_liveupdate_handover_out(ser->sequence, ser->major, ser->minor, 0);
	pr_info("handing live update %llu to the next kernel\n", ser->sequence);
	/*
	 * Not held any further: mainline's session serialization holds its
	 * own lock until the kexec, and reboot notifiers run under theirs.
	 */
	up_write(&luo_state_rwsem);
	return 0;
}

/**
 * luo_orch_reboot_abort - A later step of the kexec failed after REBOOT.
 * @err: Its errno, recorded as the failure.
 */
void luo_orch_reboot_abort(int err)
{
	down_write(&luo_state_rwsem);
	if (luo_orch_rebooting_locked()) {
		luo_orch_rollback_locked("luo-sessions", err,
					 "session serialization failed after REBOOT");
		/* The rollback closed the blob area: the block forgets it. */
		if (luo_ser_out) {
			luo_ser_out->state = LUO_ORCH_SER_NORMAL;
			luo_ser_publish_blobs(luo_ser_out);
		}
	}
	up_write(&luo_state_rwsem);
}

/**
 * luo_orch_reboot_commit - Nothing can roll the live update back any more.
 *
 * From now on a participant that leaves (say, in device shutdown) gets no
 * CANCEL: the update it prepared for goes on. Transitions stay refused
 * (``rebooting``) until the kexec. Lock-free: mainline's session lock is
 * held here, and must not come to depend on the state lock.
 */
void luo_orch_reboot_commit(void)
{
	luo_blackout_stamp(READ_ONCE(luo_ser_out), LUO_ORCH_STAMP_SESSIONS);
	luo_orch_commit();
}

/**
 * liveupdate_kexec_stamp - kernel_kexec() reached @point of a live update.
 * @point: Where it is, after REBOOT.
 *
 * For the blackout breakdown the next kernel reports. Lock-free, and a
 * no-op unless this kexec hands a live update over.
 */
void liveupdate_kexec_stamp(enum liveupdate_kexec_point point)
{
	luo_blackout_stamp(READ_ONCE(luo_ser_out), point == LIVEUPDATE_KEXEC_SHUTDOWN ?
			   LUO_ORCH_STAMP_SHUTDOWN : LUO_ORCH_STAMP_JUMP);
}

#ifdef CONFIG_LIVEUPDATE_ORCH_FAULT_INJECT
/* A positive errno: the step after REBOOT fails with its negative. */
u32 luo_orch_fail_serialize;

/**
 * luo_orch_set_abi - Fault injection: hand over another ABI version.
 * @major: Major version the next kernel will see.
 * @minor: Minor version the next kernel will see.
 * @len:   Length of the block the next kernel will see, 0 to keep it.
 *
 * For tests of the next kernel's checks (debugfs ``abi_override``). The
 * block is published again under the same name with the new length.
 *
 * Return: 0, -EINVAL for a length above the block's, -ENODEV when there
 * is no handover block, -EBUSY during the kexec, or KHO's errno (the block
 * is then dropped, unless it could not be removed: -EEXIST).
 */
int luo_orch_set_abi(u16 major, u16 minor, u32 len)
{
	int err = 0;

	if (len > sizeof(*luo_ser_out))
		return -EINVAL;
	down_write(&luo_state_rwsem);
	if (luo_orch_rebooting_locked()) {
		err = -EBUSY;
	} else if (!luo_ser_out) {
		err = -ENODEV;
	} else if (len) {
		kho_remove_subtree(luo_ser_out);
		err = kho_add_subtree(LUO_ORCH_KHO_ENTRY_NAME, luo_ser_out, len);
		/* -EEXIST: it could not be removed, and is still published. */
		if (err && err != -EEXIST) {
			kho_unpreserve_free(luo_ser_out);
			luo_ser_out = NULL;
		}
	}
	if (!err) {
		luo_ser_out->major = major;
		luo_ser_out->minor = minor;
		luo_ser_abi_forced = true;
	}
	up_write(&luo_state_rwsem);
	return err;
}

/**
 * luo_orch_unpublish - Fault injection: drop the handover block, as if it
 * could not be published at boot.
 *
 * Return: 0, -ENODEV when there is none, or -EBUSY during the kexec.
 */
int luo_orch_unpublish(void)
{
	int err = -ENODEV;

	down_write(&luo_state_rwsem);
	if (luo_orch_rebooting_locked()) {
		err = -EBUSY;
	} else if (luo_ser_out) {
		kho_remove_subtree(luo_ser_out);
		kho_unpreserve_free(luo_ser_out);
		luo_ser_out = NULL;
		err = 0;
	}
	up_write(&luo_state_rwsem);
	return err;
}
#endif /* CONFIG_LIVEUPDATE_ORCH_FAULT_INJECT */

/* Size of the block at each minor of our major, without its advisory tail. */
static const size_t luo_orch_ser_size[LUO_ORCH_ABI_MINOR + 1] = {
	[0] = offsetofend(struct luo_orch_ser, reboot_start_real_ns),
	[1] = offsetofend(struct luo_orch_ser, nr_blobs),
};

/*
 * A prepared handover (@in, @len bytes) must be one this kernel can honour;
 * if not, the devices kept alive for it make booting on unsafe.
 */
static void __init luo_orch_check_abi(const struct luo_orch_ser *in, size_t len)
{
	if (in->major != LUO_ORCH_ABI_MAJOR || in->minor > LUO_ORCH_ABI_MINOR)
		panic("liveupdate: orchestrator ABI %u.%u from the previous kernel is incompatible with %u.%u\n",
		      in->major, in->minor, LUO_ORCH_ABI_MAJOR, LUO_ORCH_ABI_MINOR);
	if (len < luo_orch_ser_size[in->minor])
		panic("liveupdate: orchestrator handover %u.%u too small (%zu < %zu)\n",
		      in->major, in->minor, len, luo_orch_ser_size[in->minor]);
}

/* The block as this kernel reads it: 3.6 KiB, too big for the stack. */
static struct luo_orch_ser luo_ser_in __initdata;

/*
 * Read the previous kernel's handover block (@in, @len bytes) and boot
 * ``updated`` if it says so.
 */
static void __init luo_orch_take_handover(const struct luo_orch_ser *in,
					  size_t len)
{
	struct luo_orch_ser *ser = &luo_ser_in;
	u64 blackout;

	if (len < LUO_ORCH_SER_HEADER_LEN ||
	    strncmp(in->compatible, LUO_ORCH_COMPATIBLE, LUO_ORCH_COMPAT_LEN)) {
		pr_warn("ignoring a handover that is not '%s' (%zu bytes)\n",
			LUO_ORCH_COMPATIBLE, len);
		return;
	}
	if (in->state == LUO_ORCH_SER_NORMAL) {
		/* A plain kexec: nothing to honour, whatever the ABI. */
		if (in->major == LUO_ORCH_ABI_MAJOR && len >= offsetofend(typeof(*ser), sequence))
			luo_orch_set_incoming(LIVEUPDATE_STATE_NORMAL, in->sequence);
		return;
	}
	if (!liveupdate_enabled() || !kho_is_enabled())
		panic("liveupdate: the previous kernel handed over a prepared live update, but live update is off here (liveupdate=off, or KHO disabled): devices kept running across the kexec may still DMA into memory this kernel would reuse\n");
	luo_orch_check_abi(in, len);
	if (in->state != LUO_ORCH_SER_PREPARED)
		panic("liveupdate: orchestrator handover in unknown state %u\n",
		      in->state);
	/* A shorter block (older minor, no advisory tail): the rest reads 0. */
	memcpy(ser, in, min(len, sizeof(*ser)));
	blackout = luo_blackout_take(ser);
	if (ser->minor >= 1)
		luo_blobs_take(ser);
	luo_orch_set_incoming(LIVEUPDATE_STATE_UPDATED, ser->sequence);
	trace_liveupdate_handover_in(ser->sequence, ser->major, ser->minor,
				     blackout);
	pr_info("booted from live update %llu, blackout %llu ns\n",
		ser->sequence, blackout);
}

/* Find the previous kernel's handover; the block is freed on every path. */
static int __init luo_orch_incoming_init(void)
{
	phys_addr_t phys;
	size_t len;
	void *in;
	int err;

	/*
	 * Even with KHO or live update off here, a prepared handover must
	 * not be ignored; without an incoming KHO tree this is -ENOENT.
	 */
	err = kho_retrieve_subtree(LUO_ORCH_KHO_ENTRY_NAME, &phys, &len);
	if (err) {
		if (err != -ENOENT)
			pr_warn("cannot retrieve orchestrator handover: %pe\n",
				ERR_PTR(err));
		return 0;
	}
	in = phys_to_virt(phys);
	luo_orch_take_handover(in, len);
	kho_restore_free(in);
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
