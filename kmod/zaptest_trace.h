/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM zaptest

#if !defined(_ZAPTEST_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ZAPTEST_TRACE_H

#include <linux/tracepoint.h>

/*
 * begin/end bracket the unmap_mapping_range() of a revoke, so tracefs
 * or perf can line the revoke up with the TLB flushes and IPIs it
 * causes; zaptest_fault shows each fault served or refused after it.
 */
TRACE_EVENT(zaptest_revoke_begin,
	    TP_PROTO(u64 offset, u64 len),
	    TP_ARGS(offset, len),
	    TP_STRUCT__entry(__field(u64, offset)
			     __field(u64, len)),
	    TP_fast_assign(__entry->offset = offset;
			   __entry->len = len;),
	    TP_printk("offset=%#llx len=%#llx", __entry->offset, __entry->len)
);

TRACE_EVENT(zaptest_revoke_end,
	    TP_PROTO(u64 offset, u64 len, u64 ns),
	    TP_ARGS(offset, len, ns),
	    TP_STRUCT__entry(__field(u64, offset)
			     __field(u64, len)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->offset = offset;
			   __entry->len = len;
			   __entry->ns = ns;),
	    TP_printk("offset=%#llx len=%#llx ns=%llu",
		      __entry->offset, __entry->len, __entry->ns)
);

TRACE_EVENT(zaptest_fault,
	    TP_PROTO(unsigned long pgoff, unsigned long address, unsigned int ret),
	    TP_ARGS(pgoff, address, ret),
	    TP_STRUCT__entry(__field(unsigned long, pgoff)
			     __field(unsigned long, address)
			     __field(unsigned int, ret)),
	    TP_fast_assign(__entry->pgoff = pgoff;
			   __entry->address = address;
			   __entry->ret = ret;),
	    TP_printk("pgoff=%lu address=%#lx ret=%#x",
		      __entry->pgoff, __entry->address, __entry->ret)
);

#endif /* _ZAPTEST_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE zaptest_trace
#include <trace/define_trace.h>
