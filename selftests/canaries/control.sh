# SPDX-License-Identifier: GPL-2.0
# Canary control: the canary module loaded with no problem, and a kexec
# with its health report. The harness must pass this guest, so that the
# canaries' failures come from their problems and not from the module.
. "$LUO_ROOT/selftests/lib/ktap.sh"

case $LUO_STAGE in
1)
	ktap_plan 2
	ktap_cmd "load the canary module, no problem planted" \
		insmod "$LUO_MODS/luo_canary/luo_canary.ko" problem=none
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_ok "the next stage runs"
	;;
esac
