// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: state BPF instances carry across the kexec.
 */

/**
 * DOC: Live Update Orchestrator blobs
 *
 * A BPF instance may preserve one blob of its own state during a live
 * update, with bpf_liveupdate_preserve(), and read it back in the next
 * kernel with bpf_liveupdate_restore(). Blobs are keyed by the instance's
 * name.
 *
 * Outgoing: ``prepare`` makes ready one KHO-preserved area of
 * %LUO_ORCH_BLOBS_SIZE bytes before any handler runs, if a BPF instance is
 * attached, so that a preserve, even from REBOOT on the kexec path, is a
 * copy and never an allocation. An instance preserving again replaces its
 * blob. A CANCEL of the instance, or its leaving before the kexec is
 * committed, drops its blob; leaving ``prepared`` any way but by the kexec
 * drops them all. On the kexec the handover block points at the area,
 * unless it is empty: then it is freed, and the block needs only ABI 1.0.
 *
 * The area outlives a cancelled live update, empty and no longer preserved:
 * allocating and zeroing 64 KiB at every prepare cost more than the whole
 * dispatch of 64 BPF participants (see make bench). It is freed on any
 * kexec that hands over no blob, when the last BPF instance leaves, and by
 * a prepare with no BPF instance attached.
 *
 * Incoming: the next kernel copies the blobs out of the area in its early
 * initcall and frees the area. An instance of the same name claims its
 * blob when it is attached; it keeps it until it is detached. A blob that
 * nobody claimed by the end of ``updated`` (FINISH or reset) is freed and
 * reported in the log and the ``liveupdate_blob`` trace event.
 *
 * Everything here runs under luo_state_rwsem held for writing, except the
 * early initcall and the sysfs listing, which reads under it.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/align.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo_orchestrator.h>
#include <linux/liveupdate_ops.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <trace/events/liveupdate.h>

#include "luo_orch_internal.h"

/* A blob from the previous kernel, claimed (&luo_participant.blob) or not. */
struct luo_blob {
	struct list_head list;
	char name[LUO_ORCH_SER_NAME_LEN];
	u32 len;
	u8 data[] __aligned(8);
};

/* The BPF contract and the handover ABI say the same. */
static_assert(LIVEUPDATE_OPS_BLOB_MAX == LUO_ORCH_BLOB_MAX);
static_assert(LIVEUPDATE_OPS_BLOBS_TOTAL == LUO_ORCH_BLOBS_SIZE);
static_assert(LIVEUPDATE_OPS_NAME_LEN == LUO_ORCH_SER_NAME_LEN);

static LIST_HEAD(luo_blobs_in);

static struct {
	void *area;	/* one folio, KHO-preserved only while open; or NULL */
	bool open;	/* a live update is prepared: blobs may be preserved */
	u32 used;
	u32 nr;
} luo_blobs_out;

static struct luo_orch_ser_blob *luo_blob_at(void *area, u32 off)
{
	return area + off;
}

static u32 luo_blob_size(u32 len)
{
	return sizeof(struct luo_orch_ser_blob) + ALIGN(len, 8);
}

/* Offset of @name's outgoing blob, or -1. */
static s64 luo_blob_find_out(const char *name)
{
	u32 off = 0;

	while (off < luo_blobs_out.used) {
		struct luo_orch_ser_blob *b = luo_blob_at(luo_blobs_out.area, off);

		if (!strncmp(b->name, name, sizeof(b->name)))
			return off;
		off += luo_blob_size(b->len);
	}
	return -1;
}

/*
 * Remove the outgoing blob at @off; the ones after it move up, and the end
 * they leave is cleared: a dropped blob is not handed over, even unlisted.
 */
static void luo_blob_remove_at(u32 off)
{
	struct luo_orch_ser_blob *b = luo_blob_at(luo_blobs_out.area, off);
	u32 size = luo_blob_size(b->len);

	memmove(b, (void *)b + size, luo_blobs_out.used - off - size);
	luo_blobs_out.used -= size;
	luo_blobs_out.nr--;
	memset(luo_blob_at(luo_blobs_out.area, luo_blobs_out.used), 0, size);
}

