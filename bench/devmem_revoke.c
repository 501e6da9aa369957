// SPDX-License-Identifier: GPL-2.0
/*
 * devmem_revoke: the real path.  N /dev/mem mappings of RAM the guest
 * kernel reserved (memmap=), then a driver claims the range
 * (request_mem_region() from zaptest.ko's CLAIM): revoke_iomem() zaps
 * every one of them.  The sample is the in-kernel time of
 * request_mem_region(), revoke included; wall_ns is the ioctl seen from
 * userspace.  With probe=yes the module arms a kretprobe around each
 * claim and unmap_ns is the unmap_mapping_range() inside it; the probe
 * costs more than a small unmap, so those samples are not comparable
 * with probe=no.  Either way, validation makes one probed claim and
 * fails unless it made exactly one unmap_mapping_range() call.
 *
 * The mmaps are redone before every sample, untimed: /dev/mem mmap
 * inserts a PAT memtype per mapping, which grows superlinearly with N
 * and must not leak into the number.  Every mapping is checked to fault
 * (SIGBUS) after each claim: a revoke that missed one fails the run.
 *
 * maps=0 is what the revoke adds to every request_mem_region() of a
 * range nothing maps, as every boot's drivers pay: revoke_iomem() still
 * makes its one unmap_mapping_range() call (validated the same way).
 * With cpus > 1 the claimer's sibling threads spin on the other CPUs in
 * its mm, so the zap must shoot down their TLBs too.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/timer.h"
#include "kmod_dev.h"
#include "revoke_maps.h"

struct dmr_priv {
	int fd, mem;
	struct zaptest_info info;
	struct map_set maps;
	int claimed;
	struct zb_vals wall, unmap;
};

/* The claimer's: siblings hold nothing, they only run the mm. */
static int dmr_worker_setup(struct zb_worker *w)
{
	struct dmr_priv *p = w->priv;

	if (w->id)
		return 0;
	p->fd = zb_kmod_open(w, &p->info);
	if (p->fd < 0)
		return p->fd;
	if (!p->info.claim_size)
		return zb_skip(w, "zaptest.ko was loaded without claim_base/claim_size "
			       "(scripts/vm reserves a range with memmap=)");
	p->mem = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (p->mem < 0)
		return zb_skip(w, "open /dev/mem: %s", strerror(errno));
	return 0;
}

/* After a claim every mapping must fault: that is the revoke's promise. */
static int dmr_release(struct zb_worker *w, struct dmr_priv *p)
{
	long bus;

	if (!p->claimed)
		return 0;
	bus = map_set_probe(&p->maps);
	if (bus != p->maps.n)
		return zb_fail(w, -EINVAL, "%ld of %ld /dev/mem mappings still readable "
			       "after the claim", p->maps.n - bus, p->maps.n);
	if (ioctl(p->fd, ZAPTEST_IOC_RELEASE))
		return zb_fail(w, -errno, "RELEASE: %s", strerror(errno));
	p->claimed = 0;
	return 0;
}

static int dmr_prepare(struct zb_worker *w)
{
	struct dmr_priv *p = w->priv;
	long page = sysconf(_SC_PAGESIZE);
	int err = dmr_release(w, p);

	if (err)
		return err;
	map_set_destroy(&p->maps, page);
	err = map_set_create(&p->maps, p->mem, zb_param_int(w, "maps"),
			     (long)p->info.claim_base, page, w);
	if (err)
		return zb_fail(w, err, "mmap /dev/mem at %#llx: %s",
			       (unsigned long long)p->info.claim_base, strerror(-err));
	return 0;
}

/* One claim; with @probe, the module counts and times its unmap too. */
static int dmr_claim(struct zb_worker *w, struct dmr_priv *p, int probe,
		     struct zaptest_claim *c)
{
	memset(c, 0, sizeof(*c));
	c->flags = probe ? ZAPTEST_CLAIM_PROBE : 0;
	if (ioctl(p->fd, ZAPTEST_IOC_CLAIM, c))
		return zb_fail(w, -errno, "CLAIM: %s", strerror(errno));
	p->claimed = 1;
	/* the revoke is one unmap_mapping_range() of the claimed range */
	if (c->kprobe_ok && c->unmap_calls != 1)
		return zb_fail(w, -EINVAL, "claim made %u unmap_mapping_range() calls, not 1",
			       c->unmap_calls);
	return 0;
}

