// SPDX-License-Identifier: GPL-2.0
/*
 * No CPU ceiling: worker placement, cpus sweeps and counter groups
 * planned for simulated 256- and 1024-CPU machines (LKP boxes have
 * 88-224), fed to the same functions the run uses on this one.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpus.h"
#include "core/params.h"
#include "counters/counters.h"
#include "registry.h"
#include "zbtest.h"

/* A simulated machine: @smt threads per core, @cores per package, a node per package. */
struct sim {
	int first;		/* lowest CPU number */
	int cores;		/* per package */
	int smt;
	int adjacent;		/* siblings numbered next to each other, else a core apart */
	int nr;			/* CPUs in all */
};

static void sim_topo(struct zb_cpu *p, void *arg)
{
	const struct sim *m = arg;
	int i = p->cpu - m->first, per_thread = m->nr / m->smt;
	int core = m->adjacent ? i / m->smt : i % per_thread;

	p->core = core % m->cores;
	p->package = core / m->cores;
	p->node = p->package;
}

static void sim_plan(const struct sim *m, struct zb_cpus *c)
{
	int top = m->first + m->nr, i;
	cpu_set_t *set = CPU_ALLOC(top);
	size_t size = CPU_ALLOC_SIZE(top);

	ASSERT_TRUE(set != NULL);
	CPU_ZERO_S(size, set);
	for (i = m->first; i < top; i++)
		CPU_SET_S(i, size, set);
	ASSERT_EQ(0, zb_cpus_plan(c, set, size, sim_topo, (void *)m));
	CPU_FREE(set);
	ASSERT_EQ(c->n, m->nr);
}

/* Every core's first thread before any second one; no CPU twice, no core twice among the first. */
static void check_cores_first(const struct zb_cpus *c, int nr_cores)
{
	int i, j;

	for (i = 0; i < c->n; i++) {
		ASSERT_EQ(c->cpu[i].smt_rank, i < nr_cores ? 0 : 1);
		for (j = 0; j < i; j++) {
			ASSERT_TRUE(c->cpu[j].cpu != c->cpu[i].cpu);
			if (i < nr_cores)
				ASSERT_TRUE(c->cpu[j].core != c->cpu[i].core ||
					    c->cpu[j].package != c->cpu[i].package);
		}
	}
}

TEST(placement_256_cpus_cores_then_siblings)
{
	/* 2 packages x 64 cores x 2 threads, siblings 128 apart (Intel's numbering) */
	const struct sim m = { .first = 0, .cores = 64, .smt = 2, .adjacent = 0, .nr = 256 };
	struct zb_cpus c;
	int i;

	sim_plan(&m, &c);
	check_cores_first(&c, 128);
	/* Node 0's cores, node 1's cores, then their siblings in the same order. */
	for (i = 0; i < 256; i++)
		ASSERT_EQ(c.cpu[i].cpu, i);
	ASSERT_EQ(0, c.cpu[63].node);
	ASSERT_EQ(1, c.cpu[64].node);
	ASSERT_EQ(0, c.cpu[128].node);
	ASSERT_EQ(c.cpu[128].core, c.cpu[0].core);
	zb_cpus_free(&c);
}

TEST(placement_256_cpus_adjacent_siblings)
{
	/* The same machine numbered the other way: worker 1 must not share a core with 0. */
	const struct sim m = { .first = 0, .cores = 64, .smt = 2, .adjacent = 1, .nr = 256 };
	struct zb_cpus c;
	int i;

	sim_plan(&m, &c);
	check_cores_first(&c, 128);
	for (i = 0; i < 128; i++) {
		ASSERT_EQ(c.cpu[i].cpu, 2 * i);
		ASSERT_EQ(c.cpu[128 + i].cpu, 2 * i + 1);
	}
	zb_cpus_free(&c);
}

