// SPDX-License-Identifier: GPL-2.0
/* luo_loader.c - shared code of the liveupdate_ops loaders, see luo_loader.h */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "luo_loader.h"

static char errbuf[64 * 1024];
static size_t errlen;
static bool echo;

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	if (echo) {
		va_copy(aq, ap);
		vfprintf(stderr, fmt, aq);
		va_end(aq);
	}
	if (level != LIBBPF_WARN)
		return 0;
	if (errlen >= sizeof(errbuf) - 1)
		return 0;
	n = vsnprintf(errbuf + errlen, sizeof(errbuf) - errlen, fmt, ap);
	if (n > 0)
		errlen += (size_t)n < sizeof(errbuf) - errlen ?
			  (size_t)n : sizeof(errbuf) - errlen - 1;
	return 0;
}

void luo_ld_capture_libbpf(bool verbose)
{
	echo = verbose;
	libbpf_set_print(capture);
}

const char *luo_ld_errors(void)
{
	return errbuf;
}

void luo_ld_clear_errors(void)
{
	errlen = 0;
	errbuf[0] = '\0';
}

void luo_ld_report(const char *prog, int err, const char *fmt, ...)
{
	va_list ap;

	if (err < 0)
		err = -err;
	fprintf(stderr, "%s: error: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err) {
		char eb[128];

		libbpf_strerror(err, eb, sizeof(eb));
		fprintf(stderr, ": %s", eb);
	}
	fputc('\n', stderr);
	if (errlen && !echo) {
		fputs(errbuf, stderr);
		if (errbuf[errlen - 1] != '\n')
			fputc('\n', stderr);
	}
}

bool luo_ld_valid_name(const char *name)
{
	return name && name[0] && strlen(name) < LUO_LD_NAME_LEN &&
	       !strchr(name, '/') && !strchr(name, '.');
}

int luo_ld_mkdir_p(const char *dir)
{
	char tmp[4096], *p;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

struct bpf_link *luo_ld_attach_pin(struct bpf_map *ops, const char *dir,
				   const char *name)
{
	struct bpf_link *link;
	char path[4096];
	int err;

	if (!luo_ld_valid_name(name)) {
		errno = EINVAL;
		return NULL;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (!access(path, F_OK)) {
		fprintf(stderr, "%s already exists: detach that instance first\n",
			path);
		errno = EEXIST;
		return NULL;
	}
	err = luo_ld_mkdir_p(dir);
	if (err) {
		fprintf(stderr, "cannot create %s: %s\n", dir, strerror(-err));
		errno = -err;
		return NULL;
	}
	link = bpf_map__attach_struct_ops(ops);
	if (!link)
		return NULL;
	err = bpf_link__pin(link, path);
	if (err) {
		bpf_link__destroy(link);	/* detaches */
		errno = -err;
		return NULL;
	}
	/* from now on the pin owns the attachment */
	bpf_link__disconnect(link);
	return link;
}

/*
 * Maps that belong to an instance (globals, ring buffers) are pinned apart
 * from the links, in DIR-aux/NAME/WHAT: bpffs refuses names with a dot, and
 * the policy directory must only hold links.
 */
int luo_ld_aux_path(char *buf, size_t sz, const char *dir, const char *name,
		    const char *what)
{
	char sub[4096];
	int err;

	if (snprintf(sub, sizeof(sub), "%s-aux/%s", dir, name) >= (int)sizeof(sub))
		return -ENAMETOOLONG;
	err = luo_ld_mkdir_p(sub);
	if (err)
		return err;
	if (snprintf(buf, sz, "%s/%s", sub, what) >= (int)sz)
		return -ENAMETOOLONG;
	return 0;
}

static void remove_aux(const char *dir, const char *name)
{
	char sub[4096], path[8192];
	struct dirent *de;
	DIR *d;

	if (snprintf(sub, sizeof(sub), "%s-aux/%s", dir, name) >= (int)sizeof(sub))
		return;
	d = opendir(sub);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", sub, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(sub);
}

int luo_ld_detach(const char *dir, const char *name)
{
	struct bpf_link *link;
	char path[4096];
	int err;

	if (!luo_ld_valid_name(name))
		return -EINVAL;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	link = bpf_link__open(path);
	if (!link) {
		err = -errno;
		if (err == -ENOENT)
			remove_aux(dir, name);
		return err;
	}
	/* detach now, even if some other process still holds the link */
	err = bpf_link__detach(link);
	if (err && err != -EOPNOTSUPP && err != -EINVAL) {
		bpf_link__destroy(link);
		return err;
	}
	err = bpf_link__unpin(link);
	bpf_link__destroy(link);
	if (err)
		return err;
	remove_aux(dir, name);
	return 0;
}

unsigned long long luo_ld_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* the data of struct_ops member @member: pointer, size and BTF type */
static void *ops_member(struct bpf_object *obj, struct bpf_map *ops,
			const char *member, size_t *size,
			const struct btf_type **mtype, int *err)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_member *m;
	const struct btf_type *t;
	size_t vsz = 0;
	__u32 tid;
	char *data;
	unsigned int i;

	*err = -ENOENT;
	if (!btf || bpf_map__type(ops) != BPF_MAP_TYPE_STRUCT_OPS) {
		*err = -EINVAL;
		return NULL;
	}
	data = bpf_map__initial_value(ops, &vsz);
	tid = bpf_map__btf_value_type_id(ops);
	t = btf__type_by_id(btf, tid);
	if (!data || !t || !btf_is_struct(t)) {
		*err = -EINVAL;
		return NULL;
	}
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		__s64 msz;

		if (strcmp(btf__name_by_offset(btf, m->name_off), member))
			continue;
		msz = btf__resolve_size(btf, m->type);
		if (msz <= 0 || m->offset % 8 ||
		    m->offset / 8 + (size_t)msz > vsz) {
			*err = -EINVAL;
			return NULL;
		}
		*size = msz;
		*mtype = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
		*err = 0;
		return data + m->offset / 8;
	}
	return NULL;
}

