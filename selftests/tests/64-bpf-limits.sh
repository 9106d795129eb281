# SPDX-License-Identifier: GPL-2.0
# The kernel's own limits: at most 64 BPF instances (the 65th is refused
# with ENOSPC), names unique per kind (the kernel refuses a duplicate BPF
# name even when the pins do not clash; a BPF instance cannot take a
# driver's name away from it), and a participants listing longer than one
# page says how much it left out.
. "$LUO_ROOT/selftests/lib/ktap.sh"
. "$LUO_ROOT/selftests/lib/luo.sh"
. "$LUO_ROOT/selftests/lib/bpf.sh"

ktap_plan 7
luo_test_load
echo clear > $LUO_TEST/participants

mkdir -p /sys/fs/bpf/other
bpf_attach dup 1
r=$(luo_bpf attach $BPF_PROGS/participant.bpf.o --name dup --pin /sys/fs/bpf/other 2>&1)
ktap_eq "same BPF name, another pin directory: the kernel refuses (EEXIST)" \
	"File exists|1 bpf dup" "$(echo "$r" | grep -o 'File exists' | head -1)|$(cat $LUO/participants)"
ktap_cmd "and says so in the log" sh -c "dmesg | grep -q \"liveupdate_ops 'dup': cannot attach: -EEXIST (name in use)\""
bpf_detach_all

bpf_attach luo_test_0 1
ktap_eq "a driver registers the name a BPF instance took" "OK" \
	"$(luo_sysfs write $LUO_TEST/participants 0)"
ktap_eq "both are listed, by kind" "0 native luo_test_0|1 bpf luo_test_0|" \
	"$(tr '\n' '|' < $LUO/participants)"
bpf_detach_all
echo clear > $LUO_TEST/participants

for i in $(seq 64); do
	bpf_attach i$i 1 || break
done
ktap_eq "64 BPF instances attach" 64 "$(grep -c ' bpf ' $LUO/participants)"
r=$(luo_bpf attach $BPF_PROGS/participant.bpf.o --name i65 2>&1)
ktap_eq "the 65th is refused with ENOSPC, and nothing changes" \
	"No space left on device 64" \
	"$(echo "$r" | grep -o 'No space left on device' | head -1) $(grep -c ' bpf ' $LUO/participants)"
bpf_detach_all

echo "many 300" > $LUO_TEST/participants
l=$(cat $LUO/participants)
ktap_eq "a listing longer than a page: fits the page and says how many more" \
	"yes ... $((300 - $(echo "$l" | grep -c native))) more" \
	"$([ ${#l} -lt 4096 ] && echo yes) $(echo "$l" | tail -n 1)"
echo clear > $LUO_TEST/participants
