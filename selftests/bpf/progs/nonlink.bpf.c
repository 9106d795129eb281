// SPDX-License-Identifier: GPL-2.0
/*
 * NEGATIVE: a struct_ops map without BPF_F_LINK (SEC(".struct_ops")). The
 * kernel only accepts liveupdate_ops through a link and must refuse it with
 * a clear message when libbpf registers it by map update.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int LUO_OPS(nonlink_prepare)
{
	return 0;
}

SEC(".struct_ops")
struct liveupdate_ops nonlink = {
	.prepare	= (void *)nonlink_prepare,
	.name		= "nonlink",
};
