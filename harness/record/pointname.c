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

/* Does every point of group @g have part @k equal to @first's? */
static int constant(const struct parsed *p, const int *grp, int n, int g, int first, int k)
{
	int i;

	for (i = 0; i < n; i++)
		if (grp[i] == g && (p[i].nr != p[first].nr || strcmp(p[i].part[k], p[first].part[k])))
			return 0;
	return 1;
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
	int i, g, ret = -ENOMEM;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->group = calloc((size_t)n + 1, sizeof(*out->group));
	out->shortn = calloc((size_t)n + 1, sizeof(*out->shortn));
	out->head = calloc((size_t)n + 1, sizeof(*out->head));
	if (!p || !first || !out->group || !out->shortn || !out->head)
		goto out;
	for (i = 0; i < n; i++) {
		p[i].buf = strdup(names[i]);
		if (!p[i].buf)
			goto out;
		p[i].nr = split(p[i].buf, &p[i].cname, p[i].part);
		for (g = 0; g < out->nr_groups && strcmp(p[first[g]].cname, p[i].cname); g++)
			;
		if (g == out->nr_groups)
			first[out->nr_groups++] = i;
		out->group[i] = g;
	}
	for (g = 0; g < out->nr_groups; g++) {
		const struct parsed *f = &p[first[g]];
		char is_const[MAX_PARTS] = { 0 }, *vals;
		int k, single = 1;

		for (i = first[g] + 1; i < n && single; i++)
			single = out->group[i] != g;
		for (k = 0; k < f->nr; k++)
			is_const[k] = !single && constant(p, out->group, n, g, first[g], k);
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
		for (i = 0; i < n; i++) {
			if (out->group[i] != g)
				continue;
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
