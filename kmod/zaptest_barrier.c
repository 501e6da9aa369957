// SPDX-License-Identifier: GPL-2.0
/*
 * What each publication variant costs and whether it is correct.
 *
 * BENCH: per-CPU kthreads run one variant's consume or publish side in
 * a loop, in chunks; each chunk is timed with and without the operation
 * and the fastest of each is reported, scaled to the whole loop, so
 * userspace can subtract the loop overhead.  MP: a writer publishes freshly
 * initialised objects while readers on the other CPUs check that every
 * object they reach through the pointer is initialised.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "zaptest_core.h"
#include "zaptest_kthreads.h"
#include "zaptest_publish.h"

#define ZT_MAX_LOOPS		100000000ULL
#define ZT_RESCHED_MASK		0xffff
#define ZT_MIN_CHUNKS		16
#define ZT_CHUNK_MAX		65536ULL
#define ZT_MP_POOL		4096

struct zt_obj {
	long val;		/* 0 until its writer initialises it */
} ____cacheline_aligned;

/* A kthread's own pointer and what its loop computed, a line of their own. */
struct zt_bench_own {
	void *slot;
	unsigned long sink;
} ____cacheline_aligned;

struct zt_bench_ctx {
	struct zaptest_bench *b;
	struct zaptest_bench_cpu *res;	/* b->nr_cpus of them */
	void *shared ____cacheline_aligned;
	struct zt_obj obj[2];
	struct zt_bench_own *own;	/* b->nr_cpus of them */
};

/*
 * The loop every measurement runs; with @variant and @op constant it
 * specialises to the one barrier under test.  @empty keeps the loop and
 * the object selection but drops the operation.
 */
static __always_inline unsigned long
zt_loop(struct zt_bench_ctx *x, int idx, u64 loops, int op, int variant,
	bool empty)
{
	void **slot = op == ZAPTEST_BENCH_PUBLISH ? &x->own[idx].slot : &x->shared;
	unsigned long sink = 0;
	u64 i;

	for (i = 0; i < loops; i++) {
		struct zt_obj *o = &x->obj[i & 1];

		if (empty) {
			sink += (unsigned long)o;
			barrier();
		} else if (op == ZAPTEST_BENCH_CONSUME) {
			o = zt_consume(slot, variant);
			sink += READ_ONCE(o->val);
		} else {
			zt_publish(slot, o, variant);
		}
	}
	return sink;
}

/* The op as a constant too, so each arm is one specialised loop. */
static __always_inline unsigned long
zt_loop_op(struct zt_bench_ctx *x, int idx, u64 n, int op, int variant, bool e)
{
	switch (op) {
	case ZAPTEST_BENCH_CONSUME:
		return zt_loop(x, idx, n, ZAPTEST_BENCH_CONSUME, variant, e);
	case ZAPTEST_BENCH_PUBLISH:
		return zt_loop(x, idx, n, ZAPTEST_BENCH_PUBLISH, variant, e);
	default:
		return zt_loop(x, idx, n, ZAPTEST_BENCH_REPUBLISH, variant, e);
	}
}

static noinline unsigned long zt_loop_any(struct zt_bench_ctx *x, int idx,
					  u64 n, int op, int variant, bool e)
{
	switch (variant) {
	case ZAPTEST_V3:
		return zt_loop_op(x, idx, n, op, ZAPTEST_V3, e);
	case ZAPTEST_ONCE:
		return zt_loop_op(x, idx, n, op, ZAPTEST_ONCE, e);
	case ZAPTEST_ACQREL:
		return zt_loop_op(x, idx, n, op, ZAPTEST_ACQREL, e);
	case ZAPTEST_RELDEREF:
		return zt_loop_op(x, idx, n, op, ZAPTEST_RELDEREF, e);
	default:
		return zt_loop_op(x, idx, n, op, ZAPTEST_RCU, e);
	}
}

static u64 zt_time_chunk(struct zt_bench_ctx *x, int idx, u64 n, bool empty)
{
	struct zaptest_bench *b = x->b;
	u64 t0 = ktime_get_ns();

	x->own[idx].sink += zt_loop_any(x, idx, n, b->op, b->variant, empty);
	return ktime_get_ns() - t0;
}

/*
 * The loop runs in chunks, each timed with and without the operation,
 * back to back; the fastest chunk of each is kept.  An interrupt or a
 * vCPU stall lands in some chunk and the minimum leaves it out, so the
 * difference is the operation rather than the noise (under TCG a single
 * whole-loop pair could differ by more than the operation costs).
 * Reschedules between chunks, never inside one.
 */
