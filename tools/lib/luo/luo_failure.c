// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* libluo: the failure record (last_failure) and what caused an error. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luo_internal.h"

/* "none", with surrounding whitespace */
static bool is_none(const char *s)
{
	if (strncmp(s, "none", 4))
		return false;
	for (s += 4; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

int luo_parse_failure_lib(const char *line, struct luo_failure *f)
{
	bool have_ev = false, have_part = false, have_err = false;
	const char *p = line;

	memset(f, 0, sizeof(*f));
	f->sz = sizeof(*f);
	f->event = LUO_EVENT_UNKNOWN;

	while (isspace((unsigned char)*p))
		p++;
	if (is_none(p))
		return 0;

	while (*p && *p != '\n') {
		const char *key = p, *val, *end;
		size_t klen, vlen;
		char tmp[LUO_NAME_MAX];

		if (!strncmp(p, "reason=", 7)) {
			/* free text up to the end of the line */
			val = p + 7;
			end = strchr(val, '\n');
			vlen = end ? (size_t)(end - val) : strlen(val);
			while (vlen && isspace((unsigned char)val[vlen - 1]))
				vlen--;
			if (vlen >= sizeof(f->reason))
				vlen = sizeof(f->reason) - 1;	/* truncate */
			memcpy(f->reason, val, vlen);
			f->reason[vlen] = '\0';
			f->has_reason = true;
			break;
		}
		end = key;
		while (*end && !isspace((unsigned char)*end))
			end++;
		val = memchr(key, '=', end - key);
		if (!val)
			return -EINVAL;
		klen = val - key;
		val++;
		vlen = end - val;
		if (vlen >= sizeof(tmp))
			return -EINVAL;
		memcpy(tmp, val, vlen);
		tmp[vlen] = '\0';

		if (klen == 5 && !strncmp(key, "event", 5)) {
			if (vlen >= sizeof(f->event_str))
				return -EINVAL;
			memcpy(f->event_str, tmp, vlen + 1);
			f->event = luo_event_from_str(tmp);
			have_ev = true;
		} else if ((klen == 11 && !strncmp(key, "participant", 11)) ||
			   (klen == 6 && !strncmp(key, "policy", 6))) {
			if (!vlen)
				return -EINVAL;
			memcpy(f->participant, tmp, vlen + 1);
			f->by_policy = klen == 6;
			have_part = true;
		} else if (klen == 5 && !strncmp(key, "errno", 5)) {
			char *e;
			long v;

			errno = 0;
			v = strtol(tmp, &e, 10);
			if (errno || e == tmp || *e || v < -4095 || v > 4095)
				return -EINVAL;
			f->err = v > 0 ? (int)-v : (int)v;
			have_err = true;
		} else if ((klen == 8 && !strncmp(key, "sequence", 8)) ||
			   (klen == 7 && !strncmp(key, "time_ns", 7))) {
			if (luo_parse_u64(tmp, klen == 8 ? &f->sequence :
					  &f->time_ns))
				return -EINVAL;
			f->has_time = true;
		}
		/* unknown keys are ignored for forward compatibility */
		p = end;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (!have_ev || !have_part || !have_err)
		return -EINVAL;
	f->present = true;
	return 0;
}

/* the caller's struct, sized by f->sz: only valid sizes are filled */
static bool user_failure_ok(const struct luo_failure *f)
{
	return f && luo_struct_sz(f) >= sizeof(size_t);
}

int luo_parse_failure(const char *line, struct luo_failure *uf)
{
	struct luo_failure f;
	int err;

	if (!user_failure_ok(uf))
		return -EINVAL;
	err = luo_parse_failure_lib(line, &f);
	luo_copy_out(uf, luo_struct_sz(uf), &f, sizeof(f));
	return err;
}

void luo_failure_describe(const struct luo_failure *uf, char *buf, size_t sz)
{
	struct luo_failure lf, *f = &lf;
	const char *name;
	char ename[32];

	if (user_failure_ok(uf))
		luo_copy_in(&lf, sizeof(lf), uf);
	else
		memset(&lf, 0, sizeof(lf));
	name = luo_errno_name(f->err);
	if (!f->present) {
		snprintf(buf, sz, "no failure recorded");
		return;
	}
	if (name)
		snprintf(ename, sizeof(ename), "%s", name);
	else
		snprintf(ename, sizeof(ename), "errno %d", f->err);

	if (f->by_policy)
		snprintf(buf, sz, "refused by policy '%s': %s (%s)", f->participant,
			 f->has_reason && f->reason[0] ? f->reason : "no reason given",
			 ename);
	else if (f->has_reason && f->reason[0])
		snprintf(buf, sz, "failed in participant '%s': %s (%s)",
			 f->participant, f->reason, ename);
	else if (f->err && -f->err < 512)
		snprintf(buf, sz, "failed in participant '%s': %s (%s)",
			 f->participant, strerror(-f->err), ename);
	else
		snprintf(buf, sz, "failed in participant '%s' (%s)",
			 f->participant, ename);
}

/* the first line of last_failure, trailing whitespace stripped */
static int read_failure_line(struct luo_ctx *ctx, char *buf, size_t sz)
{
	int err = luo_read_attr(ctx, ctx->sysfs_root, "last_failure", buf, sz);

	if (err)
		return err;
	*strchrnul(buf, '\n') = '\0';
	luo_rstrip(buf);
	return 0;
}

int luo_get_last_failure(struct luo_ctx *ctx, struct luo_failure *uf)
{
	char buf[LUO_FAILURE_LINE_MAX];
	struct luo_failure f;
	int err;

	if (!user_failure_ok(uf))
		return luo_err(ctx, -EINVAL, "struct luo_failure: .sz not set "
			       "(set it to sizeof(struct luo_failure))");
	err = read_failure_line(ctx, buf, sizeof(buf));
	if (err)
		return err;
	if (luo_parse_failure_lib(buf, &f))
		return luo_err(ctx, -EPROTO, "cannot parse %s/last_failure: '%.200s'",
			       ctx->sysfs_root, buf);
	luo_copy_out(uf, luo_struct_sz(uf), &f, sizeof(f));
	luo_ok(ctx);
	return 0;
}

void luo_failure_snapshot(struct luo_ctx *ctx, char *buf, size_t sz)
{
	if (read_failure_line(ctx, buf, sz))
		buf[0] = '\0';
}

bool luo_failure_fresh(struct luo_ctx *ctx, const char *snap,
		       enum luo_event event, int err, struct luo_failure *f)
{
	char now[LUO_FAILURE_LINE_MAX];

	if (read_failure_line(ctx, now, sizeof(now)) ||
	    luo_parse_failure_lib(now, f) || !f->present)
		return false;
	if ((event != LUO_EVENT_UNKNOWN && f->event != event) || f->err != err)
		return false;
	/* same line, time stamp included: written by an earlier step */
	if (snap && snap[0] && !strcmp(snap, now) && strstr(now, " time_ns="))
		return false;
	return true;
}
