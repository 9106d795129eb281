# SPDX-License-Identifier: GPL-2.0
# The whole live update: prepare, kexec, the next kernel is "updated" with
# sequence 1, finish returns it to "normal" and FINISH reaches participants.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

D=/sys/kernel/debug/liveupdate

case $LUO_STAGE in
1)
	ktap_plan 14
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
	# The blackout phase by phase, and who spent it.
	ph=$(cat $LUO/blackout)
	ktap_info "$(echo "$ph" | tr '\n' ' ')"
	ktap_eq "blackout phases: every point of the kexec path was stamped" \
		"reboot orchestrator sessions shutdown kexec boot blackout initcalls userspace" \
		"$(echo "$ph" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
	ktap_eq "the phases add up to the blackout, which is last_blackout_ns" "ok" \
		"$(echo "$ph" | awk -v b="$b" '$1 ~ /^(reboot|sessions|shutdown|kexec|boot)$/ { s += $2 }
			$1 == "blackout" { t = $2 } $1 == "orchestrator" { o = $2 } $1 == "reboot" { r = $2 }
			END { d = s - t; if (d < 0) d = -d
			      print (d <= 10 && t == b && s > 0 && o > 0 && o < r) ? "ok" : s " " t " " b " " o " " r }')"
	ktap_eq "the old kernel's REBOOT durations were handed over, in call order" \
		"luo_test_0 luo_test_1 luo_test_2" \
		"$(awk '$4 == "reboot" && $5 == 0 && $6 > 0 { print $1 }' $D/last_update | tr '\n' ' ' | sed 's/ $//')"
	luo_test_load
	luo_test_setup "2 0"
	ktap_eq "prepare refused while updated" "EBUSY updated" "$(luo_w prepare 1) $(luo_state)"
	ktap_eq "finish: FINISH reaches today's participants, in order" \
		"OK normal finish:1 finish:0" "$(luo_w finish 1) $(luo_state) $(luo_test_log)"
	ktap_eq "finish again: EBUSY" "EBUSY normal" "$(luo_w finish 1) $(luo_state)"
	ktap_cmd "FINISH ends the breakdown: a finish phase" grep -q '^finish [1-9]' $LUO/blackout
	ktap_eq "mainline LUO reports liveupdate number 1" "liveupdate number: 1" \
		"$(dmesg | grep -o 'liveupdate number: [0-9]*')"
	ktap_eq "a new update can be prepared" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	ktap_eq "the next update's PREPARE replaces the old REBOOT records" "" \
		"$(awk '$4 == "reboot"' $D/last_update)"
	;;
esac
