# SPDX-License-Identifier: GPL-2.0
# Programs and instances the kernel must refuse, each with its error.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

ktap_plan 12

# refused NAME OBJ EXPECTED-OUTPUT-REGEX [DMESG-REGEX]
refused() {
	local out

	out=$(luo_bpf load-only "$BPF_PROGS/$2.bpf.o" 2>&1)
	if [ $? -eq 0 ]; then
		ktap_fail "$1" "was accepted"
	elif ! echo "$out" | grep -q -- "$3"; then
		ktap_fail "$1" "no '$3' in: $(echo "$out" | tail -n 4 | tr '\n' ' ')"
	elif [ -n "${4:-}" ] && ! dmesg | grep -q -- "$4"; then
		ktap_fail "$1" "no '$4' in the kernel log"
	else
		ktap_ok "$1"
	fi
}

refused "unknown member is refused" bad_unknown_member "Cannot find member bogus"
refused "sleepable reboot is refused by check_member" bad_sleepable_reboot \
	"attach to unsupported member reboot of struct liveupdate_ops" \
	"reboot and may_reboot run in the blackout and cannot be sleepable"
refused "sleepable may_reboot is refused by check_member" bad_sleepable_may_reboot \
	"attach to unsupported member may_reboot of struct liveupdate_ops"
refused "our kfunc from a raw_tp program is refused" bad_kfunc_tracepoint \
	"calling kernel function bpf_liveupdate_state is not allowed"
refused "unknown flags are refused (EINVAL)" bad_flags "Invalid argument" \
	"liveupdate_ops: unknown flags 0x80"
refused "priority out of range is refused (EINVAL)" bad_priority "Invalid argument" \
	"liveupdate_ops: priority 7 outside 0..2"
refused "timeout_ms above the cap is refused (EINVAL)" bad_timeout "Invalid argument" \
	"liveupdate_ops: timeout_ms 10000000 above the maximum 60000"
refused "an empty name is refused (EINVAL)" bad_name "Invalid argument" \
	"liveupdate_ops: name empty, too long or not printable"
refused "a non-link struct_ops map is refused with a message" nonlink \
	"Operation not supported" 'attach with a link: SEC(".struct_ops.link")'
refused "preserve told to read past its buffer is refused by the verifier" \
	bad_preserve_size "R1 and R2 memory, len pair leads to invalid memory access"
ktap_cmd "a sleepable prepare and may_prepare load and attach" \
	luo_bpf load-only "$BPF_PROGS/sleepable.bpf.o"

out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	luo_bpf attach "$BPF_PROGS/participant.bpf.o" --name unpriv 2>&1)
if echo "$out" | grep -q "Operation not permitted" && ! grep -q unpriv $LUO/participants; then
	ktap_ok "an unprivileged user cannot attach (EPERM)"
else
	ktap_fail "an unprivileged user cannot attach (EPERM)" "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
fi
