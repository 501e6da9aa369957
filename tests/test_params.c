// SPDX-License-Identifier: GPL-2.0
/* Parameter lists, their checks and the sweep they span. */
#include <errno.h>

#include "core/params.h"
#include "zbtest.h"

static const struct zb_param maps = ZB_INT_PARAM("maps", 1, 1000, "1,10", "h");
static const struct zb_param pop = ZB_ENUM_PARAM("populate", "yes,no", "h", .quick_def = "yes");
static const struct zb_param cpus = ZB_CPUS_PARAM(.def = "1,nproc");

TEST(check_int_and_enum)
{
	char why[128];

	ASSERT_EQ(0, zb_param_check(&maps, "1000", why, sizeof(why)));
	ASSERT_EQ(-ERANGE, zb_param_check(&maps, "0", why, sizeof(why)));
	ASSERT_CONTAINS(why, "out of range 1..1000");
	ASSERT_EQ(-EINVAL, zb_param_check(&maps, "12abc", why, sizeof(why)));
	ASSERT_CONTAINS(why, "not a whole number");
	ASSERT_EQ(-EINVAL, zb_param_check(&maps, "99999999999999999999", why, sizeof(why)));
	ASSERT_EQ(0, zb_param_check(&pop, "no", why, sizeof(why)));
	ASSERT_EQ(-EINVAL, zb_param_check(&pop, "ye", why, sizeof(why)));
	ASSERT_CONTAINS(why, "not one of yes,no");
}

TEST(list_split_dedupe_and_nproc)
{
	char out[8][32], why[128];

	ASSERT_EQ(3, zb_param_list(&maps, "1,10,100", 4, out, 8, why, sizeof(why)));
	ASSERT_STREQ("100", out[2]);
	ASSERT_EQ(-EINVAL, zb_param_list(&maps, "1,,2", 4, out, 8, why, sizeof(why)));
	ASSERT_EQ(-EINVAL, zb_param_list(&maps, "", 4, out, 8, why, sizeof(why)));
	ASSERT_EQ(-E2BIG, zb_param_list(&maps, "1,2,3", 4, out, 2, why, sizeof(why)));
	ASSERT_EQ(2, zb_param_list(&cpus, "1,2,nproc", 2, out, 8, why, sizeof(why)));
	ASSERT_EQ(3, zb_param_list(&cpus, "1,2,nproc", 8, out, 8, why, sizeof(why)));
	ASSERT_STREQ("8", out[2]);
	/* nproc means something only for cpus */
	ASSERT_EQ(-EINVAL, zb_param_list(&maps, "nproc", 8, out, 8, why, sizeof(why)));
}

static const struct zb_param both[] = {
	ZB_INT_PARAM("maps", 1, 1000, "1,10,100", "h", .quick_def = "1"),
	ZB_ENUM_PARAM("populate", "yes,no", "h", .quick_def = "yes"),
	{ .name = NULL },
};

static const struct zb_case fake = { .name = "fam/case", .params = both };

TEST(sweep_order_names_and_overrides)
{
	struct zb_override ov[] = { { "maps", "5,7" } };
	struct zb_sweep s;
	struct zb_point pt;
	char why[128], name[128];

	ASSERT_EQ(0, zb_sweep_init(&s, &fake, NULL, 0, 0, 1, why, sizeof(why)));
	ASSERT_EQ(6, zb_sweep_count(&s));
	zb_sweep_point(&s, 1, &pt);
	zb_point_name(&fake, &pt, name, sizeof(name));
	ASSERT_STREQ("fam/case/maps:1/populate:no", name);
	zb_sweep_point(&s, 5, &pt);
	ASSERT_STREQ("100", zb_point_get(&pt, "maps"));
	ASSERT_TRUE(zb_point_get(&pt, "nope") == NULL);
	/* --quick lists */
	ASSERT_EQ(0, zb_sweep_init(&s, &fake, NULL, 0, 1, 1, why, sizeof(why)));
	ASSERT_EQ(1, zb_sweep_count(&s));
	/* a command-line list replaces the default */
	ASSERT_EQ(0, zb_sweep_init(&s, &fake, ov, 1, 1, 1, why, sizeof(why)));
	ASSERT_EQ(2, zb_sweep_count(&s));
	zb_sweep_point(&s, 1, &pt);
	ASSERT_STREQ("7", zb_point_get(&pt, "maps"));
	ov[0].list = "5,0";
	ASSERT_EQ(-ERANGE, zb_sweep_init(&s, &fake, ov, 1, 1, 1, why, sizeof(why)));
	ASSERT_CONTAINS(why, "--maps: 0 is out of range");
}

