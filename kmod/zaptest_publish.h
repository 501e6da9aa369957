/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The four ways the /dev/mem review proposed to publish the unified
 * inode pointer, relderef (rcu's shape without the read-side lock: the
 * LKMM's MP+onceassign+derefonce, "Result: Never", which orders through
 * the release and the address dependency alone), plus the broken ones
 * the stress test must catch.
 *
 * Always inlined with a constant @variant, so each call compiles to
 * exactly one variant's code and the switch disappears: the
 * microbenchmarks then time the barrier, not a branch.
 */
#ifndef _ZAPTEST_PUBLISH_H
#define _ZAPTEST_PUBLISH_H

#include <linux/compiler.h>
#include <linux/rcupdate.h>
#include <asm/barrier.h>
#include "uapi/zaptest.h"

static __always_inline void zt_publish(void **p, void *v, int variant)
{
	switch (variant) {
	case ZAPTEST_V3:
		/* orders the object's initialisation before the pointer */
		smp_wmb();
		WRITE_ONCE(*p, v);
		break;
	case ZAPTEST_ONCE:
	case ZAPTEST_REORDER:
		WRITE_ONCE(*p, v);
		break;
	case ZAPTEST_ACQREL:
		/* pairs with smp_load_acquire() in zt_consume() */
		smp_store_release(p, v);
		break;
	case ZAPTEST_RELDEREF:
		/* pairs with the address dependency after READ_ONCE() in zt_consume() */
		smp_store_release(p, v);
		break;
	case ZAPTEST_RCU:
		rcu_assign_pointer(*p, v);
		break;
	default:
		/* ZAPTEST_PLAIN: a data race on purpose */
		*p = v;
		break;
	}
}

/*
 * rcu_dereference() needs a read-side critical section to be legal; the
 * lock/unlock pair is part of what the rcu variant costs.  The object is
 * never freed while the module is loaded, so using it after the unlock
 * is safe here.
 */
static __always_inline void *zt_consume(void **p, int variant)
{
	void *v;

	switch (variant) {
	case ZAPTEST_V3:
		v = READ_ONCE(*p);
		/* pairs with smp_wmb() in zt_publish() */
		smp_rmb();
		return v;
	case ZAPTEST_ONCE:
	case ZAPTEST_REORDER:
		return READ_ONCE(*p);
	case ZAPTEST_ACQREL:
		/* pairs with smp_store_release() in zt_publish() */
		return smp_load_acquire(p);
	case ZAPTEST_RELDEREF:
		/*
		 * Pairs with smp_store_release() in zt_publish(): the caller's
		 * load through the returned pointer depends on this one.
		 */
		return READ_ONCE(*p);
	case ZAPTEST_RCU:
		rcu_read_lock();
		v = rcu_dereference(*p);
		rcu_read_unlock();
		return v;
	default:
		return *p;
	}
}

#endif /* _ZAPTEST_PUBLISH_H */
