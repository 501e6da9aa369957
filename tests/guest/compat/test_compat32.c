// SPDX-License-Identifier: GPL-2.0
/*
 * zaptest.ko from a 32-bit process (built -m32 -static): every ioctl
 * goes through .compat_ioctl, which without compat_ptr_ioctl answers
 * ENOTTY to all of them.  The uapi structures have one layout for both
 * ABIs, so the same numbers and contents must come back as for 64-bit.
 * Stands alone (no libzb: that is 64-bit), only zbtest.h and the uapi.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "zbtest.h"
#include "zaptest.h"

static sigjmp_buf jmp;

static void on_bus(int sig)
{
	siglongjmp(jmp, sig);
}

/* Read the first word of @p; the signal that stopped it, or 0. */
static int peek(const volatile uint64_t *p, uint64_t *v)
{
	struct sigaction sa = { .sa_handler = on_bus };
	int sig;

	sigaction(SIGBUS, &sa, NULL);
	sig = sigsetjmp(jmp, 1);
	if (!sig)
		*v = *p;
	signal(SIGBUS, SIG_DFL);
	return sig;
}

static int zioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

TEST(compat_ioctls_answer_a_32_bit_caller)
{
	long ps = sysconf(_SC_PAGESIZE);
	struct zaptest_range r = { .offset = 3 * (uint64_t)ps, .len = (uint64_t)ps };
	struct zaptest_mp mp = { .variant = ZAPTEST_ACQREL, .nr_cpus = 1, .publishes = 10 };
	struct zaptest_info info;
	struct zaptest_stats st;
	uint32_t map = ZAPTEST_MAP_FAULT;
	uint64_t v = 0;
	int fd = open(ZAPTEST_DEV, O_RDWR);
	char *m;

	ASSERT_EQ(4, sizeof(void *));
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, zioctl(fd, ZAPTEST_IOC_INFO, &info));
	ASSERT_EQ(ZAPTEST_ABI_VERSION, info.abi_version);
	ASSERT_EQ(info.nr_cpus, sysconf(_SC_NPROCESSORS_ONLN));
	ASSERT_TRUE(info.pool_pages > 3);
	ASSERT_EQ(0, zioctl(fd, ZAPTEST_IOC_SET_MAP, &map));
	ASSERT_EQ(0, zioctl(fd, ZAPTEST_IOC_GRANT, &r));
	m = mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, 3 * ps);
	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_EQ(0, peek((uint64_t *)m, &v));
	ASSERT_EQ(ZAPTEST_PAGE_MAGIC ^ 3, v);
	ASSERT_EQ(0, zioctl(fd, ZAPTEST_IOC_REVOKE, &r));
	ASSERT_TRUE(r.ns > 0);
	ASSERT_EQ(SIGBUS, peek((uint64_t *)m, &v));
	ASSERT_EQ(0, zioctl(fd, ZAPTEST_IOC_STATS, &st));
	ASSERT_TRUE(st.revokes > 0 && st.last_ns > 0);
	ASSERT_EQ(0, zioctl(fd, ZAPTEST_IOC_GRANT, &r));
	/* a structure's contents cross too: the kernel read nr_cpus = 1 */
	ASSERT_EQ(-EINVAL, zioctl(fd, ZAPTEST_IOC_MP, &mp));
	ASSERT_EQ(-EFAULT, zioctl(fd, ZAPTEST_IOC_INFO, NULL));
	ASSERT_EQ(-ENOTTY, zioctl(fd, _IO(ZAPTEST_IOC_MAGIC, 99), NULL));
}
