/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every kernel-side case needs: /dev/zaptest open with a matching
 * ABI, or a skip that says how to get it (zapbench run --vm).
 */
#ifndef ZB_KMOD_DEV_H
#define ZB_KMOD_DEV_H

#include <stdint.h>
#include "case.h"
#include "stats/stats.h"
#include "zaptest.h"

/* Open /dev/zaptest; returns the fd, or what a hook should return. */
int zb_kmod_open(struct zb_worker *w, struct zaptest_info *info);

int zb_kmod_range(int fd, unsigned long cmd, uint64_t off, uint64_t len,
		  struct zaptest_range *out);
int zb_kmod_stats(int fd, struct zaptest_stats *st);

/* Write a zaptest module parameter (mode, variant) through sysfs. */
int zb_kmod_set_param(const char *name, const char *value);

/* Read one back, without the newline. */
int zb_kmod_get_param(const char *name, char *buf, size_t len);
/* Save a parameter's value in @old and set it to @value; zb_fail() if not. */
int zb_kmod_swap_param(struct zb_worker *w, const char *name, const char *value,
		       char *old, size_t len);

/*
 * The uapi's variant names as a parameter's choices, "v3,once,...", in
 * enum order: zb_param_enum() of a "variant" parameter that takes either
 * list is its enum zaptest_variant.  SOUND: without the broken controls.
 */
extern const char zb_kmod_variant_list[], zb_kmod_sound_list[];
#define ZB_KMOD_VARIANTS		(zb_kmod_variant_list + 1)
#define ZB_KMOD_SOUND_VARIANTS	(zb_kmod_sound_list + 1)

/* How @fd's later mmap()s map: ZAPTEST_MAP_FAULT or ZAPTEST_MAP_REMAP. */
int zb_kmod_set_map(int fd, uint32_t map);

#define ZB_PAT_MEMTYPE_LIST	"/sys/kernel/debug/x86/pat_memtype_list"
/*
 * PAT memtype entries covering exactly [@start, @end) (x86 debugfs): one
 * per remap_pfn_range()d VMA of non-RAM until a zap frees it in
 * untrack_pfn().  -errno if the list cannot be read (no PAT, no debugfs).
 */
long zb_pat_memtypes(uint64_t start, uint64_t end);
/* The same over the list's text, which it cuts into lines. */
long zb_pat_count(char *list, uint64_t start, uint64_t end);

#endif