static int dmr_validate(struct zb_worker *w)
{
	struct dmr_priv *p = w->priv;
	struct zaptest_claim c;
	int err = dmr_prepare(w);
	long vmas = count_path_vmas("/dev/mem");

	if (err)
		return err;
	if (vmas != p->maps.n)
		return zb_fail(w, -EINVAL, "%ld /dev/mem VMAs, expected %ld", vmas, p->maps.n);
	if (map_set_probe(&p->maps))
		return zb_fail(w, -EINVAL, "a fresh /dev/mem mapping raised SIGBUS");
	zb_note(w, "vmas", (double)vmas);
	/* one probed claim: exactly one unmap, then every mapping faults */
	err = dmr_claim(w, p, 1, &c);
	if (err)
		return err;
	zb_note(w, "unmap_calls", c.kprobe_ok ? (double)c.unmap_calls : NAN);
	return dmr_prepare(w);
}

static int dmr_op(struct zb_worker *w)
{
	struct dmr_priv *p = w->priv;
	int probe = zb_param_is(w, "probe", "yes");
	struct zaptest_claim c;
	uint64_t t0 = zb_mono_ns();
	int err = dmr_claim(w, p, probe, &c);

	if (err)
		return err;
	zb_vals_add(&p->wall, (double)(zb_mono_ns() - t0));
	if (c.kprobe_ok)
		zb_vals_add(&p->unmap, (double)c.unmap_ns);
	else if (probe)
		return zb_skip(w, "no kretprobe on unmap_mapping_range in this kernel");
	zb_sample_ns(w, (double)c.ns);
	return 0;
}

/* Spin in userspace: the mm stays live on this CPU, so the zap IPIs it. */
static int dmr_peer(struct zb_worker *w)
{
	while (!zb_stopping(w))
		__asm__ __volatile__("pause" ::: "memory");
	return 0;
}

static void dmr_worker_teardown(struct zb_worker *w)
{
	struct dmr_priv *p = w->priv;

	if (w->id)
		return;
	if (p->wall.n)
		zb_note(w, "wall_ns", zb_vals_median(&p->wall));
	if (p->unmap.n)
		zb_note(w, "unmap_ns", zb_vals_median(&p->unmap));
	dmr_release(w, p);
	map_set_destroy(&p->maps, sysconf(_SC_PAGESIZE));
	if (p->mem > 0)
		close(p->mem);
	if (p->fd > 0)
		close(p->fd);
}

static const struct zb_param dmr_params[] = {
	ZB_INT_PARAM("maps", 0, 1000000, "0,1,10,100,1000",
		     "/dev/mem mappings of the claimed range's first page (0: none, a bare claim)",
		     .quick_def = "0,1,10,100"),
	ZB_ENUM_PARAM("probe", "no,yes",
		      "time the unmap inside the claim with a kretprobe (which slows the claim)",
		      .quick_def = "no"),
	ZB_CPUS_PARAM(.def = "1,nproc",
		      .help = "CPUs running the claimer's mm (its sibling threads spin)"),
	ZB_MODE_PARAM(.choices = "thread",
		      .help = "siblings are threads, so they run the claimer's mm"),
	{ .name = NULL },
};

const struct zb_case zb_family_devmem_revoke[] = {
	{
		.name = "devmem_revoke/claim",
		.desc = "request_mem_region() revoking N /dev/mem mappings (kernel clock)",
		.params = dmr_params,
		.flags = ZB_CASE_PEERS,
		.fit_param = "maps",
		.table_notes = "unmap_ns,wall_ns",
		.priv_size = sizeof(struct dmr_priv),
		.worker_setup = dmr_worker_setup,
		.validate = dmr_validate,
		.prepare = dmr_prepare,
		.op = dmr_op,
		.peer = dmr_peer,
		.worker_teardown = dmr_worker_teardown,
	},
	{ .name = NULL },
};
