# SPDX-License-Identifier: GPL-2.0
# The prepare lease (prepare_lease_ms): garbage and unprivileged writes
# change nothing; a lease that expires cancels every prepared participant
# once, records the failure and traces "expired"; a renewed lease does not
# expire; 0 never expires; luoctl prepare --lease, update --dry-run, an
# update whose REBOOT is vetoed, and a luoctl update killed between its
# prepare and the kexec.
# vm-slow
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

T=/sys/kernel/tracing
L=$LUO/prepare_lease_ms
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nocap() { setpriv --inh-caps=-sys_boot --bounding-set=-sys_boot "$@"; }

# Timing without exec: under TCG starting a process takes hundreds of ms.
# milliseconds, from a bash builtin
now_ms() { local t=${EPOCHREALTIME//[.,]/}; echo $((t / 1000)); }
# nap SECONDS: sleep as a builtin, a read that times out on an idle fifo
mkfifo /tmp/nap.fifo
exec {nap_fd}<>/tmp/nap.fifo
nap() { read -rt "$1" -u $nap_fd; }

# wait_state STATE MS: 0 once the state reads STATE, 1 after MS
wait_state() {
	local want=$1 end=$(($(now_ms) + $2)) s

	while :; do
		read -r s < $LUO/state
		[ "$s" = "$want" ] && return 0
		[ "$(now_ms)" -ge $end ] && return 1
		nap 0.05
	done
}

# log_has LINE: luo_test's callback log has LINE (read by bash itself)
log_has() {
	local l

	while read -r l; do
		[ "$l" = "$1" ] && return 0
	done < $LUO_TEST/log
	return 1
}

# the actions of the liveupdate_lease events since the last call
lease_events() {
	grep 'liveupdate_lease:' $T/trace | grep -ow -E 'armed|renewed|expired|disarmed' |
		tr '\n' ' ' | sed 's/ $//'
	echo > $T/trace
}

# wait until process PID holds FILE open (it is then sure to see a
# change): -ef follows /proc/PID/fd/N to the file, in bash itself
wait_open() {
	local pid=$1 file=$2 i fd

	for i in $(seq 400); do
		for fd in /proc/$pid/fd/*; do
			[[ $fd -ef $file ]] && return 0
		done
		nap 0.01
	done
	return 1
}

ktap_plan 32
luo_test_load
luo_test_setup "0 1 2"
echo > $T/trace
echo 1 > $T/events/liveupdate/liveupdate_lease/enable ||
	ktap_bail "no liveupdate_lease trace event"

ktap_eq "prepare_lease_ms: mode 0644, 0 at boot" "644 0" "$(stat -c %a $L) $(cat $L)"
ktap_eq "a lease is set, with or without a newline, and read back" \
	"OK 1500 OK 2000 OK 0 OK 86400000 OK 0" \
	"$(luo_w prepare_lease_ms 1500) $(cat $L) $(luo_w prepare_lease_ms '2000\n') $(cat $L) $(luo_w prepare_lease_ms 0) $(cat $L) $(luo_w prepare_lease_ms 86400000) $(cat $L) $(luo_w prepare_lease_ms '0\n') $(cat $L)"

# Garbage, out of range, negative, empty: EINVAL and nothing changes, in
# normal and while prepared under a lease (which is neither renewed nor
# disarmed by it).
garbage=("" "x" "-1" "+5" "-0" "1.5" " 1" "1 " "0x10" "1\n\n" "86400001"
	 "4294967296" "99999999999999999999" "1500ms" "\x01")
for st in normal prepared; do
	luo_w prepare_lease_ms 1234 >/dev/null
	if [ $st = prepared ]; then
		luo_w prepare_lease_ms 600000 >/dev/null
		luo_w prepare 1 >/dev/null
	fi
	lease_events >/dev/null
	luo_test_log >/dev/null
	want=$(cat $L)
	res=
	for a in "${garbage[@]}"; do
		r=$(luo_w prepare_lease_ms "$a")
		# an empty write never reaches sysfs: it must change nothing
		[ -z "$a" ] && [ "$r" = OK ] && r=EINVAL
		[ "$r" = EINVAL ] || res+=" '$a':$r"
	done
	r=$(luo_sysfs fill $L 1 4096)
	[ "$r" = EINVAL ] || res+=" 4096-bytes:$r"
	ktap_eq "garbage to prepare_lease_ms in $st: EINVAL, nothing changed" \
		"$want $st [] []" "$(cat $L)$res $(luo_state) [$(lease_events)] [$(luo_test_log)]"
done
ktap_eq "cancel while a lease is armed: disarmed, CANCEL in reverse" \
	"OK normal [disarmed] [cancel:2 cancel:1 cancel:0]" \
	"$(luo_w cancel 1) $(luo_state) [$(lease_events)] [$(luo_test_log)]"

# Permissions: non-root cannot open it for writing, root without
# CAP_SYS_BOOT gets EPERM; everyone reads it.
luo_w prepare_lease_ms 1234 >/dev/null
ktap_eq "non-root: EACCES; without CAP_SYS_BOOT: EPERM; nothing changed" \
	"EACCES EPERM EPERM 1234" \
	"$(nobody luo_sysfs write $L 5) $(nocap luo_sysfs write $L 5) $(nocap luo_sysfs write $L 0) $(cat $L)"
ktap_eq "everyone reads prepare_lease_ms" 1234 "$(nobody cat $L)"

# A lease of 1500 ms that expires: the kernel cancels by itself.
luo_w prepare_lease_ms 1500 >/dev/null
lease_events >/dev/null
luo_test_log >/dev/null
t0=$(now_ms)
r=$(luo_w prepare 1)
ktap_eq "prepare under a lease of 1500 ms: prepared" "OK prepared" "$r $(luo_state)"
if wait_state normal 60000; then
	el=$(($(now_ms) - t0))
	ktap_info "state normal $el ms after the prepare"
	ktap_ok "the lease expired: state normal"
else
	el=0
	ktap_fail "the lease expired" "still $(luo_state) after 60 s"
fi
ktap_eq "not before the lease ran out (>= 1500 ms)" yes "$([ $el -ge 1500 ] && echo yes || echo "no: $el ms")"
ktap_eq "every prepared participant got exactly one CANCEL, in reverse" \
	"prepare:0 prepare:1 prepare:2 cancel:2 cancel:1 cancel:0" "$(luo_test_log)"
ktap_eq "last_failure: cancel by the lease, ETIMEDOUT, the reason" \
	"event=cancel participant=lease errno=-110 sequence=$(cat $LUO/sequence) reason=lease expired: no kexec within 1500 ms" \
	"$(luo_failure)"
ktap_eq "trace: armed, then expired, both with the lease" "2 armed expired" \
	"$(grep 'liveupdate_lease:' $T/trace | grep -c 'lease_ms=1500') $(lease_events)"
ktap_eq "the setting stays: prepare_lease_ms still reads 1500" 1500 "$(cat $L)"

# Renewed every 500 ms for 4 s: it never expires, and a cancel works.
t0=$(now_ms)
luo_w prepare 1 >/dev/null
res=
for i in 1 2 3 4 5 6 7 8; do
	nap 0.5
	echo 1500 > $L || res+=" renewal $i failed"
	read -r s < $LUO/state
	[ "$s" = prepared ] || res+=" $s after renewal $i"
done
el=$(($(now_ms) - t0))
ktap_info "renewed 8 times in $el ms"
ktap_eq "renewed every 500 ms for 4 s: still prepared" \
	"prepared yes" "$(luo_state)$res $([ $el -gt 1500 ] && echo yes)"
ktap_eq "then cancel works: CANCEL once each" \
	"OK normal prepare:0 prepare:1 prepare:2 cancel:2 cancel:1 cancel:0" \
	"$(luo_w cancel 1) $(luo_state) $(luo_test_log)"
ktap_eq "trace: armed, 8 renewals, disarmed by the cancel" \
	"armed renewed renewed renewed renewed renewed renewed renewed renewed disarmed" \
	"$(lease_events)"

# Writing 0 while prepared disarms: no expiry.
luo_w prepare 1 >/dev/null
r=$(luo_w prepare_lease_ms 0)
ktap_eq "0 while prepared: disarmed, still prepared 2.5 s later" \
	"OK TIMEOUT prepared armed disarmed" \
	"$r $(luo_sysfs poll $LUO/state 2500) $(luo_state) $(lease_events)"
luo_w cancel 1 >/dev/null
luo_test_log >/dev/null

# A lease of 0 never expires.
r=$(luo_w prepare 1)
ktap_eq "lease 0: prepared, nothing armed, still prepared 3 s later" \
	"OK TIMEOUT prepared []" \
	"$r $(luo_sysfs poll $LUO/state 3000) $(luo_state) [$(lease_events)]"
ktap_eq "lease 0: cancel works, nothing traced" "OK normal []" \
	"$(luo_w cancel 1) $(luo_state) [$(lease_events)]"
luo_test_log >/dev/null

# A poller of state is woken by the expiry (sysfs_notify).
echo 5000 > $L
lease_events >/dev/null
t0=$(now_ms)
echo 1 > $LUO/prepare
luo_sysfs poll $LUO/state 60000 > /tmp/poll.out &
pid=$!
if wait_open $pid $LUO/state && [ "$(luo_state)" = prepared ]; then
	wait $pid
	el=$(($(now_ms) - t0))
	ktap_eq "a poller of state wakes when the lease expires (after >= 5 s)" \
		"CHANGED normal yes" "$(cat /tmp/poll.out) $([ $el -ge 5000 ] && echo yes || echo "no: $el ms")"
else
	kill $pid 2>/dev/null
	wait $pid
	ktap_fail "a poller of state wakes when the lease expires" \
		"the poller did not open state while prepared (state $(luo_state))"
fi
ktap_eq "the expiry: one CANCEL each, armed then expired" \
	"prepare:0 prepare:1 prepare:2 cancel:2 cancel:1 cancel:0 [armed expired]" \
	"$(luo_test_log) [$(lease_events)]"

# luoctl prepare --lease 2s: prepared, and normal again once it expired.
luo_w prepare_lease_ms 0 >/dev/null
t0=$(now_ms)
luoctl prepare --lease 2s > /tmp/lc.out 2>&1
rc=$?
ktap_eq "luoctl prepare --lease 2s: prepared, lease 2000" "0 prepared 2000" \
	"$rc $(luo_state) $(cat $L)"
wait_state normal 60000
el=$(($(now_ms) - t0))
ktap_eq "normal again after >= 2 s: one CANCEL each, armed then expired" \
	"normal yes prepare:0 prepare:1 prepare:2 cancel:2 cancel:1 cancel:0 [armed expired]" \
	"$(luo_state) $([ $el -ge 2000 ] && echo yes || echo "no: $el ms") $(luo_test_log) [$(lease_events)]"
luoctl status > /tmp/lc.out 2>&1
ktap_eq "luoctl status shows the lease" "prepare lease: 2000 ms" \
	"$(grep '^prepare lease:' /tmp/lc.out)"
luoctl --json status > /tmp/lc.out 2>&1
ktap_eq "luoctl status --json: prepare_lease_ms" 2000 \
	"$(python3 -c 'import json; print(json.load(open("/tmp/lc.out"))["prepare_lease_ms"])' 2>&1)"
luoctl prepare --lease 2q > /tmp/lc.out 2>&1
rc=$?
ktap_eq "luoctl prepare --lease 2q: exit 2, nothing changed" "2 normal 2000 []" \
	"$rc $(luo_state) $(cat $L) [$(luo_test_log)]"

# luoctl update --dry-run writes nothing, the lease included.
luo_w prepare_lease_ms 1234 >/dev/null
luoctl load "$LUO_KERNEL" > /tmp/lc.out 2>&1 || ktap_info "load: $(tail -n 1 /tmp/lc.out)"
lease_events >/dev/null
r=
for args in "" "--lease 5s" "--lease 0"; do
	luoctl update --dry-run $args > /tmp/lc.out 2>&1
	r+="$? "
done
ktap_eq "luoctl update --dry-run [--lease]: ok, lease and state untouched" \
	"0 0 0 normal 1234 [] []" \
	"$r$(luo_state) $(cat $L) [$(luo_test_log)] [$(lease_events)]"

# luoctl update whose REBOOT a policy vetoes: the kernel rolled back and
# disarmed the lease, luoctl put the previous setting back. The policy
# stays attached below: no kexec can happen in this test.
bpf_attach rv 0 --set reboot_veto=1 || ktap_info "cannot attach the REBOOT veto"
luoctl update --lease 30s > /tmp/lc.out 2>&1
rc=$?
ktap_eq "luoctl update --lease 30s, REBOOT vetoed: exit 5, normal, lease 1234 again" \
	"5 normal 1234" "$rc $(luo_state) $(cat $L)"
ktap_eq "the vetoed update's lease: armed, then disarmed by the rollback" \
	"armed disarmed" "$(lease_events | sed 's/renewed //g')"
luo_test_log >/dev/null

# luoctl update killed between its prepare and the kexec (during a slow
# PREPARE): nobody renews, the kernel cancels once the lease expires.
luo_test_inject "delay 0 3000"
luoctl update --lease 2s > /tmp/lc.out 2>&1 &
pid=$!
for i in $(seq 600); do
	log_has "prepare luo_test_0" && break
	nap 0.05
done
kill -9 $pid
wait $pid 2>/dev/null
luo_test_inject none
r="$(wait_state prepared 60000 && echo prepared) $(wait_state normal 60000 && echo normal)"
ktap_eq "luoctl update killed after its prepare: prepared, then cancelled by the lease" \
	"prepared normal 2000 prepare:0 prepare:1 prepare:2 cancel:2 cancel:1 cancel:0" \
	"$r $(cat $L) $(luo_test_log)"
ktap_eq "the killed update's last_failure: the lease of 2000 ms expired" \
	"event=cancel participant=lease errno=-110 reason=lease expired: no kexec within 2000 ms" \
	"$(luo_failure | sed 's/ sequence=[0-9]*//')"
bpf_detach_all
luoctl unload >/dev/null 2>&1
echo 0 > $T/events/liveupdate/liveupdate_lease/enable
