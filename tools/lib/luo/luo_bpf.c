// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libluo: the one BPF loading path for struct liveupdate_ops objects
 * (fields and globals by name: luo_bpf_fields.c).
 *
 * Set struct_ops fields and globals by name, load with the verifier's log
 * going to a buffer of the ctx (kernel_log_buf and the programs' log
 * buffers; libbpf's process-wide print hook is left to the application),
 * attach every struct_ops map through a link and pin it in bpffs_dir, with
 * the instance's auxiliary maps in <bpffs_dir>-aux/<name>/. Bad input is
 * refused before anything is loaded; a failure later undoes every attach
 * and pin made so far. Needs libbpf (HAVE_LIBBPF).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "luo_internal.h"

/* The kernel's rule (bpf_obj_name_cpy) without the dot bpffs refuses. */
int luo_bpf_check_name(struct luo_ctx *ctx, const char *name)
{
	size_t i, len = name ? strlen(name) : 0;

	if (!len)
		return luo_err(ctx, -EINVAL, "empty policy name");
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return luo_err(ctx, -EINVAL, "invalid policy name '%.*s': "
				       "only letters, digits and '_' (no '/' "
				       "or dot)", LUO_NAME_MAX, name);
	if (len > LUO_POLICY_NAME_LEN)
		return luo_err(ctx, -EINVAL, "invalid policy name '%.*s': longer "
			       "than %d bytes", LUO_NAME_MAX, name,
			       LUO_POLICY_NAME_LEN);
	luo_ok(ctx);
	return 0;
}

/* bpffs refuses dots in names, so an instance's maps live apart. */
int luo_bpf_aux_dir(struct luo_ctx *ctx, const char *name, char *buf,
		    size_t sz)
{
	if (snprintf(buf, sz, "%s-aux/%s", ctx->bpffs_dir, name) >= (int)sz)
		return luo_err(ctx, -ENAMETOOLONG, "path too long");
	return 0;
}

/* Remove <bpffs_dir>-aux/<name> and every map pinned in it. */
void luo_bpf_remove_aux(struct luo_ctx *ctx, const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (luo_bpf_aux_dir(ctx, name, dir, sizeof(dir)))
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) <
		    (int)sizeof(path))
			unlink(path);
	closedir(d);
	rmdir(dir);
}

int luo_bpf_aux_path(struct luo_ctx *ctx, const char *name, const char *what,
		     char *buf, size_t sz)
{
	char dir[PATH_MAX];
	int err;

	err = luo_bpf_check_name(ctx, name);
	err = err ?: luo_bpf_aux_dir(ctx, name, dir, sizeof(dir));
	if (err)
		return err;
	if (!what || !*what || strchr(what, '/') || strchr(what, '.'))
		return luo_err(ctx, -EINVAL, "invalid map pin name '%s'",
			       what ? what : "");
	if (snprintf(buf, sz, "%s/%s", dir, what) >= (int)sz)
		return luo_err(ctx, -ENAMETOOLONG, "path too long");
	luo_ok(ctx);
	return 0;
}

const char *luo_bpf_log(const struct luo_ctx *ctx)
{
	return ctx->bpf_log ? ctx->bpf_log : "";
}

int luo_no_libbpf(struct luo_ctx *ctx)
{
	return luo_err(ctx, -EOPNOTSUPP, "BPF support not available: libluo "
		       "was built without libbpf (set LIBBPF_A and "
		       "LIBBPF_INCLUDE when building)");
}

#ifndef HAVE_LIBBPF

const struct bpf_object_open_opts *luo_bpf_open_opts(struct luo_ctx *ctx)
{
	luo_no_libbpf(ctx);
	errno = EOPNOTSUPP;
	return NULL;
}

int luo_bpf_attach(struct luo_ctx *ctx, struct bpf_object *obj,
		   const struct luo_bpf_attach_opts *opts)
{
	(void)obj, (void)opts;
	return luo_no_libbpf(ctx);
}

#else /* HAVE_LIBBPF */

#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

/* The verifier keeps the tail of a longer log, where its reason is. */
#define LUO_BPF_LOG_SZ	(256 * 1024)
#define LUO_BPF_MAX_OPS	16

static char *log_buf(struct luo_ctx *ctx)
{
	if (!ctx->bpf_log)
		ctx->bpf_log = calloc(1, LUO_BPF_LOG_SZ);
	return ctx->bpf_log;
}

