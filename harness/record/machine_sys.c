// SPDX-License-Identifier: GPL-2.0
/*
 * How the machine was set up: kernel (and which build of it: kernel_id.c),
 * command line, config, mitigations, THP, cpufreq, SMT, compiler.  What
 * cannot be read is null, never a guess.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "record/kernel_id.h"
#include "record/machine.h"
#include "util.h"

#define CONFIG_GZ		"/proc/config.gz"
#define CONFIG_MAX		(64 << 20)	/* far beyond any kernel's .config */
#define CPU_SYS			"/sys/devices/system/cpu"
#define THP_SYS			"/sys/kernel/mm/transparent_hugepage"

#if defined(__clang__)
#define ZB_COMPILER		__VERSION__	/* "Clang 14.0.6 ..." names itself */
#elif defined(__GNUC__)
#define ZB_COMPILER		"gcc " __VERSION__
#else
#define ZB_COMPILER		"unknown"
#endif

/* The options that change what a page-table or fault benchmark costs. */
static const char *const config_opts[] = {
	"CONFIG_PREEMPT", "CONFIG_PREEMPT_VOLUNTARY", "CONFIG_PREEMPT_NONE",
	"CONFIG_PREEMPT_RT", "CONFIG_PREEMPT_DYNAMIC", "CONFIG_TRANSPARENT_HUGEPAGE",
	"CONFIG_PAGE_TABLE_ISOLATION", "CONFIG_MITIGATION_PAGE_TABLE_ISOLATION",
	"CONFIG_X86_PCID", "CONFIG_HZ", "CONFIG_NO_HZ_FULL", "CONFIG_NUMA",
	"CONFIG_PROVE_LOCKING", "CONFIG_KASAN", "CONFIG_STRICT_DEVMEM",
	"CONFIG_IO_STRICT_DEVMEM", "CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS",
	"CONFIG_TRANSPARENT_HUGEPAGE_MADVISE",
};

int zb_cpufreq_governor(char *buf, size_t len)
{
	int err = zb_read_line(CPU_SYS "/cpu0/cpufreq/scaling_governor", buf, len);

	if (!err && !buf[0])
		err = -ENOENT;
	return err ? -ENOENT : 0;
}

static void line_or_null(struct zb_json *j, const char *key, const char *path)
{
	char line[256];

	zb_json_str(j, key, zb_read_line(path, line, sizeof(line)) ? NULL : line);
}

/* 1/0 files as booleans; @invert for the ones that say "off" (no_turbo). */
static int bool_or_null(struct zb_json *j, const char *key, const char *path, int invert)
{
	long v;

	if (zb_read_long(path, &v))
		return -ENOENT;
	zb_json_bool(j, key, invert ? !v : !!v);
	return 0;
}

/* "always [madvise] never" -> "madvise" */
static void choice_or_null(struct zb_json *j, const char *key, const char *path)
{
	char line[256], *open, *close;

	if (zb_read_line(path, line, sizeof(line))) {
		zb_json_null(j, key);
		return;
	}
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close) {
		*close = '\0';
		zb_json_str(j, key, open + 1);
	} else {
		zb_json_str(j, key, line);
	}
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* The whole of gzip's output, or NULL if it failed: a cut config is no config. */
static char *gunzip_config(size_t *n)
{
	FILE *f = popen("gzip -dc " CONFIG_GZ " 2>/dev/null", "re");
	size_t cap = 0, got;
	char *buf = NULL, *nb;
	int st, cut = 0;

	if (!f)
		return NULL;
	*n = 0;
	for (;;) {
		if (*n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 64 * 1024;
			nb = cap <= CONFIG_MAX ? realloc(buf, cap) : NULL;
			if (!nb) {
				cut = 1;
				break;
			}
			buf = nb;
		}
		got = fread(buf + *n, 1, cap - *n - 1, f);
		*n += got;
		if (got)
			continue;
		/* a signal (^C during the run) interrupts the read, not the config */
		if (ferror(f) && errno == EINTR) {
			clearerr(f);
			continue;
		}
		break;
	}
	st = pclose(f);
	if (st || cut || !buf || !*n) {
		free(buf);
		return NULL;
	}
	buf[*n] = '\0';
	return buf;
}

