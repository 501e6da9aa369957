/* SPDX-License-Identifier: GPL-2.0 */
/* One line per benchmark family (bench/<name>.c); order is run order. */
ZB_FAMILY(revoke)
ZB_FAMILY(fault)
ZB_FAMILY(open)
ZB_FAMILY(barrier)
ZB_FAMILY(kmod_revoke)
ZB_FAMILY(kmod_fault)
ZB_FAMILY(kmod_open)
ZB_FAMILY(devmem_revoke)
ZB_FAMILY(kmod_barrier)
ZB_FAMILY(watchdog)
ZB_FAMILY(perftest)
