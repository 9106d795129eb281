// SPDX-License-Identifier: GPL-2.0
/* luoctl help texts. */
#include "luoctl.h"

#define EXIT_STATUS_TEXT						\
	"Exit status:\n"						\
	"  0  success\n"						\
	"  1  the operation failed for another reason (printed)\n"	\
	"  2  usage error or invalid input; nothing was changed\n"	\
	"  3  wrong live update state for this transition (EBUSY)\n"	\
	"  4  not supported by this kernel, live update disabled, or no\n" \
	"     handover possible (EOPNOTSUPP, ENOSYS, ENODEV)\n"	\
	"  5  vetoed by a BPF policy (last_failure names a policy)\n"	\
	"  6  a participant failed (last_failure names a participant)\n" \
	"  7  not allowed: needs root and CAP_SYS_BOOT (EPERM, EACCES)\n"

const char usage_main[] =
	"Usage: luoctl [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"Control the kernel Live Update Orchestrator (LUO): prepare the running\n"
	"system for a kexec based live update, perform it, and inspect the\n"
	"result.\n"
	"\n"
	"Commands:\n"
	"%s"
	"\n"
	"Global options:\n"
	"  --sysfs-root DIR    LUO sysfs directory (default /sys/kernel/liveupdate,\n"
	"                      environment: LUO_SYSFS_ROOT)\n"
	"  --debugfs-root DIR  LUO debugfs directory (default\n"
	"                      /sys/kernel/debug/liveupdate, env: LUO_DEBUGFS_ROOT)\n"
	"  --bpffs-dir DIR     where policies are pinned (default /sys/fs/bpf/luo,\n"
	"                      environment: LUO_BPFFS_DIR)\n"
	"  --tracefs-root DIR  tracefs, for watch (default /sys/kernel/tracing,\n"
	"                      environment: LUO_TRACEFS_ROOT)\n"
	"  -d, --debug         print libbpf's and the verifier's messages (policy)\n"
	"  -j, --json          JSON output, errors included (one object on\n"
	"                      stdout, see luoctl(8)); same as COMMAND --json\n"
	"  -h, --help          show this help, or 'luoctl COMMAND --help'\n"
	"  -V, --version       show the version\n"
	"\n"
	"A typical update:\n"
	"  luoctl load /boot/vmlinuz-new --initrd /boot/initrd.img-new --reuse-cmdline\n"
	"  luoctl update --dry-run     # preflight: kernel loaded, no policy veto?\n"
	"  luoctl update               # prepare and reboot into the new kernel\n"
	"  luoctl finish               # in the new kernel, once restored\n"
	"\n"
	EXIT_STATUS_TEXT;

