// SPDX-License-Identifier: GPL-2.0
/*
 * luoctl - control the kernel Live Update Orchestrator.
 *
 * Commands are here; option parsing is in luoctl_opts.c, errors, exit
 * codes, text and JSON output in luoctl_output.c, help texts in
 * luoctl_help.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "luoctl.h"

#define LUOCTL_VERSION "0.2"

const struct cmd *cur_cmd;
bool g_json;

/* ---------------------------------------------------------------- */
/* commands                                                         */

static int cmd_status(struct luo_ctx *ctx, int argc, char **argv)
{
	struct status_info si = { .failure.sz = sizeof(si.failure) };
	int err;

	PARSE_SIMPLE(0, 0);

	err = luo_get_state(ctx, &si.state);
	if (err)
		return fail(ctx, err);
	si.have_enabled = !luo_get_enabled(ctx, &si.enabled);
	si.have_seq = !luo_get_sequence(ctx, &si.seq);
	si.have_failure = !luo_get_last_failure(ctx, &si.failure);
	si.kexec_loaded = luo_kexec_loaded(ctx);
	print_status(&si);
	return EXIT_OK;
}

static int simple_op(struct luo_ctx *ctx, int argc, char **argv,
		     int (*op)(struct luo_ctx *))
{
	int err;

	PARSE_SIMPLE(0, 0);
	err = op(ctx);
	if (err)
		return fail(ctx, err);
	if (g_json)
		json_result(cur_cmd->name);
	return EXIT_OK;
}

static int cmd_prepare(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_prepare);
}

static int cmd_cancel(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_cancel);
}

static int cmd_finish(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_finish);
}

static int cmd_reset(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_reset);
}

static int check_input_file(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return usage_err("%s '%s': %s", what, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return usage_err("%s '%s' is not a regular file", what, path);
	if (access(path, R_OK))
		return usage_err("%s '%s': %s", what, path, strerror(errno));
	return -1;
}

static int cmd_load(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "reuse-cmdline", no_argument, NULL, 'r' },
		{ "append", required_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ 0 }
	};
	const char *initrd = NULL, *cmdline = NULL, *append = NULL, *why;
	unsigned int flags = 0, cflags;
	bool force = false, keeps;
	char *next = NULL;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "i:c:ra:fn");
	while ((c = parser_next(&p)) != -1) {
		switch (c) {
		case 'i': initrd = optarg; break;
		case 'c': cmdline = optarg; break;
		case 'r': flags |= LUO_KEXEC_REUSE_CMDLINE; break;
		case 'a': append = optarg; break;
		case 'f': force = true; break;
		case 'n': flags |= LUO_KEXEC_CHECK_ONLY; break;
		}
	}
	if (p.rc >= 0)
		return p.rc;
	if (optind >= argc)
		return usage_err("missing KERNEL argument");
	r = want_args(&p, 1, 1);
	if (r >= 0)
		return r;
	if (cmdline && (flags & LUO_KEXEC_REUSE_CMDLINE))
		return usage_err("--cmdline and --reuse-cmdline are mutually exclusive");

	/* validate all input first, so that bad input changes nothing */
	r = check_input_file("kernel image", argv[optind]);
	if (r >= 0)
		return r;
	err = luo_kexec_check_image(ctx, argv[optind]);
	if (err)
		return report_error(err, EXIT_USAGE, "%s", luo_errmsg(ctx));
	if (initrd) {
		r = check_input_file("initrd", initrd);
		if (r >= 0)
			return r;
	}
	/* the default is the running kernel's command line, as for --reuse-cmdline */
	cflags = cmdline ? 0 : LUO_KEXEC_REUSE_CMDLINE;
	err = luo_kexec_cmdline(ctx, cmdline, append, cflags, &next);
	if (err)
		return fail(ctx, err);
	keeps = luo_cmdline_keeps_update(next, &why);
	if (!keeps && !force) {
		r = report_error(-EINVAL, EXIT_USAGE, "refusing to load: %s "
				 "(--append liveupdate=on, or --force)", why);
		free(next);
		return r;
	}
	if (!keeps && !g_json)
		fprintf(stderr, "luoctl: warning: %s\n", why);

	err = luo_kexec_load(ctx, argv[optind], initrd, next,
			     flags & LUO_KEXEC_CHECK_ONLY);
	if (err) {
		free(next);
		return fail(ctx, err);
	}
	if (g_json)
		json_load_result(next, keeps ? NULL : why,
				 flags & LUO_KEXEC_CHECK_ONLY);
	else if (flags & LUO_KEXEC_CHECK_ONLY)
		printf("%s: looks like a loadable kernel image\n"
		       "command line: %s\n", argv[optind], next);
	free(next);
	return EXIT_OK;
}

static int cmd_unload(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_kexec_unload);
}

static int cmd_update(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ 0 }
	};
	enum luo_state st = LUO_STATE_UNKNOWN;
	unsigned int flags = 0;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "n");
	while ((c = parser_next(&p)) != -1)
		if (c == 'n')
			flags |= LUO_UPDATE_DRY_RUN;
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;

	/* a dry run when already prepared asks nobody: say so */
	if ((flags & LUO_UPDATE_DRY_RUN) && luo_get_state(ctx, &st))
		st = LUO_STATE_UNKNOWN;
	err = luo_update(ctx, flags);
	if (err)
		return fail(ctx, err);
	if (flags & LUO_UPDATE_DRY_RUN)
		print_dry_run(st == LUO_STATE_PREPARED);
	return EXIT_OK;
}

