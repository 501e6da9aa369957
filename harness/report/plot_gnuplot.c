// SPDX-License-Identifier: GPL-2.0
/* Writing a figure's data and variables, and running gnuplot on them. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "record/fmt.h"
#include "report/plot.h"
#include "util.h"

static int vfail(struct zb_plot *p, int err, const char *fmt, va_list ap)
{
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	return err;
}

static int fig_fail(struct zb_fig *f, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vfail(f->p, err, fmt, ap);
	va_end(ap);
	return err;
}

int zb_plot_fail(struct zb_plot *p, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vfail(p, err, fmt, ap);
	va_end(ap);
	return err;
}

int zb_fig_open(struct zb_fig *f, struct zb_plot *p, const char *name)
{
	char dir[3900];
	int ret;

	memset(f, 0, sizeof(*f));
	f->p = p;
	p->err[0] = '\0';
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(dir, sizeof(dir), "%s/data", p->out_dir);
	ret = zb_mkdirs(dir);
	if (ret)
		return fig_fail(f, ret, "%s: %s", dir, strerror(-ret));
	snprintf(f->dat, sizeof(f->dat), "%s/%s.dat", dir, name);
	snprintf(f->vars, sizeof(f->vars), "%s/%s.vars.gp", dir, name);
	f->data = fopen(f->dat, "we");
	if (!f->data)
		return fig_fail(f, -errno, "%s: %s", f->dat, strerror(errno));
	f->v = fopen(f->vars, "we");
	if (!f->v) {
		ret = fig_fail(f, -errno, "%s: %s", f->vars, strerror(errno));
		fclose(f->data);
		f->data = NULL;
		return ret;
	}
	fprintf(f->v, "# Written by zapbench for plots/*.gp; the data is %s.dat\n", name);
	zb_fig_str(f, "data", f->dat);
	zb_fig_str(f, "subtitle", "");
	return 0;
}

/*
 * A gnuplot single-quoted string: no escapes inside but '' for '; a
 * newline is concatenated in from a double-quoted "\n".
 */
void zb_gp_str(FILE *o, const char *s)
{
	fputc('\'', o);
	for (; s && *s; s++) {
		if (*s == '\'')
			fputs("''", o);
		else if (*s == '\n')
			fputs("' . \"\\n\" . '", o);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, o);
	}
	fputc('\'', o);
}

void zb_fig_str(struct zb_fig *f, const char *key, const char *val)
{
	fprintf(f->v, "%s = ", key);
	zb_gp_str(f->v, val);
	fputc('\n', f->v);
}

static void put_num(FILE *o, double val)
{
	/* gnuplot has no NaN literal; 0/0 evaluates to it (and is "undefined"). */
	if (isfinite(val))
		fprintf(o, "%.10g", val);
	else
		fputs("NaN", o);
}

void zb_fig_wrap(struct zb_fig *f, const char *key, const char *val, size_t width)
{
	char buf[1024];
	size_t n, line = 0, last = 0;

	snprintf(buf, sizeof(buf), "%s", val);
	for (n = 0; buf[n]; n++, line++) {
		if (buf[n] == ' ')
			last = n;
		if (line >= width && last) {
			buf[last] = '\n';
			line = n - last;
			last = 0;
		}
	}
	zb_fig_str(f, key, buf);
}

/* Characters of a 12-point line across a 1200-pixel figure, with margins. */
#define FIG_LINE_CHARS	110

void zb_fig_head(struct zb_fig *f, const char *title, const char *subtitle,
		 const char *machine)
{
	zb_fig_wrap(f, "title", title, FIG_LINE_CHARS);
	zb_fig_wrap(f, "subtitle", subtitle, FIG_LINE_CHARS);
	zb_fig_wrap(f, "machine", machine, FIG_LINE_CHARS);
}

void zb_fig_floor(struct zb_fig *f, double ns, double div, const char *what)
{
	char label[200], v[32];

	if (!(ns > 0)) {
		zb_fig_num(f, "floor", 0);
		return;
	}
	zb_fmt_ns(v, sizeof(v), ns);
	snprintf(label, sizeof(label), "%s (%s)", what, v);
	zb_fig_num(f, "floor", ns / div);
	zb_fig_str(f, "floorlabel", label);
}

