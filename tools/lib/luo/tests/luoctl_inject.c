// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test-only replacement of libluo's luo_write_attr() and luo_reboot_kexec()
 * (luo_write.c), linked into "luoctl-inject", a luoctl for the host tests
 * that is never installed. It emulates what the kernel does on a fake
 * sysfs tree of regular files, driven by the environment:
 *
 *   LUO_INJECT_WRITE=FILE=ERRNO     writes to FILE fail with ERRNO (< 0)
 *   LUO_INJECT_RECORD=LINE          ... and LINE goes into last_failure
 *   LUO_INJECT_REBOOT=ERRNO         the kexec reboot fails with ERRNO
 *                                   (default -ENOSYS: it never reboots)
 *   LUO_INJECT_REBOOT_STATE=STATE   state after the failed reboot
 *   LUO_INJECT_REBOOT_RECORD=LINE   last_failure after the failed reboot
 *   LUO_INJECT_REBOOT_DELAY_MS=MS   the failed reboot takes MS first
 *   LUO_INJECT_LOG=FILE             every write, "<file>=<value>" a line,
 *                                   appended to FILE (the lease renewals
 *                                   come from a thread: one write(2) each)
 *
 * Transitions follow the kernel's state machine: one not valid in the
 * current "state" fails with EBUSY, a successful one moves "state"
 * (prepare 1 -> prepared; cancel, prepare 0 -> normal from prepared;
 * finish -> normal from updated; reset -> normal from anywhere).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int luo_write_attr(const char *path, const char *val);
int luo_reboot_kexec(void);

static void put_file(const char *dir, size_t dlen, const char *name,
		     const char *content)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%.*s/%s", (int)dlen, dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, content, strlen(content)) < 0)
		perror(path);
	close(fd);
}

static int env_errno(const char *s, int def)
{
	return s && *s ? atoi(s) : def;
}

/* the state a write to @base needs, NULL: any */
static const char *needed_state(const char *base, const char *val)
{
	if (!strcmp(base, "prepare"))
		return val[0] == '1' ? "normal" : "prepared";
	if (!strcmp(base, "cancel"))
		return "prepared";
	if (!strcmp(base, "finish"))
		return "updated";
	return NULL;
}

static bool in_state(const char *dir, size_t dlen, const char *want)
{
	char path[PATH_MAX], buf[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%.*s/state", (int)dlen, dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;	/* no state file: do not emulate */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return !strncmp(buf, want, strlen(want));
}

static void log_write(const char *base, const char *val)
{
	const char *log = getenv("LUO_INJECT_LOG");
	char line[256];
	int fd, n;

	if (!log)
		return;
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%s=%s\n", base, val);
	if (n > 0 && write(fd, line, (size_t)n) < 0)
		perror(log);
	close(fd);
}

int luo_write_attr(const char *path, const char *val)
{
	const char *inj = getenv("LUO_INJECT_WRITE");
	const char *base = strrchr(path, '/');
	size_t dlen = base ? (size_t)(base - path) : 0;
	const char *eq;
	int fd, err = 0;

	base = base ? base + 1 : path;
	log_write(base, val);
	eq = inj ? strchr(inj, '=') : NULL;
	if (eq && (size_t)(eq - inj) == strlen(base) &&
	    !strncmp(inj, base, eq - inj)) {
		if (getenv("LUO_INJECT_RECORD"))
			put_file(path, dlen, "last_failure",
				 getenv("LUO_INJECT_RECORD"));
		return env_errno(eq + 1, -EIO);
	}
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (needed_state(base, val) && !in_state(path, dlen, needed_state(base, val))) {
		close(fd);
		return -EBUSY;
	}
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		err = -EIO;
	close(fd);
	if (err)
		return err;
	if (!strcmp(base, "prepare") && val[0] == '1')
		put_file(path, dlen, "state", "prepared\n");
	else if (!strcmp(base, "prepare") || !strcmp(base, "cancel") ||
		 !strcmp(base, "finish") || !strcmp(base, "reset"))
		put_file(path, dlen, "state", "normal\n");
	return 0;
}

int luo_reboot_kexec(void)
{
	const char *dir = getenv("LUO_SYSFS_ROOT");
	const char *delay = getenv("LUO_INJECT_REBOOT_DELAY_MS");

	if (delay && *delay) {
		long ms = atol(delay);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}

	if (dir && getenv("LUO_INJECT_REBOOT_STATE"))
		put_file(dir, strlen(dir), "state", getenv("LUO_INJECT_REBOOT_STATE"));
	if (dir && getenv("LUO_INJECT_REBOOT_RECORD"))
		put_file(dir, strlen(dir), "last_failure",
			 getenv("LUO_INJECT_REBOOT_RECORD"));
	return env_errno(getenv("LUO_INJECT_REBOOT"), -ENOSYS);
}
