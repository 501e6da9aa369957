// SPDX-License-Identifier: GPL-2.0
/* Loading a result record: the checks every reader of records relies on. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/json_fast.h"
#include "record/record_load.h"
#include "record/row_kind.h"
#include "util.h"
#include "version.h"

/*
 * The types every reader takes for granted, so that a wrong one is an
 * error naming the field, never a value read as missing.  Keys not listed
 * (counters, notes' contents) are free; values are judged by value_check().
 */
static const struct row_field {
	const char *key;
	enum zb_jtype type;
} row_fields[] = {
	{ "name", ZB_JSTR }, { "run_name", ZB_JSTR }, { "run_type", ZB_JSTR },
	{ "time_unit", ZB_JSTR }, { "case", ZB_JSTR }, { "mode", ZB_JSTR },
	{ "aggregate_name", ZB_JSTR }, { "aggregate_unit", ZB_JSTR },
	{ "trace_scope", ZB_JSTR },
	{ "real_time", ZB_JNUM }, { "cpu_time", ZB_JNUM }, { "iterations", ZB_JNUM },
	{ "repetitions", ZB_JNUM }, { "repetition_index", ZB_JNUM }, { "threads", ZB_JNUM },
	{ "workers", ZB_JNUM }, { "ops_per_sec", ZB_JNUM }, { "faults_per_op", ZB_JNUM },
	{ "preempted_fraction", ZB_JNUM }, { "below_timer_floor_fraction", ZB_JNUM },
	{ "wall_s", ZB_JNUM }, { "samples_total", ZB_JNUM },
	{ "params", ZB_JOBJ }, { "summary", ZB_JOBJ }, { "notes", ZB_JOBJ },
	{ "throughput", ZB_JOBJ }, { "profile", ZB_JOBJ }, { "counters_bracket", ZB_JOBJ },
	{ "samples", ZB_JARR }, { "worker_cpus", ZB_JARR }, { "stress", ZB_JBOOL },
	{ "value_kind", ZB_JSTR }, { "self_timed", ZB_JBOOL }, { "ops_per_sample", ZB_JNUM },
};

/* The summary's statistics of the values (stddev and count are not values). */
static const char *const value_stats[] = {
	"min", "median", "p90", "p99", "max", "mean", "ci95_lo", "ci95_hi",
};

struct vcheck {
	const char *what, *name;
	enum zb_row_kind kind;
	char *err;
	size_t errlen;
};

/*
 * One value @x of the row, named @field: finite always; a latency's median,
 * the figure compare and history rank by, is above zero.  Its samples and
 * min may be below zero: they are the timed region less the mean empty
 * region, and under TCG one sample of kmod_open per_inode read -720 ns
 * against a 310 ns floor (a bound at -floor refused that real record).
 * A difference may be any finite number.
 */
static int value_check(const struct vcheck *vc, const char *field, double x, int central)
{
	if (!isfinite(x)) {
		snprintf(vc->err, vc->errlen, "%s: %s: %s is %g, not a finite number", vc->what,
			 vc->name, field, x);
		return -EINVAL;
	}
	if (vc->kind != ZB_ROW_LATENCY)
		return 0;
	if (central && x <= 0) {
		snprintf(vc->err, vc->errlen,
			 "%s: %s: %s is %g ns: not a latency (its median is above zero)", vc->what,
			 vc->name, field, x);
		return -EINVAL;
	}
	return 0;
}

static int values_check(const struct zb_jval *b, struct vcheck *vc)
{
	const struct zb_jval *sum = zb_jobj_get(b, "summary"), *smp = zb_jobj_get(b, "samples");
	const struct zb_jval *f;
	char field[40];
	size_t i;
	int ret;

	vc->kind = zb_row_kind(b);
	if (vc->kind == ZB_ROW_KIND_BAD) {
		snprintf(vc->err, vc->errlen, "%s: %s: value_kind is '%s', not latency or difference",
			 vc->what, vc->name, zb_jobj_str(b, "value_kind"));
		return -EINVAL;
	}
	for (i = 0; i < ZB_ARRAY_SIZE(value_stats); i++) {
		f = zb_jobj_get(sum, value_stats[i]);
		if (!f || f->type != ZB_JNUM)
			continue;
		snprintf(field, sizeof(field), "summary.%s", value_stats[i]);
		ret = value_check(vc, field, f->num, !strcmp(value_stats[i], "median"));
		if (ret)
			return ret;
	}
	for (i = 0; i < 2; i++) {
		f = zb_jobj_get(b, i ? "cpu_time" : "real_time");
		if (!f || !sum)		/* a failed point's row: no median to mirror */
			continue;
		ret = value_check(vc, i ? "cpu_time" : "real_time", f->num, 1);
		if (ret)
			return ret;
	}
	for (i = 0; smp && i < smp->n; i++) {
		snprintf(field, sizeof(field), "samples[%zu]", i);
		ret = value_check(vc, field, smp->items[i].num, 0);
		if (ret)
			return ret;
	}
	return 0;
}

static const char *const jtype_names[] = {
	[ZB_JNULL] = "null", [ZB_JBOOL] = "a boolean", [ZB_JNUM] = "a number",
	[ZB_JSTR] = "a string", [ZB_JARR] = "an array", [ZB_JOBJ] = "an object",
};

/*
 * Where each of row_fields is in a row's keys, -1 if absent.  Rows read
 * by the fast reader share one keys array (json_fast.c's key_array()),
 * so the map is made once per array, not looked up per row: 34 linear
 * lookups a row were a tenth of loading 10^5 rows.
 */
