// SPDX-License-Identifier: GPL-2.0
/*
 * NEGATIVE at run time, for stock bpftool (which cannot set globals): a
 * participant whose CANCEL returns 1. Unpinned while prepared, its last
 * link reference goes and unreg sends it the CANCEL it is owed, which
 * misbehaves: the instance must be recorded as ejected, nothing more.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

u64 prepare_calls, cancel_calls;

int LUO_OPS(cancel_bad_prepare)
{
	prepare_calls++;
	return 0;
}

int LUO_OPS(cancel_bad_cancel)
{
	cancel_calls++;
	return 1;
}

LUO_POLICY_DEFINE(cancel_bad,
	.prepare	= (void *)cancel_bad_prepare,
	.cancel		= (void *)cancel_bad_cancel,
	.name		= "cancel_bad");
