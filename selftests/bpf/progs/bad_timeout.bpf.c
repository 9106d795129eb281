// SPDX-License-Identifier: GPL-2.0
/* NEGATIVE: timeout_ms 10000000 is above LIVEUPDATE_OPS_TIMEOUT_MAX_MS; the kernel must refuse the instance. */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS(bad_timeout_prepare)
{
	return 0;
}

LUO_POLICY_DEFINE(bad_timeout,
	.prepare	= (void *)bad_timeout_prepare,
	.name		= "bad_timeout",
	.timeout_ms = 10000000);