struct field_map {
	char **keys;
	size_t n;
	int at[ZB_ARRAY_SIZE(row_fields)];
};

static void map_fields(struct field_map *m, const struct zb_jval *b)
{
	size_t i, k;

	if (m->keys == b->keys && m->n == b->n)
		return;
	m->keys = b->keys;
	m->n = b->n;
	for (i = 0; i < ZB_ARRAY_SIZE(row_fields); i++) {
		m->at[i] = -1;
		for (k = 0; k < b->n; k++) {
			if (!strcmp(b->keys[k], row_fields[i].key)) {
				m->at[i] = (int)k;
				break;
			}
		}
	}
}

static int row_check(struct field_map *m, const struct zb_jval *b, size_t k, const char *what,
		     char *err, size_t errlen)
{
	struct vcheck vc = { .what = what, .err = err, .errlen = errlen };
	const struct zb_jval *f, *sum, *smp;
	const char *name = zb_jobj_str(b, "name");
	size_t i;

	if (b->type != ZB_JOBJ || !name) {
		snprintf(err, errlen, "%s: benchmarks[%zu] is not a row with a name", what, k);
		return -EINVAL;
	}
	map_fields(m, b);
	for (i = 0; i < ZB_ARRAY_SIZE(row_fields); i++) {
		f = m->at[i] < 0 ? NULL : &b->items[m->at[i]];
		if (f && f->type != row_fields[i].type)
			goto bad;
	}
	/* summary: numbers, null where a statistic is undefined (a CI of few samples) */
	sum = zb_jobj_get(b, "summary");
	for (i = 0; sum && i < sum->n; i++) {
		f = &sum->items[i];
		if (strcmp(sum->keys[i], "unit") ? f->type != ZB_JNUM && f->type != ZB_JNULL
						  : f->type != ZB_JSTR) {
			snprintf(err, errlen, "%s: %s: summary.%s is %s", what, name,
				 sum->keys[i], jtype_names[f->type]);
			return -EINVAL;
		}
	}
	smp = zb_jobj_get(b, "samples");
	for (i = 0; smp && i < smp->n; i++) {
		if (smp->items[i].type != ZB_JNUM) {
			snprintf(err, errlen, "%s: %s: samples[%zu] is %s, not a number", what,
				 name, i, jtype_names[smp->items[i].type]);
			return -EINVAL;
		}
	}
	vc.name = name;
	return values_check(b, &vc);
bad:
	snprintf(err, errlen, "%s: %s: %s is %s, not %s", what, name, row_fields[i].key,
		 jtype_names[f->type], jtype_names[row_fields[i].type]);
	return -EINVAL;
}

int zb_record_check(const struct zb_jval *v, const char *what, char *err, size_t errlen)
{
	struct field_map m = { 0 };
	const struct zb_jval *b;
	const char *schema;
	double ver;
	size_t k;
	int ret;

	if (v->type != ZB_JOBJ) {
		snprintf(err, errlen, "%s: not a zapbench record (not a JSON object)", what);
		return -EINVAL;
	}
	schema = zb_jobj_str(v, "schema");
	if (!schema || strcmp(schema, "zapbench-result")) {
		snprintf(err, errlen, "%s: not a zapbench record (schema is %s%s%s)", what,
			 schema ? "'" : "", schema ? schema : "missing", schema ? "'" : "");
		return -EINVAL;
	}
	ver = zb_jobj_num(v, "schema_version");
	if (isnan(ver)) {
		snprintf(err, errlen, "%s: zapbench record without a schema_version", what);
		return -EINVAL;
	}
	if (ver != ZB_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: schema_version %g, this zapbench reads %d", what, ver,
			 ZB_SCHEMA_VERSION);
		return -EINVAL;
	}
	b = zb_jobj_get(v, "benchmarks");
	if (!b || b->type != ZB_JARR) {
		snprintf(err, errlen, "%s: zapbench record without a benchmarks array", what);
		return -EINVAL;
	}
	for (k = 0; k < b->n; k++) {
		ret = row_check(&m, &b->items[k], k, what, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

/* Above this a record is read from a mapping, its pages given back behind the parser. */
#define MAP_MIN		(16 << 20)

/*
 * @path's text, mapped (*@mapped) if it is a large regular file, else
 * read: a record of 10^5 rows is not held twice, as text and as values.
 */
static int read_text(const char *path, char **buf, size_t *len, int *mapped)
{
	struct stat st;
	void *m;
	int fd;

	*mapped = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < MAP_MIN) {
		close(fd);
		return zb_read_file(path, buf, len);
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return zb_read_file(path, buf, len);
	*buf = m;
	*len = (size_t)st.st_size;
	*mapped = 1;
	return 0;
}

int zb_record_load(const char *path, struct zb_jval *out, char *err, size_t errlen)
{
	char jerr[160];
	int ret, mapped;
	size_t len;
	char *buf;

	memset(out, 0, sizeof(*out));
	ret = read_text(path, &buf, &len, &mapped);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (!len) {
		snprintf(err, errlen, "%s: empty file, not a zapbench record", path);
		ret = -EINVAL;
		goto out;
	}
	ret = zb_json_parse_text(buf, len, mapped, out, jerr, sizeof(jerr));
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "%s: out of memory", path);
		else
			snprintf(err, errlen, "%s: not valid JSON: %s", path, jerr);
		goto out;
	}
	ret = zb_record_check(out, path, err, errlen);
	if (ret)
		zb_jval_free(out);
out:
	if (mapped)
		munmap(buf, len);
	else
		free(buf);
	return ret;
}
