// SPDX-License-Identifier: GPL-2.0
/*
 * Test participants for the Live Update Orchestrator.
 *
 * This module registers a configurable set of live update participants,
 * lets a test make any of them fail a given event, and records every
 * callback in call order. It is driven through debugfs:
 *
 * /sys/kernel/debug/luo_test/participants
 *	Write a list of priorities, e.g. "0 2 1 1": every test participant
 *	is unregistered, then participants "luo_test_0" .. "luo_test_<N-1>"
 *	are registered in that order with those priorities (at most
 *	LUO_TEST_LIST_MAX). "many <N>" registers N participants, up to
 *	LUO_TEST_MAX_PARTS, all with priority 1. "append <N>" registers N
 *	more with priority 1 after the current ones, keeping them: make bench
 *	interleaves native and BPF participants this way. Write "clear" to
 *	only unregister them. Read: one "<index> <priority>" line per registered
 *	participant.
 *
 * /sys/kernel/debug/luo_test/inject
 *	Write "<event> <index> <errno>", e.g. "prepare 2 -5": participant
 *	<index> returns <errno> for <event> until the rule is changed. Write
 *	"none" to clear the rule. "delay <index> <ms>" makes participant
 *	<index> sleep <ms> in PREPARE instead. Read: the current rule or "none".
 *
 * /sys/kernel/debug/luo_test/record
 *	"1" (default): callbacks log and obey the rule. "0": callbacks do
 *	nothing at all, for benchmarks.
 *
 * /sys/kernel/debug/luo_test/log
 *	Read: one "<event> <name>" line per callback since the log was last
 *	cleared, in call order, followed by "dropped <n>" if more than
 *	LUO_TEST_LOG_MAX callbacks happened. Write anything: clear the log.
 *
 * /sys/kernel/debug/luo_test/reboot_hook
 *	"1": on the kexec path, after REBOOT, the module's reboot notifier
 *	(device shutdown time) holds the orchestrator state for reading and
 *	unregisters every test participant, as a driver's shutdown may.
 *
 * Locking: the orchestrator may call the participants with its state
 * rwsem held for writing, and liveupdate_(un)register_notifier*() take
 * that rwsem as well. luo_test_parts_lock is held around registration, so
 * the callbacks must never take it; they only take luo_test_inject_lock
 * and luo_test_log_lock, which are never held around liveupdate_*() calls.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/array_size.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/liveupdate.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define LUO_TEST_MAX_PARTS	1024
#define LUO_TEST_LIST_MAX	64
#define LUO_TEST_LOG_MAX	4096
#define LUO_TEST_DELAY_MAX_MS	10000
/* Longest accepted command: 64 priorities plus separators and newline. */
#define LUO_TEST_CMD_MAX	160

/* Log entry event for an action the orchestrator should never send. */
#define LUO_TEST_EVENT_UNKNOWN	(LIVEUPDATE_CANCEL + 1)

static const char * const luo_test_event_names[] = {
	[LIVEUPDATE_PREPARE]	= "prepare",
	[LIVEUPDATE_REBOOT]	= "reboot",
	[LIVEUPDATE_FINISH]	= "finish",
	[LIVEUPDATE_CANCEL]	= "cancel",
	[LUO_TEST_EVENT_UNKNOWN] = "unknown",
};

/**
 * struct luo_test_part - One test participant.
 * @nb:       Notifier block registered with the orchestrator.
 * @index:    Position given by the last write to "participants".
 * @name:     Participant name, "luo_test_<index>".
 */
struct luo_test_part {
	struct notifier_block nb;
	unsigned int index;
	char name[LIVEUPDATE_PARTICIPANT_NAME_LEN];
};

/**
 * struct luo_test_rule - Failure injection rule.
 * @active: Whether the rule applies at all.
 * @event:  Event to fail, a value of &enum liveupdate_event.
 * @index:  Index of the participant that fails.
 * @err:    Negative errno returned by that participant.
 * @delay_ms: Time that participant sleeps in @event before returning.
 */
struct luo_test_rule {
	bool active;
	unsigned int event;
	unsigned int index;
	int err;
	unsigned int delay_ms;
};

/**
 * struct luo_test_log_entry - One recorded callback.
 * @event: Event, a value of &enum liveupdate_event or LUO_TEST_EVENT_UNKNOWN.
 * @index: Index of the participant that was called.
 */
struct luo_test_log_entry {
	u8 event;
	u8 index;
};

/* Participants: never taken from a callback. */
static DEFINE_MUTEX(luo_test_parts_lock);
static struct luo_test_part luo_test_parts[LUO_TEST_MAX_PARTS];
static unsigned int luo_test_nr_parts;

