// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libluo: kexec_file_load() and the update sequence. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/kexec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "luo_internal.h"

#define BZIMAGE_MAGIC_OFF	0x202
#define BZIMAGE_MAGIC		"HdrS"
#define ARM64_MAGIC_OFF		0x38
#define ARM64_MAGIC		"ARM\x64"

/* open @path for reading and make sure it is a non-empty regular file */
static int open_regular(struct luo_ctx *ctx, const char *what,
			const char *path, struct stat *st)
{
	char eb[96];
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		return luo_err(ctx, err, "%s '%s': %s", what, path,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	if (fstat(fd, st)) {
		err = -errno;
		close(fd);
		return luo_err(ctx, err, "%s '%s': %s", what, path,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return luo_err(ctx, -EINVAL, "%s '%s' is not a regular file",
			       what, path);
	}
	if (st->st_size == 0) {
		close(fd);
		return luo_err(ctx, -ENOEXEC, "%s '%s' is empty", what, path);
	}
	return fd;
}

static bool magic_at(int fd, off_t off, const char *magic)
{
	char buf[8];
	size_t n = strlen(magic);

	return pread(fd, buf, n, off) == (ssize_t)n && !memcmp(buf, magic, n);
}

static int check_image_fd(struct luo_ctx *ctx, int fd, const char *path)
{
	if (magic_at(fd, BZIMAGE_MAGIC_OFF, BZIMAGE_MAGIC))
		return 0;
#ifdef __aarch64__
	if (magic_at(fd, ARM64_MAGIC_OFF, ARM64_MAGIC))
		return 0;
#endif
	return luo_err(ctx, -ENOEXEC, "'%s' does not look like a kernel image "
		       "(no bzImage 'HdrS' signature at offset 0x%x)",
		       path, BZIMAGE_MAGIC_OFF);
}

int luo_kexec_check_image(struct luo_ctx *ctx, const char *path)
{
	struct stat st;
	int fd, err;

	if (!path || !*path)
		return luo_err(ctx, -EINVAL, "no kernel image given");
	fd = open_regular(ctx, "kernel image", path, &st);
	if (fd < 0)
		return fd;
	err = check_image_fd(ctx, fd, path);
	close(fd);
	if (!err)
		luo_ok(ctx);
	return err;
}

int luo_kexec_load(struct luo_ctx *ctx, const char *kernel, const char *initrd,
		   const char *cmdline, unsigned int flags)
{
	unsigned long kflags = 0;
	char *owned = NULL, eb[96];
	int kfd = -1, ifd = -1, err;
	struct stat st;
	size_t len;
	long ret;

	if (flags & ~(LUO_KEXEC_REUSE_CMDLINE | LUO_KEXEC_CHECK_ONLY))
		return luo_err(ctx, -EINVAL, "unknown kexec flags 0x%x", flags);
	if (cmdline && (flags & LUO_KEXEC_REUSE_CMDLINE))
		return luo_err(ctx, -EINVAL, "an explicit command line and "
			       "reusing /proc/cmdline are mutually exclusive");

	if (!kernel || !*kernel)
		return luo_err(ctx, -EINVAL, "no kernel image given");
	kfd = open_regular(ctx, "kernel image", kernel, &st);
	if (kfd < 0)
		return kfd;
	err = check_image_fd(ctx, kfd, kernel);
	if (err)
		goto out;

	if (initrd) {
		ifd = open_regular(ctx, "initrd", initrd, &st);
		if (ifd < 0) {
			err = ifd;
			goto out;
		}
	} else {
		kflags |= KEXEC_FILE_NO_INITRAMFS;
	}

	if (flags & LUO_KEXEC_REUSE_CMDLINE) {
		err = luo_kexec_cmdline(ctx, NULL, NULL,
					LUO_KEXEC_REUSE_CMDLINE, &owned);
		if (err)
			goto out;
		cmdline = owned;
	}
	if (!cmdline)
		cmdline = "";
	len = strlen(cmdline) + 1;	/* the kernel wants the NUL counted */

	if (flags & LUO_KEXEC_CHECK_ONLY) {
		luo_ok(ctx);
		goto out;
	}

	ret = syscall(SYS_kexec_file_load, kfd, ifd, len, cmdline, kflags);
	if (ret) {
		err = -errno;
		switch (err) {
		case -EPERM:
			luo_err(ctx, err, "kexec_file_load refused: %s "
				"(need CAP_SYS_BOOT; kexec may be disabled by "
				"kernel.kexec_load_disabled or lockdown)",
				luo_strerr(err, eb, sizeof(eb)));
			break;
		case -ENOSYS:
			err = -EOPNOTSUPP;
			luo_err(ctx, err, "kexec_file_load is not supported by "
				"this kernel (CONFIG_KEXEC_FILE=n)");
			break;
		case -ENOEXEC:
			luo_err(ctx, err, "kernel rejected '%s' as a kexec "
				"image (ENOEXEC)", kernel);
			break;
		case -EKEYREJECTED:
		case -EBADMSG:
			luo_err(ctx, err, "signature verification of '%s' "
				"failed: %s", kernel,
				luo_strerr(err, eb, sizeof(eb)));
			break;
		case -EBUSY:
			luo_err(ctx, err, "kexec is busy (another load or an "
				"update in progress) (EBUSY)");
			break;
		default:
			luo_err(ctx, err, "kexec_file_load failed: %s",
				luo_strerr(err, eb, sizeof(eb)));
		}
		goto out;
	}
	luo_ok(ctx);
out:
	free(owned);
	if (ifd >= 0)
		close(ifd);
	close(kfd);
	return err;
}

int luo_kexec_unload(struct luo_ctx *ctx)
{
	char eb[96];
	int err;

	/* with KEXEC_FILE_UNLOAD the fds are ignored and the length is 0 */
	if (!syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL,
		     (unsigned long)KEXEC_FILE_UNLOAD)) {
		luo_ok(ctx);
		return 0;
	}
	err = -errno;
	if (err == -ENOSYS)
		return luo_err(ctx, -EOPNOTSUPP, "kexec_file_load is not "
			       "supported by this kernel (CONFIG_KEXEC_FILE=n)");
	return luo_err(ctx, err, "unloading the kexec kernel failed: %s%s",
		       luo_strerr(err, eb, sizeof(eb)),
		       err == -EPERM ? " (need CAP_SYS_BOOT)" : "");
}

/* kexec_loaded lives next to the liveupdate directory (/sys/kernel/) */
static int kexec_loaded_path(struct luo_ctx *ctx, char *buf, size_t sz)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", ctx->sysfs_root) >= (int)sizeof(tmp))
		return luo_err(ctx, -ENAMETOOLONG, "path too long");
	return luo_path(ctx, buf, sz, dirname(tmp), "kexec_loaded");
}

