# SPDX-License-Identifier: GPL-2.0
# Canary: a stage that kexecs without its health report.
# The harness must fail this guest and name the problem "health".
# expect-problem: health
. "$LUO_ROOT/selftests/lib/ktap.sh"

case $LUO_STAGE in
1)
	ktap_plan 1
	ktap_ok "kexec without a health report"
	luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)"
	ktap_bail "kexec returned"
	;;
esac
