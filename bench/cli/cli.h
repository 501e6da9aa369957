/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZB_CLI_H
#define ZB_CLI_H

#include <stddef.h>

#include "cli/opts.h"

/* Exit codes: 0 fine, 1 a regression or a failed case, 2 bad usage or input. */
#define ZB_EXIT_OK		0
#define ZB_EXIT_FAIL		1
#define ZB_EXIT_USAGE		2
#define ZB_EXIT_SIGINT		130

int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_ab(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_machine(int argc, char **argv);

/* The checkout's scripts/vm into @buf: 0, or a negative errno (@buf says what). */
int zb_vm_script(char *buf, size_t len);
/* zapbench run --vm's own options, checked on the host, for scripts/vm. */
struct zb_vm_opts {
	int vm;			/* --vm */
	const char *cpus;	/* --vm-cpus N: scripts/vm -s N */
	const char *timeout;	/* --vm-timeout S: scripts/vm -t S */
	const char *append;	/* --vm-append ARGS: after $ZB_VM_APPEND */
	int overcommit;		/* --overcommit: scripts/vm --overcommit */
};

/*
 * scripts/vm's command line up to the guest's "zapbench run": @vm, -q if
 * @quiet, its output directory and @vo's shape, then "-- zapbench run".
 * Returns how many words it wrote into @argv (at most 12).
 */
int zb_vm_argv(char **argv, const char *vm, int quiet, const char *outdir,
	       const struct zb_vm_opts *vo);

/* --vm-append: one line of words on the kernel's command line (a CLI_T_FN). */
int zb_vm_append(void *ctx, const struct cli_opt *o, const char *val);
/* Their cli/opts.h entries: the host's own, never passed to the guest's run. */
#define ZB_VM_OPTS(vo)									\
	{ .name = "--vm", .type = CLI_T_FLAG, .to.flag = &(vo)->vm, .set = 1,		\
	  .flags = CLI_OWN, .help = "run in a QEMU guest with zaptest.ko (scripts/vm; "	\
	  "KERNEL=,\nKDIR= pick the kernel); without --filter: the kmod_* and\n"		\
	  "devmem_* cases" },								\
	{ .name = "--vm-cpus", .type = CLI_T_FN, .arg = "N", .to.fn = cli_number_text,	\
	  .ctx = &(vo)->cpus, .lmin = 1, .lmax = 64, .flags = CLI_OWN,			\
	  .help = "the guest's CPUs (default: the host's; more only with\n"		\
	  "--overcommit, recorded: such numbers measure overcommit)" },			\
	{ .name = "--vm-timeout", .type = CLI_T_FN, .arg = "S", .to.fn = cli_number_text,	\
	  .ctx = &(vo)->timeout, .lmin = 1, .lmax = 86400, .flags = CLI_OWN,		\
	  .help = "kill the guest after S seconds (scripts/vm -t, default 600)" },	\
	{ .name = "--vm-append", .type = CLI_T_FN, .arg = "ARGS", .to.fn = zb_vm_append,	\
	  .ctx = &(vo)->append, .flags = CLI_OWN, .help = "guest kernel command line, "	\
	  "after $ZB_VM_APPEND (PREEMPT_RT\nkernels get noirqdebug by themselves)" },	\
	{ .name = "--overcommit", .type = CLI_T_FLAG, .to.flag = &(vo)->overcommit,	\
	  .set = 1, .flags = CLI_OWN, .help = "allow --vm-cpus beyond the host's CPUs" }
/* The --vm-* options without --vm: -EINVAL (said). */
int zb_vm_check(const struct zb_vm_opts *vo);
/*
 * zapbench run --vm: exec scripts/vm with the (checked) run options
 * @pass, those that are not run --vm's own.
 */
int zb_run_vm(char **pass, int nr_pass, const struct zb_vm_opts *vo, const char *out,
	      const char *filter);

/* @arg for a shell: as is when safe, else in single quotes ('\'' for a quote). */
void cli_shell_quote(char *dst, size_t len, const char *arg);
/* Strict numbers: the whole string, in range, else one line and -EINVAL. */
int cli_long(const char *opt, const char *s, long min, long max, long *out);
int cli_double(const char *opt, const char *s, double min, double max, double *out);
/*
 * Where runs go: $ZAPBENCH_RUNS, else datasets/runs in a source tree, else
 * (installed, zb_share_dir()) $XDG_DATA_HOME/zapbench, ~/.local/share/zapbench
 * when that is unset.
 */
const char *cli_runs_dir(void);
/* The history database: datasets/history.db in a tree, installed next to the runs. */
const char *cli_history_db(void);
/* The UTC time as record names start with it: 20261202T013411Z. */
void cli_stamp(char *buf, size_t len);
/* A run's default record: cli_runs_dir()/<UTC time>-<host><tag>.json */
void cli_default_out(char *buf, size_t len, const char *host, const char *tag);
/* @opt FILE writable where it is asked to be (outpath.h), else one line and -errno. */
int cli_out_check(const char *opt, const char *path);
/*
 * @opt's @path checked (outpath.h: a FILE, or with CLI_OUT_DIR a directory)
 * and with CLI_OUT_LOCK then held against a second writer in *@fd (a
 * directory is created for it); else one line and -errno.
 */
#define CLI_OUT_DIR	0x1
#define CLI_OUT_LOCK	0x2
int cli_out(const char *opt, const char *path, unsigned int how, int *fd);

#endif