static DEFINE_MUTEX(luo_test_inject_lock);
static struct luo_test_rule luo_test_rule;

static DEFINE_MUTEX(luo_test_log_lock);
static struct luo_test_log_entry luo_test_log[LUO_TEST_LOG_MAX];
static unsigned int luo_test_log_len;
static unsigned long luo_test_log_dropped;

/* When false, callbacks are no-ops: for benchmarks. */
static bool luo_test_record = true;

static struct dentry *luo_test_dir;

static void luo_test_log_add(unsigned int event, unsigned int index)
{
	mutex_lock(&luo_test_log_lock);
	if (luo_test_log_len < LUO_TEST_LOG_MAX) {
		luo_test_log[luo_test_log_len].event = event;
		luo_test_log[luo_test_log_len].index = index;
		luo_test_log_len++;
	} else {
		luo_test_log_dropped++;
	}
	mutex_unlock(&luo_test_log_lock);
}

static int luo_test_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct luo_test_part *part = container_of(nb, struct luo_test_part, nb);
	unsigned int delay_ms = 0;
	int err = 0;

	if (!READ_ONCE(luo_test_record))
		return NOTIFY_OK;

	if (action > LIVEUPDATE_CANCEL) {
		luo_test_log_add(LUO_TEST_EVENT_UNKNOWN, part->index);
		return NOTIFY_DONE;
	}

	luo_test_log_add(action, part->index);

	mutex_lock(&luo_test_inject_lock);
	if (luo_test_rule.active && luo_test_rule.event == action &&
	    luo_test_rule.index == part->index) {
		err = luo_test_rule.err;
		delay_ms = luo_test_rule.delay_ms;
	}
	mutex_unlock(&luo_test_inject_lock);

	if (delay_ms)
		msleep(delay_ms);

	return notifier_from_errno(err);
}

/* Unregister participants @from .. @nr - 1, last registered first. */
static void luo_test_unregister(unsigned int from, unsigned int nr)
{
	struct luo_test_part *part;
	int err;

	lockdep_assert_held(&luo_test_parts_lock);

	while (nr-- > from) {
		part = &luo_test_parts[nr];
		err = liveupdate_unregister_notifier(&part->nb);
		if (err)
			pr_warn("failed to unregister %s [%d]\n",
				part->name, err);
	}
}

static void luo_test_clear_parts(void)
{
	lockdep_assert_held(&luo_test_parts_lock);

	luo_test_unregister(0, luo_test_nr_parts);
	luo_test_nr_parts = 0;
}

/*
 * Register @nr more participants after the current ones, with priorities
 * @prio, or all with priority 1 if @prio is NULL.
 */
static int luo_test_add_parts(const unsigned int *prio, unsigned int nr)
{
	unsigned int from = luo_test_nr_parts;
	struct luo_test_part *part;
	unsigned int i;
	int err;

	lockdep_assert_held(&luo_test_parts_lock);

	if (nr > LUO_TEST_MAX_PARTS - from)
		return -ENOSPC;

	for (i = from; i < from + nr; i++) {
		part = &luo_test_parts[i];
		memset(part, 0, sizeof(*part));
		part->index = i;
		part->nb.notifier_call = luo_test_notify;
		part->nb.priority = prio ? prio[i - from] :
				   LIVEUPDATE_CB_PRIO_WITH_DEVICES;
		snprintf(part->name, sizeof(part->name), "luo_test_%u", i);

		err = liveupdate_register_notifier_named(&part->nb, part->name);
		if (err) {
			pr_warn("failed to register %s [%d]\n",
				part->name, err);
			luo_test_unregister(from, i);
			return err;
		}
	}
	luo_test_nr_parts = from + nr;

	return 0;
}

static int luo_test_set_parts(const unsigned int *prio, unsigned int nr)
{
	lockdep_assert_held(&luo_test_parts_lock);

	luo_test_clear_parts();
	return luo_test_add_parts(prio, nr);
}

/*
 * Copy a command from userspace into @buf as a NUL-terminated string and
 * strip one optional trailing newline. Each write() is one full command.
 */
