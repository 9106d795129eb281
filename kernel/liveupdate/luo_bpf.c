// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: BPF struct_ops glue for struct liveupdate_ops.
 */

/**
 * DOC: BPF live update participants and policies
 *
 * Each attached &struct liveupdate_ops becomes one participant in the
 * orchestrator's ordered list (see luo_orchestrator.c), so BPF and native
 * participants share one dispatch loop and one set of rollback rules. This
 * file only translates: it validates the struct, adds and removes the
 * participant, and calls the policy checks. The handlers (prepare, reboot,
 * finish, cancel) the orchestrator calls itself, straight into the
 * struct_ops trampolines: a wrapper would cost every call an indirect call.
 * The orchestrator sanitises their result and reports an invalid one to
 * luo_bpf_invalid().
 *
 * In-flight calls: ops are only called by the dispatch loop, which holds the
 * state rwsem for writing, and unreg takes the same rwsem. So unreg waits for
 * any call in flight, sleepable or not, and no call starts after it.
 *
 * Ejection: an op that returns neither 0 nor a -errno, or that returns
 * after its timeout_ms budget (checked once the call returned: a budget,
 * not a watchdog), is marked ejected (never called again, except for the
 * CANCEL it may be owed), its failure is counted for the current step, an
 * exit record is kept for its loader in /sys/kernel/liveupdate/exits, and
 * its link is detached from a work item (the dispatch holds the rwsem that
 * unreg needs), which wakes link pollers with EPOLLHUP. The work item holds
 * a reference on the link, taken only while the link still has one: an
 * instance that misbehaves while it is being unregistered (its last link
 * reference may already be gone, unreg waiting for the rwsem) is only
 * recorded, it is leaving anyway.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/liveupdate_ops.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "luo_orch_internal.h"

#include <trace/events/liveupdate.h>

#define LUO_EXITS_MAX		16

/**
 * struct luo_bpf_instance - An attached struct liveupdate_ops.
 * @part:  Its entry in the participant list; kind is BPF.
 * @ops:   The kernel copy of the struct (the map's kdata).
 * @op:    Its handlers by event, which the orchestrator calls directly.
 * @link:  The link it was attached with.
 * @unregistering: unreg holds the state lock to remove it; a CANCEL that
 *         misbehaves then must not detach the link, which may be gone.
 */
struct luo_bpf_instance {
	struct luo_participant part;
	struct liveupdate_ops *ops;
	struct luo_handlers op;
	struct bpf_link *link;
	bool unregistering;
};

/* Why an instance was ejected, kept for its loader. */
struct luo_bpf_exit {
	char name[LIVEUPDATE_OPS_NAME_LEN];
	const char *kind;
	const char *op;
	int err;
	char msg[64];
};

struct luo_bpf_detach_work {
	struct work_struct work;
	struct bpf_link *link;
};

static struct bpf_struct_ops luo_bpf_struct_ops;
static DEFINE_MUTEX(luo_bpf_lock);	/* instances count and exits */
static int luo_bpf_nr_instances;
static struct luo_bpf_exit luo_bpf_exits[LUO_EXITS_MAX];
static unsigned int luo_bpf_nr_exits;

ssize_t luo_bpf_exits_show(char *buf)
{
	unsigned int i, first;
	ssize_t len = 0;

	mutex_lock(&luo_bpf_lock);
	first = luo_bpf_nr_exits > LUO_EXITS_MAX ? luo_bpf_nr_exits - LUO_EXITS_MAX : 0;
	for (i = first; i < luo_bpf_nr_exits; i++) {
		struct luo_bpf_exit *e = &luo_bpf_exits[i % LUO_EXITS_MAX];

		len += sysfs_emit_at(buf, len, "%s kind=%s op=%s errno=%d msg=%s\n",
				     e->name, e->kind, e->op, e->err, e->msg);
	}
	mutex_unlock(&luo_bpf_lock);
	return len;
}

