/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The points of a loaded record, repetitions folded together: what plot
 * and history read instead of walking benchmarks[] themselves.
 */
#ifndef ZB_RECORD_POINTS_H
#define ZB_RECORD_POINTS_H

#include <stddef.h>

#include "record/json.h"

struct zb_rpoint {
	const char *name;		/* "revoke/ftruncate/maps:1000/populate:yes" */
	const char *case_name;		/* "revoke/ftruncate" */
	const struct zb_jval *first;	/* its first repetition in benchmarks[] */
	int reps;
	size_t count;			/* samples taken, over all repetitions */
	/*
	 * One repetition: its median and the 95 % CI of that median.  Several:
	 * the median of their medians, and the union of their CIs, so the bar
	 * covers run-to-run drift as well as sampling noise.
	 */
	double median, lo, hi;
	double p90, p99;		/* median over repetitions */
};

struct zb_rpoints {
	struct zb_rpoint *p;
	int n;
};

/*
 * A record's measured rows, one by one: @i starts at 0; returns the next
 * iteration row (an object with a name: Google Benchmark's aggregate rows
 * and anything malformed are skipped), or NULL after the last.
 */
const struct zb_jval *zb_rrow_next(const struct zb_jval *rec, size_t *i);

/* Iteration rows only; Google Benchmark's aggregate rows are skipped. */
int zb_rpoints_get(const struct zb_jval *rec, struct zb_rpoints *out);
void zb_rpoints_free(struct zb_rpoints *pts);
const struct zb_rpoint *zb_rpoints_find(const struct zb_rpoints *pts, const char *name);

/* Parameter @key of a benchmark row as text ("1000", "yes"); NULL if absent. */
const char *zb_rparam(const struct zb_jval *row, const char *key, char *buf, size_t len);

/*
 * Every kept sample of point @name over its repetitions, sorted; the
 * caller frees *@v.  -ENOENT when the record has none.
 */
int zb_rsamples(const struct zb_jval *rec, const char *name, double **v, size_t *n);

/* "kernel 6.18.44 on vm: Intel(R) Xeon(R) Processor, 2 CPUs, KVM" */
void zb_rmachine(const struct zb_jval *rec, char *buf, size_t len);
/* The same from the context object itself. */
void zb_rmachine_ctx(const struct zb_jval *ctx, char *buf, size_t len);
/* "KVMKVMKVM" -> "KVM": CPUID vendor strings as people say them. */
const char *zb_hypervisor_name(const char *vendor);

#endif
