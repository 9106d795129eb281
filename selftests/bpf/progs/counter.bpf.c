// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF participant with state carried across the kexec: a counter of live
 * updates. Its first op in a kernel reads what the previous kernel handed
 * over (restored, restore_ret); PREPARE hands restored + 1 to the next one.
 * With try_bad set, PREPARE first makes the requests the kernel must refuse
 * at run time, and records their results.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int try_bad;

u64 restored;		/* the counter the previous kernel handed over */
int restore_ret;	/* bpf_liveupdate_restore(): size or -errno */
int preserve_ret;	/* bpf_liveupdate_preserve() of restored + 1 */
int oversize_ret;	/* preserve of LUO_BLOB_MAX + 8 bytes */
int unaligned_ret;	/* preserve of 12 bytes */
int small_ret;		/* restore into 4 bytes of a blob of 8 */
u64 prepare_calls;
u64 cancel_calls;

u8 big[LUO_BLOB_MAX + 8];

static __always_inline void load(void)
{
	if (restore_ret)
		return;
	restore_ret = bpf_liveupdate_restore(&restored, sizeof(restored));
	if (restore_ret < 0)
		restored = 0;
	if (try_bad)
		small_ret = bpf_liveupdate_restore(big, 4);
}

int LUO_OPS_SLEEPABLE(counter_prepare)
{
	u64 next;

	load();
	prepare_calls++;
	if (try_bad) {
		oversize_ret = bpf_liveupdate_preserve(big, sizeof(big));
		unaligned_ret = bpf_liveupdate_preserve(big, 12);
	}
	next = restored + 1;
	preserve_ret = bpf_liveupdate_preserve(&next, sizeof(next));
	return 0;
}

int LUO_OPS(counter_finish)
{
	load();
	return 0;
}

int LUO_OPS(counter_cancel)
{
	cancel_calls++;
	return 0;
}

LUO_POLICY_DEFINE(counter,
	.prepare	= (void *)counter_prepare,
	.finish		= (void *)counter_finish,
	.cancel		= (void *)counter_cancel,
	.name		= "counter");
