// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_barrier: the publication variants inside the kernel, where the
 * review's question lives.  zaptest.ko's BENCH ioctl runs one variant's
 * consume (load the pointer, then a field through it), publish (each CPU
 * its own pointer) or republish (every CPU the same pointer) loop on
 * per-CPU kthreads; the sample is the mean over CPUs of
 * (loop - empty loop) / loops, by the kernel's clock.  The MP ioctl is
 * the litmus-style stress: forbidden outcomes counted, per variant.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kmod_dev.h"

struct kbar_priv {
	int fd;
	struct zaptest_info info;
	struct zaptest_bench *b;
	struct zaptest_bench_cpu *res;	/* b->nr_cpus: the kthreads' results */
	struct zaptest_mp mp;
	double min, max, overhead;
	uint64_t forbidden, nonnull, reads;
	long n;
};

static int kbar_worker_setup(struct zb_worker *w)
{
	struct kbar_priv *p = w->priv;
	long n = zb_param_int(w, "kthreads");

	p->fd = zb_kmod_open(w, &p->info);
	if (p->fd < 0)
		return p->fd;
	if (n > p->info.nr_cpus)
		return zb_skip(w, "--kthreads %ld: the kernel has %u CPUs online", n,
			       p->info.nr_cpus);
	p->min = 1e300;
	return 0;
}

static int kbar_cost_setup(struct zb_worker *w)
{
	struct kbar_priv *p = w->priv;
	int err = kbar_worker_setup(w);

	if (err)
		return err;
	p->b = calloc(1, sizeof(*p->b));
	p->res = calloc((size_t)zb_param_int(w, "kthreads"), sizeof(*p->res));
	if (!p->b || !p->res)
		return zb_fail(w, -ENOMEM, "out of memory");
	p->b->results = (uint64_t)(uintptr_t)p->res;
	p->b->variant = (uint32_t)zb_param_enum(w, "variant");
	p->b->op = (uint32_t)zb_param_enum(w, "op");
	p->b->nr_cpus = (uint32_t)zb_param_int(w, "kthreads");
	p->b->loops = (uint64_t)zb_param_int(w, "loops");
	return 0;
}

static int kbar_cost_op(struct zb_worker *w)
{
	struct kbar_priv *p = w->priv;
	struct zaptest_bench *b = p->b;
	double sum = 0, over = 0;
	uint32_t i;

	if (ioctl(p->fd, ZAPTEST_IOC_BENCH, b))
		return zb_fail(w, -errno, "ZAPTEST_IOC_BENCH: %s", strerror(errno));
	for (i = 0; i < b->nr_cpus; i++) {
		const struct zaptest_bench_cpu *r = &p->res[i];
		double ns = ((double)r->ns - (double)r->overhead_ns) / (double)b->loops;

		sum += ns;
		over += (double)r->overhead_ns / (double)b->loops;
		p->min = ns < p->min ? ns : p->min;
		p->max = ns > p->max ? ns : p->max;
	}
	p->overhead += over / b->nr_cpus;
	p->n++;
	zb_sample_ns(w, sum / b->nr_cpus);
	return 0;
}

static void kbar_cost_teardown(struct zb_worker *w)
{
	struct kbar_priv *p = w->priv;

	if (p->n) {
		zb_note(w, "cpu_min_ns", p->min);
		zb_note(w, "cpu_max_ns", p->max);
		zb_note(w, "loop_overhead_ns", p->overhead / p->n);
	}
	free(p->b);
	free(p->res);
	if (p->fd > 0)
		close(p->fd);
}

static int kbar_mp_setup(struct zb_worker *w)
{
	struct kbar_priv *p = w->priv;
	int err = kbar_worker_setup(w);

	if (err)
		return err;
	p->mp.variant = (uint32_t)zb_param_enum(w, "variant");
	p->mp.nr_cpus = (uint32_t)zb_param_int(w, "kthreads");
	p->mp.publishes = (uint64_t)zb_param_int(w, "loops");
	if (p->mp.nr_cpus < 2)
		return zb_skip(w, "message passing needs a reader on a second CPU");
	return 0;
}

static int kbar_mp_op(struct zb_worker *w)
{
	struct kbar_priv *p = w->priv;

	if (ioctl(p->fd, ZAPTEST_IOC_MP, &p->mp))
		return zb_fail(w, -errno, "ZAPTEST_IOC_MP: %s", strerror(errno));
	p->forbidden += p->mp.forbidden;
	p->nonnull += p->mp.nonnull;
	p->reads += p->mp.reads;
	p->n++;
	zb_sample_ns(w, (double)p->mp.ns / (double)p->mp.publishes);
	return 0;
}

static void kbar_mp_teardown(struct zb_worker *w)
{
	struct kbar_priv *p = w->priv;

	if (p->n) {
		zb_note(w, "forbidden", (double)p->forbidden);
		zb_note(w, "nonnull_reads", (double)p->nonnull);
		zb_note(w, "reads", (double)p->reads);
		zb_note(w, "publishes", (double)p->mp.publishes * p->n);
	}
	if (p->fd > 0)
		close(p->fd);
}

/* op's choices in enum zaptest_bench_op's order, the variants in uapi's. */
static const struct zb_param kbar_cost_params[] = {
	ZB_ENUM_PARAM("op", "consume,publish,republish",
		      "read the pointer and a field; each CPU publishes its own; all publish one",
		      .quick_def = "consume,publish"),
	ZB_ENUM_PARAM("variant", ZB_KMOD_SOUND_VARIANTS, "publication variant"),
	ZB_INT_PARAM("kthreads", 1, ZB_CPUS_MAX, "1,2,4",
		     "kthreads, one per CPU (not --cpus: one harness worker drives them)",
		     .quick_def = "1,2"),
	ZB_INT_PARAM("loops", 1000, 100000000, "1000000", "operations per kthread per sample",
		     .quick_def = "200000"),
	{ .name = NULL },
};

static const struct zb_param kbar_mp_params[] = {
	ZB_ENUM_PARAM("variant", ZB_KMOD_VARIANTS,
		      "publication variant; plain and reorder are the broken controls"),
	ZB_INT_PARAM("kthreads", 2, ZB_CPUS_MAX, "2,4",
		     "writer + readers, one kthread per CPU", .quick_def = "2"),
	ZB_INT_PARAM("loops", 1000, 100000000, "1000000", "objects published per sample",
		     .quick_def = "100000"),
	{ .name = NULL },
};

const struct zb_case zb_family_kmod_barrier[] = {
	{
		.name = "kmod_barrier/cost",
		.desc = "ns per consume/publish of each variant on per-CPU kthreads (kernel clock)",
		.params = kbar_cost_params,
		.flags = ZB_CASE_DIFFERENCE,
		.table_notes = "cpu_min_ns,cpu_max_ns",
		.priv_size = sizeof(struct kbar_priv),
		.worker_setup = kbar_cost_setup,
		.op = kbar_cost_op,
		.worker_teardown = kbar_cost_teardown,
	},
	{
		.name = "kmod_barrier/mp",
		.desc = "message-passing stress in the kernel: forbidden outcomes per variant",
		.params = kbar_mp_params,
		.flags = ZB_CASE_STRESS,
		.table_notes = "forbidden,nonnull_reads",
		.priv_size = sizeof(struct kbar_priv),
		.worker_setup = kbar_mp_setup,
		.op = kbar_mp_op,
		.worker_teardown = kbar_mp_teardown,
	},
	{ .name = NULL },
};
