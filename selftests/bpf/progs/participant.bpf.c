// SPDX-License-Identifier: GPL-2.0
/*
 * A configurable BPF participant for the VM tests: the four handlers return
 * `ret`, may_prepare vetoes with `veto` (and reason "test veto") when it is
 * not 0, may_reboot with `reboot_veto`. Calls are counted in .bss.
 * luo_bpf attach --ret R --set veto=E sets them before load.
 */
#include "luo.bpf.h"

char _license[] SEC("license") = "GPL";

int ret;
int veto;
int reboot_veto;

u64 prepare_calls;
u64 reboot_calls;
u64 finish_calls;
u64 cancel_calls;
u64 may_prepare_calls;
u64 may_reboot_calls;
u32 last_state;
u64 last_sequence;

static __always_inline int seen(u64 *counter)
{
	__sync_fetch_and_add(counter, 1);
	last_state = bpf_liveupdate_state();
	last_sequence = bpf_liveupdate_sequence();
	return ret;
}

int LUO_OPS(participant_prepare)	{ return seen(&prepare_calls); }
int LUO_OPS(participant_reboot)		{ return seen(&reboot_calls); }
int LUO_OPS(participant_finish)		{ return seen(&finish_calls); }
int LUO_OPS(participant_cancel)		{ return seen(&cancel_calls); }

int LUO_OPS(participant_may_prepare)
{
	__sync_fetch_and_add(&may_prepare_calls, 1);
	if (veto)
		return LUO_VETO(veto < 0 ? -veto : veto, "test veto");
	return 0;
}

int LUO_OPS(participant_may_reboot)
{
	__sync_fetch_and_add(&may_reboot_calls, 1);
	if (reboot_veto)
		return LUO_VETO(reboot_veto < 0 ? -reboot_veto : reboot_veto,
				"test reboot veto");
	return 0;
}

LUO_POLICY_DEFINE(participant,
	.prepare	= (void *)participant_prepare,
	.reboot		= (void *)participant_reboot,
	.finish		= (void *)participant_finish,
	.cancel		= (void *)participant_cancel,
	.may_prepare	= (void *)participant_may_prepare,
	.may_reboot	= (void *)participant_may_reboot,
	.name		= "bpf_participant");
