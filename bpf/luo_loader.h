/* SPDX-License-Identifier: GPL-2.0 */
/*
 * luo_loader.h - what every liveupdate_ops loader does: catch libbpf's
 * messages, attach a struct_ops map through a link, pin the link under
 * /sys/fs/bpf/luo so it outlives the loader, and detach by name.
 */
#ifndef __LUO_LOADER_H
#define __LUO_LOADER_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_map;
struct bpf_link;

#define LUO_LD_PIN_DIR		"/sys/fs/bpf/luo"
#define LUO_LD_NAME_LEN		32	/* LIVEUPDATE_OPS_NAME_LEN */

/*
 * Route libbpf's warnings (verifier log included) into a buffer, echoing
 * them to stderr as well when verbose. luo_ld_errors() returns them.
 */
void luo_ld_capture_libbpf(bool verbose);
const char *luo_ld_errors(void);
void luo_ld_clear_errors(void);
/* "prog: error: what: strerror" then the captured libbpf text, on stderr */
void luo_ld_report(const char *prog, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* a valid name: non-empty, < LUO_LD_NAME_LEN, no '/', not "." or ".." */
bool luo_ld_valid_name(const char *name);

/* mkdir -p */
int luo_ld_mkdir_p(const char *dir);

/*
 * Attach a link based struct_ops map and pin the link at dir/name (dir is
 * created). On success the returned link is already disconnected: the pin
 * keeps the instance attached after bpf_link__destroy() and process exit.
 * On failure NULL is returned, errno set, and nothing stays attached or
 * pinned.
 */
struct bpf_link *luo_ld_attach_pin(struct bpf_map *ops, const char *dir,
				   const char *name);

/* pin path of an auxiliary object of instance name: dir/.name.what */
int luo_ld_aux_path(char *buf, size_t sz, const char *dir, const char *name,
		    const char *what);

/*
 * Detach the instance pinned at dir/name and remove the pin, and the
 * auxiliary pins dir/.name.* next to it. 0, or -errno.
 */
int luo_ld_detach(const char *dir, const char *name);

/*
 * Set a data member of a struct_ops map before load, by name, using the
 * object's BTF: "name" (string, NUL padded), "priority", "timeout_ms",
 * "flags", ... For integers, val is a long long converted to the member's
 * size. 0 or -errno (-ENOENT: no such member, -EINVAL: wrong kind).
 */
struct bpf_object;
int luo_ld_ops_set_str(struct bpf_object *obj, struct bpf_map *ops,
		       const char *member, const char *val);
int luo_ld_ops_set_int(struct bpf_object *obj, struct bpf_map *ops,
		       const char *member, long long val);

/*
 * Set a global variable of .bss/.data/.rodata (any internal map) before
 * load, by name. 0 or -errno.
 */
int luo_ld_global_set_int(struct bpf_object *obj, const char *var,
			  long long val);

/* CLOCK_BOOTTIME now, in ns: the clock of bpf_ktime_get_boot_ns() */
unsigned long long luo_ld_boot_ns(void);

#endif