int luo_kexec_loaded(struct luo_ctx *ctx)
{
	char path[PATH_MAX], buf[16];
	int err;

	err = kexec_loaded_path(ctx, path, sizeof(path));
	if (err)
		return err;
	err = luo_read_file(ctx, path, buf, sizeof(buf));
	if (err < 0)
		return err;
	luo_rstrip(buf);
	if (strcmp(buf, "0") && strcmp(buf, "1"))
		return luo_err(ctx, -EPROTO, "unrecognised value '%s' in %s",
			       buf, path);
	luo_ok(ctx);
	return buf[0] == '1';
}

/*
 * The kexec reboot failed with @err. Tell what the kernel did: who refused
 * REBOOT (the kernel then already rolled back to normal and cancelled
 * everyone), and the state as it reads now. Only a prepare done here, and
 * still in place, is cancelled.
 */
static int reboot_failed(struct luo_ctx *ctx, int err, bool prepared_here,
			 const char *snap)
{
	char what[LUO_MSG_MAX / 2], tail[LUO_MSG_MAX / 2], eb[96];
	enum luo_state st = LUO_STATE_UNKNOWN;
	struct luo_failure f;
	bool refused;

	refused = luo_failure_fresh(ctx, snap, LUO_EVENT_REBOOT, err, &f);
	if (refused) {
		char desc[LUO_MSG_MAX / 2 - 16];

		luo_failure_describe(&f, desc, sizeof(desc));
		snprintf(what, sizeof(what), "reboot %s", desc);
	} else {
		snprintf(what, sizeof(what), "reboot into the new kernel failed: %s",
			 luo_strerr(err, eb, sizeof(eb)));
	}

	if (luo_get_state(ctx, &st))
		st = LUO_STATE_UNKNOWN;
	if (st == LUO_STATE_PREPARED && prepared_here) {
		int cerr = luo_cancel(ctx);

		if (!cerr) {
			snprintf(tail, sizeof(tail), "prepare cancelled, state is "
				 "'normal'");
		} else {
			char cmsg[LUO_MSG_MAX / 4];

			snprintf(cmsg, sizeof(cmsg), "%.200s", ctx->msg);
			if (luo_get_state(ctx, &st))
				st = LUO_STATE_UNKNOWN;
			snprintf(tail, sizeof(tail), "cancelling the prepare failed "
				 "too (%s), state %s '%s'", cmsg,
				 st == LUO_STATE_PREPARED ? "left" : "is",
				 luo_state_str(st));
		}
	} else if (st == LUO_STATE_PREPARED) {
		snprintf(tail, sizeof(tail), "state is still 'prepared' (it was "
			 "prepared before this update)");
	} else if (st == LUO_STATE_NORMAL && refused) {
		snprintf(tail, sizeof(tail), "the kernel rolled back: every "
			 "participant was cancelled, state is 'normal'");
	} else if (st != LUO_STATE_UNKNOWN) {
		snprintf(tail, sizeof(tail), "state is '%s'", luo_state_str(st));
	} else {
		snprintf(tail, sizeof(tail), "live update state unknown");
	}

	luo_err(ctx, err, "%s; %s", what, tail);
	if (refused)
		luo_set_cause(ctx, f.by_policy ? LUO_CAUSE_POLICY :
			      LUO_CAUSE_PARTICIPANT, &f);
	return err;
}