static char *config_text(char *source, size_t len, size_t *n)
{
	struct utsname u;
	char *text;

	if (!access(CONFIG_GZ, R_OK)) {
		text = gunzip_config(n);
		if (text) {
			snprintf(source, len, "%s", CONFIG_GZ);
			return text;
		}
	}
	if (!uname(&u)) {
		snprintf(source, len, "/boot/config-%s", u.release);
		if (!zb_read_file(source, &text, n))
			return text;
	}
	/* in the scripts/vm guest: the host's copy of the booted kernel's */
	if (getenv("ZB_KERNEL_CONFIG") && !zb_read_file(getenv("ZB_KERNEL_CONFIG"), &text, n)) {
		snprintf(source, len, "host:%s", getenv("ZB_KERNEL_CONFIG_SOURCE") ?
			 getenv("ZB_KERNEL_CONFIG_SOURCE") : getenv("ZB_KERNEL_CONFIG"));
		return text;
	}
	return NULL;
}

/* "CONFIG_X=value" lines; "# CONFIG_X is not set" leaves X null. */
static void config_json(struct zb_json *j)
{
	const char *val[ZB_ARRAY_SIZE(config_opts)] = { NULL };
	char source[300], hash[ZB_MACHINE_ID_LEN], *text, *line, *next, *eq;
	size_t n, i;

	text = config_text(source, sizeof(source), &n);
	zb_json_obj_begin(j, "config");
	zb_json_str(j, "source", text ? source : NULL);
	if (text)
		zb_fnv1a_hex(text, n, hash);
	zb_json_str(j, "hash", text ? hash : NULL);
	for (line = text; line && *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		eq = strchr(line, '=');
		if (strncmp(line, "CONFIG_", 7) || !eq)
			continue;
		*eq = '\0';
		for (i = 0; i < ZB_ARRAY_SIZE(config_opts); i++)
			if (!strcmp(line, config_opts[i]))
				val[i] = eq + 1;
	}
	zb_json_obj_begin(j, "options");
	for (i = 0; i < ZB_ARRAY_SIZE(config_opts); i++)
		zb_json_str(j, config_opts[i], val[i]);
	zb_json_obj_end(j);
	zb_json_obj_end(j);
	free(text);
}

static int not_dot(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Sorted: readdir's order is the filesystem's, and records are diffed. */
static void vulnerabilities_json(struct zb_json *j)
{
	const char *dir = CPU_SYS "/vulnerabilities";
	struct dirent **names;
	char path[512];
	int i, n = scandir(dir, &names, not_dot, alphasort);

	if (n < 0) {
		zb_json_null(j, "vulnerabilities");
		return;
	}
	zb_json_obj_begin(j, "vulnerabilities");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		line_or_null(j, names[i]->d_name, path);
		free(names[i]);
	}
	free(names);
	zb_json_obj_end(j);
}

static void cpufreq_json(struct zb_json *j)
{
	zb_json_obj_begin(j, "cpufreq");
	line_or_null(j, "governor", CPU_SYS "/cpu0/cpufreq/scaling_governor");
	line_or_null(j, "driver", CPU_SYS "/cpu0/cpufreq/scaling_driver");
	if (bool_or_null(j, "boost", CPU_SYS "/cpufreq/boost", 0) &&
	    bool_or_null(j, "boost", CPU_SYS "/intel_pstate/no_turbo", 1))
		zb_json_null(j, "boost");
	zb_json_obj_end(j);
}

static void thp_json(struct zb_json *j)
{
	if (!is_dir(THP_SYS)) {
		zb_json_null(j, "thp");
		return;
	}
	zb_json_obj_begin(j, "thp");
	choice_or_null(j, "enabled", THP_SYS "/enabled");
	choice_or_null(j, "defrag", THP_SYS "/defrag");
	zb_json_obj_end(j);
}

static void smt_json(struct zb_json *j)
{
	if (!is_dir(CPU_SYS "/smt")) {
		zb_json_null(j, "smt");
		return;
	}
	zb_json_obj_begin(j, "smt");
	line_or_null(j, "control", CPU_SYS "/smt/control");
	if (bool_or_null(j, "active", CPU_SYS "/smt/active", 0))
		zb_json_null(j, "active");
	zb_json_obj_end(j);
}

void zb_system_json(struct zb_json *j)
{
	struct utsname u;
	int have_u = !uname(&u);
	char *cmdline = NULL;
	size_t n = 0;

	zb_json_obj_begin(j, "system");
	zb_json_str(j, "kernel_release", have_u ? u.release : NULL);
	zb_json_str(j, "kernel_version", have_u ? u.version : NULL);
	if (!zb_read_file("/proc/cmdline", &cmdline, &n))
		while (n && cmdline[n - 1] == '\n')
			cmdline[--n] = '\0';
	zb_json_str(j, "cmdline", cmdline);
	free(cmdline);
	zb_kernel_id_json(j);
	config_json(j);
	vulnerabilities_json(j);
	thp_json(j);
	cpufreq_json(j);
	smt_json(j);
	zb_json_str(j, "compiler", ZB_COMPILER);
	zb_json_obj_end(j);
}
