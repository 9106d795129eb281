// SPDX-License-Identifier: GPL-2.0
/* luoctl: stats and participants. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "luoctl.h"

int cmd_stats(struct luo_ctx *ctx, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "prometheus", no_argument, NULL, 'p' },
		{ 0 }
	};
	struct stats_info si = { .failure.sz = sizeof(si.failure) };
	bool prom = false;
	struct parser p;
	int c, r, err, rc;

	parser_init(&p, argc, argv, lo, "p");
	while ((c = parser_next(&p)) != -1)
		if (c == 'p')
			prom = true;
	if (p.rc >= 0)
		return p.rc;
	r = want_args(&p, 0, 0);
	if (r >= 0)
		return r;
	if (prom && g_json)
		return usage_err("--prometheus and --json are mutually exclusive");

	err = luo_get_enabled(ctx, &si.enabled);
	if (!err)
		err = luo_get_state(ctx, &si.state);
	if (!err)
		err = luo_get_sequence(ctx, &si.seq);
	if (err)
		return fail(ctx, err);
	err = luo_get_blackout_ns(ctx, &si.blackout_ns);
	if (err && err != -ENOENT)
		return fail(ctx, err);
	si.have_blackout = !err;
	/* a kernel without the phase table just has none to show */
	err = luo_get_blackout_phases(ctx, &si.phases, sizeof(*si.phases),
				      &si.nphases);
	if (err && err != -ENOENT)
		goto fail;
	err = luo_get_last_failure(ctx, &si.failure);
	if (err)
		goto fail;
	/* only the Prometheus output counts ejections; a kernel without
	 * exits has ejected nothing */
	err = prom ? luo_get_exits(ctx, &si.exits, sizeof(*si.exits),
				   &si.nexits) : 0;
	if (err && err != -ENOENT)
		goto fail;
	err = luo_get_timings(ctx, &si.timings, sizeof(*si.timings),
			      &si.ntimings);
	if (err && err != -ENOENT)
		goto fail;
	if (err)
		si.timings_err = luo_errmsg(ctx);
	if (prom)
		print_prometheus(&si);
	else
		print_stats(&si);
	rc = EXIT_OK;
	goto out;
fail:
	rc = fail(ctx, err);
out:
	free(si.timings);
	free(si.exits);
	free(si.phases);
	return rc;
}

int cmd_participants(struct luo_ctx *ctx, int argc, char **argv)
{
	struct luo_participant *pa;
	size_t n, omitted;
	int err;

	PARSE_SIMPLE(0, 0);

	err = luo_list_participants(ctx, &pa, sizeof(*pa), &n, &omitted);
	if (err)
		return fail(ctx, err);
	print_participants(pa, n, omitted);
	free(pa);
	return EXIT_OK;
}

/* the kernel's rule, checked before anything is loaded */

static void fmt_ns(uint64_t ns, char *buf, size_t sz)
{
	if (ns >= 1000000000ULL)
		snprintf(buf, sz, "%.3f s", ns / 1e9);
	else if (ns >= 1000000ULL)
		snprintf(buf, sz, "%.3f ms", ns / 1e6);
	else if (ns >= 1000ULL)
		snprintf(buf, sz, "%.3f us", ns / 1e3);
	else
		snprintf(buf, sz, "%" PRIu64 " ns", ns);
}

static void json_timings(const struct luo_timing *t, size_t nt)
{
	putchar('[');
	for (size_t i = 0; i < nt; i++) {
		bool first;

		json_elem(i, &first);
		json_key("name", &first);
		json_str(t[i].name);
		json_key("kind", &first);
		json_str(luo_kind_str(t[i].kind));
		json_key("priority", &first);
		printf("%u", t[i].priority);
		json_key("event", &first);
		json_str(t[i].event_str);
		json_key("ret", &first);
		printf("%d", t[i].ret);
		json_key("duration_ns", &first);
		printf("%" PRIu64, t[i].duration_ns);
		putchar('}');
	}
	putchar(']');
}

static void json_phases(const struct luo_phase *ph, size_t n)
{
	if (!ph && !n) {
		fputs("null", stdout);
		return;
	}
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		bool first;

		json_elem(i, &first);
		json_key("name", &first);
		json_str(ph[i].name);
		json_key("ns", &first);
		printf("%" PRIu64, ph[i].ns);
		putchar('}');
	}
	putchar(']');
}

