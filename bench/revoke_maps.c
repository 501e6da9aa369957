// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "proc.h"
#include "revoke_maps.h"
#include "util.h"

/* Headroom for the process's own VMAs (binary, libc, stacks, harness). */
#define OWN_VMAS_HEADROOM	512
/* mmaps between two looks at the stop flag: a few ms of work, however loaded */
#define MAP_POLL_EVERY		1024
/* a waiting revoker looks at the stop flag this often */
#define WAIT_POLL_NS		(100 * 1000 * 1000L)

long maps_per_process(void)
{
	long max;

	if (zb_read_long("/proc/sys/vm/max_map_count", &max))
		max = 65530;
	return max > 2 * OWN_VMAS_HEADROOM ? max - OWN_VMAS_HEADROOM : max / 2;
}

/* An unused, ALIGN_REGION-aligned range of @span bytes, reserved PROT_NONE. */
static char *reserve_aligned(size_t span)
{
	size_t len = span + ALIGN_REGION;
	char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *base;

	if (p == MAP_FAILED)
		return NULL;
	base = (char *)(((uintptr_t)p + ALIGN_REGION - 1) & ~(uintptr_t)(ALIGN_REGION - 1));
	if (base > p)
		munmap(p, (size_t)(base - p));
	if (p + len > base + span)
		munmap(base + span, (size_t)(p + len - (base + span)));
	return base;
}

int map_set_create(struct map_set *m, int fd, long n, long offset, long page,
		   const struct zb_worker *w)
{
	long i;

	m->n = 0;
	m->span = (size_t)n * (size_t)page;
	m->base = NULL;
	m->addr = NULL;
	/* none at all: a revoke of a file nothing maps */
	if (!n)
		return 0;
	m->addr = calloc((size_t)n, sizeof(*m->addr));
	if (!m->addr)
		return -ENOMEM;
	m->base = reserve_aligned(m->span);
	if (!m->base)
		return -errno;
	/*
	 * Each mmap replaces one page of the reservation and maps the same
	 * file page, so neighbouring VMAs never have consecutive pgoffs and
	 * the kernel cannot merge them.
	 */
	for (i = 0; i < n; i++) {
		char *want = m->base + (size_t)i * (size_t)page;
		void *p = mmap(want, (size_t)page, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED, fd, offset);

		if (p == MAP_FAILED)
			return -errno;
		m->addr[m->n++] = p;
		if (w && i % MAP_POLL_EVERY == 0 && zb_stopping(w))
			return -EINTR;
	}
	return 0;
}

void map_set_destroy(struct map_set *m, long page)
{
	(void)page;
	/* One call: also takes what is left of the reservation after a failure. */
	if (m->base)
		munmap(m->base, m->span);
	free(m->addr);
	m->addr = NULL;
	m->base = NULL;
	m->n = 0;
}

long count_path_vmas(const char *path)
{
	size_t len = strlen(path);
	char *buf, *line, *save, *hit;
	long n = 0;

	if (zb_read_file("/proc/self/maps", &buf, NULL))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* "... /memfd:NAME (deleted)": the path must end there. */
		hit = strstr(line, path);
		n += hit && (hit[len] == ' ' || hit[len] == '\0');
	}
	free(buf);
	return n;
}

long count_file_vmas(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/memfd:%s", name);
	return count_path_vmas(path);
}

void map_set_touch(const struct map_set *m)
{
	long i;

	for (i = 0; i < m->n; i++)
		*(volatile char *)m->addr[i] = 1;
}

static __thread sigjmp_buf probe_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(probe_jmp, sig);
}

long map_set_probe(const struct map_set *m)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile long i, bus = 0;

	sigaction(SIGBUS, &sa, &old);
	for (i = 0; i < m->n; i++) {
		if (sigsetjmp(probe_jmp, 1)) {
			bus++;
			continue;
		}
		(void)*(volatile char *)m->addr[i];
	}
	sigaction(SIGBUS, &old, NULL);
	return bus;
}

