// SPDX-License-Identifier: GPL-2.0
/* Sleepable prepare/finish/cancel/may_prepare: must load and attach. */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int ret;
u64 calls;

int LUO_OPS_SLEEPABLE(sleepable_prepare)	{ calls++; return ret; }
int LUO_OPS_SLEEPABLE(sleepable_finish)		{ calls++; return ret; }
int LUO_OPS_SLEEPABLE(sleepable_cancel)		{ calls++; return ret; }
int LUO_OPS_SLEEPABLE(sleepable_may_prepare)	{ calls++; return 0; }
int LUO_OPS(sleepable_reboot)			{ calls++; return ret; }

LUO_POLICY_DEFINE(sleepable,
	.prepare	= (void *)sleepable_prepare,
	.reboot		= (void *)sleepable_reboot,
	.finish		= (void *)sleepable_finish,
	.cancel		= (void *)sleepable_cancel,
	.may_prepare	= (void *)sleepable_may_prepare,
	.name		= "bpf_sleepable");
