# SPDX-License-Identifier: GPL-2.0
# The bundled ratelimit policy: at most N live updates in a window, with
# its history carried from kernel to kernel (preserve and restore), so
# that the limit holds across kexecs. Attached three ways: its loader,
# luoctl policy attach, and stock bpftool struct_ops register.
# vm-slow
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

OBJ=$BPF_OUT/policies/ratelimit.bpf.o
LUOCTL=$LUO_ROOT/build/tools/luo/luoctl
blobs() { tr '\n' ';' < $LUO/blobs; }

case $LUO_STAGE in
1)
	ktap_plan 15
	luo-ratelimit --max 0 --window 60 >/dev/null 2>&1
	r1=$?
	luo-ratelimit --max 17 --window 60 >/dev/null 2>&1
	ktap_eq "bad limits are refused before anything is loaded" "2 2 " \
		"$r1 $? $(ls /sys/fs/bpf/luo 2>/dev/null)"
	ktap_eq "the loader attaches it" "attached ratelimit: at most 2 live updates in 3600s" \
		"$(luo-ratelimit --max 2 --window 3600)"
	ktap_eq "a cancelled update is not counted" "OK OK OK OK" \
		"$(luo_w prepare 1) $(luo_w cancel 1) $(luo_w prepare 1) $(luo_w cancel 1)"
	ktap_eq "the first live update" "OK prepared" "$(luo_w prepare 1) $(luo_state)"
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "kernel 2: the history arrived" "updated in ratelimit 144 unclaimed;" \
		"$(luo_state) $(blobs)"
	$LUOCTL policy attach "$OBJ" >/dev/null
	ktap_eq "luoctl policy attach: the instance claims it" "in ratelimit 144 claimed;" "$(blobs)"
	ktap_eq "luoctl policy list shows it with its restored state" "ratelimit 144" \
		"$($LUOCTL policy list | awk '$1 == "ratelimit" { print $1, $4 }')"
	ktap_eq "finish, then the second update is allowed" "OK OK prepared" \
		"$(luo_w finish 1) $(luo_w prepare 1) $(luo_state)"
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
3)
	mkdir -p /sys/fs/bpf/luo
	bpftool struct_ops register "$OBJ" /sys/fs/bpf/luo >/dev/null 2>&1
	ktap_eq "kernel 3: stock bpftool registers it, it claims the history" \
		"updated in ratelimit 144 claimed;" "$(luo_state) $(blobs)"
	ktap_eq "finish" "OK normal" "$(luo_w finish 1) $(luo_state)"
	ktap_eq "the third update inside the window is vetoed" "EBUSY normal" \
		"$(luo_w prepare 1) $(luo_state)"
	ktap_eq "with the reason" \
		"event=prepare policy=ratelimit errno=-16 sequence=2 reason=rate limit: too many live updates in the window" \
		"$(luo_failure)"
	ktap_eq "a dry run (check) is vetoed too" "EBUSY" "$(luo_w check 1)"
	rm -f /sys/fs/bpf/luo/ratelimit
	for i in $(seq 100); do [ -s $LUO/blobs ] || break; sleep 0.1; done
	ktap_eq "detached, its history went with it" "" "$(blobs)"
	ktap_eq "a new instance starts without history and allows it" \
		"attached ratelimit: at most 3 live updates in 3600s OK prepared" \
		"$(luo-ratelimit --max 3 --window 3600) $(luo_w prepare 1) $(luo_state)"
	luo_w cancel 1 >/dev/null
	;;
esac
