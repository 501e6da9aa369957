// SPDX-License-Identifier: GPL-2.0
/* The history database: its schema, opening it, transactions. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "history_sql.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS runs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  hash TEXT NOT NULL UNIQUE,      -- FNV-1a 64 of the record, canonical JSON\n"
	"  date TEXT NOT NULL,             -- context.date, ISO 8601 UTC\n"
	"  host TEXT, kernel TEXT, cpu_model TEXT, num_cpus INTEGER, hypervisor TEXT,\n"
	"  git_commit TEXT, command TEXT, schema_version INTEGER, interrupted INTEGER,\n"
	"  source TEXT,                    -- the file it was imported from\n"
	"  imported_at TEXT,\n"
	"  context TEXT                    -- the record's context object, JSON\n"
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
	");\n"
	"CREATE INDEX IF NOT EXISTS runs_date ON runs(date);\n"
	"CREATE INDEX IF NOT EXISTS runs_commit ON runs(git_commit);\n"
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

int zb_hdb_open(struct zb_hdb *h, const char *path, int create)
{
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	char sql[64];
	int ret, ver;

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
	ret = user_version(h, &ver);
	if (ret)
		goto fail;
	if (ver > ZB_HDB_VERSION) {
		ret = zb_hdb_fail(h, -EINVAL, "history schema %d, this zapbench knows %d", ver,
			       ZB_HDB_VERSION);
		goto fail;
	}
	if (!ver) {
		ret = exec(h, schema);
		if (ret)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", ZB_HDB_VERSION);
		ret = exec(h, sql);
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
