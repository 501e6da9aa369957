// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record/pointname.h"

#define MAX_PARTS	16

/* "a/b/k:v/k2:v2" -> case "a/b" and the k:v parts; @buf is cut in place. */
static int split(char *buf, char **cname, char **part)
{
	char *save, *t;
	int n = 0;

	*cname = buf;
	for (t = strchr(buf, '/'); t; t = strchr(t + 1, '/'))
		if (strchr(t + 1, ':') && !memchr(t + 1, '/', (size_t)(strchr(t + 1, ':') - t - 1)))
			break;
	if (!t)
		return 0;
	*t = '\0';
	for (t = strtok_r(t + 1, "/", &save); t && n < MAX_PARTS; t = strtok_r(NULL, "/", &save))
		part[n++] = t;
	return n;
}

struct parsed {
	char *buf, *cname, *part[MAX_PARTS];
	int nr;
};

/*
 * Does every point of a group have part @k equal to its first's?  @next
 * links each point to the next of its group (-1 after the last).
 */
static int constant(const struct parsed *p, const int *next, int first, int k)
{
	int i;

	for (i = next[first]; i >= 0; i = next[i])
		if (p[i].nr != p[first].nr || strcmp(p[i].part[k], p[first].part[k]))
			return 0;
	return 1;
}

struct by_case {
	const char *cname;
	int i;
};

static int cmp_case(const void *x, const void *y)
{
	const struct by_case *a = x, *b = y;
	int c = strcmp(a->cname, b->cname);

	return c ? c : a->i - b->i;
}

/*
 * Groups by case, numbered as their cases first appear, from one sort of
 * the names (not a search of the groups per name); @first[g] is group
 * @g's first point, @next links a group's points in order.
 */
static int group_by_case(const struct parsed *p, int n, struct zb_pnames *out, int *first,
			 int *next)
{
	struct by_case *s = calloc((size_t)n + 1, sizeof(*s));
	int *lowest = calloc((size_t)n + 1, sizeof(*lowest)), *last = calloc((size_t)n + 1,
									      sizeof(*last));
	int i, e, k;

	if (!s || !lowest || !last) {
		free(s);
		free(lowest);
		free(last);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		s[i] = (struct by_case){ p[i].cname, i };
	qsort(s, (size_t)n, sizeof(*s), cmp_case);
	for (i = 0; i < n; i = e) {
		for (e = i; e < n && !strcmp(s[e].cname, s[i].cname); e++)
			lowest[s[e].i] = s[i].i;
	}
	for (i = 0; i < n; i++) {
		next[i] = -1;
		if (lowest[i] == i) {
			first[out->nr_groups] = i;
			out->group[i] = out->nr_groups++;
		} else {
			out->group[i] = out->group[lowest[i]];
			next[last[out->group[i]]] = i;
		}
		k = out->group[i];
		last[k] = i;
	}
	free(s);
	free(lowest);
	free(last);
	return 0;
}

/* A heading's constant parts and [varying keys], or a row's varying values. */
static char *join_values(const struct parsed *p, const char *is_const, int heading)
{
	char out[512] = "";
	size_t off = 0;
	int k;

	for (k = 0; k < p->nr && off < sizeof(out) - 1; k++) {
		const char *colon = strchr(p->part[k], ':');

		if (heading && is_const[k])
			off += (size_t)snprintf(out + off, sizeof(out) - off, " %s", p->part[k]);
		else if (!heading && !is_const[k])
			off += (size_t)snprintf(out + off, sizeof(out) - off, "%s%s",
						off ? "/" : "", colon ? colon + 1 : p->part[k]);
	}
	if (heading) {
		int any = 0;

		for (k = 0; k < p->nr && off < sizeof(out) - 1; k++) {
			const char *colon = strchr(p->part[k], ':');
			int kl = colon ? (int)(colon - p->part[k]) : (int)strlen(p->part[k]);

			if (is_const[k])
				continue;
			off += (size_t)snprintf(out + off, sizeof(out) - off, "%s%.*s",
						any++ ? "/" : "  [", kl, p->part[k]);
		}
		if (any && off < sizeof(out) - 1)
			snprintf(out + off, sizeof(out) - off, "]");
	}
	return strdup(off || heading ? out : "-");
}

int zb_pnames_build(const char *const *names, int n, struct zb_pnames *out)
{
	struct parsed *p = calloc((size_t)n + 1, sizeof(*p));
	int *first = calloc((size_t)n + 1, sizeof(*first));
	int *next = calloc((size_t)n + 1, sizeof(*next));
	int i, g, ret = -ENOMEM;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->group = calloc((size_t)n + 1, sizeof(*out->group));
	out->shortn = calloc((size_t)n + 1, sizeof(*out->shortn));
	out->head = calloc((size_t)n + 1, sizeof(*out->head));
	if (!p || !first || !next || !out->group || !out->shortn || !out->head)
		goto out;
	for (i = 0; i < n; i++) {
		p[i].buf = strdup(names[i]);
		if (!p[i].buf)
			goto out;
		p[i].nr = split(p[i].buf, &p[i].cname, p[i].part);
	}
	if (group_by_case(p, n, out, first, next))
		goto out;
	for (g = 0; g < out->nr_groups; g++) {
		const struct parsed *f = &p[first[g]];
		char is_const[MAX_PARTS] = { 0 }, *vals;
		int k, single = next[first[g]] < 0;

		for (k = 0; k < f->nr; k++)
			is_const[k] = !single && constant(p, next, first[g], k);
		vals = join_values(f, is_const, 1);
		if (!vals)
			goto out;
		out->head[g] = malloc(strlen(f->cname) + strlen(vals) + 1);
		if (!out->head[g]) {
			free(vals);
			goto out;
		}
		strcpy(out->head[g], f->cname);
		strcat(out->head[g], vals);
		free(vals);
		for (i = first[g]; i >= 0; i = next[i]) {
			out->shortn[i] = join_values(&p[i], is_const, 0);
			if (!out->shortn[i])
				goto out;
		}
	}
	ret = 0;
out:
	for (i = 0; p && i < n; i++)
		free(p[i].buf);
	free(p);
	free(first);
	free(next);
	if (ret)
		zb_pnames_free(out);
	return ret;
}

void zb_pnames_free(struct zb_pnames *p)
{
	int i;

	for (i = 0; p->shortn && i < p->n; i++)
		free(p->shortn[i]);
	for (i = 0; p->head && i < p->nr_groups; i++)
		free(p->head[i]);
	free(p->shortn);
	free(p->head);
	free(p->group);
	memset(p, 0, sizeof(*p));
}

void zb_pnames_legend(FILE *f)
{
	fprintf(f, "# points are grouped by case: the heading gives the case, the parameters "
		"all its points share\n# and [the ones that vary]; each row gives the values "
		"of those, in that order\n");
}
