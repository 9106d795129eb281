// SPDX-License-Identifier: GPL-2.0
/*
 * NEGATIVE at run time: prepare spins through `loops` bpf_loop() iterations
 * (default 4M, the most bpf_loop allows is 8M), far more than the 1 ms
 * budget luo_bpf attach --timeout-ms 1 gives it. The instance must be
 * ejected with "over-budget" once prepare returns.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

u32 loops = 1 << 22;
u64 spins;
u64 prepare_calls;
u64 prepare_ns;		/* how long the last prepare took */

static long spin(u64 i, void *ctx)
{
	u64 *acc = ctx;

	*acc = *acc * 31 + i;
	return 0;
}

int LUO_OPS(slow_prepare)
{
	u64 t0 = bpf_ktime_get_ns(), acc = 0;
	long n;

	prepare_calls++;
	n = bpf_loop(loops, spin, &acc, 0);
	if (n > 0)
		spins += n;
	prepare_ns = bpf_ktime_get_ns() - t0;
	return 0;
}

int LUO_OPS(slow_cancel)
{
	return 0;
}

LUO_POLICY_DEFINE(slow,
	.prepare	= (void *)slow_prepare,
	.cancel		= (void *)slow_cancel,
	.timeout_ms	= 1,
	.name		= "slow");
