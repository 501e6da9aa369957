/* SPDX-License-Identifier: GPL-2.0 */
/* What the history_*.c files share: errors, statements, bindings. */
#ifndef ZB_HISTORY_SQL_H
#define ZB_HISTORY_SQL_H

#include <sqlite3.h>

#include "history/history_db.h"

/* Describe the failure in h->err (with SQLite's words for -EIO); returns @ret. */
int zb_hdb_fail(struct zb_hdb *h, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int zb_hdb_prepare(struct zb_hdb *h, const char *sql, sqlite3_stmt **st);
/* NULL binds NULL; so do non-finite numbers. */
void zb_hdb_bind_str(sqlite3_stmt *st, int i, const char *s);
void zb_hdb_bind_num(sqlite3_stmt *st, int i, double v);

#endif
