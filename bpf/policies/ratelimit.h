/* SPDX-License-Identifier: GPL-2.0 */
/* shared by ratelimit.bpf.c and its loader */
#ifndef __LUO_RATELIMIT_H
#define __LUO_RATELIMIT_H

#define RATELIMIT_MAX		16	/* updates remembered; a power of two */
#define RATELIMIT_VERSION	1

/*
 * The history handed from kernel to kernel with bpf_liveupdate_preserve():
 * when (CLOCK_TAI ns) each of the last @nr live updates ran its REBOOT.
 */
struct luo_ratelimit_history {
	__u64 version;
	__u64 nr;
	__u64 when[RATELIMIT_MAX];	/* oldest first */
};

#endif