const char usage_status[] =
	"Usage: luoctl status [--json]\n"
	"\n"
	"Show the live update state (normal, prepared or updated), whether live\n"
	"update is enabled, the number of live updates performed so far, whether\n"
	"a kexec kernel is loaded, and the last recorded failure.\n"
	"\n"
	"Options:\n"
	"  --json      print one JSON object\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_prepare[] =
	"Usage: luoctl prepare [--json]\n"
	"\n"
	"Move from 'normal' to 'prepared': every participant saves the state it\n"
	"wants to preserve across the kexec, in priority order. If one refuses\n"
	"(or a BPF policy vetoes) nothing is kept prepared and the reason is\n"
	"printed, e.g.\n"
	"  luoctl: prepare refused by policy 'window': outside maintenance\n"
	"  window (EPERM)\n"
	"with exit status 5 for a policy, 6 for a participant.\n"
	"Undo with 'luoctl cancel'.\n"
	"\n"
	"Options:\n"
	"  --json      print one JSON object, errors included\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_cancel[] =
	"Usage: luoctl cancel [--json]\n"
	"\n"
	"Move from 'prepared' back to 'normal', releasing what the participants\n"
	"saved during prepare.\n"
	"\n"
	"Options:\n"
	"  --json      print one JSON object, errors included\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_finish[] =
	"Usage: luoctl finish [--json]\n"
	"\n"
	"In the new kernel, after all preserved resources were reclaimed, move\n"
	"from 'updated' to 'normal' so that leftovers are released and the next\n"
	"live update can start.\n"
	"\n"
	"Options:\n"
	"  --json      print one JSON object, errors included\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_reset[] =
	"Usage: luoctl reset [--json]\n"
	"\n"
	"Force the state machine back to 'normal' from any state. Meant for\n"
	"recovery; preserved state that was not reclaimed is discarded.\n"
	"\n"
	"Options:\n"
	"  --json      print one JSON object, errors included\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_load[] =
	"Usage: luoctl load KERNEL [--initrd FILE] [--cmdline STRING | --reuse-cmdline]\n"
	"                   [--append STRING] [--force] [--check] [--json]\n"
	"\n"
	"Load KERNEL (a bzImage) as the target of the next live update with\n"
	"kexec_file_load(2). The image is validated first (exists, readable,\n"
	"'HdrS' signature at offset 0x202); invalid input is refused with exit\n"
	"status 2 and nothing is loaded. Needs CAP_SYS_BOOT.\n"
	"\n"
	"The new kernel's command line is the running kernel's /proc/cmdline\n"
	"without BOOT_IMAGE= (as kexec-tools --reuse-cmdline), or --cmdline,\n"
	"then --append. A command line on which the new kernel would not receive\n"
	"the live update (liveupdate= not on, or kho= off) is refused with exit\n"
	"status 2; with --force it is loaded with a warning.\n"
	"\n"
	"Options:\n"
	"  -i, --initrd FILE     initramfs to pass to the new kernel\n"
	"  -c, --cmdline STRING  kernel command line for the new kernel\n"
	"  -r, --reuse-cmdline   use the running kernel's /proc/cmdline (default)\n"
	"  -a, --append STRING   add STRING to the command line\n"
	"  -f, --force           load even if the live update would be lost\n"
	"  -n, --check           only validate and print the command line, do not load\n"
	"  --json                print one JSON object, errors included\n"
	"  -h, --help            show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_unload[] =
	"Usage: luoctl unload [--json]\n"
	"\n"
	"Unload the kernel loaded with 'luoctl load' (or kexec -l). Having none\n"
	"loaded is not an error. Needs CAP_SYS_BOOT.\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_update[] =
	"Usage: luoctl update [--dry-run | --via-systemd] [--json]\n"
	"\n"
	"Perform the live update: prepare (unless already prepared), sync the\n"
	"filesystems and reboot into the kernel loaded with 'luoctl load'. On\n"
	"success this command does not return.\n"
	"\n"
	"If the reboot fails, the state and the failure record are read again:\n"
	"when a participant or a policy failed REBOOT, the kernel has already\n"
	"cancelled everyone and is back in 'normal', and luoctl prints who\n"
	"refused and why (exit status 5 or 6). When the state is still\n"
	"'prepared', a prepare done by this command is cancelled again.\n"
	"\n"
	"Options:\n"
	"  -s, --via-systemd  prepare, then 'systemctl kexec': systemd stops\n"
	"                 the services before the kexec (REBOOT still runs on\n"
	"                 the kernel's kexec path); if systemctl fails, a\n"
	"                 prepare done here is cancelled\n"
	"  -n, --dry-run  the preflight: a kernel is loaded and no policy\n"
	"                 vetoes PREPARE (asked through the kernel's check\n"
	"                 file); calls no handler, changes nothing, never\n"
	"                 reboots (when already prepared, nothing is asked)\n"
	"  --json         print one JSON object, errors included\n"
	"  -h, --help     show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_watch[] =
	"Usage: luoctl watch [--timeout MS] [--count N] [--poll] [--json]\n"
	"\n"
	"Print what the orchestrator does, in order: every state transition,\n"
	"policy veto, participant failure, rollback and BPF ejection, one line\n"
	"each ('<UTC time> seq=<N> ...'), or with --json one JSON object per\n"
	"line. Read from the orchestrator's trace events in a trace instance of\n"
	"its own: nothing is missed and the global trace buffer is left alone.\n"
	"Needs root and tracefs.\n"
	"\n"
	"Options:\n"
	"  -t, --timeout MS  stop after MS milliseconds (default: never)\n"
	"  -c, --count N     stop after N events; if the timeout expires\n"
	"                    first, exit with status 1\n"
	"  -p, --poll        without tracefs: re-read the state instead (lossy:\n"
	"                    only transitions, and a quick one can be missed)\n"
	"  --json            one JSON object per event\n"
	"  -h, --help        show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_stats[] =
	"Usage: luoctl stats [--json | --prometheus]\n"
	"\n"
	"Show the number of live updates performed, the blackout time of the\n"
	"last one phase by phase, the last failure, and per-participant timings\n"
	"of the last update (from debugfs, if mounted; in the new kernel, the\n"
	"old kernel's REBOOT durations).\n"
	"\n"
	"Options:\n"
	"  --json            print one JSON object\n"
	"  -p, --prometheus  node_exporter's textfile-collector format: state,\n"
	"                    sequence, last blackout and its phases, last\n"
	"                    failure, BPF\n"
	"                    ejections by kind, per-participant last duration\n"
	"  -h, --help        show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_participants[] =
	"Usage: luoctl participants [--json]\n"
	"\n"
	"List the registered participants in the order they are called, with\n"
	"their priority (0..2) and kind (native kernel code or bpf). The\n"
	"kernel lists one page at most; the participants left out are\n"
	"counted in a last line '... N more' (JSON: \"omitted\").\n"
	"\n"
	"Options:\n"
	"  --json      print one JSON object\n"
	"  -h, --help  show this help\n"
	"\n" EXIT_STATUS_TEXT;

const char usage_policy[] =
	"Usage: luoctl policy attach OBJ [--name NAME] [--json]\n"
	"       luoctl policy detach NAME [--json]\n"
	"       luoctl policy list [--json]\n"
	"\n"
	"Manage BPF struct_ops policies that can veto or observe live updates.\n"
	"\n"
	"  attach  load the BPF object OBJ, attach each of its struct_ops maps\n"
	"          (declared in SEC(\".struct_ops.link\")) and pin the link in the\n"
	"          bpffs directory as NAME (default: the ops' name member if\n"
	"          set, else the map's name; with several maps NAME_MAP). A\n"
	"          name has at most 31 bytes of letters, digits and '_';\n"
	"          others are refused with status 2, before anything is\n"
	"          loaded. -d prints the verifier's log on failure\n"
	"  detach  detach the policy pinned as NAME and remove its pins\n"
	"  list    list the pinned policies\n"
	"\n"
	"Options:\n"
	"  -n, --name NAME  pin name for attach\n"
	"  --json           JSON output\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status 4 if luoctl was built without libbpf.\n"
	"\n" EXIT_STATUS_TEXT;
