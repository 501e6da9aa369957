// SPDX-License-Identifier: GPL-2.0
/*
 * fault: the cost of one page fault, one timed op per fault.
 *
 *   anon     first write to private anonymous memory (allocate + zero)
 *   shared   first write through a MAP_SHARED memfd mapping whose pages
 *            are already in the page cache (will-it-scale's page_fault3)
 *   refault  write to a memfd page whose mapping was revoked by
 *            fallocate(PUNCH_HOLE), i.e. by unmap_mapping_range(): the
 *            page is gone and the fault allocates it again
 *
 * Every worker faults its own region; when it is used up, ->prepare
 * (untimed) zaps it so the next op faults again.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "case.h"

#define REGION_PAGES	4096		/* 16 MiB per worker with 4 KiB pages */

struct fault_priv {
	char *base;
	int fd;
	long page;
	long next;			/* the page the next op touches */
	enum { ANON, SHARED, REFAULT } kind;	/* the kind parameter's choices */
};

static size_t region_len(const struct fault_priv *p)
{
	return (size_t)REGION_PAGES * (size_t)p->page;
}

static int fill_file(struct fault_priv *p)
{
	/* Page cache hot: the fault finds the page, it does not allocate. */
	if (fallocate(p->fd, 0, 0, (off_t)region_len(p)))
		return -errno;
	return 0;
}

static int fault_worker_setup(struct zb_worker *w)
{
	struct fault_priv *p = w->priv;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;

	p->page = sysconf(_SC_PAGESIZE);
	p->fd = -1;
	p->kind = zb_param_enum(w, "kind");
	if (p->kind != ANON) {
		p->fd = memfd_create("zapbench-fault", MFD_CLOEXEC);
		if (p->fd < 0 || ftruncate(p->fd, (off_t)region_len(p)))
			return zb_fail(w, -errno, "memfd: %s", strerror(errno));
		flags = MAP_SHARED;
	}
	if (p->kind == SHARED && fill_file(p))
		return zb_fail(w, -errno, "fallocate: %s", strerror(errno));
	p->base = mmap(NULL, region_len(p), PROT_READ | PROT_WRITE, flags, p->fd, 0);
	if (p->base == MAP_FAILED)
		return zb_fail(w, -errno, "mmap %zu bytes: %s", region_len(p), strerror(errno));
	/* One fault must be one 4 KiB page, not a 2 MiB THP. */
	madvise(p->base, region_len(p), MADV_NOHUGEPAGE);
	p->next = REGION_PAGES;
	return 0;
}

/* Make every page of the region fault again on its next touch. */
static int rearm(struct fault_priv *p)
{
	long i;

	if (p->kind == REFAULT) {
		/* Map them all, then revoke them all: a real revoke. */
		for (i = 0; i < REGION_PAGES; i++)
			p->base[i * p->page] = 1;
		if (fallocate(p->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			      (off_t)region_len(p)))
			return -errno;
	} else if (madvise(p->base, region_len(p), MADV_DONTNEED)) {
		return -errno;
	}
	p->next = 0;
	return 0;
}

static int fault_prepare(struct zb_worker *w)
{
	struct fault_priv *p = w->priv;

	return p->next < REGION_PAGES ? 0 : rearm(p);
}

ZB_NO_ASAN static int fault_op(struct zb_worker *w)
{
	struct fault_priv *p = w->priv;

	*(volatile char *)(p->base + p->next++ * p->page) = 1;
	return 0;
}

/* Each touch must be exactly one minor fault, or we time something else. */
static int fault_validate(struct zb_worker *w)
{
	struct fault_priv *p = w->priv;
	struct rusage r0, r1;
	long i, n = 64, faults;
	int err = rearm(p);

	if (err)
		return zb_fail(w, err, "rearm: %s", strerror(-err));
	getrusage(RUSAGE_THREAD, &r0);
	for (i = 0; i < n; i++)
		fault_op(w);
	getrusage(RUSAGE_THREAD, &r1);
	faults = r1.ru_minflt - r0.ru_minflt;
	if (faults != n)
		return zb_fail(w, -EPROTO, "%ld touches took %ld faults, expected %ld",
			       n, faults, n);
	zb_note(w, "validated_faults_per_touch", (double)faults / (double)n);
	p->next = REGION_PAGES;
	return 0;
}

static void fault_worker_teardown(struct zb_worker *w)
{
	struct fault_priv *p = w->priv;

	if (p->base && p->base != MAP_FAILED)
		munmap(p->base, region_len(p));
	if (p->fd >= 0)
		close(p->fd);
}

static const struct zb_param fault_params[] = {
	ZB_ENUM_PARAM("kind", "anon,shared,refault",
		      "anon first touch, shared-file fault with the page cached, "
		      "refault after revoke"),
	ZB_CPUS_PARAM(.help = "workers, one per CPU, each faulting its own region"),
	ZB_MODE_PARAM(.quick_def = "process",
		      .help = "workers are processes, or threads sharing one mm "
			      "(mmap_lock, TLB IPIs)"),
	{ .name = NULL },
};

const struct zb_case zb_family_fault[] = {
	{
		.name = "fault/touch",
		.desc = "one page fault per op: latency distribution and per-task faults/s",
		.params = fault_params,
		.priv_size = sizeof(struct fault_priv),
		.worker_setup = fault_worker_setup,
		.validate = fault_validate,
		.prepare = fault_prepare,
		.op = fault_op,
		.worker_teardown = fault_worker_teardown,
		.flags = ZB_CASE_TPUT,
	},
	{ .name = NULL },
};
