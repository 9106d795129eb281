// SPDX-License-Identifier: GPL-2.0
/*
 * Canaries for the test harness: each plants one kind of kernel problem
 * that the guest harness (selftests/vm/run-vm.sh) claims to catch, so that
 * the canary tests (selftests/canaries/) can show that it does.
 *
 *	insmod luo_canary.ko problem=<name>
 *
 * leak		a 256-byte object filled with a pattern, never freed
 * leak_zero	a zeroed 256-byte object, never freed
 * warn		a WARN()
 * lockdep	two mutexes taken in both orders (a lock order inversion)
 * atomic_sleep	a sleep under a spinlock
 * list		a list_add() onto a corrupted list (DEBUG_LIST refuses it)
 * hung		a kthread in D state past the hung task timeout
 * uaf		a read after kfree() (KASAN)
 * oob		a write one byte past a kmalloc() object (KASAN)
 * none		nothing: the control
 *
 * The module stays loaded; the guest ends with the job.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *problem = "none";
module_param(problem, charp, 0444);
MODULE_PARM_DESC(problem, "the problem to plant at load");

/* Sizes as parameters, so that the compiler cannot see the overflow. */
static unsigned int size = 256;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "bytes of the leaked, freed or overrun object");
static unsigned int hung_s = 30;
module_param(hung_s, uint, 0444);
MODULE_PARM_DESC(hung_s, "seconds the hung task sleeps in D state");

/* Where a leaked pointer is kept until it is dropped. */
static void *canary_ptr;

static int canary_leak(gfp_t gfp, int fill)
{
	void *p = kmalloc(size, gfp);

	if (!p)
		return -ENOMEM;
	if (fill)
		memset(p, 0xa5, size);
	WRITE_ONCE(canary_ptr, p);
	WRITE_ONCE(canary_ptr, NULL);
	return 0;
}

static DEFINE_MUTEX(canary_a);
static DEFINE_MUTEX(canary_b);

static void canary_lockdep(void)
{
	mutex_lock(&canary_a);
	mutex_lock(&canary_b);
	mutex_unlock(&canary_b);
	mutex_unlock(&canary_a);

	mutex_lock(&canary_b);
	mutex_lock(&canary_a);
	mutex_unlock(&canary_a);
	mutex_unlock(&canary_b);
}

static DEFINE_SPINLOCK(canary_lock);

/* A GFP_KERNEL allocation may sleep: might_sleep() reports it. */
static void canary_atomic_sleep(void)
{
	spin_lock(&canary_lock);
	kfree(kmalloc(16, GFP_KERNEL));
	spin_unlock(&canary_lock);
}

/*
 * x's prev no longer points back at the head: DEBUG_LIST reports the
 * corruption and leaves the list alone, so nothing is really corrupted.
 */
static void canary_list(void)
{
	LIST_HEAD(head);
	struct list_head x, y, other;

	list_add(&x, &head);
	WRITE_ONCE(x.prev, &other);
	list_add(&y, &head);
}

static int canary_hung_fn(void *unused)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule_timeout(hung_s * HZ);
	return 0;
}

static int canary_uaf(void)
{
	char *p = kmalloc(size, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	kfree(p);
	pr_info("read after free: %d\n", READ_ONCE(p[0]));
	return 0;
}

static int canary_oob(void)
{
	char *p = kmalloc(size, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	WRITE_ONCE(p[size], 1);
	kfree(p);
	return 0;
}

static int __init luo_canary_init(void)
{
	struct task_struct *t;

	pr_info("planting '%s'\n", problem);
	if (!strcmp(problem, "none"))
		return 0;
	if (!strcmp(problem, "leak"))
		return canary_leak(GFP_KERNEL, 1);
	if (!strcmp(problem, "leak_zero"))
		return canary_leak(GFP_KERNEL | __GFP_ZERO, 0);
	if (!strcmp(problem, "warn")) {
		WARN(1, "luo_canary: planted warning\n");
		return 0;
	}
	if (!strcmp(problem, "lockdep")) {
		canary_lockdep();
		return 0;
	}
	if (!strcmp(problem, "atomic_sleep")) {
		canary_atomic_sleep();
		return 0;
	}
	if (!strcmp(problem, "list")) {
		canary_list();
		return 0;
	}
	if (!strcmp(problem, "hung")) {
		t = kthread_run(canary_hung_fn, NULL, "luo_canary_hung");
		return PTR_ERR_OR_ZERO(t);
	}
	if (!strcmp(problem, "uaf"))
		return canary_uaf();
	if (!strcmp(problem, "oob"))
		return canary_oob();
	pr_err("unknown problem '%s'\n", problem);
	return -EINVAL;
}
module_init(luo_canary_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Planted kernel problems that the test harness must catch");