TEST(point_parse_inverts_point_name)
{
	const struct zb_case *all[] = { &fake, NULL }, *c;
	struct zb_point pt;
	char why[128], name[128];

	ASSERT_EQ(0, zb_point_parse(all, "fam/case/maps:7/populate:no", &c, &pt, why,
				    sizeof(why)));
	ASSERT_TRUE(c == &fake);
	zb_point_name(c, &pt, name, sizeof(name));
	ASSERT_STREQ("fam/case/maps:7/populate:no", name);
	ASSERT_EQ(-ENOENT, zb_point_parse(all, "fam/other/maps:7", &c, &pt, why, sizeof(why)));
	ASSERT_EQ(-EINVAL, zb_point_parse(all, "fam/case/populate:no/maps:7", &c, &pt, why,
					  sizeof(why)));
	ASSERT_EQ(-EINVAL, zb_point_parse(all, "fam/case/maps:0/populate:no", &c, &pt, why,
					  sizeof(why)));
	ASSERT_CONTAINS(why, "out of range");
	ASSERT_EQ(-EINVAL, zb_point_parse(all, "fam/case/maps:7/populate:no/x:1", &c, &pt, why,
					  sizeof(why)));
}

TEST(enum_defaults_to_every_choice_in_order)
{
	static const struct zb_param trig = ZB_ENUM_PARAM("trigger", "ftruncate,punch,madvise", "h",
							  .quick_def = "punch");

	ASSERT_STREQ("ftruncate,punch,madvise", zb_param_default(&trig, 0));
	ASSERT_STREQ("punch", zb_param_default(&trig, 1));
	ASSERT_STREQ("1,10", zb_param_default(&maps, 1));
	ASSERT_EQ(0, zb_choice_index(trig.choices, "ftruncate"));
	ASSERT_EQ(2, zb_choice_index(trig.choices, "madvise"));
	ASSERT_EQ(-1, zb_choice_index(trig.choices, "punc"));
	ASSERT_EQ(-1, zb_choice_index(trig.choices, "madvise,"));
}

TEST(cpus_and_mode_default_to_the_harness_sweep)
{
	static const struct zb_param c = ZB_CPUS_PARAM(), m = ZB_MODE_PARAM();
	static const struct zb_param only = ZB_MODE_PARAM(.choices = "thread");
	char why[128];

	ASSERT_STREQ("1,2,nproc", zb_param_default(&c, 0));
	ASSERT_STREQ("1,nproc", zb_param_default(&c, 1));
	ASSERT_STREQ("1,nproc", zb_param_default(&cpus, 1));
	ASSERT_STREQ("process,thread", zb_param_default(&m, 1));
	ASSERT_STREQ("thread", zb_param_choices(&only));
	ASSERT_EQ(-EINVAL, zb_param_check(&only, "process", why, sizeof(why)));
	ASSERT_CONTAINS(why, "--mode: 'process' is not one of thread");
	ASSERT_STREQ("workers are processes or threads (one mm)", zb_param_help(NULL, &m));
}

TEST(cpus_range_is_the_harness_unless_the_case_is_smaller)
{
	static const struct zb_param four = ZB_CPUS_PARAM(.max = 4);
	char why[128];

	ASSERT_EQ(-ERANGE, zb_param_check(&cpus, "0", why, sizeof(why)));
	ASSERT_EQ(0, zb_param_check(&cpus, "8192", why, sizeof(why)));
	ASSERT_EQ(-ERANGE, zb_param_check(&cpus, "8193", why, sizeof(why)));
	ASSERT_CONTAINS(why, "--cpus: 8193 is out of range 1..8192");
	ASSERT_EQ(-ERANGE, zb_param_check(&four, "5", why, sizeof(why)));
}

/* The harness reads its own parameters by kind: a case's "cpus" is the case's. */
TEST(workers_come_from_the_harness_parameters_only)
{
	static const struct zb_param own[] = {
		ZB_INT_PARAM("cpus", 1, 64, "2", "kthreads, say"),
		ZB_ENUM_PARAM("mode", "process,thread", "h", .def = "thread"),
		{ .name = NULL },
	};
	static const struct zb_param harness[] = {
		ZB_MODE_PARAM(),
		ZB_CPUS_PARAM(.def = "3"),
		{ .name = NULL },
	};
	static const struct zb_case c_own = { .name = "t/own", .params = own };
	static const struct zb_case c_harness = { .name = "t/harness", .params = harness };
	struct zb_sweep s;
	struct zb_point pt;
	enum zb_mode mode;
	char why[128];
	int nr;

	ASSERT_EQ(0, zb_sweep_init(&s, &c_own, NULL, 0, 0, 8, why, sizeof(why)));
	zb_sweep_point(&s, 0, &pt);
	zb_point_workers(&c_own, &pt, &nr, &mode);
	ASSERT_EQ(1, nr);
	ASSERT_EQ(ZB_MODE_PROCESS, mode);
	ASSERT_EQ(0, zb_sweep_init(&s, &c_harness, NULL, 0, 0, 8, why, sizeof(why)));
	ASSERT_EQ(2, zb_sweep_count(&s));
	zb_sweep_point(&s, 1, &pt);
	zb_point_workers(&c_harness, &pt, &nr, &mode);
	ASSERT_EQ(3, nr);
	ASSERT_EQ(ZB_MODE_THREAD, mode);
}
