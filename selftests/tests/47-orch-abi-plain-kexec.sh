# SPDX-License-Identifier: GPL-2.0
# Only a prepared handover must be compatible: a plain kexec (no live
# update) between kernels whose orchestrator ABI differs boots normal, for
# another major and for a newer minor alike.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

D=/sys/kernel/debug/liveupdate
case $LUO_STAGE in
1)
	ktap_plan 3
	ktap_eq "handover claims ABI 2.0, nothing prepared" "OK normal" \
		"$(luo_sysfs write $D/abi_override 2.0) $(luo_state)"
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "plain kexec from ABI 2.0: boots normal" normal "$(luo_state)"
	echo 1.9 > $D/abi_override
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
3)
	ktap_eq "plain kexec from ABI 1.9: boots normal" normal "$(luo_state)"
	;;
esac
