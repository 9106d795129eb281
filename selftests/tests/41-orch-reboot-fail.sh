# SPDX-License-Identifier: GPL-2.0
# REBOOT fails: the kexec is aborted, the machine lives, the state is normal
# and every participant got CANCEL. Then a kexec without prepare boots normal.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

case $LUO_STAGE in
1)
	ktap_plan 6
	luo_test_load
	luo_test_setup "0 1 2"
	luo_w prepare 1 >/dev/null
	luo_test_log >/dev/null
	luo_test_inject "reboot 1 -5"
	out=$(luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)" 2>&1)
	ktap_eq "REBOOT failure aborts the kexec with its errno" \
		"luo_kexec: reboot(RB_KEXEC): Input/output error" "$out"
	ktap_eq "machine alive, state normal, everyone got CANCEL" \
		"normal reboot:0 reboot:1 cancel:2 cancel:1 cancel:0" \
		"$(luo_state) $(luo_test_log)"
	ktap_eq "failure record names REBOOT and the participant" \
		"event=reboot participant=luo_test_1 errno=-5 sequence=0" "$(luo_failure)"
	luo_test_inject none
	ktap_eq "prepare works again after the failed kexec" "OK prepared" \
		"$(luo_w prepare 1) $(luo_state)"
	luo_w cancel 1 >/dev/null
	luo_test_log >/dev/null
	# No prepare: REBOOT must not run, the next kernel boots normal.
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "kexec without prepare: next kernel boots normal" normal "$(luo_state)"
	ktap_eq "kexec without prepare: sequence unchanged" 0 "$(cat $LUO/sequence)"
	;;
esac
