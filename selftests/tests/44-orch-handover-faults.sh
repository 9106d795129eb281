# SPDX-License-Identifier: GPL-2.0
# A prepared live update is never lost without an error. Each way the
# handover can fail aborts the kexec with its errno, leaves the machine up,
# cancels every participant once and records why: mainline's session
# serialization failing after REBOOT (fault injection), a kernel loaded
# with the legacy kexec_load (no KHO data), and no handover block (fault
# injection: as if publishing it at boot had failed), which also refuses
# prepare. A plain kexec after that still boots.
# vm-slow
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

D=/sys/kernel/debug/liveupdate
case $LUO_STAGE in
1)
	ktap_plan 13
	luo_test_load
	luo_test_setup "0 1 2"

	luo_w prepare 1 >/dev/null
	luo_test_log >/dev/null
	echo 5 > $D/fail_serialize
	out=$(luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)" 2>&1)
	echo 0 > $D/fail_serialize
	ktap_eq "serialization fails after REBOOT: kexec aborted with its errno" \
		"luo_kexec: reboot(RB_KEXEC): Input/output error normal" "$out $(luo_state)"
	ktap_eq "everyone ran REBOOT, then got exactly one CANCEL" \
		"reboot:0 reboot:1 reboot:2 cancel:2 cancel:1 cancel:0" "$(luo_test_log)"
	ktap_eq "the failure names the step after REBOOT" \
		"event=reboot participant=luo-sessions errno=-5 sequence=0 reason=session serialization failed after REBOOT" \
		"$(luo_failure)"

	# The legacy kexec_load carries no KHO data.
	kexec -l "$LUO_KERNEL" --append="$(luo_next_cmdline)" 2>/tmp/kexec.err
	ktap_eq "kexec -l (legacy kexec_load) loads" "0" "$?"
	luo_w prepare 1 >/dev/null
	luo_test_log >/dev/null
	out=$(kexec -e 2>&1)
	ktap_eq "kexec -e of a legacy-loaded kernel: REBOOT refused, machine up" \
		"normal [cancel:2 cancel:1 cancel:0]" "$(luo_state) [$(luo_test_log)]"
	ktap_eq "the failure says why" \
		"event=reboot participant=handover errno=-95 sequence=0 reason=the loaded kernel gets no KHO data: load it with kexec_file_load (kexec -s)" \
		"$(luo_failure)"
	kexec -u

	# No handover block.
	luo_w prepare 1 >/dev/null
	luo_test_log >/dev/null
	ktap_eq "handover block dropped while prepared" "OK" "$(luo_sysfs write $D/unpublish 1)"
	out=$(luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)" 2>&1)
	ktap_eq "kexec without a handover block: aborted, everyone cancelled" \
		"luo_kexec: reboot(RB_KEXEC): No such device normal [cancel:2 cancel:1 cancel:0]" \
		"$out $(luo_state) [$(luo_test_log)]"
	ktap_eq "the failure says why" \
		"event=reboot participant=handover errno=-19" \
		"$(luo_failure | cut -d' ' -f1-3)"
	ktap_eq "prepare without a handover block: refused, nobody called" \
		"ENODEV normal []" "$(luo_w prepare 1) $(luo_state) [$(luo_test_log)]"
	ktap_eq "the refusal says why" \
		"event=prepare participant=handover errno=-19 sequence=0 reason=no KHO handover block: the next kernel could not boot updated" \
		"$(luo_failure)"
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "a plain kexec without a handover block boots normal" "normal 0" \
		"$(luo_state) $(cat $LUO/sequence)"
	ktap_eq "mainline LUO still works: liveupdate number 1" "liveupdate number: 1" \
		"$(dmesg | grep -o 'liveupdate number: [0-9]*')"
	;;
esac
