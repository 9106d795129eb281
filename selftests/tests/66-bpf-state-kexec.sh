# SPDX-License-Identifier: GPL-2.0
# State a BPF participant carries across the kexec (bpf_liveupdate_preserve
# and bpf_liveupdate_restore): a counter handed through three kexecs in a
# row (1, 2, 3); a CANCEL drops what PREPARE preserved; requests that are
# too big, unaligned or too small are refused at run time; a blob nobody
# claims is freed at FINISH, reported, and leaks nothing (kmemleak is
# scanned at the end of every stage); the area a cancelled update leaves
# allocated for the next one is no live update: a preflight check cannot
# preserve into it, and the next prepare finds it empty.
# vm-slow
# console-expect: no BPF instance 'orphan' claimed its state from the previous kernel: 8 bytes freed
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

CTR=$BPF_PROGS/counter.bpf.o
ctr_attach() { luo_bpf attach $CTR --name "$1" --priority 1 "${@:2}" >/dev/null; }
# vars NAME VAR...: "VAR=value ..." from the instance's .bss
vars() {
	local all v

	all=$(luo_bpf vars "$1")
	shift
	for v; do echo "$all" | grep "^$v="; done | tr '\n' ' ' | sed 's/ $//'
}
blobs() { tr '\n' ';' < $LUO/blobs; }

# In the new kernel: the counter claims its blob and FINISH restores it.
finish_and_check() {
	local seq=$1

	ktap_eq "kernel $((seq + 1)): updated, the blob is waiting" \
		"updated in counter 8 unclaimed;" "$(luo_state) $(blobs)"
	ctr_attach counter --set try_bad=1
	ktap_eq "attached again: the counter claims its blob" "in counter 8 claimed;" "$(blobs)"
	ktap_eq "FINISH restores the counter: $seq" \
		"restored=$seq restore_ret=8 small_ret=-28" \
		"$(luo_w finish 1 >/dev/null; vars counter restored restore_ret small_ret)"
}

prepare_and_kexec() {
	local want=$1

	ktap_eq "PREPARE preserves $want" "OK preserve_ret=0 out counter 8;in counter 8 claimed;" \
		"$(luo_w prepare 1) $(vars counter preserve_ret) $(blobs)"
	luo_kexec_next
	ktap_bail "kexec returned"
}

case $LUO_STAGE in
1)
	ktap_plan 19
	ctr_attach counter --set try_bad=1
	ctr_attach orphan
	ktap_eq "cold boot: nothing to restore, nothing handed over" "" "$(blobs)"
	ktap_eq "PREPARE: too big, unaligned refused; the counter preserved" \
		"OK oversize_ret=-7 unaligned_ret=-22 preserve_ret=0 restore_ret=-2 out counter 8;out orphan 8;" \
		"$(luo_w prepare 1) $(vars counter oversize_ret unaligned_ret preserve_ret restore_ret) $(blobs)"
	ktap_eq "CANCEL drops every blob" "OK normal cancel_calls=1 " \
		"$(luo_w cancel 1) $(luo_state) $(vars counter cancel_calls) $(blobs)"
	ktap_eq "the refusals are in the log" "2" \
		"$(dmesg | grep -c -e "'counter': preserving 4104 bytes refused: more than 4096 bytes" \
			-e "'counter': preserving 12 bytes refused: not a non-zero multiple of 8")"
	ktap_eq "PREPARE again" "OK out counter 8;out orphan 8;" "$(luo_w prepare 1) $(blobs)"
	luo_kexec_next
	ktap_bail "kexec returned"
	;;
2)
	ktap_eq "kernel 2: both blobs arrived, 96 bytes of the area with headers" \
		"updated in counter 8 unclaimed;in orphan 8 unclaimed; 1" \
		"$(luo_state) $(blobs) $(dmesg | grep -c 'taken from the previous kernel: the BPF state of 2 instances, 96 bytes')"
	ctr_attach counter --set try_bad=1
	ktap_eq "FINISH restores 1; orphan, never attached, is freed" \
		"OK restored=1 restore_ret=8 " \
		"$(luo_w finish 1) $(vars counter restored restore_ret) $(grep orphan $LUO/blobs)"
	prepare_and_kexec 2
	;;
3)
	finish_and_check 2
	prepare_and_kexec 3
	;;
4)
	finish_and_check 3
	luo_bpf detach counter >/dev/null
	ctr_attach fresh
	ktap_eq "an instance of another name has nothing to restore" "OK restore_ret=-2 OK" \
		"$(luo_w prepare 1) $(vars fresh restore_ret) $(luo_w cancel 1)"
	# The area outlives a cancelled update, but is no live update itself.
	luo_bpf detach fresh >/dev/null
	luo_bpf attach $BPF_PROGS/check_preserve.bpf.o --name check_preserve >/dev/null
	ktap_eq "a policy preserves during a prepare" "OK checks=1 preserve_ret=0 out check_preserve 8;" \
		"$(luo_w prepare 1) $(vars check_preserve checks preserve_ret) $(blobs)"
	ktap_eq "after CANCEL, a preflight check cannot preserve" \
		"OK OK checks=2 preserve_ret=-22 " \
		"$(luo_w cancel 1) $(luo_w check 1) $(vars check_preserve checks preserve_ret) $(blobs)"
	ktap_eq "a second prepare starts from an empty area" "OK out check_preserve 8; OK" \
		"$(luo_w prepare 1) $(blobs) $(luo_w cancel 1)"
	luo_bpf detach check_preserve >/dev/null
	;;
esac
