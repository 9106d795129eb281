// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libluo: context, error reporting, small file helpers. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "luo_internal.h"

static char *dup_or_default(const char *s, const char *def)
{
	return strdup(s && *s ? s : def);
}

struct luo_ctx *luo_ctx_new(const struct luo_ctx_opts *opts)
{
	struct luo_ctx_opts o = { 0 };
	struct luo_ctx *ctx;

	if (opts) {
		size_t sz = opts->sz;

		if (sz < sizeof(size_t)) {
			errno = EINVAL;
			return NULL;
		}
		/* newer callers: any unknown trailing field must be zero */
		if (sz > sizeof(o)) {
			const unsigned char *p = (const unsigned char *)opts;

			for (size_t i = sizeof(o); i < sz; i++) {
				if (p[i]) {
					errno = EINVAL;
					return NULL;
				}
			}
			sz = sizeof(o);
		}
		memcpy(&o, opts, sz);
	}

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->sysfs_root = dup_or_default(o.sysfs_root, LUO_DEFAULT_SYSFS_ROOT);
	ctx->debugfs_root = dup_or_default(o.debugfs_root, LUO_DEFAULT_DEBUGFS_ROOT);
	ctx->bpffs_dir = dup_or_default(o.bpffs_dir, LUO_DEFAULT_BPFFS_DIR);
	ctx->tracefs_root = dup_or_default(o.tracefs_root,
					   LUO_DEFAULT_TRACEFS_ROOT);
	if (!ctx->sysfs_root || !ctx->debugfs_root || !ctx->bpffs_dir ||
	    !ctx->tracefs_root) {
		luo_ctx_free(ctx);
		errno = ENOMEM;
		return NULL;
	}
	return ctx;
}

void luo_ctx_free(struct luo_ctx *ctx)
{
	if (!ctx)
		return;
	free(ctx->sysfs_root);
	free(ctx->debugfs_root);
	free(ctx->bpffs_dir);
	free(ctx->tracefs_root);
	free(ctx->bpf_log);
	free(ctx->bpf_open_opts);
	free(ctx);
}

const char *luo_errmsg(const struct luo_ctx *ctx)
{
	return ctx ? ctx->msg : "no context";
}

const char *luo_sysfs_root(const struct luo_ctx *ctx) { return ctx->sysfs_root; }
const char *luo_debugfs_root(const struct luo_ctx *ctx) { return ctx->debugfs_root; }
const char *luo_bpffs_dir(const struct luo_ctx *ctx) { return ctx->bpffs_dir; }

int luo_err(struct luo_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
	va_end(ap);
	ctx->cause = LUO_CAUSE_NONE;
	return err;
}

void luo_ok(struct luo_ctx *ctx)
{
	ctx->msg[0] = '\0';
	ctx->cause = LUO_CAUSE_NONE;
}

void luo_set_cause(struct luo_ctx *ctx, enum luo_cause cause,
		   const struct luo_failure *f)
{
	ctx->cause = cause;
	if (f)
		ctx->cause_f = *f;
	else
		memset(&ctx->cause_f, 0, sizeof(ctx->cause_f));
}

enum luo_cause luo_error_cause(const struct luo_ctx *ctx, struct luo_failure *f)
{
	bool rec = ctx->cause == LUO_CAUSE_PARTICIPANT ||
		   ctx->cause == LUO_CAUSE_POLICY;
	struct luo_failure none = { .sz = sizeof(none) };

	if (f && luo_struct_sz(f) >= sizeof(size_t)) {
		none.event = LUO_EVENT_UNKNOWN;
		luo_copy_out(f, luo_struct_sz(f), rec ? &ctx->cause_f : &none,
			     sizeof(none));
	}
	return ctx->cause;
}

/* ---------------------------------------------------------------- */
/* extensible structs                                               */

size_t luo_struct_sz(const void *s)
{
	size_t sz;

	memcpy(&sz, s, sizeof(sz));
	return sz;
}

void luo_copy_out(void *dst, size_t dst_sz, const void *src, size_t src_sz)
{
	size_t n = dst_sz < src_sz ? dst_sz : src_sz;

	memcpy(dst, src, n);
	if (dst_sz > n)
		memset((char *)dst + n, 0, dst_sz - n);
	memcpy(dst, &n, sizeof(n));
}

