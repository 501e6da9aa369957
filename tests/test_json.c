// SPDX-License-Identifier: GPL-2.0
/* The JSON writer and reader: round trips, and corrupt input refused. */
#include <errno.h>
#include <jansson.h>
#include <math.h>

#include "core/params.h"
#include "record/json.h"
#include "record/json_dump.h"
#include "record/json_fast.h"
#include "record/record.h"
#include "registry.h"
#include "util.h"
#include "zbtest.h"

static int parse(const char *s, struct zb_jval *v, char *err)
{
	return zb_json_parse(s, strlen(s), v, err, 128);
}

TEST(round_trip_values)
{
	struct zb_json j;
	struct zb_jval v;
	char err[128];
	const struct zb_jval *a;

	zb_json_init(&j);
	zb_json_obj_begin(&j, NULL);
	zb_json_str(&j, "s", "quote\" back\\ nl\n tab\t ctl\x01 utf8 \xc2\xb5s");
	zb_json_num(&j, "tenth", 0.1);
	zb_json_num(&j, "big", 1e300);
	zb_json_num(&j, "nan", NAN);
	zb_json_int(&j, "i", -1234567890123LL);
	zb_json_bool(&j, "t", 1);
	zb_json_null(&j, "z");
	zb_json_arr_begin(&j, "arr");
	zb_json_num(&j, NULL, 1.0 / 3.0);
	zb_json_obj_begin(&j, NULL);
	zb_json_obj_end(&j);
	zb_json_arr_end(&j);
	zb_json_obj_end(&j);
	ASSERT_EQ(0, j.err);
	ASSERT_EQ(0, parse(j.buf, &v, err));
	ASSERT_STREQ("quote\" back\\ nl\n tab\t ctl\x01 utf8 \xc2\xb5s", zb_jobj_str(&v, "s"));
	ASSERT_TRUE(zb_jobj_num(&v, "tenth") == 0.1);
	ASSERT_TRUE(zb_jobj_num(&v, "big") == 1e300);
	ASSERT_EQ(ZB_JNULL, zb_jobj_get(&v, "nan")->type);
	ASSERT_TRUE(zb_jobj_num(&v, "i") == -1234567890123.0);
	ASSERT_EQ(ZB_JBOOL, zb_jobj_get(&v, "t")->type);
	ASSERT_EQ(ZB_JNULL, zb_jobj_get(&v, "z")->type);
	a = zb_jobj_get(&v, "arr");
	ASSERT_EQ(ZB_JARR, a->type);
	ASSERT_EQ(2, a->n);
	ASSERT_TRUE(a->items[0].num == 1.0 / 3.0);
	ASSERT_EQ(ZB_JOBJ, a->items[1].type);
	ASSERT_EQ(0, a->items[1].n);
	zb_jval_free(&v);
	zb_json_free(&j);
}

TEST(reader_unicode_escapes)
{
	struct zb_jval v;
	char err[128];

	ASSERT_EQ(0, parse("[\"\\u00b5\\ud83d\\ude00\\/\"]", &v, err));
	ASSERT_STREQ("\xc2\xb5\xf0\x9f\x98\x80/", v.items[0].str);
	zb_jval_free(&v);
}

TEST(reader_rejects_corrupt_input_with_line)
{
	static const char *const bad[] = {
		"", "{", "{\"a\": 1,}", "{\"a\" 1}", "[1 2]", "[01]", "[1.]x",
		"\"unterminated", "{\"a\": tru}", "[\"\\x\"]", "[\"\\ud800\"]",
		"{} trailing", "{\"a\":\n\n  nul}", "[\"tab\there\"]",
	};
	struct zb_jval v;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &v, err) != -EINVAL)
			ZBT_FAIL("accepted corrupt input %zu: %s", i, bad[i]);
		ASSERT_CONTAINS(err, "line ");
	}
	ASSERT_EQ(-EINVAL, parse("{\"a\":\n\n  nul}", &v, err));
	ASSERT_CONTAINS(err, "line 3");
}

/* What a lenient reader takes and RFC 8259 does not. */
TEST(reader_is_strict)
{
	static const char *const bad[] = {
		"[0x10]", "[1.]", "[.5]", "[+1]", "[1e]", "[NaN]", "[Infinity]",
		"{\"a\": 1, \"a\": 2}",	/* which one was meant? */
		"[\"a\\u0000b\"]",		/* a C string would stop at the NUL */
		"[\"\xff\"]", "[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]",	/* not UTF-8 */
		"[1] [2]", "['a']", "[1,]",
	};
	struct zb_jval v;
	char err[128];
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(bad); i++) {
		if (parse(bad[i], &v, err) != -EINVAL)
			ZBT_FAIL("accepted %zu: %s", i, bad[i]);
		ASSERT_CONTAINS(err, ", column ");
	}
	ASSERT_EQ(-EINVAL, parse("{\"a\": 1,\n \"a\": 2}", &v, err));
	ASSERT_CONTAINS(err, "line 2");
	ASSERT_CONTAINS(err, "duplicate");
}

