// SPDX-License-Identifier: GPL-2.0
/*
 * Test object for luo_policy_attach() pre-checks. The ops layout is a
 * local stand-in: the tests never load this into a kernel.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct luo_test_ops {
	int (*prepare)(void);
	char name[16];
	__s8 priority;
	__u32 flags;
};

/* globals for luo_bpf_set_global() */
__u16 small_global;
const volatile __s64 big_global = 1;

SEC("struct_ops/prepare")
int test_prepare(void)
{
	return 0;
}

#ifdef NO_LINK
SEC(".struct_ops")
#else
SEC(".struct_ops.link")
#endif
struct luo_test_ops test_window = {
	.prepare = (void *)test_prepare,
	.name = "window",
};

char LICENSE[] SEC("license") = "GPL";
