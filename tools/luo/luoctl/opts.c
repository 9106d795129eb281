// SPDX-License-Identifier: GPL-2.0
/* luoctl: option parsing shared by all commands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luoctl.h"

void parser_init(struct parser *p, int argc, char **argv,
		 const struct option *extra, const char *short_extra)
{
	int n = 0;

	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	p->rc = -1;
	for (; extra && extra[n].name; n++)
		p->lo[n] = extra[n];
	p->lo[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	p->lo[n++] = (struct option){ "json", no_argument, NULL, OPT_JSON };
	snprintf(p->so, sizeof(p->so), "hj%s", short_extra ? short_extra : "");
	optind = 0;
	opterr = 0;
}

int parser_next(struct parser *p)
{
	int c = getopt_long(p->argc, p->argv, p->so, p->lo, NULL);

	switch (c) {
	case OPT_HELP:
		fputs(cur_cmd->usage, stdout);
		p->rc = EXIT_OK;
		return -1;
	case OPT_JSON:
	case 'j':
		g_json = true;
		return parser_next(p);
	case '?':
		if (optopt && optopt < 0x100 && strchr(p->so, optopt))
			p->rc = usage_err("option '-%c' requires an argument", optopt);
		else if (optopt && optopt < 0x100)
			p->rc = usage_err("unknown option '-%c'", optopt);
		else if (optind > 0 && optind <= p->argc &&
			 !strncmp(p->argv[optind - 1], "--", 2) &&
			 strchr(p->argv[optind - 1], '='))
			p->rc = usage_err("option '%s' takes no argument",
					  p->argv[optind - 1]);
		else
			p->rc = usage_err("unknown or incomplete option '%s'",
					  p->argv[optind - 1]);
		return -1;
	case ':':
		p->rc = usage_err("option '%s' requires an argument",
				  p->argv[optind - 1]);
		return -1;
	}
	return c;
}

int want_args(struct parser *p, int min, int max)
{
	int n = p->argc - optind;

	if (n < min)
		return usage_err("missing argument");
	if (n > max)
		return usage_err("unexpected argument '%s'", p->argv[optind + max]);
	return -1;
}

int parse_int_arg(const char *opt, const char *s, long min, long max,
		  long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return usage_err("invalid value '%s' for %s", s, opt);
	*out = v;
	return -1;
}
