// SPDX-License-Identifier: GPL-2.0
/*
 * luo_bpf - test loader for liveupdate_ops BPF objects, used by the VM tests.
 *
 *   luo_bpf attach OBJ [--name N] [--priority P] [--ret R] [--timeout-ms T]
 *                      [--flags F] [--set VAR=VAL]... [--pin DIR] [-v]
 *	open OBJ, set the struct_ops data fields and globals, load, attach
 *	through a link, pin it at DIR/NAME (DIR default /sys/fs/bpf/luo, NAME
 *	default the object's .name) and print "attached NAME". The writable
 *	globals (.bss, .data) are pinned at DIR-aux/NAME/bss and DIR-aux/NAME/data
 *	for "luo_bpf vars".
 *   luo_bpf detach NAME [--pin DIR]
 *	detach and unpin (the link is destroyed), print "detached NAME".
 *   luo_bpf load-only OBJ [-v]
 *	open, load and attach (without pinning) then detach at once: prints
 *	"ok" or the error, for negative tests.
 *   luo_bpf vars NAME [--pin DIR]
 *	print the integer globals of an attached instance, "var=value" a line.
 *
 * Errors go to stderr as "luo_bpf: error: ..." followed by libbpf's and the
 * verifier's messages; the exit status is 1 (2 for bad usage).
 */
#include <errno.h>
#include <poll.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "luo_loader.h"

static const char *prog = "luo_bpf";

#define MAX_SETS 16

struct opts {
	const char *name;
	const char *dir;
	long long priority, timeout_ms, flags;
	bool has_priority, has_timeout, has_flags, verbose;
	int nsets;
	char *set_var[MAX_SETS];
	long long set_val[MAX_SETS];
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s attach OBJ [--name N] [--priority P] [--ret R] [--timeout-ms T]\n"
"                      [--flags F] [--set VAR=VAL]... [--pin DIR] [-v]\n"
"       %s detach NAME [--pin DIR]\n"
"       %s load-only OBJ [-v]\n"
"       %s vars NAME [--pin DIR]\n"
"       %s wait-hup NAME [--timeout-ms T] [--pin DIR]\n", prog, prog, prog, prog, prog);
}

static int parse_ll(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 0);
	return (errno || end == s || *end) ? -1 : 0;
}

static int add_set(struct opts *o, const char *var, const char *val)
{
	if (o->nsets >= MAX_SETS || parse_ll(val, &o->set_val[o->nsets]))
		return -1;
	o->set_var[o->nsets++] = strdup(var);
	return 0;
}

/* the one struct_ops map of obj, or NULL */
static struct bpf_map *ops_map(struct bpf_object *obj, bool quiet)
{
	struct bpf_map *map, *found = NULL;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (found) {
			if (quiet)
				return NULL;
			fprintf(stderr, "%s: error: more than one struct_ops map "
				"in the object\n", prog);
			return NULL;
		}
		found = map;
	}
	if (!found && !quiet)
		fprintf(stderr, "%s: error: no struct_ops map in the object\n",
			prog);
	return found;
}

static struct bpf_object *open_obj(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);

	if (!obj)
		luo_ld_report(prog, errno, "cannot open %s", path);
	return obj;
}

static int apply(struct bpf_object *obj, struct bpf_map *ops, struct opts *o)
{
	int err, i;

	if (!ops && (o->name || o->has_priority || o->has_timeout ||
		     o->has_flags)) {
		fprintf(stderr, "%s: error: no single struct_ops map to set "
			"fields of\n", prog);
		return -EINVAL;
	}
	if (o->name && (err = luo_ld_ops_set_str(obj, ops, "name", o->name))) {
		luo_ld_report(prog, err, "cannot set name '%s'", o->name);
		return err;
	}
	if (o->has_priority &&
	    (err = luo_ld_ops_set_int(obj, ops, "priority", o->priority))) {
		luo_ld_report(prog, err, "cannot set priority");
		return err;
	}
	if (o->has_timeout &&
	    (err = luo_ld_ops_set_int(obj, ops, "timeout_ms", o->timeout_ms))) {
		luo_ld_report(prog, err, "cannot set timeout_ms");
		return err;
	}
	if (o->has_flags &&
	    (err = luo_ld_ops_set_int(obj, ops, "flags", o->flags))) {
		luo_ld_report(prog, err, "cannot set flags");
		return err;
	}
	for (i = 0; i < o->nsets; i++) {
		err = luo_ld_global_set_int(obj, o->set_var[i], o->set_val[i]);
		if (err) {
			luo_ld_report(prog, err, "cannot set global '%s'%s",
				      o->set_var[i], err == -ENOENT ?
				      " (no such variable)" : "");
			return err;
		}
	}
	return 0;
}