/* The blackout itself, and the new kernel's phases after it. */
static bool not_in_blackout(const char *phase)
{
	static const char *const after[] = {
		"blackout", "initcalls", "userspace", "finish",
	};

	for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++)
		if (!strcmp(phase, after[i]))
			return true;
	return false;
}

/* Each phase with its share of the blackout. */
static void text_phases(const struct luo_phase *ph, size_t n, uint64_t total)
{
	char buf[64], name[64];

	for (size_t i = 0; i < n; i++) {
		fmt_ns(ph[i].ns, buf, sizeof(buf));
		printf("  %-14s %14s", clean_text(ph[i].name, name, sizeof(name)),
		       buf);
		if (total && !not_in_blackout(ph[i].name))
			printf(" %8.4f%%", 100.0 * ph[i].ns / total);
		putchar('\n');
	}
}

static void text_timings(const struct luo_timing *t, size_t nt)
{
	char buf[64], name[LUO_NAME_MAX], ev[64], res[24];

	printf("\n%-24s %-6s %4s %-8s %-8s %14s\n", "PARTICIPANT", "KIND",
	       "PRIO", "EVENT", "RESULT", "DURATION");
	for (size_t i = 0; i < nt; i++) {
		const char *en = luo_errno_name(t[i].ret);

		if (!t[i].ret)
			snprintf(res, sizeof(res), "ok");
		else if (en)
			snprintf(res, sizeof(res), "%s", en);
		else
			snprintf(res, sizeof(res), "%d", t[i].ret);
		fmt_ns(t[i].duration_ns, buf, sizeof(buf));
		printf("%-24s %-6s %4u %-8s %-8s %14s\n",
		       clean_text(t[i].name, name, sizeof(name)),
		       luo_kind_str(t[i].kind), t[i].priority,
		       clean_text(t[i].event_str, ev, sizeof(ev)), res, buf);
	}
}

void print_stats(const struct stats_info *si)
{
	char buf[64], clean[TEXT_MAX];

	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("sequence", &first);
		printf("%" PRIu64, si->seq);
		json_key("last_blackout_ns", &first);
		if (si->have_blackout)
			printf("%" PRIu64, si->blackout_ns);
		else
			fputs("null", stdout);
		json_key("blackout_phases", &first);
		json_phases(si->phases, si->nphases);
		json_key("last_failure", &first);
		json_failure(&si->failure);
		json_key("timings", &first);
		if (si->timings_err)
			fputs("null", stdout);
		else
			json_timings(si->timings, si->ntimings);
		json_end();
		return;
	}

	printf("updates:        %" PRIu64 "\n", si->seq);
	if (!si->have_blackout) {
		printf("last blackout:  unknown\n");
	} else if (si->blackout_ns == 0) {
		printf("last blackout:  none\n");
	} else {
		fmt_ns(si->blackout_ns, buf, sizeof(buf));
		printf("last blackout:  %s (%" PRIu64 " ns)\n", buf, si->blackout_ns);
		text_phases(si->phases, si->nphases, si->blackout_ns);
	}
	printf("last failure:   ");
	print_failure_text(&si->failure);
	if (si->timings_err)
		printf("timings:        unavailable (%s)\n",
		       clean_text(si->timings_err, clean, sizeof(clean)));
	else if (!si->ntimings)
		printf("timings:        none recorded\n");
	else
		text_timings(si->timings, si->ntimings);
}

void print_participants(const struct luo_participant *pa, size_t n,
			size_t omitted)
{
	char name[LUO_NAME_MAX];

	if (g_json) {
		bool first;

		json_begin(&first);
		json_key("participants", &first);
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			bool f1;

			json_elem(i, &f1);
			json_key("priority", &f1);
			printf("%u", pa[i].priority);
			json_key("kind", &f1);
			json_str(luo_kind_str(pa[i].kind));
			json_key("name", &f1);
			json_str(pa[i].name);
			putchar('}');
		}
		putchar(']');
		json_key("omitted", &first);
		printf("%zu", omitted);
		json_end();
		return;
	}
	printf("%-4s %-6s %s\n", "PRIO", "KIND", "NAME");
	for (size_t i = 0; i < n; i++)
		printf("%-4u %-6s %s\n", pa[i].priority, luo_kind_str(pa[i].kind),
		       clean_text(pa[i].name, name, sizeof(name)));
	/* as the kernel says it: its listing stops after one page */
	if (omitted)
		printf("... %zu more\n", omitted);
}
