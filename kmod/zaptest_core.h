/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zaptest internals shared by the module's files.
 */
#ifndef _ZAPTEST_CORE_H
#define _ZAPTEST_CORE_H

#include <linux/fs.h>
#include <linux/mm.h>
#include "uapi/zaptest.h"

/* Module parameters (zaptest_main.c). */
extern int zt_mode;
extern int zt_variant;
extern unsigned int zt_pool_pages;
extern unsigned long zt_claim_base;
extern unsigned long zt_claim_size;
extern unsigned long zt_remap_base;
extern unsigned long zt_remap_size;

/* zaptest_inode.c: the pseudo-fs inode every unified open shares. */
int zt_inode_init(void);
void zt_inode_exit(void);
struct address_space *zt_shared_mapping(void);
void zt_wire_file(struct inode *inode, struct file *filp, int mode);

/* zaptest_pool.c: the pages mmap() hands out and their revoked bits. */
int zt_pool_init(unsigned int pages);
void zt_pool_exit(void);
int zt_pool_mmap(struct file *filp, struct vm_area_struct *vma);
int zt_pool_revoke(struct address_space *own, struct zaptest_range *r);
int zt_pool_grant(struct zaptest_range *r);
bool zt_pool_revoked(pgoff_t first, pgoff_t nr);
unsigned int zt_pool_nr_pages(void);

/* zaptest_remap.c: /dev/mem's mmap shape, over the reserved remap range. */
int zt_remap_init(void);
int zt_remap_mmap(struct file *filp, struct vm_area_struct *vma);
unsigned int zt_remap_pages(void);

/* zaptest_stats.c */
void zt_count_open(void);
void zt_count_fault(vm_fault_t ret);
void zt_count_remap(void);
void zt_count_revoke(u64 ns);
void zt_count_grant(void);
void zt_count_claim(void);
void zt_stats_read(struct zaptest_stats *st);
void zt_stats_reset(void);

/* zaptest_claim.c: request_mem_region() on the reserved range. */
int zt_claim(struct zaptest_claim *c);
int zt_release(void);
void zt_claim_exit(void);

/* zaptest_barrier.c: the variant microbenchmarks and MP stress. */
int zt_bench(struct zaptest_bench *b, struct zaptest_bench_cpu *res);
int zt_mp(struct zaptest_mp *m);

#endif /* _ZAPTEST_CORE_H */
