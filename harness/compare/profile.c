// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/profile.h"
#include "proc.h"

/* Unresolved addresses ("0x00007f...") are one symbol: they move together. */
#define UNRESOLVED	"[unresolved]"

static int add(struct zb_profile *p, const char *name, size_t len, double pct)
{
	struct zb_prof_sym *s;
	int i;

	if (len > 2 && !strncmp(name, "0x", 2)) {
		name = UNRESOLVED;
		len = strlen(UNRESOLVED);
	}
	for (i = 0; i < p->n; i++)
		if (strlen(p->sym[i].name) == len && !strncmp(p->sym[i].name, name, len)) {
			p->sym[i].pct += pct;
			return 0;
		}
	s = realloc(p->sym, (size_t)(p->n + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	p->sym = s;
	s = &p->sym[p->n++];
	snprintf(s->name, sizeof(s->name), "%.*s", (int)len, name);
	s->pct = pct;
	return 0;
}

int zb_profile_parse(const char *text, struct zb_profile *p)
{
	const char *line = text;

	p->sym = NULL;
	p->n = 0;
	while (line && *line) {
		const char *eol = strchr(line, '\n'), *s;
		char *end;
		double pct = strtod(line, &end);
		size_t len;

		if (!eol)
			eol = line + strlen(line);
		s = end;
		/*
		 * "  12.34%  [.] name": anything else (comments, blanks) is skipped.
		 * strtod() skips newlines too: a number past @eol is the next line's.
		 */
		if (end != line && end < eol && *s == '%' && isfinite(pct)) {
			for (s++; *s == ' '; s++)
				;
			if (s[0] == '[' && s[1] && s[1] != '\n' && s[2] == ']')
				for (s += 3; *s == ' '; s++)
					;
			len = (size_t)(eol - s);
			while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
				len--;
			if (len && s < eol && add(p, s, len, pct)) {
				zb_profile_free(p);
				return -ENOMEM;
			}
		}
		line = *eol ? eol + 1 : NULL;
	}
	return 0;
}

int zb_profile_load(const char *perf_data, struct zb_profile *p, char *why, size_t len)
{
	char *const argv[] = { "perf", "report", "-i", (char *)perf_data, "--stdio", "-q",
			       "--sort", "sym", "--no-children", "-g", "none",
			       "--percent-limit", "0", NULL };
	char *out;
	int err;

	p->sym = NULL;
	p->n = 0;
	err = zb_proc_capture(argv, ZB_PROFILE_REPORT_S, &out, why, len);
	if (err)
		return err;
	err = zb_profile_parse(out, p);
	free(out);
	if (err)
		snprintf(why, len, "out of memory");
	else if (!p->n) {
		snprintf(why, len, "perf report of %s shows no samples", perf_data);
		err = -ENODATA;
	}
	return err;
}

void zb_profile_free(struct zb_profile *p)
{
	free(p->sym);
	p->sym = NULL;
	p->n = 0;
}

double zb_profile_share(const struct zb_profile *p, const char *name)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->sym[i].name, name))
			return p->sym[i].pct;
	return 0;
}

/* Insert @c into @out (sorted by |change|, @n of @max); the new count. */
static int keep(struct zb_prof_change *out, int n, int max, const struct zb_prof_change *c)
{
	double d = fabs(c->new_ - c->base);
	int i = n < max ? n : max - 1;

	if (n == max && d <= fabs(out[max - 1].new_ - out[max - 1].base))
		return n;
	for (; i > 0 && fabs(out[i - 1].new_ - out[i - 1].base) < d; i--)
		out[i] = out[i - 1];
	out[i] = *c;
	return n < max ? n + 1 : n;
}

int zb_profile_diff(const struct zb_profile *base, const struct zb_profile *new_,
		    struct zb_prof_change *out, int max)
{
	struct zb_prof_change c;
	int i, n = 0;

	if (max <= 0)
		return 0;
	for (i = 0; i < base->n; i++) {
		snprintf(c.name, sizeof(c.name), "%s", base->sym[i].name);
		c.base = base->sym[i].pct;
		c.new_ = zb_profile_share(new_, c.name);
		if (c.new_ != c.base)
			n = keep(out, n, max, &c);
	}
	for (i = 0; i < new_->n; i++) {
		if (zb_profile_share(base, new_->sym[i].name) || !new_->sym[i].pct)
			continue;
		snprintf(c.name, sizeof(c.name), "%s", new_->sym[i].name);
		c.base = 0;
		c.new_ = new_->sym[i].pct;
		n = keep(out, n, max, &c);
	}
	return n;
}
