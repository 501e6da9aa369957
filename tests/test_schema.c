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
#include "guest_env.h"

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
		SKIP(_exit(ZBT_SKIP_CODE), "python3-jsonschema not installed (scripts/deps test)");
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
	ASSERT_EQ(0, validate(out));
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
	ASSERT_EQ(0, validate(files));
}

/*
 * Each of @edits (python on the record d, after @prelude) applied alone to
 * a copy of @src: every copy must fail to validate.  One python3 for all
 * the edits, one validator run for all the files.
 */
static void all_invalid(const char *src, const char *prelude, const char *const *edits,
			size_t nr)
{
	char cmd[4000] = "python3 -c \"import json\n", files[1000] = "";
	size_t i, n;

	for (i = 0; i < nr; i++) {
		n = strlen(cmd);
		snprintf(cmd + n, sizeof(cmd) - n,
			 "d = json.load(open('%s'))\n%s%s\n"
			 "json.dump(d, open('%s/broken%zu.json', 'w'))\n", src, prelude, edits[i],
			 dir, i);
		n = strlen(files);
		snprintf(files + n, sizeof(files) - n, " %s/broken%zu.json", dir, i);
	}
	strcat(cmd, "\"");
	ASSERT_EQ(0, sh(cmd));
	snprintf(cmd, sizeof(cmd), "python3 tests/validate_schema.py --all-invalid " SCHEMA "%s",
		 files);
	ASSERT_EQ(0, sh(cmd));
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
		"d['benchmarks'][0]['value_kind'] = 'speed'",
		"d['benchmarks'][0]['self_timed'] = 1",
		"d['benchmarks'][0]['ops_per_sample'] = 0",
	};

	zbt_mkdtemp(dir, sizeof(dir));
	ASSERT_EQ(0, validate("tests/fixtures/small-b.json"));
	all_invalid("tests/fixtures/small-b.json", "", edits, ZB_ARRAY_SIZE(edits));
}

/*
 * A record made in a scripts/vm guest (its environment as scripts/vm
 * writes it) carries the image's identity and the VM's shape, and
 * validates; each edit that breaks one of those fields does not.
 */
TEST(guest_record_kernel_identity_validates)
{
	static const char *const edits[] = {
		"s['kernel_image']['sha256'] = 'abc'",
		"s['kernel_build_id'] = 'XYZ'",
		"s['vm']['smp'] = 0",
		"s['vm']['accel'] = 'xen'",
		"del s['kernel_image']['kdir']",
	};
	char out[200];
	char *argv[] = { "zapbench", "run", "--out", out, "--min-time", "0.01",
			 "--filter", "^open/close/target:tmpfs/paths:same/cpus:1/mode:process$",
			 "--keep-samples", "5", NULL };
	struct spawned s;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/guest.json", dir);
	guest_env("0123456789abcdef", "vm: AMD EPYC 7B13, 2 CPUs, 24 GiB, KVM, clocksource tsc");
	spawn(&s, argv);
	if (s.status)
		ZBT_FAIL("zapbench run exited %d: %s", s.status, s.err);
	ASSERT_EQ(0, validate(out));
	all_invalid(out, "s = d['context']['system']\n", edits, ZB_ARRAY_SIZE(edits));
}
