// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the kernel cases' helpers (bench/kmod_dev.c,
 * bench/revoke_maps.c): the PAT memtype list as the guest's debugfs
 * prints it, the variant names in the ABI's order, and a map set of no
 * mappings at all (devmem_revoke maps=0).  No module needed.
 */
#include <sys/mman.h>

#include "core/params.h"
#include "zbtest.h"
#include "kmod_dev.h"
#include "revoke_maps.h"

TEST(pat_count_takes_exact_ranges_only)
{
	char list[] =
		"PAT: [mem 0x00000000000a0000-0x00000000000c0000] uncached-minus\n"
		"PAT: [mem 0x0000000010400000-0x0000000010401000] write-back\n"
		"PAT: [mem 0x0000000010400000-0x0000000010401000] write-back\n"
		"PAT: [mem 0x0000000010400000-0x0000000010800000] write-back\n"
		"PAT: [mem 0x0000000010401000-0x0000000010402000] write-back\n"
		"garbage 0x10400000-0x10401000\n";

	ASSERT_EQ(2, zb_pat_count(list, 0x10400000, 0x10401000));
}

TEST(pat_count_of_an_empty_list_is_zero)
{
	char list[] = "";

	ASSERT_EQ(0, zb_pat_count(list, 0x10400000, 0x10401000));
}

TEST(variant_names_follow_the_abi)
{
	ASSERT_EQ(ZAPTEST_V3, zb_choice_index(ZB_KMOD_VARIANTS, "v3"));
	ASSERT_EQ(ZAPTEST_ONCE, zb_choice_index(ZB_KMOD_VARIANTS, "once"));
	ASSERT_EQ(ZAPTEST_ACQREL, zb_choice_index(ZB_KMOD_VARIANTS, "acqrel"));
	ASSERT_EQ(ZAPTEST_RCU, zb_choice_index(ZB_KMOD_VARIANTS, "rcu"));
	ASSERT_EQ(ZAPTEST_RELDEREF, zb_choice_index(ZB_KMOD_VARIANTS, "relderef"));
	ASSERT_EQ(ZAPTEST_PLAIN, zb_choice_index(ZB_KMOD_VARIANTS, "plain"));
	ASSERT_EQ(ZAPTEST_REORDER, zb_choice_index(ZB_KMOD_VARIANTS, "reorder"));
	ASSERT_EQ(-1, zb_choice_index(ZB_KMOD_VARIANTS, "acq_rel"));
	ASSERT_STREQ("v3,once,acqrel,rcu,relderef,plain,reorder", ZB_KMOD_VARIANTS);
	/* the sound ones are the same indices, without the broken controls */
	ASSERT_STREQ("v3,once,acqrel,rcu,relderef", ZB_KMOD_SOUND_VARIANTS);
	ASSERT_EQ(ZAPTEST_RELDEREF, zb_choice_index(ZB_KMOD_SOUND_VARIANTS, "relderef"));
	ASSERT_EQ(-1, zb_choice_index(ZB_KMOD_SOUND_VARIANTS, "plain"));
}

TEST(map_set_of_no_mappings)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = memfd_create("zb-none", 0);
	struct map_set m;

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, ftruncate(fd, page));
	memset(&m, 0xa5, sizeof(m));
	ASSERT_EQ(0, map_set_create(&m, fd, 0, 0, page, NULL));
	ASSERT_EQ(0, m.n);
	ASSERT_EQ(0, count_file_vmas("zb-none"));
	ASSERT_EQ(0, map_set_probe(&m));
	map_set_destroy(&m, page);
	ASSERT_TRUE(m.base == NULL && m.addr == NULL);
}
