// SPDX-License-Identifier: GPL-2.0
/*
 * zb_record_load(): a record of this schema loads; everything else is
 * refused with one line that names the file and the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>

#include "record/record_load.h"
#include "util.h"
#include "version.h"
#include "zbtest.h"

static char path[128];

static void write_tmp(const char *text)
{
	int fd;

	snprintf(path, sizeof(path), "%s/load.XXXXXX", zbt_root);
	fd = mkstemp(path);
	if (fd < 0)
		ZBT_FAIL("mkstemp");
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		ZBT_FAIL("write");
	close(fd);
}

/* Load @text; returns the error, the message in @err. */
static int load(const char *text, char *err, size_t errlen)
{
	struct zb_jval v;
	int ret;

	write_tmp(text);
	ret = zb_record_load(path, &v, err, errlen);
	unlink(path);
	if (ret) {
		/* A refused record must leave nothing to free, and one line. */
		ASSERT_EQ(ZB_JNULL, v.type);
		ASSERT_EQ(0, v.n);
		ASSERT_TRUE(!strchr(err, '\n'));
		ASSERT_CONTAINS(err, path);
	}
	zb_jval_free(&v);
	return ret;
}

#define STR2(x) #x
#define STR(x) STR2(x)
#define GOOD "{\"schema\": \"zapbench-result\", \"schema_version\": " \
	STR(ZB_SCHEMA_VERSION) ", \"context\": {}, \"benchmarks\": []}"

TEST(loads_a_minimal_record)
{
	struct zb_jval v;
	char err[256] = "";

	write_tmp(GOOD);
	ASSERT_EQ(0, zb_record_load(path, &v, err, sizeof(err)));
	unlink(path);
	ASSERT_STREQ("zapbench-result", zb_jobj_str(&v, "schema"));
	ASSERT_EQ(ZB_JARR, zb_jobj_get(&v, "benchmarks")->type);
	ASSERT_STREQ("", err);
	zb_jval_free(&v);
}

TEST(missing_file_is_an_io_error)
{
	struct zb_jval v;
	char err[256];

	ASSERT_EQ(-ENOENT, zb_record_load("/nonexistent/r.json", &v, err, sizeof(err)));
	ASSERT_CONTAINS(err, "/nonexistent/r.json: No such file");
}

TEST(directory_is_refused)
{
	struct zb_jval v;
	char err[256];

	ASSERT_TRUE(zb_record_load("/tmp", &v, err, sizeof(err)) < 0);
	ASSERT_CONTAINS(err, "/tmp: ");
}

TEST(empty_file_refused)
{
	char err[256];

	ASSERT_EQ(-EINVAL, load("", err, sizeof(err)));
	ASSERT_CONTAINS(err, "empty file");
}

TEST(truncated_record_refused)
{
	char err[256], text[256];

	strcpy(text, GOOD);
	text[strlen(text) / 2] = '\0';
	ASSERT_EQ(-EINVAL, load(text, err, sizeof(err)));
	ASSERT_CONTAINS(err, "not valid JSON: line 1, column ");
}

TEST(corrupt_record_refused)
{
	char err[256];

	ASSERT_EQ(-EINVAL, load("{\"schema\": \"zapbench-result\",\n \"schema_version\" 1}", err,
				sizeof(err)));
	ASSERT_CONTAINS(err, "not valid JSON: line 2, column 19: ':' expected");
}

TEST(other_json_refused)
{
	char err[256];

	ASSERT_EQ(-EINVAL, load("[1, 2, 3]", err, sizeof(err)));
	ASSERT_CONTAINS(err, "not a zapbench record (not a JSON object)");
	/* Google Benchmark's own output: close, but not ours. */
	ASSERT_EQ(-EINVAL, load("{\"context\": {}, \"benchmarks\": []}", err, sizeof(err)));
	ASSERT_CONTAINS(err, "not a zapbench record (schema is missing)");
	ASSERT_EQ(-EINVAL,
		  load("{\"schema\": \"other\", \"benchmarks\": []}", err, sizeof(err)));
	ASSERT_CONTAINS(err, "not a zapbench record (schema is 'other')");
}

TEST(other_schema_version_refused)
{
	char err[256], text[256];

	snprintf(text, sizeof(text), "{\"schema\": \"zapbench-result\", \"schema_version\": %d,"
		 " \"benchmarks\": []}", ZB_SCHEMA_VERSION + 1);
	ASSERT_EQ(-EINVAL, load(text, err, sizeof(err)));
	snprintf(text, sizeof(text), "schema_version %d, this zapbench reads %d",
		 ZB_SCHEMA_VERSION + 1, ZB_SCHEMA_VERSION);
	ASSERT_CONTAINS(err, text);
	ASSERT_EQ(-EINVAL, load("{\"schema\": \"zapbench-result\", \"benchmarks\": []}", err,
				sizeof(err)));
	ASSERT_CONTAINS(err, "without a schema_version");
	ASSERT_EQ(-EINVAL, load("{\"schema\": \"zapbench-result\", \"schema_version\": \"1\","
				" \"benchmarks\": []}", err, sizeof(err)));
	ASSERT_CONTAINS(err, "without a schema_version");
}