static bool luo_blobs_wanted(void)
{
	struct luo_participant *p;

	list_for_each_entry(p, &luo_participants, list) {
		if (p->kind == LUO_PARTICIPANT_BPF)
			return true;
	}
	return false;
}

/*
 * Drop every outgoing blob and close the area: it stays allocated, zeroed
 * (the blobs of a cancelled update are not handed over by a later one),
 * but is no longer preserved, so that no kexec outside a live update
 * carries it.
 */
static void luo_blobs_out_close(void)
{
	if (!luo_blobs_out.open)
		return;
	if (luo_blobs_out.nr)
		trace_liveupdate_blob("discard", "*", luo_blobs_out.used);
	kho_unpreserve_folio(virt_to_folio(luo_blobs_out.area));
	memset(luo_blobs_out.area, 0, luo_blobs_out.used);
	luo_blobs_out.open = false;
	luo_blobs_out.used = 0;
	luo_blobs_out.nr = 0;
}

static void luo_blobs_out_free(void)
{
	luo_blobs_out_close();
	if (luo_blobs_out.area)
		folio_put(virt_to_folio(luo_blobs_out.area));
	luo_blobs_out.area = NULL;
}

/**
 * luo_blobs_out_begin - A live update is being prepared: open its area.
 *
 * Only when a BPF instance is attached: none can attach while prepared.
 * The area of a previous live update that did not happen is reused: it
 * only needs to be preserved again.
 *
 * Return: 0 or -ENOMEM (or KHO's errno).
 */
int luo_blobs_out_begin(void)
{
	struct folio *folio;
	int err;

	lockdep_assert_held_write(&luo_state_rwsem);
	if (!luo_blobs_wanted()) {
		luo_blobs_out_free();
		return 0;
	}
	if (!luo_blobs_out.area) {
		folio = folio_alloc(GFP_KERNEL | __GFP_ZERO,
				    get_order(LUO_ORCH_BLOBS_SIZE));
		if (!folio) {
			pr_warn("cannot allocate the area for BPF state\n");
			return -ENOMEM;
		}
		luo_blobs_out.area = folio_address(folio);
	}
	err = kho_preserve_folio(virt_to_folio(luo_blobs_out.area));
	if (err) {
		pr_warn("cannot preserve the area for BPF state: %pe\n", ERR_PTR(err));
		return err;
	}
	luo_blobs_out.open = true;
	return 0;
}

/**
 * luo_blobs_out_end - The live update will not happen: drop its blobs.
 *
 * The area is kept for the next one while a BPF instance is attached.
 */
void luo_blobs_out_end(void)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	luo_blobs_out_close();
	if (!luo_blobs_wanted())
		luo_blobs_out_free();
}

/** luo_blobs_out_trim - A BPF instance left: free an unused area. */
void luo_blobs_out_trim(void)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	if (!luo_blobs_out.open && !luo_blobs_wanted())
		luo_blobs_out_free();
}

/**
 * luo_blobs_out_publish - Point the handover block @ser at the area.
 * @ser: The outgoing block.
 *
 * On the kexec path once REBOOT succeeded, and again whenever the area
 * changes before the kexec is committed (a CANCEL of a leaving instance).
 * An area without blobs is freed here: the block then needs only ABI 1.0,
 * which a kernel that knows no blobs accepts. With no area the fields are
 * cleared (a plain kexec, or a rollback after REBOOT).
 *
 * Return: true if blobs are handed over.
 */
bool luo_blobs_out_publish(struct luo_orch_ser *ser)
{
	void *area;

	if (!luo_blobs_out.nr)
		luo_blobs_out_free();
	area = luo_blobs_out.area;
	ser->blobs_phys = area ? virt_to_phys(area) : 0;
	ser->blobs_len = area ? luo_blobs_out.used : 0;
	ser->nr_blobs = area ? luo_blobs_out.nr : 0;
	return area;
}

/**
 * luo_blobs_preserve - Keep @len bytes at @data as @p's blob.
 * @p:    The instance being called.
 * @data: The state.
 * @len:  Its size: a multiple of 8, at most %LUO_ORCH_BLOB_MAX.
 *
 * Return: 0, -EINVAL (no live update being prepared or handed over, or a
 * bad @len), -E2BIG (@len too big) or -ENOSPC (the area is full).
 */
