// SPDX-License-Identifier: GPL-2.0
/* Strict option values (the whole string is the number, or it is an error), paths. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "outpath.h"
#include "util.h"

int cli_long(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end) {
		zb_err("%s: '%s' is not a whole number", opt, s);
		return -EINVAL;
	}
	if (*out < min || *out > max) {
		zb_err("%s: %ld is out of range %ld..%ld", opt, *out, min, max);
		return -ERANGE;
	}
	return 0;
}

int cli_double(const char *opt, const char *s, double min, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(*out)) {
		zb_err("%s: '%s' is not a number", opt, s);
		return -EINVAL;
	}
	if (*out < min || *out > max) {
		zb_err("%s: %g is out of range %g..%g", opt, *out, min, max);
		return -ERANGE;
	}
	return 0;
}

/* An installed binary's data: $XDG_DATA_HOME/zapbench, else ~/.local/share/zapbench. */
static const char *xdg_data_dir(void)
{
	static char dir[PATH_MAX];
	const char *env, *home;
	struct passwd *pw;

	/* the XDG base directory spec: a relative $XDG_DATA_HOME is ignored */
	env = getenv("XDG_DATA_HOME");
	if (env && *env == '/') {
		snprintf(dir, sizeof(dir), "%s/zapbench", env);
		return dir;
	}
	home = getenv("HOME");
	if (!home || !*home) {
		pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/";
	}
	snprintf(dir, sizeof(dir), "%s/.local/share/zapbench", home);
	return dir;
}

const char *cli_runs_dir(void)
{
	const char *env = getenv("ZAPBENCH_RUNS");

	if (env)
		return env;
	/* a source tree keeps its runs in it; an installed binary has no tree */
	return zb_share_dir() ? xdg_data_dir() : "datasets/runs";
}

const char *cli_history_db(void)
{
	static char db[PATH_MAX];

	if (!zb_share_dir())
		return "datasets/history.db";
	snprintf(db, sizeof(db), "%s/history.db", xdg_data_dir());
	return db;
}

void cli_stamp(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
}

void cli_default_out(char *buf, size_t len, const char *host, const char *tag)
{
	char stamp[32];

	cli_stamp(stamp, sizeof(stamp));
	snprintf(buf, len, "%s/%s-%s%s.json", cli_runs_dir(), stamp, host, tag);
}

int cli_out(const char *opt, const char *path, unsigned int how, int *fd)
{
	int dir = how & CLI_OUT_DIR, err;
	char why[4400];

	err = dir ? zb_outdir_check(path, why, sizeof(why)) : zb_out_check(path, why, sizeof(why));
	if (!err && (how & CLI_OUT_LOCK))
		err = dir ? zb_outdir_lock(path, fd, why, sizeof(why))
			  : zb_out_lock(path, fd, why, sizeof(why));
	if (err)
		zb_err("%s: %s", opt, why);
	return err;
}

int cli_out_check(const char *opt, const char *path)
{
	return cli_out(opt, path, 0, NULL);
}

void cli_shell_quote(char *dst, size_t len, const char *arg)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789-_=.,/:+%@";
	size_t at = 0;

	if (*arg && !arg[strspn(arg, safe)]) {
		snprintf(dst, len, "%s", arg);
		return;
	}
	at += (size_t)snprintf(dst, len, "'");
	for (; *arg && at + 5 < len; arg++)
		at += (size_t)snprintf(dst + at, len - at, *arg == '\'' ? "'\\''" : "%c", *arg);
	snprintf(dst + at, len - at, "'");
}
