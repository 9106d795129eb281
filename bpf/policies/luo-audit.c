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

#include "luo_loader.h"
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
LUO_LD_PIN_DIR "/audit). With --follow, print one line per record until\n"
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
		luo_ld_report(prog, err, "cannot read the ring buffer");
		return err;
	}
	while (!stop) {
		err = ring_buffer__poll(rb, 200);
		if (err == -EINTR) {
			err = 0;
			continue;
		}
		if (err < 0) {
			luo_ld_report(prog, err, "ring buffer");
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
	const char *name = "audit", *dir = LUO_LD_PIN_DIR;
	bool detach = false, verbose = false, do_follow = false;
	char path[4096], rbpath[4096];
	struct audit_bpf *skel = NULL;
	struct bpf_link *link;
	long prio = 0;
	int c, err, fd;
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
	if (optind != argc || !luo_ld_valid_name(name)) {
		usage(stderr);
		return 2;
	}
	/* records must reach a pipe or file as they come */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (detach) {
		err = luo_ld_detach(dir, name);
		if (err) {
			luo_ld_report(prog, err, "cannot detach %s/%s", dir, name);
			return 1;
		}
		printf("detached %s\n", name);
		return 0;
	}

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (luo_ld_aux_path(rbpath, sizeof(rbpath), dir, name, "events")) {
		fprintf(stderr, "%s: path too long\n", prog);
		return 2;
	}
	luo_ld_capture_libbpf(verbose);

	if (!access(path, F_OK)) {
		/* already attached: follow the pinned ring buffer */
		if (!do_follow) {
			fprintf(stderr, "%s: %s already exists: detach it first "
				"(or --follow to read its records)\n", prog, path);
			return 1;
		}
		fd = bpf_obj_get(rbpath);
		if (fd < 0) {
			luo_ld_report(prog, errno, "cannot open %s", rbpath);
			return 1;
		}
		err = follow(fd);
		close(fd);
		return err ? 1 : 0;
	}

	skel = audit_bpf__open();
	if (!skel) {
		luo_ld_report(prog, errno, "cannot open the BPF object");
		return 1;
	}
	bpf_map__set_autoattach(skel->maps.audit, false);
	err = luo_ld_ops_set_str(skel->obj, skel->maps.audit, "name", name);
	err = err ?: luo_ld_ops_set_int(skel->obj, skel->maps.audit, "priority", prio);
	if (err) {
		luo_ld_report(prog, err, "cannot set name/priority");
		goto out;
	}
	err = audit_bpf__load(skel);
	if (err) {
		luo_ld_report(prog, err, "cannot load the participant");
		goto out;
	}
	/* a stale ring buffer pin of an instance detached by luoctl */
	unlink(rbpath);
	err = luo_ld_mkdir_p(dir);
	err = err ?: bpf_map__pin(skel->maps.events, rbpath);
	if (err) {
		luo_ld_report(prog, err, "cannot pin the ring buffer at %s", rbpath);
		goto out;
	}
	link = luo_ld_attach_pin(skel->maps.audit, dir, name);
	if (!link) {
		err = -errno;
		luo_ld_report(prog, err, "cannot attach %s", name);
		bpf_map__unpin(skel->maps.events, rbpath);
		goto out;
	}
	bpf_link__destroy(link);
	printf("attached %s\n", name);
	if (do_follow)
		err = follow(bpf_map__fd(skel->maps.events));
out:
	audit_bpf__destroy(skel);
	return err ? 1 : 0;
}
