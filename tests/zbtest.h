/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal harness in the spellings of the kernel's kselftest_harness.h:
 * TEST(name) { ... }, ASSERT_* (fatal) and EXPECT_* (the test goes on,
 * then fails), ASSERT_EQ(expected, seen), SKIP(statement, fmt, ...).
 * Each test runs in its own forked process (a crash is one failure, not
 * the end of the run) under an alarm: kselftest's 30 s unless the test
 * says otherwise with TEST_TIMEOUT(name, seconds); a test that runs past
 * it is killed and fails, and the next one runs.  TAP output.  Include it
 * once per test binary: it defines main().
 */
#ifndef ZBTEST_H
#define ZBTEST_H

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ZBT_MAX		256
#define ZBT_SKIP_CODE	4		/* kselftest's KSFT_SKIP */
#define ZBT_TIMEOUT	30		/* kselftest's TEST_TIMEOUT_DEFAULT */

struct zbt_test {
	const char *name;
	void (*fn)(void);
	unsigned int timeout;		/* seconds */
};

static struct zbt_test zbt_tests[ZBT_MAX];
static int zbt_count;
/* Every test's files live under one directory, removed when all are done. */
static char zbt_root[64];
/* In a test's process: what it ends with if it returns (EXPECT_*, SKIP). */
static int zbt_exit_code;

static inline void zbt_register(const char *name, void (*fn)(void), unsigned int timeout)
{
	if (zbt_count < ZBT_MAX)
		zbt_tests[zbt_count++] = (struct zbt_test){ name, fn, timeout };
}

#define TEST_TIMEOUT(name, seconds)					\
	static void name(void);						\
	__attribute__((constructor)) static void zbt_reg_##name(void)	\
	{ zbt_register(#name, name, (seconds)); }			\
	static void name(void)

#define TEST(name)	TEST_TIMEOUT(name, ZBT_TIMEOUT)

#define ZBT_SAY(...) do {						\
	printf("# %s:%d: ", __FILE__, __LINE__);			\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
} while (0)

/* Fatal: the test ends here, failed. */
#define ZBT_FAIL(...) do {						\
	ZBT_SAY(__VA_ARGS__);						\
	_exit(1);							\
} while (0)

/* @fatal 0 (EXPECT_*): say it, mark the test failed, go on. */
#define ZBT_CHECK(fatal, ...) do {					\
	if (fatal)							\
		ZBT_FAIL(__VA_ARGS__);					\
	ZBT_SAY(__VA_ARGS__);						\
	zbt_exit_code = 1;						\
} while (0)

/*
 * As kselftest: say why, mark the test skipped, then run @statement
 * (`return` in a test body; `_exit(ZBT_SKIP_CODE)` in a helper whose
 * caller must not go on).  A later failure still fails the test.
 */
#define SKIP(statement, ...) do {					\
	printf("# SKIP ");						\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
	if (!zbt_exit_code)						\
		zbt_exit_code = ZBT_SKIP_CODE;				\
	statement;							\
} while (0)

/* A fresh directory for this test, under the binary's temporary root. */
#define zbt_mkdtemp(buf, len) do {					\
	snprintf((buf), (len), "%s/t.XXXXXX", zbt_root);		\
	if (!mkdtemp(buf))						\
		ZBT_FAIL("mkdtemp %s", (buf));				\
} while (0)

static inline int zbt_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

#define ZBT_KIND(fatal)	((fatal) ? "ASSERT" : "EXPECT")

#define ZBT_BOOL(fatal, name, x, want) do {				\
	if ((!(x)) != (!(want)))					\
		ZBT_CHECK(fatal, "%s_%s(%s): expected %s", ZBT_KIND(fatal), \
			  name, #x, (want) ? "true" : "false");		\
} while (0)

/* Integers, compared as long long: what was expected, then what was seen. */
#define ZBT_CMP(fatal, name, exp, seen, op, what) do {			\
	long long _e = (long long)(exp), _s = (long long)(seen);	\
	if (!(_e op _s))						\
		ZBT_CHECK(fatal, "%s_%s(%s, %s): expected %s%lld, seen %lld", \
			  ZBT_KIND(fatal), name, #exp, #seen, what, _e, _s); \
} while (0)

#define ZBT_NEAR(fatal, exp, seen, eps) do {				\
	double _e = (double)(exp), _s = (double)(seen);			\
	if (!(fabs(_e - _s) <= (eps)))					\
		ZBT_CHECK(fatal, "%s_NEAR(%s, %s, %s): expected %.17g within %g, seen %.17g", \
			  ZBT_KIND(fatal), #exp, #seen, #eps, _e, (double)(eps), _s); \
} while (0)

#define ZBT_STR(fatal, name, exp, seen, same) do {			\
	const char *_e = (exp), *_s = (seen);				\
	if (!_e || !_s || (strcmp(_e, _s) == 0) != (same))		\
		ZBT_CHECK(fatal, "%s_%s(%s, %s): expected %s\"%s\", seen \"%s\"", \
			  ZBT_KIND(fatal), name, #exp, #seen, (same) ? "" : "not ", \
			  _e ? _e : "(null)", _s ? _s : "(null)");	\
} while (0)

