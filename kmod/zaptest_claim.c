// SPDX-License-Identifier: GPL-2.0
/*
 * CLAIM does what a driver does when it takes over a physical range:
 * request_mem_region().  With CONFIG_IO_STRICT_DEVMEM that call revokes
 * every /dev/mem mapping of the range (revoke_iomem() in
 * kernel/resource.c), which is the path this module exists to measure.
 * The range comes from module parameters, normally RAM the guest kernel
 * was told to leave alone with memmap=.
 */
#include <linux/ioport.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/timex.h>
#include "zaptest_core.h"

static DEFINE_MUTEX(zt_claim_lock);
static struct resource *zt_claimed;

/*
 * A kretprobe on unmap_mapping_range() splits the claim's time into the
 * revoke itself and the resource-tree work around it, and proves the
 * revoke happened.  Only calls by the task inside CLAIM count; the
 * totals are written under zt_claim_lock's protection of that task.
 */
static struct task_struct *zt_claimer;
static u64 zt_unmap_ns;
static u32 zt_unmap_calls;
static bool zt_kprobe_ok;

struct zt_unmap_call {
	u64 t0;
};

static int zt_unmap_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct zt_unmap_call *c = (struct zt_unmap_call *)ri->data;

	if (READ_ONCE(zt_claimer) != current)
		return 1;	/* not ours: no return handler */
	c->t0 = ktime_get_ns();
	return 0;
}

static int zt_unmap_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct zt_unmap_call *c = (struct zt_unmap_call *)ri->data;

	zt_unmap_ns += ktime_get_ns() - c->t0;
	zt_unmap_calls++;
	return 0;
}

static struct kretprobe zt_unmap_probe = {
	.entry_handler = zt_unmap_entry,
	.handler = zt_unmap_return,
	.data_size = sizeof(struct zt_unmap_call),
	.maxactive = 8,
};

/*
 * Armed only around a claim: a probe left on unmap_mapping_range() would
 * slow every other revoke zapbench times.  Without kprobes CLAIM still
 * works; it just cannot split its time.
 */
static void zt_probe_arm(void)
{
	/* a kprobe is registered afresh each time: reset what the last left */
	memset(&zt_unmap_probe.kp, 0, sizeof(zt_unmap_probe.kp));
	zt_unmap_probe.kp.symbol_name = "unmap_mapping_range";
	zt_kprobe_ok = !register_kretprobe(&zt_unmap_probe);
}

static void zt_probe_disarm(void)
{
	if (zt_kprobe_ok)
		unregister_kretprobe(&zt_unmap_probe);
}

int zt_claim(struct zaptest_claim *c)
{
	struct resource *res;
	u64 t0, c0;
	int rc = 0;

	if (!zt_claim_size)
		return -ENODEV;
	mutex_lock(&zt_claim_lock);
	if (zt_claimed) {
		rc = -EBUSY;
		goto out;
	}
	zt_kprobe_ok = false;
	if (c->flags & ZAPTEST_CLAIM_PROBE)
		zt_probe_arm();
	zt_unmap_ns = 0;
	zt_unmap_calls = 0;
	WRITE_ONCE(zt_claimer, current);
	c0 = get_cycles();
	t0 = ktime_get_ns();
	res = request_mem_region(zt_claim_base, zt_claim_size, "zaptest");
	c->ns = ktime_get_ns() - t0;
	c->cycles = get_cycles() - c0;
	WRITE_ONCE(zt_claimer, NULL);
	zt_probe_disarm();
	c->unmap_ns = zt_unmap_ns;
	c->unmap_calls = zt_unmap_calls;
	c->kprobe_ok = zt_kprobe_ok;
	if (!res) {
		rc = -EBUSY;
		goto out;
	}
	zt_claimed = res;
	zt_count_claim();
out:
	mutex_unlock(&zt_claim_lock);
	return rc;
}

int zt_release(void)
{
	int rc = 0;

	mutex_lock(&zt_claim_lock);
	if (zt_claimed)
		release_mem_region(zt_claim_base, zt_claim_size);
	else
		rc = -EINVAL;
	zt_claimed = NULL;
	mutex_unlock(&zt_claim_lock);
	return rc;
}

void zt_claim_exit(void)
{
	zt_release();
}
