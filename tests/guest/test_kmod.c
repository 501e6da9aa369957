// SPDX-License-Identifier: GPL-2.0
/*
 * zaptest.ko in the guest: the unified inode revokes every mapping of
 * the device, whichever node it was opened through; per-inode mode lets
 * a mknod copy escape; the real /dev/mem revoke fires on CLAIM; bad
 * ioctls fail cleanly; unload is refused while a mapping lives.
 * Runs as PID 1's child in the scripts/vm guest, with the module loaded.
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "zbtest.h"
#include "zt.h"
#include "util.h"

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* A device node for /dev/zaptest's dev_t somewhere else: what mknod users do. */
static int zt_mknod_copy(char *path, size_t len)
{
	static int n;
	struct stat st;

	snprintf(path, len, "%s/zaptest-copy.%d.%d", zbt_root, getpid(), n++);
	if (stat(ZAPTEST_DEV, &st))
		return -errno;
	if (mknod(path, S_IFCHR | 0600, st.st_rdev))
		return -errno;
	return 0;
}

TEST(info_reports_abi_and_cpus)
{
	struct zaptest_info info;
	int fd = zt_fresh();

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_INFO, &info));
	ASSERT_EQ(ZAPTEST_ABI_VERSION, info.abi_version);
	ASSERT_TRUE(info.pool_pages >= 16);
	ASSERT_EQ(info.nr_cpus, sysconf(_SC_NPROCESSORS_ONLN));
	ASSERT_EQ(ZAPTEST_UNIFIED, info.mode);
	ASSERT_EQ(ZAPTEST_UNIFIED, info.file_mode);
	/* new files fault; the remap range is scripts/vm's second memmap= */
	ASSERT_EQ(ZAPTEST_MAP_FAULT, info.file_map);
	if (getenv("ZB_REMAP_BASE")) {
		ASSERT_EQ(info.remap_base, strtoull(getenv("ZB_REMAP_BASE"), NULL, 0));
		ASSERT_EQ(info.remap_pages, info.remap_size / page_size());
	}
}

TEST(faults_map_the_pool_pages)
{
	int fd = zt_fresh(), i;
	struct zaptest_stats a, b;
	char *m;

	ASSERT_TRUE(fd >= 0);
	m = zt_map(fd, 4, 8);
	ASSERT_TRUE(m != MAP_FAILED);
	a = zt_stats(fd);
	for (i = 0; i < 4; i++) {
		uint64_t v = 0;

		ASSERT_EQ(0, zt_peek((uint64_t *)(m + i * page_size()), &v));
		ASSERT_EQ(zt_magic(8 + i), v);
	}
	b = zt_stats(fd);
	ASSERT_EQ(4, b.faults - a.faults);
	ASSERT_EQ(0, b.sigbus - a.sigbus);
}

TEST(revoke_zaps_and_refuses_until_granted)
{
	int fd = zt_fresh();
	struct zaptest_range r = { .offset = 0, .len = 4 * page_size() };
	struct zaptest_stats a, b;
	uint64_t v;
	char *m;

	ASSERT_TRUE(fd >= 0);
	m = zt_map_touched(fd, 4, 0);
	ASSERT_TRUE(m != NULL);
	a = zt_stats(fd);
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_REVOKE, &r));
	ASSERT_TRUE(r.ns > 0);
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)m, &v));
	b = zt_stats(fd);
	ASSERT_EQ(1, b.revokes - a.revokes);
	ASSERT_EQ(1, b.sigbus - a.sigbus);
	ASSERT_EQ(b.last_ns, r.ns);
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_GRANT, 0, 4 * page_size()));
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(zt_magic(0), v);
}

/*
 * Faults race revokes on every CPU; after the last revoke no mapping may
 * still read the page: a PTE inserted behind a revoke's back would.
 */
TEST(revokes_racing_faults_leave_no_pte_behind)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), i;
	volatile int *stop = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fd = zt_fresh(), st, kids = 0;
	pid_t pid[64];

	ASSERT_TRUE(fd >= 0 && stop != MAP_FAILED);
	for (i = 0; i < ncpu && i < 64; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			char *m = zt_map(fd, 1, 7);
			uint64_t v;

			while (m != MAP_FAILED && !*stop)
				zt_peek((uint64_t *)m, &v);
			/* the parent's last revoke is done: this must fault */
			_exit(m != MAP_FAILED && zt_peek((uint64_t *)m, &v) == SIGBUS ? 0 : 1);
		}
		kids++;
	}
	for (i = 0; i < 3000; i++) {
		ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 7 * page_size(), page_size()));
		ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_GRANT, 7 * page_size(), page_size()));
	}
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 7 * page_size(), page_size()));
	*stop = 1;
	for (i = 0; i < kids; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &st, 0));
		ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	zt_range(fd, ZAPTEST_IOC_GRANT, 7 * page_size(), page_size());
}

