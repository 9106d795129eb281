// SPDX-License-Identifier: GPL-2.0
/* luoctl: load, unload and update: the kernel to update to, and the update itself. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "luoctl.h"

int cmd_load(struct luo_ctx *ctx, int argc, char **argv)
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

int cmd_unload(struct luo_ctx *ctx, int argc, char **argv)
{
	return simple_op(ctx, argc, argv, luo_kexec_unload);
}

/*
 * --via-systemd: the preflight, prepare, then "systemctl kexec", so that
 * systemd stops the services before the kexec; REBOOT still runs on the
 * kernel's kexec path. If systemctl fails, a prepare done here is undone.
 */
static int update_via_systemd(struct luo_ctx *ctx)
{
	enum luo_state st;
	int err, status;
	pid_t pid;

	err = luo_update(ctx, LUO_UPDATE_DRY_RUN);
	if (!err)
		err = luo_get_state(ctx, &st);
	if (!err && st == LUO_STATE_NORMAL)
		err = luo_prepare(ctx);
	if (err)
		return fail(ctx, err);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execlp("systemctl", "systemctl", "kexec", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = -1;
	if (status == 0) {
		if (g_json)
			json_result("update");
		else
			puts("update: prepared; systemd stops the services, then "
			     "kexecs (REBOOT runs on the kernel's kexec path)");
		return EXIT_OK;
	}
	if (st == LUO_STATE_NORMAL)
		err = luo_cancel(ctx);
	return report_error(-ECANCELED, EXIT_FAILED, "systemctl kexec failed "
			    "(%s %d): %s", WIFEXITED(status) ? "exit" : "status",
			    WIFEXITED(status) ? WEXITSTATUS(status) : status,
			    st != LUO_STATE_NORMAL ? "still prepared, as before" :
			    err ? "and cancelling the prepare failed" :
			    "the prepare was cancelled");
}

int cmd_update(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "via-systemd", no_argument, NULL, 's' },
		{ 0 }
	};
	enum luo_state st = LUO_STATE_UNKNOWN;
	unsigned int flags = 0;
	bool systemd = false;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "ns");
	while ((c = parser_next(&p)) != -1) {
		if (c == 'n')
			flags |= LUO_UPDATE_DRY_RUN;
		else if (c == 's')
			systemd = true;
	}
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;
	if (systemd && (flags & LUO_UPDATE_DRY_RUN))
		return usage_err("--dry-run and --via-systemd are mutually exclusive");
	if (systemd)
		return update_via_systemd(ctx);

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

/* load: the command line the next kernel gets, and why it loses the
 * update (@warning, NULL if it keeps it) */
void json_load_result(const char *cmdline, const char *warning, bool check)
{
	bool first;

	json_begin(&first);
	json_key("command", &first);
	json_str("load");
	json_key("ok", &first);
	json_bool(true);
	json_key("loaded", &first);
	json_bool(!check);
	json_key("cmdline", &first);
	json_str(cmdline);
	json_key("keeps_update", &first);
	json_bool(!warning);
	json_key("warning", &first);
	json_str_or_null(warning);
	json_end();
}

void print_dry_run(bool already_prepared)
{
	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("command", &first);
		json_str("update");
		json_key("ok", &first);
		json_bool(true);
		json_key("dry_run", &first);
		json_bool(true);
		json_key("already_prepared", &first);
		json_bool(already_prepared);
		json_end();
		return;
	}
	if (already_prepared)
		puts("dry run: a kernel is loaded; already prepared, so PREPARE's "
		     "policies agreed at prepare (REBOOT's are asked at the kexec)");
	else
		puts("dry run: a kernel is loaded and no policy vetoes PREPARE "
		     "(no handler was called, nothing changed)");
}
