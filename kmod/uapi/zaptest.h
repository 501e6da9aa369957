/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * zaptest: the interface between kmod/zaptest.ko and zapbench.
 *
 * /dev/zaptest reproduces the /dev/mem "unified inode": every open
 * points its file at one address_space owned by a pseudo-fs inode, so
 * one unmap_mapping_range() revokes every user mapping of the device,
 * whichever device node it was opened through.  Like /dev/mem it is a
 * char device on a major of its own (no misc layer), and open() needs
 * CAP_SYS_RAWIO.  The ioctls below revoke and re-grant ranges of the
 * module's pages, read its counters, choose how a file's mmap() maps
 * them, claim a reserved physical range (the kernel's own /dev/mem
 * revoke) and run the barrier-variant microbenchmarks; CLAIM, RELEASE,
 * BENCH and MP also need CAP_SYS_ADMIN.  Every structure has the same
 * layout for 32- and 64-bit callers (compat_ioctl passes them through).
 *
 * Bump ZAPTEST_ABI_VERSION on any incompatible change; userspace checks
 * it with ZAPTEST_IOC_INFO before anything else.
 */
#ifndef _UAPI_ZAPTEST_H
#define _UAPI_ZAPTEST_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ZAPTEST_ABI_VERSION	4
#define ZAPTEST_DEV		"/dev/zaptest"

/* How open() wires the file to a mapping (module parameter "mode"). */
enum zaptest_mode {
	ZAPTEST_UNIFIED,	/* f_mapping = the shared pseudo-fs mapping */
	ZAPTEST_PER_INODE,	/* f_mapping = the opened inode's own mapping */
	ZAPTEST_NR_MODES,
};

/* How the shared inode pointer is published and read: zaptest_variants.h. */
enum zaptest_variant {
#define ZAPTEST_VARIANT(e, name)	ZAPTEST_##e,
#define ZAPTEST_BROKEN_VARIANT(e, name)	ZAPTEST_##e,
#include "zaptest_variants.h"
	ZAPTEST_NR_VARIANTS,
};

/*
 * How a file's mmap() maps the pages (SET_MAP, per file; new files fault).
 * FAULT inserts one PFN per fault (vmf_insert_pfn()), so faults can be
 * counted and a granted page faults back in.  REMAP is /dev/mem's
 * mmap_mem(): remap_pfn_range() of reserved RAM at mmap time (VM_IO |
 * VM_PFNMAP, a PAT memtype per VMA that every zap frees in untrack_pfn());
 * after a revoke the mapping SIGBUSes until it is mapped again.
 */
enum zaptest_map {
	ZAPTEST_MAP_FAULT,
	ZAPTEST_MAP_REMAP,
	ZAPTEST_NR_MAPS,
};

/* Each pool page starts with this value XOR its page offset. */
#define ZAPTEST_PAGE_MAGIC	0x7a6170746573745aULL

struct zaptest_info {
	__u32 abi_version;
	__u32 mode;		/* enum zaptest_mode of new opens */
	__u32 variant;		/* enum zaptest_variant of the consumers */
	__u32 pool_pages;	/* mmap()able pages, from offset 0 */
	__u64 claim_base;	/* physical range CLAIM requests, 0 if none */
	__u64 claim_size;
	__u32 nr_cpus;		/* online CPUs */
	__u32 file_mode;	/* enum zaptest_mode of the file asked through */
	__u64 remap_base;	/* physical range REMAP maps, 0 if none */
	__u64 remap_size;
	__u32 file_map;		/* enum zaptest_map of the file asked through */
	__u32 remap_pages;	/* REMAP-mmap()able pages, from offset 0 */
};

/* REVOKE and GRANT: a byte range of the pool, page-aligned. */
struct zaptest_range {
	__u64 offset;
	__u64 len;
	__u64 ns;		/* out: unmap_mapping_range() time */
	__u64 cycles;		/* out: the same, in get_cycles() units */
};

struct zaptest_stats {
	__u64 opens;
	__u64 faults;		/* served by the fault handler */
	__u64 sigbus;		/* faults refused: revoked or out of range */
	__u64 fault_errors;	/* faults that failed otherwise (OOM) */
	__u64 remaps;		/* VMAs remap_pfn_range() mapped */
	__u64 revokes;
	__u64 grants;
	__u64 claims;
	__u64 last_ns;		/* of the revokes since the last reset */
	__u64 min_ns;
	__u64 max_ns;
};

