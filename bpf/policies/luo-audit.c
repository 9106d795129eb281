// SPDX-License-Identifier: GPL-2.0
/*
 * luo-audit: attach the "audit" participant, and with --follow print one
 * line per step it saw: "audit: prepare state=normal seq=0".
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader_cli.h"
#include "audit.h"
#include "audit.skel.h"

static const char *prog = "luo-audit";
static volatile sig_atomic_t stop;
static unsigned long long seen, limit;
static bool show_ns;

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s [--name NAME] [--pin-dir DIR] [--priority P] [--follow [--count N] [--ns]] [-v]\n"
"       %s --detach [--name NAME] [--pin-dir DIR]\n"
"Attach the audit participant (pinned at DIR/NAME, default\n"
LUO_DEFAULT_BPFFS_DIR "/audit). With --follow, print one line per record until\n"
"SIGINT/SIGTERM or N records; if NAME is already attached, --follow only\n"
"reads its records. The records are kept in a ring buffer pinned at\n"
"DIR-aux/NAME/events.\n", prog, prog);
}

static const char *event_str(__u32 e)
{
	static const char *const names[AUDIT_NR_EVENTS] = {
		[AUDIT_PREPARE]		= "prepare",
		[AUDIT_REBOOT]		= "reboot",
		[AUDIT_FINISH]		= "finish",
		[AUDIT_CANCEL]		= "cancel",
		[AUDIT_MAY_PREPARE]	= "may_prepare",
	};

	return e < AUDIT_NR_EVENTS ? names[e] : "unknown";
}

static const char *state_str(__u32 s)
{
	switch (s) {
	case 0: return "normal";
	case 1: return "prepared";
	case 2: return "updated";
	}
	return "unknown";
}

static int on_record(void *ctx, void *data, size_t size)
{
	const struct audit_record *r = data;

	(void)ctx;
	if (size < sizeof(*r))
		return 0;
	printf("audit: %s state=%s seq=%llu", event_str(r->event),
	       state_str(r->state), (unsigned long long)r->sequence);
	if (show_ns)
		printf(" boot_ns=%llu", (unsigned long long)r->boot_ns);
	putchar('\n');
	if (limit && ++seen >= limit)
		return 1;	/* stops ring_buffer__poll() */
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int follow(int ringbuf_fd)
{
	struct ring_buffer *rb;
	struct sigaction sa;
	int err = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	rb = ring_buffer__new(ringbuf_fd, on_record, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "%s: error: cannot read the ring buffer: %s\n",
			prog, strerror(-err));
		return err;
	}
	while (!stop) {
		err = ring_buffer__poll(rb, 200);
		if (err == -EINTR) {
			err = 0;
			continue;
		}
		if (err < 0) {
			fprintf(stderr, "%s: error: ring buffer: %s\n", prog,
				strerror(-err));
			break;
		}
		if (limit && seen >= limit) {
			err = 0;
			break;
		}
		err = 0;
	}
	ring_buffer__free(rb);
	return err;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name",	required_argument, NULL, 'n' },
		{ "pin-dir",	required_argument, NULL, 'p' },
		{ "priority",	required_argument, NULL, 'P' },
		{ "follow",	no_argument,	   NULL, 'f' },
		{ "count",	required_argument, NULL, 'c' },
		{ "ns",		no_argument,	   NULL, 't' },
		{ "detach",	no_argument,	   NULL, 'd' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	const char *name = "audit", *dir = LUO_DEFAULT_BPFFS_DIR;
	struct luo_bpf_attach_opts ao = { .sz = sizeof(ao) };
	bool detach = false, verbose = false, do_follow = false;
	char path[4096], rbpath[4096];
	struct audit_bpf *skel = NULL;
	struct bpf_map *aux[1];
	struct luo_ctx *ctx;
	long prio = 0;
	int c, rc, fd;
	char *end;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'p': dir = optarg; break;
		case 'P':
			prio = strtol(optarg, &end, 0);
			if (*end || end == optarg) {
				usage(stderr);
				return 2;
			}
			break;
		case 'f': do_follow = true; break;
		case 'c':
			limit = strtoull(optarg, &end, 0);
			if (*end || end == optarg || optarg[0] == '-') {
				usage(stderr);
				return 2;
			}
			break;
		case 't': show_ns = true; break;
		case 'd': detach = true; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default:  usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	/* records must reach a pipe or file as they come */
	setvbuf(stdout, NULL, _IOLBF, 0);

	ctx = cli_ctx(prog, dir, name, detach, &rc);
	if (!ctx)
		return rc;
	rc = 1;
	if (luo_bpf_aux_path(ctx, name, "events", rbpath, sizeof(rbpath)) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		fprintf(stderr, "%s: path too long\n", prog);
		goto out_ctx;
	}

	if (!access(path, F_OK)) {
		/* already attached: follow the pinned ring buffer */
		if (!do_follow) {
			fprintf(stderr, "%s: %s already exists: detach it first "
				"(or --follow to read its records)\n", prog, path);
			goto out_ctx;
		}
		fd = bpf_obj_get(rbpath);
		if (fd < 0) {
			fprintf(stderr, "%s: error: cannot open %s: %s\n", prog,
				rbpath, strerror(errno));
			goto out_ctx;
		}
		rc = follow(fd) ? 1 : 0;
		close(fd);
		goto out_ctx;
	}

	skel = audit_bpf__open_opts(luo_bpf_open_opts(ctx));
	if (!skel) {
		rc = cli_fail(ctx, prog, verbose);
		goto out_ctx;
	}
	if (luo_bpf_set_field(ctx, skel->obj, skel->maps.audit, "priority", prio)) {
		rc = cli_fail(ctx, prog, verbose);
		goto out;
	}
	/* the ring buffer is pinned beside the instance, for --follow */
	aux[0] = skel->maps.events;
	ao.name = name;
	ao.aux_maps = aux;
	ao.aux_cnt = 1;
	if (luo_bpf_attach(ctx, skel->obj, &ao)) {
		rc = cli_fail(ctx, prog, verbose);
		goto out;
	}
	printf("attached %s\n", name);
	rc = do_follow && follow(bpf_map__fd(skel->maps.events)) ? 1 : 0;
out:
	audit_bpf__destroy(skel);
out_ctx:
	luo_ctx_free(ctx);
	return rc;
}
