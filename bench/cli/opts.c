// SPDX-License-Identifier: GPL-2.0
/* One option parser for every command: a table in, getopt_long underneath. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "util.h"

/* getopt's code for a long option without a short one: its index from here. */
#define CLI_LONG_ONLY	256

static const struct cli_opt help_opt = CLI_FLAG("--help", 'h', NULL, "this text");

static int is_option(const struct cli_opt *o)
{
	return o->type != CLI_T_END && o->type != CLI_T_TEXT;
}

static int code_of(const struct cli_opt *o, int idx)
{
	return o->key ? o->key : CLI_LONG_ONLY + idx;
}

static const struct cli_opt *find(const struct cli_cmd *cmd, int code)
{
	const struct cli_opt *o;
	int i;

	if (code == 'h')
		return &help_opt;
	for (o = cmd->opts, i = 0; o->type != CLI_T_END; o++, i++)
		if (is_option(o) && code_of(o, i) == code)
			return o;
	return NULL;
}

/* The getopt_long tables of @cmd; NULL when out of memory. */
static struct option *long_opts(const struct cli_cmd *cmd, char **shorts)
{
	const struct cli_opt *o;
	struct option *lo;
	size_t n = 0, k = 0, s = 0;
	int i;

	for (o = cmd->opts; o->type != CLI_T_END; o++)
		n++;
	lo = calloc(n + 2, sizeof(*lo));
	*shorts = malloc(2 * n + 4);
	if (!lo || !*shorts) {
		free(lo);
		free(*shorts);
		return NULL;
	}
	/* '-': arguments come back in order; ':': a missing value is told apart */
	(*shorts)[s++] = '-';
	(*shorts)[s++] = ':';
	(*shorts)[s++] = 'h';
	lo[k++] = (struct option){ help_opt.name + 2, no_argument, NULL, 'h' };
	for (o = cmd->opts, i = 0; o->type != CLI_T_END; o++, i++) {
		if (!is_option(o))
			continue;
		lo[k++] = (struct option){ o->name + 2, o->arg ? required_argument : no_argument,
					   NULL, code_of(o, i) };
		if (!o->key)
			continue;
		(*shorts)[s++] = (char)o->key;
		if (o->arg)
			(*shorts)[s++] = ':';
	}
	(*shorts)[s] = '\0';
	return lo;
}

static int apply(const struct cli_opt *o, const char *val)
{
	long l;
	int err;

	switch (o->type) {
	case CLI_T_FLAG:
		*o->to.flag = o->set;
		return 0;
	case CLI_T_STR:
		*o->to.str = val;
		return 0;
	case CLI_T_INT:
		err = cli_long(o->name, val, o->lmin, o->lmax, &l);
		if (!err)
			*o->to.i = (int)l;
		return err;
	case CLI_T_LONG:
		return cli_long(o->name, val, o->lmin, o->lmax, o->to.l);
	case CLI_T_DOUBLE:
		return cli_double(o->name, val, o->dmin, o->dmax, o->to.d);
	case CLI_T_FN:
		return o->to.fn(o->ctx, o, val);
	default:
		return -EINVAL;
	}
}

static int pass(struct cli_cmd *cmd, const char *a, const char *b)
{
	/* the words, and a NULL after them */
	if (cmd->nr_pass + (b ? 2 : 1) + 1 > cmd->pass_max) {
		zb_err("%s: too many arguments", cmd->prog);
		return -E2BIG;
	}
	cmd->pass[cmd->nr_pass++] = (char *)a;
	if (b)
		cmd->pass[cmd->nr_pass++] = (char *)b;
	return 0;
}

/* An argument that is not an option: the command's, passed on, or an error. */
static int argument(struct cli_cmd *cmd, const char *word)
{
	if (cmd->arg)
		return cmd->arg(cmd->ctx, word);
	if (cmd->pass && cmd->unknown_passes)
		return pass(cmd, word, NULL);
	zb_err("unexpected argument '%s' (see %s --help)", word, cmd->prog);
	return -EINVAL;
}

/* The words of the option getopt just returned: abbreviations are refused. */
static int spelled_out(const struct cli_opt *o, char **argv)
{
	const char *word = argv[optind - 1];
	size_t n = strlen(o->name);

	if (o->arg && optarg == argv[optind - 1] && optind >= 2)
		word = argv[optind - 2];
	if (!strncmp(word, o->name, n) && (!word[n] || word[n] == '='))
		return 0;
	zb_err("'%.*s': write the option in full (%s)", (int)strcspn(word, "="), word, o->name);
	return -EINVAL;
}

