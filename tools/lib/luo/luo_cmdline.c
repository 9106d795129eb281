// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The next kernel's command line: composed the way kexec-tools does it, and
 * checked for the two parameters without which the handover is lost (the
 * next kernel boots with the orchestrator off, or without KHO).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luo.h"
#include "luo_internal.h"

/* Next whitespace-separated word of @s (double quotes group), or NULL. */
static const char *next_word(const char *s, size_t *len)
{
	const char *p;
	bool quoted = false;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return NULL;
	for (p = s; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n'))
			break;
	}
	*len = p - s;
	return s;
}

static bool word_is(const char *w, size_t len, const char *key)
{
	size_t k = strlen(key);

	return len > k && !strncmp(w, key, k) && w[k] == '=';
}

/* The kernel's kstrtobool(): 1 true, 0 false, -1 not a boolean. */
static int parse_bool(const char *v, size_t len)
{
	if (*v == '"' && len >= 2) {
		v++;
		len -= 2;
	}
	if (!len)
		return -1;
	switch (v[0]) {
	case 'y': case 'Y': case '1':
		return 1;
	case 'n': case 'N': case '0':
		return 0;
	case 'o': case 'O':
		if (len < 2)
			return -1;
		if (v[1] == 'n' || v[1] == 'N')
			return 1;
		if (v[1] == 'f' || v[1] == 'F')
			return 0;
	}
	return -1;
}

/*
 * The value the next kernel ends up with for @key: the last occurrence that
 * parses wins (one that does not is rejected and changes nothing). Words
 * after "--" belong to init. Returns @dflt when @key never parses.
 */
static int last_bool(const char *cmdline, const char *key, int dflt)
{
	const char *w = cmdline;
	int val = dflt, b;
	size_t len;

	while ((w = next_word(w, &len))) {
		if (len == 2 && !strncmp(w, "--", 2))
			break;
		if (word_is(w, len, key)) {
			b = parse_bool(w + strlen(key) + 1,
				       len - strlen(key) - 1);
			if (b >= 0)
				val = b;
		}
		w += len;
	}
	return val;
}

bool luo_cmdline_keeps_update(const char *cmdline, const char **why)
{
	const char *dummy;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (!cmdline)
		cmdline = "";
	/* mainline LUO is off unless liveupdate= turns it on */
	if (last_bool(cmdline, "liveupdate", 0) != 1) {
		*why = "the next kernel's command line does not turn live update "
		       "on (liveupdate=on): it would boot without the handover";
		return false;
	}
	/* without kho= the next kernel keeps its built-in default */
	if (last_bool(cmdline, "kho", 1) != 1) {
		*why = "the next kernel's command line turns KHO off (kho=off): "
		       "the handover could not be read";
		return false;
	}
	return true;
}

/* Append @len bytes of @s to the malloc()ed string *@out, space separated. */
static int append_word(char **out, size_t *used, const char *s, size_t len)
{
	char *n = realloc(*out, *used + len + 2);

	if (!n)
		return -ENOMEM;
	if (*used)
		n[(*used)++] = ' ';
	memcpy(n + *used, s, len);
	*used += len;
	n[*used] = '\0';
	*out = n;
	return 0;
}

int luo_kexec_cmdline(struct luo_ctx *ctx, const char *cmdline,
		      const char *append, unsigned int flags, char **out)
{
	char *proc = NULL, *res = NULL;
	const char *w, *a;
	size_t len, used = 0;
	int err = 0;

	*out = NULL;
	if (flags & ~LUO_KEXEC_REUSE_CMDLINE)
		return luo_err(ctx, -EINVAL, "unknown command line flags 0x%x",
			       flags);
	if (cmdline && (flags & LUO_KEXEC_REUSE_CMDLINE))
		return luo_err(ctx, -EINVAL, "an explicit command line and "
			       "reusing /proc/cmdline are mutually exclusive");
	if (flags & LUO_KEXEC_REUSE_CMDLINE) {
		err = luo_read_file_alloc(ctx, "/proc/cmdline", &proc);
		if (err < 0)
			return err;
		err = 0;
		cmdline = proc;
	}
	/*
	 * Word by word: drops BOOT_IMAGE= (the boot loader's, as kexec-tools
	 * does when it reuses the command line) and extra whitespace. The
	 * appended words are kernel parameters: they go before a "--", after
	 * which the words are init's.
	 */
	for (w = cmdline ? cmdline : ""; !err && (w = next_word(w, &len)); w += len) {
		if (len == 2 && !strncmp(w, "--", 2))
			break;
		if (!(proc && word_is(w, len, "BOOT_IMAGE")))
			err = append_word(&res, &used, w, len);
	}
	for (a = append ? append : ""; !err && (a = next_word(a, &len)); a += len)
		err = append_word(&res, &used, a, len);
	/* then "--" and init's words, if any */
	for (; !err && w && (w = next_word(w, &len)); w += len)
		err = append_word(&res, &used, w, len);
	if (!err && !res)
		res = strdup("");
	free(proc);
	if (err || !res) {
		free(res);
		return luo_err(ctx, -ENOMEM, "out of memory");
	}
	*out = res;
	luo_ok(ctx);
	return 0;
}
