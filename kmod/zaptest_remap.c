// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/mem shape of mmap().  mmap_mem() in drivers/char/mem.c maps
 * the whole VMA with remap_pfn_range() at mmap time: the VMA is VM_IO |
 * VM_PFNMAP with every PTE present and no fault handler, and on x86
 * track_pfn_remap() reserves a PAT memtype for it (VM_PAT), which the
 * first zap of the VMA frees again in untrack_pfn().  Only memory that
 * is not System RAM gets a memtype, so the pages come from a range the
 * guest kernel was told to leave alone (memmap=), as /dev/mem's do.
 *
 * As in mmap_mem(), a revoked (claimed) page is refused at mmap time,
 * and a mapping created between that check and the VMA's link into the
 * shared mapping would escape a revoke issued in between: /dev/mem has
 * the same window, and this shape is for measuring, not racing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/minmax.h>
#include "zaptest_core.h"

static unsigned int zt_nr_remap;

/* Called after zt_pool_init(): a remap page is revoked by the pool's bit. */
int zt_remap_init(void)
{
	unsigned long pages = zt_remap_size >> PAGE_SHIFT;
	unsigned long i;
	u64 *p;

	if (!zt_remap_size)
		return 0;
	if (!PAGE_ALIGNED(zt_remap_base) || !PAGE_ALIGNED(zt_remap_size) ||
	    zt_remap_base + zt_remap_size < zt_remap_base) {
		pr_err("remap_base and remap_size must be page-aligned, without overflow\n");
		return -EINVAL;
	}
	/* RAM has no memtype to free: the shape would not be /dev/mem's */
	if (region_intersects(zt_remap_base, zt_remap_size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("remap range %#lx+%#lx is System RAM: reserve it with memmap=\n",
		       zt_remap_base, zt_remap_size);
		return -EINVAL;
	}
	p = memremap(zt_remap_base, zt_remap_size, MEMREMAP_WB);
	if (!p)
		return -ENOMEM;
	pages = min_t(unsigned long, pages, zt_pool_nr_pages());
	/* Lets userspace check it mapped the page it asked for. */
	for (i = 0; i < pages; i++)
		p[i * (PAGE_SIZE / sizeof(*p))] = ZAPTEST_PAGE_MAGIC ^ i;
	memunmap(p);
	zt_nr_remap = pages;
	return 0;
}

unsigned int zt_remap_pages(void)
{
	return zt_nr_remap;
}

/* mmap_mem_ops: no .fault, so a zapped PTE comes back only by mmap() */
static const struct vm_operations_struct zt_remap_vm_ops = {
#ifdef CONFIG_HAVE_IOREMAP_PROT
	.access = generic_access_phys,
#endif
};

int zt_remap_mmap(struct file *filp, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;
	unsigned long pages = vma_pages(vma);

	if (!zt_nr_remap)
		return -ENODEV;
	if (vma->vm_pgoff >= zt_nr_remap || pages > zt_nr_remap - vma->vm_pgoff)
		return -EINVAL;
	/* mmap_mem()'s range_is_allowed(): a claimed range is refused */
	if (zt_pool_revoked(vma->vm_pgoff, pages))
		return -EPERM;
	vma->vm_ops = &zt_remap_vm_ops;
	/* track_pfn_remap() and VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP */
	if (remap_pfn_range(vma, vma->vm_start, PHYS_PFN(zt_remap_base) + vma->vm_pgoff,
			    size, vma->vm_page_prot))
		return -EAGAIN;
	zt_count_remap();
	return 0;
}
