/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libluo - userspace library for the Live Update Orchestrator (LUO)
 *
 * Talks to the kernel through /sys/kernel/liveupdate/ (state machine,
 * failure record, participants), /sys/kernel/debug/liveupdate/ (timings),
 * kexec_file_load(2) + reboot(2) (the actual update) and, optionally,
 * BPF struct_ops policies pinned in bpffs.
 *
 * Conventions:
 *   - every function taking a ctx returns 0 on success or a negative errno;
 *   - on failure a human readable message is stored in the ctx and can be
 *     retrieved with luo_errmsg() until the next call on the same ctx;
 *   - the library never prints anything and keeps no global state; a ctx
 *     must not be used concurrently from several threads.
 *
 * Extensible structs (libbpf's opts convention): every public struct
 * starts with "size_t sz", the size of the struct as the caller's code
 * was compiled with, i.e. sizeof(). Fields are only ever appended, so a
 * program built against an older luo.h (smaller structs) keeps working
 * with a newer library, and the other way round:
 *   - structs passed in (struct luo_ctx_opts): zero-initialise and set
 *     .sz; trailing bytes the library does not know must be zero;
 *   - structs the library fills (struct luo_failure): set .sz before the
 *     call, e.g. struct luo_failure f = { .sz = sizeof(f) }. The library
 *     writes at most .sz bytes, zeroes the fields it does not know, and
 *     sets .sz to the number of bytes it filled. A .sz smaller than
 *     sizeof(size_t) is refused with -EINVAL;
 *   - arrays the library allocates take the caller's element size
 *     (elem_sz, pass sizeof(**out)) and use it as the stride, so out[i]
 *     works with the caller's struct; each element's .sz is the number of
 *     bytes filled;
 *   - a struct passed to a callback has .sz set to the library's size.
 * LUO_HAS_FIELD(s, field) tells whether @field of *@s was filled.
 */
#ifndef __LIBLUO_H
#define __LIBLUO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LUO_API __attribute__((visibility("default")))

/* Version of this header; the library's soname is libluo.so.MAJOR. */
#define LIBLUO_MAJOR_VERSION	0
#define LIBLUO_MINOR_VERSION	4
#define LIBLUO_PATCH_VERSION	0

/* Was @field of the struct at @s (which starts with size_t sz) filled? */
#define LUO_HAS_FIELD(s, field)						\
	(offsetof(__typeof__(*(s)), field) + sizeof((s)->field) <= (s)->sz)

#define LUO_DEFAULT_SYSFS_ROOT		"/sys/kernel/liveupdate"
#define LUO_DEFAULT_DEBUGFS_ROOT	"/sys/kernel/debug/liveupdate"
#define LUO_DEFAULT_BPFFS_DIR		"/sys/fs/bpf/luo"
#define LUO_DEFAULT_TRACEFS_ROOT	"/sys/kernel/tracing"

#define LUO_NAME_MAX	128
#define LUO_REASON_MAX	512

struct luo_ctx;

/*
 * Options for luo_ctx_new(). Always zero-initialise and set .sz, e.g.
 *   struct luo_ctx_opts opts = { .sz = sizeof(opts), .sysfs_root = dir };
 * Unset (NULL) paths use the defaults above. Fields may be appended in
 * later versions; older callers passing a smaller .sz keep working.
 */
struct luo_ctx_opts {
	size_t sz;
	const char *sysfs_root;
	const char *debugfs_root;
	const char *bpffs_dir;
	const char *tracefs_root;	/* since 0.2 */
};

/* Returns NULL and sets errno on failure (EINVAL, ENOMEM). */
LUO_API struct luo_ctx *luo_ctx_new(const struct luo_ctx_opts *opts);
LUO_API void luo_ctx_free(struct luo_ctx *ctx);
/* Message describing the last failure; "" if the last call succeeded. */
LUO_API const char *luo_errmsg(const struct luo_ctx *ctx);

LUO_API const char *luo_sysfs_root(const struct luo_ctx *ctx);
LUO_API const char *luo_debugfs_root(const struct luo_ctx *ctx);
LUO_API const char *luo_bpffs_dir(const struct luo_ctx *ctx);

/* Symbolic name of an errno value ("EPERM"), NULL if unknown. */
LUO_API const char *luo_errno_name(int err);

/* ------------------------------------------------------------------ */
/* State machine                                                      */

enum luo_state {
	LUO_STATE_UNKNOWN = -1,
	LUO_STATE_NORMAL = 0,
	LUO_STATE_PREPARED,
	LUO_STATE_UPDATED,
};

LUO_API const char *luo_state_str(enum luo_state state);
/* Parses "normal", "prepared", "updated" (trailing newline allowed). */
LUO_API enum luo_state luo_state_from_str(const char *s);

LUO_API int luo_get_state(struct luo_ctx *ctx, enum luo_state *state);

/*
 * Wait until the state differs from @old. On success the new state is
 * stored in *new_state. @timeout_ms < 0 waits forever, 0 only checks.
 * Returns -ETIMEDOUT when nothing changed in time, -EINTR on a signal.
 */
LUO_API int luo_wait_state_change(struct luo_ctx *ctx, enum luo_state old,
				  enum luo_state *new_state, int timeout_ms);

/* Transitions. Errors: -EBUSY (wrong state), -EOPNOTSUPP (disabled),
 * -EINVAL, -EINTR, or whatever a participant/policy returned. */
LUO_API int luo_prepare(struct luo_ctx *ctx);	/* normal   -> prepared */
LUO_API int luo_cancel(struct luo_ctx *ctx);	/* prepared -> normal   */
LUO_API int luo_finish(struct luo_ctx *ctx);	/* updated  -> normal   */
LUO_API int luo_reset(struct luo_ctx *ctx);	/* any      -> normal   */
/*
 * The preflight, in normal: ask the policies whether PREPARE would be
 * allowed (the kernel's check file). No handler runs and the state does not
 * change; a veto fails like a refused prepare (luo_error_cause() POLICY).
 * -EOPNOTSUPP on a kernel without check.
 */
LUO_API int luo_check(struct luo_ctx *ctx);

/* ------------------------------------------------------------------ */
/* Information                                                        */

LUO_API int luo_get_enabled(struct luo_ctx *ctx, bool *enabled);
LUO_API int luo_get_sequence(struct luo_ctx *ctx, uint64_t *seq);
/* -ENOENT if the kernel does not export last_blackout_ns ("unknown"). */
LUO_API int luo_get_blackout_ns(struct luo_ctx *ctx, uint64_t *ns);

/*
 * The prepare lease (sysfs prepare_lease_ms), since 0.4: every prepare arms
 * a deadline of that many milliseconds, 0 for none (the default); when it
 * passes with the state still prepared (no kexec), the kernel cancels by
 * itself (last_failure: participant "lease", -ETIMEDOUT). The setting stays
 * until changed. Setting it while prepared re-arms the deadline from now
 * (how an agent renews its lease), 0 disarms it.
 * get: -ENOENT on a kernel without the lease.
 * set: -EINVAL above LUO_PREPARE_LEASE_MAX_MS (nothing written), -EPERM
 * without CAP_SYS_BOOT, -EBUSY during the kexec of a live update,
 * -EOPNOTSUPP when live update is disabled, -ENOENT without the lease.
 */
#define LUO_PREPARE_LEASE_MAX_MS	86400000U	/* 24 h */
LUO_API int luo_get_prepare_lease(struct luo_ctx *ctx, uint32_t *ms);
LUO_API int luo_set_prepare_lease(struct luo_ctx *ctx, uint32_t ms);

enum luo_event {
	LUO_EVENT_UNKNOWN = -1,
	LUO_EVENT_PREPARE = 0,
	LUO_EVENT_REBOOT,
	LUO_EVENT_FINISH,
	LUO_EVENT_CANCEL,
};

LUO_API const char *luo_event_str(enum luo_event ev);
LUO_API enum luo_event luo_event_from_str(const char *s);

struct luo_failure {
	size_t sz;			/* set by the caller, see above */
	bool present;			/* false: last_failure is "none" */
	enum luo_event event;
	char event_str[32];		/* as reported, even if unknown */
	char participant[LUO_NAME_MAX];
	int err;			/* negative errno, e.g. -EPERM */
	bool has_reason;
	char reason[LUO_REASON_MAX];
	bool by_policy;			/* a policy check vetoed (policy=) */
	/* since 0.2; has_time is false on kernels that do not report them */
	bool has_time;
	uint64_t sequence;		/* the live update it happened in */
	uint64_t time_ns;		/* when (CLOCK_REALTIME) */
};

/* f->sz must be set (see "Extensible structs" above). */
LUO_API int luo_get_last_failure(struct luo_ctx *ctx, struct luo_failure *f);

/*
 * Why the last call on @ctx failed, beyond its errno. A transition or
 * luo_update() that fails because a participant or a policy refused
 * (a last_failure record written by that very step, for that event and
 * errno) reports PARTICIPANT or POLICY and copies the record into *f
 * (if @f is not NULL; otherwise f->present is false). A transition
 * refused because the state does not allow it reports STATE. Anything
 * else, and success, report NONE: only the errno tells more (EPERM or
 * EACCES without a record: not allowed, CAP_SYS_BOOT is needed).
 * f->sz must be set; an @f with a .sz below sizeof(size_t) is left alone.
 */
enum luo_cause {
	LUO_CAUSE_NONE = 0,
	LUO_CAUSE_STATE,		/* wrong state for this transition */
	LUO_CAUSE_PARTICIPANT,		/* a participant failed the step */
	LUO_CAUSE_POLICY,		/* a BPF policy vetoed the step */
};

LUO_API enum luo_cause luo_error_cause(const struct luo_ctx *ctx,
				       struct luo_failure *f);
/* Parse one last_failure line (exposed for tools and tests); f->sz must
 * be set.
 */
LUO_API int luo_parse_failure(const char *line, struct luo_failure *f);
/* "refused by participant 'x': reason (EPERM)"-style text. Reads only the
 * f->sz bytes of *f, as filled by the library.
 */
LUO_API void luo_failure_describe(const struct luo_failure *f, char *buf,
				  size_t sz);

enum luo_kind {
	LUO_KIND_UNKNOWN = -1,
	LUO_KIND_NATIVE = 0,
	LUO_KIND_BPF,
};

LUO_API const char *luo_kind_str(enum luo_kind kind);

struct luo_participant {
	size_t sz;			/* bytes filled, see above */
	unsigned int priority;		/* 0..2, call order */
	enum luo_kind kind;
	char name[LUO_NAME_MAX];
};

/*
 * The kernel lists at most one page of participants; a longer listing
 * ends with "... N more". The listed ones are returned, and N in
 * *omitted (if not NULL; 0 for a complete listing).
 * *out is malloc()ed with a stride of @elem_sz (pass sizeof(**out)),
 * release with free(); NULL when *cnt is 0.
 */
LUO_API int luo_list_participants(struct luo_ctx *ctx,
				  struct luo_participant **out, size_t elem_sz,
				  size_t *cnt, size_t *omitted);
/* Same, without the count of omitted participants. */
LUO_API int luo_get_participants(struct luo_ctx *ctx,
				 struct luo_participant **out, size_t elem_sz,
				 size_t *cnt);
/* Callback variant, for the listed participants: a non-zero return from
 * @cb stops the walk and is returned as is. p->sz is the library's
 * sizeof(struct luo_participant): check LUO_HAS_FIELD() for new fields.
 */
typedef int (*luo_participant_cb)(const struct luo_participant *p, void *data);
LUO_API int luo_foreach_participant(struct luo_ctx *ctx, luo_participant_cb cb,
				    void *data);

struct luo_timing {
	size_t sz;			/* bytes filled, see above */
	char name[LUO_NAME_MAX];
	enum luo_kind kind;
	unsigned int priority;
	enum luo_event event;
	char event_str[32];
	int ret;			/* 0 or negative errno */
	uint64_t duration_ns;
};

/*
 * A BPF instance the kernel ejected for misbehaving (sysfs exits, the most
 * recent ones, oldest first): @kind "invalid-return" or "over-budget", in
 * @op, with the errno that failed the call and the kernel's message.
 */
struct luo_exit {
	size_t sz;			/* bytes filled, see above */
	char name[LUO_NAME_MAX];
	char kind[32];
	char op[32];
	int err;
	char msg[LUO_REASON_MAX];
};

/* Like luo_list_participants(); since 0.2. */
LUO_API int luo_get_exits(struct luo_ctx *ctx, struct luo_exit **out,
			  size_t elem_sz, size_t *cnt);

/*
 * One phase of the last blackout, as the kernel booted from it reports it
 * (sysfs blackout): @name "reboot", "orchestrator" (its own share of
 * reboot), "sessions", "shutdown", "kexec", "boot", "blackout" (their
 * sum), then "initcalls", "userspace" (to the start of init) and "finish"
 * after the blackout. Phases whose
 * ends were not stamped are left out.
 */
struct luo_phase {
	size_t sz;			/* bytes filled, see above */
	char name[32];
	uint64_t ns;
};

/* Like luo_list_participants(), in time order; *cnt is 0 when this kernel
 * did not boot from a live update, -ENOENT on a kernel without the file.
 * Since 0.3. */
LUO_API int luo_get_blackout_phases(struct luo_ctx *ctx, struct luo_phase **out,
				    size_t elem_sz, size_t *cnt);

/* Per-participant timings of the last update from debugfs.
 * -ENOENT if debugfs is not mounted / the file is absent.
 * *out is malloc()ed with a stride of @elem_sz (pass sizeof(**out)),
 * release with free(); NULL when *cnt is 0.
 */
LUO_API int luo_get_timings(struct luo_ctx *ctx, struct luo_timing **out,
			    size_t elem_sz, size_t *cnt);

/* ------------------------------------------------------------------ */
/* watch: what the orchestrator does, lossless                        */

enum luo_watch_kind {
	LUO_WATCH_TRANSITION,	/* @from -> @to; @detail: the cause */
	LUO_WATCH_VETO,		/* policy @name vetoed @event: @err, @detail */
	LUO_WATCH_FAILURE,	/* participant @name failed @event with @err;
				 * @detail: its kind */
	LUO_WATCH_ROLLBACK,	/* @event failed in @name (@err); @detail: how
				 * many were cancelled */
	LUO_WATCH_EJECT,	/* BPF instance @name ejected in op @event;
				 * @err, @detail: "<kind>: <message>" */
	LUO_WATCH_LOST,		/* the trace buffer overran: @err events lost */
};

struct luo_watch_event {
	size_t sz;			/* set by the caller, see above */
	enum luo_watch_kind kind;
	uint64_t sequence;		/* the live update it belongs to */
	uint64_t time_ns;		/* CLOCK_REALTIME, 0 if unknown */
	enum luo_state from, to;
	char event[32];
	char name[LUO_NAME_MAX];
	int err;
	char detail[LUO_REASON_MAX];
};

struct luo_watch;

/*
 * Start watching: a trace instance of this process's own under the tracefs
 * root (luo_ctx_opts.tracefs_root), with the liveupdate events on. Needs
 * root. Every transition, veto, participant failure, rollback and ejection
 * from then on is returned by luo_watch_next(), in order.
 */
LUO_API int luo_watch_open(struct luo_ctx *ctx, struct luo_watch **w);
/* The next event into *@ev (ev->sz set); -ETIMEDOUT after @timeout_ms
 * (< 0: wait forever), -EINTR on a signal. */
LUO_API int luo_watch_next(struct luo_watch *w, struct luo_watch_event *ev,
			   int timeout_ms);
/* Stop watching and remove the trace instance. */
LUO_API void luo_watch_close(struct luo_watch *w);
LUO_API const char *luo_watch_kind_str(enum luo_watch_kind kind);

/* ------------------------------------------------------------------ */
/* kexec + update                                                     */

enum luo_kexec_flags {
	/* use the running kernel's /proc/cmdline (cmdline must be NULL) */
	LUO_KEXEC_REUSE_CMDLINE	= 1U << 0,
	/* validate everything, but do not call kexec_file_load() */
	LUO_KEXEC_CHECK_ONLY	= 1U << 1,
};

/* Check that @path exists, is a readable regular file and looks like a
 * bootable kernel image (bzImage "HdrS" magic at 0x202). */
LUO_API int luo_kexec_check_image(struct luo_ctx *ctx, const char *path);

LUO_API int luo_kexec_load(struct luo_ctx *ctx, const char *kernel,
			   const char *initrd, const char *cmdline,
			   unsigned int flags);
/* 1 if a kexec image is loaded, 0 if not, -errno if unknown. */
LUO_API int luo_kexec_loaded(struct luo_ctx *ctx);
/* Unload the kexec kernel (none loaded is not an error). */
LUO_API int luo_kexec_unload(struct luo_ctx *ctx);

/*
 * The next kernel's command line, malloc()ed in *@out: @cmdline, or with
 * LUO_KEXEC_REUSE_CMDLINE the running kernel's /proc/cmdline without the
 * boot loader's BOOT_IMAGE= (as kexec-tools does), then @append (may be
 * NULL), which goes before a "--" (the words after it are init's). Words
 * are separated by single spaces.
 */
LUO_API int luo_kexec_cmdline(struct luo_ctx *ctx, const char *cmdline,
			      const char *append, unsigned int flags,
			      char **out);
/*
 * Would a kernel booted with @cmdline receive the live update? It needs
 * liveupdate= on (mainline's default is off) and KHO not turned off with
 * kho=. The last parsable occurrence of a parameter wins; words after "--"
 * go to init. When not, *@why (if not NULL) says why.
 */
LUO_API bool luo_cmdline_keeps_update(const char *cmdline, const char **why);

enum luo_update_flags {
	/* the preflight: a kernel is loaded, and in normal luo_check();
	 * runs no handler, changes nothing, never reboots */
	LUO_UPDATE_DRY_RUN	= 1U << 0,
};

/*
 * Prepare (unless already prepared), sync() and reboot into the loaded
 * kexec kernel. Only returns on failure (or for DRY_RUN).
 *
 * If the reboot fails, the state and last_failure are read again. When a
 * participant or policy failed REBOOT, the kernel has already cancelled
 * everyone and is back in 'normal': the message names who refused, and
 * luo_error_cause() returns PARTICIPANT or POLICY. When the state is
 * still 'prepared', a prepare done by this call is cancelled again. The
 * message always ends with the state as read afterwards.
 */
LUO_API int luo_update(struct luo_ctx *ctx, unsigned int flags);

/* ------------------------------------------------------------------ */
/* BPF struct_ops policies and participants (struct liveupdate_ops).  */
/* Without libbpf every call fails with -EOPNOTSUPP.                  */

struct luo_policy {
	size_t sz;			/* bytes filled, see above */
	char name[LUO_NAME_MAX];	/* pin name in bpffs_dir */
	uint32_t link_id;		/* 0 if unknown */
	uint32_t map_id;		/* struct_ops map id, 0 if unknown */
	/*
	 * Bytes of state the instance of that name carries across the kexec
	 * (bpf_liveupdate_preserve()), from the kernel's "blobs" list: what
	 * it claimed from the previous kernel, and what this live update
	 * hands to the next one; -1 for none. Since 0.4.
	 */
	int64_t restored;
	int64_t preserved;
};

/*
 * Longest instance name, in bytes. Names follow the kernel's rule for
 * instance names, without the dot that bpffs refuses: letters, digits and
 * '_' only, not empty. The pin in bpffs_dir and the name the kernel lists
 * the instance under are always the same.
 */
#define LUO_POLICY_NAME_LEN	31
/* 0, or -EINVAL with a message saying what breaks the rule. */
LUO_API int luo_bpf_check_name(struct luo_ctx *ctx, const char *name);

/*
 * The one loading path; luo_policy_attach() and every bundled loader use
 * it. Pins: the link of each instance at <bpffs_dir>/<name>; maps asked
 * for in the options at <bpffs_dir>-aux/<name>/<map> ("bss", "data" for
 * the globals, the map's name otherwise). luo_policy_detach() removes
 * them all.
 */
struct bpf_object;
struct bpf_map;
struct bpf_object_open_opts;

/* Options of luo_bpf_attach(): zero-initialise and set .sz. */
struct luo_bpf_attach_opts {
	size_t sz;
	/*
	 * Instance name. NULL: the ops' "name" member if set, else the map's
	 * name. With several struct_ops maps, instance i is "<name>_<map>".
	 * Written into the ops' "name" member before load.
	 */
	const char *name;
	/* maps of the object to pin beside the instance (ring buffers...) */
	struct bpf_map *const *aux_maps;
	size_t aux_cnt;
	/* pin the writable globals (.bss, .data) beside the instance */
	bool pin_globals;
	/*
	 * attach and detach at once, pin nothing: does the kernel accept it?
	 * Without @name the object's names are left for the kernel to judge.
	 */
	bool check_only;
};

/*
 * Options for bpf_object__open_file() or a skeleton's __open_opts() whose
 * kernel_log_buf is this ctx's log, so that BTF errors are kept too. Owned
 * by the ctx. NULL (errno set) on failure.
 */
LUO_API const struct bpf_object_open_opts *luo_bpf_open_opts(struct luo_ctx *ctx);

/*
 * Before load: set member @member of the struct_ops data of @ops (an int or
 * enum, or a char array), or the global variable @var (.data, .bss,
 * .rodata), by name, from the object's BTF. -ENOENT: no such member or
 * variable; -EINVAL: not of that kind; -ERANGE: @val does not fit.
 */
LUO_API int luo_bpf_set_field(struct luo_ctx *ctx, struct bpf_object *obj,
			      struct bpf_map *ops, const char *member,
			      long long val);
LUO_API int luo_bpf_set_field_str(struct luo_ctx *ctx, struct bpf_object *obj,
				  struct bpf_map *ops, const char *member,
				  const char *val);
LUO_API int luo_bpf_set_global(struct luo_ctx *ctx, struct bpf_object *obj,
			       const char *var, long long val);

/*
 * Load @obj (opened, not yet loaded) and attach every struct_ops map in it
 * through a link pinned in bpffs_dir, so that it stays attached after the
 * caller closes the object. Names, the link flag and free pin paths are
 * checked before anything is loaded; a failure afterwards detaches and
 * unpins all it did. The verifier's reason, if any, ends luo_errmsg().
 * @opts may be NULL.
 */
LUO_API int luo_bpf_attach(struct luo_ctx *ctx, struct bpf_object *obj,
			   const struct luo_bpf_attach_opts *opts);
/* The verifier's log of the last load through this ctx ("" if none). */
LUO_API const char *luo_bpf_log(const struct luo_ctx *ctx);
/* <bpffs_dir>-aux/<name>/<what>: where map @what of instance @name is pinned. */
LUO_API int luo_bpf_aux_path(struct luo_ctx *ctx, const char *name,
			     const char *what, char *buf, size_t sz);

/*
 * Open @obj_path and luo_bpf_attach() it as @name (may be NULL). Every
 * name breaking the rule above fails with -EINVAL before anything is
 * loaded.
 */
LUO_API int luo_policy_attach(struct luo_ctx *ctx, const char *obj_path,
			      const char *name);
/* Detach instance @name and remove its pin and its maps' pins. */
LUO_API int luo_policy_detach(struct luo_ctx *ctx, const char *name);
/* *out is malloc()ed with a stride of @elem_sz (pass sizeof(**out)),
 * release with free(); NULL when *cnt is 0.
 */
LUO_API int luo_policy_list(struct luo_ctx *ctx, struct luo_policy **out,
			    size_t elem_sz, size_t *cnt);
LUO_API bool luo_policy_supported(void);

#ifdef __cplusplus
}
#endif

#endif /* __LIBLUO_H */
