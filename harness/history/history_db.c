// SPDX-License-Identifier: GPL-2.0
/*
 * The history database, whichever store holds it: picking the backend,
 * errors, transactions, and the statement calls the queries make.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history_sql.h"

const char zb_hdb_indexes[] =
	"CREATE INDEX IF NOT EXISTS runs_date ON runs(date);\n"
	"CREATE INDEX IF NOT EXISTS runs_commit ON runs(git_commit);\n"
	"CREATE INDEX IF NOT EXISTS runs_machine ON runs(machine_id, date);\n"
	"CREATE INDEX IF NOT EXISTS points_name ON points(name);\n"
	"CREATE INDEX IF NOT EXISTS points_case ON points(case_name, params);\n"
	"CREATE INDEX IF NOT EXISTS point_params_kv ON point_params(key, value);\n";

/* Replace @len bytes at @p of @buf (room @size) by "***". */
static void mask(char *buf, size_t size, char *p, size_t len)
{
	size_t tail = strlen(p + len) + 1;

	if ((size_t)(p - buf) + 3 + tail > size)
		tail = size - (size_t)(p - buf) - 3;
	memmove(p + 3, p + len, tail);
	memcpy(p, "***", 3);
	buf[size - 1] = '\0';
}

/* As zb_hdb_redact(), in @buf of @len, room enough for the whole of it. */
static void redact(char *buf, size_t len)
{
	char *auth, *end, *at, *colon, *p;

	auth = strstr(buf, "://");
	if (!auth)
		return;
	auth += 3;
	end = auth + strcspn(auth, "/?");
	/* The last '@' of the authority ends the user info; a ':' in it starts the password. */
	for (at = NULL, p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon && at > colon + 1)
		mask(buf, len, colon + 1, (size_t)(at - colon - 1));
	for (p = strchr(buf, '?'); p; p = strchr(p + 1, '&'))
		if (!strncmp(p + 1, "password=", 9) && p[10] && p[10] != '&')
			mask(buf, len, p + 10, strcspn(p + 10, "&"));
}

/* Masked whole, then cut to @len: a cut must not leave half a password unmasked. */
void zb_hdb_redact(const char *where, char *buf, size_t len)
{
	/* Each mask adds at most 2 bytes, and a password takes at least 1 plus its mark. */
	size_t room = 2 * strlen(where) + 4;
	char *tmp = malloc(room);

	if (!tmp) {
		snprintf(buf, len, "%s", strstr(where, "://") ? "(the database URI)" : where);
		return;
	}
	snprintf(tmp, room, "%s", where);
	redact(tmp, room);
	snprintf(buf, len, "%s", tmp);
	free(tmp);
}

int zb_hdb_fail(struct zb_hdb *h, int ret, const char *fmt, ...)
{
	int said = h->conn && ret == -EIO;
	char msg[400], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A failure of the store says what the store said. */
	snprintf(h->err, sizeof(h->err), "%.200s: %.150s%s%.150s", h->path, msg,
		 said ? ": " : "", said ? h->ops->errmsg(h) : "");
	/* One line, whatever the statement quoted in it spans. */
	for (p = h->err; (p = strchr(p, '\n')); )
		*p = ' ';
	return ret;
}

int zb_hdb_exec(struct zb_hdb *h, const char *sql)
{
	return h->ops->exec(h, sql);
}

int zb_hdb_prepare(struct zb_hdb *h, const char *sql, struct zb_hst **st)
{
	return h->ops->prepare(h, sql, st);
}

void zb_hdb_bind_str(struct zb_hst *st, int i, const char *s)
{
	if (s)
		st->h->ops->bind_text(st, i, s);
	else
		st->h->ops->bind_null(st, i);
}

void zb_hdb_bind_num(struct zb_hst *st, int i, double v)
{
	if (isfinite(v))
		st->h->ops->bind_double(st, i, v);
	else
		st->h->ops->bind_null(st, i);
}

double zb_hst_num(struct zb_hst *st, int i)
{
	return st->h->ops->col_null(st, i) ? NAN : st->h->ops->col_double(st, i);
}

/* postgresql://... and postgres://... are a server (libpq's URIs); anything else a file. */
static const struct zb_hdb_ops *backend(const char *where)
{
	if (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11))
		return &zb_hdb_pg;
	return &zb_hdb_sqlite;
}

int zb_hdb_open(struct zb_hdb *h, const char *where, int create)
{
	memset(h, 0, sizeof(*h));
	h->ops = backend(where);
	zb_hdb_redact(where, h->path, sizeof(h->path));
	return h->ops->open(h, where, create);
}

void zb_hdb_close(struct zb_hdb *h)
{
	if (h->ops)
		h->ops->close(h);
	h->conn = NULL;
}

int zb_hdb_begin(struct zb_hdb *h)
{
	return h->ops->begin(h);
}

int zb_hdb_commit(struct zb_hdb *h)
{
	return h->ops->exec(h, "COMMIT");
}

void zb_hdb_interrupt(struct zb_hdb *h)
{
	if (h->ops && h->ops->interrupt && h->conn)
		h->ops->interrupt(h);
}

void zb_hdb_rollback(struct zb_hdb *h)
{
	/* Nothing to say: the failure that led here is already in h->err. */
	char err[sizeof(h->err)];

	memcpy(err, h->err, sizeof(err));
	h->ops->exec(h, "ROLLBACK");
	memcpy(h->err, err, sizeof(err));
}
