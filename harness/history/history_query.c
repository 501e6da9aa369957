// SPDX-License-Identifier: GPL-2.0
/* Reading the history: runs, their machines, point names, a point's series, a context. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "history/history_sql.h"
#include "record/record_points.h"
#include "util.h"

static void col_str(struct zb_hst *st, int i, char *buf, size_t len)
{
	const char *s = zb_hst_text(st, i);

	snprintf(buf, len, "%s", s ? s : "");
}

static double col_num(struct zb_hst *st, int i)
{
	return zb_hst_num(st, i);
}

/* Grow *@arr to hold @n + 1 elements of @size. */
static int grow(void **arr, int n, int *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, (size_t)*cap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

/*
 * Every row of @sql (with @arg as its parameter, if any), one array
 * element of @size each, filled by @fill (zeroed first).  On failure
 * nothing is returned: @drop (if any) releases the elements filled, and
 * the error says it was @what.
 */
static int select_rows(struct zb_hdb *h, const char *sql, const char *arg, size_t size,
		       int (*fill)(struct zb_hst *st, void *elem), void (*drop)(void *elem),
		       void **out, int *n, const char *what)
{
	char *arr = NULL;
	struct zb_hst *st;
	int ret, cap = 0, rc, i;

	*out = NULL;
	*n = 0;
	ret = zb_hdb_prepare(h, sql, &st);
	if (ret)
		return ret;
	if (arg)
		zb_hdb_bind_str(st, 1, arg);
	while ((rc = zb_hst_step(st)) == ZB_HST_ROW) {
		ret = grow((void **)&arr, *n, &cap, size);
		if (ret)
			break;
		memset(arr + (size_t)*n * size, 0, size);
		ret = fill(st, arr + (size_t)*n * size);
		if (ret)
			break;
		(*n)++;
	}
	if (!ret && rc != ZB_HST_DONE)
		ret = zb_hdb_fail(h, -EIO, "%s%s%s", what, arg ? " " : "", arg ? arg : "");
	zb_hst_finalize(st);
	if (ret) {
		for (i = 0; drop && i < *n; i++)
			drop(arr + (size_t)i * size);
		free(arr);
		*n = 0;
		return ret;
	}
	*out = arr;
	return 0;
}

static int fill_run(struct zb_hst *st, void *elem)
{
	struct zb_hrun *r = elem;

	r->id = (long)zb_hst_int(st, 0);
	col_str(st, 1, r->hash, sizeof(r->hash));
	col_str(st, 2, r->date, sizeof(r->date));
	col_str(st, 3, r->host, sizeof(r->host));
	col_str(st, 4, r->kernel, sizeof(r->kernel));
	col_str(st, 5, r->cpu_model, sizeof(r->cpu_model));
	col_str(st, 6, r->hypervisor, sizeof(r->hypervisor));
	col_str(st, 7, r->commit, sizeof(r->commit));
	col_str(st, 8, r->command, sizeof(r->command));
	col_str(st, 9, r->source, sizeof(r->source));
	r->num_cpus = (int)zb_hst_int(st, 10);
	r->nr_points = (int)zb_hst_int(st, 11);
	col_str(st, 12, r->machine_id, sizeof(r->machine_id));
	col_str(st, 13, r->machine_name, sizeof(r->machine_name));
	return 0;
}

int zb_hdb_runs(struct zb_hdb *h, struct zb_hrun **runs, int *n)
{
	static const char sql[] =
		"SELECT r.id, r.hash, r.date, r.host, r.kernel, r.cpu_model, r.hypervisor,"
		" r.git_commit, r.command, r.source, r.num_cpus,"
		" (SELECT COUNT(*) FROM points p WHERE p.run_id = r.id),"
		" r.machine_id, r.machine_name"
		" FROM runs r ORDER BY r.date, r.id";

	return select_rows(h, sql, NULL, sizeof(**runs), fill_run, NULL, (void **)runs, n,
			   "listing runs");
}

/* Remove @what from @s: everywhere, or (@word) only where it stands as a word. */
static void drop(char *s, const char *what, int word)
{
	size_t wl = strlen(what);
	char *p = s;

	while ((p = strstr(p, what))) {
		if (word && ((p > s && p[-1] != ' ') || (p[wl] && p[wl] != ' '))) {
			p += wl;
			continue;
		}
		memmove(p, p + wl, strlen(p + wl) + 1);
	}
}

void zb_hrun_brief(const struct zb_hrun *r, char *buf, size_t len)
{
	static const char *const marks[] = { "(R)", "(r)", "(TM)", "(tm)" };
	static const char *const words[] = { "Processor", "CPU" };
	char cpu[128], *p, *q;
	const char *hv;
	size_t i, room;

	snprintf(cpu, sizeof(cpu), "%s", r->cpu_model[0] ? r->cpu_model : "unknown CPU");
	/* "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz": the model says what the rest does. */
	p = strstr(cpu, " @ ");
	if (p)
		*p = '\0';
	for (i = 0; i < ZB_ARRAY_SIZE(marks); i++)
		drop(cpu, marks[i], 0);
	for (i = 0; i < ZB_ARRAY_SIZE(words); i++)
		drop(cpu, words[i], 1);
	/* The spaces the words stood between, once each. */
	for (p = q = cpu; *p; p++)
		if (*p != ' ' || (q > cpu && q[-1] != ' '))
			*q++ = *p;
	while (q > cpu && q[-1] == ' ')
		q--;
	*q = '\0';
	hv = zb_hypervisor_name(r->hypervisor);
	if (!cpu[0])
		snprintf(cpu, sizeof(cpu), "%s", r->cpu_model);
	/* Too long: the CPU gives way, marked with '~'; the hypervisor stays whole. */
	room = len > strlen(hv) + 3 ? len - strlen(hv) - 3 : 0;
	if (strlen(cpu) > room && room >= 2) {
		cpu[room - 1] = '~';
		cpu[room] = '\0';
	}
	snprintf(buf, len, "%s, %s", cpu, hv);
}

void zb_hmachine_short(const char *id, char *buf, size_t len)
{
	if (!strncmp(id, "legacy-", 7))
		id += 7;
	snprintf(buf, len, "%.8s", id);
}

int zb_hdb_machines(const struct zb_hrun *runs, int n, struct zb_hmachine **m, int *nm)
{
	struct zb_hmachine *out;
	int i, k, cap = 0;

	*m = NULL;
	*nm = 0;
	out = NULL;
	for (i = 0; i < n; i++) {
		for (k = 0; k < *nm && strcmp(out[k].id, runs[i].machine_id); k++)
			;
		if (k == *nm) {
			if (grow((void **)&out, *nm, &cap, sizeof(*out))) {
				free(out);
				*nm = 0;
				return -ENOMEM;
			}
			memset(&out[k], 0, sizeof(out[k]));
			snprintf(out[k].id, sizeof(out[k].id), "%s", runs[i].machine_id);
			(*nm)++;
		}
		/* Oldest first: the last run seen is the newest and names the machine. */
		out[k].nr_runs++;
		out[k].newest = runs[i].id;
		snprintf(out[k].name, sizeof(out[k].name), "%s", runs[i].machine_name);
		zb_hrun_brief(&runs[i], out[k].brief, sizeof(out[k].brief));
	}
	*m = out;
	return 0;
}

int zb_hdb_machine_find(struct zb_hdb *h, const struct zb_hmachine *m, int nm,
			const char *prefix)
{
	char list[200] = "", s[16];
	size_t pl = strlen(prefix), len = 0;
	int i, found = -1, nr = 0;

	for (i = 0; i < nm; i++)
		if (!strcmp(m[i].id, prefix))
			return i;
	for (i = 0; pl && i < nm; i++) {
		const char *hex = strncmp(m[i].id, "legacy-", 7) ? m[i].id : m[i].id + 7;

		if (strncmp(m[i].id, prefix, pl) && strncmp(hex, prefix, pl))
			continue;
		zb_hmachine_short(m[i].id, s, sizeof(s));
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						nr ? ", " : "", s);
		found = i;
		nr++;
	}
	if (nr == 1)
		return found;
	if (!nr)
		return zb_hdb_fail(h, -ENOENT, "no machine %s (zapbench history list shows them)",
				   prefix);
	return zb_hdb_fail(h, -EINVAL, "machine %s is ambiguous: %d machines start so (%s)",
			   prefix, nr, list);
}

