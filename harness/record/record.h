/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results as a JSON record (a superset of Google Benchmark's output) and
 * as the table on stdout.  Schema: datasets/schema.json.
 */
#ifndef ZB_RECORD_H
#define ZB_RECORD_H

#include <stdio.h>

#include "core/runner.h"
#include "record/context.h"
#include "record/fmt.h"
#include "record/json.h"

/* Latency vs an integer parameter over points that differ only in it. */
struct zb_fit_result {
	const struct zb_case *c;
	struct zb_point point;		/* the fixed parameters (x removed) */
	const char *x;
	struct zb_fit fit;
};

struct zb_results {
	struct zb_result *r;
	int n, cap;
	struct zb_fit_result *fits;
	int nr_fits;
	int interrupted;
};

int zb_results_add(struct zb_results *rs, struct zb_result *r);
void zb_results_free(struct zb_results *rs);
/* Fit every case's fit_param over the successful points. */
void zb_results_fit(struct zb_results *rs);

void zb_record_json(struct zb_json *j, const struct zb_results *rs,
		    const struct zb_context *ctx, const struct zb_options *o,
		    int argc, char **argv);
/* One row per point over its rounds, or with @per_rep one per repetition. */
void zb_table_print(FILE *f, const struct zb_results *rs, const struct zb_context *ctx,
		    const struct zb_options *o, int per_rep);

#endif