static int cmd_stats(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "prometheus", no_argument, NULL, 'p' },
		{ 0 }
	};
	struct stats_info si = { .failure.sz = sizeof(si.failure) };
	bool prom = false;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "p");
	while ((c = parser_next(&p)) != -1)
		if (c == 'p')
			prom = true;
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;
	if (prom && g_json)
		return usage_err("--prometheus and --json are mutually exclusive");

	err = luo_get_enabled(ctx, &si.enabled);
	if (!err)
		err = luo_get_state(ctx, &si.state);
	if (!err)
		err = luo_get_sequence(ctx, &si.seq);
	if (err)
		return fail(ctx, err);
	err = luo_get_blackout_ns(ctx, &si.blackout_ns);
	if (err && err != -ENOENT)
		return fail(ctx, err);
	si.have_blackout = !err;
	err = luo_get_last_failure(ctx, &si.failure);
	if (err)
		return fail(ctx, err);
	/* a kernel without exits has ejected nothing */
	err = luo_get_exits(ctx, &si.exits, sizeof(*si.exits), &si.nexits);
	if (err && err != -ENOENT)
		return fail(ctx, err);
	err = luo_get_timings(ctx, &si.timings, sizeof(*si.timings),
			      &si.ntimings);
	if (err && err != -ENOENT) {
		free(si.exits);
		return fail(ctx, err);
	}
	if (err)
		si.timings_err = luo_errmsg(ctx);
	if (prom)
		print_prometheus(&si);
	else
		print_stats(&si);
	free(si.timings);
	free(si.exits);
	return EXIT_OK;
}

static int cmd_participants(struct luo_ctx *ctx, int argc, char **argv)
{
	struct luo_participant *pa;
	size_t n, omitted;
	int err;

	PARSE_SIMPLE(0, 0);

	err = luo_list_participants(ctx, &pa, sizeof(*pa), &n, &omitted);
	if (err)
		return fail(ctx, err);
	print_participants(pa, n, omitted);
	free(pa);
	return EXIT_OK;
}

/* the kernel's rule, checked before anything is loaded */
static int check_policy_name(const char *name)
{
	if (!*name)
		return usage_err("empty policy name");
	if (strchr(name, '/') || strchr(name, '.'))
		return usage_err("invalid policy name '%s': no '/' or dot "
				 "allowed", name);
	if (strlen(name) > LUO_POLICY_NAME_LEN)
		return usage_err("invalid policy name '%s': %zu bytes, at most "
				 "%d", name, strlen(name), LUO_POLICY_NAME_LEN);
	return -1;
}

static int cmd_policy_attach(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "name", required_argument, NULL, 'n' },
		{ 0 }
	};
	const char *name = NULL;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "n:");
	while ((c = parser_next(&p)) != -1)
		if (c == 'n')
			name = optarg;
	if (p.rc >= 0)
		return p.rc;
	if (optind >= argc)
		return usage_err("missing OBJ argument");
	r = want_args(&p, 1, 1);
	if (r >= 0)
		return r;
	if (name && (r = check_policy_name(name)) >= 0)
		return r;
	r = check_input_file("BPF object", argv[optind]);
	if (r >= 0)
		return r;
	err = luo_policy_attach(ctx, argv[optind], name);
	if (err)
		return fail(ctx, err);
	if (g_json)
		json_result("policy attach");
	return EXIT_OK;
}

static int cmd_policy_detach(struct luo_ctx *ctx, int argc, char **argv)
{
	int r, err;

	PARSE_SIMPLE(1, 1);
	r = check_policy_name(argv[optind]);
	if (r >= 0)
		return r;
	err = luo_policy_detach(ctx, argv[optind]);
	if (err)
		return fail(ctx, err);
	if (g_json)
		json_result("policy detach");
	return EXIT_OK;
}

static int cmd_policy_list(struct luo_ctx *ctx, int argc, char **argv)
{
	struct luo_policy *pol;
	size_t n;
	int err;

	PARSE_SIMPLE(0, 0);
	err = luo_policy_list(ctx, &pol, sizeof(*pol), &n);
	if (err)
		return fail(ctx, err);
	print_policies(pol, n);
	free(pol);
	return EXIT_OK;
}

static const struct cmd policy_cmds[] = {
	{ "attach", cmd_policy_attach, NULL, usage_policy, false },
	{ "detach", cmd_policy_detach, NULL, usage_policy, false },
	{ "list", cmd_policy_list, NULL, usage_policy, false },
	{ 0 }
};

static int cmd_policy(struct luo_ctx *ctx, int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2)
		return usage_err("missing policy subcommand (attach, detach, list)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_policy, stdout);
		return EXIT_OK;
	}
	for (c = policy_cmds; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->fn(ctx, argc - 1, argv + 1);
	return usage_err("unknown policy subcommand '%s'", argv[1]);
}

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
		{ "debugfs-root", required_argument, NULL, 'd' },
		{ "bpffs-dir", required_argument, NULL, 'b' },
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

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", lo, NULL)) != -1) {
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
			opts.debugfs_root = optarg;
			break;
		case 'b':
			opts.bpffs_dir = optarg;
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
