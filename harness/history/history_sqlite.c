// SPDX-License-Identifier: GPL-2.0
/* The history in an SQLite file: its schema, opening (and migrating) it, statements. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "history/history_sql.h"
#include "record/machine.h"
#include "util.h"

/*
 * The tables as a new database gets them.  A version 1 database lacks
 * runs.machine_id and machine_name: migrate() adds them, so the indexes
 * come after it, apart.
 */
static const char tables[] =
	"CREATE TABLE IF NOT EXISTS runs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  hash TEXT NOT NULL UNIQUE,      -- FNV-1a 64 of the record, canonical JSON\n"
	"  date TEXT NOT NULL,             -- context.date, ISO 8601 UTC\n"
	"  host TEXT, kernel TEXT, cpu_model TEXT, num_cpus INTEGER, hypervisor TEXT,\n"
	"  git_commit TEXT, command TEXT, schema_version INTEGER, interrupted INTEGER,\n"
	"  source TEXT,                    -- the file it was imported from\n"
	"  imported_at TEXT,\n"
	"  context TEXT,                   -- the record's context object, JSON\n"
	"  machine_id TEXT,                -- zb_record_machine_id(), 'unknown' if none\n"
	"  machine_name TEXT               -- zb_record_machine_name()\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS points (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,             -- revoke/ftruncate/maps:1000/populate:yes\n"
	"  case_name TEXT NOT NULL,        -- revoke/ftruncate\n"
	"  params TEXT NOT NULL,           -- maps:1000/populate:yes\n"
	"  reps INTEGER, count INTEGER,\n"
	"  median REAL, ci95_lo REAL, ci95_hi REAL, p90 REAL, p99 REAL,  -- ns\n"
	"  UNIQUE (run_id, name)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS point_params (\n"
	"  point_id INTEGER NOT NULL REFERENCES points(id) ON DELETE CASCADE,\n"
	"  key TEXT NOT NULL, value TEXT NOT NULL,\n"
	"  PRIMARY KEY (point_id, key)\n"
	");\n";

#define DB(h)	((sqlite3 *)(h)->conn)

/* A statement: the seam's, then SQLite's. */
struct lite_st {
	struct zb_hst st;
	sqlite3_stmt *s;
};

static sqlite3_stmt *S(struct zb_hst *st)
{
	return ((struct lite_st *)st)->s;
}

static int exec(struct zb_hdb *h, const char *sql)
{
	if (sqlite3_exec(DB(h), sql, NULL, NULL, NULL) != SQLITE_OK)
		return zb_hdb_fail(h, -EIO, "%.40s", sql);
	return 0;
}

static int prep(struct zb_hdb *h, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(DB(h), sql, -1, st, NULL) != SQLITE_OK)
		return zb_hdb_fail(h, -EIO, "preparing a query");
	return 0;
}

/* The integer a PRAGMA reads (user_version, application_id). */
static int pragma_int(struct zb_hdb *h, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int ret = prep(h, sql, &st);

	if (ret)
		return ret;
	*v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

static int user_version(struct zb_hdb *h, int *v)
{
	return pragma_int(h, "PRAGMA user_version", v);
}

/*
 * The file header's application_id (sqlite3 file(1) magic): "zapb" in
 * ours; 0 in a file made before we set it, or by nobody in particular.
 */
#define ZB_HDB_APP_ID	0x7a617062

/* 1 if table @table has column @col (PRAGMA table_info takes no parameters). */
static int has_column(struct zb_hdb *h, const char *table, const char *col)
{
	char sql[80];
	sqlite3_stmt *st;
	int ret, rc, found = 0;

	snprintf(sql, sizeof(sql), "PRAGMA table_info(%s)", table);
	ret = prep(h, sql, &st);
	if (ret)
		return ret;
	while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW)
		found = !strcmp((const char *)sqlite3_column_text(st, 1), col);
	if (!found && rc != SQLITE_DONE)
		ret = zb_hdb_fail(h, -EIO, "reading the columns of %s", table);
	sqlite3_finalize(st);
	return ret ? ret : found;
}

/*
 * Whose file this is, before anything is written to it: 1 zapbench's (its
 * three tables, runs with the columns every version had), 0 empty (no
 * tables: a new file, or one made for it), else -EINVAL: another
 * application's database, which must not get our tables added to it.
 */
