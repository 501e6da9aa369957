// SPDX-License-Identifier: GPL-2.0
/*
 * datasets/schema.json describes what zapbench writes: a record made now
 * by the real binary validates, the fixtures and the reference records
 * do, and records that break the contract do not.  The validator is
 * python3-jsonschema (tests/validate_schema.py); without it, a skip.
 */
#include <glob.h>

#include "zbtest.h"
#include "spawn.h"
#include "cmd.h"

#define SCHEMA	"datasets/schema.json"

static char dir[128];

/* The validator's exit: 0 valid, 1 invalid; skips the test without it. */
static int validate(const char *files)
{
	char cmd[4096];
	int rc;

	snprintf(cmd, sizeof(cmd), "python3 tests/validate_schema.py " SCHEMA " %s", files);
	rc = sh(cmd);
	if (rc == ZBT_SKIP_CODE)
		SKIP("python3-jsonschema not installed (scripts/deps host)");
	return rc;
}

TEST(fresh_record_validates)
{
	char out[200];
	char *argv[] = { "zapbench", "run", "--out", out, "--min-time", "0.02",
			 "--filter", "^(revoke/ftruncate/maps:10/|"
			 "open/close/target:tmpfs/paths:same/cpus:1/mode:process|"
			 "fault/touch/kind:anon/cpus:1/)",
			 "--repetitions", "2", "--keep-samples", "20", NULL };
	struct spawned s;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	spawn(&s, argv);
	if (s.status)
		ZBT_FAIL("zapbench run exited %d: %s", s.status, s.err);
	ASSERT_EQ(validate(out), 0);
}

TEST(fixtures_and_reference_validate)
{
	char files[4000] = "tests/fixtures/*.json";
	glob_t g;
	size_t i;

	if (!glob("datasets/reference/*.json", 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc; i++)
			snprintf(files + strlen(files), sizeof(files) - strlen(files), " %s",
				 g.gl_pathv[i]);
		globfree(&g);
	}
	ASSERT_EQ(validate(files), 0);
}

/* Each edit of a valid record breaks one rule of the schema. */
TEST(broken_records_do_not_validate)
{
	static const char *const edits[] = {
		"d['schema_version'] = 2",
		"d['schema'] = 'google-benchmark'",
		"del d['context']['kernel']",
		"d['context']['date'] = 'yesterday'",
		"del d['benchmarks'][0]['summary']['median']",
		"d['benchmarks'][0]['summary']['count'] = 0",
		"d['benchmarks'][0]['params']['maps'] = [1]",
		"d['benchmarks'][0]['samples'] = ['fast']",
		"d['benchmarks'][0]['time_unit'] = 'us'",
		"d['benchmarks'][0]['mode'] = 'fiber'",
		"d['fits'][0]['points'] = 1",
		"d['skipped'].append({'name': 'x'})",
	};
	char cmd[3000] = "python3 -c \"import json\n", files[1000] = "";
	size_t i, n;

	zbt_mkdtemp(dir, sizeof(dir));
	ASSERT_EQ(validate("tests/fixtures/small-b.json"), 0);
	/* One python3 for all the edits, one validator run for all the files. */
	for (i = 0; i < ZB_ARRAY_SIZE(edits); i++) {
		n = strlen(cmd);
		snprintf(cmd + n, sizeof(cmd) - n,
			 "d = json.load(open('tests/fixtures/small-b.json'))\n%s\n"
			 "json.dump(d, open('%s/broken%zu.json', 'w'))\n", edits[i], dir, i);
		n = strlen(files);
		snprintf(files + n, sizeof(files) - n, " %s/broken%zu.json", dir, i);
	}
	strcat(cmd, "\"");
	ASSERT_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "python3 tests/validate_schema.py --all-invalid " SCHEMA "%s",
		 files);
	ASSERT_EQ(sh(cmd), 0);
}
