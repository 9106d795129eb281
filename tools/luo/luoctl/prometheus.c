// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * luoctl stats --prometheus: node_exporter's textfile-collector format.
 * Write it to a temporary file and rename it into the collector directory,
 * so that node_exporter never reads half a file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "luoctl.h"

/* A label value: backslash, double quote and newline escaped. */
static void label(const char *key, const char *val, bool last)
{
	printf("%s=\"", key);
	for (; *val; val++) {
		if (*val == '\\' || *val == '"')
			printf("\\%c", *val);
		else if (*val == '\n')
			fputs("\\n", stdout);
		else
			putchar(*val);
	}
	fputs(last ? "\"" : "\",", stdout);
}

static void metric(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void print_failure(const struct luo_failure *f)
{
	const char *ename = luo_errno_name(f->err);

	metric("luo_last_failure_info", "gauge",
	       "The last failed step: 1 with its event, who failed and errno.");
	if (!f->present)
		return;
	fputs("luo_last_failure_info{", stdout);
	label("event", f->event_str, false);
	label("kind", f->by_policy ? "policy" : "participant", false);
	label("name", f->participant, false);
	label("errno", ename ? ename : "unknown", true);
	puts("} 1");
	if (!f->has_time)
		return;
	metric("luo_last_failure_timestamp_seconds", "gauge",
	       "When the last failure happened (Unix time).");
	printf("luo_last_failure_timestamp_seconds %" PRIu64 ".%09" PRIu64 "\n",
	       f->time_ns / 1000000000, f->time_ns % 1000000000);
	metric("luo_last_failure_sequence", "gauge",
	       "The live update sequence the last failure happened in.");
	printf("luo_last_failure_sequence %" PRIu64 "\n", f->sequence);
}

/* ejections listed by the kernel, counted by kind (both kinds always) */
static void print_exits(const struct luo_exit *x, size_t n)
{
	static const char *const kinds[] = { "invalid-return", "over-budget" };

	metric("luo_bpf_ejections", "gauge",
	       "BPF instances the kernel lists as ejected for misbehaving, by kind.");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t c = 0;

		for (size_t i = 0; i < n; i++)
			c += !strcmp(x[i].kind, kinds[k]);
		fputs("luo_bpf_ejections{", stdout);
		label("kind", kinds[k], true);
		printf("} %zu\n", c);
	}
}

static void print_timings(const struct luo_timing *t, size_t n)
{
	metric("luo_participant_last_duration_seconds", "gauge",
	       "Duration of each participant's call in the last live update.");
	for (size_t i = 0; i < n; i++) {
		fputs("luo_participant_last_duration_seconds{", stdout);
		label("participant", t[i].name, false);
		label("kind", luo_kind_str(t[i].kind), false);
		label("event", t[i].event_str, true);
		printf("} %" PRIu64 ".%09" PRIu64 "\n",
		       t[i].duration_ns / 1000000000, t[i].duration_ns % 1000000000);
	}
	metric("luo_participant_last_errno", "gauge",
	       "What each participant's call returned (0 or a negative errno).");
	for (size_t i = 0; i < n; i++) {
		fputs("luo_participant_last_errno{", stdout);
		label("participant", t[i].name, false);
		label("kind", luo_kind_str(t[i].kind), false);
		label("event", t[i].event_str, true);
		printf("} %d\n", t[i].ret);
	}
}

void print_prometheus(const struct stats_info *si)
{
	static const enum luo_state states[] = {
		LUO_STATE_NORMAL, LUO_STATE_PREPARED, LUO_STATE_UPDATED,
	};

	metric("luo_enabled", "gauge", "1 when live update is usable.");
	printf("luo_enabled %d\n", si->enabled);
	metric("luo_state", "gauge", "1 for the orchestrator's current state.");
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		fputs("luo_state{", stdout);
		label("state", luo_state_str(states[i]), true);
		printf("} %d\n", si->state == states[i]);
	}
	metric("luo_sequence", "gauge",
	       "Live updates in this chain of kernels (0 after a cold boot).");
	printf("luo_sequence %" PRIu64 "\n", si->seq);
	if (si->have_blackout) {
		metric("luo_last_blackout_seconds", "gauge",
		       "Blackout of the live update this kernel booted from (0: none).");
		printf("luo_last_blackout_seconds %" PRIu64 ".%09" PRIu64 "\n",
		       si->blackout_ns / 1000000000, si->blackout_ns % 1000000000);
	}
	if (si->nphases)
		metric("luo_last_blackout_phase_seconds", "gauge",
		       "Phases of that live update (sysfs blackout).");
	for (size_t i = 0; i < si->nphases; i++) {
		fputs("luo_last_blackout_phase_seconds{", stdout);
		label("phase", si->phases[i].name, true);
		printf("} %" PRIu64 ".%09" PRIu64 "\n", si->phases[i].ns / 1000000000,
		       si->phases[i].ns % 1000000000);
	}
	print_failure(&si->failure);
	print_exits(si->exits, si->nexits);
	if (!si->timings_err)
		print_timings(si->timings, si->ntimings);
}
