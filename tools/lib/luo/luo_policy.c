// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libluo: attach a policy from a file, detach and list (needs libbpf). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luo_internal.h"

#ifndef HAVE_LIBBPF

bool luo_policy_supported(void)
{
	return false;
}

int luo_policy_attach(struct luo_ctx *ctx, const char *obj_path,
		      const char *name)
{
	(void)obj_path;
	(void)name;
	return luo_no_libbpf(ctx);
}

int luo_policy_detach(struct luo_ctx *ctx, const char *name)
{
	(void)name;
	return luo_no_libbpf(ctx);
}

int luo_policy_list(struct luo_ctx *ctx, struct luo_policy **out,
		    size_t elem_sz, size_t *cnt)
{
	(void)out;
	(void)elem_sz;
	(void)cnt;
	return luo_no_libbpf(ctx);
}

#else /* HAVE_LIBBPF */

#include <dirent.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

bool luo_policy_supported(void)
{
	return true;
}

int luo_policy_attach(struct luo_ctx *ctx, const char *obj_path,
		      const char *name)
{
	struct luo_bpf_attach_opts opts = { .sz = sizeof(opts), .name = name };
	const struct bpf_object_open_opts *oo;
	struct bpf_object *obj;
	char eb[96];
	int err;

	if (!obj_path || !*obj_path)
		return luo_err(ctx, -EINVAL, "no BPF object given");
	if (name && (err = luo_bpf_check_name(ctx, name)))
		return err;
	if (access(obj_path, R_OK)) {
		err = -errno;
		return luo_err(ctx, err, "cannot read '%s': %s", obj_path,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	oo = luo_bpf_open_opts(ctx);
	if (!oo)
		return -ENOMEM;
	obj = bpf_object__open_file(obj_path, oo);
	if (!obj) {
		err = -errno;
		if (err <= -4000)	/* LIBBPF_ERRNO__* */
			err = -EINVAL;
		return luo_err(ctx, err, "cannot open BPF object '%s': %s",
			       obj_path, luo_strerr(err, eb, sizeof(eb)));
	}
	err = luo_bpf_attach(ctx, obj, &opts);
	bpf_object__close(obj);
	if (err) {	/* say which object */
		char msg[LUO_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", luo_errmsg(ctx));
		luo_err(ctx, err, "%s: %s", obj_path, msg);
	}
	return err;
}

int luo_policy_detach(struct luo_ctx *ctx, const char *name)
{
	char path[PATH_MAX], eb[96];
	struct bpf_link *link;
	int err;

	err = luo_bpf_check_name(ctx, name);
	err = err ?: luo_path(ctx, path, sizeof(path), ctx->bpffs_dir, name);
	if (err)
		return err;
	if (access(path, F_OK)) {
		err = -errno;
		if (err != -ENOENT)
			return luo_err(ctx, err, "%s: %s", path,
				       luo_strerr(err, eb, sizeof(eb)));
		luo_bpf_remove_aux(ctx, name);	/* left by a detach elsewhere */
		return luo_err(ctx, err, "no policy named '%s' (%s does not "
			       "exist)", name, path);
	}
	link = bpf_link__open(path);
	if (!link) {
		err = -errno;
		return luo_err(ctx, err, "%s is not a BPF link: %s", path,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	/* explicit detach takes effect even if someone else holds an fd */
	err = bpf_link__detach(link);
	if (err && err != -EOPNOTSUPP && err != -EINVAL) {
		bpf_link__destroy(link);
		return luo_err(ctx, err, "cannot detach policy '%s': %s", name,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	err = bpf_link__unpin(link);
	bpf_link__destroy(link);
	if (err)
		return luo_err(ctx, err, "cannot unpin %s: %s", path,
			       luo_strerr(err, eb, sizeof(eb)));
	luo_bpf_remove_aux(ctx, name);
	luo_ok(ctx);
	return 0;
}

/*
 * The kernel's "blobs" lines: "out NAME BYTES" and "in NAME BYTES
 * claimed|unclaimed". A kernel without the file has none.
 */
static void policy_blobs(struct luo_ctx *ctx, struct luo_policy *p)
{
	char buf[8192], dir[8], name[LUO_NAME_MAX], state[16];
	long long bytes;
	char *line, *save;
	int n;

	p->restored = -1;
	p->preserved = -1;
	if (luo_read_attr(ctx, ctx->sysfs_root, "blobs", buf, sizeof(buf)) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		state[0] = '\0';
		n = sscanf(line, "%7s %63s %lld %15s", dir, name, &bytes, state);
		if (n < 3 || strcmp(name, p->name))
			continue;
		if (!strcmp(dir, "out"))
			p->preserved = bytes;
		else if (!strcmp(dir, "in") && !strcmp(state, "claimed"))
			p->restored = bytes;
	}
}

int luo_policy_list(struct luo_ctx *ctx, struct luo_policy **out,
		    size_t elem_sz, size_t *cnt)
{
	struct luo_policy *arr = NULL, *na;
	size_t n = 0, cap = 0;
	struct dirent *de;
	char eb[96];
	void *res;
	DIR *dir;
	int err;

	err = luo_check_elem_sz(ctx, elem_sz, "luo_policy");
	if (err)
		return err;
	dir = opendir(ctx->bpffs_dir);
	if (!dir) {
		err = -errno;
		if (err == -ENOENT) {	/* nothing ever attached */
			*out = NULL;
			*cnt = 0;
			luo_ok(ctx);
			return 0;
		}
		return luo_err(ctx, err, "cannot open %s: %s", ctx->bpffs_dir,
			       luo_strerr(err, eb, sizeof(eb)));
	}
	while ((de = readdir(dir))) {
		struct bpf_link_info info;
		__u32 len = sizeof(info);
		struct luo_policy p = { .sz = sizeof(p) };
		char path[PATH_MAX];
		int fd;

		if (de->d_name[0] == '.')
			continue;
		if (strlen(de->d_name) >= sizeof(p.name))
			continue;
		strcpy(p.name, de->d_name);
		if (snprintf(path, sizeof(path), "%s/%s", ctx->bpffs_dir,
			     de->d_name) >= (int)sizeof(path))
			continue;
		/* best effort: report ids when the pin is a BPF link */
		fd = bpf_obj_get(path);
		if (fd >= 0) {
			memset(&info, 0, sizeof(info));
			if (!bpf_link_get_info_by_fd(fd, &info, &len)) {
				p.link_id = info.id;
				if (info.type == BPF_LINK_TYPE_STRUCT_OPS)
					p.map_id = info.struct_ops.map_id;
			}
			close(fd);
		}
		policy_blobs(ctx, &p);
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			na = realloc(arr, cap * sizeof(*arr));
			if (!na) {
				free(arr);
				closedir(dir);
				return luo_err(ctx, -ENOMEM, "out of memory");
			}
			arr = na;
		}
		arr[n++] = p;
	}
	closedir(dir);
	err = luo_array_out(ctx, arr, n, sizeof(*arr), elem_sz, &res);
	if (err)
		return err;
	*out = res;
	*cnt = n;
	luo_ok(ctx);
	return 0;
}

#endif /* HAVE_LIBBPF */