static int luo_test_get_cmd(char *buf, size_t size, const char __user *ubuf,
			    size_t count)
{
	if (!count || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (buf[count - 1] == '\n')
		buf[--count] = '\0';
	/* Embedded NULs, or any other newline, are garbage. */
	if (strlen(buf) != count || strchr(buf, '\n'))
		return -EINVAL;

	return 0;
}

/*
 * Split @str at single spaces into at most @max tokens. Empty tokens, i.e.
 * leading, trailing or repeated spaces, are rejected.
 */
static int luo_test_split(char *str, char **tok, unsigned int max)
{
	unsigned int nr = 0;
	char *t;

	while ((t = strsep(&str, " "))) {
		if (!*t || nr == max)
			return -EINVAL;
		tok[nr++] = t;
	}

	return nr;
}

/* Parse a decimal number made of digits only: no sign, no whitespace. */
static int luo_test_parse_uint(const char *s, unsigned int *val)
{
	const char *p;

	if (!*s)
		return -EINVAL;
	for (p = s; *p; p++) {
		if (!isdigit(*p))
			return -EINVAL;
	}

	return kstrtouint(s, 10, val);
}

/* Parse a negative errno, "-1" .. "-4095". */
static int luo_test_parse_errno(const char *s, int *val)
{
	unsigned int n;

	if (*s != '-' || luo_test_parse_uint(s + 1, &n) ||
	    n < 1 || n > MAX_ERRNO)
		return -EINVAL;
	*val = -(int)n;

	return 0;
}

static int luo_test_parts_show(struct seq_file *m, void *v)
{
	unsigned int i;

	mutex_lock(&luo_test_parts_lock);
	for (i = 0; i < luo_test_nr_parts; i++)
		seq_printf(m, "%u %d\n", luo_test_parts[i].index,
			   luo_test_parts[i].nb.priority);
	mutex_unlock(&luo_test_parts_lock);

	return 0;
}

static int luo_test_parts_open(struct inode *inode, struct file *file)
{
	return single_open(file, luo_test_parts_show, NULL);
}

static ssize_t luo_test_parts_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	unsigned int prio[LUO_TEST_LIST_MAX];
	char *tok[LUO_TEST_LIST_MAX];
	char buf[LUO_TEST_CMD_MAX];
	unsigned int many;
	int nr, i, err;

	err = luo_test_get_cmd(buf, sizeof(buf), ubuf, count);
	if (err)
		return err;

	if (!strncmp(buf, "many ", 5)) {
		if (luo_test_parse_uint(buf + 5, &many) || !many ||
		    many > LUO_TEST_MAX_PARTS)
			return -EINVAL;
		mutex_lock(&luo_test_parts_lock);
		err = luo_test_set_parts(NULL, many);
		mutex_unlock(&luo_test_parts_lock);
		return err ? err : count;
	}

	if (!strncmp(buf, "append ", 7)) {
		if (luo_test_parse_uint(buf + 7, &many) || !many ||
		    many > LUO_TEST_MAX_PARTS)
			return -EINVAL;
		mutex_lock(&luo_test_parts_lock);
		err = luo_test_add_parts(NULL, many);
		mutex_unlock(&luo_test_parts_lock);
		return err ? err : count;
	}

	if (!strcmp(buf, "clear")) {
		mutex_lock(&luo_test_parts_lock);
		luo_test_clear_parts();
		mutex_unlock(&luo_test_parts_lock);
		return count;
	}

	nr = luo_test_split(buf, tok, ARRAY_SIZE(tok));
	if (nr <= 0)
		return -EINVAL;

	for (i = 0; i < nr; i++) {
		if (luo_test_parse_uint(tok[i], &prio[i]) ||
		    prio[i] > LIVEUPDATE_CB_PRIO_AFTER_DEVICES)
			return -EINVAL;
	}

	mutex_lock(&luo_test_parts_lock);
	err = luo_test_set_parts(prio, nr);
	mutex_unlock(&luo_test_parts_lock);

	return err ? err : count;
}

static const struct file_operations luo_test_parts_fops = {
	.owner		= THIS_MODULE,
	.open		= luo_test_parts_open,
	.read		= seq_read,
	.write		= luo_test_parts_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int luo_test_inject_show(struct seq_file *m, void *v)
{
	struct luo_test_rule rule;

	mutex_lock(&luo_test_inject_lock);
	rule = luo_test_rule;
	mutex_unlock(&luo_test_inject_lock);

	if (rule.active)
		seq_printf(m, "%s %u %d\n", luo_test_event_names[rule.event],
			   rule.index, rule.err);
	else
		seq_puts(m, "none\n");

	return 0;
}

static int luo_test_inject_open(struct inode *inode, struct file *file)
{
	return single_open(file, luo_test_inject_show, NULL);
}

static ssize_t luo_test_inject_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	struct luo_test_rule rule = { .active = true };
	char buf[LUO_TEST_CMD_MAX];
	char *tok[3];
	int event, err;

	err = luo_test_get_cmd(buf, sizeof(buf), ubuf, count);
	if (err)
		return err;

	if (!strcmp(buf, "none")) {
		rule.active = false;
		goto set;
	}

	if (luo_test_split(buf, tok, ARRAY_SIZE(tok)) != ARRAY_SIZE(tok))
		return -EINVAL;

	/* "delay <index> <ms>": a slow PREPARE, to hold the state lock. */
	if (!strcmp(tok[0], "delay")) {
		rule.event = LIVEUPDATE_PREPARE;
		if (luo_test_parse_uint(tok[1], &rule.index) ||
		    rule.index >= LUO_TEST_MAX_PARTS ||
		    luo_test_parse_uint(tok[2], &rule.delay_ms) ||
		    rule.delay_ms > LUO_TEST_DELAY_MAX_MS)
			return -EINVAL;
		goto set;
	}

	event = match_string(luo_test_event_names, LIVEUPDATE_CANCEL + 1,
			     tok[0]);
	if (event < 0)
		return -EINVAL;
	rule.event = event;

	if (luo_test_parse_uint(tok[1], &rule.index) ||
	    rule.index >= LUO_TEST_MAX_PARTS)
		return -EINVAL;

	if (luo_test_parse_errno(tok[2], &rule.err))
		return -EINVAL;

set:
	mutex_lock(&luo_test_inject_lock);
	luo_test_rule = rule;
	mutex_unlock(&luo_test_inject_lock);

	return count;
}

