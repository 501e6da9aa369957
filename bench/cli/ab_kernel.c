// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/ab_kernel.h"
#include "cli/cli.h"
#include "stats/infer.h"
#include "util.h"

int ab_kernel_spec(struct ab_plan *p, int s, const char *spec)
{
	char *img = strdup(spec), *colon;

	if (!img)
		return -ENOMEM;
	colon = strchr(img, ':');
	if (colon) {
		*colon = '\0';
		p->side[s].kdir = colon + 1;
		if (!*p->side[s].kdir) {
			zb_err("--kernel %s: empty KDIR after ':'", spec);
			free(img);
			return -EINVAL;
		}
	}
	if (!*img) {
		zb_err("--kernel: no image in '%s'", spec);
		free(img);
		return -EINVAL;
	}
	p->side[s].kernel = img;
	p->side[s].spec = img;
	return 0;
}

/* 1 when the two files hold the same bytes, 0 when not, < 0 unreadable. */
static int same_content(const char *a, const char *b)
{
	char x[65536], y[65536];
	int fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC), ret = 1;

	if (fa < 0 || fb < 0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		ssize_t na = read(fa, x, sizeof(x)), nb;

		if (na < 0) {
			ret = -errno;
			break;
		}
		nb = na ? read(fb, y, (size_t)na) : read(fb, y, 1);
		if (nb != na || memcmp(x, y, (size_t)na)) {
			ret = nb < 0 ? -errno : 0;
			break;
		}
		if (!na)
			break;
	}
out:
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return ret;
}

static int find_vm(struct ab_plan *p)
{
	static char path[4096];
	int err = zb_vm_script(path, sizeof(path));

	if (err) {
		zb_err("ab --kernel: %s: the guest runner comes with a zapbench checkout", path);
		return -EINVAL;
	}
	p->vm = path;
	return 0;
}

int ab_kernel_check(struct ab_plan *p, int nk, int aa)
{
	int s, same;

	if (nk != 2 && !(aa && nk == 1)) {
		zb_err("ab: --kernel A --kernel B, or one --kernel with --aa (got %d)", nk);
		return -EINVAL;
	}
	if (aa && nk == 1) {
		p->side[1].kernel = p->side[0].kernel;
		p->side[1].kdir = p->side[0].kdir;
	}
	for (s = 0; s < 2; s++)
		if (access(p->side[s].kernel, R_OK)) {
			zb_err("--kernel %s: %s", p->side[s].kernel, strerror(errno));
			return -EINVAL;
		}
	same = same_content(p->side[0].kernel, p->side[1].kernel);
	if (same < 0) {
		zb_err("--kernel: cannot read the images: %s", strerror(-same));
		return -EINVAL;
	}
	if (same && !aa) {
		zb_err("ab: A (%s) and B (%s) are the same image: that is an A/A run (--aa)",
		       p->side[0].kernel, p->side[1].kernel);
		return -EINVAL;
	}
	if (!same && aa && nk == 2) {
		zb_err("ab --aa: A and B are different images; --aa takes one --kernel");
		return -EINVAL;
	}
	return find_vm(p);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The fewest pairs whose smallest exact signed-rank p reaches @level. */
static int floor_rounds(double level)
{
	int n = 1;

	while (n < 60 && zb_signed_rank_min_p(n) > level)
		n++;
	return n;
}

int ab_resolve_rounds(const struct zb_cmp *c, int pilot, int max, const struct zb_cmp_opts *o,
		      char *why, size_t len)
{
	int *need = calloc((size_t)c->n + 1, sizeof(*need)), i, m = 0, q, lo, want;

	if (!need) {
		snprintf(why, len, "out of memory");
		return max;
	}
	for (i = 0; i < c->n; i++) {
		const struct zb_cmp_row *r = &c->rows[i];

		if (r->verdict > ZB_INCONCLUSIVE)
			continue;
		/* resolved already, or unknown / beyond any budget */
		if (r->verdict != ZB_INCONCLUSIVE)
			need[m++] = pilot;
		else
			need[m++] = r->rounds_needed > 0 ? r->rounds_needed : ZB_CMP_MAX_ROUNDS;
	}
	if (!m) {
		free(need);
		snprintf(why, len, "no gated point in the pilot");
		return pilot;
	}
	qsort(need, (size_t)m, sizeof(*need), cmp_int);
	q = need[(int)ceil(0.9 * m) - 1];
	lo = floor_rounds(o->alpha / m);
	want = q > lo ? q : lo;
	want = want > pilot ? want : pilot;
	snprintf(why, len, "the %d-round pilot says %d rounds resolve +-%g%% at 90%% of the %d "
		 "gated points (all of them: %s%d), at least %d to reach alpha/%d%s",
		 pilot, q, o->threshold_pct, m, need[m - 1] >= ZB_CMP_MAX_ROUNDS ? "over " : "",
		 need[m - 1], lo, m, want > max ? "; capped by --max-rounds" : "");
	free(need);
	return want > max ? max : want;
}