/* the instance's name as it will be attached: its .name field, or the map's */
static void instance_name(struct bpf_object *obj, struct bpf_map *ops,
			  char *buf, size_t sz)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	const struct btf_member *m;
	size_t vsz = 0;
	const char *data;
	unsigned int i;

	snprintf(buf, sz, "%s", bpf_map__name(ops));
	data = bpf_map__initial_value(ops, &vsz);
	t = btf ? btf__type_by_id(btf, bpf_map__btf_value_type_id(ops)) : NULL;
	if (!data || !t)
		return;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), "name"))
			continue;
		if (m->offset / 8 + LUO_LD_NAME_LEN <= vsz &&
		    data[m->offset / 8] &&
		    strnlen(data + m->offset / 8, LUO_LD_NAME_LEN) < LUO_LD_NAME_LEN)
			snprintf(buf, sz, "%s", data + m->offset / 8);
		return;
	}
}

static void pin_globals(struct bpf_object *obj, const char *dir,
			const char *name)
{
	struct bpf_map *map;
	char path[4096];

	bpf_object__for_each_map(map, obj) {
		const char *mname = bpf_map__name(map);
		const char *dot = strrchr(mname, '.');

		if (!bpf_map__is_internal(map) || !dot ||
		    (strcmp(dot, ".bss") && strcmp(dot, ".data")))
			continue;
		if (luo_ld_aux_path(path, sizeof(path), dir, name, dot + 1))
			continue;
		unlink(path);	/* stale, from an instance detached elsewhere */
		if (bpf_map__pin(map, path))
			fprintf(stderr, "%s: warning: cannot pin %s\n", prog, path);
	}
}

static int cmd_attach(const char *path, struct opts *o)
{
	struct bpf_object *obj;
	struct bpf_link *link;
	struct bpf_map *ops;
	char name[64];
	int err;

	obj = open_obj(path);
	if (!obj)
		return 1;
	ops = ops_map(obj, false);
	if (!ops) {
		err = -EINVAL;
		goto out;
	}
	bpf_map__set_autoattach(ops, false);
	err = apply(obj, ops, o);
	if (err)
		goto out;
	instance_name(obj, ops, name, sizeof(name));
	if (!luo_ld_valid_name(name)) {
		fprintf(stderr, "%s: error: '%s' cannot be pinned: give --name\n",
			prog, name);
		err = -EINVAL;
		goto out;
	}
	err = bpf_object__load(obj);
	if (err) {
		luo_ld_report(prog, err, "cannot load %s", path);
		goto out;
	}
	link = luo_ld_attach_pin(ops, o->dir, name);
	if (!link) {
		err = -errno;
		luo_ld_report(prog, err, "cannot attach %s", name);
		goto out;
	}
	bpf_link__destroy(link);
	pin_globals(obj, o->dir, name);
	printf("attached %s\n", name);
out:
	bpf_object__close(obj);
	return err ? 1 : 0;
}

static int cmd_load_only(const char *path, struct opts *o)
{
	struct bpf_object *obj;
	struct bpf_map *map;
	int err;

	obj = open_obj(path);
	if (!obj)
		return 1;
	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			bpf_map__set_autoattach(map, false);
	/* a negative test object may have no struct_ops map at all */
	err = apply(obj, ops_map(obj, true), o);
	if (err)
		goto out;
	err = bpf_object__load(obj);
	if (err) {
		luo_ld_report(prog, err, "cannot load %s", path);
		goto out;
	}
	/* the data fields are checked when the map is registered */
	bpf_object__for_each_map(map, obj) {
		struct bpf_link *link;

		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		link = bpf_map__attach_struct_ops(map);
		if (!link) {
			err = -errno;
			luo_ld_report(prog, err, "cannot attach %s",
				      bpf_map__name(map));
			goto out;
		}
		bpf_link__destroy(link);
	}
	printf("ok\n");
out:
	bpf_object__close(obj);
	return err ? 1 : 0;
}

static int cmd_detach(const char *name, struct opts *o)
{
	int err = luo_ld_detach(o->dir, name);

	if (err) {
		luo_ld_report(prog, err, "cannot detach %s/%s", o->dir, name);
		return 1;
	}
	printf("detached %s\n", name);
	return 0;
}

