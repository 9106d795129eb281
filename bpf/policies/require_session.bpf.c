// SPDX-License-Identifier: GPL-2.0
/*
 * require-session: veto the REBOOT of a live update unless every named
 * mainline LUO session is in the outgoing list and holds at least
 * min_files files when REBOOT is checked (luo-require-session --min-files
 * M NAME...). The kernel's view is a copy taken just before the check: a
 * session closed after it is not caught. With no
 * name (stock bpftool struct_ops register), at least one session must be
 * handed over: a live update that carries no state is a mistake on a host
 * whose VMs keep running.
 *
 * REBOOT, not PREPARE: the VMM may preserve its files after prepare. A
 * veto on the kexec path aborts the kexec; the machine stays up and every
 * participant is cancelled.
 */
#include "luo.bpf.h"
#include "require_session.h"

char _license[] SEC("license") = "GPL";

/* Writable: the kfunc's buffer must be, so the names live in .bss. */
char sessions[REQUIRE_SESSION_MAX][REQUIRE_SESSION_NAME];
const volatile __u32 nr_sessions;
const volatile __u32 min_files = 1;

/* scratch for the reason text; may_reboot calls are serialized */
char reason[128];

/* reason = pfx + session idx's name + sfx, then veto with -err */
static __always_inline int veto(u32 idx, const char *pfx, u32 pfx_len,
				const char *sfx, u32 sfx_len, int err)
{
	u32 pos = 0, i;

	for (i = 0; i < pfx_len && i < 32; i++)
		reason[pos++ & 127] = pfx[i];
	for (i = 0; i < REQUIRE_SESSION_NAME - 1; i++) {
		char c = sessions[idx & (REQUIRE_SESSION_MAX - 1)][i];

		if (!c)
			break;
		reason[pos++ & 127] = c;
	}
	for (i = 0; i < sfx_len && i < 32; i++)
		reason[pos++ & 127] = sfx[i];
	reason[pos & 127] = '\0';
	bpf_liveupdate_set_reason(reason, sizeof(reason));
	return -err;
}

int LUO_OPS(require_session_may_reboot)
{
	/* On the stack: clang 14 emits bad BTF for static const arrays. */
	char missing_pfx[] = "session '", missing_sfx[] = "' is not handed over";
	char few_sfx[] = "' holds too few files";
	u32 i;
	int n;

	if (!nr_sessions) {
		if (bpf_liveupdate_session_count() <= 0)
			return LUO_VETO(ENOENT, "no session is handed over");
		return 0;
	}
	for (i = 0; i < REQUIRE_SESSION_MAX; i++) {
		if (i >= nr_sessions)
			break;
		n = bpf_liveupdate_session_files(sessions[i], REQUIRE_SESSION_NAME);
		if (n < 0)
			return veto(i, missing_pfx, sizeof(missing_pfx) - 1,
				    missing_sfx, sizeof(missing_sfx) - 1, ENOENT);
		if (n < min_files)
			return veto(i, missing_pfx, sizeof(missing_pfx) - 1,
				    few_sfx, sizeof(few_sfx) - 1, EAGAIN);
	}
	return 0;
}

LUO_POLICY_DEFINE(require_session,
	.may_reboot	= (void *)require_session_may_reboot,
	.flags		= LUO_F_POLICY_ONLY,
	.priority	= LUO_PRIO_BEFORE_DEVICES,
	.name		= "require_session");