TEST(reset_zeroes_the_counters)
{
	int fd = zt_fresh();
	struct zaptest_stats st;
	char *m;

	ASSERT_TRUE(fd >= 0);
	m = zt_map_touched(fd, 1, 6);
	ASSERT_TRUE(m != NULL);
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 6 * page_size(), page_size()));
	st = zt_stats(fd);
	ASSERT_TRUE(st.faults > 0 && st.revokes > 0 && st.opens > 0);
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_RESET, NULL));
	st = zt_stats(fd);
	ASSERT_EQ(0, st.faults);
	ASSERT_EQ(0, st.revokes);
	ASSERT_EQ(0, st.opens);
	ASSERT_EQ(0, st.min_ns);
}

TEST(revoke_of_one_page_leaves_the_others_mapped)
{
	int fd = zt_fresh(), i;
	struct zaptest_stats a, b;
	uint64_t v;
	char *m;

	ASSERT_TRUE(fd >= 0);
	m = zt_map_touched(fd, 4, 0);
	ASSERT_TRUE(m != NULL);
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, page_size(), page_size()));
	a = zt_stats(fd);
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)(m + page_size()), &v));
	for (i = 0; i < 4; i += 2 + (i == 0))
		ASSERT_EQ(0, zt_peek((uint64_t *)(m + i * page_size()), &v));
	b = zt_stats(fd);
	/* pages 0, 2, 3 kept their PTEs: no fault at all */
	ASSERT_EQ(0, b.faults - a.faults);
	ASSERT_EQ(1, b.sigbus - a.sigbus);
}

/* The reason the unified inode exists: a copy of the node is revoked too. */
TEST(unified_revokes_a_mknod_copy)
{
	char copy[128];
	int fd = zt_fresh(), cfd;
	uint64_t v;
	char *m, *c;

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, zt_mknod_copy(copy, sizeof(copy)));
	cfd = open(copy, O_RDWR);
	ASSERT_TRUE(cfd >= 0);
	m = zt_map(fd, 1, 2);
	c = zt_map(cfd, 1, 2);
	ASSERT_TRUE(m != MAP_FAILED && c != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(0, zt_peek((uint64_t *)c, &v));
	ASSERT_EQ(zt_magic(2), v);
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 2 * page_size(), page_size()));
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)c, &v));
}

/* Without it, a revoke through /dev/zaptest misses the copy's mapping. */
TEST(per_inode_lets_a_mknod_copy_escape)
{
	struct zaptest_stats a, b;
	struct zaptest_info info;
	char copy[128];
	int fd, cfd;
	uint64_t v;
	char *m, *c;

	ASSERT_EQ(0, zb_kmod_set_param("mode", "per_inode"));
	fd = zt_fresh();
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, zt_mknod_copy(copy, sizeof(copy)));
	cfd = open(copy, O_RDWR);
	ASSERT_EQ(0, zb_kmod_set_param("mode", "unified"));
	ASSERT_TRUE(cfd >= 0);
	ASSERT_EQ(0, zt_ioctl(cfd, ZAPTEST_IOC_INFO, &info));
	ASSERT_EQ(ZAPTEST_PER_INODE, info.file_mode);
	m = zt_map(fd, 1, 3);
	c = zt_map(cfd, 1, 3);
	ASSERT_TRUE(m != MAP_FAILED && c != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(0, zt_peek((uint64_t *)c, &v));
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 3 * page_size(), page_size()));
	a = zt_stats(fd);
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)m, &v));
	/* the copy still reads the revoked page, without even faulting */
	ASSERT_EQ(0, zt_peek((uint64_t *)c, &v));
	ASSERT_EQ(zt_magic(3), v);
	b = zt_stats(fd);
	ASSERT_EQ(0, b.faults - a.faults);
	ASSERT_EQ(1, b.sigbus - a.sigbus);
}

TEST(bad_ranges_fail_with_the_right_errno)
{
	int fd = zt_fresh();
	uint64_t pool, ps = page_size();
	struct zaptest_info info;

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_INFO, &info));
	pool = (uint64_t)info.pool_pages * ps;
	ASSERT_EQ(-EINVAL, zt_range(fd, ZAPTEST_IOC_REVOKE, 0, 0));
	ASSERT_EQ(-EINVAL, zt_range(fd, ZAPTEST_IOC_REVOKE, 1, ps));
	ASSERT_EQ(-EINVAL, zt_range(fd, ZAPTEST_IOC_REVOKE, 0, ps + 1));
	ASSERT_EQ(-ERANGE, zt_range(fd, ZAPTEST_IOC_REVOKE, pool, ps));
	ASSERT_EQ(-ERANGE, zt_range(fd, ZAPTEST_IOC_REVOKE, 0, pool + ps));
	ASSERT_EQ(-ERANGE, zt_range(fd, ZAPTEST_IOC_REVOKE, -ps, 2 * ps));
	ASSERT_EQ(-ERANGE, zt_range(fd, ZAPTEST_IOC_REVOKE, ps, -ps));
	ASSERT_EQ(-ERANGE, zt_range(fd, ZAPTEST_IOC_GRANT, -ps, 2 * ps));
}

