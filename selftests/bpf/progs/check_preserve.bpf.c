// SPDX-License-Identifier: GPL-2.0
/*
 * A policy whose may_prepare preserves 8 bytes and records the result: a
 * preserve is allowed during a prepare, and refused (-EINVAL) in the
 * preflight check, which is no live update, even though the area of an
 * earlier, cancelled one is still allocated.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int preserve_ret = 1;	/* of the last may_prepare; 1 before any */
u64 checks;

int LUO_OPS(check_preserve_may_prepare)
{
	u64 v = 42;

	checks++;
	preserve_ret = bpf_liveupdate_preserve(&v, sizeof(v));
	return 0;
}

LUO_POLICY_DEFINE(check_preserve,
	.may_prepare	= (void *)check_preserve_may_prepare,
	.flags		= LUO_F_POLICY_ONLY,
	.name		= "check_preserve");