static int whose(struct zb_hdb *h)
{
	static const char *const ours[] = { "runs", "points", "point_params" };
	static const char *const run_cols[] = { "hash", "date", "context" };
	char names[200] = "";
	sqlite3_stmt *st;
	size_t i, len = 0;
	int ret, rc, app, nr_ours = 0, nr = 0;

	ret = prep(h, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
		   " AND substr(name, 1, 7) != 'sqlite_' ORDER BY name", &st);
	if (ret)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		for (i = 0; i < ZB_ARRAY_SIZE(ours); i++)
			nr_ours += !strcmp(name, ours[i]);
		if (len < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						nr ? ", " : "", name);
		nr++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return zb_hdb_fail(h, -EIO, "reading the tables");
	ret = pragma_int(h, "PRAGMA application_id", &app);
	if (ret)
		return ret;
	if (app && app != ZB_HDB_APP_ID)
		return zb_hdb_fail(h, -EINVAL, "not a zapbench history database (application_id "
				   "0x%08x, another application's); left as it was", (unsigned int)app);
	if (!nr)
		return 0;
	/* Others' tables beside ours are theirs to keep; a "runs" of another shape is not ours. */
	for (i = 0; nr_ours == (int)ZB_ARRAY_SIZE(ours) && i < ZB_ARRAY_SIZE(run_cols); i++) {
		ret = has_column(h, "runs", run_cols[i]);
		if (ret < 0)
			return ret;
		if (!ret)
			nr_ours = 0;
	}
	if (nr_ours == (int)ZB_ARRAY_SIZE(ours))
		return 1;
	return zb_hdb_fail(h, -EINVAL, "not a zapbench history database (its tables: %.120s); "
			   "left as it was", names);
}

struct legacy_row {
	long id;
	char *ctx;
};

/* The machine of a run from its stored context: what importing its record gives. */
static void machine_of(const char *ctx_json, char *id, size_t idlen, char *name,
		       size_t namelen)
{
	static char *const key[] = { "context" };
	struct zb_jval ctx, rec = { .type = ZB_JOBJ, .n = 1, .items = &ctx, .keys = (char **)key };
	char err[80];

	snprintf(id, idlen, "unknown");
	snprintf(name, namelen, "unknown machine");
	if (!ctx_json || zb_json_parse(ctx_json, strlen(ctx_json), &ctx, err, sizeof(err)))
		return;
	if (!zb_record_machine_id(&rec, id, idlen))
		zb_record_machine_name(&rec, name, namelen);
	else
		snprintf(id, idlen, "unknown");
	zb_jval_free(&ctx);
}

