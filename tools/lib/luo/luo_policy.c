// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libluo: BPF struct_ops policies (requires libbpf, HAVE_LIBBPF). */
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

static int no_policy(struct luo_ctx *ctx)
{
	return luo_err(ctx, -EOPNOTSUPP, "BPF policy support not available: "
		       "libluo was built without libbpf (set LIBBPF_A and "
		       "LIBBPF_INCLUDE when building)");
}

int luo_policy_attach(struct luo_ctx *ctx, const char *obj_path,
		      const char *name)
{
	(void)obj_path;
	(void)name;
	return no_policy(ctx);
}

int luo_policy_detach(struct luo_ctx *ctx, const char *name)
{
	(void)name;
	return no_policy(ctx);
}

int luo_policy_list(struct luo_ctx *ctx, struct luo_policy **out,
		    size_t elem_sz, size_t *cnt)
{
	(void)out;
	(void)elem_sz;
	(void)cnt;
	return no_policy(ctx);
}

#else /* HAVE_LIBBPF */

#include <dirent.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

/*
 * libbpf reports details (verifier log, BTF mismatches) only through its
 * process-wide print callback. While a policy call runs we route it to a
 * per-thread buffer so the last warning can be added to the ctx message;
 * the previous callback is restored afterwards. Nothing is printed.
 */
static _Thread_local char libbpf_last[512];

static int capture_print(enum libbpf_print_level level, const char *fmt,
			 va_list ap)
{
	char line[512];
	int n;

	if (level != LIBBPF_WARN)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n <= 0)
		return 0;
	luo_rstrip(line);
	if (line[0])
		memcpy(libbpf_last, line, sizeof(line));
	return 0;
}

static libbpf_print_fn_t quiet_begin(void)
{
	libbpf_last[0] = '\0';
	return libbpf_set_print(capture_print);
}

static void quiet_end(libbpf_print_fn_t old)
{
	libbpf_set_print(old);
}

bool luo_policy_supported(void)
{
	return true;
}

/* The kernel's rule for names (bpffs refuses dots in pin names). */
static int check_name(struct luo_ctx *ctx, const char *name)
{
	if (!name || !*name)
		return luo_err(ctx, -EINVAL, "empty policy name");
	if (strchr(name, '/') || strchr(name, '.'))
		return luo_err(ctx, -EINVAL, "invalid policy name '%.*s': no "
			       "'/' or dot allowed", LUO_NAME_MAX, name);
	if (strlen(name) > LUO_POLICY_NAME_LEN)
		return luo_err(ctx, -EINVAL, "invalid policy name '%.*s': "
			       "longer than %d bytes", LUO_NAME_MAX, name,
			       LUO_POLICY_NAME_LEN);
	return 0;
}

static bool on_bpffs(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 &&
	       (unsigned long)sfs.f_type == (unsigned long)BPF_FS_MAGIC;
}

