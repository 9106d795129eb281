# SPDX-License-Identifier: GPL-2.0
# luo-timeline.bt under real bpftrace: a prepare before the kexec, and the
# finish in the new kernel; the blackout of that live update.
# vm-timeout: 1500
# vm-slow
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

BT=$LUO_ROOT/samples/bpftrace/luo-timeline.bt
# timeline CMD...: run CMD while luo-timeline.bt runs; print its lines.
# bpftrace's start (LLVM, under TCG) can take over a minute when the other
# guest is busy: CMD runs only once its BEGIN printed the header, and a
# bpftrace that does not exit on SIGINT is killed, so that nothing hangs. Its
# exit detaches every probe, which under TCG on a loaded host has taken
# more than 30 s.
timeline() {
	bpftrace "$BT" > /tmp/bt.out 2>&1 &
	local pid=$! i
	for i in $(seq 3000); do
		grep -q TIME /tmp/bt.out && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q TIME /tmp/bt.out; then
		kill -KILL $pid 2>/dev/null
		wait $pid
		echo "bpftrace did not start in 300 s: $(tr '\n' ' ' < /tmp/bt.out)"
		return
	fi
	"$@" >/dev/null
	sleep 0.5
	kill -INT $pid
	for i in $(seq 1200); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL $pid 2>/dev/null && echo "bpftrace ignored SIGINT for 120 s"
	wait $pid
	sed 's/^ *[0-9]*\.[0-9]* //; s/took=[0-9]*us/took=N/' /tmp/bt.out | grep -v '^TIME\|^Attaching\|^$'
}

case $LUO_STAGE in
1)
	ktap_plan 4
	luo_test_load
	luo_test_setup "1 0"
	ktap_eq "luo-timeline.bt shows a prepare" \
"event       prepare start participants=2
callback    prepare luo_test_1 kind=native prio=0 ret=0 took=N
callback    prepare luo_test_0 kind=native prio=1 ret=0 took=N
event       prepare end ret=0
transition  normal -> prepared seq=0 cause=sysfs" "$(timeline luo_w prepare 1)"
	. "$LUO_ROOT/selftests/lib/vmcheck.sh"
	luo_vm_health
	luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline) luo.t1=$(date +%s%N)"
	ktap_bail "kexec returned"
	;;
2)
	t2=$(date +%s%N)
	t1=$(sed -n 's/.*luo\.t1=\([0-9]*\).*/\1/p' /proc/cmdline)
	luo_test_load
	luo_test_setup "0 2"
	ktap_eq "luo-timeline.bt shows the finish in the new kernel" \
"event       finish start participants=2
callback    finish luo_test_0 kind=native prio=0 ret=0 took=N
callback    finish luo_test_1 kind=native prio=2 ret=0 took=N
event       finish end ret=0
transition  updated -> normal seq=1 cause=sysfs" "$(timeline luo_w finish 1)"
	b=$(cat $LUO/last_blackout_ns)
	wall=$((t2 - t1))
	ktap_info "blackout $b ns; stage 1 -> stage 2 wall time $wall ns (RTC: +-1 s)"
	if [ "$b" -gt 0 ]; then ktap_ok "blackout > 0 ($b ns)"; else ktap_fail "blackout > 0" "$b"; fi
	if [ "$b" -lt $((wall + 1000000000)) ]; then
		ktap_ok "blackout below stage-1-to-stage-2 wall time"
	else
		ktap_fail "blackout below stage-1-to-stage-2 wall time" "$b >= $wall"
	fi
	;;
esac
