// SPDX-License-Identifier: GPL-2.0
/* Importing a record into the history: one run, its points, their parameters. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "history/history_sql.h"
#include "record/json_dump.h"
#include "record/machine.h"
#include "record/record_points.h"

static void fnv1a(void *ctx, const char *text, size_t len)
{
	uint64_t x = *(uint64_t *)ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= (unsigned char)text[i];
		x *= 0x100000001b3ULL;
	}
	*(uint64_t *)ctx = x;
}

/*
 * FNV-1a 64 of the record's canonical JSON (zb_json_val()), hashed as it
 * is written, never held whole: a content key for deduplication, not a
 * defence against forgery.  Its text must not change: the databases
 * hold these keys, and a record whose key changed would import again.
 */
static int content_hash(const struct zb_jval *rec, char out[17])
{
	uint64_t x = 0xcbf29ce484222325ULL;
	struct zb_json j;
	int err;

	zb_json_init(&j);
	j.sink = fnv1a;
	j.sink_ctx = &x;
	zb_json_val(&j, NULL, rec);
	zb_json_flush(&j);
	err = j.err;
	zb_json_free(&j);
	if (err)
		return err;
	snprintf(out, 17, "%016llx", (unsigned long long)x);
	return 0;
}

/* 1 if a run with @hash is stored. */
static int have_run(struct zb_hdb *h, const char *hash)
{
	struct zb_hst *st;
	int ret = zb_hdb_prepare(h, "SELECT 1 FROM runs WHERE hash = ?", &st);

	if (ret)
		return ret;
	zb_hdb_bind_str(st, 1, hash);
	ret = zb_hst_step(st);
	zb_hst_finalize(st);
	if (ret < 0)
		return zb_hdb_fail(h, -EIO, "looking up a run");
	return ret == ZB_HST_ROW;
}

static int insert_run(struct zb_hdb *h, const struct zb_jval *rec, const char *hash,
		      const char *source, long *id)
{
	static const char sql[] =
		"INSERT INTO runs (hash, date, host, kernel, cpu_model, num_cpus, hypervisor,"
		" git_commit, command, schema_version, interrupted, source, imported_at, context,"
		" machine_id, machine_name)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	const struct zb_jval *ctx = zb_jobj_get(rec, "context");
	const struct zb_jval *intr = zb_jobj_get(rec, "interrupted");
	const char *date = zb_jobj_str(ctx, "date");
	char now[32], mid[ZB_HMACHINE_LEN], mname[256];
	struct zb_json j;
	struct zb_hst *st;
	time_t t = time(NULL);
	struct tm tm;
	int ret;

	ret = zb_hdb_prepare(h, sql, &st);
	if (ret)
		return ret;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	zb_json_init(&j);
	if (ctx)
		zb_json_val(&j, NULL, ctx);
	/* A record without a context has no machine: "unknown", its own group. */
	if (zb_record_machine_id(rec, mid, sizeof(mid))) {
		snprintf(mid, sizeof(mid), "unknown");
		snprintf(mname, sizeof(mname), "unknown machine");
	} else {
		zb_record_machine_name(rec, mname, sizeof(mname));
	}
	zb_hdb_bind_str(st, 1, hash);
	zb_hdb_bind_str(st, 2, date ? date : "");
	zb_hdb_bind_str(st, 3, zb_jobj_str(ctx, "host_name"));
	zb_hdb_bind_str(st, 4, zb_jobj_str(ctx, "kernel"));
	zb_hdb_bind_str(st, 5, zb_jobj_str(ctx, "cpu_model"));
	zb_hdb_bind_num(st, 6, zb_jobj_num(ctx, "num_cpus"));
	zb_hdb_bind_str(st, 7, zb_jobj_str(ctx, "hypervisor"));
	zb_hdb_bind_str(st, 8, zb_jobj_str(ctx, "git_commit"));
	zb_hdb_bind_str(st, 9, zb_jobj_str(ctx, "command"));
	zb_hdb_bind_num(st, 10, zb_jobj_num(rec, "schema_version"));
	zb_hdb_bind_int(st, 11, intr && intr->type == ZB_JBOOL && intr->num);
	zb_hdb_bind_str(st, 12, source);
	zb_hdb_bind_str(st, 13, now);
	zb_hdb_bind_str(st, 14, j.err ? NULL : j.buf);
	zb_hdb_bind_str(st, 15, mid);
	zb_hdb_bind_str(st, 16, mname);
	ret = zb_hst_step(st) == ZB_HST_ROW ? 0 : zb_hdb_fail(h, -EIO, "storing the run");
	if (!ret)
		*id = (long)zb_hst_int(st, 0);
	zb_hst_finalize(st);
	zb_json_free(&j);
	return ret;
}

