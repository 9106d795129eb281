// SPDX-License-Identifier: GPL-2.0
/* NEGATIVE: reboot runs on the kexec path and may not sleep. */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS_SLEEPABLE(bad_reboot)
{
	return 0;
}

LUO_POLICY_DEFINE(bad_sleepable_reboot,
	.reboot	= (void *)bad_reboot,
	.name	= "bad_sleepable_reboot");