TEST(placement_1024_cpus_beyond_cpu_setsize)
{
	/* CPUs 1024..2047: not one fits a static cpu_set_t (CPU_SETSIZE 1024). */
	const struct sim m = { .first = 1024, .cores = 128, .smt = 2, .adjacent = 1, .nr = 1024 };
	struct zb_cpus c;
	int list[3] = { 2047, 1024, 1500 }, bad = -1, i;

	ASSERT_EQ(CPU_SETSIZE, 1024);
	sim_plan(&m, &c);
	check_cores_first(&c, 512);
	for (i = 0; i < 512; i++) {
		ASSERT_EQ(c.cpu[i].cpu, 1024 + 2 * i);
		ASSERT_EQ(c.cpu[i].node, i / 128);
	}
	ASSERT_EQ(2047, c.cpu[1023].cpu);
	/* --cpu-list picks from the same set, in the order given. */
	ASSERT_EQ(0, zb_cpus_select(&c, list, 3, &bad));
	ASSERT_EQ(3, c.n);
	ASSERT_EQ(2047, c.cpu[0].cpu);
	ASSERT_EQ(1500, c.cpu[2].cpu);
	list[0] = 3000;
	ASSERT_EQ(-ENODEV, zb_cpus_select(&c, list, 1, &bad));
	ASSERT_EQ(3000, bad);
	zb_cpus_free(&c);
}

TEST(pin_sizes_the_mask_from_the_cpu)
{
	struct zb_cpus c;

	ASSERT_EQ(0, zb_cpus_load(&c));
	ASSERT_TRUE(c.n >= 1);
	ASSERT_EQ(0, zb_pin(c.cpu[0].cpu));
	ASSERT_EQ(sched_getcpu(), c.cpu[0].cpu);
	/* A CPU this machine lacks, past CPU_SETSIZE: refused, not written out of bounds. */
	ASSERT_EQ(-EINVAL, zb_pin(4000));
	ASSERT_EQ(-EINVAL, zb_pin(-1));
	zb_cpus_free(&c);
}

static const struct zb_param doubling =
	ZB_CPUS_PARAM(.def = "1,2,4,8,16,32,64,128,256,512,nproc");

TEST(sweep_values_doubling_to_nproc)
{
	char out[ZB_MAX_VALUES][32], why[128];

	/* 512 is beyond this machine: still a valid value (the runner skips it) */
	ASSERT_EQ(10, zb_param_list(&doubling, doubling.def, 256, out, ZB_MAX_VALUES, why, sizeof(why)));
	ASSERT_STREQ("1", out[0]);
	ASSERT_STREQ("256", out[8]);
	ASSERT_STREQ("512", out[9]);
	ASSERT_EQ(11, zb_param_list(&doubling, doubling.def, 1024, out, ZB_MAX_VALUES, why, sizeof(why)));
	ASSERT_STREQ("1024", out[10]);
	ASSERT_EQ(-ERANGE, zb_param_check(&doubling, "8193", why, sizeof(why)));
}

/* Every family's "cpus" takes a 224- and a 1024-CPU machine's nproc. */
TEST(every_case_sweeps_cpus_to_1024)
{
	const struct zb_case *const *c;
	char why[256];
	int seen = 0;

	for (c = zb_all_cases(); *c; c++) {
		const struct zb_param *p = zb_case_param(*c, "cpus");
		struct zb_sweep s;
		long k;

		if (!p || p->kind != ZB_PARAM_CPUS)
			continue;
		seen++;
		ASSERT_EQ(0, zb_param_check(p, "224", why, sizeof(why)));
		ASSERT_EQ(0, zb_param_check(p, "1024", why, sizeof(why)));
		ASSERT_EQ(0, zb_sweep_init(&s, *c, NULL, 0, 0, 1024, why, sizeof(why)));
		/* nproc in the default list is the whole machine */
		if (strstr(zb_param_default(p, 0), "nproc")) {
			int found = 0;

			for (k = 0; k < zb_sweep_count(&s); k++) {
				struct zb_point pt;

				zb_sweep_point(&s, k, &pt);
				found |= !strcmp(zb_point_get(&pt, "cpus"), "1024");
			}
			ASSERT_TRUE(found);
		}
	}
	ASSERT_TRUE(seen >= 5);
}

