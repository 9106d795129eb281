# SPDX-License-Identifier: GPL-2.0
# make bench's table: reads "RUN KEY VALUE" lines (RUN 1 and 2, the two
# instruction-exact runs; w, the plain TCG boot; keys from guest-bench.sh,
# noev_ for the kernel built without events) and prints markdown. Exits 1
# if a value is missing or the two runs differ by 1% or more, 2 if a goal
# is not met (each goal's verdict is computed here, from the values).
# -v date, commit, machine, smp, kernel: the header.

{ V[$1, $2] = $3; HAVE[$1, $2] = 1 }

# Value of metric @k in run @r; sets MISS if a key is missing.
function v(r, k) {
	if (!HAVE[r, k])
		MISS = 1
	return V[r, k] + 0
}

# Per participant call: a round trip calls each participant twice.
function percall(r, pfx, on, n) {
	return (v(r, pfx "rt_native_" on n) - v(r, pfx "rt_native_" on "0")) / (2 * n)
}

function m(r, k,	n) {
	if (k == "own_native")
		return percall(r, "", "", 64) - v(r, "call_native")
	if (k == "own_bpf")
		return (v(r, "rt_bpf_64") - v(r, "rt_native_0")) / 128 - v(r, "call_bpf")
	if (k == "pc_noev")
		return percall(r, "noev_", "", 64)
	if (k == "pc_off")
		return percall(r, "", "", 64)
	if (k == "pc_on")
		return percall(r, "", "on_", 64)
	if (k == "event")
		return percall(r, "", "on_", 64) - percall(r, "", "", 64)
	if (k ~ /^pp_/) {
		n = k
		sub(/.*_/, "", n)
		sub(/^pp_/, "rt_", k)
		return (v(r, k) - v(r, "rt_native_0")) / n
	}
	return v(r, k)
}

function fmt(x) {
	return x >= 1000 || x <= -1000 ? sprintf("%d", x + (x < 0 ? -0.5 : 0.5)) : sprintf("%.1f", x)
}

function spread(a, b) {
	if (a == b)
		return 0
	return 100 * (a > b ? a - b : b - a) / ((a > 0 ? a : -a) + (b > 0 ? b : -b)) * 2
}

function note_spread(s) {
	if (s > MAXSPREAD)
		MAXSPREAD = s
	return sprintf("%.2f%%", s)
}

# The wall-clock column: measured value @k in the plain TCG boot, or a dash.
# Differences of wall-clock figures are mostly noise: none is printed.
function wall(k) {
	return HAVE["w", k] ? fmt(V["w", k]) : "-"
}

# A row: label, metric, ratio against metric @base (or none).
# Metric @k of both runs into A and B; a missing one is remembered.
function both(k) {
	MISS = 0
	A = m(1, k)
	B = m(2, k)
	if (MISS)
		MISSING = MISSING " " k
}

function row(label, k, base,	a, b, mean, ratio, w) {
	both(k)
	a = A
	b = B
	mean = (a + b) / 2
	ratio = ""
	if (base != "")
		ratio = sprintf("%.3fx", mean / ((m(1, base) + m(2, base)) / 2))
	printf "| %s | %s | %s | %s | %s |\n", label, fmt(mean), ratio,
		note_spread(spread(a, b)), wall(k)
}

# A blackout row: label, phase metric, its share of the blackout.
function share_row(label, k) {
	both(k)
	printf "| %s | %s | %.4f%% | %s | - |\n", label, fmt((A + B) / 2),
		100 * (A / m(1, "bo_blackout") + B / m(2, "bo_blackout")) / 2,
		note_spread(spread(A, B))
}

# A scaling row: label, round trip metric, per participant metric.
function srow(label, k, pp) {
	both(k)
	printf "| %s | %s | %s | %s | %s |\n", label, fmt((A + B) / 2),
		pp == "" ? "-" : fmt((m(1, pp) + m(2, pp)) / 2), note_spread(spread(A, B)), wall(k)
}

