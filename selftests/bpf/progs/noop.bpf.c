// SPDX-License-Identifier: GPL-2.0
/* A no-op BPF participant, for the benchmark: every handler returns 0. */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS(noop_prepare)	{ return 0; }
int LUO_OPS(noop_reboot)	{ return 0; }
int LUO_OPS(noop_finish)	{ return 0; }
int LUO_OPS(noop_cancel)	{ return 0; }

LUO_POLICY_DEFINE(noop,
	.prepare	= (void *)noop_prepare,
	.reboot		= (void *)noop_reboot,
	.finish		= (void *)noop_finish,
	.cancel		= (void *)noop_cancel,
	.name		= "noop");
