// SPDX-License-Identifier: GPL-2.0
/* The history database: its schema, opening (and migrating) it, transactions. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static const char indexes[] =
	"CREATE INDEX IF NOT EXISTS runs_date ON runs(date);\n"
	"CREATE INDEX IF NOT EXISTS runs_commit ON runs(git_commit);\n"
	"CREATE INDEX IF NOT EXISTS runs_machine ON runs(machine_id, date);\n"
	"CREATE INDEX IF NOT EXISTS points_name ON points(name);\n"
	"CREATE INDEX IF NOT EXISTS points_case ON points(case_name, params);\n"
	"CREATE INDEX IF NOT EXISTS point_params_kv ON point_params(key, value);\n";

int zb_hdb_fail(struct zb_hdb *h, int ret, const char *fmt, ...)
{
	int sql = h->db && ret == -EIO;
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* An SQLite failure says what SQLite said. */
	snprintf(h->err, sizeof(h->err), "%.200s: %.150s%s%.150s", h->path, msg,
		 sql ? ": " : "", sql ? sqlite3_errmsg(h->db) : "");
	return ret;
}

static int exec(struct zb_hdb *h, const char *sql)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return zb_hdb_fail(h, -EIO, "%.40s", sql);
	return 0;
}

int zb_hdb_prepare(struct zb_hdb *h, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) != SQLITE_OK)
		return zb_hdb_fail(h, -EIO, "preparing a query");
	return 0;
}

void zb_hdb_bind_str(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void zb_hdb_bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int user_version(struct zb_hdb *h, int *v)
{
	sqlite3_stmt *st;
	int ret = zb_hdb_prepare(h, "PRAGMA user_version", &st);

	if (ret)
		return ret;
	*v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

/* 1 if table @table has column @col (PRAGMA table_info takes no parameters). */
static int has_column(struct zb_hdb *h, const char *table, const char *col)
{
	char sql[80];
	sqlite3_stmt *st;
	int ret, rc, found = 0;

	snprintf(sql, sizeof(sql), "PRAGMA table_info(%s)", table);
	ret = zb_hdb_prepare(h, sql, &st);
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
	int ret, rc, nr_ours = 0, nr = 0;

	ret = zb_hdb_prepare(h, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
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

	ret = zb_hdb_prepare(h, "SELECT id, context FROM runs WHERE machine_id IS NULL", &st);
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
		ret = zb_hdb_prepare(h, "UPDATE runs SET machine_id = ?, machine_name = ? "
				     "WHERE id = ?", &st);
	for (i = 0; !ret && i < n; i++) {
		machine_of(rows[i].ctx, id, sizeof(id), name, sizeof(name));
		sqlite3_reset(st);
		zb_hdb_bind_str(st, 1, id);
		zb_hdb_bind_str(st, 2, name);
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
		ret = exec(h, indexes);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", ZB_HDB_VERSION);
	if (!ret)
		ret = exec(h, sql);
out:
	if (ret < 0) {
		zb_hdb_rollback(h);
		return ret;
	}
	return exec(h, "COMMIT");
}

int zb_hdb_open(struct zb_hdb *h, const char *path, int create)
{
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	int ret, ver, ours;

	memset(h, 0, sizeof(*h));
	snprintf(h->path, sizeof(h->path), "%s", path);
	if (!create && access(path, F_OK))
		return zb_hdb_fail(h, -ENOENT, "no history database (zapbench history import "
				"FILE... creates it)");
	if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
		ret = zb_hdb_fail(h, -EIO, "cannot open");
		goto fail;
	}
	/* Another zapbench importing: wait for it rather than fail. */
	sqlite3_busy_timeout(h->db, 10000);
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
	sqlite3_close(h->db);
	h->db = NULL;
	return ret;
}

void zb_hdb_close(struct zb_hdb *h)
{
	sqlite3_close(h->db);
	h->db = NULL;
}

int zb_hdb_begin(struct zb_hdb *h)
{
	/* IMMEDIATE: take the write lock now, not halfway through an import. */
	return exec(h, "BEGIN IMMEDIATE");
}

int zb_hdb_commit(struct zb_hdb *h)
{
	return exec(h, "COMMIT");
}

void zb_hdb_rollback(struct zb_hdb *h)
{
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
}