int luo_blobs_preserve(struct luo_participant *p, const void *data, u32 len)
{
	struct luo_orch_ser_blob *b;
	u32 size = luo_blob_size(len), old = 0;
	const char *why = NULL;
	s64 off = -1;
	int err;

	if (!luo_blobs_out.open) {
		err = -EINVAL;
		why = "no live update is being prepared";
	} else if (!len || len % 8) {
		err = -EINVAL;
		why = "not a non-zero multiple of 8";
	} else if (len > LUO_ORCH_BLOB_MAX) {
		err = -E2BIG;
		why = "more than " __stringify(LUO_ORCH_BLOB_MAX) " bytes";
	} else {
		off = luo_blob_find_out(p->name);
		if (off >= 0)
			old = luo_blob_size(luo_blob_at(luo_blobs_out.area, off)->len);
		err = -ENOSPC;
		if (luo_blobs_out.used - old + size > LUO_ORCH_BLOBS_SIZE)
			why = "the area of " __stringify(LUO_ORCH_BLOBS_SIZE) " bytes is full";
	}
	if (why) {
		pr_warn_ratelimited("'%s': preserving %u bytes refused: %s\n",
				    p->name, len, why);
		return err;
	}
	if (off >= 0)
		luo_blob_remove_at(off);
	b = luo_blob_at(luo_blobs_out.area, luo_blobs_out.used);
	strscpy_pad(b->name, p->name, sizeof(b->name));
	b->len = len;
	b->reserved = 0;
	memcpy(b->data, data, len);
	luo_blobs_out.used += size;
	luo_blobs_out.nr++;
	trace_liveupdate_blob("preserve", p->name, len);
	return 0;
}

/**
 * luo_blobs_cancel - @p got CANCEL, or leaves: what it preserved is dropped.
 * @p: The participant.
 *
 * During the kexec (REBOOT succeeded, not yet committed) the handover block
 * already describes the area: it is published again.
 */
void luo_blobs_cancel(struct luo_participant *p)
{
	s64 off;
	u32 len;

	if (p->kind != LUO_PARTICIPANT_BPF || !luo_blobs_out.nr)
		return;
	off = luo_blob_find_out(p->name);
	if (off < 0)
		return;
	len = luo_blob_at(luo_blobs_out.area, off)->len;
	luo_blob_remove_at(off);
	trace_liveupdate_blob("discard", p->name, len);
	if (luo_orch_rebooting_locked())
		luo_orch_republish_blobs();
}

/**
 * luo_blobs_restore - Copy @p's blob from the previous kernel to @data.
 * @p:    The instance being called.
 * @data: Where to.
 * @size: Its size.
 *
 * Return: the blob's length, -ENOENT if @p has none, or -ENOSPC if it does
 * not fit in @size bytes (nothing is copied).
 */
int luo_blobs_restore(struct luo_participant *p, void *data, u32 size)
{
	struct luo_blob *b = p->blob;

	if (!b)
		return -ENOENT;
	if (b->len > size) {
		pr_warn_ratelimited("'%s': restoring %u bytes into %u refused\n",
				    p->name, b->len, size);
		return -ENOSPC;
	}
	memcpy(data, b->data, b->len);
	return b->len;
}

/** luo_blobs_claim - BPF instance @p was attached: give it its blob. */
void luo_blobs_claim(struct luo_participant *p)
{
	struct luo_blob *b;

	lockdep_assert_held_write(&luo_state_rwsem);
	list_for_each_entry(b, &luo_blobs_in, list) {
		if (!strcmp(b->name, p->name)) {
			list_del(&b->list);
			p->blob = b;
			trace_liveupdate_blob("claim", p->name, b->len);
			return;
		}
	}
}

/** luo_blobs_release - @p leaves: its blob goes with it. */
void luo_blobs_release(struct luo_participant *p)
{
	kfree(p->blob);
	p->blob = NULL;
}

static void luo_blobs_free_in(bool report)
{
	struct luo_blob *b, *tmp;

	list_for_each_entry_safe(b, tmp, &luo_blobs_in, list) {
		if (report) {
			pr_warn("no BPF instance '%s' claimed its state from the previous kernel: %u bytes freed\n",
				b->name, b->len);
			trace_liveupdate_blob("unclaimed", b->name, b->len);
		}
		list_del(&b->list);
		kfree(b);
	}
}