const struct bpf_object_open_opts *luo_bpf_open_opts(struct luo_ctx *ctx)
{
	struct bpf_object_open_opts *o = ctx->bpf_open_opts;

	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o || !log_buf(ctx)) {
			free(o);
			luo_err(ctx, -ENOMEM, "out of memory");
			errno = ENOMEM;
			return NULL;
		}
		o->sz = sizeof(*o);
		o->kernel_log_buf = ctx->bpf_log;
		o->kernel_log_size = LUO_BPF_LOG_SZ;
		ctx->bpf_open_opts = o;
	}
	luo_ok(ctx);
	return o;
}

/* The verifier's reason: the last line of its log that is not a summary. */
static const char *log_reason(struct luo_ctx *ctx, char *buf, size_t sz)
{
	const char *end, *s, *log = luo_bpf_log(ctx);

	for (end = log + strlen(log); end > log; end = s) {
		size_t len;

		for (s = end - 1; s > log && s[-1] != '\n'; s--)
			;
		len = end - s;
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (!len || !strncmp(s, "processed ", 10) ||
		    !strncmp(s, "verification time", 17) ||
		    !strncmp(s, "stack depth", 11))
			continue;
		snprintf(buf, sz, "%.*s", (int)len, s);
		return buf;
	}
	return NULL;
}

/* A libbpf failure: errno text, and the verifier's reason if it left one. */
static int bpf_err(struct luo_ctx *ctx, int err, const char *what,
		   const char *arg)
{
	char eb[128], reason[256];
	const char *why;

	/* libbpf's own codes (LIBBPF_ERRNO__*) start at 4000 */
	if (err <= -4000) {
		libbpf_strerror(err, eb, sizeof(eb));
		err = -EINVAL;
	} else {
		luo_strerr(err, eb, sizeof(eb));
	}
	why = log_reason(ctx, reason, sizeof(reason));
	if (why)
		return luo_err(ctx, err, "%s%s%s: %s (verifier: %s)", what,
			       *arg ? " " : "", arg, eb, why);
	return luo_err(ctx, err, "%s%s%s: %s", what, *arg ? " " : "", arg, eb);
}

static bool on_bpffs(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 &&
	       (unsigned long)sfs.f_type == (unsigned long)BPF_FS_MAGIC;
}

/* mkdir -p @dir, but only inside a mounted bpffs */
static int make_bpffs_dir(struct luo_ctx *ctx, const char *dir)
{
	char tmp[PATH_MAX], eb[96], *slash;
	struct stat st;
	int err;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
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
			       "(mount -t bpf bpf /sys/fs/bpf)", dir);

	snprintf(tmp, sizeof(tmp), "%s", dir);
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

/* ---------------------------------------------------------------- */
/* Load, attach, pin                                                */

struct attach_plan {
	struct luo_bpf_attach_opts o;
	int n;				/* struct_ops maps */
	struct bpf_map *ops[LUO_BPF_MAX_OPS];
	char names[LUO_BPF_MAX_OPS][LUO_POLICY_NAME_LEN + 1];
	struct bpf_link *links[LUO_BPF_MAX_OPS];
	int nlinks;
	char aux_dir[PATH_MAX];
	char aux_pins[LUO_BPF_MAX_OPS + 2][PATH_MAX];
	int naux;
};

/* The struct_ops maps of @obj, and what can be checked of them alone. */
static int collect_ops(struct luo_ctx *ctx, struct bpf_object *obj,
		       struct attach_plan *pl)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (pl->n == LUO_BPF_MAX_OPS)
			return luo_err(ctx, -E2BIG, "more than %d struct_ops maps",
				       LUO_BPF_MAX_OPS);
		/* a check leaves the kernel to refuse a map without a link */
		if (!(bpf_map__map_flags(map) & BPF_F_LINK) && !pl->o.check_only)
			return luo_err(ctx, -EINVAL, "struct_ops map '%s' is not "
				       "link based: declare it in "
				       "SEC(\".struct_ops.link\") so it can be "
				       "pinned", bpf_map__name(map));
		pl->ops[pl->n++] = map;
	}
	if (!pl->n && !pl->o.check_only)
		return luo_err(ctx, -ENOENT, "the object contains no struct_ops "
			       "map (SEC(\".struct_ops.link\"))");
	if ((pl->o.aux_cnt || pl->o.pin_globals) && pl->n > 1)
		return luo_err(ctx, -EINVAL, "maps can only be pinned for an "
			       "object with one struct_ops map");
	if (pl->o.aux_cnt > LUO_BPF_MAX_OPS)
		return luo_err(ctx, -E2BIG, "more than %d maps to pin",
			       LUO_BPF_MAX_OPS);
	return 0;
}