/* Integers keep all 64 bits; the canonical dump writes them back as read. */
TEST(integers_keep_64_bits)
{
	struct zb_json j;
	struct zb_jval v;
	char err[128];

	ASSERT_EQ(0, parse("[9223372036854775807, -9007199254740993, 2.5]", &v, err));
	ASSERT_TRUE(v.items[0].is_int);
	ASSERT_TRUE(v.items[0].inum == 9223372036854775807LL);
	ASSERT_TRUE(v.items[1].inum == -9007199254740993LL);
	ASSERT_FALSE(v.items[2].is_int);
	zb_json_init(&j);
	zb_json_val(&j, NULL, &v);
	ASSERT_CONTAINS(j.buf, "9223372036854775807");
	ASSERT_CONTAINS(j.buf, "-9007199254740993");
	zb_json_free(&j);
	zb_jval_free(&v);
	/* beyond 64 bits is an error, not a rounded number */
	ASSERT_EQ(-EINVAL, parse("[92233720368547758070]", &v, err));
}

/* A string that is not UTF-8 is written as valid JSON that reads back. */
TEST(writer_replaces_bytes_that_are_not_utf8)
{
	struct zb_json j;
	struct zb_jval v;
	char err[128];

	zb_json_init(&j);
	zb_json_arr_begin(&j, NULL);
	zb_json_str(&j, NULL, "/tmp/\xff.json");
	zb_json_str(&j, NULL, "\xc2\xb5s \xf0\x9f\x98\x80 \xed\xa0\x80");
	zb_json_arr_end(&j);
	ASSERT_EQ(0, j.err);
	ASSERT_EQ(0, zb_json_parse(j.buf, j.len, &v, err, sizeof(err)));
	ASSERT_STREQ("/tmp/\xef\xbf\xbd.json", v.items[0].str);
	/* valid sequences pass as they are; a surrogate's three bytes do not */
	ASSERT_STREQ("\xc2\xb5s \xf0\x9f\x98\x80 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		     v.items[1].str);
	zb_jval_free(&v);
	zb_json_free(&j);
}

TEST(reader_depth_limit)
{
	char deep[201];
	struct zb_jval v;
	char err[128];

	/* well formed, 100 deep: refused for its depth alone */
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	deep[200] = '\0';
	ASSERT_EQ(-EINVAL, parse(deep, &v, err));
	ASSERT_CONTAINS(err, "nested too deeply");
}

static const struct zb_case *find_case(const char *name)
{
	const struct zb_case *const *c;

	for (c = zb_all_cases(); *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

/* A whole record, written the way `zapbench run` writes it, read back. */
TEST(record_round_trip)
{
	const struct zb_case *c = find_case("revoke/ftruncate");
	double samples[] = { 5, 1, 4, 2, 3, 6, 7 };
	struct zb_results rs = { 0 };
	struct zb_options o = { 0 };
	struct zb_context ctx;
	struct zb_result r = { 0 };
	struct zb_jval v;
	struct zb_json j;
	const struct zb_jval *b, *s;
	char err[128], *argv[] = { "zapbench", "run" };

	ASSERT_TRUE(c);
	o.repetitions = 1;
	zb_context_read(&ctx);
	r.c = c;
	r.point.nr = 2;
	r.point.name[0] = "maps";
	strcpy(r.point.value[0], "10");
	r.point.name[1] = "populate";
	strcpy(r.point.value[1], "yes");
	zb_point_name(c, &r.point, r.name, sizeof(r.name));
	r.status = ZB_OK;
	r.nr_workers = r.nr_timed = 1;
	r.cpu = calloc(1, sizeof(*r.cpu));	/* worker 0 on CPU 0; the results own it */
	r.kept = malloc(sizeof(samples));
	memcpy(r.kept, samples, sizeof(samples));
	r.nr_kept = r.total = 7;
	zb_summarize(samples, 7, &r.sum);
	ASSERT_EQ(0, zb_results_add(&rs, &r));
	zb_json_init(&j);
	zb_record_json(&j, &rs, &ctx, &o, 2, argv);
	ASSERT_EQ(0, j.err);
	ASSERT_EQ(0, zb_json_parse(j.buf, j.len, &v, err, sizeof(err)));
	ASSERT_STREQ("zapbench-result", zb_jobj_str(&v, "schema"));
	ASSERT_TRUE(zb_jobj_num(&v, "schema_version") == 1);
	ASSERT_STREQ(zb_jobj_str(zb_jobj_get(&v, "context"), "host_name"), ctx.host);
	ASSERT_STREQ(zb_jobj_str(zb_jobj_get(&v, "context"), "kernel"), ctx.kernel);
	b = &zb_jobj_get(&v, "benchmarks")->items[0];
	ASSERT_STREQ("revoke/ftruncate/maps:10/populate:yes", zb_jobj_str(b, "name"));
	ASSERT_STREQ("iteration", zb_jobj_str(b, "run_type"));
	ASSERT_STREQ("ns", zb_jobj_str(b, "time_unit"));
	ASSERT_TRUE(zb_jobj_num(b, "real_time") == 4);
	ASSERT_TRUE(zb_jobj_num(zb_jobj_get(b, "params"), "maps") == 10);
	ASSERT_STREQ("yes", zb_jobj_str(zb_jobj_get(b, "params"), "populate"));
	s = zb_jobj_get(b, "summary");
	ASSERT_TRUE(zb_jobj_num(s, "median") == 4);
	ASSERT_TRUE(zb_jobj_num(s, "ci95_lo") == 1 && zb_jobj_num(s, "ci95_hi") == 7);
	ASSERT_EQ(7, zb_jobj_get(b, "samples")->n);
	ASSERT_TRUE(zb_jobj_get(b, "samples")->items[0].num == 5);
	zb_jval_free(&v);
	zb_json_free(&j);
	zb_results_free(&rs);
}

/* A document's canonical form (json_dump), or "-EAGAIN" when the fast path leaves it to jansson. */
static void fast_dump(const char *s, char *buf, size_t len)
{
	struct zb_jval v;
	struct zb_json j;
	int ret = zb_json_parse_fast(s, strlen(s), 0, &v);

	if (ret) {
		snprintf(buf, len, "%s", ret == -EAGAIN ? "-EAGAIN" : "error");
		return;
	}
	zb_json_init(&j);
	zb_json_val(&j, NULL, &v);
	snprintf(buf, len, "%s", j.buf);
	zb_json_free(&j);
	zb_jval_free(&v);
}

/* The fast path reads what jansson reads, as jansson reads it: the same canonical dump. */
TEST(fast_reader_agrees_with_jansson)
{
	static const char *const docs[] = {
		"{\"a\": [1, -0, 2.5e-3, 1E+2, -7.25, 9223372036854775807], \"b\": {}}",
		"[\"\\u00b5\\ud83d\\ude00\\/\\\"\\\\\\b\\f\\n\\r\\t\", true, false, null, []]",
		" \n\t{\"k\": \"\xc2\xb5s\", \"l\": [[[{}]]]}\r\n",
		"{\"x\": 1, \"y\": {\"x\": 2}, \"z\": [{\"x\": 3, \"y\": 4}, {\"x\": 3, \"y\": 4}]}",
	};
	char fast[512], slow[512];
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct zb_jval v;
		struct zb_json j;
		json_t *root = json_loads(docs[i], JSON_REJECT_DUPLICATES, NULL);
		char *s;

		ASSERT_TRUE(root != NULL);
		fast_dump(docs[i], fast, sizeof(fast));
		/* jansson's reading of it, written out by jansson (compact) and read back */
		s = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(root);
		ASSERT_EQ(0, zb_json_parse(s, strlen(s), &v, NULL, 0));
		free(s);
		zb_json_init(&j);
		zb_json_val(&j, NULL, &v);
		snprintf(slow, sizeof(slow), "%s", j.buf);
		zb_json_free(&j);
		zb_jval_free(&v);
		ASSERT_STREQ(slow, fast);
	}
}

/* What jansson refuses the fast path leaves to it, so the error is jansson's. */
TEST(fast_reader_leaves_errors_to_jansson)
{
	static const char *const docs[] = {
		"{\"a\": 1, \"a\": 2}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[\"\\u0000\"]",
		"[\"\\ud800\"]", "[\"\\x\"]", "[\"a\x01\"]", "[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]",
		"[99999999999999999999]", "[1e999]", "[tru]", "[1,]", "{\"a\" 1}", "[1] x", "5",
		"\"s\"", "{\"a\":1", "[nul]",
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		fast_dump(docs[i], buf, sizeof(buf));
		if (strcmp(buf, "-EAGAIN"))
			ZBT_FAIL("fast path took %s: %s", docs[i], buf);
	}
}
