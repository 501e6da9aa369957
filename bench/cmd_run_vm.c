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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
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

/*
 * @argv is zapbench run's, already validated.  Replaces this process
 * with scripts/vm, whose exit status is the guest run's.
 */
int zb_run_vm(int argc, char **argv, const char *out, const char *filter,
	      const char *vm_cpus)
{
	static char root[PATH_MAX], vm[PATH_MAX + 16], path[PATH_MAX], tmp[PATH_MAX],
		    dir[PATH_MAX], base[PATH_MAX];
	char *args[VM_MAX_ARGS];
	int i, n = 0, err;

	err = vm_root(root, sizeof(root));
	if (err) {
		zb_err("--vm: cannot find the checkout from /proc/self/exe: %s", strerror(-err));
		return ZB_EXIT_USAGE;
	}
	snprintf(vm, sizeof(vm), "%s/scripts/vm", root);
	if (access(vm, X_OK)) {
		zb_err("--vm: %s is missing: --vm runs from a zapbench checkout", vm);
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

	args[n++] = vm;
	args[n++] = "-o";
	args[n++] = dir;
	if (vm_cpus) {
		args[n++] = "-s";
		args[n++] = (char *)vm_cpus;
	}
	args[n++] = "--";
	args[n++] = "zapbench";
	args[n++] = "run";
	args[n++] = "--out";
	args[n++] = base;
	if (!filter) {
		args[n++] = "--filter";
		args[n++] = VM_DEFAULT_FILTER;
	}
	for (i = 1; i < argc && n < VM_MAX_ARGS - 1; i++) {
		if (!strcmp(argv[i], "--vm"))
			continue;
		if (!strcmp(argv[i], "--out") || !strcmp(argv[i], "--vm-cpus")) {
			i++;
			continue;
		}
		if (!strncmp(argv[i], "--out=", 6) || !strncmp(argv[i], "--vm-cpus=", 10))
			continue;
		args[n++] = argv[i];
	}
	args[n] = NULL;
	fflush(stdout);
	execv(vm, args);
	zb_err("--vm: cannot run %s: %s", vm, strerror(errno));
	return ZB_EXIT_FAIL;
}
