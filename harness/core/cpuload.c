// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cpuload.h"

#define PF_KTHREAD	0x00200000

static int read_one(int pid, struct zb_proc_time *t)
{
	unsigned long long ut, st, cut, cst, start;
	unsigned int flags;
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command may hold spaces and parentheses: skip to the last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %d %*d %*d %*d %*d %u %*u %*u %*u %*u %llu %llu %llu %llu "
			 "%*d %*d %*d %*d %llu", &t->ppid, &flags, &ut, &st, &cut, &cst,
			 &start) != 7)
		return -1;
	t->pid = pid;
	t->kthread = !!(flags & PF_KTHREAD);
	t->start = start;
	t->ticks = ut + st + cut + cst;
	return 0;
}

static double steal_now(void)
{
	unsigned long long v[8];
	FILE *f = fopen("/proc/stat", "re");
	double s = 0;

	if (!f)
		return 0;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7]) == 8)
		s = (double)v[7] / (double)sysconf(_SC_CLK_TCK);
	fclose(f);
	return s;
}

int zb_cpuload_snap(struct zb_cpuload *c)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int cap = 0;

	memset(c, 0, sizeof(*c));
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		int pid = atoi(e->d_name);

		if (pid <= 0)
			continue;
		if (c->n == cap) {
			struct zb_proc_time *p = realloc(c->p, (size_t)(cap ? cap * 2 : 256) *
							 sizeof(*p));

			if (!p)
				break;
			c->p = p;
			cap = cap ? cap * 2 : 256;
		}
		if (!read_one(pid, &c->p[c->n]))
			c->n++;
	}
	closedir(d);
	c->steal_s = steal_now();
	c->ok = c->n > 0;
	return c->ok ? 0 : -1;
}

static const struct zb_proc_time *find(const struct zb_cpuload *c, int pid)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->p[i].pid == pid)
			return &c->p[i];
	return NULL;
}

/* This process or a descendant of it, as @c saw the tree. */
static int ours(const struct zb_cpuload *c, const struct zb_proc_time *t)
{
	int self = getpid(), hops;

	for (hops = 0; t && hops < 64; hops++) {
		if (t->pid == self)
			return 1;
		if (t->ppid <= 1)
			return 0;
		t = find(c, t->ppid);
	}
	return 0;
}

static int same(const struct zb_proc_time *x, const struct zb_proc_time *y)
{
	return x && y && x->pid == y->pid && x->start == y->start;
}

/*
 * A process that ended during the round hands all its time to whoever
 * reaped it, as children's time: its parent, or init or a subreaper when
 * it was orphaned first.  So the time every ended process had at @a,
 * already counted then, is taken off the total, wherever it went.
 */
void zb_cpuload_delta(const struct zb_cpuload *a, const struct zb_cpuload *b,
		      double *others_s, double *kthreads_s, double *steal_s)
{
	double hz = (double)sysconf(_SC_CLK_TCK);
	long long o = 0, k = 0;
	int i;

	if (!a->ok || !b->ok || hz <= 0) {
		*others_s = *kthreads_s = *steal_s = -1;
		return;
	}
	for (i = 0; i < b->n; i++) {
		const struct zb_proc_time *t = &b->p[i], *was = find(a, t->pid);
		long long d = (long long)t->ticks;

		if (ours(b, t))
			continue;
		/* the same process (not a reused pid) counts what it added */
		if (same(was, t))
			d -= (long long)was->ticks;
		if (t->kthread)
			k += d;
		else
			o += d;
	}
	for (i = 0; i < a->n; i++) {
		const struct zb_proc_time *t = &a->p[i];

		if (!t->kthread && !ours(a, t) && !same(find(b, t->pid), t))
			o -= (long long)t->ticks;
	}
	*others_s = o > 0 ? (double)o / hz : 0;
	*kthreads_s = k > 0 ? (double)k / hz : 0;
	*steal_s = b->steal_s - a->steal_s;
}

void zb_cpuload_free(struct zb_cpuload *c)
{
	free(c->p);
	c->p = NULL;
	c->n = 0;
}
