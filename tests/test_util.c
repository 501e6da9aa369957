// SPDX-License-Identifier: GPL-2.0
/* Atomic result files: whole or not at all, never a leftover temporary. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util.h"
#include "zbtest.h"

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.' || (e->d_name[1] && e->d_name[1] != '.');
	if (d)
		closedir(d);
	return n;
}

static char *tmpdir(void)
{
	static char dir[128];

	zbt_mkdtemp(dir, sizeof(dir));
	return dir;
}

TEST(atomic_commit_replaces_whole_file)
{
	char *dir = tmpdir(), path[256], *buf;
	struct zb_atomic a;
	size_t len;

	snprintf(path, sizeof(path), "%s/out.json", dir);
	ASSERT_EQ(0, zb_atomic_open(&a, path));
	/* nothing visible at the final path until commit */
	ASSERT_TRUE(access(path, F_OK) != 0);
	ASSERT_EQ(0, zb_atomic_commit(&a, "old", 3));
	ASSERT_EQ(0, zb_atomic_open(&a, path));
	ASSERT_EQ(0, zb_atomic_commit(&a, "new!", 4));
	ASSERT_EQ(0, zb_read_file(path, &buf, &len));
	ASSERT_STREQ("new!", buf);
	ASSERT_EQ(1, entries(dir));
	free(buf);
}

/* Two runs of one second: the second record gets a name of its own. */
TEST(atomic_fresh_commit_never_replaces)
{
	char *dir = tmpdir(), path[256], second[256], *buf;
	struct zb_atomic a;

	snprintf(path, sizeof(path), "%s/20261202T064822Z-host.json", dir);
	snprintf(second, sizeof(second), "%s/20261202T064822Z-host_2.json", dir);
	ASSERT_EQ(0, zb_atomic_open(&a, path));
	a.fresh = 1;
	ASSERT_EQ(0, zb_atomic_commit(&a, "first", 5));
	ASSERT_STREQ(path, a.path);
	ASSERT_EQ(0, zb_atomic_open(&a, path));
	a.fresh = 1;
	ASSERT_EQ(0, zb_atomic_commit(&a, "second", 6));
	ASSERT_STREQ(second, a.path);
	ASSERT_EQ(0, zb_read_file(path, &buf, NULL));
	ASSERT_STREQ("first", buf);
	free(buf);
	ASSERT_EQ(0, zb_read_file(second, &buf, NULL));
	ASSERT_STREQ("second", buf);
	free(buf);
	/* and no temporary left behind */
	ASSERT_EQ(2, entries(dir));
}

TEST(atomic_abort_leaves_old_file_and_no_temporary)
{
	char *dir = tmpdir(), path[256], *buf;
	struct zb_atomic a;

	snprintf(path, sizeof(path), "%s/out.json", dir);
	ASSERT_EQ(0, zb_atomic_open(&a, path));
	ASSERT_EQ(0, zb_atomic_commit(&a, "kept", 4));
	ASSERT_EQ(0, zb_atomic_open(&a, path));
	zb_atomic_abort(&a);
	ASSERT_EQ(0, zb_read_file(path, &buf, NULL));
	ASSERT_STREQ("kept", buf);
	ASSERT_EQ(1, entries(dir));
	free(buf);
}

TEST(atomic_open_fails_early_on_bad_directory)
{
	struct zb_atomic a;

	ASSERT_EQ(-ENOENT, zb_atomic_open(&a, "/nonexistent-zb/dir/out.json"));
}

TEST(mkdirs_and_read_helpers)
{
	char *dir = tmpdir(), path[256], line[64];
	long v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	ASSERT_EQ(0, zb_mkdirs(path));
	ASSERT_EQ(0, zb_mkdirs(path));
	snprintf(path, sizeof(path), "%s/a/n", dir);
	f = fopen(path, "w");
	fputs("65530\nrest\n", f);
	fclose(f);
	ASSERT_EQ(0, zb_read_long(path, &v));
	ASSERT_EQ(65530, v);
	ASSERT_EQ(0, zb_read_line(path, line, sizeof(line)));
	ASSERT_STREQ("65530", line);
	ASSERT_EQ(-ENOENT, zb_read_long("/nonexistent-zb", &v));
}
