// SPDX-License-Identifier: GPL-2.0
/*
 * NEGATIVE at run time: prepare returns 1, neither 0 nor -errno. It loads
 * and attaches; the first prepare ejects it ("invalid-return" in exits).
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

u64 prepare_calls;

int LUO_OPS(bad_return_prepare)
{
	prepare_calls++;
	return 1;
}

int LUO_OPS(bad_return_cancel)
{
	return 0;
}

LUO_POLICY_DEFINE(bad_return,
	.prepare	= (void *)bad_return_prepare,
	.cancel		= (void *)bad_return_cancel,
	.name		= "bad_return");