static int print_vars(const char *path)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	struct btf *btf = NULL;
	char *val = NULL;
	__u32 zero = 0;
	unsigned int i;
	int fd, err = -EINVAL;

	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	if (bpf_map_get_info_by_fd(fd, &info, &len) || !info.btf_id)
		goto out;
	btf = btf__load_from_kernel_by_id(info.btf_id);
	val = calloc(1, info.value_size);
	if (!btf || !val)
		goto out;
	if (bpf_map_lookup_elem(fd, &zero, val)) {
		err = -errno;
		goto out;
	}
	sec = btf__type_by_id(btf, info.btf_value_type_id);
	if (!sec || !btf_is_datasec(sec))
		goto out;
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type), *t;
		const char *p = val + vs->offset;
		bool sgn;
		long long x;

		if (!v || !btf_is_var(v) || vs->offset + vs->size > info.value_size)
			continue;
		t = btf__type_by_id(btf, btf__resolve_type(btf, v->type));
		if (!t || !btf_is_int(t))
			continue;
		sgn = btf_int_encoding(t) & BTF_INT_SIGNED;
		switch (vs->size) {
		case 1: x = sgn ? *(__s8 *)p : (long long)*(__u8 *)p; break;
		case 2: x = sgn ? *(__s16 *)p : (long long)*(__u16 *)p; break;
		case 4: x = sgn ? *(__s32 *)p : (long long)*(__u32 *)p; break;
		case 8:
			if (!sgn) {
				printf("%s=%llu\n", btf__name_by_offset(btf, v->name_off),
				       *(unsigned long long *)p);
				continue;
			}
			x = *(__s64 *)p;
			break;
		default: continue;
		}
		printf("%s=%lld\n", btf__name_by_offset(btf, v->name_off), x);
	}
	err = 0;
out:
	free(val);
	btf__free(btf);
	close(fd);
	return err;
}

static int cmd_vars(const char *name, struct opts *o)
{
	static const char *const secs[] = { "data", "bss" };
	char path[4096];
	int i, found = 0, err;

	if (!luo_ld_valid_name(name)) {
		fprintf(stderr, "%s: error: invalid name '%s'\n", prog, name);
		return 2;
	}
	for (i = 0; i < 2; i++) {
		if (luo_ld_aux_path(path, sizeof(path), o->dir, name, secs[i]))
			return 1;
		if (access(path, F_OK))
			continue;
		err = print_vars(path);
		if (err) {
			luo_ld_report(prog, err, "cannot read %s", path);
			return 1;
		}
		found++;
	}
	if (!found) {
		fprintf(stderr, "%s: error: no globals pinned for '%s' in %s\n",
			prog, name, o->dir);
		return 1;
	}
	return 0;
}

/* Wait up to --timeout-ms (default 10 s) for EPOLLHUP on a pinned link. */
static int cmd_wait_hup(const char *name, struct opts *o)
{
	struct pollfd pfd = { .events = POLLHUP };
	char path[4096];
	int n;

	if (snprintf(path, sizeof(path), "%s/%s", o->dir, name) >= (int)sizeof(path))
		return 2;
	pfd.fd = bpf_obj_get(path);
	if (pfd.fd < 0) {
		fprintf(stderr, "%s: error: cannot open %s: %s\n", prog, path,
			strerror(errno));
		return 1;
	}
	n = poll(&pfd, 1, o->has_timeout ? (int)o->timeout_ms : 10000);
	close(pfd.fd);
	if (n == 1 && (pfd.revents & POLLHUP)) {
		printf("HUP\n");
		return 0;
	}
	printf("TIMEOUT\n");
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "name",	required_argument, NULL, 'n' },
		{ "priority",	required_argument, NULL, 'P' },
		{ "ret",	required_argument, NULL, 'r' },
		{ "timeout-ms",	required_argument, NULL, 't' },
		{ "flags",	required_argument, NULL, 'f' },
		{ "set",	required_argument, NULL, 's' },
		{ "pin",	required_argument, NULL, 'p' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	struct opts o = { .dir = LUO_LD_PIN_DIR };
	const char *cmd, *arg;
	char *eq;
	int c;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		usage(stdout);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "vh", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o.name = optarg;
			break;
		case 'P':
			if (parse_ll(optarg, &o.priority))
				goto bad;
			o.has_priority = true;
			break;
		case 'r':
			if (add_set(&o, "ret", optarg))
				goto bad;
			break;
		case 't':
			if (parse_ll(optarg, &o.timeout_ms))
				goto bad;
			o.has_timeout = true;
			break;
		case 'f':
			if (parse_ll(optarg, &o.flags))
				goto bad;
			o.has_flags = true;
			break;
		case 's':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg)
				goto bad;
			*eq = '\0';
			if (add_set(&o, optarg, eq + 1))
				goto bad;
			break;
		case 'p':
			o.dir = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	arg = argv[optind];
	luo_ld_capture_libbpf(o.verbose);

	if (!strcmp(cmd, "attach"))
		return cmd_attach(arg, &o);
	if (!strcmp(cmd, "load-only"))
		return cmd_load_only(arg, &o);
	if (!strcmp(cmd, "detach"))
		return cmd_detach(arg, &o);
	if (!strcmp(cmd, "vars"))
		return cmd_vars(arg, &o);
	if (!strcmp(cmd, "wait-hup"))
		return cmd_wait_hup(arg, &o);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
	usage(stderr);
	return 2;
bad:
	fprintf(stderr, "%s: bad value '%s'\n", prog, optarg);
	return 2;
}