/* Names, pin paths and checks, all before anything reaches the kernel. */
static int plan_names(struct luo_ctx *ctx, struct bpf_object *obj,
		      struct attach_plan *pl)
{
	const char *name = pl->o.name;
	char given[LUO_NAME_MAX], path[PATH_MAX], eb[96];
	int i, n, err;

	if (name && luo_bpf_check_name(ctx, name))
		return -EINVAL;
	err = collect_ops(ctx, obj, pl);
	if (err)
		return err;
	/* a check of the object as it is: the kernel judges its names */
	if (pl->o.check_only && !name)
		return 0;

	for (i = 0; i < pl->n; i++) {
		const char *mname = bpf_map__name(pl->ops[i]);

		luo_bpf_name_member(obj, pl->ops[i], given, sizeof(given));
		if (!name)
			n = snprintf(pl->names[i], sizeof(pl->names[i]), "%s",
				     given[0] ? given : mname);
		else if (pl->n == 1)
			n = snprintf(pl->names[i], sizeof(pl->names[i]), "%s", name);
		else
			n = snprintf(pl->names[i], sizeof(pl->names[i]), "%s_%s",
				     name, mname);
		if (n < 0 || n >= (int)sizeof(pl->names[i]))
			return luo_err(ctx, -EINVAL, "policy name for map '%s' "
				       "longer than %d bytes", mname,
				       LUO_POLICY_NAME_LEN);
		if (luo_bpf_check_name(ctx, pl->names[i]))
			return -EINVAL;
		if (pl->o.check_only)
			continue;
		if (luo_path(ctx, path, sizeof(path), ctx->bpffs_dir,
			     pl->names[i]))
			return -ENAMETOOLONG;
		if (!access(path, F_OK))
			return luo_err(ctx, -EEXIST, "policy already attached: "
				       "%s: %s; detach it first", path,
				       luo_strerr(-EEXIST, eb, sizeof(eb)));
	}
	if (!pl->o.check_only && (pl->o.aux_cnt || pl->o.pin_globals)) {
		if (luo_bpf_aux_dir(ctx, pl->names[0], pl->aux_dir,
				    sizeof(pl->aux_dir)))
			return -ENAMETOOLONG;
	}
	/* each instance is listed by the kernel under the name it is pinned as */
	for (i = 0; i < pl->n; i++) {
		luo_bpf_name_member(obj, pl->ops[i], given, sizeof(given));
		if (strcmp(given, pl->names[i]) &&
		    luo_bpf_set_field_str(ctx, obj, pl->ops[i], "name",
					  pl->names[i]))
			return -EINVAL;
	}
	return 0;
}

/* The verifier log of every program that has no buffer of its own. */
static int route_logs(struct luo_ctx *ctx, struct bpf_object *obj)
{
	struct bpf_program *prog;
	size_t sz;

	if (!log_buf(ctx))
		return luo_err(ctx, -ENOMEM, "out of memory");
	ctx->bpf_log[0] = '\0';
	bpf_object__for_each_program(prog, obj)
		if (!bpf_program__log_buf(prog, &sz))
			bpf_program__set_log_buf(prog, ctx->bpf_log,
						 LUO_BPF_LOG_SZ);
	return 0;
}

/* "events" for a map "events", "bss" for "obj_name.bss" */
static const char *pin_what(struct bpf_map *map)
{
	const char *mname = bpf_map__name(map), *dot = strrchr(mname, '.');

	return dot ? dot + 1 : mname;
}

static int pin_aux(struct luo_ctx *ctx, struct attach_plan *pl,
		   struct bpf_map *map)
{
	char *path = pl->aux_pins[pl->naux];
	int err;

