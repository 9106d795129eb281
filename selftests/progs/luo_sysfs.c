// SPDX-License-Identifier: GPL-2.0
/*
 * luo_sysfs - exact sysfs writes and stress for the VM tests.
 *
 *   luo_sysfs write PATH DATA       write DATA (no newline added) in one
 *                                   write(2); "\n", "\xHH" escapes allowed
 *   luo_sysfs fill PATH BYTE N      write N copies of BYTE in one write(2)
 *   luo_sysfs poll PATH MS          wait for a sysfs_notify on PATH
 *   luo_sysfs stress DIR WRITERS N  WRITERS processes, N random writes each
 *                                   (good and garbage), each checked against
 *                                   the errnos legal for its file, while a
 *                                   reader checks that "state" is always
 *                                   legal
 *
 * "write" and "fill" print OK or the errno name (EINVAL, EBUSY, ...).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int report(ssize_t n)
{
	if (n < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	printf("OK\n");
	return 0;
}

static ssize_t write_bytes(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, buf, len);
	close(fd);
	return n;
}

static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		if (in[0] == '\\' && in[1] == 'n') {
			out[n++] = '\n';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
			char hex[3] = { in[2], in[3], 0 };

			out[n++] = (char)strtoul(hex, NULL, 16);
			in += 4;
		} else {
			out[n++] = *in++;
		}
	}
	return n;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int do_poll(const char *path, int ms)
{
	struct pollfd pfd = { .events = POLLPRI | POLLERR };
	char buf[64];
	int n;

	pfd.fd = open(path, O_RDONLY);
	if (pfd.fd < 0 || read(pfd.fd, buf, sizeof(buf)) < 0)
		return perror(path), 2;
	n = poll(&pfd, 1, ms);
	if (n <= 0) {
		printf("TIMEOUT\n");
		return 1;
	}
	lseek(pfd.fd, 0, SEEK_SET);
	n = read(pfd.fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("CHANGED %s", buf);
	return 0;
}

static const char *const legal[] = { "normal\n", "prepared\n", "updated\n" };

static int state_legal(const char *dir)
{
	char path[512], buf[64];
	size_t i;

	snprintf(path, sizeof(path), "%s/state", dir);
	if (read_file(path, buf, sizeof(buf)))
		return 0;
	for (i = 0; i < sizeof(legal) / sizeof(legal[0]); i++)
		if (!strcmp(buf, legal[i]))
			return 1;
	fprintf(stderr, "illegal state '%s'\n", buf);
	return 0;
}

/*
 * One kind of write of the stress test, and the errnos it may legally end
 * with: 0 for success, EBUSY for the wrong state. A write ending with any
 * other errno is a failure of the orchestrator.
 */
struct stress_write {
	const char *file;
	const char *value;
	int legal[3];
};

static const struct stress_write stress_writes[] = {
	{ "prepare", "1",  { 0, EBUSY, -1 } },
	{ "prepare", "0",  { 0, EBUSY, -1 } },
	{ "cancel",  "1",  { 0, EBUSY, -1 } },
	{ "reset",   "1",  { 0, -1 } },
	{ "finish",  "1",  { 0, EBUSY, -1 } },
	{ "prepare", "x",  { EINVAL, -1 } },
	{ "cancel",  "0",  { EINVAL, -1 } },
	{ "reset",   "11", { EINVAL, -1 } },
};

#define NR_STRESS_WRITES (sizeof(stress_writes) / sizeof(stress_writes[0]))

static int errno_legal(const struct stress_write *w, int err)
{
	int i;

	for (i = 0; w->legal[i] >= 0; i++)
		if (w->legal[i] == err)
			return 1;
	return 0;
}

/* Exit status: the number of writes that ended with an illegal errno. */
static void writer(const char *dir, int count, unsigned int seed)
{
	const struct stress_write *w;
	char path[512];
	int i, err, bad = 0;

	srand(seed);
	for (i = 0; i < count; i++) {
		w = &stress_writes[rand() % NR_STRESS_WRITES];
		snprintf(path, sizeof(path), "%s/%s", dir, w->file);
		err = write_bytes(path, w->value, strlen(w->value)) < 0 ? errno : 0;
		if (!errno_legal(w, err)) {
			fprintf(stderr, "writing '%s' to %s: illegal result %s\n",
				w->value, w->file, err ? strerrorname_np(err) : "OK");
			bad++;
		}
	}
	_exit(bad > 255 ? 255 : bad);
}

static int stress(const char *dir, int writers, int count)
{
	pid_t pids[64];
	int i, status, bad = 0, reads = 0, running, illegal = 0;

	if (writers < 1 || writers > 64)
		return 2;
	for (i = 0; i < writers; i++) {
		pids[i] = fork();
		if (!pids[i])
			writer(dir, count, 1234 + i);
	}
	do {
		if (!state_legal(dir))
			bad++;
		reads++;
		running = 0;
		for (i = 0; i < writers; i++) {
			if (!pids[i])
				continue;
			if (waitpid(pids[i], &status, WNOHANG) == 0) {
				running++;
				continue;
			}
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				illegal += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
			pids[i] = 0;
		}
	} while (running);
	if (!state_legal(dir))
		bad++;
	printf("%d writers x %d writes, %d state reads, %d illegal states, %d illegal errnos\n",
	       writers, count, reads, bad, illegal);
	return bad || illegal ? 1 : 0;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	const char *cmd = argc > 1 ? argv[1] : "";
	size_t n;

	if (!strcmp(cmd, "write") && argc == 4) {
		n = unescape(argv[3], buf);
		return report(write_bytes(argv[2], buf, n));
	}
	if (!strcmp(cmd, "fill") && argc == 5) {
		n = strtoul(argv[4], NULL, 0);
		if (n > sizeof(buf))
			return 2;
		memset(buf, argv[3][0], n);
		return report(write_bytes(argv[2], buf, n));
	}
	if (!strcmp(cmd, "poll") && argc == 4)
		return do_poll(argv[2], atoi(argv[3]));
	if (!strcmp(cmd, "stress") && argc == 5)
		return stress(argv[2], atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: luo_sysfs write PATH DATA | fill PATH BYTE N |\n"
		"                 poll PATH MS | stress DIR WRITERS N\n");
	return 2;
}
