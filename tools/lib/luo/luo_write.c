// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libluo: the only places that change kernel state: writes to LUO control
 * files and the kexec reboot.
 *
 * Kept in their own object on purpose: a statically linked test program
 * provides its own luo_write_attr() and luo_reboot_kexec() (both, or the
 * link fails) to emulate kernel errors (EBUSY, EPERM from a participant,
 * a vetoed REBOOT, ...) that a fake sysfs tree of regular files cannot
 * produce, and so that a test can never reboot the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "luo_internal.h"

int luo_write_attr(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	else
		err = 0;
	if (close(fd) && !err && errno != EINTR)
		err = -errno;
	return err;
}

int luo_reboot_kexec(void)
{
	if (reboot(LINUX_REBOOT_CMD_KEXEC) == 0)
		return 0;	/* not reached on success */
	return -errno;
}
