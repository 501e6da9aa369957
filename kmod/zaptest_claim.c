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
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/timex.h>
#include "zaptest_core.h"

static DEFINE_MUTEX(zt_claim_lock);
static struct resource *zt_claimed;

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
	c0 = get_cycles();
	t0 = ktime_get_ns();
	res = request_mem_region(zt_claim_base, zt_claim_size, "zaptest");
	c->ns = ktime_get_ns() - t0;
	c->cycles = get_cycles() - c0;
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
