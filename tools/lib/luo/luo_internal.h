/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* libluo internals, not installed. */
#ifndef __LUO_INTERNAL_H
#define __LUO_INTERNAL_H

#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include "luo.h"

#define LUO_MSG_MAX 1024

struct luo_ctx {
	char *sysfs_root;
	char *debugfs_root;
	char *bpffs_dir;
	char msg[LUO_MSG_MAX];
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Store a message and return @err (a negative errno). */
int luo_err(struct luo_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void luo_ok(struct luo_ctx *ctx);
/* "Permission denied (EPERM)" */
const char *luo_strerr(int err, char *buf, size_t sz);

/* Build "<dir>/<name>"; -ENAMETOOLONG on overflow. */
int luo_path(struct luo_ctx *ctx, char *buf, size_t sz, const char *dir,
	     const char *name);
/* Read a whole (small) file into buf, NUL terminated. Returns the length
 * or -errno with a message naming the file. */
int luo_read_file(struct luo_ctx *ctx, const char *path, char *buf, size_t sz);
/* Read a file and return a malloc()ed NUL-terminated buffer. */
int luo_read_file_alloc(struct luo_ctx *ctx, const char *path, char **out);
/* Write @val to an attribute file; returns 0 or -errno, no message. */
int luo_write_attr(const char *path, const char *val);
/* Parse a decimal u64 (surrounding whitespace allowed). */
int luo_parse_u64(const char *s, uint64_t *v);
/* Strip trailing whitespace in place. */
void luo_rstrip(char *s);

#endif