static int zt_bench_member(struct zt_team *team, int idx)
{
	struct zt_bench_ctx *x = team->data;
	struct zaptest_bench *b = x->b;
	u64 chunk = clamp_t(u64, div64_u64(b->loops, ZT_MIN_CHUNKS), 1, ZT_CHUNK_MAX);
	u64 done, best = U64_MAX, best_empty = U64_MAX;
	int rc = zt_team_sync(team);

	if (rc)
		return rc;
	for (done = 0; done + chunk <= b->loops; done += chunk) {
		best = min(best, zt_time_chunk(x, idx, chunk, false));
		best_empty = min(best_empty, zt_time_chunk(x, idx, chunk, true));
		cond_resched();
	}
	x->res[idx].ns = div64_u64(best * b->loops, chunk);
	x->res[idx].overhead_ns = div64_u64(best_empty * b->loops, chunk);
	x->res[idx].cpu = team->cpu[idx];
	return 0;
}

/* @res: b->nr_cpus results, one per kthread. */
int zt_bench(struct zaptest_bench *b, struct zaptest_bench_cpu *res)
{
	struct zt_bench_ctx *x;
	struct zt_team *team;
	int rc = -ENOMEM;

	/* plain and reorder have no cost worth timing: the compiler may drop the loop */
	if (b->variant > ZAPTEST_RELDEREF || b->op >= ZAPTEST_NR_BENCH_OPS)
		return -EINVAL;
	if (!b->loops || b->loops > ZT_MAX_LOOPS)
		return -ERANGE;
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	team = kzalloc(sizeof(*team), GFP_KERNEL);
	if (!x || !team)
		goto out;
	x->own = kcalloc(b->nr_cpus, sizeof(*x->own), GFP_KERNEL);
	if (!x->own)
		goto out;
	x->b = b;
	x->res = res;
	x->obj[0].val = 1;
	x->obj[1].val = 2;
	x->shared = &x->obj[0];
	team->fn = zt_bench_member;
	team->data = x;
	rc = zt_team_run(team, b->nr_cpus);
out:
	if (x)
		kfree(x->own);
	kfree(team);
	kfree(x);
	return rc;
}

/* ---- message passing ---- */

/* A reader's progress and counts, a line of their own. */
struct zt_mp_reader {
	atomic_long_t seen;	/* epoch this reader last started in */
	u64 reads, nonnull, forbidden;
} ____cacheline_aligned;

struct zt_mp_ctx {
	struct zaptest_mp *m;
	void *slot ____cacheline_aligned;
	atomic_long_t epoch;		/* bumped when the pool is recycled */
	int stop;
	struct zt_obj *pool;
	struct zt_mp_reader *r;		/* m->nr_cpus of them; the writer's unused */
};

static __always_inline void zt_mp_publish(struct zt_mp_ctx *x,
					  struct zt_obj *o, long val,
					  int variant)
{
	if (variant == ZAPTEST_REORDER) {
		/* wrong by construction: visible before it is initialised */
		zt_publish(&x->slot, o, ZAPTEST_ONCE);
		o->val = val;
		return;
	}
	o->val = val;
	zt_publish(&x->slot, o, variant);
}

/*
 * Before reusing the pool every reader must have started an iteration
 * after the pointer was cleared: then none still holds an old object,
 * and zeroing the pool cannot be mistaken for a violation.
 */
static int zt_mp_recycle(struct zt_mp_ctx *x, int nr)
{
	long e;
	int i;

	/* pairs with the readers' acquire of the epoch */
	smp_store_release(&x->slot, NULL);
	e = atomic_long_inc_return_release(&x->epoch);
	for (i = 1; i < nr; i++)
		while (atomic_long_read_acquire(&x->r[i].seen) < e) {
			/* a reader that failed to start sets it */
			if (READ_ONCE(x->stop))
				return -EINTR;
			cpu_relax();
		}
	memset(x->pool, 0, ZT_MP_POOL * sizeof(*x->pool));
	return 0;
}

/*
 * Reschedules once per pool: up to 10^8 publishes in one ioctl must not
 * hold the CPU long enough for the soft-lockup watchdog (1.7 * 10^7 on 4
 * TCG vCPUs did).  Between publishes, never inside one; the readers have
 * their own reschedule point.
 */
static __always_inline void zt_mp_write(struct zt_mp_ctx *x, int nr,
					int variant)
{
	u64 i;

	for (i = 0; i < x->m->publishes; i++) {
		if (!(i % ZT_MP_POOL)) {
			cond_resched();
			if (zt_mp_recycle(x, nr))
				return;
		}
		zt_mp_publish(x, &x->pool[i % ZT_MP_POOL], i + 1, variant);
	}
}