static int put_int(void *p, size_t size, long long val)
{
	switch (size) {
	case 1: *(__u8 *)p = val; return 0;
	case 2: *(__u16 *)p = val; return 0;
	case 4: *(__u32 *)p = val; return 0;
	case 8: *(__u64 *)p = val; return 0;
	}
	return -EINVAL;
}

int luo_ld_ops_set_str(struct bpf_object *obj, struct bpf_map *ops,
		       const char *member, const char *val)
{
	const struct btf_type *t;
	size_t size;
	char *p;
	int err;

	p = ops_member(obj, ops, member, &size, &t, &err);
	if (!p)
		return err;
	if (!btf_is_array(t) || strlen(val) >= size)
		return -EINVAL;
	memset(p, 0, size);
	memcpy(p, val, strlen(val));
	return 0;
}

int luo_ld_ops_set_int(struct bpf_object *obj, struct bpf_map *ops,
		       const char *member, long long val)
{
	const struct btf_type *t;
	size_t size;
	void *p;
	int err;

	p = ops_member(obj, ops, member, &size, &t, &err);
	if (!p)
		return err;
	if (!btf_is_int(t) && !btf_is_enum(t))
		return -EINVAL;
	return put_int(p, size, val);
}

int luo_ld_global_set_int(struct bpf_object *obj, const char *var,
			  long long val)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	if (!btf)
		return -EINVAL;
	bpf_object__for_each_map(map, obj) {
		const struct btf_var_secinfo *vs;
		const struct btf_type *sec;
		size_t vsz = 0;
		char *data;
		unsigned int i;

		if (!bpf_map__is_internal(map) ||
		    bpf_map__type(map) != BPF_MAP_TYPE_ARRAY)
			continue;
		sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (!sec || !btf_is_datasec(sec))
			continue;
		data = bpf_map__initial_value(map, &vsz);
		if (!data)
			continue;
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *v = btf__type_by_id(btf, vs->type);
			const struct btf_type *vt;

			if (!v || !btf_is_var(v) ||
			    strcmp(btf__name_by_offset(btf, v->name_off), var))
				continue;
			vt = btf__type_by_id(btf, btf__resolve_type(btf, v->type));
			if (!vt || (!btf_is_int(vt) && !btf_is_enum(vt)) ||
			    vs->offset + vs->size > vsz)
				return -EINVAL;
			return put_int(data + vs->offset, vs->size, val);
		}
	}
	return -ENOENT;
}
