#!/bin/bash
# PID 1 of the test guest. The host's / is the guest's read-only root over
# virtio-9p (virtme style): the guest sees this checkout, its build outputs,
# bpftool and Debian's bpftrace without packing anything. Writable places are
# tmpfs. The job's output goes to the second serial port, which the host
# keeps apart from the kernel console.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
# Writable directories are overlays: tmpfs on top of the host's directory,
# so a checkout that lives under one of them (say /tmp) stays visible.
mount -t tmpfs tmpfs /run
for d in /tmp /var/tmp /var/lib /var/cache /root; do
	o=/run/overlay$d
	mkdir -p "$o/upper" "$o/work"
	mount -t overlay overlay -o "lowerdir=$d,upperdir=$o/upper,workdir=$o/work" "$d" ||
		mount -t tmpfs tmpfs "$d"
done
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
mount -t bpf bpf /sys/fs/bpf
ulimit -l unlimited

arg() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" /proc/cmdline; }

LUO_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LUO_STAGE=$(arg luo.stage)
LUO_KTAPN=$(arg luo.ktapn)
job=$(arg luo.job)
export LUO_ROOT LUO_STAGE=${LUO_STAGE:-1} LUO_KTAPN=${LUO_KTAPN:-0}
export LUO_KERNEL=$(arg luo.kernel) LUO_MODS=$(arg luo.mods)
export LUO_TOOLS=$LUO_ROOT/build/tools
export PATH=$LUO_TOOLS/progs:$LUO_TOOLS/bpftool:$LUO_TOOLS/luo:$PATH

exec >/dev/ttyS1 2>&1
# Every stage says it booted: the host requires a health report from each.
echo "luo-vm: stage $LUO_STAGE boot"
cd /tmp
bash "$job"
rc=$?
. "$LUO_ROOT/selftests/lib/vmcheck.sh"
luo_vm_health
echo "luo-vm: exit $rc stage $LUO_STAGE"
luo_kexec end