TEST(bad_pointers_and_commands_fail_cleanly)
{
	int fd = zt_fresh();

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_REVOKE, NULL));
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_REVOKE, (void *)1));
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_STATS, (void *)-4096L));
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_INFO, NULL));
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_BENCH, NULL));
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_MP, NULL));
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_SET_MAP, NULL));
	ASSERT_EQ(-ENOTTY, zt_ioctl(fd, _IO(ZAPTEST_IOC_MAGIC, 99), NULL));
	ASSERT_EQ(-ENOTTY, zt_ioctl(fd, _IOR('x', 3, struct zaptest_stats), NULL));
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_RELEASE, NULL));
}

TEST(bad_mmaps_are_refused)
{
	int fd = zt_fresh();
	struct zaptest_info info;
	long ps = page_size();

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_INFO, &info));
	ASSERT_TRUE(mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED);
	ASSERT_EQ(EINVAL, errno);
	ASSERT_TRUE(mmap(NULL, 2 * ps, PROT_READ, MAP_SHARED, fd,
			 (off_t)(info.pool_pages - 1) * ps) == MAP_FAILED);
	ASSERT_EQ(EINVAL, errno);
}

/*
 * MAP_SHARED of a read-only file is not VM_SHARED (mmap drops it with
 * VM_MAYWRITE) but cannot COW either: is_cow_mapping() lets it through,
 * the old !VM_SHARED test refused it.  MAP_PRIVATE stays refused.
 */
TEST(read_only_file_maps_shared_but_not_private)
{
	int fd = open(ZAPTEST_DEV, O_RDONLY);
	uint64_t v = 0;
	char *m;

	ASSERT_TRUE(fd >= 0);
	m = zt_map(fd, 1, 4);
	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(zt_magic(4), v);
	ASSERT_TRUE(mmap(NULL, page_size(), PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED);
	ASSERT_EQ(EINVAL, errno);
}

TEST(bad_bench_and_mp_arguments)
{
	struct zaptest_bench *b = calloc(1, sizeof(*b));
	struct zaptest_bench_cpu res = { .cpu = ~0U };
	struct zaptest_mp mp = { .variant = ZAPTEST_ACQREL, .nr_cpus = 1, .publishes = 10 };
	int fd = zt_fresh();

	ASSERT_TRUE(fd >= 0 && b);
	b->variant = ZAPTEST_NR_VARIANTS;
	b->nr_cpus = 1;
	b->loops = 10;
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_BENCH, b));
	/* plain has no cost worth timing; relderef, the last ordered one, has */
	b->variant = ZAPTEST_PLAIN;
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_BENCH, b));
	b->variant = ZAPTEST_RELDEREF;
	/* the results go where the caller says, and nowhere without a place */
	ASSERT_EQ(-EFAULT, zt_ioctl(fd, ZAPTEST_IOC_BENCH, b));
	b->results = (uint64_t)(uintptr_t)&res;
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_BENCH, b));
	ASSERT_TRUE(res.cpu < (uint32_t)sysconf(_SC_NPROCESSORS_CONF));
	b->variant = ZAPTEST_ACQREL;
	b->op = ZAPTEST_NR_BENCH_OPS;
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_BENCH, b));
	b->op = ZAPTEST_BENCH_CONSUME;
	b->loops = 0;
	ASSERT_EQ(-ERANGE, zt_ioctl(fd, ZAPTEST_IOC_BENCH, b));
	b->loops = 10;
	b->nr_cpus = 0;
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_BENCH, b));
	b->nr_cpus = sysconf(_SC_NPROCESSORS_ONLN) + 1;
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_BENCH, b));
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_MP, &mp));
	mp.nr_cpus = 2;
	mp.variant = ZAPTEST_NR_VARIANTS;
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_MP, &mp));
}

TEST(module_parameters_take_names_only)
{
	ASSERT_EQ(-EINVAL, zb_kmod_set_param("variant", "bogus"));
	ASSERT_EQ(-EINVAL, zb_kmod_set_param("mode", "shared"));
	ASSERT_EQ(0, zb_kmod_set_param("variant", "rcu"));
	ASSERT_EQ(0, zb_kmod_set_param("variant", "relderef"));
	ASSERT_EQ(0, zb_kmod_set_param("variant", "acqrel"));
}

