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
 * Set the prepare lease to *@ms, keeping the previous value in *@old to
 * restore after a failure; @ms NULL: leave it alone. -1 on success, else
 * the exit code of the reported error.
 */
static int take_lease(struct luo_ctx *ctx, const uint32_t *ms, uint32_t *old)
{
	int err;

	if (!ms)
		return -1;
	err = luo_get_prepare_lease(ctx, old);
	if (!err)
		err = luo_set_prepare_lease(ctx, *ms);
	if (err)
		return lease_fail(ctx, err);
	return -1;
}

/* fork and wait for "systemctl kexec": its wait status, -1 if it did not run */
static int systemctl_kexec(void)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execlp("systemctl", "systemctl", "kexec", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return status;
}

/*
 * --via-systemd: the preflight, prepare, then "systemctl kexec", so that
 * systemd stops the services before the kexec; REBOOT still runs on the
 * kernel's kexec path. If systemctl fails, a prepare done here is undone.
 * With --lease (@lease not NULL) the lease is set before the prepare and
 * never renewed (luoctl is gone while systemd stops the services);
 * without, the kernel's setting applies as it is.
 */
static int update_via_systemd(struct luo_ctx *ctx, const uint32_t *lease)
{
	enum luo_state st;
	int err, status, rc;
	uint32_t old = 0;

	err = luo_update(ctx, LUO_UPDATE_DRY_RUN);
	if (!err)
		err = luo_get_state(ctx, &st);
	if (err)
		return fail(ctx, err);
	rc = take_lease(ctx, lease, &old);
	if (rc >= 0)
		return rc;
	if (st == LUO_STATE_NORMAL)
		err = luo_prepare(ctx);
	if (err) {
		rc = fail(ctx, err);
		if (lease)
			lease_restore(ctx, old);
		return rc;
	}
	status = systemctl_kexec();
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
	rc = report_error(-ECANCELED, EXIT_FAILED, "systemctl kexec failed "
			  "(%s %d): %s", WIFEXITED(status) ? "exit" : "status",
			  WIFEXITED(status) ? WEXITSTATUS(status) : status,
			  st != LUO_STATE_NORMAL ? "still prepared, as before" :
			  err ? "and cancelling the prepare failed" :
			  "the prepare was cancelled");
	if (lease)
		lease_restore(ctx, old);
	return rc;
}

/* would luo_update() get as far as the prepare? If not, it says why */
static bool update_can_start(struct luo_ctx *ctx)
{
	enum luo_state st;
	bool enabled;

	if (luo_get_enabled(ctx, &enabled) || !enabled)
		return false;
	if (luo_get_state(ctx, &st) || st == LUO_STATE_UPDATED)
		return false;
	/* unknown (no kexec_loaded file): the reboot decides */
	return luo_kexec_loaded(ctx) != 0;
}

static int update_plain(struct luo_ctx *ctx)
{
	int err = luo_update(ctx, 0);

	return err ? fail(ctx, err) : EXIT_OK;
}

/*
 * The update under a lease of @ms (0: none): set before the prepare, so
 * that the prepare arms it, and renewed every third of it until the kexec
 * (the kernel refuses the writes with EBUSY once it is under way). If
 * luoctl dies in between, the kernel cancels when the lease expires. A
 * failed update gets the previous value back. A kernel without the lease
 * updates without one, unless --lease was given (@explicit).
 */
static int update_with_lease(struct luo_ctx *ctx, uint32_t ms, bool explicit)
{
	struct lease_renewer r;
	uint32_t old;
	int err, rc;

	if (!update_can_start(ctx))
		return update_plain(ctx);
	err = luo_get_prepare_lease(ctx, &old);
	if (err == -ENOENT && !explicit) {
		if (!g_json)
			err_msg("warning: %s; updating without a lease",
				luo_errmsg(ctx));
		return update_plain(ctx);
	}
	if (err)
		return lease_fail(ctx, err);
	err = luo_set_prepare_lease(ctx, ms);
	if (err)
		return lease_fail(ctx, err);
	err = lease_renew_start(&r, ctx, ms);
	if (err) {
		rc = report_error(err, EXIT_FAILED, "cannot renew the prepare "
				  "lease: %s", strerror(-err));
		lease_restore(ctx, old);
		return rc;
	}
	err = luo_update(ctx, 0);
	lease_renew_stop(&r);
	if (!err)
		return EXIT_OK;	/* not reached: a kexec does not return */
	rc = fail(ctx, err);
	lease_restore(ctx, old);
	return rc;
}

int cmd_update(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "via-systemd", no_argument, NULL, 's' },
		{ "lease", required_argument, NULL, 'l' },
		{ 0 }
	};
	enum luo_state st = LUO_STATE_UNKNOWN;
	uint32_t lease = UPDATE_LEASE_DEFAULT_MS;
	bool systemd = false, dry = false;
	const char *lease_arg = NULL;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "nsl:");
	while ((c = parser_next(&p)) != -1) {
		if (c == 'n')
			dry = true;
		else if (c == 's')
			systemd = true;
		else if (c == 'l')
			lease_arg = optarg;
	}
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;
	if (systemd && dry)
		return usage_err("--dry-run and --via-systemd are mutually exclusive");
	if (lease_arg) {
		r = parse_duration_ms("--lease", lease_arg, &lease);
		if (r >= 0)
			return r;
	}
	if (systemd)
		return update_via_systemd(ctx, lease_arg ? &lease : NULL);
	if (!dry)
		return update_with_lease(ctx, lease, lease_arg);

	/* a dry run writes nothing, the lease included; when already
	 * prepared it asks nobody: say so */
	if (luo_get_state(ctx, &st))
		st = LUO_STATE_UNKNOWN;
	err = luo_update(ctx, LUO_UPDATE_DRY_RUN);
	if (err)
		return fail(ctx, err);
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
