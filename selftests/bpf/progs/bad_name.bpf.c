// SPDX-License-Identifier: GPL-2.0
/* NEGATIVE: the name is empty; the kernel must refuse the instance. */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS(bad_name_prepare)
{
	return 0;
}

LUO_POLICY_DEFINE(bad_name,
	.prepare	= (void *)bad_name_prepare,
	.name = "");
