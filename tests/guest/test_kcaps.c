// SPDX-License-Identifier: GPL-2.0
/*
 * zaptest.ko's node and who may use it, in the guest: a char device on a
 * major of its own (not a misc device), opened only with CAP_SYS_RAWIO
 * as /dev/mem is, and CLAIM, RELEASE, BENCH and MP only with
 * CAP_SYS_ADMIN.  Each test drops what it drops in its own process.
 */
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "zbtest.h"
#include "zt.h"
#include "util.h"

#define NOBODY	65534

/* The major /proc/devices lists for @name among the char devices, or -1. */
static int chr_major(const char *name)
{
	char *buf, *line, *save;
	int in_chr = 0, major = -1;

	if (zb_read_file("/proc/devices", &buf, NULL))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char n[64];
		int m;

		if (!strcmp(line, "Character devices:"))
			in_chr = 1;
		else if (!strcmp(line, "Block devices:"))
			in_chr = 0;
		else if (in_chr && sscanf(line, "%d %63s", &m, n) == 2 && !strcmp(n, name))
			major = m;
	}
	free(buf);
	return major;
}

/* Take @cap out of this process's effective, permitted and inheritable sets. */
static int drop_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[cap / 32].effective &= ~(1U << (cap % 32));
	d[cap / 32].permitted &= ~(1U << (cap % 32));
	d[cap / 32].inheritable &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static int admin_ioctl(int fd, unsigned long cmd)
{
	struct zaptest_bench *b = calloc(1, sizeof(*b));
	struct zaptest_bench_cpu res;
	struct zaptest_mp mp = { .variant = ZAPTEST_ACQREL, .nr_cpus = 2, .publishes = 1000 };
	struct zaptest_claim cl = { .flags = 0 };
	int rc;

	if (!b)
		return -ENOMEM;
	b->variant = ZAPTEST_ACQREL;
	b->nr_cpus = 1;
	b->loops = 1000;
	b->results = (uint64_t)(uintptr_t)&res;
	if (cmd == ZAPTEST_IOC_BENCH)
		rc = zt_ioctl(fd, cmd, b);
	else if (cmd == ZAPTEST_IOC_MP)
		rc = zt_ioctl(fd, cmd, &mp);
	else if (cmd == ZAPTEST_IOC_CLAIM)
		rc = zt_ioctl(fd, cmd, &cl);
	else
		rc = zt_ioctl(fd, cmd, NULL);
	free(b);
	return rc;
}

/* open() takes chrdev_open(), as /dev/mem's does, not misc_open()'s misc_mtx */
TEST(node_is_a_char_device_of_its_own_major)
{
	int maj = chr_major("zaptest");
	char dev[32], want[32];
	struct stat st;

	ASSERT_TRUE(maj > 0);
	ASSERT_TRUE(maj != 10);	/* MISC_MAJOR */
	ASSERT_TRUE(chr_major("mem") == 1);
	ASSERT_EQ(0, stat(ZAPTEST_DEV, &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(major(st.st_rdev), maj);
	ASSERT_EQ(0, minor(st.st_rdev));
	ASSERT_EQ(0600, st.st_mode & 0777);
	ASSERT_TRUE(access("/sys/class/misc/zaptest", F_OK) != 0);
	ASSERT_EQ(0, zb_read_line("/sys/class/zaptest/zaptest/dev", dev, sizeof(dev)));
	snprintf(want, sizeof(want), "%d:0", maj);
	ASSERT_STREQ(dev, want);
}

/* open_port()'s first check: uid 0 without CAP_SYS_RAWIO gets EPERM, as from /dev/mem */
TEST(open_needs_cap_sys_rawio)
{
	ASSERT_EQ(0, drop_cap(CAP_SYS_RAWIO));
	ASSERT_TRUE(open(ZAPTEST_DEV, O_RDWR) < 0);
	ASSERT_EQ(EPERM, errno);
	ASSERT_TRUE(open("/dev/mem", O_RDWR) < 0);
	ASSERT_EQ(EPERM, errno);
}

/* With CAP_SYS_RAWIO but not CAP_SYS_ADMIN: the device, but not the machine. */
TEST(admin_ioctls_need_cap_sys_admin)
{
	static const unsigned long cmds[] = {
		ZAPTEST_IOC_CLAIM, ZAPTEST_IOC_RELEASE, ZAPTEST_IOC_BENCH, ZAPTEST_IOC_MP,
	};
	struct zaptest_info info;
	unsigned int i;
	int fd;

	ASSERT_EQ(0, drop_cap(CAP_SYS_ADMIN));
	fd = zt_fresh();
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_INFO, &info));
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_REVOKE, 0, sysconf(_SC_PAGESIZE)));
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_GRANT, 0, sysconf(_SC_PAGESIZE)));
	for (i = 0; i < ZB_ARRAY_SIZE(cmds); i++)
		ASSERT_EQ(-EPERM, admin_ioctl(fd, cmds[i]));
}

/* nobody: the node's mode refuses the open; a file root opened still refuses the rest */
TEST(nobody_can_neither_open_nor_claim)
{
	int fd = zt_fresh();

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(0, setgid(NOBODY));
	ASSERT_EQ(0, setuid(NOBODY));
	ASSERT_TRUE(open(ZAPTEST_DEV, O_RDWR) < 0);
	ASSERT_TRUE(errno == EACCES || errno == EPERM);
	ASSERT_EQ(-EPERM, admin_ioctl(fd, ZAPTEST_IOC_CLAIM));
	ASSERT_EQ(-EPERM, admin_ioctl(fd, ZAPTEST_IOC_BENCH));
	ASSERT_EQ(-EPERM, admin_ioctl(fd, ZAPTEST_IOC_MP));
}
