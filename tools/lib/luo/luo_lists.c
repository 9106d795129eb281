// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libluo: the kernel's listings, parsed into arrays of extensible structs:
 * participants (sysfs), per-participant timings (debugfs), the BPF
 * instances ejected for misbehaving (sysfs exits) and the phases of the
 * last blackout (sysfs blackout).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luo_internal.h"

static enum luo_kind kind_from_str(const char *s)
{
	if (!strcmp(s, "native"))
		return LUO_KIND_NATIVE;
	if (!strcmp(s, "bpf"))
		return LUO_KIND_BPF;
	return LUO_KIND_UNKNOWN;
}

static int copy_str(char *dst, size_t sz, const char *src)
{
	size_t n = strlen(src);

	if (n >= sz)
		return -ENAMETOOLONG;
	memcpy(dst, src, n + 1);
	return 0;
}

/* Split @line in place into at most @max whitespace separated tokens;
 * returns the number of tokens, or max + 1 if there are more. */
static int split_ws(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p && isspace((unsigned char)*p))
			*p++ = '\0';
		if (!*p)
			return n;
		if (n == max)
			return max + 1;
		tok[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
	}
}

static int parse_uint(const char *s, unsigned int *v)
{
	uint64_t x;

	if (luo_parse_u64(s, &x) || x > UINT32_MAX)
		return -EINVAL;
	*v = (unsigned int)x;
	return 0;
}

/* "... N more": the kernel's listing did not fit in one page */
static bool parse_more(char **tok, int n, size_t *omitted)
{
	uint64_t v;

	if (n != 3 || strcmp(tok[0], "...") || strcmp(tok[2], "more") ||
	    luo_parse_u64(tok[1], &v) || v == 0 || v > INT_MAX)
		return false;
	*omitted = (size_t)v;
	return true;
}

static int walk_participants(struct luo_ctx *ctx, luo_participant_cb cb,
			     void *data, size_t *omitted)
{
	char path[PATH_MAX], *buf, *line, *save = NULL;
	int err, lineno = 0;
	size_t more = 0;

	err = luo_path(ctx, path, sizeof(path), ctx->sysfs_root, "participants");
	if (err)
		return err;
	err = luo_read_file_alloc(ctx, path, &buf);
	if (err < 0)
		return err;
	err = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct luo_participant p = { .sz = sizeof(p) };
		char *tok[3];
		int n;

		lineno++;
		n = split_ws(line, tok, 3);
		if (n == 0)
			continue;
		if (more) {
			err = luo_err(ctx, -EPROTO, "%s:%d: line after '... %zu "
				      "more'", path, lineno, more);
			break;
		}
		if (n >= 1 && !strcmp(tok[0], "...")) {
			if (parse_more(tok, n, &more))
				continue;
			err = luo_err(ctx, -EPROTO, "%s:%d: malformed line, "
				      "expected '... <count> more'", path, lineno);
			break;
		}
		if (n != 3 || parse_uint(tok[0], &p.priority) ||
		    copy_str(p.name, sizeof(p.name), tok[2])) {
			err = luo_err(ctx, -EPROTO, "%s:%d: malformed line, "
				      "expected '<priority> <kind> <name>'",
				      path, lineno);
			break;
		}
		p.kind = kind_from_str(tok[1]);
		err = cb(&p, data);
		if (err)
			break;
	}
	free(buf);
	if (!err) {
		if (omitted)
			*omitted = more;
		luo_ok(ctx);
	}
	return err;
}

int luo_foreach_participant(struct luo_ctx *ctx, luo_participant_cb cb,
			    void *data)
{
	return walk_participants(ctx, cb, data, NULL);
}

struct vec {
	void *v;
	size_t n, cap, esz;
};

static int vec_push(struct vec *vec, const void *e)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 8;
		void *nv = realloc(vec->v, cap * vec->esz);

		if (!nv)
			return -ENOMEM;
		vec->v = nv;
		vec->cap = cap;
	}
	memcpy((char *)vec->v + vec->n * vec->esz, e, vec->esz);
	vec->n++;
	return 0;
}

static int collect_participant(const struct luo_participant *p, void *data)
{
	return vec_push(data, p) ? 1 : 0;
}

int luo_list_participants(struct luo_ctx *ctx, struct luo_participant **out,
			  size_t elem_sz, size_t *cnt, size_t *omitted)
{
	struct vec vec = { .esz = sizeof(struct luo_participant) };
	size_t more = 0;
	void *arr;
	int err;

	err = luo_check_elem_sz(ctx, elem_sz, "luo_participant");
	if (err)
		return err;
	err = walk_participants(ctx, collect_participant, &vec, &more);
	if (err == 1)
		err = luo_err(ctx, -ENOMEM, "out of memory");
	if (err) {
		free(vec.v);
		return err;
	}
	err = luo_array_out(ctx, vec.v, vec.n, vec.esz, elem_sz, &arr);
	if (err)
		return err;
	*out = arr;
	*cnt = vec.n;
	if (omitted)
		*omitted = more;
	return 0;
}

int luo_get_participants(struct luo_ctx *ctx, struct luo_participant **out,
			 size_t elem_sz, size_t *cnt)
{
	return luo_list_participants(ctx, out, elem_sz, cnt, NULL);
}

/*
 * Read @dir/@name and parse each non-empty line with @parse into an element
 * of @esz bytes (the library's struct), handed out as an array of @elem_sz
 * bytes. A line that does not parse fails with -EPROTO naming @expect.
 */
