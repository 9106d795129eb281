// SPDX-License-Identifier: GPL-2.0
/*
 * NEGATIVE at run time: a participant and policy whose every op can
 * misbehave. bad_<op> = 1 makes the op return 1 (neither 0 nor -errno),
 * bad_<op> = 2 makes it spin through `loops` bpf_loop() iterations and then
 * return 0, far over the 20 ms budget that the tests give it.
 * Calls are counted, and prepare_ok counts the PREPAREs that returned 0 (in
 * time or not): the rollback rule says cancel_calls must end up equal to it.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

#define BAD_RETURN	1
#define BAD_OVERRUN	2

u32 loops = 1 << 22;
int bad_prepare, bad_reboot, bad_finish, bad_cancel;
int bad_may_prepare, bad_may_reboot;

u64 prepare_calls, prepare_ok, reboot_calls, finish_calls, cancel_calls;
u64 may_prepare_calls, may_reboot_calls;

static long spin(u64 i, void *ctx)
{
	u64 *acc = ctx;

	*acc = *acc * 31 + i;
	return 0;
}

static __always_inline int act(int mode, u64 *calls)
{
	u64 acc = 0;

	__sync_fetch_and_add(calls, 1);
	if (mode == BAD_RETURN)
		return 1;
	if (mode == BAD_OVERRUN)
		bpf_loop(loops, spin, &acc, 0);
	return 0;
}

int LUO_OPS(misbehave_prepare)
{
	int ret = act(bad_prepare, &prepare_calls);

	if (!ret)
		__sync_fetch_and_add(&prepare_ok, 1);
	return ret;
}

int LUO_OPS(misbehave_reboot)	{ return act(bad_reboot, &reboot_calls); }
int LUO_OPS(misbehave_finish)	{ return act(bad_finish, &finish_calls); }
int LUO_OPS(misbehave_cancel)	{ return act(bad_cancel, &cancel_calls); }
int LUO_OPS(misbehave_may_prepare) { return act(bad_may_prepare, &may_prepare_calls); }
int LUO_OPS(misbehave_may_reboot) { return act(bad_may_reboot, &may_reboot_calls); }

LUO_POLICY_DEFINE(misbehave,
	.prepare	= (void *)misbehave_prepare,
	.reboot		= (void *)misbehave_reboot,
	.finish		= (void *)misbehave_finish,
	.cancel		= (void *)misbehave_cancel,
	.may_prepare	= (void *)misbehave_may_prepare,
	.may_reboot	= (void *)misbehave_may_reboot,
	.name		= "misbehave");