void zb_fig_num(struct zb_fig *f, const char *key, double val)
{
	fprintf(f->v, "%s = ", key);
	put_num(f->v, val);
	fputc('\n', f->v);
}

void zb_fig_array(struct zb_fig *f, const char *key, int n)
{
	/* gnuplot refuses an empty array; scripts loop 1..n and skip it. */
	fprintf(f->v, "array %s[%d]\n", key, n > 0 ? n : 1);
}

void zb_fig_astr(struct zb_fig *f, const char *key, int i, const char *val)
{
	fprintf(f->v, "%s[%d] = ", key, i);
	zb_gp_str(f->v, val);
	fputc('\n', f->v);
}

void zb_fig_anum(struct zb_fig *f, const char *key, int i, double val)
{
	fprintf(f->v, "%s[%d] = ", key, i);
	put_num(f->v, val);
	fputc('\n', f->v);
}

double zb_fig_axis(struct zb_fig *f, const char *axis, double lo, double hi, int log,
		   const char *what)
{
	char key[16], label[300];
	const char *unit;
	double div;

	if (log == 2)
		log = lo > 0 && hi / lo > 20;
	snprintf(key, sizeof(key), "%slog", axis);
	zb_fig_num(f, key, log);
	snprintf(key, sizeof(key), "%slabel", axis);
	if (log) {
		snprintf(label, sizeof(label), "%s (log scale)", what);
		zb_fig_str(f, key, label);
		return 1e9;
	}
	div = zb_plot_unit(hi, &unit);
	snprintf(label, sizeof(label), "%s (%s)", what, unit);
	zb_fig_str(f, key, label);
	return div;
}

void zb_fig_abort(struct zb_fig *f)
{
	if (f->data)
		fclose(f->data);
	if (f->v)
		fclose(f->v);
	f->data = f->v = NULL;
}

/* The last non-empty line gnuplot said: its error, with the script line. */
static void last_line(const char *path, char *buf, size_t len)
{
	char *text, *end, *start;

	buf[0] = '\0';
	if (zb_read_file(path, &text, NULL))
		return;
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	start = strrchr(text, '\n');
	snprintf(buf, len, "%s", start ? start + 1 : text);
	free(text);
}

/* The last line of @log that starts with @prefix, after it; "" if none. */
static void last_mark(const char *log, const char *prefix, char *buf, size_t len)
{
	char *text, *at, *hit = NULL, *end;
	size_t n = strlen(prefix);

	buf[0] = '\0';
	if (zb_read_file(log, &text, NULL))
		return;
	for (at = text; at; at = strchr(at, '\n')) {
		at += *at == '\n';
		if (!strncmp(at, prefix, n))
			hit = at + n;
	}
	if (hit) {
		end = strchr(hit, '\n');
		snprintf(buf, len, "%.*s", (int)(end ? end - hit : (long)strlen(hit)), hit);
	}
	free(text);
}

int zb_gp_exec(struct zb_plot *p, char *const argv[], const char *log, const char *what,
	       double timeout_s)
{
	char said[300], fig[200];
	int status, fd, ret;
	pid_t pid, parent;

	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return zb_plot_fail(p, -errno, "%s: %s", log, strerror(errno));
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		close(fd);
		return zb_plot_fail(p, -errno, "fork: %s", strerror(errno));
	}
	if (!pid) {
		zb_die_with_parent(parent);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp("gnuplot", argv);
		dprintf(fd, "exec gnuplot: %s\n", strerror(errno));
		_exit(127);
	}
	close(fd);
	ret = zb_proc_wait(pid, timeout_s, &status);
	if (ret) {
		last_mark(log, ZB_GP_MARK, fig, sizeof(fig));
		if (ret < 0)
			return zb_plot_fail(p, ret, "waiting for gnuplot: %s", strerror(-ret));
		return zb_plot_fail(p, -ETIMEDOUT, "gnuplot on %s%s%s did not finish in %g s "
				    "(killed; log %s)", what, fig[0] ? ", drawing " : "", fig,
				    timeout_s, log);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return zb_plot_fail(p, -ENOENT, "gnuplot not found: install gnuplot-nox "
				 "(scripts/deps plot)");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		last_line(log, said, sizeof(said));
		/* In a batch, which figure: plot_batch.c marks each. */
		last_mark(log, ZB_GP_MARK, fig, sizeof(fig));
		return zb_plot_fail(p, -EIO, "gnuplot failed on %s%s%s (log %s): %s", what,
				 fig[0] ? ", drawing " : "", fig, log, said);
	}
	return 0;
}