static int collect_lines(struct luo_ctx *ctx, const char *dir, const char *name,
			 size_t esz, int (*parse)(char *line, void *e),
			 const char *expect, void **out, size_t elem_sz,
			 size_t *cnt)
{
	struct vec vec = { .esz = esz };
	char path[PATH_MAX], *buf, *line, *save = NULL;
	int err, lineno = 0;
	void *e;

	err = luo_path(ctx, path, sizeof(path), dir, name);
	if (err)
		return err;
	err = luo_read_file_alloc(ctx, path, &buf);
	if (err < 0)
		return err;
	e = malloc(esz);
	if (!e) {
		free(buf);
		return luo_err(ctx, -ENOMEM, "out of memory");
	}
	err = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		memset(e, 0, esz);
		*(size_t *)e = esz;
		if (parse(line, e)) {
			err = luo_err(ctx, -EPROTO, "%s:%d: malformed line, "
				      "expected '%s'", path, lineno, expect);
			break;
		}
		if (vec_push(&vec, e)) {
			err = luo_err(ctx, -ENOMEM, "out of memory");
			break;
		}
	}
	free(buf);
	free(e);
	if (!err)
		err = luo_array_out(ctx, vec.v, vec.n, vec.esz, elem_sz, out);
	else
		free(vec.v);
	if (err)
		return err;
	*cnt = vec.n;
	luo_ok(ctx);
	return 0;
}

/* "<name> <kind> <priority> <event> <ret> <duration_ns>" */
static int parse_timing(char *line, void *elem)
{
	struct luo_timing *t = elem;
	uint64_t dur;
	char *tok[6], *end;
	long ret;

	if (split_ws(line, tok, 6) != 6 ||
	    copy_str(t->name, sizeof(t->name), tok[0]) ||
	    parse_uint(tok[2], &t->priority) ||
	    copy_str(t->event_str, sizeof(t->event_str), tok[3]) ||
	    luo_parse_u64(tok[5], &dur))
		return -EINVAL;
	errno = 0;
	ret = strtol(tok[4], &end, 10);
	if (errno || end == tok[4] || *end || ret < -4095 || ret > 4095)
		return -EINVAL;
	t->kind = kind_from_str(tok[1]);
	t->event = luo_event_from_str(tok[3]);
	t->ret = (int)ret;
	t->duration_ns = dur;
	return 0;
}

int luo_get_timings(struct luo_ctx *ctx, struct luo_timing **out,
		    size_t elem_sz, size_t *cnt)
{
	int err = luo_check_elem_sz(ctx, elem_sz, "luo_timing");

	if (err)
		return err;
	err = collect_lines(ctx, ctx->debugfs_root, "last_update",
			    sizeof(struct luo_timing), parse_timing,
			    "<name> <kind> <priority> <event> <ret> <duration_ns>",
			    (void **)out, elem_sz, cnt);
	if (err == -ENOENT)
		return luo_err(ctx, err, "no timings: %s/last_update does not "
			       "exist (debugfs not mounted?)", ctx->debugfs_root);
	return err;
}

/* "<name> kind=<kind> op=<op> errno=<-N> msg=<text>": @key=, then a word */
static int exit_field(char **p, const char *key, char *dst, size_t sz)
{
	size_t k = strlen(key), n;

	if (strncmp(*p, key, k) || (*p)[k] != '=')
		return -EINVAL;
	*p += k + 1;
	n = strcspn(*p, " ");
	if (n >= sz)
		return -EINVAL;
	memcpy(dst, *p, n);
	dst[n] = '\0';
	*p += n;
	while (**p == ' ')
		(*p)++;
	return 0;
}

static int parse_exit(char *line, void *elem)
{
	struct luo_exit *x = elem;
	char errbuf[16], *p = line, *e;
	size_t n = strcspn(p, " ");
	long v;

	if (!n || n >= sizeof(x->name))
		return -EINVAL;
	memcpy(x->name, p, n);
	x->name[n] = '\0';
	for (p += n; *p == ' '; p++)
		;
	if (exit_field(&p, "kind", x->kind, sizeof(x->kind)) ||
	    exit_field(&p, "op", x->op, sizeof(x->op)) ||
	    exit_field(&p, "errno", errbuf, sizeof(errbuf)))
		return -EINVAL;
	errno = 0;
	v = strtol(errbuf, &e, 10);
	if (errno || e == errbuf || *e || v < -4095 || v > 0)
		return -EINVAL;
	x->err = (int)v;
	/* the message is free text to the end of the line */
	if (strncmp(p, "msg=", 4))
		return -EINVAL;
	snprintf(x->msg, sizeof(x->msg), "%s", p + 4);
	return 0;
}

int luo_get_exits(struct luo_ctx *ctx, struct luo_exit **out, size_t elem_sz,
		  size_t *cnt)
{
	int err = luo_check_elem_sz(ctx, elem_sz, "luo_exit");

	if (err)
		return err;
	return collect_lines(ctx, ctx->sysfs_root, "exits",
			     sizeof(struct luo_exit), parse_exit,
			     "<name> kind=<kind> op=<op> errno=<-N> msg=<text>",
			     (void **)out, elem_sz, cnt);
}

/* "<phase> <ns>" */
static int parse_phase(char *line, void *elem)
{
	struct luo_phase *ph = elem;
	char *tok[2];

	if (split_ws(line, tok, 2) != 2 ||
	    copy_str(ph->name, sizeof(ph->name), tok[0]) ||
	    luo_parse_u64(tok[1], &ph->ns))
		return -EINVAL;
	return 0;
}

int luo_get_blackout_phases(struct luo_ctx *ctx, struct luo_phase **out,
			    size_t elem_sz, size_t *cnt)
{
	int err = luo_check_elem_sz(ctx, elem_sz, "luo_phase");

	if (err)
		return err;
	return collect_lines(ctx, ctx->sysfs_root, "blackout",
			     sizeof(struct luo_phase), parse_phase,
			     "<phase> <ns>", (void **)out, elem_sz, cnt);
}
