// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_revoke: what revoke_iomem() does, on /dev/zaptest: read the
 * published inode (with the variant under test) and unmap_mapping_range()
 * its mapping, timed in the kernel around both (the sample), with the
 * median userspace wall time of the ioctl beside it (wall_ns).
 *
 * The revoker holds N one-page mappings of page 0; with cpus > 1 its
 * sibling threads spin on the other CPUs in the same mm, so every revoke
 * must shoot down their TLBs too, as it would for a multi-threaded
 * process that maps /dev/mem.
 *
 * map=remap (the default) is /dev/mem's shape: remap_pfn_range() of
 * reserved RAM at mmap time, VM_IO | VM_PFNMAP, a PAT memtype per VMA
 * that the revoke frees in untrack_pfn(); validation counts those
 * memtypes before and after one revoke.  Nothing faults a zapped PTE
 * back, so the mappings are redone before every sample (untimed, as
 * devmem_revoke does); with populate=no one untimed revoke then zaps
 * them, leaving VMAs without PTEs or memtypes, which is what a second
 * claim of a /dev/mem range finds.  map=fault is the module's
 * fault-driven pool: before each sample the page is granted again and,
 * with populate=yes, every mapping faulted back in (untimed).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/timer.h"
#include "kmod_dev.h"
#include "revoke_maps.h"

struct krev_shared {
	int fd;
	struct zaptest_info info;
	char old_variant[16];
};

struct krev_priv {
	struct map_set maps;
	long page;
	struct zb_vals wall;
};

static int krev_remap(const struct zb_worker *w)
{
	return zb_param_is(w, "map", "remap");
}

static int krev_setup(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	int err;

	s->fd = zb_kmod_open(w, &s->info);
	if (s->fd < 0)
		return s->fd;
	if (krev_remap(w) && !s->info.remap_pages)
		return zb_skip(w, "zaptest.ko was loaded without remap_base/remap_size "
			       "(scripts/vm reserves a range with memmap=)");
	err = zb_kmod_set_map(s->fd, krev_remap(w) ? ZAPTEST_MAP_REMAP : ZAPTEST_MAP_FAULT);
	if (err)
		return zb_fail(w, err, "SET_MAP: %s", strerror(-err));
	return zb_kmod_swap_param(w, "variant", zb_param_str(w, "variant"),
				  s->old_variant, sizeof(s->old_variant));
}

/* The revoker's mappings; peers hold none, they only run the mm. */
static int krev_worker_setup(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	long n = zb_param_int(w, "maps");
	int err;

	if (w->id)
		return 0;
	p->page = sysconf(_SC_PAGESIZE);
	/* the remap shape maps only a granted page */
	err = zb_kmod_range(s->fd, ZAPTEST_IOC_GRANT, 0, p->page, NULL);
	if (err)
		return zb_fail(w, err, "GRANT: %s", strerror(-err));
	/* side by side in an aligned region, as the memfd revokes: revoke_maps.h */
	err = map_set_create(&p->maps, s->fd, n, 0, p->page, w);
	if (err == -ENOMEM)
		return zb_skip(w, "%ld mappings: mmap ENOMEM after %ld (vm.max_map_count?)",
			       n, p->maps.n);
	if (err)
		return zb_fail(w, err, "mmap /dev/zaptest: %s", strerror(-err));
	return 0;
}

/* Remap: N fresh mmaps, each remap_pfn_range()d; populate=no zaps them once. */
static int krev_prepare_remap(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	long n = p->maps.n;
	int err;

	map_set_destroy(&p->maps, p->page);
	err = map_set_create(&p->maps, s->fd, n, 0, p->page, w);
	if (err)
		return zb_fail(w, err, "mmap /dev/zaptest (remap): %s", strerror(-err));
	if (zb_param_is(w, "populate", "yes"))
		return 0;
	err = zb_kmod_range(s->fd, ZAPTEST_IOC_REVOKE, 0, p->page, NULL);
	err = err ?: zb_kmod_range(s->fd, ZAPTEST_IOC_GRANT, 0, p->page, NULL);
	return err ? zb_fail(w, err, "revoke/grant: %s", strerror(-err)) : 0;
}