/* getopt's '?' or ':': one line on what was wrong. */
static int bad_option(struct cli_cmd *cmd, int c, char **argv)
{
	const struct cli_opt *o = optopt ? find(cmd, optopt) : NULL;
	const char *word = argv[optind - 1];

	if (c == ':' && o) {
		zb_err("%s needs a value", o->name);
		return -EINVAL;
	}
	if (o) {
		zb_err("%s takes no value", o->name);
		return -EINVAL;
	}
	if (optopt) {
		zb_err("unknown option '-%c' (see %s --help)", optopt, cmd->prog);
		return -EINVAL;
	}
	if (cmd->pass && cmd->unknown_passes && !strncmp(word, "--", 2))
		return pass(cmd, word, NULL);
	zb_err("unknown option '%.*s' (see %s --help)", (int)strcspn(word, "="), word, cmd->prog);
	return -EINVAL;
}

int cli_parse(struct cli_cmd *cmd, int argc, char **argv)
{
	char *shorts = NULL;
	struct option *lo = long_opts(cmd, &shorts);
	const struct cli_opt *o;
	int c, li, ret = 0;

	if (!lo) {
		zb_err("out of memory");
		return -ENOMEM;
	}
	cmd->nr_pass = 0;
	/* 0, not 1: getopt starts afresh (a test parses many times) */
	optind = 0;
	opterr = 0;
	while (!ret) {
		li = -1;
		c = getopt_long(argc, argv, shorts, lo, &li);
		if (c == -1)
			break;
		if (c == 1) {
			ret = argument(cmd, optarg);
			continue;
		}
		if (c == '?' || c == ':') {
			ret = bad_option(cmd, c, argv);
			continue;
		}
		o = find(cmd, c);
		if (li >= 0)
			ret = spelled_out(o, argv);
		if (ret)
			break;
		if (o == &help_opt) {
			cli_help(stdout, cmd);
			ret = CLI_HELP;
			break;
		}
		ret = apply(o, optarg);
		if (!ret && cmd->pass && !(o->flags & CLI_OWN))
			ret = pass(cmd, o->name, o->arg ? optarg : NULL);
	}
	/* after "--": arguments, even those that look like options */
	for (c = optind; !ret && c > 0 && c < argc; c++)
		ret = argument(cmd, argv[c]);
	/* only now: pass may be argv itself, behind what getopt has read */
	if (cmd->pass)
		cmd->pass[cmd->nr_pass] = NULL;
	free(lo);
	free(shorts);
	return ret;
}

/* @text's lines, the first after column @at, the others indented to @col. */
static void print_lines(FILE *f, const char *text, int at, int col)
{
	while (*text) {
		size_t n = strcspn(text, "\n");

		fprintf(f, "%*s%.*s\n", col > at ? col - at : 0, "", (int)n, text);
		text += n + (text[n] == '\n');
		at = 0;
	}
}

static int spec_width(const struct cli_opt *o)
{
	return 6 + (int)strlen(o->name) + (o->arg ? 1 + (int)strlen(o->arg) : 0);
}

/* The widest spec sets the help column, up to this; a wider one gets a line of its own. */
#define CLI_HELP_COL	28

void cli_help(FILE *f, const struct cli_cmd *cmd)
{
	const struct cli_opt *o;
	int col = spec_width(&help_opt), at;

	for (o = cmd->opts; o->type != CLI_T_END; o++)
		if (is_option(o) && o->help && spec_width(o) > col && spec_width(o) <= CLI_HELP_COL)
			col = spec_width(o);
	col += 2;
	fputs(cmd->usage, f);
	for (o = cmd->opts;; o++) {
		if (o->type == CLI_T_END)
			o = &help_opt;
		if (o->type == CLI_T_TEXT) {
			print_lines(f, o->help, 0, 0);
			continue;
		}
		if (!o->help)
			continue;
		at = fprintf(f, "  %c%c%s %s%s%s", o->key ? '-' : ' ', o->key ? o->key : ' ',
			     o->key ? "," : " ", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		if (at + 2 > col) {
			fputc('\n', f);
			at = 0;
		}
		print_lines(f, o->help, at, col);
		if (o == &help_opt)
			break;
	}
	if (cmd->tail)
		fprintf(f, "\n%s", cmd->tail);
}

int cli_exit(int ret)
{
	return ret == CLI_HELP ? ZB_EXIT_OK : ZB_EXIT_USAGE;
}

int cli_words_add(void *ctx, const char *word)
{
	struct cli_words *w = ctx;

	if (!*w->first) {
		*w->first = word;
		return 0;
	}
	if (*w->n == w->max) {
		zb_err("%s %s: too many arguments ('%s')", w->prog, *w->first, word);
		return -E2BIG;
	}
	w->v[(*w->n)++] = word;
	return 0;
}

int cli_number_text(void *ctx, const struct cli_opt *o, const char *val)
{
	long l;
	int err = cli_long(o->name, val, o->lmin, o->lmax, &l);

	if (!err)
		*(const char **)ctx = val;
	return err;
}
