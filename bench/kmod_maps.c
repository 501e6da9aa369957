// SPDX-License-Identifier: GPL-2.0
/*
 * Mappings for the device cases.  Every mapping is of the same page
 * offset, so neighbours can never merge into one VMA: N mappings are N
 * VMAs in the device's i_mmap tree, which is what a revoke walks.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kmod_maps.h"

int zb_maps_create(struct zb_maps *m, int fd, long n, off_t pgoff, int prot)
{
	long ps = sysconf(_SC_PAGESIZE);

	m->nr = 0;
	m->addr = calloc((size_t)n, sizeof(*m->addr));
	if (!m->addr)
		return -ENOMEM;
	for (; m->nr < n; m->nr++) {
		void *p = mmap(NULL, (size_t)ps, prot, MAP_SHARED, fd, pgoff * ps);

		if (p == MAP_FAILED)
			return -errno;
		m->addr[m->nr] = p;
	}
	return 0;
}

void zb_maps_destroy(struct zb_maps *m)
{
	long ps = sysconf(_SC_PAGESIZE), i;

	for (i = 0; i < m->nr; i++)
		munmap(m->addr[i], (size_t)ps);
	free(m->addr);
	m->addr = NULL;
	m->nr = 0;
}

static __thread sigjmp_buf touch_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(touch_jmp, sig);
}

/*
 * A revoked mapping raises SIGBUS on access; count those rather than
 * die, so a case can check a revoke reached every mapping.
 */
long zb_maps_touch(const struct zb_maps *m)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile long i, bus = 0;

	sigaction(SIGBUS, &sa, &old);
	for (i = 0; i < m->nr; i++) {
		if (sigsetjmp(touch_jmp, 1)) {
			bus++;
			continue;
		}
		(void)*(volatile char *)m->addr[i];
	}
	sigaction(SIGBUS, &old, NULL);
	return bus;
}

long zb_maps_count_vmas(const char *path)
{
	FILE *f = fopen("/proc/self/maps", "r");
	size_t len = strlen(path);
	char line[512];
	long n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		n += p && !strncmp(p, path, len) && (p[len] == '\n' || p[len] == ' ');
	}
	fclose(f);
	return n;
}
