// SPDX-License-Identifier: GPL-2.0
/*
 * luo_bpf - test loader for liveupdate_ops BPF objects, used by the VM tests.
 *
 *   luo_bpf attach OBJ [--name N] [--priority P] [--ret R] [--timeout-ms T]
 *                      [--flags F] [--set VAR=VAL]... [--pin DIR]
 *	open OBJ, set the struct_ops data fields and globals, load, attach
 *	through a link, pin it at DIR/NAME (DIR default /sys/fs/bpf/luo) and
 *	print "attached NAME". The writable globals (.bss, .data) are pinned
 *	at DIR-aux/NAME/bss and DIR-aux/NAME/data for "luo_bpf vars". All of
 *	it through libluo's luo_bpf_attach(), like the bundled loaders.
 *   luo_bpf detach NAME [--pin DIR]
 *	detach and unpin (the link is destroyed), print "detached NAME".
 *   luo_bpf load-only OBJ
 *	open, load and attach (without pinning) then detach at once: prints
 *	"ok" or the error, for negative tests.
 *   luo_bpf vars NAME [--pin DIR]
 *	print the integer globals of an attached instance, "var=value" a line.
 *
 * Errors go to stderr as "luo_bpf: error: ..." (libbpf's own warnings
 * before it) followed by the verifier's log; the exit status is 1 (2 for
 * bad usage).
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

#include "loader_cli.h"

static const char *prog = "luo_bpf";

#define MAX_SETS 16

struct opts {
	const char *name;
	const char *dir;
	long long priority, timeout_ms, flags;
	bool has_priority, has_timeout, has_flags;
	int nsets;
	char *set_var[MAX_SETS];
	long long set_val[MAX_SETS];
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s attach OBJ [--name N] [--priority P] [--ret R] [--timeout-ms T]\n"
"                      [--flags F] [--set VAR=VAL]... [--pin DIR]\n"
"       %s detach NAME [--pin DIR]\n"
"       %s load-only OBJ\n"
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
static struct bpf_map *ops_map(struct bpf_object *obj)
{
	struct bpf_map *map, *found = NULL;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (found)
			return NULL;
		found = map;
	}
	return found;
}

/* Set the data fields and globals asked for, through libluo. */
static int apply(struct luo_ctx *ctx, struct bpf_object *obj, struct opts *o)
{
	static const char *const field[] = { "priority", "timeout_ms", "flags" };
	struct bpf_map *ops = ops_map(obj);
	const long long val[] = { o->priority, o->timeout_ms, o->flags };
	const bool has[] = { o->has_priority, o->has_timeout, o->has_flags };
	int i;

	for (i = 0; i < 3; i++)
		if (has[i] && luo_bpf_set_field(ctx, obj, ops, field[i], val[i]))
			return -1;
	for (i = 0; i < o->nsets; i++)
		if (luo_bpf_set_global(ctx, obj, o->set_var[i], o->set_val[i]))
			return -1;
	return 0;
}

/* attach, or with @check_only load-only: the exit status */
static int cmd_attach(struct luo_ctx *ctx, const char *path, struct opts *o,
		      bool check_only)
{
	struct luo_bpf_attach_opts ao = {
		.sz = sizeof(ao),
		.name = o->name,
		.pin_globals = !check_only,
		.check_only = check_only,
	};
	struct bpf_object *obj;
	int rc = 1;

	if (!check_only && !o->name) {
		fprintf(stderr, "%s: error: attach needs --name\n", prog);
		return 2;
	}
	obj = bpf_object__open_file(path, luo_bpf_open_opts(ctx));
	if (!obj) {
		fprintf(stderr, "%s: error: cannot open %s: %s\n", prog, path,
			strerror(errno));
		return 1;
	}
	if (!apply(ctx, obj, o) && !luo_bpf_attach(ctx, obj, &ao)) {
		if (check_only)
			printf("ok\n");
		else
			printf("attached %s\n", o->name);
		rc = 0;
	}
	if (rc)
		cli_fail(ctx, prog, true);
	bpf_object__close(obj);
	return rc;
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

static int cmd_vars(struct luo_ctx *ctx, const char *name, struct opts *o)
{
	static const char *const secs[] = { "data", "bss" };
	char path[4096];
	int i, found = 0, err;

	for (i = 0; i < 2; i++) {
		if (luo_bpf_aux_path(ctx, name, secs[i], path, sizeof(path)))
			return cli_fail(ctx, prog, false);
		if (access(path, F_OK))
			continue;
		err = print_vars(path);
		if (err) {
			fprintf(stderr, "%s: error: cannot read %s: %s\n", prog,
				path, strerror(-err));
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
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	struct opts o = { .dir = LUO_DEFAULT_BPFFS_DIR };
	const char *cmd, *arg;
	struct luo_ctx *ctx;
	char *eq;
	int c, rc;

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
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
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
	if (!strcmp(cmd, "wait-hup"))
		return cmd_wait_hup(arg, &o);
	/* NAME, or OBJ for attach and load-only: their name is --name */
	ctx = cli_ctx(prog, o.dir, strcmp(cmd, "attach") &&
		      strcmp(cmd, "load-only") ? arg : o.name,
		      !strcmp(cmd, "detach"), &rc);
	if (!ctx)
		return rc;
	if (!strcmp(cmd, "attach") || !strcmp(cmd, "load-only"))
		rc = cmd_attach(ctx, arg, &o, !strcmp(cmd, "load-only"));
	else if (!strcmp(cmd, "vars"))
		rc = cmd_vars(ctx, arg, &o);
	else {
		fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
		usage(stderr);
		rc = 2;
	}
	luo_ctx_free(ctx);
	return rc;
bad:
	fprintf(stderr, "%s: bad value '%s'\n", prog, optarg);
	return 2;
}