static void luo_bpf_detach_workfn(struct work_struct *work)
{
	struct luo_bpf_detach_work *dw =
		container_of(work, struct luo_bpf_detach_work, work);

	/* Same path as BPF_LINK_DETACH: unreg, then EPOLLHUP to pollers. */
	dw->link->ops->detach(dw->link);
	bpf_link_put(dw->link);
	kfree(dw);
}

/* Called from the dispatch, under the state rwsem. */
static void luo_bpf_eject(struct luo_bpf_instance *inst, const char *kind,
			  const char *op, int err, const char *fmt, long val)
{
	struct luo_bpf_detach_work *dw;
	struct luo_bpf_exit *e;

	inst->part.ejected = true;
	mutex_lock(&luo_bpf_lock);
	e = &luo_bpf_exits[luo_bpf_nr_exits++ % LUO_EXITS_MAX];
	strscpy(e->name, inst->part.name, sizeof(e->name));
	e->kind = kind;
	e->op = op;
	e->err = err;
	snprintf(e->msg, sizeof(e->msg), fmt, val);
	trace_liveupdate_eject(e->name, kind, op, err, e->msg);
	mutex_unlock(&luo_bpf_lock);
	pr_warn("ejecting BPF participant '%s': %s in %s: %s\n",
		inst->part.name, kind, op, e->msg);

	if (inst->unregistering)
		return;
	dw = kzalloc_obj(*dw);
	if (!dw)
		return;
	/*
	 * The last reference may be gone already, with unreg waiting for the
	 * rwsem that this dispatch holds: then the link is going away anyway.
	 */
	dw->link = bpf_link_inc_not_zero(inst->link);
	if (IS_ERR(dw->link)) {
		kfree(dw);
		return;
	}
	INIT_WORK(&dw->work, luo_bpf_detach_workfn);
	schedule_work(&dw->work);
}

/* Run one policy check and sanitise its result; the orchestrator times it. */
static int luo_bpf_run(struct luo_bpf_instance *inst, int (*op)(void),
		       const char *op_name)
{
	int ret = op();

	if (unlikely(ret > 0 || ret < -MAX_ERRNO)) {
		luo_bpf_eject(inst, "invalid-return", op_name, -EINVAL,
			      "returned %ld, not 0 or -errno", ret);
		return -EINVAL;
	}
	return ret;
}

static void luo_bpf_overrun(struct luo_participant *p, const char *op,
			    u64 took_ns)
{
	struct luo_bpf_instance *inst = container_of(p, struct luo_bpf_instance, part);

	luo_bpf_eject(inst, "over-budget", op, -ETIMEDOUT,
		      "returned after %ld us, over its timeout_ms budget",
		      (long)div_u64(took_ns, NSEC_PER_USEC));
}

/* A handler's invalid result; the orchestrator calls the handlers itself. */
static void luo_bpf_invalid(struct luo_participant *p, const char *op, int ret)
{
	struct luo_bpf_instance *inst = container_of(p, struct luo_bpf_instance, part);

	luo_bpf_eject(inst, "invalid-return", op, -EINVAL,
		      "returned %ld, not 0 or -errno", ret);
}

static int luo_bpf_check(struct luo_participant *p, enum liveupdate_event event)
{
	struct luo_bpf_instance *inst = container_of(p, struct luo_bpf_instance, part);

	if (event == LIVEUPDATE_PREPARE && inst->ops->may_prepare)
		return luo_bpf_run(inst, inst->ops->may_prepare, "may_prepare");
	if (event == LIVEUPDATE_REBOOT && inst->ops->may_reboot)
		return luo_bpf_run(inst, inst->ops->may_reboot, "may_reboot");
	return 1;
}

