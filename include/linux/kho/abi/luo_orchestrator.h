/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DOC: Live Update Orchestrator state handover ABI
 *
 * The orchestrator hands its state to the next kernel in a KHO subtree named
 * %LUO_ORCH_KHO_ENTRY_NAME holding one &struct luo_orch_ser. The old kernel
 * allocates and preserves the block at boot and fills it in on the kexec
 * path; the next kernel reads it in an early initcall.
 *
 * Versioning: @compatible names the ABI family and never changes. The
 * header, @compatible to @state (%LUO_ORCH_SER_HEADER_LEN bytes), is the
 * same in every version. Only a ``prepared`` block must be compatible: a
 * new kernel then accepts an older or equal @minor of its own @major, whose
 * block may be shorter, and refuses (panics on) any other @major or a newer
 * @minor, because it cannot know what the old kernel promised. A block that
 * is not ``prepared`` (a plain kexec) is never refused. Fields are only ever
 * appended, with a minor bump; a layout change needs a major bump.
 *
 * Advisory fields, which promise the next kernel nothing (the blackout
 * diagnostics from @stamp_tsc on), are appended without a minor bump: a
 * reader finds them by the block's length, and reads them as 0 when the
 * block is shorter. So a live update back to a kernel that does not know
 * them (a rollback) still boots: it ignores the tail.
 *
 * History: 1.0 ends at @reboot_start_real_ns (72 bytes, the advisory tail
 * may follow). 1.1 appends @blobs_phys, @blobs_len and @nr_blobs after the
 * advisory tail, which a 1.1 block therefore always carries.
 */
#ifndef _LINUX_KHO_ABI_LUO_ORCHESTRATOR_H
#define _LINUX_KHO_ABI_LUO_ORCHESTRATOR_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

#define LUO_ORCH_KHO_ENTRY_NAME		"luo-orchestrator"
#define LUO_ORCH_COMPATIBLE		"luo-orchestrator"
#define LUO_ORCH_COMPAT_LEN		32
#define LUO_ORCH_ABI_MAJOR		1
#define LUO_ORCH_ABI_MINOR		1

/* compatible, major, minor and state: fixed in every version. */
#define LUO_ORCH_SER_HEADER_LEN		(LUO_ORCH_COMPAT_LEN + 8)

/* Values of &luo_orch_ser.state */
#define LUO_ORCH_SER_NORMAL		0
#define LUO_ORCH_SER_PREPARED		1

/* Points of the old kernel's kexec path, indexes of &luo_orch_ser.stamp_tsc */
#define LUO_ORCH_STAMP_REBOOT_END	0	/* every REBOOT callback returned */
#define LUO_ORCH_STAMP_SESSIONS		1	/* mainline's sessions serialized */
#define LUO_ORCH_STAMP_SHUTDOWN		2	/* reboot notifiers, devices shut down */
#define LUO_ORCH_STAMP_JUMP		3	/* the last point before the jump */
#define LUO_ORCH_STAMP_NR		4

#define LUO_ORCH_SER_TIMINGS		64
#define LUO_ORCH_SER_NAME_LEN		32

/**
 * struct luo_orch_ser_timing - One participant's REBOOT, handed over.
 * @name:        Participant name, NUL padded.
 * @priority:    Its priority.
 * @kind:        0 native, 1 BPF.
 * @ret:         What its REBOOT returned (0: it succeeded).
 * @reserved:    Zero.
 * @duration_ns: How long its REBOOT took.
 */
struct luo_orch_ser_timing {
	char name[LUO_ORCH_SER_NAME_LEN];
	u32 priority;
	u32 kind;
	s32 ret;
	u32 reserved;
	u64 duration_ns;
} __packed;

/*
 * The state BPF instances preserve (bpf_liveupdate_preserve()): one
 * preserved area per live update, a packed run of &struct luo_orch_ser_blob
 * entries, each starting 8-byte aligned.
 */
#define LUO_ORCH_BLOBS_SIZE		65536	/* the area (64 KiB), headers included */
#define LUO_ORCH_BLOB_MAX		4096		/* data of one instance */

/**
 * struct luo_orch_ser_blob - One BPF instance's preserved state.
 * @name:     Instance name, NUL padded; non-empty, unique in the area.
 * @len:      Bytes of @data: a multiple of 8, at most %LUO_ORCH_BLOB_MAX.
 * @reserved: Zero.
 * @data:     The state, opaque to the orchestrator.
 */
struct luo_orch_ser_blob {
	char name[LUO_ORCH_SER_NAME_LEN];
	u32 len;
	u32 reserved;
	u8 data[];
} __packed;

/**
 * struct luo_orch_ser - Orchestrator state handed across kexec.
 * @compatible:        %LUO_ORCH_COMPATIBLE, NUL padded.
 * @major:             %LUO_ORCH_ABI_MAJOR of the old kernel.
 * @minor:             %LUO_ORCH_ABI_MINOR of the old kernel.
 * @state:             %LUO_ORCH_SER_PREPARED when the kexec is a live update
 *                     (every REBOOT callback succeeded); the next kernel then
 *                     boots in the ``updated`` state. Otherwise
 *                     %LUO_ORCH_SER_NORMAL.
 * @sequence:          Live update sequence number the next kernel takes.
 * @reboot_start_tsc:  TSC value when REBOOT dispatch started, 0 if unknown.
 * @tsc_khz:           TSC frequency of the old kernel, 0 if no usable TSC.
 * @reboot_start_real_ns: CLOCK_REALTIME at REBOOT start, the fallback clock
 *                     for the blackout when there is no TSC.
 * @stamp_tsc:         (advisory) TSC values at the %LUO_ORCH_STAMP_* points of
 *                     the kexec path after REBOOT start, 0 where not reached.
 * @nr_timings:        (advisory) Entries of @timings in use.
 * @nr_reboot:         (advisory) Participants that ran REBOOT; more than
 *                     @nr_timings when they did not all fit.
 * @timings:           (advisory) Their REBOOT durations, in call order.
 * @blobs_phys:        (1.1) Physical address of the blob area, allocated with
 *                     kho_alloc_preserve(%LUO_ORCH_BLOBS_SIZE); 0 if none.
 *                     The next kernel frees it whether or not it reads it.
 * @blobs_len:         (1.1) Bytes of the area in use.
 * @nr_blobs:          (1.1) Entries in it.
 */
struct luo_orch_ser {
	char compatible[LUO_ORCH_COMPAT_LEN];
	u16 major;
	u16 minor;
	u32 state;
	u64 sequence;
	u64 reboot_start_tsc;
	u64 tsc_khz;
	u64 reboot_start_real_ns;
	u64 stamp_tsc[LUO_ORCH_STAMP_NR];
	u32 nr_timings;
	u32 nr_reboot;
	struct luo_orch_ser_timing timings[LUO_ORCH_SER_TIMINGS];
	u64 blobs_phys;
	u32 blobs_len;
	u32 nr_blobs;
} __packed;

static_assert(offsetofend(struct luo_orch_ser, state) == LUO_ORCH_SER_HEADER_LEN);
/* The block is one preserved page. */
static_assert(sizeof(struct luo_orch_ser) <= 4096);

#endif /* _LINUX_KHO_ABI_LUO_ORCHESTRATOR_H */