static int fill_string(struct zb_hst *st, void *elem)
{
	const char *t = zb_hst_text(st, 0);

	*(char **)elem = strdup(t ? t : "");
	return *(char **)elem ? 0 : -ENOMEM;
}

static void drop_string(void *elem)
{
	free(*(char **)elem);
}

/* The first column of @sql (with @arg as its parameter, if any) as strings. */
static int strings(struct zb_hdb *h, const char *sql, const char *arg, char ***out, int *n)
{
	return select_rows(h, sql, arg, sizeof(**out), fill_string, drop_string, (void **)out, n,
			   arg ? "looking up" : "looking up cases");
}

int zb_hdb_names(struct zb_hdb *h, const char *what, char ***names, int *n)
{
	/* An exact point name wins; else the case, or every case under it. */
	static const char sql[] =
		"SELECT name FROM points WHERE ?1 = '' OR name = ?1"
		" OR (NOT EXISTS (SELECT 1 FROM points WHERE name = ?1)"
		"     AND (case_name = ?1 OR substr(case_name, 1, length(?1) + 1) = ?1 || '/'))"
		" GROUP BY name ORDER BY MIN(id)";

	return strings(h, sql, what, names, n);
}

int zb_hdb_cases(struct zb_hdb *h, char ***cases, int *n)
{
	return strings(h, "SELECT case_name FROM points GROUP BY case_name ORDER BY MIN(id)",
		       NULL, cases, n);
}

