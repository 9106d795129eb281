# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for guest tests (sourced). Numbering survives a kexec: the
# count travels to the next kernel on its command line (luo.ktapn=).

ktap_n=${LUO_KTAPN:-0}
LUO_STAGE=${LUO_STAGE:-1}

# ktap_plan N: the total number of cases over all stages.
ktap_plan() {
	[ "$LUO_STAGE" = 1 ] || return 0
	echo "TAP version 13"
	echo "1..$1"
}

ktap_ok() { ktap_n=$((ktap_n + 1)); echo "ok $ktap_n $1"; }

# ktap_fail NAME REASON...
ktap_fail() {
	local name=$1

	shift
	ktap_n=$((ktap_n + 1))
	echo "not ok $ktap_n $name # $*"
}

ktap_skip() { ktap_n=$((ktap_n + 1)); echo "ok $ktap_n $1 # SKIP $2"; }
ktap_info() { echo "# $*"; }
ktap_bail() { echo "Bail out! $*"; exit 1; }

# ktap_cmd NAME CMD...: the case passes when CMD exits 0.
ktap_cmd() {
	local name=$1 out

	shift
	if out=$("$@" 2>&1); then
		ktap_ok "$name"
	else
		ktap_fail "$name" "'$*' failed: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	fi
}

# ktap_eq NAME EXPECTED ACTUAL
ktap_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "expected '$(echo "$2" | tr '\n' '|')', got '$(echo "$3" | tr '\n' '|')'"
	fi
}

# The command line for the next kernel: the next stage, the case count.
luo_next_cmdline() {
	sed -e "s/luo\.stage=[0-9]*/luo.stage=$((LUO_STAGE + 1))/" \
	    -e "s/luo\.ktapn=[0-9]*/luo.ktapn=$ktap_n/" /proc/cmdline
}

# luo_kexec_next: kexec into our kernel, running this test's next stage.
luo_kexec_next() {
	. "$LUO_ROOT/selftests/lib/vmcheck.sh"
	luo_vm_health
	ktap_info "stage $LUO_STAGE: kexec into stage $((LUO_STAGE + 1))"
	luo_kexec exec "$LUO_KERNEL" "$(luo_next_cmdline)"
}
