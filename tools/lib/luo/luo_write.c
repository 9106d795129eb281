// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libluo: the single place that writes to LUO control files.
 *
 * Kept in its own object on purpose: a statically linked test program can
 * provide its own luo_write_attr() to emulate kernel errors (EBUSY, EPERM
 * from a participant, ...) that a fake sysfs tree of regular files cannot
 * produce.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
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
