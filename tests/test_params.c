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

	ASSERT_EQ(zb_param_check(&maps, "1000", why, sizeof(why)), 0);
	ASSERT_EQ(zb_param_check(&maps, "0", why, sizeof(why)), -ERANGE);
	ASSERT_CONTAINS(why, "out of range 1..1000");
	ASSERT_EQ(zb_param_check(&maps, "12abc", why, sizeof(why)), -EINVAL);
	ASSERT_CONTAINS(why, "not a whole number");
	ASSERT_EQ(zb_param_check(&maps, "99999999999999999999", why, sizeof(why)), -EINVAL);
	ASSERT_EQ(zb_param_check(&pop, "no", why, sizeof(why)), 0);
	ASSERT_EQ(zb_param_check(&pop, "ye", why, sizeof(why)), -EINVAL);
	ASSERT_CONTAINS(why, "not one of yes,no");
}

TEST(list_split_dedupe_and_nproc)
{
	char out[8][32], why[128];

	ASSERT_EQ(zb_param_list(&maps, "1,10,100", 4, out, 8, why, sizeof(why)), 3);
	ASSERT_STR_EQ(out[2], "100");
	ASSERT_EQ(zb_param_list(&maps, "1,,2", 4, out, 8, why, sizeof(why)), -EINVAL);
	ASSERT_EQ(zb_param_list(&maps, "", 4, out, 8, why, sizeof(why)), -EINVAL);
	ASSERT_EQ(zb_param_list(&maps, "1,2,3", 4, out, 2, why, sizeof(why)), -E2BIG);
	ASSERT_EQ(zb_param_list(&cpus, "1,2,nproc", 2, out, 8, why, sizeof(why)), 2);
	ASSERT_EQ(zb_param_list(&cpus, "1,2,nproc", 8, out, 8, why, sizeof(why)), 3);
	ASSERT_STR_EQ(out[2], "8");
	/* nproc means something only for cpus */
	ASSERT_EQ(zb_param_list(&maps, "nproc", 8, out, 8, why, sizeof(why)), -EINVAL);
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

	ASSERT_EQ(zb_sweep_init(&s, &fake, NULL, 0, 0, 1, why, sizeof(why)), 0);
	ASSERT_EQ(zb_sweep_count(&s), 6);
	zb_sweep_point(&s, 1, &pt);
	zb_point_name(&fake, &pt, name, sizeof(name));
	ASSERT_STR_EQ(name, "fam/case/maps:1/populate:no");
	zb_sweep_point(&s, 5, &pt);
	ASSERT_STR_EQ(zb_point_get(&pt, "maps"), "100");
	ASSERT_TRUE(zb_point_get(&pt, "nope") == NULL);
	/* --quick lists */
	ASSERT_EQ(zb_sweep_init(&s, &fake, NULL, 0, 1, 1, why, sizeof(why)), 0);
	ASSERT_EQ(zb_sweep_count(&s), 1);
	/* a command-line list replaces the default */
	ASSERT_EQ(zb_sweep_init(&s, &fake, ov, 1, 1, 1, why, sizeof(why)), 0);
	ASSERT_EQ(zb_sweep_count(&s), 2);
	zb_sweep_point(&s, 1, &pt);
	ASSERT_STR_EQ(zb_point_get(&pt, "maps"), "7");
	ov[0].list = "5,0";
	ASSERT_EQ(zb_sweep_init(&s, &fake, ov, 1, 1, 1, why, sizeof(why)), -ERANGE);
	ASSERT_CONTAINS(why, "--maps: 0 is out of range");
}

