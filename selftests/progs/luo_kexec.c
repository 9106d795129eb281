// SPDX-License-Identifier: GPL-2.0
/*
 * luo_kexec - guest helper for the VM tests.
 *
 *   luo_kexec exec KERNEL CMDLINE      kexec_file_load + reboot(RB_KEXEC)
 *   luo_kexec memfd-out KERNEL CMDLINE DATA
 *                                      preserve a memfd holding DATA in a
 *                                      /dev/liveupdate session, then kexec
 *   luo_kexec memfd-in DATA            retrieve that memfd, compare to DATA
 *   luo_kexec session-exec KERNEL CMDLINE NAME N
 *                                      preserve N empty memfds in session
 *                                      NAME, then kexec (with N = 0 the
 *                                      session holds no file)
 *   luo_kexec end                      end the guest: a reset, which QEMU's
 *                                      -no-reboot turns into an exit (the
 *                                      kernels have no ACPI to power off)
 *
 * Exit status: 0 success, 1 failure (message on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/liveupdate.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SESSION "luo-ci-memfd"
#define TOKEN 0x10C1

static int fail(const char *what)
{
	fprintf(stderr, "luo_kexec: %s: %s\n", what, strerror(errno));
	return 1;
}

static int do_kexec(const char *kernel, const char *cmdline)
{
	int fd = open(kernel, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(kernel);
	if (syscall(SYS_kexec_file_load, fd, -1, strlen(cmdline) + 1, cmdline,
		    (unsigned long)KEXEC_FILE_NO_INITRAMFS))
		return fail("kexec_file_load");
	close(fd);
	sync();
	if (reboot(RB_KEXEC))
		return fail("reboot(RB_KEXEC)");
	return 1;
}

static int memfd_out(const char *kernel, const char *cmdline, const char *data)
{
	struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
	struct liveupdate_session_preserve_fd pf = { .size = sizeof(pf) };
	size_t len = strlen(data);
	int luo, mfd;

	luo = open("/dev/liveupdate", O_RDWR);
	if (luo < 0)
		return fail("/dev/liveupdate");
	snprintf((char *)cs.name, sizeof(cs.name), "%s", SESSION);
	if (ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs))
		return fail("create session");
	mfd = memfd_create("luo-ci", 0);
	if (mfd < 0 || write(mfd, data, len) != (ssize_t)len)
		return fail("memfd");
	pf.fd = mfd;
	pf.token = TOKEN;
	if (ioctl(cs.fd, LIVEUPDATE_SESSION_PRESERVE_FD, &pf))
		return fail("preserve memfd");
	/* The session fd stays open: the session is serialized at reboot. */
	return do_kexec(kernel, cmdline);
}

static int session_exec(const char *kernel, const char *cmdline,
			const char *name, const char *nr)
{
	struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
	struct liveupdate_session_preserve_fd pf = { .size = sizeof(pf) };
	int luo, i, n = atoi(nr);

	luo = open("/dev/liveupdate", O_RDWR);
	if (luo < 0)
		return fail("/dev/liveupdate");
	snprintf((char *)cs.name, sizeof(cs.name), "%s", name);
	if (ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs))
		return fail("create session");
	for (i = 0; i < n; i++) {
		pf.fd = memfd_create("luo-ci", 0);
		pf.token = TOKEN + i;
		if (pf.fd < 0)
			return fail("memfd");
		if (ioctl(cs.fd, LIVEUPDATE_SESSION_PRESERVE_FD, &pf))
			return fail("preserve memfd");
	}
	return do_kexec(kernel, cmdline);
}

static int memfd_in(const char *data)
{
	struct liveupdate_ioctl_retrieve_session rs = { .size = sizeof(rs) };
	struct liveupdate_session_retrieve_fd rf = { .size = sizeof(rf) };
	struct liveupdate_session_finish sf = { .size = sizeof(sf) };
	size_t len = strlen(data);
	char buf[4096];
	ssize_t n;
	int luo;

	luo = open("/dev/liveupdate", O_RDWR);
	if (luo < 0)
		return fail("/dev/liveupdate");
	snprintf((char *)rs.name, sizeof(rs.name), "%s", SESSION);
	if (ioctl(luo, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &rs))
		return fail("retrieve session");
	rf.token = TOKEN;
	if (ioctl(rs.fd, LIVEUPDATE_SESSION_RETRIEVE_FD, &rf))
		return fail("retrieve memfd");
	n = pread(rf.fd, buf, sizeof(buf), 0);
	if (n < 0)
		return fail("read memfd");
	if ((size_t)n != len || memcmp(buf, data, len)) {
		fprintf(stderr, "luo_kexec: memfd holds '%.*s', expected '%s'\n",
			(int)n, buf, data);
		return 1;
	}
	if (ioctl(rs.fd, LIVEUPDATE_SESSION_FINISH, &sf))
		return fail("finish session");
	printf("memfd content matches (%zu bytes)\n", len);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "exec") && argc == 4)
		return do_kexec(argv[2], argv[3]);
	if (!strcmp(cmd, "memfd-out") && argc == 5)
		return memfd_out(argv[2], argv[3], argv[4]);
	if (!strcmp(cmd, "session-exec") && argc == 6)
		return session_exec(argv[2], argv[3], argv[4], argv[5]);
	if (!strcmp(cmd, "memfd-in") && argc == 3)
		return memfd_in(argv[2]);
	if (!strcmp(cmd, "end") && argc == 2) {
		sync();
		reboot(RB_AUTOBOOT);
		return fail("reboot(RB_AUTOBOOT)");
	}
	fprintf(stderr, "usage: luo_kexec exec KERNEL CMDLINE | memfd-out KERNEL CMDLINE DATA |\n"
		"                 session-exec KERNEL CMDLINE NAME N | memfd-in DATA | end\n");
	return 2;
}