# A ratio row: "X / Y" and X / Y as N.NNx, per run for the spread.
function ratio_row(label, x, y,	a, b, w) {
	MISS = 0
	a = m(1, x) / m(1, y)
	b = m(2, x) / m(2, y)
	if (MISS)
		MISSING = MISSING " " x "/" y
	w = HAVE["w", x] && V["w", y] ? sprintf("%.2fx", V["w", x] / V["w", y]) : "-"
	printf "| %s | %s / %s | %.2fx | %s | %s |\n", label,
		fmt((m(1, x) + m(2, x)) / 2), fmt((m(1, y) + m(2, y)) / 2),
		(a + b) / 2, note_spread(spread(a, b)), w
}

# Least squares rt = c + s * n over the round trips of @kind, from @nlist.
function fit(label, kind, nlist,	c, i, k, n, N, r, s, sx, sy, sxx, sxy, x, y, dev, d) {
	N = split(nlist, n, " ")
	for (i = 1; i <= N; i++) {
		k = n[i] ? "rt_" kind "_" n[i] : "rt_native_0"
		x[i] = n[i]
		y[i] = (m(1, k) + m(2, k)) / 2
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		sxy += x[i] * y[i]
	}
	s = (N * sxy - sx * sy) / (N * sxx - sx * sx)
	c = (sy - s * sx) / N
	for (i = 1; i <= N; i++) {
		d = 100 * (y[i] - c - s * x[i]) / y[i]
		if (d < 0)
			d = -d
		if (d > dev)
			dev = d
	}
	FIT_C[label] = c
	printf "- %s: least squares over %s participants: prepare+cancel = %d + %.1f x N instructions; " \
		"largest deviation from the line %.2f%%, so %s.\n", label, nlist, c, s, dev,
		dev < 1 ? "linear" : dev < 5 ? "linear within 5%" : "not linear"
}

# A goal's verdict, from the values: remembered, so that a goal not met
# fails the bench.
function goal(name, ok) {
	if (!ok)
		UNMET = UNMET "\n  " name
	return ok ? "met" : "NOT MET"
}

function head(t) {
	printf "\n#### %s\n\n", t
	print "| measurement | instructions | ratio | spread | TCG wall-clock ns |"
	print "|---|---:|---:|---:|---:|"
}

