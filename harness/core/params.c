// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/params.h"

int zb_choice_index(const char *choices, const char *val)
{
	size_t n = strlen(val);
	const char *p = choices;
	int i = 0;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !strncmp(p, val, n))
			return i;
		p = comma ? comma + 1 : NULL;
		i++;
	}
	return -1;
}

int zb_param_check(const struct zb_param *p, const char *val, char *why, size_t len)
{
	long v, min = p->min, max = p->max;
	char *end;

	if (p->kind == ZB_PARAM_ENUM || p->kind == ZB_PARAM_MODE) {
		if (zb_choice_index(zb_param_choices(p), val) >= 0)
			return 0;
		snprintf(why, len, "--%s: '%s' is not one of %s", p->name, val,
			 zb_param_choices(p));
		return -EINVAL;
	}
	if (p->kind == ZB_PARAM_CPUS) {
		min = 1;
		max = p->max ? p->max : ZB_CPUS_MAX;
	}
	errno = 0;
	v = strtol(val, &end, 10);
	if (errno || end == val || *end) {
		snprintf(why, len, "--%s: '%s' is not a whole number", p->name, val);
		return -EINVAL;
	}
	if (v < min || v > max) {
		snprintf(why, len, "--%s: %ld is out of range %ld..%ld",
			 p->name, v, min, max);
		return -ERANGE;
	}
	return 0;
}

/* The harness's sweeps, for a ZB_CPUS_PARAM() or ZB_MODE_PARAM() that names none. */
#define CPUS_DEF	"1,2,nproc"
#define CPUS_QUICK	"1,nproc"
#define MODES		"process,thread"

const char *zb_param_choices(const struct zb_param *p)
{
	return p->kind == ZB_PARAM_MODE && !p->choices ? MODES : p->choices;
}

const char *zb_param_default(const struct zb_param *p, int quick)
{
	if (p->kind == ZB_PARAM_CPUS && !p->def)
		return quick ? CPUS_QUICK : CPUS_DEF;
	if (quick && p->quick_def)
		return p->quick_def;
	return p->def ? p->def : zb_param_choices(p);
}

const char *zb_param_help(const struct zb_case *c, const struct zb_param *p)
{
	if (p->help)
		return p->help;
	if (p->kind == ZB_PARAM_CPUS)
		return c->flags & ZB_CASE_PEERS ?
		       "CPUs: worker 0 timed, a peer on each of the others" :
		       "workers, one per CPU, all timed";
	if (p->kind == ZB_PARAM_MODE)
		return "workers are processes or threads (one mm)";
	return "";
}

static int has_value(char out[][32], int n, const char *v)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(out[i], v))
			return 1;
	return 0;
}

int zb_param_list(const struct zb_param *p, const char *list, int nproc,
		  char out[][32], int max, char *why, size_t len)
{
	const char *s = list;
	int n = 0, err;

	if (!*list) {
		snprintf(why, len, "--%s: empty list", p->name);
		return -EINVAL;
	}
	while (s) {
		const char *comma = strchr(s, ',');
		size_t l = comma ? (size_t)(comma - s) : strlen(s);

		if (n == max) {
			snprintf(why, len, "--%s: more than %d values", p->name, max);
			return -E2BIG;
		}
		if (l == 0 || l >= 32) {
			snprintf(why, len, "--%s: bad value in '%s'", p->name, list);
			return -EINVAL;
		}
		memcpy(out[n], s, l);
		out[n][l] = '\0';
		if (!strcmp(out[n], "nproc") && p->kind == ZB_PARAM_CPUS)
			snprintf(out[n], 32, "%d", nproc);
		/* 1,2,nproc on a 2-CPU machine is 1,2. */
		if (has_value(out, n, out[n])) {
			s = comma ? comma + 1 : NULL;
			continue;
		}
		err = zb_param_check(p, out[n], why, len);
		if (err)
			return err;
		n++;
		s = comma ? comma + 1 : NULL;
	}
	return n;
}

