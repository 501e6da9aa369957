/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the history_*.c files share: errors, statements, bindings, and
 * the seam between them and the two stores.  The queries are written
 * once, in the SQL both speak (? or ?N parameters, INSERT ... RETURNING);
 * a backend (history_sqlite.c, history_pg.c) opens its store, makes or
 * checks its tables, and runs statements.
 */
#ifndef ZB_HISTORY_SQL_H
#define ZB_HISTORY_SQL_H

#include "history/history_db.h"

/* A prepared statement; a backend's own statement begins with one. */
struct zb_hst {
	struct zb_hdb *h;
};

#define ZB_HST_DONE	0
#define ZB_HST_ROW	1

struct zb_hdb_ops {
	/* Fill h->conn; on failure say why (zb_hdb_fail) and leave it NULL. */
	int (*open)(struct zb_hdb *h, const char *where, int create);
	void (*close)(struct zb_hdb *h);
	int (*exec)(struct zb_hdb *h, const char *sql);
	/* The write transaction of an import: another importer waits for its end. */
	int (*begin)(struct zb_hdb *h);
	/*
	 * Async-signal-safe: the running statement fails soon (a ^C).  NULL
	 * where the store has none: the caller's flag acts between records.
	 */
	void (*interrupt)(struct zb_hdb *h);
	/* What the store said about its last failure, one line, no password. */
	const char *(*errmsg)(struct zb_hdb *h);
	int (*prepare)(struct zb_hdb *h, const char *sql, struct zb_hst **st);
	void (*finalize)(struct zb_hst *st);
	/* Back to before the first step, the bindings kept. */
	void (*reset)(struct zb_hst *st);
	/* ZB_HST_ROW, ZB_HST_DONE, or -EIO (errmsg says why). */
	int (*step)(struct zb_hst *st);
	/* Parameters count from 1, columns from 0. */
	void (*bind_null)(struct zb_hst *st, int i);
	void (*bind_text)(struct zb_hst *st, int i, const char *s);
	void (*bind_int)(struct zb_hst *st, int i, long long v);
	void (*bind_double)(struct zb_hst *st, int i, double v);
	int (*col_null)(struct zb_hst *st, int i);
	const char *(*col_text)(struct zb_hst *st, int i);	/* NULL for NULL */
	long long (*col_int)(struct zb_hst *st, int i);
	double (*col_double)(struct zb_hst *st, int i);
};

extern const struct zb_hdb_ops zb_hdb_sqlite, zb_hdb_pg;

/* The indexes, the same in either store. */
extern const char zb_hdb_indexes[];

/*
 * @where as errors may show it: a URI's password (user:PASSWORD@ or
 * password=PASSWORD) replaced by "***"; anything else as it is.
 */
void zb_hdb_redact(const char *where, char *buf, size_t len);

/* Describe the failure in h->err (with the store's words for -EIO); returns @ret. */
int zb_hdb_fail(struct zb_hdb *h, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int zb_hdb_exec(struct zb_hdb *h, const char *sql);
int zb_hdb_prepare(struct zb_hdb *h, const char *sql, struct zb_hst **st);
/* NULL binds NULL; so do non-finite numbers. */
void zb_hdb_bind_str(struct zb_hst *st, int i, const char *s);
void zb_hdb_bind_num(struct zb_hst *st, int i, double v);

static inline void zb_hdb_bind_int(struct zb_hst *st, int i, long long v)
{
	st->h->ops->bind_int(st, i, v);
}

static inline int zb_hst_step(struct zb_hst *st)
{
	return st->h->ops->step(st);
}

static inline void zb_hst_reset(struct zb_hst *st)
{
	st->h->ops->reset(st);
}

/* NULL is fine, as for free(). */
static inline void zb_hst_finalize(struct zb_hst *st)
{
	if (st)
		st->h->ops->finalize(st);
}

static inline const char *zb_hst_text(struct zb_hst *st, int i)
{
	return st->h->ops->col_text(st, i);
}

static inline long long zb_hst_int(struct zb_hst *st, int i)
{
	return st->h->ops->col_int(st, i);
}

/* NaN for NULL. */
double zb_hst_num(struct zb_hst *st, int i);

#endif
