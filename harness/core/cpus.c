// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int zb_cpus_load(struct zb_cpus *c)
{
	cpu_set_t set;
	int i, j;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	c->n = 0;
	for (i = 0; i < CPU_SETSIZE && c->n < (int)ZB_ARRAY_SIZE(c->cpu); i++) {
		struct zb_cpu *p;

		if (!CPU_ISSET(i, &set))
			continue;
		p = &c->cpu[c->n++];
		p->cpu = i;
		p->core = (int)topo(i, "core_id");
		p->package = (int)topo(i, "physical_package_id");
		p->node = node_of(i);
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

int zb_cpus_select(struct zb_cpus *c, const int *list, int n, int *bad)
{
	struct zb_cpus out = { 0 };
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < c->n; j++)
			if (c->cpu[j].cpu == list[i])
				break;
		if (j == c->n) {
			*bad = list[i];
			return -ENODEV;
		}
		out.cpu[out.n++] = c->cpu[j];
	}
	*c = out;
	return 0;
}

int zb_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -errno;
	return 0;
}
