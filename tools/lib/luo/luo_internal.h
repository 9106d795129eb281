/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* libluo internals, not installed. */
#ifndef __LUO_INTERNAL_H
#define __LUO_INTERNAL_H

#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include "luo.h"

#define LUO_MSG_MAX 1024
/* one last_failure line, as read from sysfs */
#define LUO_FAILURE_LINE_MAX (LUO_REASON_MAX + 2 * LUO_NAME_MAX + 128)

struct luo_ctx {
	char *sysfs_root;
	char *debugfs_root;
	char *bpffs_dir;
	char *tracefs_root;
	char msg[LUO_MSG_MAX];
	enum luo_cause cause;		/* of the last failure */
	struct luo_failure cause_f;	/* for PARTICIPANT and POLICY */
	char *bpf_log;			/* verifier log of the last load */
	void *bpf_open_opts;		/* struct bpf_object_open_opts */
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Store a message and return @err (a negative errno); clears the cause. */
int luo_err(struct luo_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void luo_ok(struct luo_ctx *ctx);
/* Set the cause of the failure just reported with luo_err(); @f is the
 * record for PARTICIPANT and POLICY, NULL otherwise. */
void luo_set_cause(struct luo_ctx *ctx, enum luo_cause cause,
		   const struct luo_failure *f);

/* The raw last_failure line ("" if unreadable), taken before a step so
 * that luo_failure_fresh() can tell a record of that step from an old one. */
void luo_failure_snapshot(struct luo_ctx *ctx, char *buf, size_t sz);
/* Did the step that failed with @err write last_failure? True (and *f
 * filled) when the record is of @event (any if LUO_EVENT_UNKNOWN) and
 * @err and differs from @snap; a record without time_ns (older kernels)
 * cannot be told from an old one and is trusted. Sets no message. */
bool luo_failure_fresh(struct luo_ctx *ctx, const char *snap,
		       enum luo_event event, int err, struct luo_failure *f);
/* "Permission denied (EPERM)" */
const char *luo_strerr(int err, char *buf, size_t sz);

/* Build "<dir>/<name>"; -ENAMETOOLONG on overflow. */
int luo_path(struct luo_ctx *ctx, char *buf, size_t sz, const char *dir,
	     const char *name);
/* Read a whole (small) file into buf, NUL terminated. Returns the length
 * or -errno with a message naming the file. */
int luo_read_file(struct luo_ctx *ctx, const char *path, char *buf, size_t sz);
int luo_read_attr(struct luo_ctx *ctx, const char *dir, const char *name,
		  char *buf, size_t sz);
/* Read a file and return a malloc()ed NUL-terminated buffer. */
int luo_read_file_alloc(struct luo_ctx *ctx, const char *path, char **out);
/* Write @val to an attribute file; returns 0 or -errno, no message. */
int luo_write_attr(const char *path, const char *val);
/* reboot(LINUX_REBOOT_CMD_KEXEC); returns only on failure, with -errno. */
int luo_reboot_kexec(void);
/*
 * Extensible structs (see luo.h): every public struct starts with size_t sz.
 * luo_copy_out() copies the library's @src (@src_sz bytes) into the
 * caller's @dst of @dst_sz bytes: at most @dst_sz bytes, the rest zeroed,
 * dst->sz set to the bytes filled. luo_copy_in() reads the caller's @src
 * (src->sz bytes) into the library's @dst of @dst_sz bytes, zeroing what
 * the caller did not have. Both need sizes of at least sizeof(size_t).
 */
void luo_copy_out(void *dst, size_t dst_sz, const void *src, size_t src_sz);
void luo_copy_in(void *dst, size_t dst_sz, const void *src);
/* The .sz of the public struct at @s. */
size_t luo_struct_sz(const void *s);
/* Hand out @n library-sized elements of @lib_esz bytes (@arr, malloc()ed,
 * each with .sz set) as an array of the caller's @elem_sz: @arr itself if
 * the sizes match, otherwise a converted copy and @arr is freed.
 */
int luo_array_out(struct luo_ctx *ctx, void *arr, size_t n, size_t lib_esz,
		  size_t elem_sz, void **out);
/* -EINVAL with a message when @elem_sz cannot be an element size. */
int luo_check_elem_sz(struct luo_ctx *ctx, size_t elem_sz, const char *type);
/* luo_parse_failure() into the library's own struct (sets f->sz). */
int luo_parse_failure_lib(const char *line, struct luo_failure *f);

/* One trace_pipe line into @ev: 1 an event, 0 nothing to report,
 * -EPROTO a liveupdate line that does not parse. */
struct luo_watch;
int luo_watch_parse(struct luo_watch *w, const char *line,
		    struct luo_watch_event *ev);
/* -EOPNOTSUPP: libluo was built without libbpf. */
int luo_no_libbpf(struct luo_ctx *ctx);
/* <bpffs_dir>-aux/<name>: where an instance's maps are pinned. */
int luo_bpf_aux_dir(struct luo_ctx *ctx, const char *name, char *buf,
		    size_t sz);
/* The ops' "name" member as set in the object, "" if none (luo_bpf_fields.c). */
void luo_bpf_name_member(struct bpf_object *obj, struct bpf_map *ops,
			 char *buf, size_t sz);
/* Remove <bpffs_dir>-aux/<name> and every map pinned in it. */
void luo_bpf_remove_aux(struct luo_ctx *ctx, const char *name);
/* Parse a decimal u64 (surrounding whitespace allowed). */
int luo_parse_u64(const char *s, uint64_t *v);
/* Strip trailing whitespace in place. */
void luo_rstrip(char *s);

#endif