static int insert_params(struct zb_hdb *h, struct zb_hst *st, const struct zb_rpoint *pt,
			 long point_id)
{
	const struct zb_jval *params = zb_jobj_get(pt->first, "params");
	char b[64];
	size_t k;

	for (k = 0; params && params->type == ZB_JOBJ && k < params->n; k++) {
		zb_hst_reset(st);
		zb_hdb_bind_int(st, 1, point_id);
		zb_hdb_bind_str(st, 2, params->keys[k]);
		zb_hdb_bind_str(st, 3, zb_rparam(pt->first, params->keys[k], b, sizeof(b)));
		if (zb_hst_step(st) != ZB_HST_DONE)
			return zb_hdb_fail(h, -EIO, "storing %s", pt->name);
	}
	return 0;
}

static int insert_points(struct zb_hdb *h, const struct zb_jval *rec, long run_id)
{
	static const char sql[] =
		"INSERT INTO points (run_id, name, case_name, params, reps, count, median,"
		" ci95_lo, ci95_hi, p90, p99) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct zb_hst *st = NULL, *pst = NULL;
	struct zb_rpoints pts;
	int ret, i;

	ret = zb_rpoints_get(rec, &pts);
	if (ret)
		return zb_hdb_fail(h, ret, "reading the record's points");
	ret = zb_hdb_prepare(h, sql, &st);
	if (!ret)
		ret = zb_hdb_prepare(h, "INSERT INTO point_params (point_id, key, value) VALUES (?, ?, ?)",
			      &pst);
	for (i = 0; !ret && i < pts.n; i++) {
		const struct zb_rpoint *pt = &pts.p[i];
		size_t cl = strlen(pt->case_name);
		/* The name is the case, then "/param:value"... */
		const char *params = strncmp(pt->name, pt->case_name, cl) ? "" :
				     pt->name + cl + (pt->name[cl] == '/');

		zb_hst_reset(st);
		zb_hdb_bind_int(st, 1, run_id);
		zb_hdb_bind_str(st, 2, pt->name);
		zb_hdb_bind_str(st, 3, pt->case_name);
		zb_hdb_bind_str(st, 4, params);
		zb_hdb_bind_int(st, 5, pt->reps);
		zb_hdb_bind_int(st, 6, (long long)pt->count);
		zb_hdb_bind_num(st, 7, pt->median);
		zb_hdb_bind_num(st, 8, pt->lo);
		zb_hdb_bind_num(st, 9, pt->hi);
		zb_hdb_bind_num(st, 10, pt->p90);
		zb_hdb_bind_num(st, 11, pt->p99);
		if (zb_hst_step(st) != ZB_HST_ROW)
			ret = zb_hdb_fail(h, -EIO, "storing %s", pt->name);
		else
			ret = insert_params(h, pst, pt, (long)zb_hst_int(st, 0));
	}
	zb_hst_finalize(st);
	zb_hst_finalize(pst);
	zb_rpoints_free(&pts);
	return ret;
}

int zb_hdb_import(struct zb_hdb *h, const struct zb_jval *rec, const char *source)
{
	char hash[17];
	long id;
	int ret;

	ret = content_hash(rec, hash);
	if (ret)
		return zb_hdb_fail(h, ret, "hashing %s", source);
	ret = have_run(h, hash);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = insert_run(h, rec, hash, source, &id);
	if (!ret)
		ret = insert_points(h, rec, id);
	return ret ? ret : 1;
}
