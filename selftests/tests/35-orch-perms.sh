# SPDX-License-Identifier: GPL-2.0
# Only root with CAP_SYS_BOOT drives live updates: a non-root user cannot
# open the control files, root without CAP_SYS_BOOT gets EPERM, and
# neither changes anything or calls anybody.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"

ktap_plan 6
luo_test_load
luo_test_setup "0 1"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nocap() { setpriv --inh-caps=-sys_boot --bounding-set=-sys_boot "$@"; }

for f in prepare cancel finish reset check; do
	r+="$(nobody luo_sysfs write $LUO/$f 1) "
done
ktap_eq "non-root: every control file refused" "EACCES EACCES EACCES EACCES EACCES " "$r"
r=
for f in prepare cancel finish reset check; do
	r+="$(nocap luo_sysfs write $LUO/$f 1) "
done
ktap_eq "root without CAP_SYS_BOOT: EPERM" "EPERM EPERM EPERM EPERM EPERM " "$r"
ktap_eq "nothing changed, nobody called" "normal []" "$(luo_state) [$(luo_test_log)]"
luo_w prepare 1 >/dev/null
luo_test_log >/dev/null
ktap_eq "prepared: cancel and reset without CAP_SYS_BOOT refused" "EPERM EPERM prepared []" \
	"$(nocap luo_sysfs write $LUO/cancel 1) $(nocap luo_sysfs write $LUO/reset 1) $(luo_state) [$(luo_test_log)]"
ktap_eq "reads work for everyone" "prepared" "$(nobody cat $LUO/state)"
ktap_eq "root with CAP_SYS_BOOT cancels" "OK normal [cancel:1 cancel:0]" \
	"$(luo_w cancel 1) $(luo_state) [$(luo_test_log)]"