static int luo_bpf_reg(void *kdata, struct bpf_link *link)
{
	struct liveupdate_ops *ops = kdata;
	struct luo_bpf_instance *inst;
	int err;

	if (!link) {
		pr_warn("liveupdate_ops '%s': attach with a link: SEC(\".struct_ops.link\")\n",
			ops->name);
		return -EOPNOTSUPP;
	}
	inst = kzalloc_obj(*inst);
	if (!inst)
		return -ENOMEM;
	inst->ops = ops;
	inst->op.fn[LIVEUPDATE_PREPARE] = ops->prepare;
	inst->op.fn[LIVEUPDATE_REBOOT] = ops->reboot;
	inst->op.fn[LIVEUPDATE_FINISH] = ops->finish;
	inst->op.fn[LIVEUPDATE_CANCEL] = ops->cancel;
	inst->link = link;
	strscpy(inst->part.name, ops->name, sizeof(inst->part.name));
	inst->part.kind = LUO_PARTICIPANT_BPF;
	inst->part.priority = ops->priority;
	inst->part.op = &inst->op;
	/* Without a check, the policy walk passes it by without a call. */
	if (ops->may_prepare || ops->may_reboot)
		inst->part.check = luo_bpf_check;
	inst->part.budget_ns = (u64)ops->timeout_ms * NSEC_PER_MSEC;
	inst->part.overrun = luo_bpf_overrun;
	inst->part.invalid = luo_bpf_invalid;
	inst->part.policy_only = ops->flags & LIVEUPDATE_OPS_F_POLICY_ONLY;

	mutex_lock(&luo_bpf_lock);
	if (luo_bpf_nr_instances >= LIVEUPDATE_OPS_MAX) {
		mutex_unlock(&luo_bpf_lock);
		pr_warn("liveupdate_ops '%s': already %d instances attached\n",
			ops->name, LIVEUPDATE_OPS_MAX);
		kfree(inst);
		return -ENOSPC;
	}
	luo_bpf_nr_instances++;
	mutex_unlock(&luo_bpf_lock);

	err = luo_participant_add(&inst->part);
	if (err) {
		pr_warn("liveupdate_ops '%s': cannot attach: %pe%s\n", ops->name,
			ERR_PTR(err), err == -EEXIST ? " (name in use)" :
			err == -EBUSY ? " (a live update is prepared)" : "");
		mutex_lock(&luo_bpf_lock);
		luo_bpf_nr_instances--;
		mutex_unlock(&luo_bpf_lock);
		kfree(inst);
		return err;
	}
	/* kdata is private to us from now on: remember the instance there. */
	ops->reserved = (unsigned long)inst;
	return 0;
}

static void luo_bpf_unreg(void *kdata, struct bpf_link *link)
{
	struct liveupdate_ops *ops = kdata;
	struct luo_bpf_instance *inst = (void *)(unsigned long)ops->reserved;

	if (!inst)
		return;
	down_write(&luo_state_rwsem);
	inst->unregistering = true;
	luo_participant_remove_locked(&inst->part);
	luo_blobs_out_trim();
	up_write(&luo_state_rwsem);
	ops->reserved = 0;
	kfree(inst);
	mutex_lock(&luo_bpf_lock);
	luo_bpf_nr_instances--;
	mutex_unlock(&luo_bpf_lock);
}

static int luo_bpf_init(struct btf *btf)
{
	return 0;
}

static bool luo_bpf_is_valid_access(int off, int size, enum bpf_access_type type,
				    const struct bpf_prog *prog,
				    struct bpf_insn_access_aux *info)
{
	return false;
}

static const struct bpf_func_proto *
luo_bpf_get_func_proto(enum bpf_func_id func_id, const struct bpf_prog *prog)
{
	return bpf_base_func_proto(func_id, prog);
}

static const struct bpf_verifier_ops luo_bpf_verifier_ops = {
	.get_func_proto		= luo_bpf_get_func_proto,
	.is_valid_access	= luo_bpf_is_valid_access,
};

