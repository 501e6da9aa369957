// SPDX-License-Identifier: GPL-2.0
/*
 * barrier: what each way of publishing the devmem inode pointer costs,
 * and whether it is correct, as userspace analogues (see barrier_ops.h;
 * the module runs the real kernel primitives).
 *
 *   barrier/consume  one consume + dereference, every worker reading one
 *                    published pointer: the open() and revoke side
 *   barrier/publish  one initialise + publish into a worker's own pointer
 *   barrier/mp       message passing under stress: worker 0 initialises
 *                    fresh objects and publishes them, the other CPUs
 *                    consume and count the forbidden outcome, a pointer
 *                    whose object still reads as uninitialised
 *
 * Costs are per operation over batches of BATCH (a barrier is ~1 ns); the
 * "none" variant is the same loop with plain accesses, the baseline to
 * read the others against.  A sample must span many clock steps: a VM's
 * TSC may read in 10 ns steps, so 1024 ops of 0.35 ns (36 steps) left
 * every median on a 3 % grid and hid a 5 % change; 16384 ops are ~570
 * steps, a 0.2 % grid.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "barrier_ops.h"
#include "case.h"

#define BATCH		16384
#define MP_BATCH	64
#define POOL_OBJS	65536		/* 4 MiB of objects, recycled per epoch */

/* Kept from the loop by the compiler, not by any ordering we measure. */
#define keep_going()	__asm__ volatile("" ::: "memory")

/*
 * Each case's variant choices are a run of enum barrier_variant: the
 * costs' from BV_NONE, the stress's from BV_V3.
 */
static enum barrier_variant cost_variant(const struct zb_worker *w)
{
	return (enum barrier_variant)(BV_NONE + zb_param_enum(w, "variant"));
}

static enum barrier_variant mp_variant(const struct zb_worker *w)
{
	return (enum barrier_variant)(BV_V3 + zb_param_enum(w, "variant"));
}

/* Specialised loops: the variant is a constant inside each. */
#define LOOPS(name, V)								\
static long consume_##name(struct bobj *_Atomic *p)				\
{										\
	long sum = 0;								\
	int i;									\
										\
	for (i = 0; i < BATCH; i++) {						\
		sum += consume(V, p)->val;					\
		keep_going();							\
	}									\
	return sum;								\
}										\
static void publish_##name(struct bobj *_Atomic *p, struct bobj *o)		\
{										\
	int i;									\
										\
	for (i = 0; i < BATCH; i++) {						\
		publish(V, p, o, i + 1);					\
		keep_going();							\
	}									\
}

LOOPS(none, BV_NONE)
LOOPS(v3, BV_V3)
LOOPS(once, BV_ONCE)
LOOPS(acqrel, BV_ACQREL)
LOOPS(rcu, BV_RCU)

static const struct {
	long (*consume)(struct bobj *_Atomic *p);
	void (*publish)(struct bobj *_Atomic *p, struct bobj *o);
} loops[] = {
	[BV_NONE] = { consume_none, publish_none },
	[BV_V3] = { consume_v3, publish_v3 },
	[BV_ONCE] = { consume_once, publish_once },
	[BV_ACQREL] = { consume_acqrel, publish_acqrel },
	[BV_RCU] = { consume_rcu, publish_rcu },
};

/* A worker's publish target and its pointer, a cache line each. */
struct cost_slot {
	struct bobj own;
	struct bobj *_Atomic ptr;
	char pad[56];
};

_Static_assert(sizeof(struct cost_slot) == 128, "own and ptr: a cache line each");

struct cost_shared {
	struct bobj obj;
	struct bobj *_Atomic ptr;	/* published once, read by all */
	char pad[56];
	struct cost_slot slot[];	/* one per worker */
};

_Static_assert(offsetof(struct cost_shared, slot) % 64 == 0, "slots start on a line");

struct cost_priv {
	enum barrier_variant v;
	volatile long sink;
};

