/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the guest tests of zaptest.ko: open, map, touch with
 * SIGBUS caught, and the ioctls with errno returned.
 */
#ifndef ZT_TEST_H
#define ZT_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kmod_dev.h"

static sigjmp_buf zt_jmp;

static void zt_on_fault(int sig)
{
	siglongjmp(zt_jmp, sig);
}

/* Read a word; returns the signal that stopped it (SIGBUS), or 0. */
static inline int zt_peek(const volatile uint64_t *p, uint64_t *val)
{
	struct sigaction sa = { .sa_handler = zt_on_fault };
	int sig;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sig = sigsetjmp(zt_jmp, 1);
	if (!sig)
		*val = *p;
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	return sig;
}

static inline int zt_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* REVOKE or GRANT of a byte range: 0 or -errno (bench/kmod_dev.c). */
static inline int zt_range(int fd, unsigned long cmd, uint64_t off, uint64_t len)
{
	return zb_kmod_range(fd, cmd, off, len, NULL);
}

static inline struct zaptest_stats zt_stats(int fd)
{
	struct zaptest_stats st;

	/* all ones on failure: no assertion on it can pass by accident */
	memset(&st, 0xff, sizeof(st));
	if (zb_kmod_stats(fd, &st))
		perror("ZAPTEST_IOC_STATS");
	return st;
}

static inline void *zt_map(int fd, size_t pages, off_t pgoff)
{
	long ps = sysconf(_SC_PAGESIZE);

	return mmap(NULL, pages * ps, PROT_READ, MAP_SHARED, fd, pgoff * ps);
}

/* Map @pages pages and fault each in; NULL if either fails. */
static inline char *zt_map_touched(int fd, size_t pages, off_t pgoff)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *m = zt_map(fd, pages, pgoff);
	uint64_t v;
	size_t i;

	if (m == MAP_FAILED)
		return NULL;
	for (i = 0; i < pages; i++)
		if (zt_peek((uint64_t *)(m + i * ps), &v))
			return NULL;
	return m;
}

/* The value the module wrote at the start of pool page @i. */
static inline uint64_t zt_magic(uint64_t i)
{
	return ZAPTEST_PAGE_MAGIC ^ i;
}

/* /dev/zaptest with the whole pool granted, as every test starts. */
static inline int zt_fresh(void)
{
	struct zaptest_info info;
	int fd = open(ZAPTEST_DEV, O_RDWR);

	if (fd < 0) {
		printf("# open %s: %s (module not loaded?)\n", ZAPTEST_DEV, strerror(errno));
		return -1;
	}
	if (zt_ioctl(fd, ZAPTEST_IOC_INFO, &info) ||
	    zt_range(fd, ZAPTEST_IOC_GRANT, 0, (uint64_t)info.pool_pages * sysconf(_SC_PAGESIZE)))
		return -1;
	return fd;
}

/* rmmod zaptest without waiting: -EWOULDBLOCK (EAGAIN) while in use. */
static inline int zt_unload(void)
{
	return syscall(SYS_delete_module, "zaptest", O_NONBLOCK) ? -errno : 0;
}

/* insmod the module scripts/vm packed, with the parameters it booted with. */
static inline int zt_load(void)
{
	const char *params = getenv("ZB_MODPARAMS");
	int fd = open("/zb/zaptest.ko", O_RDONLY), rc;

	if (fd < 0)
		return -errno;
	rc = syscall(SYS_finit_module, fd, params ? params : "", 0) ? -errno : 0;
	close(fd);
	return rc;
}

#endif
