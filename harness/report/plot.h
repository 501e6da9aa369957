/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Figures from result records.  zapbench writes each figure's data file
 * and a small file of gnuplot variables; the checked-in scripts under
 * plots/ draw it.  So a figure can be redrawn by hand:
 *   gnuplot -e "fmt='png'; out='x.png'; scripts='plots'" data/x.vars.gp plots/x.gp
 */
#ifndef ZB_PLOT_H
#define ZB_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "record/json.h"

#define ZB_PLOT_PNG	1u
#define ZB_PLOT_SVG	2u

struct zb_plot {
	const char *out_dir;		/* images; data files go to out_dir/data */
	const char *scripts_dir;	/* the .gp files */
	unsigned int formats;
	int quiet;			/* else print each image written */
	char err[512];			/* why the last call failed, one line */
	/* Between zb_plot_batch_begin() and _end(): the figures queued (plot_batch.c). */
	FILE *batch;
	char batch_path[4096];
	char **outs;
	int nr_outs, cap_outs;
};

/* One figure being written: its data file, its variables, then render. */
struct zb_fig {
	struct zb_plot *p;
	char name[160];
	char dat[4096], vars[4096];
	FILE *data, *v;
};

int zb_fig_open(struct zb_fig *f, struct zb_plot *p, const char *name);
/* Variables for the script; strings lose control characters. */
void zb_fig_str(struct zb_fig *f, const char *key, const char *val);
void zb_fig_num(struct zb_fig *f, const char *key, double val);
/* gnuplot arrays, 1-based like gnuplot's. */
void zb_fig_array(struct zb_fig *f, const char *key, int n);
void zb_fig_astr(struct zb_fig *f, const char *key, int i, const char *val);
void zb_fig_anum(struct zb_fig *f, const char *key, int i, double val);
/*
 * A latency axis ("x" or "y") over [@lo, @hi] ns: @log 0 linear, 1 log,
 * 2 log if it spans more than 20x.  Sets <axis>log and <axis>label for
 * common.gp and returns the divisor for the data: a log axis is in
 * seconds with SI-prefixed ticks ("100 us"), a linear one in the unit
 * that fits, named in the label.
 */
double zb_fig_axis(struct zb_fig *f, const char *axis, double lo, double hi, int log,
		   const char *what);
/* The title, subtitle and machine lines, each wrapped to fit the figure. */
void zb_fig_head(struct zb_fig *f, const char *title, const char *subtitle,
		 const char *machine);
/* @val wrapped at spaces to lines of at most @width characters. */
void zb_fig_wrap(struct zb_fig *f, const char *key, const char *val, size_t width);
/*
 * The floor a value must clear to be a measurement, @ns (0: none), shaded
 * by the scripts as a band up to it with the legend entry @what ("below
 * timer resolution"); values at or under it are drawn hollow, at it.
 */
void zb_fig_floor(struct zb_fig *f, double ns, double div, const char *what);
/*
 * Run plots/@script once per format; closes @f either way.  In a batch
 * the figure is only queued: zb_plot_batch_end() draws it.
 */
int zb_fig_render(struct zb_fig *f, const char *script);
void zb_fig_abort(struct zb_fig *f);

/*
 * Many figures, one gnuplot: a start of gnuplot costs ~40 ms and a fork
 * of a process holding a large record more, which at a figure per case
 * was most of a dashboard's time.  After _begin() every zb_fig_render()
 * appends its figure to @p->out_dir/data/batch.gp (each in a fresh
 * session: `reset session`, so no figure sees another's variables);
 * _end() runs gnuplot on it once, then checks (and prints, unless quiet)
 * every image.  An error names the figure gnuplot was drawing.  _end()
 * frees the batch either way; _abort() frees it without drawing.
 */
int zb_plot_batch_begin(struct zb_plot *p);
int zb_plot_batch_end(struct zb_plot *p);
void zb_plot_batch_abort(struct zb_plot *p);

