# SPDX-License-Identifier: GPL-2.0
# Live updates in a row. The first carries a preserved memfd session and
# prepared participants in one kexec; the second is driven by stock
# kexec-tools (kexec -s -l, kexec -e). Then every transition from updated:
# cancel, prepare 0, prepare 1 and garbage are refused and change nothing,
# reset returns to normal and cancels everyone.
# vm-slow
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

data=luo-chain-payload
case $LUO_STAGE in
1)
	ktap_plan 13
	luo_test_load
	luo_test_setup "0 1 2"
	ktap_eq "prepared participants" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	. "$LUO_ROOT/selftests/lib/vmcheck.sh"
	luo_vm_health
	luo_kexec memfd-out "$LUO_KERNEL" "$(luo_next_cmdline)" "$data"
	ktap_bail "memfd-out returned: kexec did not happen"
	;;
2)
	ktap_eq "first live update: updated, sequence 1" "updated 1" \
		"$(luo_state) $(cat $LUO/sequence)"
	ktap_cmd "the memfd session came along" luo_kexec memfd-in "$data"
	luo_test_load
	luo_test_setup "0 1"
	ktap_eq "finish" "OK normal finish:0 finish:1" "$(luo_w finish 1) $(luo_state) $(luo_test_log)"
	ktap_eq "prepare the second" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	# The next stage continues after the case below.
	next=$(luo_next_cmdline | sed "s/luo\.ktapn=[0-9]*/luo.ktapn=$((ktap_n + 1))/")
	kexec -s -l "$LUO_KERNEL" --command-line="$next" 2>/tmp/kexec.err
	ktap_eq "stock kexec -s -l loads" "0" "$?"
	. "$LUO_ROOT/selftests/lib/vmcheck.sh"
	luo_vm_health
	kexec -e
	ktap_bail "kexec -e returned: $(cat /tmp/kexec.err)"
	;;
3)
	ktap_eq "second live update, by kexec-tools: updated, sequence 2" "updated 2" \
		"$(luo_state) $(cat $LUO/sequence)"
	luo_test_load
	luo_test_setup "0 1"
	for w in "cancel 1" "prepare 0" "prepare 1"; do
		ktap_eq "$w from updated: EBUSY, nothing changes" "EBUSY updated []" \
			"$(luo_w $w) $(luo_state) [$(luo_test_log)]"
	done
	ktap_eq "garbage from updated: EINVAL, nothing changes" \
		"EINVAL EINVAL EINVAL updated []" \
		"$(luo_w prepare 2) $(luo_w finish x) $(luo_w reset '1 ') $(luo_state) [$(luo_test_log)]"
	ktap_eq "reset from updated: normal, everyone cancelled" \
		"OK normal [cancel:1 cancel:0]" "$(luo_w reset 1) $(luo_state) [$(luo_test_log)]"
	ktap_eq "the sequence stays" 2 "$(cat $LUO/sequence)"
	;;
esac
