/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * How the shared inode pointer is published and read (the module's
 * "variant" parameter): the one list of the names, in enum
 * zaptest_variant's order, expanded by the module and by zapbench.
 * Define ZAPTEST_VARIANT(e, name) and ZAPTEST_BROKEN_VARIANT(e, name),
 * then include this file; it undefines both.  The sound variants:
 *   v3        smp_wmb(); WRITE_ONCE() / READ_ONCE(); smp_rmb()
 *   once      WRITE_ONCE() / READ_ONCE()
 *   acqrel    smp_store_release() / smp_load_acquire()
 *   rcu       rcu_assign_pointer() / rcu_dereference()
 *   relderef  smp_store_release() / READ_ONCE(), address dep
 * and the broken controls, after them:
 *   plain     plain store / plain load
 *   reorder   MP stress only: publish before initialising
 */
ZAPTEST_VARIANT(V3, v3)
ZAPTEST_VARIANT(ONCE, once)
ZAPTEST_VARIANT(ACQREL, acqrel)
ZAPTEST_VARIANT(RCU, rcu)
ZAPTEST_VARIANT(RELDEREF, relderef)
ZAPTEST_BROKEN_VARIANT(PLAIN, plain)
ZAPTEST_BROKEN_VARIANT(REORDER, reorder)

#undef ZAPTEST_VARIANT
#undef ZAPTEST_BROKEN_VARIANT