int luo_update(struct luo_ctx *ctx, unsigned int flags)
{
	bool dry = flags & LUO_UPDATE_DRY_RUN, prepared_here = false;
	char snap[LUO_FAILURE_LINE_MAX];
	enum luo_state st;
	bool enabled;
	int err, loaded;

	if (flags & ~LUO_UPDATE_DRY_RUN)
		return luo_err(ctx, -EINVAL, "unknown update flags 0x%x", flags);

	err = luo_get_enabled(ctx, &enabled);
	if (err)
		return err;
	if (!enabled)
		return luo_err(ctx, -EOPNOTSUPP, "live update is disabled "
			       "(%s/enabled is 0)", ctx->sysfs_root);

	err = luo_get_state(ctx, &st);
	if (err)
		return err;
	if (st == LUO_STATE_UPDATED) {
		err = luo_err(ctx, -EBUSY, "cannot update: the previous live "
			      "update was not finished (state 'updated'); "
			      "run finish first");
		luo_set_cause(ctx, LUO_CAUSE_STATE, NULL);
		return err;
	}

	loaded = luo_kexec_loaded(ctx);
	if (loaded == 0)
		return luo_err(ctx, -ENOEXEC, "cannot update: no kexec kernel "
			       "loaded (load one first)");
	/* unknown (file absent): let reboot() decide */

	if (dry) {
		/* the preflight: the policies, no handler, no state change;
		 * already prepared, PREPARE's checks passed at prepare */
		if (st == LUO_STATE_NORMAL)
			return luo_check(ctx);
		luo_ok(ctx);
		return 0;
	}

	if (st == LUO_STATE_NORMAL) {
		err = luo_prepare(ctx);
		if (err)
			return err;
		prepared_here = true;
	}

	sync();
	luo_failure_snapshot(ctx, snap, sizeof(snap));
	err = luo_reboot_kexec();
	if (!err) {
		/* not reached on success */
		luo_ok(ctx);
		return 0;
	}
	return reboot_failed(ctx, err, prepared_here, snap);
}
