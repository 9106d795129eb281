// SPDX-License-Identifier: GPL-2.0
/*
 * window: allow a live update only inside a maintenance window.
 *
 * The loader (luo-window --in S --for S) fills win_start/win_end with
 * CLOCK_BOOTTIME nanoseconds, the clock of bpf_ktime_get_boot_ns(); that clock
 * keeps counting across suspend, so the window is where the operator meant it.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile __u64 win_start;	/* boot ns, inclusive */
const volatile __u64 win_end;	/* boot ns, inclusive */

int LUO_OPS_SLEEPABLE(window_may_prepare)
{
	u64 now = bpf_ktime_get_boot_ns();

	if (now < win_start || now > win_end)
		return LUO_VETO(EPERM, "outside maintenance window");
	return 0;
}

LUO_POLICY_DEFINE(window,
	.may_prepare	= (void *)window_may_prepare,
	.flags		= LUO_F_POLICY_ONLY,
	.priority	= LUO_PRIO_BEFORE_DEVICES,
	.name		= "window");