/* The real thing: request_mem_region() revokes a /dev/mem mapping. */
TEST(devmem_claim_revokes_the_mapping)
{
	const char *base_s = getenv("ZB_CLAIM_BASE");
	struct zaptest_claim cl;
	off_t base;
	int fd = zt_fresh(), mem;
	uint64_t v;
	char *m;

	ASSERT_TRUE(fd >= 0);
	if (!base_s)
		SKIP(return, "no reserved range (ZB_CLAIM_BASE unset): not booted by scripts/vm");
	base = strtoull(base_s, NULL, 0);
	mem = open("/dev/mem", O_RDWR | O_SYNC);
	ASSERT_TRUE(mem >= 0);
	m = mmap(NULL, page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, mem, base);
	ASSERT_TRUE(m != MAP_FAILED);
	*(volatile uint64_t *)m = 0x1234;
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(0x1234, v);
	memset(&cl, 0, sizeof(cl));
	cl.flags = ZAPTEST_CLAIM_PROBE;
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_CLAIM, &cl));
	ASSERT_TRUE(cl.ns > 0);
	/* revoke_iomem() unmapped the range once, inside the claim */
	ASSERT_EQ(1, cl.kprobe_ok);
	ASSERT_EQ(1, cl.unmap_calls);
	ASSERT_TRUE(cl.unmap_ns > 0 && cl.unmap_ns <= cl.ns);
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(-EBUSY, zt_ioctl(fd, ZAPTEST_IOC_CLAIM, &cl));
	cl.flags = 0x80;
	ASSERT_EQ(-EINVAL, zt_ioctl(fd, ZAPTEST_IOC_CLAIM, &cl));
	/* while claimed, /dev/mem refuses new mappings of the range */
	ASSERT_TRUE(mmap(NULL, page_size(), PROT_READ, MAP_SHARED, mem, base) == MAP_FAILED);
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_RELEASE, NULL));
	m = mmap(NULL, page_size(), PROT_READ, MAP_SHARED, mem, base);
	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(0x1234, v);
}

static int tracefs_write(const char *file, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "/sys/kernel/tracing/%s", file);
	return zb_write_file(path, val);
}

TEST(tracepoints_fire_on_revoke_and_fault)
{
	int fd = zt_fresh(), tfd;
	static char buf[1 << 16];
	uint64_t v;
	ssize_t n;
	char *m;

	ASSERT_TRUE(fd >= 0);
	if (access("/sys/kernel/tracing/events/zaptest", F_OK))
		SKIP(return, "no tracefs events/zaptest in this guest");
	ASSERT_EQ(0, tracefs_write("trace", ""));
	ASSERT_EQ(0, tracefs_write("events/zaptest/enable", "1"));
	m = zt_map(fd, 1, 5);
	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 5 * page_size(), page_size()));
	ASSERT_EQ(SIGBUS, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(0, tracefs_write("events/zaptest/enable", "0"));
	tfd = open("/sys/kernel/tracing/trace", O_RDONLY);
	ASSERT_TRUE(tfd >= 0);
	n = read(tfd, buf, sizeof(buf) - 1);
	ASSERT_TRUE(n > 0);
	buf[n] = 0;
	ASSERT_CONTAINS(buf, "zaptest_fault: pgoff=5");
	ASSERT_CONTAINS(buf, "zaptest_revoke_begin: offset=0x5000 len=0x1000");
	ASSERT_CONTAINS(buf, "zaptest_revoke_end: offset=0x5000");
	ASSERT_CONTAINS(buf, "ret=0x2");	/* VM_FAULT_SIGBUS after the revoke */
}

/* Last: it unloads and reloads the module under the other tests. */
TEST(unload_is_refused_while_a_mapping_lives)
{
	int fd = zt_fresh();
	uint64_t v;
	char *m;

	ASSERT_TRUE(fd >= 0);
	m = zt_map(fd, 1, 0);
	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	close(fd);
	/* the mapping holds the file, the file holds the module */
	ASSERT_EQ(-EWOULDBLOCK, zt_unload());
	ASSERT_EQ(0, zt_peek((uint64_t *)m, &v));
	ASSERT_EQ(zt_magic(0), v);
	ASSERT_EQ(0, munmap(m, page_size()));
	ASSERT_EQ(0, zt_unload());
	ASSERT_TRUE(access(ZAPTEST_DEV, F_OK) != 0);
	ASSERT_EQ(0, zt_load());
	fd = zt_fresh();
	ASSERT_TRUE(fd >= 0);
}
