/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal kselftest-style harness: TEST(name) { ... } with ASSERT_*,
 * each test in its own forked process (a crash is one failure, not the
 * end of the run), TAP output, and SKIP(reason) for what cannot run here.
 * Include it once per test binary: it defines main().
 */
#ifndef ZBTEST_H
#define ZBTEST_H

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ZBT_MAX		256
#define ZBT_SKIP_CODE	4		/* kselftest's KSFT_SKIP */

struct zbt_test {
	const char *name;
	void (*fn)(void);
};

static struct zbt_test zbt_tests[ZBT_MAX];
static int zbt_count;
/* Every test's files live under one directory, removed when all are done. */
static char zbt_root[64];

static inline void zbt_register(const char *name, void (*fn)(void))
{
	if (zbt_count < ZBT_MAX)
		zbt_tests[zbt_count++] = (struct zbt_test){ name, fn };
}

#define TEST(name)							\
	static void name(void);						\
	__attribute__((constructor)) static void zbt_reg_##name(void)	\
	{ zbt_register(#name, name); }					\
	static void name(void)

#define ZBT_FAIL(...) do {						\
	printf("# %s:%d: ", __FILE__, __LINE__);			\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
	_exit(1);							\
} while (0)

#define SKIP(...) do {							\
	printf("# SKIP ");						\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
	_exit(ZBT_SKIP_CODE);						\
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

#define ASSERT_TRUE(x) do {						\
	if (!(x))							\
		ZBT_FAIL("expected %s", #x);				\
} while (0)

#define ASSERT_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b)							\
		ZBT_FAIL("%s == %s: %lld != %lld", #a, #b, _a, _b);	\
} while (0)

#define ASSERT_NEAR(a, b, eps) do {					\
	double _a = (double)(a), _b = (double)(b);			\
	if (!(fabs(_a - _b) <= (eps)))					\
		ZBT_FAIL("%s ~= %s: %.17g vs %.17g (eps %g)", #a, #b, _a, _b, (double)(eps)); \
} while (0)

#define ASSERT_STR_EQ(a, b) do {					\
	const char *_a = (a), *_b = (b);				\
	if (!_a || !_b || strcmp(_a, _b))				\
		ZBT_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b,		\
			 _a ? _a : "(null)", _b ? _b : "(null)");	\
} while (0)

#define ASSERT_CONTAINS(hay, needle) do {				\
	const char *_h = (hay), *_n = (needle);				\
	if (!_h || !strstr(_h, _n))					\
		ZBT_FAIL("%s contains \"%s\": got \"%s\"", #hay, _n,	\
			 _h ? _h : "(null)");				\
} while (0)

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
		int st = 0;
		pid_t pid;

		if (argc > 1 && !strstr(zbt_tests[i].name, argv[1])) {
			printf("ok %d %s # SKIP not selected\n", i + 1, zbt_tests[i].name);
			skip++;
			continue;
		}
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			zbt_tests[i].fn();
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
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
