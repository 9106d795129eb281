// SPDX-License-Identifier: GPL-2.0
/*
 * ratelimit: at most max_updates live updates in any window_ns.
 *
 * The history survives every kexec: may_reboot hands it, with this update
 * added, to the next kernel (bpf_liveupdate_preserve()), and there the
 * instance of the same name reads it back (bpf_liveupdate_restore()). So
 * the limit holds across updates, not just within one boot. A REBOOT that
 * does not happen (vetoed, failed, cancelled) is not counted: the added
 * entry only ever exists in what was preserved for the next kernel.
 *
 * CLOCK_TAI, because it is the wall clock: it means the same in every
 * kernel, where CLOCK_BOOTTIME starts again at each boot.
 */
#include "luo.bpf.h"
#include "ratelimit.h"

char _license[] SEC("license") = "GPL";

/* Defaults for stock bpftool struct_ops register: 2 updates an hour. */
const volatile __u32 max_updates = 2;
const volatile __u64 window_ns = 3600ULL * 1000000000ULL;

/* In .bss, so that a loader pinning the globals can show them. */
struct luo_ratelimit_history history;	/* what the previous kernel handed over */
struct luo_ratelimit_history next;	/* history plus this update */
int restored;			/* restore's result, 0 before the first op */

static __always_inline void load_history(void)
{
	int ret;

	if (restored)
		return;
	ret = bpf_liveupdate_restore(&history, sizeof(history));
	/* None (first boot), or a layout we do not know: start afresh. */
	if (ret != sizeof(history) || history.version != RATELIMIT_VERSION ||
	    history.nr > RATELIMIT_MAX)
		__builtin_memset(&history, 0, sizeof(history));
	restored = ret ? ret : -ENOENT;
}

/*
 * Updates of the history within the window before @now. The history is
 * oldest first, so those form its tail: find where it starts. One exit per
 * step keeps the verifier's paths linear (a counter bumped under a
 * condition at every step would make them exponential).
 */
static __always_inline u32 recent(u64 now)
{
	u32 i;

	for (i = 0; i < RATELIMIT_MAX; i++) {
		u64 t;

		if (i >= history.nr)
			break;
		t = history.when[i];
		if (t <= now && now - t < window_ns)
			break;
	}
	return history.nr > i ? history.nr - i : 0;
}

static __always_inline int check(u64 now)
{
	load_history();
	if (recent(now) >= max_updates)
		return LUO_VETO(EBUSY, "rate limit: too many live updates in the window");
	return 0;
}

int LUO_OPS_SLEEPABLE(ratelimit_may_prepare)
{
	return check(bpf_ktime_get_tai_ns());
}

int LUO_OPS(ratelimit_may_reboot)
{
	u64 now = bpf_ktime_get_tai_ns();
	u32 i, drop;
	int err;

	err = check(now);
	if (err)
		return err;
	/* The newest RATELIMIT_MAX - 1 entries, then this update. */
	drop = history.nr >= RATELIMIT_MAX ? history.nr - (RATELIMIT_MAX - 1) : 0;
	__builtin_memset(&next, 0, sizeof(next));
	next.version = RATELIMIT_VERSION;
	for (i = 0; i < RATELIMIT_MAX - 1; i++) {
		if (i + drop >= history.nr)
			break;
		next.when[i] = history.when[(i + drop) & (RATELIMIT_MAX - 1)];
		next.nr++;
	}
	next.when[next.nr & (RATELIMIT_MAX - 1)] = now;
	next.nr++;
	err = bpf_liveupdate_preserve(&next, sizeof(next));
	if (err)
		return LUO_VETO(-err, "rate limit: cannot preserve the history");
	return 0;
}

LUO_POLICY_DEFINE(ratelimit,
	.may_prepare	= (void *)ratelimit_may_prepare,
	.may_reboot	= (void *)ratelimit_may_reboot,
	.flags		= LUO_F_POLICY_ONLY,
	.priority	= LUO_PRIO_BEFORE_DEVICES,
	.name		= "ratelimit");