static int cost_setup(struct zb_worker *w)
{
	struct cost_shared *s = w->shared;

	s->obj.val = 1;
	atomic_store(&s->ptr, &s->obj);
	return 0;
}

static int cost_worker_setup(struct zb_worker *w)
{
	struct cost_priv *p = w->priv;

	p->v = cost_variant(w);
	return 0;
}

static int consume_op(struct zb_worker *w)
{
	struct cost_shared *s = w->shared;
	struct cost_priv *p = w->priv;

	p->sink = loops[p->v].consume(&s->ptr);
	return 0;
}

static int publish_op(struct zb_worker *w)
{
	struct cost_shared *s = w->shared;
	struct cost_priv *p = w->priv;

	loops[p->v].publish(&s->slot[w->id].ptr, &s->slot[w->id].own);
	return 0;
}

/* ---- message passing ---- */

/* A reader's progress and counts, a cache line of its own. */
struct mp_slot {
	_Atomic long seen;		/* the epoch this reader last started in */
	long reads, nonnull, forbidden;
	char pad[32];
};

_Static_assert(sizeof(struct mp_slot) == 64, "a reader's slot: one cache line");

struct mp_shared {
	struct bobj *_Atomic ptr;
	_Atomic long epoch;		/* bumped when the pool is recycled */
	struct bobj *pool;
	long publishes;
	char pad[32];
	struct mp_slot r[];		/* one per worker; the writer's unused */
};

_Static_assert(offsetof(struct mp_shared, r) % 64 == 0, "slots start on a line");

struct mp_priv {
	enum barrier_variant v;
	long next, gen;
};

static int mp_setup(struct zb_worker *w)
{
	struct mp_shared *s = w->shared;

	if (w->nr_workers < 2)
		return zb_skip(w, "message passing needs a reader on a second CPU");
	/* Shared, so reader processes see the writer's objects. */
	s->pool = mmap(NULL, POOL_OBJS * sizeof(struct bobj), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s->pool == MAP_FAILED)
		return zb_fail(w, -errno, "pool: %s", strerror(errno));
	return 0;
}

/*
 * Before reusing the pool, every reader must have started an iteration
 * after the pointer was cleared: then none can still hold an old object,
 * and zeroing the pool cannot be mistaken for a violation.
 */
static int mp_recycle(struct zb_worker *w, struct mp_shared *s)
{
	long e;
	int i;

	atomic_store_explicit(&s->ptr, NULL, memory_order_release);
	e = atomic_fetch_add_explicit(&s->epoch, 1, memory_order_release) + 1;
	for (i = 1; i < w->nr_workers; i++)
		while (atomic_load_explicit(&s->r[i].seen, memory_order_acquire) < e)
			if (zb_stopping(w))
				return 0;
	memset(s->pool, 0, POOL_OBJS * sizeof(struct bobj));
	return 0;
}

static int mp_worker_setup(struct zb_worker *w)
{
	struct mp_priv *p = w->priv;

	p->v = mp_variant(w);
	p->next = POOL_OBJS;
	return 0;
}

static int mp_prepare(struct zb_worker *w)
{
	struct mp_shared *s = w->shared;
	struct mp_priv *p = w->priv;

	if (p->next + MP_BATCH <= POOL_OBJS)
		return 0;
	p->next = 0;
	return mp_recycle(w, s);
}

static int mp_op(struct zb_worker *w)
{
	struct mp_shared *s = w->shared;
	struct mp_priv *p = w->priv;
	int i;

	for (i = 0; i < MP_BATCH; i++)
		publish(p->v, &s->ptr, &s->pool[p->next++], ++p->gen);
	return 0;
}