long map_set_present(const struct map_set *m, long page)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	long i, n = 0;
	uint64_t e;

	if (fd < 0)
		return -errno;
	for (i = 0; i < m->n; i++) {
		off_t off = (off_t)((uintptr_t)m->addr[i] / (uintptr_t)page) * 8;

		if (pread(fd, &e, sizeof(e), off) != sizeof(e)) {
			n = -EIO;
			break;
		}
		n += !!(e & (1ULL << 63));
	}
	close(fd);
	return n;
}

static long futex(volatile int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void futex_wait_poll(volatile int *uaddr, int val)
{
	struct timespec ts = { 0, WAIT_POLL_NS };

	syscall(SYS_futex, uaddr, FUTEX_WAIT, val, &ts, NULL, 0);
}

static void holder_fail(struct holders *h, const char *what, int err)
{
	if (!__sync_lock_test_and_set(&h->failed, 1))
		snprintf(h->msg, sizeof(h->msg), "holder: %s: %s", what, strerror(err));
	__sync_fetch_and_add(&h->acks, 1);
	futex(&h->acks, FUTEX_WAKE, 1);
}

static void holder_main(struct holders *h, pid_t conductor, int fd, long n, long offset,
			long page, const char *name, int populate)
{
	struct map_set m;
	int seen = 0, err;
	long vmas;

	/* Die with the conductor: a stray holder would pin the file. */
	zb_die_with_parent(conductor);
	err = map_set_create(&m, fd, n, offset, page, h->w);
	if (err == -EINTR)
		holder_fail(h, "interrupted", EINTR);
	else if (err)
		holder_fail(h, "mmap", -err);
	if (err) {
		_exit(1);
	}
	vmas = count_file_vmas(name);
	__sync_fetch_and_add(&h->vmas, vmas);
	if (populate)
		map_set_touch(&m);
	__sync_fetch_and_add(&h->acks, 1);
	futex(&h->acks, FUTEX_WAKE, 1);
	for (;;) {
		while (h->gen == seen)
			futex(&h->gen, FUTEX_WAIT, seen);
		seen = h->gen;
		if (seen < 0)
			break;
		if (h->cmd == HOLDERS_COUNT)
			__sync_fetch_and_add(&h->present, map_set_present(&m, page));
		else
			map_set_touch(&m);
		__sync_fetch_and_add(&h->acks, 1);
		futex(&h->acks, FUTEX_WAKE, 1);
	}
	_exit(0);
}

static int wait_acks(struct holders *h)
{
	int a;

	while ((a = h->acks) < h->nr) {
		if (h->w && zb_stopping(h->w))
			return -EINTR;
		futex_wait_poll(&h->acks, a);
	}
	return h->failed ? -EIO : 0;
}

int holders_start(struct holders *h, const struct zb_worker *w, int fd, long total, long per,
		  long offset, long page, const char *name, int populate)
{
	pid_t conductor = getpid();
	long left = total;

	h->acks = 0;
	h->w = w;
	while (left > 0) {
		long n = left < per ? left : per;
		pid_t pid;

		if (h->nr == REVOKE_MAX_HOLDERS)
			return -E2BIG;
		if (w && zb_stopping(w))
			return -EINTR;
		pid = fork();
		if (pid < 0)
			return -errno;
		if (pid == 0)
			holder_main(h, conductor, fd, n, offset, page, name, populate);
		h->pid[h->nr++] = pid;
		left -= n;
	}
	return wait_acks(h);
}

static int holders_request(struct holders *h, int cmd)
{
	h->acks = 0;
	h->cmd = cmd;
	__sync_fetch_and_add(&h->gen, 1);
	futex(&h->gen, FUTEX_WAKE, INT32_MAX);
	return wait_acks(h);
}

int holders_populate(struct holders *h)
{
	return h->nr ? holders_request(h, HOLDERS_POPULATE) : 0;
}

long holders_present(struct holders *h)
{
	if (!h->nr)
		return 0;
	h->present = 0;
	return holders_request(h, HOLDERS_COUNT) ? -EIO : h->present;
}

void holders_stop(struct holders *h)
{
	int i;

	if (!h->nr)
		return;
	h->gen = -1;
	futex(&h->gen, FUTEX_WAKE, INT32_MAX);
	for (i = 0; i < h->nr; i++)
		waitpid(h->pid[i], NULL, 0);
	h->nr = 0;
}
