// SPDX-License-Identifier: GPL-2.0
/*
 * NEGATIVE: a local liveupdate_ops with an op the kernel does not know.
 * libbpf matches "liveupdate_ops___bogus" to the kernel's liveupdate_ops and
 * must refuse the non-NULL member it cannot find.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

struct liveupdate_ops___bogus {
	int (*prepare)(void);
	int (*reboot)(void);
	int (*finish)(void);
	int (*cancel)(void);
	int (*may_prepare)(void);
	int (*may_reboot)(void);
	int (*bogus)(void);
	u32 flags;
	u32 timeout_ms;
	s32 priority;
	char name[LUO_NAME_LEN];
	u64 reserved;
};

int LUO_OPS(unknown_prepare)	{ return 0; }
int LUO_OPS(unknown_bogus)	{ return 0; }

SEC(".struct_ops.link")
struct liveupdate_ops___bogus bad_unknown_member = {
	.prepare	= (void *)unknown_prepare,
	.bogus		= (void *)unknown_bogus,
	.name		= "bad_unknown_member",
};