static int mp_reader(struct zb_worker *w)
{
	struct mp_shared *s = w->shared;
	enum barrier_variant v = mp_variant(w);
	long reads = 0, nonnull = 0, forbidden = 0;

	while (!zb_stopping(w)) {
		long e = atomic_load_explicit(&s->epoch, memory_order_acquire);
		struct bobj *o = consume(v, &s->ptr);

		reads++;
		if (o) {
			nonnull++;
			forbidden += o->val == 0;
		}
		atomic_store_explicit(&s->r[w->id].seen, e, memory_order_release);
		keep_going();
	}
	s->r[w->id].reads = reads;
	s->r[w->id].nonnull = nonnull;
	s->r[w->id].forbidden = forbidden;
	return 0;
}

static void mp_worker_teardown(struct zb_worker *w)
{
	struct mp_shared *s = w->shared;
	struct mp_priv *p = w->priv;

	if (w->id == 0)
		s->publishes = p->gen;
}

static void mp_teardown(struct zb_worker *w)
{
	struct mp_shared *s = w->shared;
	long reads = 0, nonnull = 0, forbidden = 0;
	int i;

	for (i = 1; i < w->nr_workers; i++) {
		reads += s->r[i].reads;
		nonnull += s->r[i].nonnull;
		forbidden += s->r[i].forbidden;
	}
	zb_note(w, "forbidden", (double)forbidden);
	zb_note(w, "reads", (double)reads);
	zb_note(w, "nonnull_reads", (double)nonnull);
	zb_note(w, "publishes", (double)s->publishes);
	if (s->pool && s->pool != MAP_FAILED)
		munmap(s->pool, POOL_OBJS * sizeof(struct bobj));
}

static const struct zb_param cost_params[] = {
	ZB_ENUM_PARAM("variant", "none,v3,once,acqrel,rcu",
		      "publication pattern (none: plain accesses, the loop baseline)"),
	ZB_CPUS_PARAM(),
	ZB_MODE_PARAM(.def = "thread", .help = "workers are threads (shared memory) or processes"),
	{ .name = NULL },
};

static const struct zb_param mp_params[] = {
	ZB_ENUM_PARAM("variant", "v3,once,acqrel,rcu,plain,reorder",
		      "publication pattern; plain and reorder are deliberately broken"),
	ZB_CPUS_PARAM(.def = "2,nproc", .quick_def = "2",
		      .help = "the writer plus readers, one per CPU"),
	ZB_MODE_PARAM(.def = "thread",
		      .help = "readers are threads or processes (the pool is shared either way)"),
	{ .name = NULL },
};

const struct zb_case zb_family_barrier[] = {
	{
		.name = "barrier/consume",
		.desc = "cost of one consume + dereference of a published pointer (C11 analogue)",
		.params = cost_params,
		.batch = BATCH,
		.shared_size = sizeof(struct cost_shared),
		.shared_per_worker = sizeof(struct cost_slot),
		.priv_size = sizeof(struct cost_priv),
		.setup = cost_setup,
		.worker_setup = cost_worker_setup,
		.op = consume_op,
	},
	{
		.name = "barrier/publish",
		.desc = "cost of one initialise + publish into the worker's own pointer",
		.params = cost_params,
		.batch = BATCH,
		.shared_size = sizeof(struct cost_shared),
		.shared_per_worker = sizeof(struct cost_slot),
		.priv_size = sizeof(struct cost_priv),
		.worker_setup = cost_worker_setup,
		.op = publish_op,
	},
	{
		.name = "barrier/mp",
		.desc = "message-passing stress: publish latency and forbidden outcomes seen",
		.params = mp_params,
		.flags = ZB_CASE_PEERS | ZB_CASE_STRESS,
		.batch = MP_BATCH,
		.table_notes = "forbidden,nonnull_reads",
		.shared_size = sizeof(struct mp_shared),
		.shared_per_worker = sizeof(struct mp_slot),
		.priv_size = sizeof(struct mp_priv),
		.setup = mp_setup,
		.worker_setup = mp_worker_setup,
		.prepare = mp_prepare,
		.op = mp_op,
		.peer = mp_reader,
		.worker_teardown = mp_worker_teardown,
		.teardown = mp_teardown,
	},
	{ .name = NULL },
};