void zb_hdb_names_free(char **names, int n)
{
	int i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

static int fill_val(struct zb_hst *st, void *elem)
{
	struct zb_hval *v = elem;

	v->run_id = (long)zb_hst_int(st, 0);
	col_str(st, 1, v->date, sizeof(v->date));
	col_str(st, 2, v->commit, sizeof(v->commit));
	v->median = col_num(st, 3);
	v->lo = col_num(st, 4);
	v->hi = col_num(st, 5);
	v->reps = (int)zb_hst_int(st, 6);
	col_str(st, 7, v->machine_id, sizeof(v->machine_id));
	v->change_pct = NAN;
	return 0;
}

int zb_hdb_series(struct zb_hdb *h, const char *name, struct zb_hval **vals, int *n)
{
	static const char sql[] =
		"SELECT r.id, r.date, r.git_commit, p.median, p.ci95_lo, p.ci95_hi, p.reps,"
		" r.machine_id"
		" FROM points p JOIN runs r ON r.id = p.run_id WHERE p.name = ?"
		" ORDER BY r.date, r.id";

	return select_rows(h, sql, name, sizeof(**vals), fill_val, NULL, (void **)vals, n,
			   "reading");
}

int zb_hdb_context(struct zb_hdb *h, long id, char **json)
{
	struct zb_hst *st;
	int ret = zb_hdb_prepare(h, "SELECT context FROM runs WHERE id = ?", &st);
	const char *s;

	*json = NULL;
	if (ret)
		return ret;
	zb_hdb_bind_int(st, 1, id);
	if (zb_hst_step(st) != ZB_HST_ROW) {
		zb_hst_finalize(st);
		return zb_hdb_fail(h, -ENOENT, "no run %ld", id);
	}
	s = zb_hst_text(st, 0);
	*json = strdup(s ? s : "{}");
	zb_hst_finalize(st);
	return *json ? 0 : -ENOMEM;
}
