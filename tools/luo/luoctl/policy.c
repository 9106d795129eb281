// SPDX-License-Identifier: GPL-2.0
/* luoctl: policy attach, detach and list. */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "luoctl.h"

#ifdef HAVE_LIBBPF
#include <bpf/libbpf.h>

static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	(void)level;
	return g_debug ? vfprintf(stderr, fmt, ap) : 0;
}

void policy_debug_init(void)
{
	libbpf_set_print(print_libbpf);
}
#else
void policy_debug_init(void)
{
}
#endif

/* the kernel's rule, checked before anything is loaded */
static int check_policy_name(struct luo_ctx *ctx, const char *name)
{
	if (luo_bpf_check_name(ctx, name))
		return usage_err("%s", luo_errmsg(ctx));
	return -1;
}

static int cmd_policy_attach(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "name", required_argument, NULL, 'n' },
		{ 0 }
	};
	const char *name = NULL;
	struct parser p;
	int c, r, err;

	parser_init(&p, argc, argv, lo, "n:");
	while ((c = parser_next(&p)) != -1)
		if (c == 'n')
			name = optarg;
	if (p.rc >= 0)
		return p.rc;
	if (optind >= argc)
		return usage_err("missing OBJ argument");
	r = want_args(&p, 1, 1);
	if (r >= 0)
		return r;
	if (name && (r = check_policy_name(ctx, name)) >= 0)
		return r;
	r = check_input_file("BPF object", argv[optind]);
	if (r >= 0)
		return r;
	err = luo_policy_attach(ctx, argv[optind], name);
	if (err && g_debug && *luo_bpf_log(ctx))
		fprintf(stderr, "verifier log:\n%s", luo_bpf_log(ctx));
	if (err)
		return fail(ctx, err);
	if (g_json)
		json_result("policy attach");
	return EXIT_OK;
}

static int cmd_policy_detach(struct luo_ctx *ctx, int argc, char **argv)
{
	int r, err;

	PARSE_SIMPLE(1, 1);
	r = check_policy_name(ctx, argv[optind]);
	if (r >= 0)
		return r;
	err = luo_policy_detach(ctx, argv[optind]);
	if (err)
		return fail(ctx, err);
	if (g_json)
		json_result("policy detach");
	return EXIT_OK;
}

static int cmd_policy_list(struct luo_ctx *ctx, int argc, char **argv)
{
	struct luo_policy *pol;
	size_t n;
	int err;

	PARSE_SIMPLE(0, 0);
	err = luo_policy_list(ctx, &pol, sizeof(*pol), &n);
	if (err)
		return fail(ctx, err);
	print_policies(pol, n);
	free(pol);
	return EXIT_OK;
}

static const struct cmd policy_cmds[] = {
	{ "attach", cmd_policy_attach, NULL, usage_policy, false },
	{ "detach", cmd_policy_detach, NULL, usage_policy, false },
	{ "list", cmd_policy_list, NULL, usage_policy, false },
	{ 0 }
};

int cmd_policy(struct luo_ctx *ctx, int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2)
		return usage_err("missing policy subcommand (attach, detach, list)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_policy, stdout);
		return EXIT_OK;
	}
	for (c = policy_cmds; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->fn(ctx, argc - 1, argv + 1);
	return usage_err("unknown policy subcommand '%s'", argv[1]);
}

/* Bytes of state carried across the kexec, "-" for none. */
static const char *state_bytes(int64_t bytes, char *buf, size_t sz)
{
	if (bytes < 0)
		return "-";
	snprintf(buf, sz, "%" PRId64, bytes);
	return buf;
}

void print_policies(const struct luo_policy *pol, size_t n)
{
	char name[LUO_NAME_MAX], st[2][24];

	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("policies", &first);
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			bool f1;

			json_elem(i, &f1);
			json_key("name", &f1);
			json_str(pol[i].name);
			json_key("link_id", &f1);
			printf("%u", pol[i].link_id);
			json_key("map_id", &f1);
			printf("%u", pol[i].map_id);
			json_key("state_restored", &f1);
			printf("%" PRId64, pol[i].restored);
			json_key("state_preserved", &f1);
			printf("%" PRId64, pol[i].preserved);
			putchar('}');
		}
		putchar(']');
		json_end();
		return;
	}
	printf("%-24s %8s %8s %9s %9s\n", "NAME", "LINK_ID", "MAP_ID",
	       "RESTORED", "PRESERVED");
	for (size_t i = 0; i < n; i++)
		printf("%-24s %8u %8u %9s %9s\n",
		       clean_text(pol[i].name, name, sizeof(name)),
		       pol[i].link_id, pol[i].map_id,
		       state_bytes(pol[i].restored, st[0], sizeof(st[0])),
		       state_bytes(pol[i].preserved, st[1], sizeof(st[1])));
}
