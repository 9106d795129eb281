# SPDX-License-Identifier: GPL-2.0
# The whole live update: prepare, kexec, the next kernel is "updated" with
# sequence 1, finish returns it to "normal" and FINISH reaches participants.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

case $LUO_STAGE in
1)
	ktap_plan 9
	luo_test_load
	luo_test_setup "0 1 2"
	ktap_eq "prepare with 3 participants" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	date +%s%N > /dev/null
	luo_kexec_next
	ktap_bail "kexec returned: $?"
	;;
2)
	ktap_eq "next kernel boots updated" updated "$(luo_state)"
	ktap_eq "sequence is 1" 1 "$(cat $LUO/sequence)"
	b=$(cat $LUO/last_blackout_ns)
	ktap_info "blackout: $b ns"
	if [ "$b" -gt 0 ] && [ "$b" -lt 60000000000 ]; then
		ktap_ok "blackout measured: $b ns"
	else
		ktap_fail "blackout measured" "last_blackout_ns=$b"
	fi
	luo_test_load
	luo_test_setup "2 0"
	ktap_eq "prepare refused while updated" "EBUSY updated" "$(luo_w prepare 1) $(luo_state)"
	ktap_eq "finish: FINISH reaches today's participants, in order" \
		"OK normal finish:1 finish:0" "$(luo_w finish 1) $(luo_state) $(luo_test_log)"
	ktap_eq "finish again: EBUSY" "EBUSY normal" "$(luo_w finish 1) $(luo_state)"
	ktap_eq "mainline LUO reports liveupdate number 1" "liveupdate number: 1" \
		"$(dmesg | grep -o 'liveupdate number: [0-9]*')"
	ktap_eq "a new update can be prepared" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	;;
esac