/*
 * in: ZAPTEST_CLAIM_PROBE arms a kretprobe on unmap_mapping_range()
 * around the claim, to count and time revoke_iomem()'s unmap inside it.
 * The probe itself costs far more than a small unmap (int3 and the
 * return trampoline): take ns from claims without it.
 */
#define ZAPTEST_CLAIM_PROBE	0x1

struct zaptest_claim {
	__u32 flags;		/* in: ZAPTEST_CLAIM_* */
	__u32 kprobe_ok;	/* out: the probe was armed */
	__u64 ns;		/* out: request_mem_region(), revoke included */
	__u64 cycles;
	__u64 unmap_ns;		/* out, with the probe: inside unmap_mapping_range() */
	__u32 unmap_calls;	/* out, with the probe: how many calls */
	__u32 pad;
};

enum zaptest_bench_op {
	ZAPTEST_BENCH_CONSUME,	/* read the pointer, then a field through it */
	ZAPTEST_BENCH_PUBLISH,	/* every CPU re-publishes its own pointer */
	ZAPTEST_BENCH_REPUBLISH,	/* every CPU publishes the same pointer */
	ZAPTEST_NR_BENCH_OPS,
};

/* One kthread's result: the fastest chunk of its loop, scaled to @loops. */
struct zaptest_bench_cpu {
	__u64 ns;
	__u64 overhead_ns;	/* the same, empty loop */
	__u32 cpu;		/* which CPU it ran on */
	__u32 pad;
};

/*
 * Per-CPU kthreads run @loops operations each, started together.  As
 * many as the machine has online: the results go to an array of
 * @nr_cpus the caller provides, not to one of a fixed size.
 */
struct zaptest_bench {
	__u32 variant;
	__u32 op;
	__u32 nr_cpus;		/* the first nr_cpus online CPUs */
	__u32 pad;
	__u64 loops;
	__u64 results;		/* out: struct zaptest_bench_cpu[nr_cpus], a user pointer */
};

/*
 * Message passing: a writer kthread initialises fresh objects and
 * publishes pointers to them; readers on the other CPUs load the pointer
 * and then the object.  A non-NULL pointer to an uninitialised object is
 * the outcome the barriers forbid.
 */
struct zaptest_mp {
	__u32 variant;
	__u32 nr_cpus;		/* writer + readers, at least 2 */
	__u64 publishes;	/* objects the writer publishes */
	__u64 reads;		/* out: pointer loads by all readers */
	__u64 nonnull;		/* out: loads that found an object */
	__u64 forbidden;	/* out: ...which was not yet initialised */
	__u64 ns;		/* out: the writer's time */
};

#define ZAPTEST_IOC_MAGIC	'Z'
#define ZAPTEST_IOC_INFO	_IOR(ZAPTEST_IOC_MAGIC, 0, struct zaptest_info)
#define ZAPTEST_IOC_REVOKE	_IOWR(ZAPTEST_IOC_MAGIC, 1, struct zaptest_range)
#define ZAPTEST_IOC_GRANT	_IOW(ZAPTEST_IOC_MAGIC, 2, struct zaptest_range)
#define ZAPTEST_IOC_STATS	_IOR(ZAPTEST_IOC_MAGIC, 3, struct zaptest_stats)
#define ZAPTEST_IOC_RESET	_IO(ZAPTEST_IOC_MAGIC, 4)
#define ZAPTEST_IOC_CLAIM	_IOWR(ZAPTEST_IOC_MAGIC, 5, struct zaptest_claim)
#define ZAPTEST_IOC_RELEASE	_IO(ZAPTEST_IOC_MAGIC, 6)
#define ZAPTEST_IOC_BENCH	_IOWR(ZAPTEST_IOC_MAGIC, 7, struct zaptest_bench)
#define ZAPTEST_IOC_MP		_IOWR(ZAPTEST_IOC_MAGIC, 8, struct zaptest_mp)
/* in: enum zaptest_map for this file's later mmap()s */
#define ZAPTEST_IOC_SET_MAP	_IOW(ZAPTEST_IOC_MAGIC, 9, __u32)

#endif /* _UAPI_ZAPTEST_H */