TEST(point_parse_inverts_point_name)
{
	const struct zb_case *all[] = { &fake, NULL }, *c;
	struct zb_point pt;
	char why[128], name[128];

	ASSERT_EQ(zb_point_parse(all, "fam/case/maps:7/populate:no", &c, &pt, why,
				 sizeof(why)), 0);
	ASSERT_TRUE(c == &fake);
	zb_point_name(c, &pt, name, sizeof(name));
	ASSERT_STR_EQ(name, "fam/case/maps:7/populate:no");
	ASSERT_EQ(zb_point_parse(all, "fam/other/maps:7", &c, &pt, why, sizeof(why)), -ENOENT);
	ASSERT_EQ(zb_point_parse(all, "fam/case/populate:no/maps:7", &c, &pt, why,
				 sizeof(why)), -EINVAL);
	ASSERT_EQ(zb_point_parse(all, "fam/case/maps:0/populate:no", &c, &pt, why,
				 sizeof(why)), -EINVAL);
	ASSERT_CONTAINS(why, "out of range");
	ASSERT_EQ(zb_point_parse(all, "fam/case/maps:7/populate:no/x:1", &c, &pt, why,
				 sizeof(why)), -EINVAL);
}

TEST(enum_defaults_to_every_choice_in_order)
{
	static const struct zb_param trig = ZB_ENUM_PARAM("trigger", "ftruncate,punch,madvise", "h",
							  .quick_def = "punch");

	ASSERT_STR_EQ(zb_param_default(&trig, 0), "ftruncate,punch,madvise");
	ASSERT_STR_EQ(zb_param_default(&trig, 1), "punch");
	ASSERT_STR_EQ(zb_param_default(&maps, 1), "1,10");
	ASSERT_EQ(zb_choice_index(trig.choices, "ftruncate"), 0);
	ASSERT_EQ(zb_choice_index(trig.choices, "madvise"), 2);
	ASSERT_EQ(zb_choice_index(trig.choices, "punc"), -1);
	ASSERT_EQ(zb_choice_index(trig.choices, "madvise,"), -1);
}

TEST(cpus_and_mode_default_to_the_harness_sweep)
{
	static const struct zb_param c = ZB_CPUS_PARAM(), m = ZB_MODE_PARAM();
	static const struct zb_param only = ZB_MODE_PARAM(.choices = "thread");
	char why[128];

	ASSERT_STR_EQ(zb_param_default(&c, 0), "1,2,nproc");
	ASSERT_STR_EQ(zb_param_default(&c, 1), "1,nproc");
	ASSERT_STR_EQ(zb_param_default(&cpus, 1), "1,nproc");
	ASSERT_STR_EQ(zb_param_default(&m, 1), "process,thread");
	ASSERT_STR_EQ(zb_param_choices(&only), "thread");
	ASSERT_EQ(zb_param_check(&only, "process", why, sizeof(why)), -EINVAL);
	ASSERT_CONTAINS(why, "--mode: 'process' is not one of thread");
	ASSERT_STR_EQ(zb_param_help(NULL, &m), "workers are processes or threads (one mm)");
}

TEST(cpus_range_is_the_harness_unless_the_case_is_smaller)
{
	static const struct zb_param four = ZB_CPUS_PARAM(.max = 4);
	char why[128];

	ASSERT_EQ(zb_param_check(&cpus, "0", why, sizeof(why)), -ERANGE);
	ASSERT_EQ(zb_param_check(&cpus, "64", why, sizeof(why)), 0);
	ASSERT_EQ(zb_param_check(&cpus, "65", why, sizeof(why)), -ERANGE);
	ASSERT_CONTAINS(why, "--cpus: 65 is out of range 1..64");
	ASSERT_EQ(zb_param_check(&four, "5", why, sizeof(why)), -ERANGE);
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

	ASSERT_EQ(zb_sweep_init(&s, &c_own, NULL, 0, 0, 8, why, sizeof(why)), 0);
	zb_sweep_point(&s, 0, &pt);
	zb_point_workers(&c_own, &pt, &nr, &mode);
	ASSERT_EQ(nr, 1);
	ASSERT_EQ(mode, ZB_MODE_PROCESS);
	ASSERT_EQ(zb_sweep_init(&s, &c_harness, NULL, 0, 0, 8, why, sizeof(why)), 0);
	ASSERT_EQ(zb_sweep_count(&s), 2);
	zb_sweep_point(&s, 1, &pt);
	zb_point_workers(&c_harness, &pt, &nr, &mode);
	ASSERT_EQ(nr, 3);
	ASSERT_EQ(mode, ZB_MODE_THREAD);
}
