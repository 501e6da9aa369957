// SPDX-License-Identifier: GPL-2.0
/* Parameter lists, their checks and the sweep they span. */
#include <errno.h>

#include "core/params.h"
#include "zbtest.h"

static const struct zb_param maps = {
	"maps", ZB_PARAM_INT, "1,10", NULL, NULL, 1, 1000, "h"
};
static const struct zb_param pop = {
	"populate", ZB_PARAM_ENUM, "yes,no", "yes", "yes,no", 0, 0, "h"
};
static const struct zb_param cpus = {
	"cpus", ZB_PARAM_INT, "1,nproc", NULL, NULL, 1, 64, "h"
};

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

	ASSERT_EQ(3, zb_param_list(&maps, "1,10,100", out, 8, why, sizeof(why)));
	ASSERT_STREQ("100", out[2]);
	ASSERT_EQ(-EINVAL, zb_param_list(&maps, "1,,2", out, 8, why, sizeof(why)));
	ASSERT_EQ(-EINVAL, zb_param_list(&maps, "", out, 8, why, sizeof(why)));
	ASSERT_EQ(-E2BIG, zb_param_list(&maps, "1,2,3", out, 2, why, sizeof(why)));
	zb_nproc = 2;
	ASSERT_EQ(2, zb_param_list(&cpus, "1,2,nproc", out, 8, why, sizeof(why)));
	zb_nproc = 8;
	ASSERT_EQ(3, zb_param_list(&cpus, "1,2,nproc", out, 8, why, sizeof(why)));
	ASSERT_STREQ("8", out[2]);
	/* nproc means something only for cpus */
	ASSERT_EQ(-EINVAL, zb_param_list(&maps, "nproc", out, 8, why, sizeof(why)));
}

static const struct zb_param both[] = {
	{ "maps", ZB_PARAM_INT, "1,10,100", "1", NULL, 1, 1000, "h" },
	{ "populate", ZB_PARAM_ENUM, "yes,no", "yes", "yes,no", 0, 0, "h" },
	{ .name = NULL },
};

static const struct zb_case fake = { .name = "fam/case", .params = both };

TEST(sweep_order_names_and_overrides)
{
	struct zb_override ov[] = { { "maps", "5,7" } };
	struct zb_sweep s;
	struct zb_point pt;
	char why[128], name[128];

	ASSERT_EQ(0, zb_sweep_init(&s, &fake, NULL, 0, 0, why, sizeof(why)));
	ASSERT_EQ(6, zb_sweep_count(&s));
	zb_sweep_point(&s, 1, &pt);
	zb_point_name(&fake, &pt, name, sizeof(name));
	ASSERT_STREQ("fam/case/maps:1/populate:no", name);
	zb_sweep_point(&s, 5, &pt);
	ASSERT_STREQ("100", zb_point_get(&pt, "maps"));
	ASSERT_TRUE(zb_point_get(&pt, "nope") == NULL);
	/* --quick lists */
	ASSERT_EQ(0, zb_sweep_init(&s, &fake, NULL, 0, 1, why, sizeof(why)));
	ASSERT_EQ(1, zb_sweep_count(&s));
	/* a command-line list replaces the default */
	ASSERT_EQ(0, zb_sweep_init(&s, &fake, ov, 1, 1, why, sizeof(why)));
	ASSERT_EQ(2, zb_sweep_count(&s));
	zb_sweep_point(&s, 1, &pt);
	ASSERT_STREQ("7", zb_point_get(&pt, "maps"));
	ov[0].list = "5,0";
	ASSERT_EQ(-ERANGE, zb_sweep_init(&s, &fake, ov, 1, 1, why, sizeof(why)));
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
