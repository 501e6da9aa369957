// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench run --vm: the same run, inside the scripts/vm guest with
 * zaptest.ko loaded.  The host checks the arguments first (a typo must
 * not cost a boot), then hands them to the guest's zapbench; the record
 * comes back as --out names it.  Without --filter the guest runs the
 * kernel-side cases only: the host runs the others better itself.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"
#include "cli/cli.h"
#include "outpath.h"
#include "util.h"

#define VM_DEFAULT_FILTER	"^(kmod_|devmem_)"
#define VM_MAX_ARGS		128

/* The checkout: this binary is <root>/build/zapbench. */
static int vm_root(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	snprintf(buf, len, "%s", dirname(dirname(exe)));
	return 0;
}

int zb_vm_script(char *buf, size_t len)
{
	char root[PATH_MAX];
	int err = vm_root(root, sizeof(root));

	if (err) {
		snprintf(buf, len, "cannot find the checkout from /proc/self/exe");
		return err;
	}
	snprintf(buf, len, "%s/scripts/vm", root);
	return access(buf, X_OK) ? -errno : 0;
}

int zb_vm_append(void *ctx, const struct cli_opt *o, const char *val)
{
	const unsigned char *p;

	for (p = (const unsigned char *)val; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			zb_err("%s: control character 0x%02x (one line of kernel parameters)",
			       o->name, *p);
			return -EINVAL;
		}
	}
	*(const char **)ctx = val;
	return 0;
}

int zb_vm_check(const struct zb_vm_opts *vo)
{
	const char *opt = vo->cpus ? "--vm-cpus" : vo->timeout ? "--vm-timeout" :
			  vo->append ? "--vm-append" : vo->overcommit ? "--overcommit" : NULL;

	if (!opt || vo->vm)
		return 0;
	zb_err("%s is for --vm runs", opt);
	return -EINVAL;
}

/* The guest's kernel command line: $ZB_VM_APPEND, then --vm-append. */
static int vm_setenv_append(const char *append)
{
	static char buf[4096];
	const char *env = getenv("ZB_VM_APPEND");

	if (!append)
		return 0;
	snprintf(buf, sizeof(buf), "%s%s%s", env && *env ? env : "", env && *env ? " " : "",
		 append);
	return setenv("ZB_VM_APPEND", buf, 1) ? -errno : 0;
}

int zb_vm_argv(char **argv, const char *vm, int quiet, const char *outdir,
	       const struct zb_vm_opts *vo)
{
	int n = 0;

	argv[n++] = (char *)vm;
	if (quiet)
		argv[n++] = "-q";
	argv[n++] = "-o";
	argv[n++] = (char *)outdir;
	if (vo->cpus) {
		argv[n++] = "-s";
		argv[n++] = (char *)vo->cpus;
	}
	if (vo->timeout) {
		argv[n++] = "-t";
		argv[n++] = (char *)vo->timeout;
	}
	if (vo->overcommit)
		argv[n++] = "--overcommit";
	argv[n++] = "--";
	argv[n++] = "zapbench";
	argv[n++] = "run";
	return n;
}

/* Replaces this process with scripts/vm, whose exit status is the guest run's. */
/*
 * scripts/vm @args, its record @path held against a second writer while
 * it runs (FILE.lock, as run --out): a child, not an exec, so that the
 * lock file goes when it is done.  Its exit status is ours.
 */
static int run_locked(const char *vm, char **args, const char *path)
{
	char why[4400];
	int fd, st, err;
	pid_t pid, r;

	err = zb_out_lock(path, &fd, why, sizeof(why));
	if (err) {
		zb_err("--out: %s", why);
		return ZB_EXIT_USAGE;
	}
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(fd);
		execv(vm, args);
		zb_err("--vm: cannot run %s: %s", vm, strerror(errno));
		_exit(ZB_EXIT_FAIL);
	}
	if (pid < 0) {
		zb_err("--vm: fork: %s", strerror(errno));
		zb_out_unlock(path, fd);
		return ZB_EXIT_FAIL;
	}
	/* ^C is the guest's to handle (it keeps what it measured): wait for it */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	zb_out_unlock(path, fd);
	if (r < 0)
		return ZB_EXIT_FAIL;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGINT ? ZB_EXIT_SIGINT : ZB_EXIT_FAIL;
}

int zb_run_vm(char **pass, int nr_pass, const struct zb_vm_opts *vo, const char *out,
	      const char *filter)
{
	static char vm[PATH_MAX + 16], path[PATH_MAX], tmp[PATH_MAX], dir[PATH_MAX],
		    base[PATH_MAX];
	char *args[VM_MAX_ARGS];
	int i, n, err;

	err = zb_vm_script(vm, sizeof(vm));
	if (err) {
		zb_err("--vm: %s: %s (--vm runs from a zapbench checkout)", vm, strerror(-err));
		return ZB_EXIT_USAGE;
	}
	if (out)
		snprintf(path, sizeof(path), "%s", out);
	else if (!gethostname(tmp, sizeof(tmp) - 1))
		cli_default_out(path, sizeof(path), tmp, "-vm");
	else
		cli_default_out(path, sizeof(path), "host", "-vm");
	/* dirname() and basename() may write to their argument */
	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(dir, sizeof(dir), "%s", dirname(tmp));
	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(base, sizeof(base), "%s", basename(tmp));
	err = zb_mkdirs(dir);
	if (err) {
		zb_err("--vm: cannot create %s: %s", dir, strerror(-err));
		return ZB_EXIT_USAGE;
	}
	err = vm_setenv_append(vo->append);
	if (err) {
		zb_err("--vm-append: %s", strerror(-err));
		return ZB_EXIT_USAGE;
	}

	n = zb_vm_argv(args, vm, 0, dir, vo);
	args[n++] = "--out";
	args[n++] = base;
	if (!filter) {
		args[n++] = "--filter";
		args[n++] = VM_DEFAULT_FILTER;
	}
	if (n + nr_pass >= VM_MAX_ARGS) {
		zb_err("--vm: more than %d arguments for the guest", VM_MAX_ARGS - n - 1);
		return ZB_EXIT_USAGE;
	}
	for (i = 0; i < nr_pass; i++)
		args[n++] = pass[i];
	args[n] = NULL;
	return run_locked(vm, args, path);
}
