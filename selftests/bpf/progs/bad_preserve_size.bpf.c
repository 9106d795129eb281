// SPDX-License-Identifier: GPL-2.0
/*
 * Refused by the verifier: bpf_liveupdate_preserve() told to read 64 bytes
 * of an 8-byte stack buffer.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS(bad_preserve_size_prepare)
{
	u64 v = 1;

	return bpf_liveupdate_preserve(&v, 64);
}

LUO_POLICY_DEFINE(bad_preserve_size,
	.prepare	= (void *)bad_preserve_size_prepare,
	.name		= "bad_preserve_size");