const struct zb_param *zb_case_param(const struct zb_case *c, const char *name)
{
	const struct zb_param *p;

	for (p = c->params; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

void zb_point_workers(const struct zb_case *c, const struct zb_point *pt,
		      int *nr, enum zb_mode *mode)
{
	const struct zb_param *p;
	const char *v;

	*nr = 1;
	*mode = ZB_MODE_PROCESS;
	for (p = c->params; p && p->name; p++) {
		v = zb_point_get(pt, p->name);
		if (v && p->kind == ZB_PARAM_CPUS)
			*nr = atoi(v);
		if (v && p->kind == ZB_PARAM_MODE && !strcmp(v, "thread"))
			*mode = ZB_MODE_THREAD;
	}
}

int zb_sweep_init(struct zb_sweep *s, const struct zb_case *c,
		  const struct zb_override *ov, int nr_ov, int quick, int nproc,
		  char *why, size_t len)
{
	const struct zb_param *p;
	int i, n;

	memset(s, 0, sizeof(*s));
	s->c = c;
	for (p = c->params; p && p->name; p++) {
		const char *list = zb_param_default(p, quick);

		if (s->nr_params == ZB_MAX_PARAMS)
			return -E2BIG;
		for (i = 0; i < nr_ov; i++)
			if (!strcmp(ov[i].name, p->name))
				list = ov[i].list;
		n = zb_param_list(p, list, nproc, s->values[s->nr_params],
				  ZB_MAX_VALUES, why, len);
		if (n < 0)
			return n;
		s->nr_values[s->nr_params++] = n;
	}
	return 0;
}

long zb_sweep_count(const struct zb_sweep *s)
{
	long n = 1;
	int i;

	for (i = 0; i < s->nr_params; i++)
		n *= s->nr_values[i];
	return n;
}

void zb_sweep_point(const struct zb_sweep *s, long idx, struct zb_point *pt)
{
	int i;

	pt->nr = s->nr_params;
	for (i = s->nr_params - 1; i >= 0; i--) {
		pt->name[i] = s->c->params[i].name;
		strcpy(pt->value[i], s->values[i][idx % s->nr_values[i]]);
		idx /= s->nr_values[i];
	}
}

void zb_point_name(const struct zb_case *c, const struct zb_point *pt,
		   char *buf, size_t len)
{
	size_t off;
	int i;

	off = (size_t)snprintf(buf, len, "%s", c->name);
	for (i = 0; i < pt->nr && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "/%s:%s",
					pt->name[i], pt->value[i]);
}

const char *zb_point_get(const struct zb_point *pt, const char *name)
{
	int i;

	for (i = 0; i < pt->nr; i++)
		if (!strcmp(pt->name[i], name))
			return pt->value[i];
	return NULL;
}

int zb_point_parse(const struct zb_case *const *all, const char *name,
		   const struct zb_case **c, struct zb_point *pt, char *why, size_t len)
{
	const struct zb_param *p;
	const char *s;
	size_t n;

	for (*c = NULL; *all; all++) {
		n = strlen((*all)->name);
		if (!strncmp(name, (*all)->name, n) && (name[n] == '/' || !name[n]))
			*c = *all;
	}
	if (!*c) {
		snprintf(why, len, "no case named like '%s'", name);
		return -ENOENT;
	}
	memset(pt, 0, sizeof(*pt));
	s = name + strlen((*c)->name);
	for (p = (*c)->params; p && p->name; p++) {
		const char *v, *end;
		size_t l = strlen(p->name);

		if (s[0] != '/' || strncmp(s + 1, p->name, l) || s[1 + l] != ':') {
			snprintf(why, len, "'%s': expected /%s:<value> at '%s'", name, p->name, s);
			return -EINVAL;
		}
		v = s + 2 + l;
		end = strchr(v, '/');
		n = end ? (size_t)(end - v) : strlen(v);
		if (n == 0 || n >= 32) {
			snprintf(why, len, "'%s': bad value for %s", name, p->name);
			return -EINVAL;
		}
		pt->name[pt->nr] = p->name;
		memcpy(pt->value[pt->nr], v, n);
		pt->value[pt->nr][n] = '\0';
		if (zb_param_check(p, pt->value[pt->nr], why, len))
			return -EINVAL;
		pt->nr++;
		s = v + n;
	}
	if (*s) {
		snprintf(why, len, "'%s': unexpected '%s'", name, s);
		return -EINVAL;
	}
	return 0;
}
