// SPDX-License-Identifier: GPL-2.0
/*
 * zb_record_load(): a record of this schema loads; everything else is
 * refused with one line that names the file and the reason.
 */
#include <errno.h>
#include <fcntl.h>

#include "record/record_load.h"
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
