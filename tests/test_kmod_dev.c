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

	ASSERT_EQ(zb_pat_count(list, 0x10400000, 0x10401000), 2);
}

TEST(pat_count_of_an_empty_list_is_zero)
{
	char list[] = "";

	ASSERT_EQ(zb_pat_count(list, 0x10400000, 0x10401000), 0);
}

TEST(variant_names_follow_the_abi)
{
	ASSERT_EQ(zb_choice_index(ZB_KMOD_VARIANTS, "v3"), ZAPTEST_V3);
	ASSERT_EQ(zb_choice_index(ZB_KMOD_VARIANTS, "once"), ZAPTEST_ONCE);
	ASSERT_EQ(zb_choice_index(ZB_KMOD_VARIANTS, "acqrel"), ZAPTEST_ACQREL);
	ASSERT_EQ(zb_choice_index(ZB_KMOD_VARIANTS, "rcu"), ZAPTEST_RCU);
	ASSERT_EQ(zb_choice_index(ZB_KMOD_VARIANTS, "relderef"), ZAPTEST_RELDEREF);
	ASSERT_EQ(zb_choice_index(ZB_KMOD_VARIANTS, "plain"), ZAPTEST_PLAIN);
	ASSERT_EQ(zb_choice_index(ZB_KMOD_VARIANTS, "reorder"), ZAPTEST_REORDER);
	ASSERT_EQ(zb_choice_index(ZB_KMOD_VARIANTS, "acq_rel"), -1);
	ASSERT_STR_EQ(ZB_KMOD_VARIANTS, "v3,once,acqrel,rcu,relderef,plain,reorder");
	/* the sound ones are the same indices, without the broken controls */
	ASSERT_STR_EQ(ZB_KMOD_SOUND_VARIANTS, "v3,once,acqrel,rcu,relderef");
	ASSERT_EQ(zb_choice_index(ZB_KMOD_SOUND_VARIANTS, "relderef"), ZAPTEST_RELDEREF);
	ASSERT_EQ(zb_choice_index(ZB_KMOD_SOUND_VARIANTS, "plain"), -1);
}

TEST(map_set_of_no_mappings)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = memfd_create("zb-none", 0);
	struct map_set m;

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(ftruncate(fd, page), 0);
	memset(&m, 0xa5, sizeof(m));
	ASSERT_EQ(map_set_create(&m, fd, 0, 0, page), 0);
	ASSERT_EQ(m.n, 0);
	ASSERT_EQ(count_file_vmas("zb-none"), 0);
	ASSERT_EQ(map_set_probe(&m), 0);
	map_set_destroy(&m, page);
	ASSERT_TRUE(m.base == NULL && m.addr == NULL);
}
