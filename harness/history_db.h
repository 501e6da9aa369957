/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result history in SQLite: one row per run, one per point of a run
 * (repetitions folded, see record_points.h), the point's parameters
 * indexed so any case, parameter or commit can be queried.  Runs are
 * keyed by a hash of their content, so importing a record twice is a
 * no-op.  Schema: history_db.c; `sqlite3 datasets/history.db .schema`.
 */
#ifndef ZB_HISTORY_DB_H
#define ZB_HISTORY_DB_H

#include <stddef.h>

#include "json.h"

/* Bump with any incompatible change of the tables (PRAGMA user_version). */
#define ZB_HDB_VERSION	1

struct sqlite3;

struct zb_hdb {
	struct sqlite3 *db;
	char path[4096];
	char err[512];			/* why the last call failed, one line */
};

struct zb_hrun {
	long id;
	char hash[17];
	char date[32], host[128], kernel[128], cpu_model[128], hypervisor[32];
	char commit[64], command[512], source[512];
	int num_cpus, nr_points;
};

/* One point in one run: a row of `history show`, a point of a history plot. */
struct zb_hval {
	long run_id;
	char date[32], commit[64];
	double median, lo, hi;
	int reps;
	int trend;			/* set by zb_hist_trend() */
	double change_pct;
};

/* @create: make the file and tables if missing; else a missing DB is -ENOENT. */
int zb_hdb_open(struct zb_hdb *h, const char *path, int create);
void zb_hdb_close(struct zb_hdb *h);
/* A write transaction around a batch of imports: all of them or none. */
int zb_hdb_begin(struct zb_hdb *h);
int zb_hdb_commit(struct zb_hdb *h);
void zb_hdb_rollback(struct zb_hdb *h);
/* 1 imported, 0 already there (same content), < 0 error. */
int zb_hdb_import(struct zb_hdb *h, const struct zb_jval *rec, const char *source);
/* Every run, oldest first; free(*runs). */
int zb_hdb_runs(struct zb_hdb *h, struct zb_hrun **runs, int *n);
/*
 * The point names @what stands for: itself if a point has that name,
 * else every point of case @what (or of cases under "@what/"), in
 * order of first appearance; "" stands for every point.  Free with
 * zb_hdb_names_free().
 */
int zb_hdb_names(struct zb_hdb *h, const char *what, char ***names, int *n);
void zb_hdb_names_free(char **names, int n);
/* Every case with a point stored, in order of first appearance. */
int zb_hdb_cases(struct zb_hdb *h, char ***cases, int *n);
/* Point @name over the runs, oldest first; free(*vals). */
int zb_hdb_series(struct zb_hdb *h, const char *name, struct zb_hval **vals, int *n);
/* The record's context object of run @id as JSON text; free(*json). */
int zb_hdb_context(struct zb_hdb *h, long id, char **json);

/*
 * Mark each value against the ones before it: +1 (regressed) when its
 * median is more than @threshold_pct above the median of the previous
 * (up to) ZB_HIST_BASELINE runs and its CI lies entirely above that
 * baseline; -1 (improved) the mirror image; else 0.  change_pct is the
 * change against that baseline (NaN for the first run).
 */
#define ZB_HIST_BASELINE	5
void zb_hist_trend(struct zb_hval *v, int n, double threshold_pct);

#endif