/* mkdir -p bpffs_dir, but only inside a mounted bpffs */
static int ensure_dir(struct luo_ctx *ctx)
{
	char tmp[PATH_MAX], eb[96], *slash;
	struct stat st;
	int err;

	if (snprintf(tmp, sizeof(tmp), "%s", ctx->bpffs_dir) >= (int)sizeof(tmp))
		return luo_err(ctx, -ENAMETOOLONG, "path too long");

	/* find the deepest existing ancestor and check its filesystem */
	while (stat(tmp, &st)) {
		slash = strrchr(tmp, '/');
		if (!slash || slash == tmp) {
			strcpy(tmp, "/");
			break;
		}
		*slash = '\0';
	}
	if (!on_bpffs(tmp))
		return luo_err(ctx, -EINVAL, "%s is not on a BPF filesystem "
			       "(mount -t bpf bpf /sys/fs/bpf)", ctx->bpffs_dir);

	snprintf(tmp, sizeof(tmp), "%s", ctx->bpffs_dir);
	for (slash = tmp + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			goto fail;
		*slash = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		goto fail;
	return 0;
fail:
	err = -errno;
	return luo_err(ctx, err, "cannot create %s: %s", tmp,
		       luo_strerr(err, eb, sizeof(eb)));
}

static int with_libbpf_detail(struct luo_ctx *ctx, int err, const char *what)
{
	const char *detail = libbpf_last;
	char eb[128];

	/* libbpf's own codes (LIBBPF_ERRNO__*) start at 4000 */
	if (err <= -4000) {
		libbpf_strerror(err, eb, sizeof(eb));
		err = -EINVAL;
	} else {
		luo_strerr(err, eb, sizeof(eb));
	}
	if (!strncmp(detail, "libbpf: ", 8))
		detail += 8;
	if (detail[0])
		return luo_err(ctx, err, "%s: %s (libbpf: %s)", what, eb, detail);
	return luo_err(ctx, err, "%s: %s", what, eb);
}

/*
 * Rename the instance: set the struct's "name" member before load, so that
 * the kernel lists the policy under the name it is pinned as.
 */
static int set_ops_name(struct bpf_object *obj, struct bpf_map *map,
			const char *name)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_member *m;
	const struct btf_type *t;
	size_t vsz = 0;
	char *data;
	__u32 i;

	data = bpf_map__initial_value(map, &vsz);
	t = btf ? btf__type_by_id(btf, bpf_map__btf_value_type_id(map)) : NULL;
	if (!data || !t || !btf_is_struct(t))
		return -EINVAL;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		__s64 sz = btf__resolve_size(btf, m->type);

		if (strcmp(btf__name_by_offset(btf, m->name_off), "name"))
			continue;
		if (sz <= 0 || m->offset / 8 + (size_t)sz > vsz ||
		    strlen(name) >= (size_t)sz)
			return -EINVAL;
		memset(data + m->offset / 8, 0, sz);
		memcpy(data + m->offset / 8, name, strlen(name));
		return 0;
	}
	return -ENOENT;
}

int luo_policy_attach(struct luo_ctx *ctx, const char *obj_path,
		      const char *name)
{
	struct bpf_link *links[16] = { 0 };
	char pins[16][PATH_MAX];
	char names[16][LUO_NAME_MAX];
	char what[PATH_MAX + 64];
	struct bpf_object *obj;
	struct bpf_map *map;
	libbpf_print_fn_t old;
	int nmaps = 0, nlinks = 0, err = 0, i;

	if (!obj_path || !*obj_path)
		return luo_err(ctx, -EINVAL, "no BPF object given");
	if (name && (err = check_name(ctx, name)))
		return err;
	if (access(obj_path, R_OK)) {
		err = -errno;
		snprintf(what, sizeof(what), "cannot read '%s'", obj_path);
		libbpf_last[0] = '\0';
		return with_libbpf_detail(ctx, err, what);
	}
	old = quiet_begin();
	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj) {
		err = -errno;
		snprintf(what, sizeof(what), "cannot open BPF object '%s'", obj_path);
		err = with_libbpf_detail(ctx, err, what);
		goto out_print;
	}

	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			nmaps++;
	if (!nmaps) {
		err = luo_err(ctx, -ENOENT, "'%s' contains no struct_ops map "
			      "(SEC(\".struct_ops.link\"))", obj_path);
		goto out_close;
	}
	if (nmaps > (int)ARRAY_SIZE(links)) {
		err = luo_err(ctx, -E2BIG, "'%s' has too many struct_ops maps",
			      obj_path);
		goto out_close;
	}

	/* compute and check all pin paths before touching the kernel */
	i = 0;
	bpf_object__for_each_map(map, obj) {
		const char *mname = bpf_map__name(map);
		int n;

		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (!(bpf_map__map_flags(map) & BPF_F_LINK)) {
			err = luo_err(ctx, -EINVAL, "struct_ops map '%s' is not "
				      "link based: declare it in "
				      "SEC(\".struct_ops.link\") so it can be "
				      "pinned", mname);
			goto out_close;
		}
		if (!name)
			n = snprintf(names[i], LUO_NAME_MAX, "%s", mname);
		else if (nmaps == 1)
			n = snprintf(names[i], LUO_NAME_MAX, "%s", name);
		else
			n = snprintf(names[i], LUO_NAME_MAX, "%s_%s", name, mname);
		if (n < 0 || n >= LUO_NAME_MAX || check_name(ctx, names[i])) {
			if (n < 0 || n >= LUO_NAME_MAX)
				luo_err(ctx, -EINVAL, "policy name too long");
			err = -EINVAL;
			goto out_close;
		}
		n = snprintf(pins[i], PATH_MAX, "%s/%s", ctx->bpffs_dir, names[i]);
		if (n < 0 || n >= PATH_MAX) {
			err = luo_err(ctx, -ENAMETOOLONG, "pin path too long");
			goto out_close;
		}
		if (access(pins[i], F_OK) == 0) {
			err = luo_err(ctx, -EEXIST, "policy already attached: "
				      "%s exists (detach it first)", pins[i]);
			goto out_close;
		}
		i++;
	}

	/* each instance gets the name of its pin */
	if (name) {
		i = 0;
		bpf_object__for_each_map(map, obj) {
			if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
				continue;
			err = set_ops_name(obj, map, names[i]);
			if (err) {
				err = luo_err(ctx, err, "cannot name the policy '%s'",
					      names[i]);
				goto out_close;
			}
			i++;
		}
	}

	/* only now touch bpffs: bad input must not leave anything behind */
	err = ensure_dir(ctx);
	if (err)
		goto out_close;

	if (bpf_object__load(obj)) {
		err = -errno;
		snprintf(what, sizeof(what), "cannot load BPF object '%s'", obj_path);
		err = with_libbpf_detail(ctx, err, what);
		goto out_close;
	}

	bpf_object__for_each_map(map, obj) {
		struct bpf_link *link;

		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		link = bpf_map__attach_struct_ops(map);
		if (!link) {
			err = -errno;
			snprintf(what, sizeof(what), "cannot attach struct_ops "
				 "map '%s'", bpf_map__name(map));
			err = with_libbpf_detail(ctx, err, what);
			goto out_unwind;
		}
		links[nlinks] = link;
		if (bpf_link__pin(link, pins[nlinks])) {
			err = -errno;
			snprintf(what, sizeof(what), "cannot pin link at %s",
				 pins[nlinks]);
			err = with_libbpf_detail(ctx, err, what);
			nlinks++;
			goto out_unwind;
		}
		nlinks++;
	}

	/* the pins keep the links (and policies) alive from now on */
	for (i = 0; i < nlinks; i++) {
		bpf_link__disconnect(links[i]);
		bpf_link__destroy(links[i]);
	}
	luo_ok(ctx);
	goto out_close;