/* Give every run without a machine the one its stored context names. */
static int backfill_machines(struct zb_hdb *h)
{
	struct legacy_row *rows = NULL, *p;
	char id[ZB_HMACHINE_LEN], name[256];
	sqlite3_stmt *st;
	int ret, rc, n = 0, cap = 0, i;

	ret = prep(h, "SELECT id, context FROM runs WHERE machine_id IS NULL", &st);
	if (ret)
		return ret;
	/* Read them all first: no UPDATE under a SELECT still stepping the same table. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *c = sqlite3_column_text(st, 1);

		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			p = realloc(rows, (size_t)cap * sizeof(*rows));
			if (!p) {
				ret = -ENOMEM;
				break;
			}
			rows = p;
		}
		rows[n].id = (long)sqlite3_column_int64(st, 0);
		rows[n].ctx = c ? strdup((const char *)c) : NULL;
		if (c && !rows[n].ctx) {
			ret = -ENOMEM;
			break;
		}
		n++;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = zb_hdb_fail(h, -EIO, "reading runs to migrate");
	sqlite3_finalize(st);
	st = NULL;
	if (!ret)
		ret = prep(h, "UPDATE runs SET machine_id = ?, machine_name = ? "
			   "WHERE id = ?", &st);
	for (i = 0; !ret && i < n; i++) {
		machine_of(rows[i].ctx, id, sizeof(id), name, sizeof(name));
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, rows[i].id);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = zb_hdb_fail(h, -EIO, "migrating run %ld", rows[i].id);
	}
	sqlite3_finalize(st);
	if (ret == -ENOMEM)
		zb_hdb_fail(h, ret, "out of memory migrating");
	for (i = 0; i < n; i++)
		free(rows[i].ctx);
	free(rows);
	return ret;
}

/*
 * Create the tables, or bring old ones to ZB_HDB_VERSION, all or nothing,
 * under the write lock: two zapbench processes opening an old database
 * at once must not both add the columns.  Hence whose and the version
 * are asked again.
 */
static int migrate(struct zb_hdb *h)
{
	static const char *const cols[] = { "machine_id", "machine_name" };
	char sql[80];
	size_t i;
	int ret, ver, ours;

	ret = exec(h, "BEGIN IMMEDIATE");
	if (ret)
		return ret;
	ours = whose(h);
	ret = ours < 0 ? ours : user_version(h, &ver);
	if (ret || (ours && ver == ZB_HDB_VERSION))
		goto out;
	ret = exec(h, tables);
	for (i = 0; !ret && i < ZB_ARRAY_SIZE(cols); i++) {
		ret = has_column(h, "runs", cols[i]);
		if (ret > 0) {
			ret = 0;
			continue;
		}
		snprintf(sql, sizeof(sql), "ALTER TABLE runs ADD COLUMN %s TEXT", cols[i]);
		if (!ret)
			ret = exec(h, sql);
	}
	if (!ret)
		ret = backfill_machines(h);
	if (!ret)
		ret = exec(h, zb_hdb_indexes);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", ZB_HDB_VERSION);
	if (!ret)
		ret = exec(h, sql);
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", ZB_HDB_APP_ID);
	if (!ret)
		ret = exec(h, sql);
out:
	if (ret < 0) {
		zb_hdb_rollback(h);
		return ret;
	}
	return exec(h, "COMMIT");
}

static int lite_open(struct zb_hdb *h, const char *path, int create)
{
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	sqlite3 *db = NULL;
	int ret, ver, ours;

	if (!create && access(path, F_OK))
		return zb_hdb_fail(h, -ENOENT, "no history database (zapbench history import "
				"FILE... creates it)");
	ret = sqlite3_open_v2(path, &db, flags, NULL);
	h->conn = db;
	if (ret != SQLITE_OK) {
		ret = zb_hdb_fail(h, -EIO, "cannot open");
		goto fail;
	}
	/* Another zapbench importing: wait for it rather than fail. */
	sqlite3_busy_timeout(db, 10000);
	ret = exec(h, "PRAGMA foreign_keys = ON");
	if (ret)
		goto fail;
	ours = whose(h);
	if (ours < 0) {
		ret = ours;
		goto fail;
	}
	ret = user_version(h, &ver);
	if (ret)
		goto fail;
	if (ver > ZB_HDB_VERSION) {
		ret = zb_hdb_fail(h, -EINVAL, "history schema %d, this zapbench knows %d", ver,
			       ZB_HDB_VERSION);
		goto fail;
	}
	/* A new (empty) file gets its tables; an old one, what it lacks. */
	if (!ours || ver < ZB_HDB_VERSION) {
		ret = migrate(h);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	sqlite3_close(db);
	h->conn = NULL;
	return ret;
}

static void lite_close(struct zb_hdb *h)
{
	sqlite3_close(DB(h));
}

static int lite_begin(struct zb_hdb *h)
{
	/* IMMEDIATE: take the write lock now, not halfway through an import. */
	return exec(h, "BEGIN IMMEDIATE");
}

static void lite_interrupt(struct zb_hdb *h)
{
	sqlite3_interrupt(DB(h));
}

static const char *lite_errmsg(struct zb_hdb *h)
{
	return sqlite3_errmsg(DB(h));
}

static int lite_prepare(struct zb_hdb *h, const char *sql, struct zb_hst **st)
{
	struct lite_st *l = calloc(1, sizeof(*l));
	int ret;

	*st = NULL;
	if (!l)
		return zb_hdb_fail(h, -ENOMEM, "out of memory");
	ret = prep(h, sql, &l->s);
	if (ret) {
		free(l);
		return ret;
	}
	l->st.h = h;
	*st = &l->st;
	return 0;
}

static void lite_finalize(struct zb_hst *st)
{
	sqlite3_finalize(S(st));
	free(st);
}

static void lite_reset(struct zb_hst *st)
{
	sqlite3_reset(S(st));
}

static int lite_step(struct zb_hst *st)
{
	int rc = sqlite3_step(S(st));

	return rc == SQLITE_ROW ? ZB_HST_ROW : rc == SQLITE_DONE ? ZB_HST_DONE : -EIO;
}

static void lite_bind_null(struct zb_hst *st, int i)
{
	sqlite3_bind_null(S(st), i);
}

static void lite_bind_text(struct zb_hst *st, int i, const char *s)
{
	sqlite3_bind_text(S(st), i, s, -1, SQLITE_TRANSIENT);
}

static void lite_bind_int(struct zb_hst *st, int i, long long v)
{
	sqlite3_bind_int64(S(st), i, v);
}

static void lite_bind_double(struct zb_hst *st, int i, double v)
{
	sqlite3_bind_double(S(st), i, v);
}

static int lite_col_null(struct zb_hst *st, int i)
{
	return sqlite3_column_type(S(st), i) == SQLITE_NULL;
}

static const char *lite_col_text(struct zb_hst *st, int i)
{
	return (const char *)sqlite3_column_text(S(st), i);
}

static long long lite_col_int(struct zb_hst *st, int i)
{
	return sqlite3_column_int64(S(st), i);
}

static double lite_col_double(struct zb_hst *st, int i)
{
	return sqlite3_column_double(S(st), i);
}

const struct zb_hdb_ops zb_hdb_sqlite = {
	.open = lite_open, .close = lite_close, .exec = exec, .begin = lite_begin,
	.interrupt = lite_interrupt,
	.errmsg = lite_errmsg, .prepare = lite_prepare, .finalize = lite_finalize,
	.reset = lite_reset, .step = lite_step, .bind_null = lite_bind_null,
	.bind_text = lite_bind_text, .bind_int = lite_bind_int,
	.bind_double = lite_bind_double, .col_null = lite_col_null,
	.col_text = lite_col_text, .col_int = lite_col_int, .col_double = lite_col_double,
};
