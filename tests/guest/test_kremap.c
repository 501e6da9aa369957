// SPDX-License-Identifier: GPL-2.0
/*
 * The remap shape in the guest: a file set to ZAPTEST_MAP_REMAP maps as
 * /dev/mem's mmap_mem() does, remap_pfn_range() at mmap time (VmFlags
 * "io pf", no fault handler, a PAT memtype per VMA), and a revoke zaps
 * it for good: SIGBUS, the memtype freed per VMA, mmap refused until the
 * page is granted again.  Needs scripts/vm's second memmap= range.
 */
#include "zbtest.h"
#include "zt.h"
#include "util.h"

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* The VmFlags of the VMA that starts at @addr, from /proc/self/smaps. */
static int vm_flags(const void *addr, char *flags, size_t len)
{
	char *buf, *line, *save, head[32];
	int found = 0, rc = -ENOENT;

	if (zb_read_file("/proc/self/smaps", &buf, NULL))
		return -errno;
	snprintf(head, sizeof(head), "%lx-", (unsigned long)addr);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, head, strlen(head)))
			found = 1;
		else if (found && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, len, "%s ", line + 8);
			rc = 0;
			break;
		}
	}
	free(buf);
	return rc;
}

/* A /dev/zaptest file in the remap shape, or a skip saying why not. */
static int remap_fd(struct zaptest_info *info)
{
	uint32_t map = ZAPTEST_MAP_REMAP;
	int fd = zt_fresh();

	if (fd < 0)
		ZBT_FAIL("no /dev/zaptest");
	if (zt_ioctl(fd, ZAPTEST_IOC_INFO, info))
		ZBT_FAIL("INFO: %s", strerror(errno));
	if (!info->remap_pages)
		SKIP(_exit(ZBT_SKIP_CODE),
		     "zaptest.ko has no remap range (scripts/vm passes remap_base/remap_size)");
	if (zt_ioctl(fd, ZAPTEST_IOC_SET_MAP, &map))
		ZBT_FAIL("SET_MAP: %s", strerror(errno));
	if (zt_ioctl(fd, ZAPTEST_IOC_INFO, info) || info->file_map != ZAPTEST_MAP_REMAP)
		ZBT_FAIL("INFO after SET_MAP: file_map %u", info->file_map);
	return fd;
}

TEST(remap_maps_at_mmap_time_as_dev_mem_does)
{
	struct zaptest_info info;
	struct zaptest_stats a, b;
	char flags[256];
	int fd = remap_fd(&info), ffd = zt_fresh();
	uint64_t v = 0;
	char *m, *f;

	a = zt_stats(fd);
	m = zt_map(fd, 2, 9);
	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(zt_magic(9), v);
	ASSERT_EQ(0, zt_peek((uint64_t *)(m + page_size()), &v));
	ASSERT_EQ(zt_magic(10), v);
	b = zt_stats(fd);
	/* one remap for the VMA, and reading it never reached a fault handler */
	ASSERT_EQ(1, b.remaps - a.remaps);
	ASSERT_EQ(0, b.faults - a.faults);
	ASSERT_EQ(0, vm_flags(m, flags, sizeof(flags)));
	ASSERT_CONTAINS(flags, " io ");
	ASSERT_CONTAINS(flags, " pf ");
	/* the fault shape is a PFN map too, but not VM_IO */
	f = zt_map(ffd, 1, 9);
	ASSERT_TRUE(f != MAP_FAILED);
	ASSERT_EQ(0, vm_flags(f, flags, sizeof(flags)));
	ASSERT_CONTAINS(flags, " pf ");
	ASSERT_TRUE(!strstr(flags, " io "));
}

TEST(remap_revoke_is_for_good_until_granted_and_remapped)
{
	struct zaptest_info info;
	struct zaptest_stats a, b;
	int fd = remap_fd(&info);
	uint64_t v = 0;
	char *m;

	m = zt_map(fd, 1, 11);
	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 11 * page_size(), page_size()));
	a = zt_stats(fd);
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)m, &v));
	/* no .fault: the core mm refuses it, the module never sees it */
	b = zt_stats(fd);
	ASSERT_EQ(0, b.sigbus - a.sigbus);
	/* mmap_mem()'s range_is_allowed(): a claimed page is not mapped again */
	ASSERT_TRUE(zt_map(fd, 1, 11) == MAP_FAILED);
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_GRANT, 11 * page_size(), page_size()));
	/* granting does not bring the old mapping back; a new one works */
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)m, &v));
	m = zt_map(fd, 1, 11);
	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(zt_magic(11), v);
}

/* What the brief for the shape is about: the zap frees one memtype per VMA. */
TEST(remap_revoke_frees_one_pat_memtype_per_vma)
{
	uint64_t pa, ps = page_size();
	struct zaptest_info info;
	int fd = remap_fd(&info), i;
	long before, after;

	pa = info.remap_base + 12 * ps;
	before = zb_pat_memtypes(pa, pa + ps);
	if (before < 0)
		SKIP(return,
		     "%s: %s (no PAT in this guest?)", ZB_PAT_MEMTYPE_LIST, strerror(-before));
	ASSERT_EQ(0, before);
	for (i = 0; i < 3; i++)
		ASSERT_TRUE(zt_map(fd, 1, 12) != MAP_FAILED);
	ASSERT_EQ(3, zb_pat_memtypes(pa, pa + ps));
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 12 * ps, ps));
	after = zb_pat_memtypes(pa, pa + ps);
	ASSERT_EQ(0, after);
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_GRANT, 12 * ps, ps));
}

TEST(remap_bad_requests_are_refused)
{
	struct zaptest_info info;
	int fd = remap_fd(&info);
	uint32_t map = ZAPTEST_NR_MAPS;

	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_SET_MAP, &map));
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_SET_MAP, NULL));
	ASSERT_TRUE(zt_map(fd, 2, info.remap_pages - 1) == MAP_FAILED);
	ASSERT_EQ(EINVAL, errno);
	ASSERT_TRUE(mmap(NULL, page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) ==
		    MAP_FAILED);
	ASSERT_EQ(EINVAL, errno);
}