static int krev_prepare(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	int err = zb_kmod_range(s->fd, ZAPTEST_IOC_GRANT, 0, p->page, NULL);

	if (err)
		return zb_fail(w, err, "GRANT: %s", strerror(-err));
	if (krev_remap(w))
		return krev_prepare_remap(w);
	if (zb_param_is(w, "populate", "yes") && map_set_probe(&p->maps))
		return zb_fail(w, -EFAULT, "a granted mapping raised SIGBUS");
	return 0;
}

/*
 * The remap shape pays what /dev/mem's does: one PAT memtype per VMA
 * while mapped (populate=yes), each freed by the revoke's untrack_pfn(),
 * and every mapping SIGBUSes afterwards.  With populate=no the untimed
 * revoke in prepare has freed them already: none may be left.
 */
static int krev_validate_remap(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	uint64_t pa = s->info.remap_base;
	struct zaptest_stats a, b;
	long before, after, bus;
	int err = zb_kmod_stats(s->fd, &a);

	err = err ?: krev_prepare(w);
	err = err ?: zb_kmod_stats(s->fd, &b);
	if (err)
		return err;
	if (b.remaps - a.remaps != (uint64_t)p->maps.n)
		return zb_fail(w, -EINVAL, "remap_pfn_range() mapped %llu of %ld mappings",
			       (unsigned long long)(b.remaps - a.remaps), p->maps.n);
	before = zb_pat_memtypes(pa, pa + (uint64_t)p->page);
	if (before < 0)
		return zb_skip(w, "%s: %s: the memtype per remap VMA cannot be verified "
			       "(no PAT, or debugfs not mounted)", ZB_PAT_MEMTYPE_LIST,
			       strerror((int)-before));
	if (zb_param_is(w, "populate", "yes") && before != p->maps.n)
		return zb_fail(w, -EINVAL, "%ld PAT memtypes for the page, not one a VMA (%ld)",
			       before, p->maps.n);
	err = zb_kmod_range(s->fd, ZAPTEST_IOC_REVOKE, 0, p->page, NULL);
	if (err)
		return zb_fail(w, err, "REVOKE: %s", strerror(-err));
	after = zb_pat_memtypes(pa, pa + (uint64_t)p->page);
	if (after)
		return zb_fail(w, -EINVAL, "%ld of %ld PAT memtypes left after the revoke "
			       "(untrack_pfn() frees one per zapped VMA)", after, before);
	bus = map_set_probe(&p->maps);
	if (bus != p->maps.n)
		return zb_fail(w, -EINVAL, "%ld of %ld remap mappings readable after the revoke",
			       p->maps.n - bus, p->maps.n);
	zb_note(w, "pat_memtypes", (double)before);
	zb_note(w, "pat_memtypes_freed", (double)(before - after));
	return 0;
}

/* What we claim to time: N VMAs, and with populate=yes N PTEs to zap. */
static int krev_validate(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	struct zaptest_stats a, b;
	long vmas = count_path_vmas(ZAPTEST_DEV);
	int err;

	if (vmas != p->maps.n)
		return zb_fail(w, -EINVAL, "%ld %s VMAs, expected %ld", vmas, ZAPTEST_DEV,
			       p->maps.n);
	zb_note(w, "vmas", (double)vmas);
	if (krev_remap(w))
		return krev_validate_remap(w);
	err = zb_kmod_range(s->fd, ZAPTEST_IOC_REVOKE, 0, p->page, NULL);
	err = err ?: zb_kmod_stats(s->fd, &a);
	err = err ?: krev_prepare(w);
	err = err ?: zb_kmod_stats(s->fd, &b);
	if (err)
		return err;
	if (zb_param_is(w, "populate", "yes") && b.faults - a.faults != (uint64_t)p->maps.n)
		return zb_fail(w, -EINVAL, "refaulted %llu of %ld mappings after a revoke",
			       (unsigned long long)(b.faults - a.faults), p->maps.n);
	return 0;
}