static const struct file_operations luo_test_inject_fops = {
	.owner		= THIS_MODULE,
	.open		= luo_test_inject_open,
	.read		= seq_read,
	.write		= luo_test_inject_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int luo_test_log_show(struct seq_file *m, void *v)
{
	struct luo_test_log_entry *e;
	unsigned int i;

	mutex_lock(&luo_test_log_lock);
	for (i = 0; i < luo_test_log_len; i++) {
		e = &luo_test_log[i];
		seq_printf(m, "%s luo_test_%u\n",
			   luo_test_event_names[e->event], e->index);
	}
	if (luo_test_log_dropped)
		seq_printf(m, "dropped %lu\n", luo_test_log_dropped);
	mutex_unlock(&luo_test_log_lock);

	return 0;
}

static int luo_test_log_open(struct inode *inode, struct file *file)
{
	/* The whole log is printed at once: size the buffer for the worst. */
	return single_open_size(file, luo_test_log_show, NULL,
				LUO_TEST_LOG_MAX * 24 + 32);
}

static ssize_t luo_test_log_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	mutex_lock(&luo_test_log_lock);
	luo_test_log_len = 0;
	luo_test_log_dropped = 0;
	mutex_unlock(&luo_test_log_lock);

	return count;
}

static const struct file_operations luo_test_log_fops = {
	.owner		= THIS_MODULE,
	.open		= luo_test_log_open,
	.read		= seq_read,
	.write		= luo_test_log_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static bool luo_test_reboot_hook;

/*
 * Device shutdown after REBOOT: what a driver may do there must not
 * deadlock on the orchestrator.
 */
static int luo_test_reboot(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	unsigned int nr;

	if (!READ_ONCE(luo_test_reboot_hook))
		return NOTIFY_DONE;
	liveupdate_read_state_enter();
	liveupdate_read_state_exit();
	mutex_lock(&luo_test_parts_lock);
	nr = luo_test_nr_parts;
	luo_test_clear_parts();
	mutex_unlock(&luo_test_parts_lock);
	pr_info("reboot notifier: read the state, unregistered %u participants\n",
		nr);
	return NOTIFY_DONE;
}

static struct notifier_block luo_test_reboot_nb = {
	.notifier_call = luo_test_reboot,
};

static int __init luo_test_init(void)
{
	int err;

	luo_test_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(luo_test_dir))
		return PTR_ERR(luo_test_dir);
	err = register_reboot_notifier(&luo_test_reboot_nb);
	if (err) {
		debugfs_remove_recursive(luo_test_dir);
		return err;
	}
	debugfs_create_bool("reboot_hook", 0600, luo_test_dir,
			    &luo_test_reboot_hook);

	debugfs_create_bool("record", 0600, luo_test_dir, &luo_test_record);
	debugfs_create_file("participants", 0600, luo_test_dir, NULL,
			    &luo_test_parts_fops);
	debugfs_create_file("inject", 0600, luo_test_dir, NULL,
			    &luo_test_inject_fops);
	debugfs_create_file("log", 0600, luo_test_dir, NULL,
			    &luo_test_log_fops);

	return 0;
}
module_init(luo_test_init);

static void __exit luo_test_exit(void)
{
	/* No new command can start once the files are gone. */
	debugfs_remove_recursive(luo_test_dir);
	unregister_reboot_notifier(&luo_test_reboot_nb);

	mutex_lock(&luo_test_parts_lock);
	luo_test_clear_parts();
	mutex_unlock(&luo_test_parts_lock);
}
module_exit(luo_test_exit);

MODULE_DESCRIPTION("Live Update Orchestrator test participants");
MODULE_LICENSE("GPL");
