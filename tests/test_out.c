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

/* Each of @argv refused in one line, exit 2, before any work (nothing on stdout). */
static void expect_usage(char *const argv[], const char *needle)
{
	struct spawned s;

	spawn(&s, argv);
	ASSERT_USAGE_ERROR(&s, needle);
}

/*
 * ab, plot and history dashboard --out DIR: a file, or a path under one,
 * refused before any record is read or round run; nothing created.
 */
TEST(out_dir_must_be_a_directory)
{
	char file[300], under[320], db[300];
	char *plot[] = { "zapbench", "plot", "bars", "tests/fixtures/small-a.json", "--out",
			 file, NULL };
	char *plot_under[] = { "zapbench", "plot", "bars", "tests/fixtures/small-a.json",
			       "--out", under, NULL };
	char *dash[] = { "zapbench", "history", "dashboard", "--db", db, "--out", file, NULL };
	char *ab[] = { "zapbench", "ab", "--rounds", "2", "--out", file, NULL };
	FILE *f;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/f", dir);
	snprintf(under, sizeof(under), "%s/f/sub", dir);
	snprintf(db, sizeof(db), "%s/h.db", dir);
	f = fopen(file, "w");
	ASSERT_TRUE(f != NULL);
	fclose(f);
	expect_usage(plot, "error: --out: ");
	expect_usage(plot, "/f is not a directory");
	expect_usage(plot_under, "/f/sub: Not a directory");
	expect_usage(dash, "/f is not a directory");
	expect_usage(ab, "/f is not a directory");
	/* the file alone: no database, no lock, no round */
	ASSERT_EQ(1, files_in_dir());
}

/* zb_outdir_check: the flavours it accepts and refuses, creating nothing. */
TEST(outdir_check_flavours)
{
	char p[300], why[600];

	zbt_mkdtemp(dir, sizeof(dir));
	ASSERT_EQ(0, zb_outdir_check(dir, why, sizeof(why)));
	snprintf(p, sizeof(p), "%s/a/b/c", dir);
	ASSERT_EQ(0, zb_outdir_check(p, why, sizeof(why)));
	ASSERT_EQ(0, files_in_dir());
	/* a link to a directory is followed: the files go inside its target */
	snprintf(p, sizeof(p), "%s/l", dir);
	ASSERT_EQ(0, symlink(".", p));
	ASSERT_EQ(0, zb_outdir_check(p, why, sizeof(why)));
	snprintf(p, sizeof(p), "%s/dangling", dir);
	ASSERT_EQ(0, symlink("nowhere", p));
	ASSERT_EQ(-ENOENT, zb_outdir_check(p, why, sizeof(why)));
	ASSERT_CONTAINS(why, "/dangling is a symbolic link to nothing");
	ASSERT_EQ(-EINVAL, zb_outdir_check("", why, sizeof(why)));
}

TEST(outdir_check_read_only)
{
	char p[300], why[600];

	zbt_mkdtemp(dir, sizeof(dir));
	if (!geteuid())
		SKIP(return, "as root every directory is writable: the read-only case needs a user");
	snprintf(p, sizeof(p), "%s/ro", dir);
	ASSERT_EQ(0, mkdir(p, 0555));
	ASSERT_EQ(-EACCES, zb_outdir_check(p, why, sizeof(why)));
	snprintf(p, sizeof(p), "%s/ro/new", dir);
	ASSERT_EQ(-EACCES, zb_outdir_check(p, why, sizeof(why)));
	ASSERT_CONTAINS(why, "cannot create ");
}

/* This process holds @path's lock (FILE.lock): @argv must be refused naming our pid. */
static void expect_held(char *const argv[], const char *path, int is_dir)
{
	char why[600], needle[128];
	int fd = -1;

	if (is_dir)
		ASSERT_EQ(0, zb_outdir_lock(path, &fd, why, sizeof(why)));
	else
		ASSERT_EQ(0, zb_out_lock(path, &fd, why, sizeof(why)));
	snprintf(needle, sizeof(needle), "is being written by another zapbench (pid %ld holds ",
		 (long)getpid());
	expect_usage(argv, needle);
	if (is_dir)
		zb_outdir_unlock(path, fd);
	else
		zb_out_unlock(path, fd);
}

/* run --vm, compare --out, selftest --out: a second writer is refused at start. */
TEST(second_writer_of_a_file_refused)
{
	char *vm[] = { "zapbench", "run", "--vm", "--out", out, NULL };
	char *cmp[] = { "zapbench", "compare", "--out", out, "tests/fixtures/small-a.json",
			"tests/fixtures/small-b.json", NULL };
	char *self[] = { "zapbench", "selftest", "--trials", "1", "--out", out, NULL };

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	expect_held(vm, out, 0);
	expect_held(cmp, out, 0);
	expect_held(self, out, 0);
	ASSERT_EQ(0, files_in_dir());
}

/* ab and history dashboard --out DIR: the directory's .lock held, a second refused. */
TEST(second_writer_of_a_directory_refused)
{
	char sub[300], db[300];
	char *ab[] = { "zapbench", "ab", "--rounds", "2", "--out", sub, NULL };
	char *abc[] = { "zapbench", "ab", "--compare", sub, NULL };
	char *dash[] = { "zapbench", "history", "dashboard", "--db", db, "--out", sub, NULL };

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(sub, sizeof(sub), "%s/d", dir);
	snprintf(db, sizeof(db), "%s/h.db", dir);
	expect_held(ab, sub, 1);
	expect_held(abc, sub, 1);
	expect_held(dash, sub, 1);
	/* the directory, empty: its lock file went with the holder */
	ASSERT_EQ(1, files_in_dir());
	ASSERT_EQ(0, dir_entries(sub));
}
