/* SPDX-License-Identifier: GPL-2.0 */
/* N one-page mappings of one offset of a device: separate VMAs, counted. */
#ifndef ZB_KMOD_MAPS_H
#define ZB_KMOD_MAPS_H

#include <stddef.h>
#include <sys/types.h>

struct zb_maps {
	char **addr;
	long nr;
};

/* Map page @pgoff of @fd @n times; -errno (ENOMEM at vm.max_map_count). */
int zb_maps_create(struct zb_maps *m, int fd, long n, off_t pgoff, int prot);
void zb_maps_destroy(struct zb_maps *m);

/* Read every mapping once; returns how many raised SIGBUS. */
long zb_maps_touch(const struct zb_maps *m);

/* VMAs in /proc/self/maps whose file is @path (e.g. "/dev/zaptest"). */
long zb_maps_count_vmas(const char *path);

#endif
