/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run zapbench for a tiny configuration and look inside its record:
 * shared by the host's test_bench and the guest's test_kbench.
 */
#ifndef ZB_TEST_RECORDS_H
#define ZB_TEST_RECORDS_H

static char dir[256];
static int dir_made;
static char out[300];

static inline void run_record(struct zb_jval *v, char *const extra[])
{
	char *argv[32] = { "zapbench", "run", "--out", out, "--min-time", "0.02" };
	struct spawned s;
	int n = 6, i;

	if (!dir_made++)
		zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	for (i = 0; extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	spawn(&s, argv);
	if (s.status)
		ZBT_FAIL("zapbench exited %d: %s", s.status, s.err);
	load_record(out, v);
}

static inline const struct zb_jval *bench(const struct zb_jval *v, const char *name)
{
	const struct zb_jval *b = zb_jobj_get(v, "benchmarks");
	size_t i;

	for (i = 0; b && i < b->n; i++)
		if (!strcmp(zb_jobj_str(&b->items[i], "name"), name))
			return &b->items[i];
	ZBT_FAIL("no benchmark %s in the record", name);
}

static inline double note(const struct zb_jval *b, const char *key)
{
	return zb_jobj_num(zb_jobj_get(b, "notes"), key);
}

static inline double median(const struct zb_jval *b)
{
	return zb_jobj_num(zb_jobj_get(b, "summary"), "median");
}

#endif
