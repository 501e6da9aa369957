/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result history in SQLite (a file, the default) or PostgreSQL (a
 * postgresql:// URI: a fleet's store, importers safe at once): one row
 * per run, one per point of a run (repetitions folded, see
 * record_points.h), the point's parameters
 * indexed so any case, parameter or commit can be queried.  Runs are
 * keyed by a hash of their content, so importing a record twice is a
 * no-op.  Every run carries the id of the machine it ran on
 * (machine.h): a run is only ever compared with runs of its own machine,
 * since two machines' numbers measure the machines, not the kernel.
 * Schema: history_sqlite.c, history_pg.c; `sqlite3 datasets/history.db .schema`.
 */
#ifndef ZB_HISTORY_DB_H
#define ZB_HISTORY_DB_H

#include <stddef.h>
#include <stdint.h>

#include "record/json.h"

/*
 * Bump with any change of the tables (SQLite's PRAGMA user_version,
 * PostgreSQL's zapbench_meta.schema_version): 2 added
 * runs.machine_id and machine_name, filled in for version 1 databases
 * when they are opened.  A zapbench that knows only 1 refuses 2 rather
 * than store runs without a machine.
 */
#define ZB_HDB_VERSION	2

/* "legacy-" and 16 hex digits is the longest id (machine.h), "unknown" the fallback. */
#define ZB_HMACHINE_LEN	32

struct zb_hdb_ops;

struct zb_hdb {
	const struct zb_hdb_ops *ops;	/* the store's backend (history_sql.h) */
	void *conn;
	char path[4096];		/* the file, or the URI without its password */
	char err[512];			/* why the last call failed, one line */
};

struct zb_hrun {
	long id;
	char hash[17];
	char date[32], host[128], kernel[128], cpu_model[128], hypervisor[32];
	char commit[64], command[512], source[512];
	char machine_id[ZB_HMACHINE_LEN], machine_name[256];
	int num_cpus, nr_points;
};

/* A machine of the history: the runs with one machine_id. */
struct zb_hmachine {
	char id[ZB_HMACHINE_LEN];
	char name[256];			/* its newest run's name for it */
	char brief[64];			/* its newest run's zb_hrun_brief() */
	int nr_runs;
	long newest;			/* id of its newest run */
};

/* One point in one run: a row of `history show`, a point of a history plot. */
struct zb_hval {
	long run_id;
	char date[32], commit[64], machine_id[ZB_HMACHINE_LEN];
	double median, lo, hi;
	int reps;
	int trend;			/* set by zb_hist_trend() */
	double change_pct;
};

/*
 * @where: postgresql://... or postgres://... (libpq's URI) is a server,
 * anything else an SQLite file.  @create: make the file and tables if
 * missing; else a missing DB (no file, no tables) is -ENOENT.
 */
int zb_hdb_open(struct zb_hdb *h, const char *where, int create);
void zb_hdb_close(struct zb_hdb *h);
/* A write transaction around a batch of imports: all of them or none. */
int zb_hdb_begin(struct zb_hdb *h);
int zb_hdb_commit(struct zb_hdb *h);
void zb_hdb_rollback(struct zb_hdb *h);
/* From a signal handler: the statement running now fails soon, if the store can. */
void zb_hdb_interrupt(struct zb_hdb *h);
/* 1 imported, 0 already there (same content), < 0 error. */
int zb_hdb_import(struct zb_hdb *h, const struct zb_jval *rec, const char *source);
/* Every run, oldest first; free(*runs). */
int zb_hdb_runs(struct zb_hdb *h, struct zb_hrun **runs, int *n);
/* The machines of @runs (oldest first), in order of their first run; free(*m). */
int zb_hdb_machines(const struct zb_hrun *runs, int n, struct zb_hmachine **m, int *nm);
/*
 * The machine whose id starts with @prefix (or whose hex digits do, for
 * a legacy id): its index in @m; -ENOENT when none does, -EINVAL when
 * several do, with the reason in h->err.  A whole id always wins.
 */
int zb_hdb_machine_find(struct zb_hdb *h, const struct zb_hmachine *m, int nm,
			const char *prefix);
/* The first 8 hex digits of a machine id ("legacy-" skipped), as people quote it. */
void zb_hmachine_short(const char *id, char *buf, size_t len);
/*
 * "Intel Xeon, KVM": a run's CPU model, trimmed, and its hypervisor, in
 * at most @len - 1 characters (the CPU cut short, ending in '~').
 */
void zb_hrun_brief(const struct zb_hrun *r, char *buf, size_t len);
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
/* Point @name over the runs (of every machine), oldest first; free(*vals). */
int zb_hdb_series(struct zb_hdb *h, const char *name, struct zb_hval **vals, int *n);
/*
 * The suite of each of @runs (oldest first, as zb_hdb_runs() gives them):
 * a key of its point names, equal for two runs of the same point set.
 */
int zb_hdb_suites(struct zb_hdb *h, const struct zb_hrun *runs, int n, uint64_t *keys);
/*
 * The base to compare runs[@i] with: the newest earlier run of the same
 * machine and suite (@keys from zb_hdb_suites()); -1 when there is none.
 */
int zb_hrun_base(const struct zb_hrun *runs, const uint64_t *keys, int i);
/* The index in @runs of run @id, -1 if none. */
int zb_hrun_index(const struct zb_hrun *runs, int n, long id);
/* The record's context object of run @id as JSON text; free(*json). */
int zb_hdb_context(struct zb_hdb *h, long id, char **json);

/*
 * Mark each value against the ones before it of the same machine_id:
 * +1 (regressed) when its median is more than @threshold_pct above the
 * median of that machine's previous (up to) ZB_HIST_BASELINE runs and
 * its CI lies entirely above that baseline; -1 (improved) the mirror
 * image; else 0.  change_pct is the change against that baseline (NaN
 * for a machine's first run): a switch of machines is never a change.
 */
#define ZB_HIST_BASELINE	5
void zb_hist_trend(struct zb_hval *v, int n, double threshold_pct);

#endif
