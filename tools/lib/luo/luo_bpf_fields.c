// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libluo: set the members of a struct_ops map and the globals of a BPF
 * object by name, from its BTF, before it is loaded (needs libbpf).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "luo_internal.h"

#ifndef HAVE_LIBBPF

int luo_bpf_set_field(struct luo_ctx *ctx, struct bpf_object *obj,
		      struct bpf_map *ops, const char *member, long long val)
{
	(void)obj, (void)ops, (void)member, (void)val;
	return luo_no_libbpf(ctx);
}

int luo_bpf_set_field_str(struct luo_ctx *ctx, struct bpf_object *obj,
			  struct bpf_map *ops, const char *member,
			  const char *val)
{
	(void)obj, (void)ops, (void)member, (void)val;
	return luo_no_libbpf(ctx);
}

int luo_bpf_set_global(struct luo_ctx *ctx, struct bpf_object *obj,
		       const char *var, long long val)
{
	(void)obj, (void)var, (void)val;
	return luo_no_libbpf(ctx);
}

#else /* HAVE_LIBBPF */

#include <linux/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* The initial data of struct_ops member @member of @ops. */
static void *ops_member(struct luo_ctx *ctx, struct bpf_object *obj,
			struct bpf_map *ops, const char *member, size_t *size,
			const struct btf_type **mtype, int *err)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_member *m;
	const struct btf_type *t;
	size_t vsz = 0;
	char *data;
	__u32 i;

	*err = -EINVAL;
	if (!btf || !ops || bpf_map__type(ops) != BPF_MAP_TYPE_STRUCT_OPS) {
		luo_err(ctx, *err, "not a struct_ops map of the object");
		return NULL;
	}
	data = bpf_map__initial_value(ops, &vsz);
	t = btf__type_by_id(btf, bpf_map__btf_value_type_id(ops));
	if (!data || !t || !btf_is_struct(t)) {
		luo_err(ctx, *err, "struct_ops map '%s' has no data to set",
			bpf_map__name(ops));
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
			luo_err(ctx, *err, "member '%s' cannot be set", member);
			return NULL;
		}
		*size = msz;
		*mtype = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
		*err = 0;
		return data + m->offset / 8;
	}
	*err = luo_err(ctx, -ENOENT, "struct_ops map '%s' has no member '%s'",
		       bpf_map__name(ops), member);
	return NULL;
}

/* Store @val in an integer of @size bytes; -ERANGE if it does not fit. */
static int put_int(void *p, size_t size, long long val, bool sgn)
{
	if (size < 8) {
		long long bits = size * 8;
		long long lo = sgn ? -(1LL << (bits - 1)) : 0;
		long long hi = sgn ? (1LL << (bits - 1)) - 1 : (1LL << bits) - 1;

		if (val < lo || val > hi)
			return -ERANGE;
	}
	switch (size) {
	case 1: *(__u8 *)p = val; return 0;
	case 2: *(__u16 *)p = val; return 0;
	case 4: *(__u32 *)p = val; return 0;
	case 8: *(__u64 *)p = val; return 0;
	}
	return -EINVAL;
}

static bool int_signed(const struct btf_type *t)
{
	return btf_is_int(t) ? btf_int_encoding(t) & BTF_INT_SIGNED :
			       btf_kflag(t);	/* enum: signed values */
}

static int set_int(struct luo_ctx *ctx, void *p, size_t size,
		   const struct btf_type *t, const char *what, long long val)
{
	int err;

	if (!t || (!btf_is_int(t) && !btf_is_any_enum(t)))
		return luo_err(ctx, -EINVAL, "'%s' is not an integer", what);
	err = put_int(p, size, val, int_signed(t));
	if (err)
		return luo_err(ctx, err, "%lld does not fit '%s' (%zu bytes)",
			       val, what, size);
	luo_ok(ctx);
	return 0;
}

int luo_bpf_set_field(struct luo_ctx *ctx, struct bpf_object *obj,
		      struct bpf_map *ops, const char *member, long long val)
{
	const struct btf_type *t;
	size_t size;
	void *p;
	int err;

	p = ops_member(ctx, obj, ops, member, &size, &t, &err);
	if (!p)
		return err;
	return set_int(ctx, p, size, t, member, val);
}

int luo_bpf_set_field_str(struct luo_ctx *ctx, struct bpf_object *obj,
			  struct bpf_map *ops, const char *member,
			  const char *val)
{
	const struct btf_type *t;
	size_t size;
	char *p;
	int err;

	p = ops_member(ctx, obj, ops, member, &size, &t, &err);
	if (!p)
		return err;
	if (!t || !btf_is_array(t))
		return luo_err(ctx, -EINVAL, "'%s' is not a string", member);
	if (strlen(val) >= size)
		return luo_err(ctx, -EINVAL, "'%s' longer than the %zu bytes "
			       "of '%s'", val, size - 1, member);
	memset(p, 0, size);
	memcpy(p, val, strlen(val));
	luo_ok(ctx);
	return 0;
}

int luo_bpf_set_global(struct luo_ctx *ctx, struct bpf_object *obj,
		       const char *var, long long val)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	if (!btf)
		return luo_err(ctx, -EINVAL, "the BPF object has no BTF");
	bpf_object__for_each_map(map, obj) {
		const struct btf_var_secinfo *vs;
		const struct btf_type *sec;
		size_t vsz = 0;
		char *data;
		__u32 i;

		if (!bpf_map__is_internal(map) ||
		    bpf_map__type(map) != BPF_MAP_TYPE_ARRAY)
			continue;
		sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		data = bpf_map__initial_value(map, &vsz);
		if (!sec || !btf_is_datasec(sec) || !data)
			continue;
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *v = btf__type_by_id(btf, vs->type);

			if (!v || !btf_is_var(v) ||
			    strcmp(btf__name_by_offset(btf, v->name_off), var))
				continue;
			if (vs->offset + vs->size > vsz)
				break;
			return set_int(ctx, data + vs->offset, vs->size,
				       btf__type_by_id(btf, btf__resolve_type(btf, v->type)),
				       var, val);
		}
	}
	return luo_err(ctx, -ENOENT, "no global variable '%s' in the object",
		       var);
}

/* The instance's name as set in the object, "" if none. */
void luo_bpf_name_member(struct bpf_object *obj, struct bpf_map *ops,
			 char *buf, size_t sz)
{
	const struct btf_type *t;
	struct luo_ctx quiet = { 0 };
	size_t size;
	char *p;
	int err;

	buf[0] = '\0';
	p = ops_member(&quiet, obj, ops, "name", &size, &t, &err);
	if (p && t && btf_is_array(t) && strnlen(p, size) < size)
		snprintf(buf, sz, "%s", p);
}

#endif /* HAVE_LIBBPF */