static int krev_op(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	struct zaptest_range r;
	uint64_t t0 = zb_mono_ns();
	int err = zb_kmod_range(s->fd, ZAPTEST_IOC_REVOKE, 0, p->page, &r);

	if (err)
		return err;
	zb_vals_add(&p->wall, (double)(zb_mono_ns() - t0));
	zb_sample_ns(w, (double)r.ns);
	return 0;
}

/* Spin in userspace: the mm stays live on this CPU, so revokes IPI it. */
static int krev_peer(struct zb_worker *w)
{
	while (!zb_stopping(w))
		__asm__ __volatile__("pause" ::: "memory");
	return 0;
}

static void krev_worker_teardown(struct zb_worker *w)
{
	struct krev_priv *p = w->priv;

	if (w->id)
		return;
	if (p->wall.n)
		zb_note(w, "wall_ns", zb_vals_median(&p->wall));
	map_set_destroy(&p->maps, p->page);
	/* leave the page usable for whatever runs next */
	zb_kmod_range(((struct krev_shared *)w->shared)->fd, ZAPTEST_IOC_GRANT, 0, p->page, NULL);
}

static void krev_teardown(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;

	if (s->fd > 0) {
		if (s->old_variant[0])
			zb_kmod_set_param("variant", s->old_variant);
		close(s->fd);
	}
}

#define KREV_CASE(nm, what, map, maps, qmaps, variants, cpus) {			\
	.name = nm,									\
	.desc = what,									\
	.params = (const struct zb_param[]) {						\
		ZB_ENUM_PARAM("map", "remap,fault",					\
			      "remap_pfn_range() at mmap time (/dev/mem's) or one PFN "	\
			      "per fault", .def = map),					\
		ZB_INT_PARAM("maps", 1, 1000000, maps,					\
			     "one-page mappings of the revoked page (VMAs)", .quick_def = qmaps), \
		ZB_ENUM_PARAM("populate", "yes,no",					\
			      "PTEs present before each revoke (no: VMAs only)"),	\
		ZB_CPUS_PARAM(.def = cpus,						\
			      .help = "CPUs running the revoker's mm (the others spin)"),	\
		ZB_ENUM_PARAM("variant", ZB_KMOD_SOUND_VARIANTS,			\
			      "inode pointer publication in zaptest.ko", .def = variants),	\
		ZB_MODE_PARAM(.choices = "thread",					\
			      .help = "peers are threads, so they run the revoker's mm"),	\
		{ .name = NULL } },							\
	.flags = ZB_CASE_PEERS,								\
	.fit_param = "maps",								\
	.table_notes = "wall_ns,pat_memtypes",						\
	.shared_size = sizeof(struct krev_shared),					\
	.priv_size = sizeof(struct krev_priv),						\
	.setup = krev_setup,								\
	.worker_setup = krev_worker_setup,						\
	.validate = krev_validate,							\
	.prepare = krev_prepare,							\
	.op = krev_op,									\
	.peer = krev_peer,								\
	.worker_teardown = krev_worker_teardown,					\
	.teardown = krev_teardown,							\
}

const struct zb_case zb_family_kmod_revoke[] = {
	KREV_CASE("kmod_revoke/unified",
		  "in-kernel unmap_mapping_range() of /dev/zaptest mapped N times (kernel clock)",
		  NULL, "1,10,100,1000,10000", "1,100,1000", "acqrel", "1,nproc"),
	KREV_CASE("kmod_revoke/variant",
		  "the same revoke under each inode-publication variant, one boot (kernel clock)",
		  "remap", "1000", NULL, NULL, "1"),
	{ .name = NULL },
};
