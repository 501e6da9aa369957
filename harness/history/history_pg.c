// SPDX-License-Identifier: GPL-2.0
/*
 * The history in PostgreSQL (libpq): a fleet store that many machines'
 * importers feed at once.  The tables are SQLite's, typed for
 * PostgreSQL; their version is a row of zapbench_meta.  Parameters go as
 * text and the server types them, so the queries are the same as
 * SQLite's: ? and ?N become $N here.  Importers serialize on one
 * advisory lock held to the end of their transaction: the second
 * importer of a record sees the first's and stores nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "history/history_sql.h"

/* The advisory lock of every zapbench writer of one database: "zapb". */
#define LOCK_KEY	"2053206114"

struct pg {
	PGconn *c;
	char pw[256];			/* to keep out of the messages */
	char msg[256];			/* the last failure's, one line */
};

struct pg_st {
	struct zb_hst st;
	char *sql;
	int nr_params, row;
	char **vals;
	PGresult *res;
};

static const char tables[] =
	"CREATE TABLE IF NOT EXISTS runs (\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  hash TEXT NOT NULL UNIQUE,\n"
	"  date TEXT COLLATE \"C\" NOT NULL,\n"
	"  host TEXT, kernel TEXT, cpu_model TEXT, num_cpus INTEGER, hypervisor TEXT,\n"
	"  git_commit TEXT, command TEXT, schema_version INTEGER, interrupted INTEGER,\n"
	"  source TEXT, imported_at TEXT, context TEXT, machine_id TEXT, machine_name TEXT\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS points (\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL, case_name TEXT NOT NULL, params TEXT NOT NULL,\n"
	"  reps INTEGER, count BIGINT,\n"
	"  median DOUBLE PRECISION, ci95_lo DOUBLE PRECISION, ci95_hi DOUBLE PRECISION,\n"
	"  p90 DOUBLE PRECISION, p99 DOUBLE PRECISION,\n"
	"  UNIQUE (run_id, name)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS point_params (\n"
	"  point_id BIGINT NOT NULL REFERENCES points(id) ON DELETE CASCADE,\n"
	"  key TEXT NOT NULL, value TEXT NOT NULL,\n"
	"  PRIMARY KEY (point_id, key)\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS zapbench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n";

static struct pg *PG(struct zb_hdb *h)
{
	return h->conn;
}

static struct pg_st *P(struct zb_hst *st)
{
	return (struct pg_st *)st;
}

/* Keep @m's first line, the password masked, as what the server said. */
static void said(struct zb_hdb *h, const char *m)
{
	struct pg *pg = PG(h);
	size_t pl = strlen(pg->pw), o = 0;
	const char *p;

	if (!m || !*m)
		m = "no reason given";
	for (p = m; *p && *p != '\n' && o + 4 < sizeof(pg->msg); ) {
		if (pl && !strncmp(p, pg->pw, pl)) {
			memcpy(pg->msg + o, "***", 3);
			o += 3;
			p += pl;
		} else {
			pg->msg[o++] = *p++;
		}
	}
	pg->msg[o] = '\0';
}

static int result_ok(struct zb_hdb *h, PGresult *r)
{
	ExecStatusType s = PQresultStatus(r);

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
		return 1;
	said(h, r ? PQresultErrorMessage(r) : PQerrorMessage(PG(h)->c));
	return 0;
}

static int pg_exec(struct zb_hdb *h, const char *sql)
{
	PGresult *r = PQexec(PG(h)->c, sql);
	int ok = result_ok(h, r);

	PQclear(r);
	return ok ? 0 : zb_hdb_fail(h, -EIO, "%.40s", sql);
}

