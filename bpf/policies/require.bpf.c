// SPDX-License-Identifier: GPL-2.0
/*
 * require: allow a live update only when every named participant is
 * registered (luo-require NAME...).
 */
#include "luo.bpf.h"
#include "require.h"

char _license[] SEC("license") = "GPL";

/*
 * Writable on purpose: the kfunc's buffer must be writable memory, so the
 * names live in .bss (filled by the loader before load), not in .rodata.
 */
char required[REQUIRE_MAX][LUO_NAME_LEN];
const volatile __u32 nr_required;

/* scratch for the reason text; may_prepare calls are serialized */
char reason[128];

static __always_inline int veto_missing(u32 idx)
{
	/* On the stack: clang 14 emits bad BTF for static const arrays. */
	char pfx[] = "required participant '";
	char sfx[] = "' not registered";
	u32 pos = 0, i;

	for (i = 0; i < sizeof(pfx) - 1; i++)
		reason[pos++] = pfx[i];
	for (i = 0; i < LUO_NAME_LEN - 1; i++) {
		char c = required[idx & (REQUIRE_MAX - 1)][i];

		if (!c)
			break;
		reason[pos++ & (sizeof(reason) - 1)] = c;
	}
	for (i = 0; i < sizeof(sfx); i++)	/* with the NUL */
		reason[pos++ & (sizeof(reason) - 1)] = sfx[i];

	bpf_liveupdate_set_reason(reason, sizeof(reason));
	return -ENOENT;
}

int LUO_OPS_SLEEPABLE(require_may_prepare)
{
	u32 i;

	for (i = 0; i < REQUIRE_MAX; i++) {
		if (i >= nr_required)
			break;
		if (!bpf_liveupdate_has_participant(required[i], LUO_NAME_LEN))
			return veto_missing(i);
	}
	return 0;
}

LUO_POLICY_DEFINE(require,
	.may_prepare	= (void *)require_may_prepare,
	.flags		= LUO_F_POLICY_ONLY,
	.priority	= LUO_PRIO_BEFORE_DEVICES,
	.name		= "require");
