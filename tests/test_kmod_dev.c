// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the kernel cases' helpers (bench/revoke_maps.c): a
 * map set of no mappings at all (devmem_revoke maps=0).  No module
 * needed.
 */
#include <sys/mman.h>

#include "zbtest.h"
#include "revoke_maps.h"

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