	if (pl->naux == (int)ARRAY_SIZE(pl->aux_pins))
		return luo_err(ctx, -E2BIG, "too many maps to pin");
	if (snprintf(path, PATH_MAX, "%s/%s", pl->aux_dir, pin_what(map)) >=
	    PATH_MAX)
		return luo_err(ctx, -ENAMETOOLONG, "path too long");
	err = bpf_map__pin(map, path);
	if (err)
		return bpf_err(ctx, err, "cannot pin map at", path);
	pl->naux++;
	return 0;
}

static int pin_aux_maps(struct luo_ctx *ctx, struct bpf_object *obj,
			struct attach_plan *pl)
{
	struct bpf_map *map;
	size_t i;
	int err;

	if (!pl->o.aux_cnt && !pl->o.pin_globals)
		return 0;
	/* no link is pinned under this name: what is left there is stale */
	luo_bpf_remove_aux(ctx, pl->names[0]);
	err = make_bpffs_dir(ctx, pl->aux_dir);
	if (err)
		return err;
	for (i = 0; i < pl->o.aux_cnt; i++) {
		err = pin_aux(ctx, pl, pl->o.aux_maps[i]);
		if (err)
			return err;
	}
	if (!pl->o.pin_globals)
		return 0;
	bpf_object__for_each_map(map, obj) {
		const char *what = pin_what(map);

		if (!bpf_map__is_internal(map) ||
		    (strcmp(what, "bss") && strcmp(what, "data")))
			continue;
		err = pin_aux(ctx, pl, map);
		if (err)
			return err;
	}
	return 0;
}

static void unwind(struct attach_plan *pl)
{
	int i;

	for (i = 0; i < pl->nlinks; i++) {
		bpf_link__unpin(pl->links[i]);	/* no-op if not pinned */
		bpf_link__destroy(pl->links[i]);	/* detaches */
	}
	for (i = 0; i < pl->naux; i++)
		unlink(pl->aux_pins[i]);
	if (pl->aux_dir[0])
		rmdir(pl->aux_dir);
}

static int attach_all(struct luo_ctx *ctx, struct attach_plan *pl)
{
	char path[PATH_MAX];
	int err;

	for (; pl->nlinks < pl->n; pl->nlinks++) {
		struct bpf_map *map = pl->ops[pl->nlinks];
		struct bpf_link *link = bpf_map__attach_struct_ops(map);

		if (!link)
			return bpf_err(ctx, -errno, "cannot attach struct_ops map",
				       bpf_map__name(map));
		pl->links[pl->nlinks] = link;
		if (pl->o.check_only)
			continue;
		luo_path(ctx, path, sizeof(path), ctx->bpffs_dir,
			 pl->names[pl->nlinks]);
		err = bpf_link__pin(link, path);
		if (err) {
			pl->nlinks++;
			return bpf_err(ctx, err, "cannot pin link at", path);
		}
	}
	return 0;
}

int luo_bpf_attach(struct luo_ctx *ctx, struct bpf_object *obj,
		   const struct luo_bpf_attach_opts *opts)
{
	struct attach_plan *pl;
	int err, i;

	if (!obj)
		return luo_err(ctx, -EINVAL, "no BPF object given");
	if (opts && luo_struct_sz(opts) < sizeof(size_t))
		return luo_err(ctx, -EINVAL, "luo_bpf_attach_opts: .sz not set");
	pl = calloc(1, sizeof(*pl));
	if (!pl)
		return luo_err(ctx, -ENOMEM, "out of memory");
	if (opts)
		luo_copy_in(&pl->o, sizeof(pl->o), opts);

	err = plan_names(ctx, obj, pl);
	err = err ?: route_logs(ctx, obj);
	if (!err && !pl->o.check_only && pl->n)
		err = make_bpffs_dir(ctx, ctx->bpffs_dir);
	if (err)
		goto out;
	err = bpf_object__load(obj);
	if (err) {
		err = bpf_err(ctx, err, "cannot load the BPF object", "");
		goto out;
	}
	err = attach_all(ctx, pl);
	if (!err && !pl->o.check_only)
		err = pin_aux_maps(ctx, obj, pl);
	if (err || pl->o.check_only) {
		unwind(pl);
		goto out;
	}
	/* the pins keep the links, and so the instances, alive from now on */
	for (i = 0; i < pl->nlinks; i++) {
		bpf_link__disconnect(pl->links[i]);
		bpf_link__destroy(pl->links[i]);
	}
	luo_ok(ctx);
out:
	free(pl);
	return err;
}

#endif /* HAVE_LIBBPF */
