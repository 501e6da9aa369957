/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every command's options, declared in one table each: the parser
 * (getopt_long underneath) and --help both read it.
 *
 * An option is spelled in full ("--filter"; an abbreviation is refused,
 * so that a record's command means the same to every later build), with
 * an optional short form (-f).  "--name value" and "--name=value" are
 * alike, "--" ends the options, and an option given again replaces its
 * earlier value (`ab --b-args` relies on that to override ab's own run
 * options), unless it is a CLI_FN that collects.  A bad option is one
 * line on stderr; the command then exits 2.
 */
#ifndef ZB_CLI_OPTS_H
#define ZB_CLI_OPTS_H

#include <stdio.h>

enum cli_type {
	CLI_T_END,
	CLI_T_FLAG,			/* no value: *flag = set */
	CLI_T_STR,			/* *str = the value */
	CLI_T_INT,			/* a whole number in lmin..lmax into *i */
	CLI_T_LONG,			/* ... into *l */
	CLI_T_DOUBLE,			/* a number in dmin..dmax into *d */
	CLI_T_FN,			/* fn(ctx, opt, value), which says why it fails */
	CLI_T_TEXT,			/* no option: a line of --help between them */
};

/* Not passed on (struct cli_cmd's pass): the command's own. */
#define CLI_OWN		1u

struct cli_opt {
	const char *name;		/* "--filter" */
	int key;			/* 'f' for -f, or 0 */
	enum cli_type type;
	const char *arg;		/* the value's name in --help ("REGEX"); NULL: a flag */
	const char *help;		/* lines split at '\n'; NULL: not in --help */
	union {
		int *flag;
		const char **str;
		int *i;
		long *l;
		double *d;
		int (*fn)(void *ctx, const struct cli_opt *o, const char *val);
	} to;
	int set;			/* CLI_T_FLAG: the value it stores */
	long lmin, lmax;
	double dmin, dmax;
	void *ctx;			/* CLI_T_FN's */
	unsigned int flags;		/* CLI_OWN */
};

#define CLI_FLAG(n, k, p, h) \
	{ .name = n, .key = k, .type = CLI_T_FLAG, .help = h, .to.flag = p, .set = 1 }
#define CLI_SET(n, k, p, v, h) \
	{ .name = n, .key = k, .type = CLI_T_FLAG, .help = h, .to.flag = p, .set = v }
#define CLI_STR(n, k, a, p, h) \
	{ .name = n, .key = k, .type = CLI_T_STR, .arg = a, .help = h, .to.str = p }
#define CLI_INT(n, k, a, p, lo, hi, h) \
	{ .name = n, .key = k, .type = CLI_T_INT, .arg = a, .help = h, .to.i = p, \
	  .lmin = lo, .lmax = hi }
#define CLI_LONG(n, k, a, p, lo, hi, h) \
	{ .name = n, .key = k, .type = CLI_T_LONG, .arg = a, .help = h, .to.l = p, \
	  .lmin = lo, .lmax = hi }
#define CLI_DOUBLE(n, k, a, p, lo, hi, h) \
	{ .name = n, .key = k, .type = CLI_T_DOUBLE, .arg = a, .help = h, .to.d = p, \
	  .dmin = lo, .dmax = hi }
#define CLI_FN(n, k, a, f, c, h) \
	{ .name = n, .key = k, .type = CLI_T_FN, .arg = a, .help = h, .to.fn = f, .ctx = c }
#define CLI_TEXT(h)	{ .type = CLI_T_TEXT, .help = h }
#define CLI_END		{ .type = CLI_T_END }

struct cli_cmd {
	const char *prog;		/* "zapbench run": in errors and --help */
	const char *usage;		/* --help before the options ("usage: ...\n\n") */
	const struct cli_opt *opts;	/* up to CLI_END */
	const char *tail;		/* --help after them, or NULL */
	/* An argument that is not an option; NULL: none is taken. */
	int (*arg)(void *ctx, const char *word);
	void *ctx;
	/*
	 * When not NULL (pass_max slots): the options not CLI_OWN, as
	 * "--name" [value], for another program; with unknown_passes also
	 * the unknown long options and the arguments, as given.  nr_pass
	 * counts them; NULL ends them.  It may be &argv[1]: a word is
	 * written there only after getopt has read it.
	 */
	char **pass;
	int pass_max, nr_pass;
	int unknown_passes;
};

/*
 * A command word and the words after it, for commands of the form
 * "zapbench plot KIND RECORD...": cli_words_add() as cli_cmd.arg, this
 * as its ctx.
 */
struct cli_words {
	const char *prog;		/* in the error when there are too many */
	const char **first;
	const char **v;			/* max slots */
	int *n, max;
};

int cli_words_add(void *ctx, const char *word);
/* A CLI_T_FN: a whole number in lmin..lmax, kept as its text in *(const char **)ctx. */
int cli_number_text(void *ctx, const struct cli_opt *o, const char *val);

/* What cli_parse() returns when it printed --help: the command exits 0. */
#define CLI_HELP	1

/*
 * Parse argv[1..argc-1] (argv[0] is the command's name).  0, CLI_HELP,
 * or a negative errno after one line on stderr.
 */
int cli_parse(struct cli_cmd *cmd, int argc, char **argv);
/* The --help text of @cmd. */
void cli_help(FILE *f, const struct cli_cmd *cmd);
/* cli_parse()'s non-zero result as an exit code: 0 after --help, else 2. */
int cli_exit(int ret);

#endif
