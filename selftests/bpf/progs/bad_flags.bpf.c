// SPDX-License-Identifier: GPL-2.0
/* NEGATIVE: flags 0x80 is not a known flag; the kernel must refuse the instance. */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS(bad_flags_prepare)
{
	return 0;
}

LUO_POLICY_DEFINE(bad_flags,
	.prepare	= (void *)bad_flags_prepare,
	.name		= "bad_flags",
	.flags = 0x80);
