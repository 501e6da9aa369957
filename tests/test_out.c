// SPDX-License-Identifier: GPL-2.0
/*
 * --out is checked before anything runs: a directory, a symbolic link, a
 * device node or a missing directory is refused in one line with exit 2,
 * nothing created and nothing replaced; a second writer of one --out is
 * refused while the first holds it.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "zbtest.h"
#include "spawn.h"
#include "outpath.h"

static char dir[256];
static char out[300];

static int files_in_dir(void)
{
	return dir_entries(dir);
}

/* A run that takes a moment: it must not start. */
static void expect_refused(const char *needle, const char *path)
{
	char *argv[] = { "zapbench", "run", "--filter", "open/close/target:dev_null",
			 "--cpus", "1", "--min-time", "0.01", "--repetitions", "1",
			 "--no-progress", "--out", (char *)path, NULL };
	struct spawned s;

	spawn(&s, argv);
	/* no table on stdout: the run did not start */
	ASSERT_USAGE_ERROR(&s, needle);
	ASSERT_CONTAINS(s.err, "error: --out: ");
}

TEST(directory_refused)
{
	struct stat st;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/d", dir);
	ASSERT_EQ(0, mkdir(out, 0755));
	expect_refused("is a directory", out);
	ASSERT_EQ(0, lstat(out, &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(1, files_in_dir());
}

TEST(symlink_refused_and_kept)
{
	char target[300], got[300] = "";
	struct stat st;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/link.json", dir);
	snprintf(target, sizeof(target), "%s/target.json", dir);
	ASSERT_EQ(0, symlink("target.json", out));
	expect_refused("is a symbolic link", out);
	ASSERT_EQ(0, lstat(out, &st));
	ASSERT_TRUE(S_ISLNK(st.st_mode));
	ASSERT_TRUE(readlink(out, got, sizeof(got) - 1) > 0);
	ASSERT_STREQ("target.json", got);
	/* the target was not created either */
	ASSERT_EQ(-1, lstat(target, &st));
	ASSERT_EQ(1, files_in_dir());
}

TEST(device_node_refused_and_kept)
{
	struct stat null, st;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/null", dir);
	ASSERT_EQ(0, stat("/dev/null", &null));
	if (mknod(out, S_IFCHR | 0666, null.st_rdev))
		SKIP(return, "mknod: %s (needs CAP_MKNOD)", strerror(errno));
	expect_refused("is a device node", out);
	ASSERT_EQ(0, lstat(out, &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(null.st_rdev, st.st_rdev);
	ASSERT_EQ(1, files_in_dir());
}

TEST(missing_directory_refused)
{
	struct stat st;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/no/r.json", dir);
	expect_refused("No such file or directory", out);
	snprintf(out, sizeof(out), "%s/no", dir);
	ASSERT_EQ(-1, lstat(out, &st));
	ASSERT_EQ(0, files_in_dir());
}

TEST(compare_out_directory_refused)
{
	char *argv[] = { "zapbench", "compare", "--out", dir, "tests/fixtures/small-a.json",
			 "tests/fixtures/small-b.json", NULL };
	struct spawned s;

	zbt_mkdtemp(dir, sizeof(dir));
	spawn(&s, argv);
	ASSERT_USAGE_ERROR(&s, "is a directory");
	ASSERT_CONTAINS(s.err, "error: --out: ");
	ASSERT_EQ(0, files_in_dir());
}

/* This process holds the lock, as a first `zapbench run --out` would. */
TEST(second_writer_refused)
{
	char why[512], needle[128];
	int fd = -1;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	ASSERT_EQ(0, zb_out_lock(out, &fd, why, sizeof(why)));
	snprintf(needle, sizeof(needle), "is being written by another zapbench (pid %ld holds ",
		 (long)getpid());
	expect_refused(needle, out);
	/* the lock file alone: no record, no temporary */
	ASSERT_EQ(1, files_in_dir());
	zb_out_unlock(out, fd);
	ASSERT_EQ(0, files_in_dir());
}

/* A lock file left by a dead writer does not block; the run removes it. */
TEST(stale_lock_file_does_not_block)
{
	char *argv[] = { "zapbench", "run", "--filter", "open/close/target:dev_null",
			 "--cpus", "1", "--min-time", "0.01", "--repetitions", "1",
			 "--no-progress", "--out", out, NULL };
	char lock[320];
	struct spawned s;
	struct zb_jval v;
	FILE *f;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	snprintf(lock, sizeof(lock), "%s.lock", out);
	f = fopen(lock, "w");
	ASSERT_TRUE(f != NULL);
	fprintf(f, "999999999\n");
	fclose(f);
	spawn(&s, argv);
	ASSERT_EQ(0, s.status);
	load_record(out, &v);
	zb_jval_free(&v);
	/* the record alone: no lock file, no temporary */
	ASSERT_EQ(1, files_in_dir());
}