TEST(benchmarks_must_be_an_array)
{
	char err[256];

	ASSERT_EQ(-EINVAL, load("{\"schema\": \"zapbench-result\", \"schema_version\": "
				STR(ZB_SCHEMA_VERSION) ", \"benchmarks\": {}}", err, sizeof(err)));
	ASSERT_CONTAINS(err, "without a benchmarks array");
}

/* A field of the wrong type is an error naming the point and the field. */
TEST(wrong_types_refused_with_the_field)
{
	static const char *const rows[][2] = {
		{ "{\"name\": \"p\", \"real_time\": \"fast\"}",
		  "p: real_time is a string, not a number" },
		{ "{\"name\": \"p\", \"summary\": {\"median\": [1]}}",
		  "p: summary.median is an array" },
		{ "{\"name\": \"p\", \"summary\": {\"unit\": 3}}", "p: summary.unit is a number" },
		{ "{\"name\": \"p\", \"samples\": [1, true]}",
		  "p: samples[1] is a boolean, not a number" },
		{ "{\"name\": \"p\", \"params\": []}", "p: params is an array, not an object" },
		{ "{\"real_time\": 1}", "benchmarks[0] is not a row with a name" },
		{ "7", "benchmarks[0] is not a row with a name" },
	};
	char err[256], text[512];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(text, sizeof(text), "{\"schema\": \"zapbench-result\", \"schema_version\": "
			 STR(ZB_SCHEMA_VERSION) ", \"benchmarks\": [%s]}", rows[i][0]);
		ASSERT_EQ(-EINVAL, load(text, err, sizeof(err)));
		ASSERT_CONTAINS(err, rows[i][1]);
	}
	/* null is an undefined statistic, not a wrong type */
	snprintf(text, sizeof(text), "{\"schema\": \"zapbench-result\", \"schema_version\": "
		 STR(ZB_SCHEMA_VERSION) ", \"benchmarks\": [{\"name\": \"p\", \"summary\": "
		 "{\"ci95_lo\": null, \"median\": 5, \"unit\": \"ns\"}}]}");
	ASSERT_EQ(0, load(text, err, sizeof(err)));
}

TEST(real_record_loads)
{
	const char *p = getenv("ZB_TEST_RECORD");
	struct zb_jval v;
	char err[256];

	if (!p)
		p = "datasets/reference/kvm-2vcpu.json";
	if (access(p, R_OK))
		SKIP(return, "no reference record at %s", p);
	if (zb_record_load(p, &v, err, sizeof(err)))
		ZBT_FAIL("%s", err);
	ASSERT_TRUE(zb_jobj_get(&v, "benchmarks")->n > 0);
	zb_jval_free(&v);
}

/* A record of one row @row, its context's timer floor 400 ns. */
static int load_row(const char *row, char *err, size_t errlen)
{
	char text[1024];

	snprintf(text, sizeof(text), "{\"schema\": \"zapbench-result\", \"schema_version\": "
		 STR(ZB_SCHEMA_VERSION) ", \"context\": {\"timer\": {\"floor_ns\": 400}}, "
		 "\"benchmarks\": [%s]}", row);
	return load(text, err, errlen);
}

/*
 * A latency row's median (and real_time/cpu_time, which mirror it) is above
 * zero: a -100 % "improvement" cannot be read in.  Its samples and min may
 * be below zero (timed region less the mean empty region: a TCG guest's
 * kmod_open read -720 ns against a 310 ns floor).  A difference may be
 * negative.  Each refusal names the point and field.
 */