/*
 * Between plot_gnuplot.c and plot_batch.c: @p->err set, @err returned;
 * a gnuplot string literal;
 * gnuplot run with its output to @log, killed after @timeout_s (an error
 * names @what and the figure of the last ZB_GP_MARK line); then each
 * image checked drawn (there and not empty, printed unless quiet); a
 * figure queued in the batch.
 */
#define ZB_GP_MARK	"zapbench figure: "
__attribute__((format(printf, 3, 4)))
int zb_plot_fail(struct zb_plot *p, int err, const char *fmt, ...);
void zb_gp_str(FILE *o, const char *s);
int zb_gp_exec(struct zb_plot *p, char *const argv[], const char *log, const char *what,
	       double timeout_s);
int zb_gp_drew(struct zb_plot *p, const char *out, const char *log);
/*
 * A figure takes gnuplot ~15-40 ms here: one that has not drawn in this
 * long never will.  A batch gets the first plus the second per figure.
 */
#define ZB_GP_TIMEOUT_S	60
#define ZB_GP_FIGURE_S	5
int zb_plot_batch_add(struct zb_fig *f, const char *script, const char *fmt, const char *out);

/* Installed, PREFIX/share/zapbench; else next to the binary (build/../plots), else ./plots. */
const char *zb_plot_scripts_default(void);
/*
 * A unit for latencies up to @max_ns: returns the divisor and sets
 * *@unit ("ns", "µs", "ms", "s").
 */
double zb_plot_unit(double max_ns, const char **unit);
/* "revoke/ftruncate/maps:1000" -> "revoke-ftruncate-maps_1000": a file name. */
void zb_plot_slug(char *dst, size_t len, const char *src);

/*
 * The timer's floor (context.timer.floor_ns: its resolution, or the spread
 * of an empty region if wider); 0 when the record has none.  It bounds a
 * sample of one operation timed by the harness: see zb_row_timer_floored()
 * (record/row_kind.h; batched and self-timed rows are not bounded by it).
 */
double zb_plot_timer_floor(const struct zb_jval *rec);

/* A fit is drawn only over a monotone series and with at least this r². */
#define ZB_PLOT_FIT_R2	0.95

/* What bounds a figure's values from below. */
enum zb_floor {
	ZB_FLOOR_NONE,
	ZB_FLOOR_TIMER,		/* zb_plot_timer_floor() */
	ZB_FLOOR_BASE,		/* the ->base series: the loop without the operation */
};

/* The figure kinds, one file each. */
struct zb_scaling {
	const char *name;		/* file name: "revoke-vs-maps" */
	const char *script;		/* "revoke-vs-maps.gp" */
	const char *prefix;		/* cases whose name starts so: "revoke/" */
	const char *skip;		/* but not these (NULL: none) */
	const char *x;			/* the parameter on the x axis */
	const char *title, *xlabel;
	int fit;			/* fit a + b * x where it fits (ZB_PLOT_FIT_R2) */
	int ylog;			/* 0 linear, 1 log, 2 log if it spans decades */
	enum zb_floor floor;
	const char *base;		/* ZB_FLOOR_BASE: "variant:none" */
};
extern const struct zb_scaling zb_plot_maps, zb_plot_peers_maps, zb_plot_cpus_fault,
	zb_plot_cpus_open, zb_plot_cpus_consume, zb_plot_cpus_publish,
	zb_plot_kmod_maps, zb_plot_kmod_barrier;

int zb_plot_scaling(struct zb_plot *p, const struct zb_jval *rec, const struct zb_scaling *s);
/* CDFs of point @name's samples in two records. */
int zb_plot_cdf(struct zb_plot *p, const struct zb_jval *before, const char *before_label,
		const struct zb_jval *after, const char *after_label, const char *name);
/* Medians with CIs as bars, one bar per value of @by, clustered by the rest. */
int zb_plot_bars(struct zb_plot *p, const struct zb_jval *rec, const char *prefix,
		 const char *by);

struct zb_cmp;
struct zb_cmp_opts;
/* A comparison's changes and intervals, one figure "changes" (plot_change.c). */
int zb_plot_changes(struct zb_plot *p, const struct zb_cmp *c, const struct zb_cmp_opts *o,
		    const char *title, const char *subtitle);

#endif