int zb_gp_drew(struct zb_plot *p, const char *out, const char *log)
{
	struct stat st;

	if (stat(out, &st) || !st.st_size)
		return zb_plot_fail(p, -EIO, "gnuplot wrote no %s (log %s)", out, log);
	if (!p->quiet)
		printf("%s\n", out);
	return 0;
}

static int run_gnuplot(struct zb_fig *f, const char *script, const char *fmt, const char *out)
{
	char setvars[8192], log[4096 + 8];
	char *const argv[] = { "gnuplot", "-e", setvars, f->vars, (char *)script, NULL };
	FILE *m;
	int ret;

	/* fmt, out and scripts through -e: the vars file stays format-free. */
	m = fmemopen(setvars, sizeof(setvars), "w");
	if (!m)
		return fig_fail(f, -ENOMEM, "out of memory");
	fprintf(m, "fmt = '%s'; out = ", fmt);
	zb_gp_str(m, out);
	fputs("; scripts = ", m);
	zb_gp_str(m, f->p->scripts_dir);
	fputc('\0', m);
	fclose(m);
	snprintf(log, sizeof(log), "%s/data/%s.log", f->p->out_dir, f->name);
	/* An image from before is not this run's: only what gnuplot writes now passes. */
	unlink(out);
	ret = zb_gp_exec(f->p, argv, log, script, ZB_GP_TIMEOUT_S);
	return ret ? ret : zb_gp_drew(f->p, out, log);
}

int zb_fig_render(struct zb_fig *f, const char *script)
{
	static const struct {
		unsigned int bit;
		const char *ext;
	} fmts[] = { { ZB_PLOT_PNG, "png" }, { ZB_PLOT_SVG, "svg" } };
	char path[4096], out[4096];
	int err = 0, ferr, verr;
	size_t i;

	ferr = fclose(f->data);
	verr = fclose(f->v);
	f->data = f->v = NULL;
	if (ferr || verr)
		return fig_fail(f, -EIO, "writing %s: %s", f->dat, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", f->p->scripts_dir, script);
	if (access(path, R_OK))
		return fig_fail(f, -ENOENT, "no gnuplot script %s (--scripts DIR)", path);
	for (i = 0; i < ZB_ARRAY_SIZE(fmts) && !err; i++) {
		if (!(f->p->formats & fmts[i].bit))
			continue;
		snprintf(out, sizeof(out), "%s/%s.%s", f->p->out_dir, f->name, fmts[i].ext);
		if (f->p->batch)
			err = zb_plot_batch_add(f, path, fmts[i].ext, out);
		else
			err = run_gnuplot(f, path, fmts[i].ext, out);
	}
	return err;
}

const char *zb_plot_scripts_default(void)
{
	static char dir[PATH_MAX + 16];
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	ssize_t n;

	if (zb_share_dir())
		return zb_share_dir();
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(dir, sizeof(dir), "%s/../plots", dirname(exe));
		snprintf(probe, sizeof(probe), "%s/common.gp", dir);
		if (!access(probe, R_OK))
			return dir;
	}
	return "plots";
}

double zb_plot_unit(double max_ns, const char **unit)
{
	if (max_ns >= 1e9) {
		*unit = "s";
		return 1e9;
	}
	if (max_ns >= 1e6) {
		*unit = "ms";
		return 1e6;
	}
	if (max_ns >= 1e3) {
		*unit = "µs";
		return 1e3;
	}
	*unit = "ns";
	return 1;
}

void zb_plot_slug(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	for (; *src && n + 1 < len; src++) {
		if ((*src >= 'a' && *src <= 'z') || (*src >= 'A' && *src <= 'Z') ||
		    (*src >= '0' && *src <= '9') || *src == '_' || *src == '.')
			dst[n++] = *src;
		else if (*src == ':')
			dst[n++] = '_';
		else if ((*src == '/' || *src == '-') && n && dst[n - 1] != '-')
			dst[n++] = '-';
	}
	while (n && dst[n - 1] == '-')
		n--;
	dst[n] = '\0';
}
