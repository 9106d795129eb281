# SPDX-License-Identifier: GPL-2.0
# Booted with liveupdate=off: the directory is there, enabled reads 0,
# state reads normal, and every write fails with EOPNOTSUPP.
# vm-append: liveupdate=off
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

ktap_plan 4
ktap_eq "enabled reads 0" 0 "$(cat $LUO/enabled)"
ktap_eq "state reads normal" normal "$(luo_state)"
ktap_eq "every write fails with EOPNOTSUPP" \
	"EOPNOTSUPP EOPNOTSUPP EOPNOTSUPP EOPNOTSUPP EOPNOTSUPP" \
	"$(luo_w prepare 1) $(luo_w prepare 0) $(luo_w cancel 1) $(luo_w finish 1) $(luo_w reset 1)"
ktap_eq "garbage is still EINVAL" EINVAL "$(luo_w prepare x)"
