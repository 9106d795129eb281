// SPDX-License-Identifier: GPL-2.0
/*
 * NEGATIVE: the liveupdate kfuncs belong to liveupdate_ops programs only; a
 * tracing program calling one must be refused by the verifier.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

u32 state;

SEC("raw_tp/sys_enter")
int bad_kfunc_raw_tp(void *ctx)
{
	state = bpf_liveupdate_state();
	return 0;
}
