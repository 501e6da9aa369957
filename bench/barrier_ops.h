/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The publish/consume patterns from the /dev/mem review, as C11 analogues.
 *
 *   variant  publish (writer)                   consume (reader)          LKMM litmus test
 *   v3       smp_wmb(); WRITE_ONCE(p, o)        READ_ONCE(p); smp_rmb()   MP+fencewmbonceonce+fencermbonceonce
 *   once     WRITE_ONCE(p, o)                   READ_ONCE(p), address dep MP+poonceonces (writer unordered)
 *   acqrel   smp_store_release(&p, o)           smp_load_acquire(&p)      MP+pooncerelease+poacquireonce
 *   rcu      rcu_assign_pointer(p, o)           rcu_dereference(p)        MP+onceassign+derefonce
 *
 * The module's relderef (smp_store_release() + READ_ONCE() and an address
 * dependency, no rcu_read_lock()) has no row: its C11 analogue is the rcu
 * row exactly, release store + consume load, since userspace has no
 * read-side critical section to leave out.
 *   plain    p = o (no ONCE, no barrier)        plain load                data race: anything goes
 *   reorder  WRITE_ONCE(p, o) BEFORE the init   READ_ONCE(p)              wrong by construction
 *
 * smp_wmb()/smp_rmb() become C11 release/acquire fences (stronger: they
 * also order loads before / stores after), WRITE_ONCE/READ_ONCE relaxed
 * atomics, rcu_dereference a consume load (GCC implements consume as
 * acquire: on x86 both are plain loads).  On x86 every fence here
 * compiles to nothing but a compiler barrier, and TSO keeps stores in
 * order: only the compiler, or the program order (reorder), can break
 * message passing on this machine.
 */
#ifndef ZB_BARRIER_OPS_H
#define ZB_BARRIER_OPS_H

#include <stdatomic.h>

enum barrier_variant { BV_NONE, BV_V3, BV_ONCE, BV_ACQREL, BV_RCU, BV_PLAIN, BV_REORDER };

struct bobj {
	long val;			/* 0 until the writer initialises it */
	char pad[56];			/* one cache line per object */
};

static inline void publish(enum barrier_variant v, struct bobj *_Atomic *p, struct bobj *o,
			   long val)
{
	switch (v) {
	case BV_V3:
		o->val = val;
		atomic_thread_fence(memory_order_release);
		atomic_store_explicit(p, o, memory_order_relaxed);
		break;
	case BV_ONCE:
		o->val = val;
		atomic_store_explicit(p, o, memory_order_relaxed);
		break;
	case BV_ACQREL:
	case BV_RCU:
		o->val = val;
		atomic_store_explicit(p, o, memory_order_release);
		break;
	case BV_PLAIN:
	case BV_NONE:
		o->val = val;
		*(struct bobj **)p = o;
		break;
	case BV_REORDER:
		atomic_store_explicit(p, o, memory_order_relaxed);
		o->val = val;
		break;
	}
}

static inline struct bobj *consume(enum barrier_variant v, struct bobj *_Atomic *p)
{
	struct bobj *o;

	switch (v) {
	case BV_V3:
		o = atomic_load_explicit(p, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		return o;
	case BV_ACQREL:
		return atomic_load_explicit(p, memory_order_acquire);
	case BV_RCU:
		return atomic_load_explicit(p, memory_order_consume);
	case BV_PLAIN:
	case BV_NONE:
		return *(struct bobj **)p;
	default:
		return atomic_load_explicit(p, memory_order_relaxed);
	}
}

#endif