out_unwind:
	for (i = 0; i < nlinks; i++) {
		bpf_link__unpin(links[i]);	/* no-op if not pinned */
		bpf_link__destroy(links[i]);	/* detaches */
	}
out_close:
	bpf_object__close(obj);
out_print:
	quiet_end(old);
	return err;
}

int luo_policy_detach(struct luo_ctx *ctx, const char *name)
{
	char path[PATH_MAX], what[PATH_MAX + 64], eb[96];
	libbpf_print_fn_t old;
	struct bpf_link *link;
	int err;

	err = check_name(ctx, name);
	if (err)
		return err;
	err = luo_path(ctx, path, sizeof(path), ctx->bpffs_dir, name);
	if (err)
		return err;
	if (access(path, F_OK)) {
		err = -errno;
		if (err == -ENOENT)
			return luo_err(ctx, err, "no policy named '%s' "
				       "(%s does not exist)", name, path);
		return luo_err(ctx, err, "%s: %s", path,
			       luo_strerr(err, eb, sizeof(eb)));
	}

	old = quiet_begin();
	link = bpf_link__open(path);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "%s is not a BPF link", path);
		err = with_libbpf_detail(ctx, err, what);
		goto out;
	}
	/* explicit detach takes effect even if someone else holds an fd */
	err = bpf_link__detach(link);
	if (err && err != -EOPNOTSUPP && err != -EINVAL) {
		snprintf(what, sizeof(what), "cannot detach policy '%s'", name);
		err = with_libbpf_detail(ctx, err, what);
		bpf_link__destroy(link);
		goto out;
	}
	err = bpf_link__unpin(link);
	if (err) {
		snprintf(what, sizeof(what), "cannot unpin %s", path);
		err = with_libbpf_detail(ctx, err, what);
		bpf_link__destroy(link);
		goto out;
	}
	bpf_link__destroy(link);
	luo_ok(ctx);
out:
	quiet_end(old);
	return err;
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