/* The one value @sql selects, in @buf ("" if no row); < 0 on failure. */
static int pg_value(struct zb_hdb *h, const char *sql, char *buf, size_t len)
{
	PGresult *r = PQexec(PG(h)->c, sql);
	int ret = 0;

	buf[0] = '\0';
	if (!result_ok(h, r))
		ret = zb_hdb_fail(h, -EIO, "%.60s", sql);
	else if (PQntuples(r) > 0)
		snprintf(buf, len, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return ret;
}

/*
 * As SQLite's whose(): 1 zapbench's tables, 0 no tables, -EINVAL
 * another application's, left alone.  Only the current schema counts.
 */
static int whose(struct zb_hdb *h)
{
	char nr[32], ours[32], cols[32], schema[64];
	int ret;

	ret = pg_value(h, "SELECT count(*) FROM information_schema.tables"
		       " WHERE table_schema = current_schema()", nr, sizeof(nr));
	if (!ret)
		ret = pg_value(h, "SELECT count(*) FROM information_schema.tables"
			       " WHERE table_schema = current_schema() AND table_name IN"
			       " ('runs', 'points', 'point_params', 'zapbench_meta')",
			       ours, sizeof(ours));
	if (!ret)
		ret = pg_value(h, "SELECT count(*) FROM information_schema.columns"
			       " WHERE table_schema = current_schema() AND table_name = 'runs'"
			       " AND column_name IN ('hash', 'date', 'context')", cols, sizeof(cols));
	if (ret)
		return ret;
	if (!strcmp(nr, "0"))
		return 0;
	if (!strcmp(ours, "4") && !strcmp(cols, "3"))
		return 1;
	ret = pg_value(h, "SELECT current_schema()", schema, sizeof(schema));
	return ret ? ret : zb_hdb_fail(h, -EINVAL, "not a zapbench history database (schema "
				       "%.60s holds %s tables, not all zapbench's); left as it "
				       "was", schema, nr);
}

static int check_version(struct zb_hdb *h)
{
	char v[32];
	int ret = pg_value(h, "SELECT value FROM zapbench_meta WHERE key = 'schema_version'",
			   v, sizeof(v));

	if (ret)
		return ret;
	if (atoi(v) != ZB_HDB_VERSION)
		return zb_hdb_fail(h, -EINVAL, "history schema %s, this zapbench knows %d",
				   v[0] ? v : "unknown", ZB_HDB_VERSION);
	return 0;
}

/*
 * Make the tables of an empty database, under the writers' lock: two
 * importers of a new database must not both create them (CREATE TABLE IF
 * NOT EXISTS races in PostgreSQL).  Hence whose is asked again.
 */
static int create_tables(struct zb_hdb *h)
{
	char sql[120];
	int ret, ours;

	ret = h->ops->begin(h);
	if (ret)
		return ret;
	ours = whose(h);
	ret = ours < 0 ? ours : 0;
	if (!ret && !ours)
		ret = pg_exec(h, tables);
	if (!ret && !ours)
		ret = pg_exec(h, zb_hdb_indexes);
	snprintf(sql, sizeof(sql), "INSERT INTO zapbench_meta VALUES ('schema_version', '%d')",
		 ZB_HDB_VERSION);
	if (!ret && !ours)
		ret = pg_exec(h, sql);
	if (!ret)
		ret = check_version(h);
	if (ret) {
		zb_hdb_rollback(h);
		return ret;
	}
	return pg_exec(h, "COMMIT");
}

/* The password libpq will send, from @uri or the environment, to keep out of messages. */
static void remember_password(struct pg *pg)
{
	const char *pw = PQpass(pg->c);

	snprintf(pg->pw, sizeof(pg->pw), "%s", pw ? pw : "");
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_open(struct zb_hdb *h, const char *uri, int create)
{
	/* The URI's own connect_timeout wins over this default: it comes later. */
	static const char *const keys[] = { "connect_timeout", "application_name", "dbname",
					    NULL };
	const char *vals[] = { "10", "zapbench", uri, NULL };
	struct pg *pg = calloc(1, sizeof(*pg));
	int ret, ours;

	if (!pg)
		return zb_hdb_fail(h, -ENOMEM, "out of memory");
	h->conn = pg;
	pg->c = PQconnectdbParams(keys, vals, 1);
	if (!pg->c) {
		ret = zb_hdb_fail(h, -ENOMEM, "out of memory");
		goto fail;
	}
	remember_password(pg);
	if (PQstatus(pg->c) != CONNECTION_OK) {
		said(h, PQerrorMessage(pg->c));
		ret = zb_hdb_fail(h, -EIO, "cannot connect");
		goto fail;
	}
	/* "relation already exists, skipping" is no news. */
	PQsetNoticeProcessor(pg->c, quiet, NULL);
	ours = whose(h);
	ret = ours < 0 ? ours : 0;
	if (!ret && !ours && !create)
		ret = zb_hdb_fail(h, -ENOENT, "no history database (zapbench history import "
				  "FILE... creates it)");
	else if (!ret && !ours)
		ret = create_tables(h);
	else if (!ret)
		ret = check_version(h);
	if (ret)
		goto fail;
	return 0;
fail:
	h->ops->close(h);
	h->conn = NULL;
	return ret;
}

static void pg_close(struct zb_hdb *h)
{
	struct pg *pg = PG(h);

	if (!pg)
		return;
	PQfinish(pg->c);
	memset(pg->pw, 0, sizeof(pg->pw));
	free(pg);
}

static int pg_begin(struct zb_hdb *h)
{
	int ret = pg_exec(h, "BEGIN");

	if (!ret)
		ret = pg_exec(h, "SELECT pg_advisory_xact_lock(" LOCK_KEY ")");
	return ret;
}

static const char *pg_errmsg(struct zb_hdb *h)
{
	return PG(h)->msg;
}

/*
 * @sql with its parameters in libpq's spelling: ?N is $N, a bare ? the
 * next number.  Quoted text is left as it is.
 */
static char *dollars(const char *sql, int *nr)
{
	char *out = malloc(strlen(sql) * 4 + 1), *o = out;
	int quoted = 0, next = 0, n;
	const char *p;

	*nr = 0;
	if (!out)
		return NULL;
	for (p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (quoted || *p != '?') {
			*o++ = *p;
			continue;
		}
		if (p[1] >= '1' && p[1] <= '9') {
			n = (int)strtol(p + 1, (char **)&p, 10);
			p--;
		} else {
			n = ++next;
		}
		o += sprintf(o, "$%d", n);
		if (n > *nr)
			*nr = n;
	}
	*o = '\0';
	return out;
}

static int pg_prepare(struct zb_hdb *h, const char *sql, struct zb_hst **st)
{
	struct pg_st *s = calloc(1, sizeof(*s));

	*st = NULL;
	if (s)
		s->sql = dollars(sql, &s->nr_params);
	if (s && s->sql)
		s->vals = calloc((size_t)s->nr_params + 1, sizeof(*s->vals));
	if (!s || !s->sql || !s->vals) {
		if (s)
			free(s->sql);
		free(s);
		return zb_hdb_fail(h, -ENOMEM, "out of memory");
	}
	s->st.h = h;
	*st = &s->st;
	return 0;
}

static void pg_reset(struct zb_hst *st)
{
	PQclear(P(st)->res);
	P(st)->res = NULL;
	P(st)->row = 0;
}

static void pg_finalize(struct zb_hst *st)
{
	struct pg_st *s = P(st);
	int i;

	pg_reset(st);
	for (i = 0; i < s->nr_params; i++)
		free(s->vals[i]);
	free(s->vals);
	free(s->sql);
	free(s);
}

/* The statement runs at its first step; the next steps walk its rows. */
static int pg_step(struct zb_hst *st)
{
	struct pg_st *s = P(st);

	if (!s->res) {
		s->res = PQexecParams(PG(st->h)->c, s->sql, s->nr_params, NULL,
				      (const char *const *)s->vals, NULL, NULL, 0);
		if (!result_ok(st->h, s->res))
			return -EIO;
		s->row = -1;
	}
	if (PQresultStatus(s->res) != PGRES_TUPLES_OK || s->row + 1 >= PQntuples(s->res))
		return ZB_HST_DONE;
	s->row++;
	return ZB_HST_ROW;
}

static void bind(struct zb_hst *st, int i, char *v)
{
	struct pg_st *s = P(st);

	if (i < 1 || i > s->nr_params) {
		free(v);
		return;
	}
	free(s->vals[i - 1]);
	s->vals[i - 1] = v;
}

static void pg_bind_null(struct zb_hst *st, int i)
{
	bind(st, i, NULL);
}

/* A bound value that cannot be copied is NULL: the insert then fails its NOT NULL. */
static void pg_bind_text(struct zb_hst *st, int i, const char *v)
{
	bind(st, i, strdup(v));
}

static void pg_bind_int(struct zb_hst *st, int i, long long v)
{
	char *s = NULL;

	bind(st, i, asprintf(&s, "%lld", v) < 0 ? NULL : s);
}

/* %.17g: the server's float8 reads back the very double. */
static void pg_bind_double(struct zb_hst *st, int i, double v)
{
	char *s = NULL;

	bind(st, i, asprintf(&s, "%.17g", v) < 0 ? NULL : s);
}

static int pg_col_null(struct zb_hst *st, int i)
{
	return PQgetisnull(P(st)->res, P(st)->row, i);
}

static const char *pg_col_text(struct zb_hst *st, int i)
{
	return pg_col_null(st, i) ? NULL : PQgetvalue(P(st)->res, P(st)->row, i);
}

static long long pg_col_int(struct zb_hst *st, int i)
{
	const char *v = pg_col_text(st, i);

	return v ? strtoll(v, NULL, 10) : 0;
}

static double pg_col_double(struct zb_hst *st, int i)
{
	const char *v = pg_col_text(st, i);

	return v ? strtod(v, NULL) : 0;
}

const struct zb_hdb_ops zb_hdb_pg = {
	.open = pg_open, .close = pg_close, .exec = pg_exec, .begin = pg_begin,
	.errmsg = pg_errmsg, .prepare = pg_prepare, .finalize = pg_finalize,
	.reset = pg_reset, .step = pg_step, .bind_null = pg_bind_null,
	.bind_text = pg_bind_text, .bind_int = pg_bind_int, .bind_double = pg_bind_double,
	.col_null = pg_col_null, .col_text = pg_col_text, .col_int = pg_col_int,
	.col_double = pg_col_double,
};
