// SPDX-License-Identifier: GPL-2.0
/*
 * Counters for STATS.  Faults and opens are per-CPU because they are
 * the paths that scale with CPUs: a shared atomic would turn the
 * counter itself into the contended cache line being measured.
 */
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include "zaptest_core.h"

struct zt_pcpu {
	u64 opens;
	u64 faults;
	u64 sigbus;
	u64 fault_errors;
	u64 remaps;
};

static DEFINE_PER_CPU(struct zt_pcpu, zt_pcpu);

/* Revokes are rare and serialised enough for one lock. */
static DEFINE_SPINLOCK(zt_stats_lock);
static struct zaptest_stats zt_slow;

void zt_count_open(void)
{
	this_cpu_inc(zt_pcpu.opens);
}

/* Served means a PTE went in; SIGBUS is a refusal; anything else failed. */
void zt_count_fault(vm_fault_t ret)
{
	if (ret == VM_FAULT_NOPAGE)
		this_cpu_inc(zt_pcpu.faults);
	else if (ret == VM_FAULT_SIGBUS)
		this_cpu_inc(zt_pcpu.sigbus);
	else
		this_cpu_inc(zt_pcpu.fault_errors);
}

/* Per-CPU too: kmod_revoke remaps N VMAs before every sample. */
void zt_count_remap(void)
{
	this_cpu_inc(zt_pcpu.remaps);
}

void zt_count_revoke(u64 ns)
{
	spin_lock(&zt_stats_lock);
	zt_slow.revokes++;
	zt_slow.last_ns = ns;
	if (!zt_slow.min_ns || ns < zt_slow.min_ns)
		zt_slow.min_ns = ns;
	if (ns > zt_slow.max_ns)
		zt_slow.max_ns = ns;
	spin_unlock(&zt_stats_lock);
}

void zt_count_grant(void)
{
	spin_lock(&zt_stats_lock);
	zt_slow.grants++;
	spin_unlock(&zt_stats_lock);
}

void zt_count_claim(void)
{
	spin_lock(&zt_stats_lock);
	zt_slow.claims++;
	spin_unlock(&zt_stats_lock);
}

void zt_stats_read(struct zaptest_stats *st)
{
	int cpu;

	spin_lock(&zt_stats_lock);
	*st = zt_slow;
	spin_unlock(&zt_stats_lock);
	for_each_possible_cpu(cpu) {
		struct zt_pcpu *p = per_cpu_ptr(&zt_pcpu, cpu);

		st->opens += READ_ONCE(p->opens);
		st->faults += READ_ONCE(p->faults);
		st->sigbus += READ_ONCE(p->sigbus);
		st->fault_errors += READ_ONCE(p->fault_errors);
		st->remaps += READ_ONCE(p->remaps);
	}
}

/* Racy against concurrent faults by design: reset between runs only. */
void zt_stats_reset(void)
{
	int cpu;

	spin_lock(&zt_stats_lock);
	memset(&zt_slow, 0, sizeof(zt_slow));
	spin_unlock(&zt_stats_lock);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&zt_pcpu, cpu), 0, sizeof(struct zt_pcpu));
}
