// SPDX-License-Identifier: GPL-2.0
/*
 * The page pool behind the fault-driven mmap(): pages are inserted one
 * fault at a time, so every fault is counted and traced, and a revoked
 * range refuses to fault back in (SIGBUS) until it is granted again, as
 * /dev/mem refuses a range a driver has claimed.  The revoked bits also
 * govern the remap shape (zaptest_remap.c), page for page.
 */
#include <linux/bitmap.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/timex.h>
#include <linux/vmalloc.h>
#include "zaptest_core.h"
#include "zaptest_trace.h"

static struct page **zt_pages;
static unsigned int zt_nr_pages;
/*
 * One bit per page, set while revoked.  Faults read it without a lock,
 * so that kmod_fault at N CPUs measures the fault path, not a lock of
 * ours (see zt_fault() for why that is safe); writers use the atomic
 * set_bit()/clear_bit(), so neighbours in one word never lose each
 * other's update and no lock is needed: the mutex that once serialised
 * the non-atomic bitmap_set() protected nothing else, since the unmap
 * itself always ran outside it.
 */
static unsigned long *zt_revoked;

int zt_pool_init(unsigned int pages)
{
	unsigned int i;

	zt_pages = vcalloc(pages, sizeof(*zt_pages));
	zt_revoked = bitmap_zalloc(pages, GFP_KERNEL);
	if (!zt_pages || !zt_revoked)
		goto fail;
	for (i = 0; i < pages; i++) {
		u64 *p;

		zt_pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!zt_pages[i])
			goto fail;
		zt_nr_pages = i + 1;
		/* Lets userspace check it mapped the page it asked for. */
		p = kmap_local_page(zt_pages[i]);
		*p = ZAPTEST_PAGE_MAGIC ^ i;
		kunmap_local(p);
	}
	return 0;
fail:
	zt_pool_exit();
	return -ENOMEM;
}

void zt_pool_exit(void)
{
	unsigned int i;

	for (i = 0; i < zt_nr_pages; i++)
		__free_page(zt_pages[i]);
	zt_nr_pages = 0;
	vfree(zt_pages);
	zt_pages = NULL;
	bitmap_free(zt_revoked);
	zt_revoked = NULL;
}

/*
 * A fault racing a revoke must not leave a PTE behind.  The revoke sets
 * the page's bit, then (full barrier) walks the page tables to unmap;
 * the fault inserts the PTE, then (full barrier) checks the bit again.
 * That is the store-buffering pattern with smp_mb() on both sides: at
 * least one side sees the other's store, so either the unmap finds the
 * PTE or the fault sees the bit and zaps the PTE itself.
 */
static vm_fault_t zt_fault(struct vm_fault *vmf)
{
	pgoff_t pgoff = vmf->pgoff;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	if (pgoff < zt_nr_pages && !test_bit(pgoff, zt_revoked)) {
		ret = vmf_insert_pfn(vmf->vma, vmf->address,
				     page_to_pfn(zt_pages[pgoff]));
		/* pairs with smp_mb() in zt_pool_revoke() */
		smp_mb();
		if (ret == VM_FAULT_NOPAGE && test_bit(pgoff, zt_revoked)) {
			zap_vma_ptes(vmf->vma, vmf->address & PAGE_MASK, PAGE_SIZE);
			ret = VM_FAULT_SIGBUS;
		}
	}
	/* VM_FAULT_OOM from the PTE allocation served nothing */
	zt_count_fault(ret);
	trace_zaptest_fault(pgoff, vmf->address, ret);
	return ret;
}

static const struct vm_operations_struct zt_vm_ops = {
	.fault = zt_fault,
};

/*
 * Pages are inserted by PFN, one fault at a time; zt_mmap() has already
 * refused a COW mapping, which vmf_insert_pfn() would BUG() on.
 */
int zt_pool_mmap(struct file *filp, struct vm_area_struct *vma)
{
	unsigned long pages = vma_pages(vma);

	if (vma->vm_pgoff >= zt_nr_pages || pages > zt_nr_pages - vma->vm_pgoff)
		return -EINVAL;
#ifdef ZT_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
#else
	vma->vm_flags |= VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
#endif
	vma->vm_ops = &zt_vm_ops;
	return 0;
}

/* A page-aligned, non-empty range inside the pool; returns its pages. */
static int zt_range_check(const struct zaptest_range *r, pgoff_t *first,
			  pgoff_t *nr)
{
	u64 pool_bytes = (u64)zt_nr_pages << PAGE_SHIFT;

	if (!r->len || !PAGE_ALIGNED(r->offset) || !PAGE_ALIGNED(r->len))
		return -EINVAL;
	if (r->offset >= pool_bytes || r->len > pool_bytes - r->offset)
		return -ERANGE;
	*first = r->offset >> PAGE_SHIFT;
	*nr = r->len >> PAGE_SHIFT;
	return 0;
}

/*
 * The timed region is what revoke_iomem() does: read the published
 * inode (the variant under test) and unmap the range from its mapping.
 * Per-inode files have no shared inode to read: @own is their mapping.
 */
int zt_pool_revoke(struct address_space *own, struct zaptest_range *r)
{
	struct address_space *mapping;
	pgoff_t first, nr, i;
	u64 t0, t1, c0, c1;
	int rc;

	rc = zt_range_check(r, &first, &nr);
	if (rc)
		return rc;
	for (i = first; i < first + nr; i++)
		set_bit(i, zt_revoked);
	/* pairs with smp_mb() in zt_fault(): bits visible before the walk */
	smp_mb();

	trace_zaptest_revoke_begin(r->offset, r->len);
	c0 = get_cycles();
	t0 = ktime_get_ns();
	mapping = own ? own : zt_shared_mapping();
	/* even_cows = 1, as revoke_iomem() does */
	unmap_mapping_range(mapping, r->offset, r->len, 1);
	t1 = ktime_get_ns();
	c1 = get_cycles();
	trace_zaptest_revoke_end(r->offset, r->len, t1 - t0);

	r->ns = t1 - t0;
	r->cycles = c1 - c0;
	zt_count_revoke(r->ns);
	return 0;
}

int zt_pool_grant(struct zaptest_range *r)
{
	pgoff_t first, nr, i;
	int rc;

	rc = zt_range_check(r, &first, &nr);
	if (rc)
		return rc;
	for (i = first; i < first + nr; i++)
		clear_bit(i, zt_revoked);
	zt_count_grant();
	return 0;
}

/* Is any of @nr pages from @first revoked?  Callers checked the range. */
bool zt_pool_revoked(pgoff_t first, pgoff_t nr)
{
	pgoff_t i;

	for (i = first; i < first + nr; i++)
		if (test_bit(i, zt_revoked))
			return true;
	return false;
}

unsigned int zt_pool_nr_pages(void)
{
	return zt_nr_pages;
}
