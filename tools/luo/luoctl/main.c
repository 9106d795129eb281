// SPDX-License-Identifier: GPL-2.0
/*
 * luoctl - control the kernel Live Update Orchestrator.
 *
 * One file per command group: state.c, kexec.c, observe.c (stats,
 * participants), watch.c, prometheus.c, policy.c; option parsing in
 * opts.c; errors, exit codes and the JSON and text primitives in output.c;
 * help texts in help.c. The commands' table and main() are here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "luoctl.h"

#define LUOCTL_VERSION "0.2"

const struct cmd *cur_cmd;
bool g_json;
bool g_debug;

static const struct cmd cmds[] = {
	{ "status", cmd_status, "show state, enabled, update count, last failure",
	  usage_status, true },
	{ "prepare", cmd_prepare, "normal -> prepared", usage_prepare, true },
	{ "cancel", cmd_cancel, "prepared -> normal", usage_cancel, true },
	{ "finish", cmd_finish, "updated -> normal (in the new kernel)",
	  usage_finish, true },
	{ "reset", cmd_reset, "force the state back to normal", usage_reset, true },
	{ "load", cmd_load, "load the kernel to update to (kexec_file_load)",
	  usage_load, false },
	{ "unload", cmd_unload, "unload the kernel loaded with load",
	  usage_unload, false },
	{ "update", cmd_update, "prepare and reboot into the loaded kernel",
	  usage_update, true },
	{ "watch", cmd_watch, "print transitions, vetoes, failures as they happen",
	  usage_watch, true },
	{ "stats", cmd_stats, "update count, blackout, failure, timings",
	  usage_stats, true },
	{ "participants", cmd_participants, "list participants in call order",
	  usage_participants, true },
	{ "policy", cmd_policy, "attach, detach or list BPF policies",
	  usage_policy, false },
	{ 0 }
};

static void print_main_usage(FILE *f)
{
	char list[2048];
	size_t off = 0;

	list[0] = '\0';
	for (const struct cmd *c = cmds; c->name; c++)
		off += snprintf(list + off, sizeof(list) - off, "  %-13s %s\n",
				c->name, c->summary);
	fprintf(f, usage_main, list);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "sysfs-root", required_argument, NULL, 's' },
		{ "debug", no_argument, NULL, 'd' },
		{ "debugfs-root", required_argument, NULL, 'D' },
		{ "bpffs-dir", required_argument, NULL, 'b' },
		{ "tracefs-root", required_argument, NULL, 't' },
		{ 0 }
	};
	struct luo_ctx_opts opts = { .sz = sizeof(opts) };
	const struct cmd *cmd;
	struct luo_ctx *ctx;
	bool help = false;
	struct stat st;
	int c, rc;

	opts.sysfs_root = getenv("LUO_SYSFS_ROOT");
	opts.debugfs_root = getenv("LUO_DEBUGFS_ROOT");
	opts.bpffs_dir = getenv("LUO_BPFFS_DIR");
	opts.tracefs_root = getenv("LUO_TRACEFS_ROOT");

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hVjd", lo, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_main_usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("luoctl %s\n", LUOCTL_VERSION);
			return EXIT_OK;
		case 'j':
			g_json = true;
			break;
		case 's':
			opts.sysfs_root = optarg;
			break;
		case 'd':
			g_debug = true;
			break;
		case 'D':
			opts.debugfs_root = optarg;
			break;
		case 'b':
			opts.bpffs_dir = optarg;
			break;
		case 't':
			opts.tracefs_root = optarg;
			break;
		default:
			if (optopt && optopt < 0x100)
				return usage_err("unknown option '-%c'", optopt);
			return usage_err("unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		if (g_json)
			return usage_err("missing command");
		print_main_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		if (optind + 1 >= argc) {
			print_main_usage(stdout);
			return EXIT_OK;
		}
		optind++;
		for (cmd = cmds; cmd->name; cmd++)
			if (!strcmp(cmd->name, argv[optind])) {
				fputs(cmd->usage, stdout);
				return EXIT_OK;
			}
		return usage_err("unknown command '%s'", argv[optind]);
	}
	for (cmd = cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, argv[optind]))
			break;
	if (!cmd->name)
		return usage_err("unknown command '%s'", argv[optind]);
	cur_cmd = cmd;

	/* errors before the command parses its options: JSON if asked */
	for (int i = optind + 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			help = true;
		if (!strcmp(argv[i], "--json"))
			g_json = true;
	}

	policy_debug_init();
	ctx = luo_ctx_new(&opts);
	if (!ctx)
		return report_error(-errno, EXIT_FAILED, "cannot create context: %s",
				    strerror(errno));

	/* a missing LUO directory means the kernel has no live update;
	 * --help must still work, so only check when really running */
	if (cmd->needs_sysfs && !help && stat(luo_sysfs_root(ctx), &st) &&
	    errno == ENOENT) {
		rc = report_error(-ENOENT, EXIT_NOTSUPP, "%s not found: this "
				  "kernel has no live update support "
				  "(CONFIG_LIVEUPDATE)", luo_sysfs_root(ctx));
		luo_ctx_free(ctx);
		return rc;
	}

	rc = cmd->fn(ctx, argc - optind, argv + optind);
	luo_ctx_free(ctx);
	if (fflush(stdout) && rc == EXIT_OK) {
		err_msg("write error: %s", strerror(errno));
		rc = EXIT_FAILED;
	}
	return rc;
}