TEST(latency_values_judged_difference_may_be_negative)
{
	static const char *const bad[][2] = {
		{ "{\"name\": \"p\", \"case\": \"open/close\", \"summary\": {\"median\": 0}}",
		  "p: summary.median is 0 ns: not a latency (its median is above zero)" },
		{ "{\"name\": \"p\", \"case\": \"open/close\", \"summary\": {\"median\": -5}}",
		  "p: summary.median is -5 ns" },
		{ "{\"name\": \"p\", \"case\": \"open/close\", \"summary\": {\"median\": 5}, "
		  "\"real_time\": -1}", "p: real_time is -1 ns" },
		/* the row's own field wins over the case's name */
		{ "{\"name\": \"q\", \"case\": \"kmod_barrier/cost\", \"value_kind\": "
		  "\"latency\", \"summary\": {\"median\": -0.5}}", "q: summary.median is -0.5" },
		{ "{\"name\": \"q\", \"case\": \"x/y\", \"value_kind\": \"speed\"}",
		  "q: value_kind is 'speed', not latency or difference" },
		{ "{\"name\": \"q\", \"case\": \"x/y\", \"self_timed\": 1}",
		  "q: self_timed is a number, not a boolean" },
	};
	static const char *const good[] = {
		/* noise of a fast latency: samples below the mean empty region */
		"{\"name\": \"p\", \"case\": \"open/close\", \"summary\": {\"median\": 5, "
		"\"min\": -720}, \"samples\": [-1000, 7]}",
		/* records before value_kind: kmod_barrier/cost is a difference by its name */
		"{\"name\": \"q\", \"case\": \"kmod_barrier/cost\", \"summary\": "
		"{\"median\": -7, \"min\": -5000}, \"real_time\": -7, \"samples\": [-9000]}",
		"{\"name\": \"q\", \"case\": \"x/y\", \"value_kind\": \"difference\", "
		"\"summary\": {\"median\": -7}}",
	};
	char err[256];
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-EINVAL, load_row(bad[i][0], err, sizeof(err)));
		ASSERT_CONTAINS(err, bad[i][1]);
	}
	for (i = 0; i < ZB_ARRAY_SIZE(good); i++)
		if (load_row(good[i], err, sizeof(err)))
			ZBT_FAIL("row %zu refused: %s", i, err);
}

/*
 * JSON has no NaN or infinity (jansson refuses 1e999), so a non-finite
 * value can reach zb_record_check() only from a tree built in memory:
 * refused there too, even in a difference row.
 */
TEST(non_finite_value_refused)
{
	static const char *const cases[] = { "open/close", "kmod_barrier/cost" };
	char text[512], err[256];
	struct zb_jval v, *med;
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(cases); i++) {
		snprintf(text, sizeof(text), "{\"schema\": \"zapbench-result\", "
			 "\"schema_version\": " STR(ZB_SCHEMA_VERSION) ", \"benchmarks\": "
			 "[{\"name\": \"p\", \"case\": \"%s\", \"summary\": {\"median\": 5}}]}",
			 cases[i]);
		ASSERT_EQ(0, zb_json_parse(text, strlen(text), &v, err, sizeof(err)));
		ASSERT_EQ(0, zb_record_check(&v, "mem", err, sizeof(err)));
		med = (struct zb_jval *)zb_jobj_get(zb_jobj_get(
			&zb_jobj_get(&v, "benchmarks")->items[0], "summary"), "median");
		med->num = i ? NAN : INFINITY;
		ASSERT_EQ(-EINVAL, zb_record_check(&v, "mem", err, sizeof(err)));
		ASSERT_CONTAINS(err, "mem: p: summary.median is ");
		ASSERT_CONTAINS(err, "not a finite number");
		zb_jval_free(&v);
	}
}

static int nr_records, nr_refused;

/* Says it is a record (traces and verdicts under datasets/ are not). */
static int is_record(const char *p)
{
	size_t len;
	char *buf;
	int yes;

	if (zb_read_file(p, &buf, &len))
		return 0;
	yes = strstr(buf, "\"zapbench-result\"") != NULL;
	free(buf);
	return yes;
}

static int load_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	struct zb_jval v;
	char err[512];
	const char *dot = strrchr(p, '.');

	(void)st;
	(void)ftw;
	if (flag != FTW_F || !dot || strcmp(dot, ".json") || !strcmp(p, "datasets/schema.json"))
		return 0;
	if (!is_record(p))
		return 0;
	nr_records++;
	if (zb_record_load(p, &v, err, sizeof(err))) {
		printf("# refused: %s\n", err);
		nr_refused++;
		return 0;
	}
	zb_jval_free(&v);
	return 0;
}

/*
 * Every record committed under datasets/ loads under today's checks: 22 MB
 * of JSON, a second here but far more under make sanitize on a busy machine.
 */
TEST_TIMEOUT(every_committed_record_loads, 300)
{
	nr_records = nr_refused = 0;
	if (access("datasets/reference", R_OK))
		SKIP(return, "no datasets/ here (run from the source tree)");
	ASSERT_EQ(0, nftw("datasets", load_one, 16, FTW_PHYS));
	printf("# %d records under datasets/\n", nr_records);
	ASSERT_TRUE(nr_records >= 50);	/* 60 on 2026-12-02: the walk found them */
	ASSERT_EQ(0, nr_refused);
}
