// SPDX-License-Identifier: GPL-2.0
/* NEGATIVE: may_reboot runs on the kexec path and may not sleep. */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS_SLEEPABLE(bad_may_reboot)
{
	return 0;
}

LUO_POLICY_DEFINE(bad_sleepable_may_reboot,
	.may_reboot	= (void *)bad_may_reboot,
	.flags		= LUO_F_POLICY_ONLY,
	.name		= "bad_sleepable_may_reboot");
