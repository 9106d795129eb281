# SPDX-License-Identifier: GPL-2.0
# A whole kexec cycle through KHO with mainline LUO: a memfd with known
# content is preserved in a /dev/liveupdate session and compared after kexec.
. "$LUO_ROOT/selftests/lib/ktap.sh"

data="luo-ci $(date +%s) memfd payload"
case $LUO_STAGE in
1)
	ktap_plan 3
	ktap_eq "first kernel is a cold boot" "" \
		"$(dmesg | grep -o 'liveupdate number: [0-9]*')"
	echo "$data" > /tmp/payload
	# The payload travels on the command line too, to be compared in stage 2.
	LUO_VM_PAYLOAD=$(echo "$data" | tr ' ' '_')
	. "$LUO_ROOT/selftests/lib/vmcheck.sh"
	luo_vm_health
	luo_kexec memfd-out "$LUO_KERNEL" "$(luo_next_cmdline) luo.payload=$LUO_VM_PAYLOAD" \
		"$LUO_VM_PAYLOAD"
	ktap_bail "memfd-out returned: kexec did not happen"
	;;
2)
	want=$(sed -n 's/.*luo\.payload=\([^ ]*\).*/\1/p' /proc/cmdline)
	ktap_cmd "memfd retrieved after kexec and content equal" luo_kexec memfd-in "$want"
	ktap_eq "next kernel reports liveupdate number 1" "liveupdate number: 1" \
		"$(dmesg | grep -o 'liveupdate number: [0-9]*')"
	;;
esac