void luo_copy_in(void *dst, size_t dst_sz, const void *src)
{
	size_t n = luo_struct_sz(src);

	if (n > dst_sz)
		n = dst_sz;
	memset(dst, 0, dst_sz);
	memcpy(dst, src, n);
	memcpy(dst, &dst_sz, sizeof(dst_sz));
}

int luo_check_elem_sz(struct luo_ctx *ctx, size_t elem_sz, const char *type)
{
	if (elem_sz < sizeof(size_t))
		return luo_err(ctx, -EINVAL, "invalid element size %zu for "
			       "struct %s: pass sizeof(struct %s)", elem_sz,
			       type, type);
	return 0;
}

int luo_array_out(struct luo_ctx *ctx, void *arr, size_t n, size_t lib_esz,
		  size_t elem_sz, void **out)
{
	char *conv;

	if (elem_sz == lib_esz || !n) {
		*out = n ? arr : NULL;
		if (!n)
			free(arr);
		return 0;
	}
	conv = calloc(n, elem_sz);
	if (!conv) {
		free(arr);
		return luo_err(ctx, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		luo_copy_out(conv + i * elem_sz, elem_sz,
			     (char *)arr + i * lib_esz, lib_esz);
	free(arr);
	*out = conv;
	return 0;
}

#define E(x) { x, #x }
static const struct {
	int err;
	const char *name;
} errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(ENODATA), E(ETIME),
	E(EPROTO), E(EBADMSG), E(EOVERFLOW), E(EILSEQ), E(EUSERS),
	E(EOPNOTSUPP), E(EADDRINUSE), E(ENETDOWN), E(ECONNRESET),
	E(ENOBUFS), E(ETIMEDOUT), E(ECONNREFUSED), E(EALREADY),
	E(EINPROGRESS), E(ESTALE), E(EDQUOT), E(ECANCELED), E(ENOKEY),
	E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD),
	E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
};
#undef E

const char *luo_errno_name(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	/* kernel-internal codes that can leak through sysfs */
	switch (err) {
	case 512: return "ERESTARTSYS";
	case 524: return "ENOTSUPP";
	}
	return NULL;
}

const char *luo_strerr(int err, char *buf, size_t sz)
{
	const char *name = luo_errno_name(err);

	if (err < 0)
		err = -err;
	if (name && err < 512)
		snprintf(buf, sz, "%s (%s)", strerror(err), name);
	else if (name)
		snprintf(buf, sz, "%s", name);
	else
		snprintf(buf, sz, "error %d", err);
	return buf;
}

int luo_path(struct luo_ctx *ctx, char *buf, size_t sz, const char *dir,
	     const char *name)
{
	int n = snprintf(buf, sz, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= sz)
		return luo_err(ctx, -ENAMETOOLONG, "path too long: %s/%s",
			       dir, name);
	return 0;
}

int luo_read_file(struct luo_ctx *ctx, const char *path, char *buf, size_t sz)
{
	char eb[96];
	size_t len = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		return luo_err(ctx, err, "cannot open %s: %s", path,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	while (len < sz - 1) {
		ssize_t n = read(fd, buf + len, sz - 1 - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			close(fd);
			return luo_err(ctx, err, "cannot read %s: %s", path,
				       luo_strerr(err, eb, sizeof(eb)));
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return (int)len;
}

int luo_read_file_alloc(struct luo_ctx *ctx, const char *path, char **out)
{
	size_t cap = 4096, len = 0;
	char eb[96], *buf, *nb;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		return luo_err(ctx, err, "cannot open %s: %s", path,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return luo_err(ctx, -ENOMEM, "out of memory");
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			if (cap >= (16u << 20)) {
				err = luo_err(ctx, -EFBIG, "%s is too large", path);
				goto fail;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				err = luo_err(ctx, -ENOMEM, "out of memory");
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			luo_err(ctx, err, "cannot read %s: %s", path,
				luo_strerr(err, eb, sizeof(eb)));
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return (int)len;
fail:
	close(fd);
	free(buf);
	return err;
}

int luo_parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno)
		return -errno;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EINVAL;
	*v = x;
	return 0;
}

void luo_rstrip(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}