/* REBOOT and its check run inside the blackout: no sleeping there. */
static int luo_bpf_check_member(const struct btf_type *t,
				const struct btf_member *member,
				const struct bpf_prog *prog)
{
	u32 moff = __btf_member_bit_offset(t, member) / 8;

	if (!prog->sleepable)
		return 0;
	if (moff == offsetof(struct liveupdate_ops, reboot) ||
	    moff == offsetof(struct liveupdate_ops, may_reboot)) {
		pr_warn("liveupdate_ops: reboot and may_reboot run in the blackout and cannot be sleepable\n");
		return -EINVAL;
	}
	return 0;
}

static int luo_bpf_init_member(const struct btf_type *t,
			       const struct btf_member *member,
			       void *kdata, const void *udata)
{
	const struct liveupdate_ops *uops = udata;
	struct liveupdate_ops *ops = kdata;
	u32 moff = __btf_member_bit_offset(t, member) / 8;

	switch (moff) {
	case offsetof(struct liveupdate_ops, flags):
		if (uops->flags & ~LIVEUPDATE_OPS_ALL_FLAGS) {
			pr_warn("liveupdate_ops: unknown flags %#x\n",
				uops->flags & ~LIVEUPDATE_OPS_ALL_FLAGS);
			return -EINVAL;
		}
		ops->flags = uops->flags;
		return 1;
	case offsetof(struct liveupdate_ops, timeout_ms):
		if (uops->timeout_ms > LIVEUPDATE_OPS_TIMEOUT_MAX_MS) {
			pr_warn("liveupdate_ops: timeout_ms %u above the maximum %u\n",
				uops->timeout_ms, LIVEUPDATE_OPS_TIMEOUT_MAX_MS);
			return -EINVAL;
		}
		ops->timeout_ms = uops->timeout_ms ?: LIVEUPDATE_OPS_TIMEOUT_DEFAULT_MS;
		return 1;
	case offsetof(struct liveupdate_ops, priority):
		if (uops->priority < LIVEUPDATE_CB_PRIO_BEFORE_DEVICES ||
		    uops->priority > LIVEUPDATE_CB_PRIO_AFTER_DEVICES) {
			pr_warn("liveupdate_ops: priority %d outside 0..2\n",
				uops->priority);
			return -EINVAL;
		}
		ops->priority = uops->priority;
		return 1;
	case offsetof(struct liveupdate_ops, name):
		if (bpf_obj_name_cpy(ops->name, uops->name, sizeof(ops->name)) <= 0) {
			pr_warn("liveupdate_ops: name empty, too long or not printable\n");
			return -EINVAL;
		}
		return 1;
	}
	/* Everything else, reserved included, must be zero from userspace. */
	return 0;
}

/* Stubs: a policy check allows, a handler succeeds. */
static int luo_bpf_stub(void)
{
	return 0;
}

static struct liveupdate_ops luo_bpf_stubs = {
	.prepare	= luo_bpf_stub,
	.reboot		= luo_bpf_stub,
	.finish		= luo_bpf_stub,
	.cancel		= luo_bpf_stub,
	.may_prepare	= luo_bpf_stub,
	.may_reboot	= luo_bpf_stub,
};

static struct bpf_struct_ops luo_bpf_struct_ops = {
	.verifier_ops	= &luo_bpf_verifier_ops,
	.init		= luo_bpf_init,
	.check_member	= luo_bpf_check_member,
	.init_member	= luo_bpf_init_member,
	.reg		= luo_bpf_reg,
	.unreg		= luo_bpf_unreg,
	/* No .update: the core then refuses a link update with EOPNOTSUPP. */
	.cfi_stubs	= &luo_bpf_stubs,
	.name		= "liveupdate_ops",
	.owner		= THIS_MODULE,
};

bool luo_bpf_is_ours(const struct bpf_prog *prog)
{
	return prog->aux->st_ops == &luo_bpf_struct_ops;
}

static int __init luo_bpf_struct_ops_init(void)
{
	return register_bpf_struct_ops(&luo_bpf_struct_ops, liveupdate_ops);
}
late_initcall(luo_bpf_struct_ops_init);
