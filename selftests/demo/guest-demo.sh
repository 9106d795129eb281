# SPDX-License-Identifier: GPL-2.0
# The demo, inside the guest: a live update driven by luoctl, with a
# timeline. Stage 1 runs in the old kernel, stage 2 in the new one.
. "$LUO_ROOT/selftests/lib/ktap.sh"

T=/sys/kernel/tracing
step() { printf '\n[%6.2fs] == %s\n' "$(cut -d' ' -f1 /proc/uptime)" "$*"; }
run() { echo "\$ $*"; "$@"; echo "  (exit $?)"; }

case $LUO_STAGE in
1)
	echo "=== stage 1: old kernel $(uname -r), booted $(cut -d' ' -f1 /proc/uptime)s ago"
	export PATH=$LUO_ROOT/build/bpf:$PATH
	step "a native participant joins (samples/liveupdate)"
	run insmod "$LUO_MODS/liveupdate/luo_sample.ko"
	step "a BPF participant joins: the bundled audit policy (struct_ops)"
	run luo-audit
	luo-audit --follow > /tmp/audit.log 2>&1 &
	run luoctl participants
	run luoctl status
	echo 1 > $T/events/liveupdate/enable
	step "load the next kernel"
	run luoctl load "$LUO_KERNEL" --cmdline "$(luo_next_cmdline) trace_event=liveupdate:*"
	step "a BPF policy: maintenance window opens in one hour"
	run luo-window --in 3600 --for 600
	run luoctl policy list
	step "the policy vetoes the live update"
	run luoctl update --dry-run
	run luoctl status
	step "the window opens now: the same policy allows it"
	run luoctl policy detach window
	run luo-window --in 0 --for 600
	step "a BPF policy with state: at most 3 live updates a day, counted across kexecs"
	run luo-ratelimit --max 3 --window 86400
	run luoctl policy list
	step "dry run: prepare and cancel, no reboot"
	run luoctl update --dry-run
	step "trace so far"
	grep -o 'liveupdate_[a-z_]*: .*' $T/trace
	step "what the audit participant saw (BPF ring buffer)"
	cat /tmp/audit.log
	step "live update: prepare, REBOOT, kexec"
	sleep 0.2
	luoctl update
	echo "luoctl update returned $?"
	;;
2)
	echo "=== stage 2: new kernel $(uname -r), booted $(cut -d' ' -f1 /proc/uptime)s ago"
	step "the new kernel boots in 'updated'"
	run luoctl status
	run luoctl stats
	step "trace since boot (handover in)"
	grep -o 'liveupdate_[a-z_]*: .*' $T/trace
	step "the ratelimit policy comes back and claims the history it handed over"
	export PATH=$LUO_ROOT/build/bpf:$PATH
	run cat /sys/kernel/liveupdate/blobs
	run luo-ratelimit --max 3 --window 86400
	run luoctl policy list
	step "the participant comes back and the update finishes"
	run insmod "$LUO_MODS/liveupdate/luo_sample.ko"
	run luoctl finish
	run luoctl status
	step "prepare and cancel: the ratelimit policy counts the update of the old kernel"
	run luoctl prepare
	run luoctl cancel
	run luo-ratelimit --show
	step "the blackout phase by phase, and FINISH"
	run luoctl stats
	step "kernel log of both kernels"
	dmesg | grep -e 'liveupdate' -e luo_sample
	;;
esac
