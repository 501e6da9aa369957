// SPDX-License-Identifier: GPL-2.0
/*
 * The history's --db: a postgresql:// or postgres:// URI is a server,
 * anything else an SQLite file, and a URI's password is never in a message.
 */
#include <errno.h>
#include <string.h>

#include "history/history_sql.h"
#include "util.h"
#include "zbtest.h"

TEST(uri_password_redacted)
{
	static const char *const cases[][2] = {
		{ "postgresql://zb:s3cret@db.example:5432/fleet",
		  "postgresql://zb:***@db.example:5432/fleet" },
		{ "postgres://zb:p@ss@host/fleet", "postgres://zb:***@host/fleet" },
		{ "postgresql://zb@host/fleet?sslmode=require&password=s3cret&x=1",
		  "postgresql://zb@host/fleet?sslmode=require&password=***&x=1" },
		{ "postgresql://host/fleet?password=s3cret", "postgresql://host/fleet?password=***" },
		{ "postgresql://zb@host/fleet", "postgresql://zb@host/fleet" },
		{ "postgresql://host:5432", "postgresql://host:5432" },
		{ "postgresql://zb:@host/fleet", "postgresql://zb:@host/fleet" },
		{ "datasets/history.db", "datasets/history.db" },
	};
	char buf[200];
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(cases); i++) {
		zb_hdb_redact(cases[i][0], buf, sizeof(buf));
		ASSERT_STREQ(cases[i][1], buf);
	}
	/* Cut short, even inside the password, it keeps none of it. */
	for (i = 1; i < 40; i++) {
		zb_hdb_redact(cases[0][0], buf, i);
		ASSERT_TRUE(strlen(buf) < i);
		ASSERT_TRUE(!strstr(buf, "s3c"));
	}
}

/* Port 1 of loopback refuses at once: libpq's error, and ours, without the password. */
TEST(refused_server_said_without_password)
{
	struct zb_hdb h;

	ASSERT_EQ(-EIO, zb_hdb_open(&h, "postgresql://zb:s3cret@127.0.0.1:1/fleet", 1));
	ASSERT_TRUE(h.ops == &zb_hdb_pg);
	ASSERT_TRUE(!h.conn);
	ASSERT_CONTAINS(h.err, "postgresql://zb:***@127.0.0.1:1/fleet: cannot connect: ");
	ASSERT_TRUE(!strstr(h.err, "s3cret"));
	ASSERT_TRUE(!strchr(h.err, '\n'));
	zb_hdb_close(&h);
}

TEST(anything_else_is_an_sqlite_file)
{
	struct zb_hdb h;

	ASSERT_EQ(-ENOENT, zb_hdb_open(&h, "/nonexistent-zb/postgresql://x", 0));
	ASSERT_TRUE(h.ops == &zb_hdb_sqlite);
	ASSERT_CONTAINS(h.err, "no history database");
}
