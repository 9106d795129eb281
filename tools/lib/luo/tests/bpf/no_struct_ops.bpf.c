// SPDX-License-Identifier: GPL-2.0
/* Test object without any struct_ops map. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counter SEC(".maps");

SEC("socket")
int noop(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
