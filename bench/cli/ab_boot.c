// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench ab --kernel: a side is a kernel.  Every round boots each side
 * once in the scripts/vm guest, which runs the suite there (the module's
 * cases and the userspace revoke/fault/open cases: the kernel under test
 * is the guest's), and brings the round's record home.  A guest cannot
 * take turns point by point with another guest, so the turns are whole
 * boots, A B | B A | A B ... (ABBA over the rounds: a linear drift of
 * the host cancels within every two rounds).  One boot is bounded by the
 * plan's timeout; the runner's own stall detector and timeout sit inside.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/ab_run.h"
#include "cli/cli.h"
#include "core/timer.h"
#include "proc.h"
#include "record/record_load.h"
#include "util.h"

/* What the guest runs when no --filter is given: what a kernel changes. */
#define AB_BOOT_FILTER	"^(kmod_|devmem_|revoke/|fault/|open/)"
#define AB_BOOT_ARGS	48

int ab_kernel_sides(const struct ab_plan *p)
{
	return p->side[0].kernel != NULL;
}

static void boot_child(const struct ab_plan *p, const struct ab_side *sd, const char *out,
		       const char *log)
{
	char *argv[AB_BOOT_ARGS + AB_MAX_ARGS], tmo[32], mt[32];
	const char *base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
	struct zb_vm_opts vo = { .cpus = p->vm_cpus, .timeout = tmo,
				 .overcommit = p->overcommit };
	int n, i, fd;

	setpgid(0, 0);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	/* the side's own kernel and tree, never one inherited from our caller */
	setenv("KERNEL", sd->kernel, 1);
	if (sd->kdir)
		setenv("KDIR", sd->kdir, 1);
	else
		unsetenv("KDIR");
	for (i = 0; i < sd->nr_env; i++)
		putenv((char *)sd->env[i]);
	snprintf(tmo, sizeof(tmo), "%.0f", p->timeout_s);
	n = zb_vm_argv(argv, p->vm, 1, p->dir, &vo);
	argv[n++] = "--no-progress";
	argv[n++] = "--out";
	argv[n++] = (char *)base;
	n = ab_run_args(p, sd, p->filter ? p->filter : AB_BOOT_FILTER, argv, n, mt,
			sizeof(mt));
	argv[n] = NULL;
	execv(p->vm, argv);
	fprintf(stderr, "zapbench ab: cannot run %s: %s\n", p->vm, strerror(errno));
	_exit(127);
}

/*
 * KVM or TCG, as the guest's record says (context.system.vm, or the
 * zb.accel= the runner puts on the kernel command line): every line that
 * carries a timing says which.
 */
static const char *accel_of(const char *record)
{
	static char what[32];
	const struct zb_jval *sys;
	struct zb_jval v;
	char err[256];
	const char *cmd, *at;

	snprintf(what, sizeof(what), "an unknown accelerator");
	if (zb_record_load(record, &v, err, sizeof(err)))
		return what;
	sys = zb_jobj_get(zb_jobj_get(&v, "context"), "system");
	cmd = zb_jobj_str(sys, "cmdline");
	at = zb_jobj_str(zb_jobj_get(sys, "vm"), "accel");
	if (!at && cmd && strstr(cmd, "zb.accel="))
		at = strstr(cmd, "zb.accel=") + 9;
	if (at) {
		size_t n = strcspn(at, " \n");

		snprintf(what, sizeof(what), "%.*s", (int)(n < 8 ? n : 8), at);
		for (n = 0; what[n]; n++)
			what[n] = (char)toupper((unsigned char)what[n]);
	}
	zb_jval_free(&v);
	return what;
}

/* One boot of side @s for round @k: 0 with its record in place, or why not. */
static int boot(const struct ab_plan *p, int k, int s, char *err, size_t len)
{
	const struct ab_side *sd = &p->side[s];
	uint64_t t0 = zb_mono_ns();
	char out[1024], log[1100];
	struct stat st;
	int status = 0, ret;
	pid_t pid, parent = getpid();

	ab_round_path(p, k, s, out, sizeof(out));
	snprintf(log, sizeof(log), "%.*s.txt", (int)(strlen(out) - strlen(".json")), out);
	unlink(out);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		/* a kill -9 of ab ends scripts/vm, and so its QEMU (vm_qemu) */
		zb_die_with_parent(parent);
		boot_child(p, sd, out, log);
	}
	setpgid(pid, pid);
	/* scripts/vm kills its guest at -t; the grace is for its own exit */
	ret = ab_reap_pid(pid, &status, p->timeout_s + 60);
	if (ret == -EINTR)
		return ret;
	if (ret) {
		snprintf(err, len, "round %d, side %s (%s): the boot did not end in %.0f s, "
			 "killed (%s)", k + 1, sd->label, sd->kernel, p->timeout_s + 60, log);
		return ret;
	}
	/* the ^C reached scripts/vm (its group) before ab's grace ran out */
	if ((!WIFEXITED(status) || WEXITSTATUS(status)) && ab_stopping())
		return -EINTR;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, len, "round %d, side %s (%s): scripts/vm %s %d: %s (its output: %s)",
			 k + 1, sd->label, sd->kernel,
			 WIFEXITED(status) ? "exited" : "killed by signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			 WIFEXITED(status) && WEXITSTATUS(status) == 125 ?
			 "the guest failed" : "the run in the guest failed", log);
		return -EIO;
	}
	if (stat(out, &st) || !st.st_size) {
		snprintf(err, len, "round %d, side %s (%s): the guest wrote no %s (%s)", k + 1,
			 sd->label, sd->kernel, out, log);
		return -EIO;
	}
	if (p->verbose)
		printf("zapbench ab: round %d, side %s: %s booted under %s, %.0f s\n", k + 1,
		       sd->label, sd->kernel, accel_of(out), (double)(zb_mono_ns() - t0) / 1e9);
	return 0;
}

int ab_boot_round(const struct ab_plan *p, int k, char *err, size_t len)
{
	int pos, ret = 0;

	for (pos = 0; pos < p->nr_sides && !ret; pos++)
		ret = boot(p, k, ab_order(p, k, pos), err, len);
	return ret;
}