/* Two tracepoints, a hardware event, two software events: as a plan leaves them. */
static void fake_counters(struct zb_counters *cs, int nr_trace)
{
	static const struct { const char *name; enum zb_ev_kind kind; unsigned int type; } ev[] = {
		{ "tlb:tlb_flush", ZB_EV_TRACE, PERF_TYPE_TRACEPOINT },
		{ "ipi:ipi_send_cpu", ZB_EV_TRACE, PERF_TYPE_TRACEPOINT },
		{ "cycles", ZB_EV_PERF, PERF_TYPE_HARDWARE },
		{ "task-clock", ZB_EV_PERF, PERF_TYPE_SOFTWARE },
		{ "page-faults", ZB_EV_PERF, PERF_TYPE_SOFTWARE },
	};
	int i;

	memset(cs, 0, sizeof(*cs));
	cs->trace_system_wide = 1;
	for (i = 0; i < 5; i++) {
		struct zb_event *e = &cs->ev[cs->nr++];

		snprintf(e->name, sizeof(e->name), "%s", ev[i].name);
		e->kind = ev[i].kind;
		e->attr.type = ev[i].type;
		e->ok = ev[i].kind != ZB_EV_TRACE || i < nr_trace;
		cs->nr_ok += e->ok;
	}
}

static void check_groups(int ncpu, int cpu)
{
	struct zb_counters cs;
	struct zb_cset s;
	int k;

	fake_counters(&cs, 2);
	ASSERT_EQ(0, zb_cset_plan(&s, &cs, cpu, 1, ncpu));
	ASSERT_TRUE(s.system_wide);
	/* a tracepoint group on every CPU, the hardware group, one per software event */
	ASSERT_EQ(s.nr_planned, ncpu + 1 + 2);
	for (k = 0; k < ncpu; k++) {
		ASSERT_EQ(ZB_EV_TRACE, s.g[k].kind);
		ASSERT_EQ(-1, s.g[k].pid);
		/* peers first, this CPU last */
		ASSERT_EQ(s.g[k].cpu, (cpu + 1 + k) % ncpu);
	}
	ASSERT_EQ(s.g[ncpu - 1].cpu, cpu);
	ASSERT_EQ(ZB_EV_PERF, s.g[ncpu].kind);
	ASSERT_EQ(-1, s.g[ncpu].only);
	ASSERT_EQ(3, s.g[ncpu + 1].only);
	ASSERT_EQ(4, s.g[ncpu + 2].only);
	ASSERT_EQ(0, s.nr);
	zb_cset_close(&s);
	ASSERT_TRUE(s.g == NULL);
}

TEST(counter_groups_256_cpus)
{
	check_groups(256, 5);
}

TEST(counter_groups_1024_cpus_past_cpu_63)
{
	check_groups(1024, 1000);
	check_groups(1024, 0);
}

TEST(counter_groups_task_scope_and_no_tracepoints)
{
	struct zb_counters cs;
	struct zb_cset s;

	/* Several timed workers: tracepoints on the task, one group, whatever the machine. */
	fake_counters(&cs, 2);
	ASSERT_EQ(0, zb_cset_plan(&s, &cs, 7, 0, 1024));
	ASSERT_EQ(0, s.system_wide);
	ASSERT_EQ(s.nr_planned, 1 + 1 + 2);
	ASSERT_EQ(-1, s.g[0].cpu);
	ASSERT_EQ(0, s.g[0].pid);
	zb_cset_close(&s);
	/* No tracepoint available: no group per CPU either. */
	fake_counters(&cs, 0);
	ASSERT_EQ(0, zb_cset_plan(&s, &cs, 7, 1, 1024));
	ASSERT_EQ(1 + 2, s.nr_planned);
	ASSERT_EQ(ZB_EV_PERF, s.g[0].kind);
	zb_cset_close(&s);
}

