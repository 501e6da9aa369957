// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cpus.h"
#include "util.h"

static long topo(int cpu, const char *what)
{
	char path[128];
	long v;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/%s", cpu, what);
	return zb_read_long(path, &v) ? -1 : v;
}

static int node_of(int cpu)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int node = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d", cpu);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, "node", 4) &&
		    sscanf(d->d_name + 4, "%d", &node) == 1)
			break;
	closedir(dir);
	return node;
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct zb_cpu *x = a, *y = b;

	if (x->smt_rank != y->smt_rank)
		return x->smt_rank - y->smt_rank;
	if (x->node != y->node)
		return x->node - y->node;
	return x->cpu - y->cpu;
}

void zb_topo_sysfs(struct zb_cpu *p, void *arg)
{
	(void)arg;
	p->core = (int)topo(p->cpu, "core_id");
	p->package = (int)topo(p->cpu, "physical_package_id");
	p->node = node_of(p->cpu);
}

int zb_cpus_plan(struct zb_cpus *c, const cpu_set_t *set, size_t setsize,
		 void (*topo_of)(struct zb_cpu *p, void *arg), void *arg)
{
	int i, j, n = CPU_COUNT_S(setsize, set);

	c->n = 0;
	c->cpu = calloc(n ? (size_t)n : 1, sizeof(*c->cpu));
	if (!c->cpu)
		return -ENOMEM;
	for (i = 0; c->n < n && i < (int)(setsize * 8); i++) {
		struct zb_cpu *p;

		if (!CPU_ISSET_S(i, setsize, set))
			continue;
		p = &c->cpu[c->n++];
		p->cpu = i;
		topo_of(p, arg);
		p->smt_rank = 0;
		/* Later threads of a core already seen rank behind it. */
		for (j = 0; j < c->n - 1; j++)
			if (c->cpu[j].core == p->core &&
			    c->cpu[j].package == p->package && p->core >= 0)
				p->smt_rank++;
	}
	qsort(c->cpu, (size_t)c->n, sizeof(c->cpu[0]), cmp_cpu);
	return c->n ? 0 : -ENODEV;
}

int zb_cpus_load(struct zb_cpus *c)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	int ncpu = conf > 0 ? (int)conf : 1, err;
	cpu_set_t *set;
	size_t size;

	/*
	 * The mask must cover the kernel's nr_cpu_ids, which may exceed the
	 * CPUs configured (possible but absent ones): EINVAL says grow it.
	 */
	for (;;) {
		set = CPU_ALLOC(ncpu);
		if (!set)
			return -ENOMEM;
		size = CPU_ALLOC_SIZE(ncpu);
		if (!sched_getaffinity(0, size, set))
			break;
		err = -errno;
		CPU_FREE(set);
		if (err != -EINVAL || ncpu > (1 << 20))
			return err;
		ncpu *= 2;
	}
	err = zb_cpus_plan(c, set, size, zb_topo_sysfs, NULL);
	CPU_FREE(set);
	return err;
}

int zb_cpus_select(struct zb_cpus *c, const int *list, int n, int *bad)
{
	struct zb_cpu *out = calloc(n > 0 ? (size_t)n : 1, sizeof(*out));
	int i, j;

	if (!out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		for (j = 0; j < c->n; j++)
			if (c->cpu[j].cpu == list[i])
				break;
		if (j == c->n) {
			*bad = list[i];
			free(out);
			return -ENODEV;
		}
		out[i] = c->cpu[j];
	}
	free(c->cpu);
	c->cpu = out;
	c->n = n;
	return 0;
}

void zb_cpus_free(struct zb_cpus *c)
{
	free(c->cpu);
	c->cpu = NULL;
	c->n = 0;
}

/* A mask just large enough for @cpu: no CPU_SETSIZE (1024) ceiling. */
int zb_pin(int cpu)
{
	cpu_set_t *set = cpu < 0 ? NULL : CPU_ALLOC(cpu + 1);
	size_t size = CPU_ALLOC_SIZE(cpu + 1);
	int err = 0;

	if (!set)
		return cpu < 0 ? -EINVAL : -ENOMEM;
	CPU_ZERO_S(size, set);
	CPU_SET_S(cpu, size, set);
	if (sched_setaffinity(0, size, set))
		err = -errno;
	CPU_FREE(set);
	return err;
}

/* Far beyond any machine's CPU numbers, and small enough for an int. */
#define ZB_CPULIST_MAX_CPU	(1 << 20)

/* One "N" or "N-M" at @s: 0 and the bounds, the end in @end; -EINVAL. */
static int cpulist_item(const char *s, long *lo, long *hi, const char **end)
{
	char *e;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	*lo = strtol(s, &e, 10);
	*hi = *lo;
	if (*e == '-') {
		if (e[1] < '0' || e[1] > '9')
			return -EINVAL;
		*hi = strtol(e + 1, &e, 10);
	}
	*end = e;
	return 0;
}

int zb_cpulist_parse(const char *s, int *list, int max, char *why, size_t len)
{
	const char *p = s, *end;
	long lo, hi, v;
	int n = 0, i;

	for (;;) {
		if (cpulist_item(p, &lo, &hi, &end) ||
		    (*end && *end != ',' && strcmp(end, "\n"))) {
			snprintf(why, len, "bad list '%s' (e.g. 0-3,8-11)", s);
			return -EINVAL;
		}
		if (lo >= ZB_CPULIST_MAX_CPU || hi >= ZB_CPULIST_MAX_CPU) {
			snprintf(why, len, "CPU %ld is beyond any machine's", lo > hi ? lo : hi);
			return -EINVAL;
		}
		if (hi < lo) {
			snprintf(why, len, "range %ld-%ld is reversed (%ld-%ld)", lo, hi, hi, lo);
			return -EINVAL;
		}
		for (v = lo; v <= hi; v++) {
			for (i = 0; i < n; i++) {
				if (list[i] == v) {
					snprintf(why, len, "CPU %ld is listed twice", v);
					return -EINVAL;
				}
			}
			if (n == max) {
				snprintf(why, len, "more than %d CPUs", max);
				return -EINVAL;
			}
			list[n++] = (int)v;
		}
		if (*end != ',')
			return n;
		p = end + 1;
	}
}