END {
	print "### make bench"
	print ""
	printf "- date: %s; commit %s; machine: %s\n", date, commit, machine
	printf "- mode: QEMU TCG with `-icount shift=0,sleep=off`, `-smp %s`: one guest nanosecond is one " \
		"instruction, so the figures are instructions. luo_bench runs SCHED_FIFO: otherwise sysfs_notify's " \
		"kworker may run between two writes and land in a run. One vCPU: with -icount all vCPUs advance " \
		"one clock, so a second vCPU can only add its own instructions (when the bench was written, at " \
		"b7c51a5 on 2026-11-26, 1 and 2 vCPUs gave the same figures under SCHED_FIFO; not measured by this run).\n", smp
	printf "- kernels: %s; no-op participants (luo_test with record=0, noop.bpf.o), priority 1, " \
		"trace events disabled unless a row says so.\n", kernel
	print "- instructions: mean of two runs, each one boot of both kernels; spread: |run 1 - run 2| / mean. " \
		"TCG wall-clock ns: one plain TCG boot (no icount), secondary and noisy (a single run: no spread is " \
		"known for it); measured rows only."

	head("Per call, side by side: 64 native and 64 BPF no-op participants interleaved in one list")
	row("per call, no-op native participant (handler, as last_update times it)", "call_native", "call_native")
	row("per call, no-op BPF participant (handler, as last_update times it)", "call_bpf", "call_native")
	ratio_row("per call, BPF vs native", "call_bpf", "call_native")
	row("orchestrator's own cost per native participant call (list walks, record, clock reads, sanitising)", "own_native", "")
	row("orchestrator's own cost per BPF participant call (same)", "own_bpf", "")
	row("prepare+cancel, 64 native + 64 BPF interleaved", "rt_mixed_128", "")
	ratio_row("prepare+cancel, 64 BPF vs 64 native", "rt_bpf_64", "rt_native_64")

	print ""
	r = (m(1, "rt_bpf_64") / m(1, "rt_native_64") + m(2, "rt_bpf_64") / m(2, "rt_native_64")) / 2
	printf "Goal: the 64-participant round trip within 1.20x of native; measured %.3fx (%s).\n", \
		r, goal(sprintf("64-participant round trip within 1.20x of native: %.3fx", r), r <= 1.2)

	head("Trace events: 64 native no-op participants")
	row("prepare+cancel, built without events", "noev_rt_native_64", "noev_rt_native_64")
	row("prepare+cancel, events compiled in, disabled", "rt_native_64", "noev_rt_native_64")
	row("prepare+cancel, events enabled", "rt_native_on_64", "noev_rt_native_64")
	row("per participant call, built without events", "pc_noev", "pc_noev")
	row("per participant call, events compiled in, disabled", "pc_off", "pc_noev")
	row("per participant call, events enabled", "pc_on", "pc_noev")
	row("one enabled liveupdate_participant event", "event", "")
	row("prepare+cancel, empty list, built without events", "noev_rt_native_0", "noev_rt_native_0")
	row("prepare+cancel, empty list, events compiled in, disabled", "rt_native_0", "noev_rt_native_0")

	ev = 100 * ((m(1, "pc_off") + m(2, "pc_off")) / (m(1, "pc_noev") + m(2, "pc_noev")) - 1)
	print ""
	printf "Separate boots are comparable: every row above came from two boots per kernel, largest " \
		"spread so far %.2f%%. Events compiled in but disabled cost %.2f%% per participant call " \
		"over the kernel built without them (goal: at most 1%%: %s).\n", MAXSPREAD, ev, \
		goal(sprintf("disabled events at most 1%% a participant call: %.2f%%", ev), ev <= 1)

	head("Blackout: one live update with 64 no-op native participants (sysfs blackout)")
	split("reboot orchestrator sessions shutdown kexec boot blackout", P, " ")
	for (i = 1; i <= 7; i++)
		share_row(P[i] (P[i] == "orchestrator" ? " (its own share of reboot)" : ""), "bo_" P[i])
	print ""
	own = 100 * (m(1, "bo_orchestrator") / m(1, "bo_blackout") + \
		     m(2, "bo_orchestrator") / m(2, "bo_blackout")) / 2
	printf "The orchestrator's own share of the blackout: %.4f%% (goal: under 0.1%%: %s). " \
		"The ratio column is each phase's share of the blackout.\n", own, \
		goal(sprintf("orchestrator's share of the blackout under 0.1%%: %.4f%%", own), own < 0.1)

	print "\n#### Scaling: prepare+cancel, N no-op participants\n"
	print "| participants | instructions | per participant | spread | TCG wall-clock ns |"
	print "|---|---:|---:|---:|---:|"
	srow("0 (empty list)", "rt_native_0", "")
	split("1 16 64 256 1024", N, " ")
	for (i = 1; i <= 5; i++)
		srow(N[i] " native", "rt_native_" N[i], "pp_native_" N[i])
	split("1 16 64", N, " ")
	for (i = 1; i <= 3; i++)
		srow(N[i] " BPF", "rt_bpf_" N[i], "pp_bpf_" N[i])
	print ""
	print "Per participant: (round trip - empty list) / N, instructions for its PREPARE and its CANCEL."
	print ""
	fit("native", "native", "0 1 16 64 256 1024")
	fit("BPF", "bpf", "1 16 64")
	print ""
	printf "A list with a BPF instance also opens and closes the KHO-preserved area for BPF state once " \
		"per live update (kho_preserve_folio at prepare, kho_unpreserve_folio at cancel): a constant " \
		"the empty list does not have, so the BPF fit starts at 1 participant. Its intercept minus the " \
		"empty list's round trip is that constant: %d instructions here.\n", \
		FIT_C["BPF"] - (m(1, "rt_native_0") + m(2, "rt_native_0")) / 2
	print ""
	printf "Largest spread between the two runs: %.2f%% (each run boots both kernels once, so this is " \
		"also the spread between separate boots).\n", MAXSPREAD
	if (MISSING != "") {
		print "bench: missing values:" MISSING > "/dev/stderr"
		exit 1
	}
	if (MAXSPREAD >= 1) {
		print "bench: the two runs differ by 1% or more" > "/dev/stderr"
		exit 1
	}
	if (UNMET != "") {
		print "bench: goals not met:" UNMET > "/dev/stderr"
		exit 2
	}
}
