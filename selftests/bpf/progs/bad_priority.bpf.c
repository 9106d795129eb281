// SPDX-License-Identifier: GPL-2.0
/* NEGATIVE: priority 7 is out of range (0..2); the kernel must refuse the instance. */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS(bad_priority_prepare)
{
	return 0;
}

LUO_POLICY_DEFINE(bad_priority,
	.prepare	= (void *)bad_priority_prepare,
	.name		= "bad_priority",
	.priority = 7);