static noinline void zt_mp_writer(struct zt_mp_ctx *x, int nr)
{
	switch (x->m->variant) {
	case ZAPTEST_V3:
		return zt_mp_write(x, nr, ZAPTEST_V3);
	case ZAPTEST_ONCE:
		return zt_mp_write(x, nr, ZAPTEST_ONCE);
	case ZAPTEST_ACQREL:
		return zt_mp_write(x, nr, ZAPTEST_ACQREL);
	case ZAPTEST_RCU:
		return zt_mp_write(x, nr, ZAPTEST_RCU);
	case ZAPTEST_RELDEREF:
		return zt_mp_write(x, nr, ZAPTEST_RELDEREF);
	case ZAPTEST_REORDER:
		return zt_mp_write(x, nr, ZAPTEST_REORDER);
	default:
		return zt_mp_write(x, nr, ZAPTEST_PLAIN);
	}
}

static __always_inline void zt_mp_read(struct zt_mp_ctx *x, int idx,
				       int variant)
{
	u64 reads = 0, nonnull = 0, forbidden = 0;

	while (!READ_ONCE(x->stop)) {
		long e = atomic_long_read_acquire(&x->epoch);
		struct zt_obj *o = zt_consume(&x->slot, variant);

		reads++;
		if (o) {
			nonnull++;
			forbidden += READ_ONCE(o->val) == 0;
		}
		atomic_long_set_release(&x->r[idx].seen, e);
		if (!(reads & ZT_RESCHED_MASK))
			cond_resched();
	}
	x->r[idx].reads = reads;
	x->r[idx].nonnull = nonnull;
	x->r[idx].forbidden = forbidden;
}

static noinline void zt_mp_reader(struct zt_mp_ctx *x, int idx)
{
	switch (x->m->variant) {
	case ZAPTEST_V3:
		return zt_mp_read(x, idx, ZAPTEST_V3);
	case ZAPTEST_ACQREL:
		return zt_mp_read(x, idx, ZAPTEST_ACQREL);
	case ZAPTEST_RCU:
		return zt_mp_read(x, idx, ZAPTEST_RCU);
	case ZAPTEST_RELDEREF:
		return zt_mp_read(x, idx, ZAPTEST_RELDEREF);
	case ZAPTEST_PLAIN:
		return zt_mp_read(x, idx, ZAPTEST_PLAIN);
	default:
		return zt_mp_read(x, idx, ZAPTEST_ONCE);
	}
}

static int zt_mp_member(struct zt_team *team, int idx)
{
	struct zt_mp_ctx *x = team->data;
	u64 t0;
	int rc = zt_team_sync(team);

	if (rc) {
		WRITE_ONCE(x->stop, 1);
		return rc;
	}
	if (idx) {
		zt_mp_reader(x, idx);
		return 0;
	}
	t0 = ktime_get_ns();
	zt_mp_writer(x, team->nr);
	x->m->ns = ktime_get_ns() - t0;
	WRITE_ONCE(x->stop, 1);
	return 0;
}

static void zt_mp_sum(struct zt_mp_ctx *x, int nr)
{
	int i;

	for (i = 1; i < nr; i++) {
		x->m->reads += x->r[i].reads;
		x->m->nonnull += x->r[i].nonnull;
		x->m->forbidden += x->r[i].forbidden;
	}
}

int zt_mp(struct zaptest_mp *m)
{
	struct zt_mp_ctx *x;
	struct zt_team *team;
	int rc = -ENOMEM;

	if (m->variant >= ZAPTEST_NR_VARIANTS || m->nr_cpus < 2 || m->nr_cpus > nr_cpu_ids)
		return -EINVAL;
	if (!m->publishes || m->publishes > ZT_MAX_LOOPS)
		return -ERANGE;
	m->reads = 0;
	m->nonnull = 0;
	m->forbidden = 0;
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	team = kzalloc(sizeof(*team), GFP_KERNEL);
	if (!x || !team)
		goto out;
	x->pool = kvcalloc(ZT_MP_POOL, sizeof(*x->pool), GFP_KERNEL);
	x->r = kcalloc(m->nr_cpus, sizeof(*x->r), GFP_KERNEL);
	if (!x->pool || !x->r)
		goto out;
	x->m = m;
	team->fn = zt_mp_member;
	team->data = x;
	rc = zt_team_run(team, m->nr_cpus);
	if (!rc)
		zt_mp_sum(x, m->nr_cpus);
out:
	if (x) {
		kfree(x->r);
		kvfree(x->pool);
	}
	kfree(team);
	kfree(x);
	return rc;
}