/** luo_blobs_drop_unclaimed - ``updated`` ends: free what nobody claimed. */
void luo_blobs_drop_unclaimed(void)
{
	lockdep_assert_held_write(&luo_state_rwsem);
	luo_blobs_free_in(true);
}

/**
 * luo_blobs_show - The ``blobs`` sysfs listing.
 * @buf: One page.
 *
 * ``out <name> <len>`` for this live update's blobs, then ``in <name>
 * <len> claimed|unclaimed`` for those of the previous kernel.
 *
 * Return: bytes written, or -EINTR.
 */
ssize_t luo_blobs_show(char *buf)
{
	struct luo_participant *p;
	struct luo_blob *b;
	u32 off = 0;
	int len = 0;

	if (down_read_killable(&luo_state_rwsem))
		return -EINTR;
	/* sysfs_emit_at() stops at the page: a longer listing is cut short. */
	while (off < luo_blobs_out.used) {
		struct luo_orch_ser_blob *ob = luo_blob_at(luo_blobs_out.area, off);

		len += sysfs_emit_at(buf, len, "out %s %u\n", ob->name, ob->len);
		off += luo_blob_size(ob->len);
	}
	list_for_each_entry(p, &luo_participants, list) {
		if (p->blob)
			len += sysfs_emit_at(buf, len, "in %s %u claimed\n",
					     p->name, p->blob->len);
	}
	list_for_each_entry(b, &luo_blobs_in, list)
		len += sysfs_emit_at(buf, len, "in %s %u unclaimed\n", b->name, b->len);
	up_read(&luo_state_rwsem);
	return len;
}

/* Copy one entry of the previous kernel's area; false if it is corrupt. */
static bool __init luo_blob_take_one(const struct luo_orch_ser_blob *in, u32 room)
{
	struct luo_blob *b;

	if (room < sizeof(*in) || in->len > LUO_ORCH_BLOB_MAX || in->len % 8 ||
	    !in->len || room < luo_blob_size(in->len) || !in->name[0] ||
	    strnlen(in->name, sizeof(in->name)) == sizeof(in->name))
		return false;
	b = kmalloc(struct_size(b, data, in->len), GFP_KERNEL);
	if (!b)
		return false;
	memcpy(b->name, in->name, sizeof(b->name));
	b->len = in->len;
	memcpy(b->data, in->data, in->len);
	list_add_tail(&b->list, &luo_blobs_in);
	return true;
}

/**
 * luo_blobs_take - Take the blobs a prepared 1.1 handover @ser points at.
 * @ser: The previous kernel's block.
 *
 * The area is freed on every path. A corrupt area loses every blob, with a
 * log line saying so; the live update itself goes on.
 */
void __init luo_blobs_take(const struct luo_orch_ser *ser)
{
	u32 used = min_t(u32, ser->blobs_len, LUO_ORCH_BLOBS_SIZE);
	struct folio *folio;
	u32 off = 0, n = 0;
	void *area;

	if (!ser->blobs_phys)
		return;
	/* KHO vouches for the address before anything is read there. */
	folio = kho_restore_folio(ser->blobs_phys);
	if (!folio || folio_size(folio) < LUO_ORCH_BLOBS_SIZE) {
		pr_err("BPF state from the previous kernel is not a preserved area of %u bytes: dropped\n",
		       LUO_ORCH_BLOBS_SIZE);
		if (folio)
			folio_put(folio);
		return;
	}
	area = folio_address(folio);
	while (off < used && n < ser->nr_blobs) {
		struct luo_orch_ser_blob *in = luo_blob_at(area, off);

		if (!luo_blob_take_one(in, used - off))
			break;
		off += luo_blob_size(in->len);
		n++;
	}
	if (n != ser->nr_blobs || off != ser->blobs_len) {
		pr_err("BPF state from the previous kernel is corrupt (%u of %u blobs, %u of %u bytes): dropped\n",
		       n, ser->nr_blobs, off, ser->blobs_len);
		luo_blobs_free_in(false);
	} else if (n) {
		pr_info("taken from the previous kernel: the BPF state of %u instance%s, %u bytes\n",
			n, n == 1 ? "" : "s", off);
	}
	folio_put(folio);
}
