#!/bin/bash
# Build the userspace tools the guest and the host need, from the kernel
# tree (bpftool, libbpf, mainline's liveupdate selftests) and from this repo
# (test programs, libluo, luoctl). Every step is incremental.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
tools=$top/build/tools
hdr=$top/build/hdr/include
jobs=$(nproc)

mkdir -p "$tools"/{bpftool,libbpf,liveupdate,progs,luo}

step() { printf 'tools: %s\n' "$1"; }

step "libbpf"
make -s -C "$tree/tools/lib/bpf" -j"$jobs" OUTPUT="$tools/libbpf/" \
	DESTDIR="$tools/libbpf" prefix= install_headers "$tools/libbpf/libbpf.a" >/dev/null

# Without LLVM and libbfd (used only to disassemble JIT code): linking
# libLLVM made every bpftool run in a TCG guest take 10 to 40 seconds.
step "bpftool"
make -s -C "$tree/tools/bpf/bpftool" -j"$jobs" OUTPUT="$tools/bpftool/" \
	SKIP_LLVM=1 SKIP_LIBBFD=1 \
	>"$tools/bpftool.log" 2>&1 || { cat "$tools/bpftool.log"; exit 1; }

step "mainline liveupdate selftests"
make -s -C "$tree/tools/testing/selftests/liveupdate" -j"$jobs" \
	OUTPUT="$tools/liveupdate" KHDR_INCLUDES="-isystem $hdr" >/dev/null

step "test programs"
make -s -C "$top/selftests/progs" OUTPUT="$tools/progs/" HDR="$hdr"

if [ -f "$top/tools/lib/luo/Makefile" ]; then
	step "libluo and luoctl"
	make -s -C "$top/tools/lib/luo" OUTPUT="$tools/luo/" \
		LIBBPF_INCLUDE="$tools/libbpf/include" LIBBPF_A="$tools/libbpf/libbpf.a" \
		LIBBPF_UAPI="$tree/tools/include/uapi"
fi

step "BPF policies, loaders and test programs"
make -s -C "$top/bpf" OUTPUT="$top/build/bpf/" BPFTOOL="$tools/bpftool/bpftool" \
	LIBBPF_INCLUDE="$tools/libbpf/include" LIBBPF_A="$tools/libbpf/libbpf.a" \
	VMLINUX="${LUO_OBJ:-$top/build/obj-debug}/vmlinux"