#define ZBT_CONTAINS(fatal, hay, needle) do {				\
	const char *_h = (hay), *_n = (needle);				\
	if (!_h || !strstr(_h, _n))					\
		ZBT_CHECK(fatal, "%s_CONTAINS(%s, %s): expected to contain \"%s\", seen \"%s\"", \
			  ZBT_KIND(fatal), #hay, #needle, _n, _h ? _h : "(null)"); \
} while (0)

#define ASSERT_TRUE(x)			ZBT_BOOL(1, "TRUE", x, 1)
#define ASSERT_FALSE(x)			ZBT_BOOL(1, "FALSE", x, 0)
#define ASSERT_EQ(exp, seen)		ZBT_CMP(1, "EQ", exp, seen, ==, "")
#define ASSERT_NE(exp, seen)		ZBT_CMP(1, "NE", exp, seen, !=, "not ")
#define ASSERT_NEAR(exp, seen, eps)	ZBT_NEAR(1, exp, seen, eps)
#define ASSERT_STREQ(exp, seen)		ZBT_STR(1, "STREQ", exp, seen, 1)
#define ASSERT_STRNE(exp, seen)		ZBT_STR(1, "STRNE", exp, seen, 0)
#define ASSERT_CONTAINS(hay, needle)	ZBT_CONTAINS(1, hay, needle)

#define EXPECT_TRUE(x)			ZBT_BOOL(0, "TRUE", x, 1)
#define EXPECT_FALSE(x)			ZBT_BOOL(0, "FALSE", x, 0)
#define EXPECT_EQ(exp, seen)		ZBT_CMP(0, "EQ", exp, seen, ==, "")
#define EXPECT_NE(exp, seen)		ZBT_CMP(0, "NE", exp, seen, !=, "not ")
#define EXPECT_NEAR(exp, seen, eps)	ZBT_NEAR(0, exp, seen, eps)
#define EXPECT_STREQ(exp, seen)		ZBT_STR(0, "STREQ", exp, seen, 1)
#define EXPECT_STRNE(exp, seen)		ZBT_STR(0, "STRNE", exp, seen, 0)
#define EXPECT_CONTAINS(hay, needle)	ZBT_CONTAINS(0, hay, needle)

static volatile pid_t zbt_child;
static volatile sig_atomic_t zbt_timed_out;

/* Kill from the handler itself: no window between the alarm and waitpid(). */
static void zbt_alarm(int sig)
{
	(void)sig;
	zbt_timed_out = 1;
	if (zbt_child > 0)
		kill(zbt_child, SIGKILL);
}

/* Run one test in its own process; its wait status. */
static int zbt_run(const struct zbt_test *t)
{
	struct sigaction sa = { .sa_handler = zbt_alarm };
	int st = 0;
	pid_t pid;

	fflush(stdout);
	zbt_timed_out = 0;
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1 << 8;
	}
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		t->fn();
		fflush(stdout);
		_exit(zbt_exit_code);
	}
	zbt_child = pid;
	sigaction(SIGALRM, &sa, NULL);
	alarm(t->timeout);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	zbt_child = 0;
	return st;
}

int main(int argc, char **argv)
{
	int i, pass = 0, fail = 0, skip = 0;

	snprintf(zbt_root, sizeof(zbt_root), "/tmp/zbtest.XXXXXX");
	if (!mkdtemp(zbt_root)) {
		perror("mkdtemp");
		return 1;
	}
	printf("TAP version 13\n1..%d\n", zbt_count);
	for (i = 0; i < zbt_count; i++) {
		int st;

		if (argc > 1 && !strstr(zbt_tests[i].name, argv[1])) {
			printf("ok %d %s # SKIP not selected\n", i + 1, zbt_tests[i].name);
			skip++;
			continue;
		}
		st = zbt_run(&zbt_tests[i]);
		if (zbt_timed_out) {
			printf("# %s: timed out after %u s (killed)\n", zbt_tests[i].name,
			       zbt_tests[i].timeout);
			printf("not ok %d %s\n", i + 1, zbt_tests[i].name);
			fail++;
		} else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			printf("ok %d %s\n", i + 1, zbt_tests[i].name);
			pass++;
		} else if (WIFEXITED(st) && WEXITSTATUS(st) == ZBT_SKIP_CODE) {
			printf("ok %d %s # SKIP\n", i + 1, zbt_tests[i].name);
			skip++;
		} else {
			if (WIFSIGNALED(st))
				printf("# killed by signal %d\n", WTERMSIG(st));
			printf("not ok %d %s\n", i + 1, zbt_tests[i].name);
			fail++;
		}
	}
	nftw(zbt_root, zbt_rm, 16, FTW_DEPTH | FTW_PHYS);
	printf("# %s: %d passed, %d failed, %d skipped\n", argv[0], pass, fail, skip);
	return fail ? 1 : 0;
}

#endif
