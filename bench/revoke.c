// SPDX-License-Identifier: GPL-2.0
/*
 * revoke: the time of one unmap_mapping_range() reached from userspace.
 *
 * A memfd has two pages: page 1 is mapped N times (one VMA each) and is
 * what every op revokes; page 0 is never revoked (fault peers use it).
 * The op is one of the three userspace paths into unmap_mapping_range()
 * on shmem:
 *   ftruncate  shrink to one page   (shmem_setattr -> unmap_mapping_range)
 *   punch      fallocate(PUNCH_HOLE) (shmem_fallocate -> unmap_mapping_range)
 *   madvise    madvise(MADV_REMOVE) on one mapping (-> shmem_fallocate)
 * Each also frees the one page-cache page, in both populate modes, so the
 * populated/unpopulated difference is the PTEs alone.  ->prepare (untimed)
 * restores the file and, when populated, re-touches all N mappings.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "case.h"
#include "revoke_maps.h"
#include "util.h"

#define MEMFD_NAME	"zapbench-revoke"
#define MAX_MAPS	10000000L
#define BYTES_PER_MAP	512		/* VMA, interval tree node, PTE share, our pointer */

/* In the order of the trigger and peer parameters' choices. */
enum trigger { FTRUNCATE, PUNCH, MADVISE };
enum peer { PEER_IDLE, PEER_SPIN, PEER_FAULT, PEER_MMAP };

struct revoke_shared {
	int fd;
	long page;
	long nr_maps, own_maps;
	int populate;
	enum trigger trigger;
	struct holders h;
};

struct revoke_priv {
	struct map_set m;
	char *peer_map;			/* a peer process's own mapping of page 1 */
	char *keep;			/* page 0, which fault peers touch */
};

static long mem_available_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	long kb = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static int revoke_check(const struct zb_point *pt, char *why, size_t len)
{
	const char *v = NULL;
	long n, per = maps_per_process(), procs, avail_kb;
	struct rlimit rl;
	int i;

	for (i = 0; i < pt->nr; i++)
		if (!strcmp(pt->name[i], "maps"))
			v = pt->value[i];
	n = strtol(v, NULL, 10);
	procs = (n + per - 1) / per;
	if (procs - 1 > REVOKE_MAX_HOLDERS) {
		snprintf(why, len, "--maps %ld needs %ld processes at vm.max_map_count=%ld "
			 "(at most %d): raise vm.max_map_count or lower --maps",
			 n, procs, per + 512, REVOKE_MAX_HOLDERS + 1);
		return -E2BIG;
	}
	if (!getrlimit(RLIMIT_NPROC, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)procs > rl.rlim_cur) {
		snprintf(why, len, "--maps %ld needs %ld processes, RLIMIT_NPROC is %lu "
			 "(ulimit -u)", n, procs, (unsigned long)rl.rlim_cur);
		return -E2BIG;
	}
	avail_kb = mem_available_kb();
	if (avail_kb && (double)n * BYTES_PER_MAP > (double)avail_kb * 1024 / 2) {
		snprintf(why, len, "--maps %ld needs ~%ld MiB of kernel memory, more than "
			 "half of MemAvailable (%ld MiB)", n,
			 n * BYTES_PER_MAP >> 20, avail_kb >> 10);
		return -ENOMEM;
	}
	return 0;
}

static int setup_common(struct zb_worker *w, enum trigger trig)
{
	struct revoke_shared *s = w->shared;
	long per = maps_per_process();
	int err;

	s->page = sysconf(_SC_PAGESIZE);
	s->trigger = trig;
	s->nr_maps = zb_param_int(w, "maps");
	s->populate = zb_param_is(w, "populate", "yes");
	s->own_maps = s->nr_maps < per ? s->nr_maps : per;
	s->fd = memfd_create(MEMFD_NAME, MFD_CLOEXEC);
	if (s->fd < 0 || ftruncate(s->fd, 2 * s->page))
		return zb_fail(w, -errno, "memfd: %s", strerror(errno));
	if (s->nr_maps == s->own_maps)
		return 0;
	err = holders_start(&s->h, w, s->fd, s->nr_maps - s->own_maps, per, s->page,
			    s->page, MEMFD_NAME, s->populate);
	if (err)
		return zb_fail(w, err, "cannot start %ld mapping holders: %s",
			       (s->nr_maps - s->own_maps + per - 1) / per,
			       s->h.failed ? s->h.msg : strerror(-err));
	return 0;
}

static int setup_ftruncate(struct zb_worker *w)
{
	return setup_common(w, FTRUNCATE);
}

static int setup_punch(struct zb_worker *w)
{
	return setup_common(w, PUNCH);
}

static int setup_madvise(struct zb_worker *w)
{
	return setup_common(w, MADVISE);
}

static int setup_peers(struct zb_worker *w)
{
	if (w->nr_workers < 2)
		return zb_skip(w, "peers need a second CPU (--cpus 2 or more)");
	return setup_common(w, (enum trigger)zb_param_enum(w, "trigger"));
}

static int revoke_worker_setup(struct zb_worker *w)
{
	struct revoke_shared *s = w->shared;
	struct revoke_priv *p = w->priv;
	int err;

	if (w->id == 0) {
		err = map_set_create(&p->m, s->fd, s->own_maps, s->page, s->page, w);
		if (err)
			return zb_fail(w, err, "mmap #%ld of %ld: %s (vm.max_map_count?)",
				       p->m.n + 1, s->own_maps, strerror(-err));
		return 0;
	}
	/*
	 * A peer process holds its own populated mapping of the revoked page.
	 * MAP_POPULATE, not a touch: worker 0 may be truncating the file
	 * right now (validation), and a touch past EOF is SIGBUS.
	 */
	if (w->mode == ZB_MODE_PROCESS) {
		p->peer_map = mmap(NULL, (size_t)s->page, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_POPULATE, s->fd, s->page);
		if (p->peer_map == MAP_FAILED)
			return zb_fail(w, -errno, "peer mmap: %s", strerror(errno));
	}
	return 0;
}

/* Untimed: put back the page and, when populated, every PTE. */
static int revoke_prepare(struct zb_worker *w)
{
	struct revoke_shared *s = w->shared;
	struct revoke_priv *p = w->priv;
	char one = 1;

	if (ftruncate(s->fd, 2 * s->page))
		return zb_fail(w, -errno, "ftruncate: %s", strerror(errno));
	if (!s->populate) {
		/* The page is in the page cache but mapped by no PTE. */
		if (pwrite(s->fd, &one, 1, s->page) != 1)
			return zb_fail(w, -errno, "pwrite: %s", strerror(errno));
		return 0;
	}
	map_set_touch(&p->m);
	if (holders_populate(&s->h))
		return zb_fail(w, -EIO, "%s", s->h.msg);
	return 0;
}

static int revoke_op(struct zb_worker *w)
{
	struct revoke_shared *s = w->shared;
	struct revoke_priv *p = w->priv;

	switch (s->trigger) {
	case FTRUNCATE:
		return ftruncate(s->fd, s->page) ? -errno : 0;
	case PUNCH:
		return fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 s->page, s->page) ? -errno : 0;
	case MADVISE:
		return madvise(p->m.addr[0], (size_t)s->page, MADV_REMOVE) ? -errno : 0;
	}
	return -EINVAL;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

/*
 * Before timing anything: N VMAs really exist, populating takes one fault
 * per mapping, the PTEs are there, and one op really removes them all.
 */
static int revoke_validate(struct zb_worker *w)
{
	struct revoke_shared *s = w->shared;
	struct revoke_priv *p = w->priv;
	long vmas = count_file_vmas(MEMFD_NAME), f0, faults, before, after;
	int err;

	if (vmas != s->own_maps)
		return zb_fail(w, -EPROTO, "/proc/self/maps shows %ld VMAs of the memfd, "
			       "expected %ld", vmas, s->own_maps);
	if (s->h.vmas != s->nr_maps - s->own_maps)
		return zb_fail(w, -EPROTO, "holders verified %ld VMAs, expected %ld",
			       s->h.vmas, s->nr_maps - s->own_maps);
	f0 = minflt();
	err = revoke_prepare(w);
	faults = minflt() - f0;
	if (err)
		return err;
	before = map_set_present(&p->m, s->page) + holders_present(&s->h);
	if (s->populate && (faults < s->own_maps || before != s->nr_maps))
		return zb_fail(w, -EPROTO, "populating %ld mappings took %ld faults here and "
			       "left %ld PTEs in all", s->nr_maps, faults, before);
	if (!s->populate && before != 0)
		return zb_fail(w, -EPROTO, "unpopulated, yet %ld PTEs present", before);
	err = revoke_op(w);
	if (err)
		return zb_fail(w, err, "revoke: %s", strerror(-err));
	after = map_set_present(&p->m, s->page) + holders_present(&s->h);
	if (after != 0)
		return zb_fail(w, -EPROTO, "revoke left %ld of %ld PTEs", after, before);
	zb_note(w, "vmas_verified", (double)(vmas + s->h.vmas));
	zb_note(w, "holder_processes", s->h.nr);
	zb_note(w, "populate_faults", (double)faults);
	zb_note(w, "ptes_revoked", (double)before);
	return 0;
}

static int peer_fault(struct zb_worker *w, struct revoke_shared *s, struct revoke_priv *p)
{
	/* Mapped here, not in worker_setup, so worker 0 counts only its own VMAs. */
	p->keep = mmap(NULL, (size_t)s->page, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (p->keep == MAP_FAILED)
		return zb_fail(w, -errno, "peer mmap: %s", strerror(errno));
	while (!zb_stopping(w)) {
		*(volatile char *)p->keep = 1;
		madvise(p->keep, (size_t)s->page, MADV_DONTNEED);
	}
	return 0;
}

static int revoke_peer(struct zb_worker *w)
{
	struct revoke_shared *s = w->shared;
	struct revoke_priv *p = w->priv;
	enum peer what = (enum peer)zb_param_enum(w, "peer");

	if (what == PEER_FAULT)
		return peer_fault(w, s, p);
	while (!zb_stopping(w)) {
		if (what == PEER_IDLE) {
			poll(NULL, 0, 10);
		} else if (what == PEER_MMAP) {
			/* i_mmap_rwsem for write, against the revoke's read */
			void *m = mmap(NULL, (size_t)s->page, PROT_READ, MAP_SHARED,
				       s->fd, s->page);

			if (m != MAP_FAILED)
				munmap(m, (size_t)s->page);
		} else {
			/* spin: keep this mm live on this CPU, so flushes need IPIs */
			__asm__ volatile("" ::: "memory");
		}
	}
	return 0;
}

static void revoke_worker_teardown(struct zb_worker *w)
{
	struct revoke_shared *s = w->shared;
	struct revoke_priv *p = w->priv;

	map_set_destroy(&p->m, s->page);
	if (p->peer_map && p->peer_map != MAP_FAILED)
		munmap(p->peer_map, (size_t)s->page);
	if (p->keep && p->keep != MAP_FAILED)
		munmap(p->keep, (size_t)s->page);
}

static void revoke_teardown(struct zb_worker *w)
{
	struct revoke_shared *s = w->shared;

	holders_stop(&s->h);
	if (s->fd > 0)
		close(s->fd);
}

#define MAPS_HELP	"mappings (VMAs) of the revoked page; spread over processes " \
			"past vm.max_map_count"

static const struct zb_param revoke_params[] = {
	ZB_INT_PARAM("maps", 1, MAX_MAPS, "1,10,100,1000,10000", MAPS_HELP,
		     .quick_def = "1,10,100,1000"),
	ZB_ENUM_PARAM("populate", "yes,no", "every mapping has its PTE (yes) or none does (no)"),
	{ .name = NULL },
};

static const struct zb_param peer_params[] = {
	ZB_ENUM_PARAM("trigger", "ftruncate,punch,madvise", "the revoking call",
		      .def = "ftruncate"),
	/*
	 * Quick: 100.  At 1000 an op and its prepare take 10-60 ms, so a
	 * quick round gets five samples of a point that is often bimodal
	 * (datasets/reference/README.md, "peers"), and the eight points
	 * were 40 % of a round.
	 */
	ZB_INT_PARAM("maps", 1, MAX_MAPS, "1000", "mappings held by the revoker",
		     .quick_def = "100"),
	ZB_ENUM_PARAM("populate", "yes,no", "PTEs present before each revoke", .def = "yes"),
	ZB_ENUM_PARAM("peer", "idle,spin,fault,mmap",
		      "what the other CPUs do: sleep, spin in userspace, fault page 0, "
		      "mmap+munmap the file"),
	ZB_MODE_PARAM(.help = "peers are processes with their own mapping, or threads in the "
			      "revoker's mm"),
	ZB_CPUS_PARAM(.def = "nproc", .quick_def = "2", .help = "revoker + peers, one per CPU"),
	{ .name = NULL },
};

#define REVOKE_CASE(trig, what) {						\
	.name = "revoke/" #trig,						\
	.desc = "unmap_mapping_range() via " what " of a memfd mapped N times",	\
	.params = revoke_params,						\
	.fit_param = "maps",							\
	.shared_size = sizeof(struct revoke_shared),				\
	.priv_size = sizeof(struct revoke_priv),				\
	.check = revoke_check,							\
	.setup = setup_##trig,							\
	.worker_setup = revoke_worker_setup,					\
	.validate = revoke_validate,						\
	.prepare = revoke_prepare,						\
	.op = revoke_op,							\
	.worker_teardown = revoke_worker_teardown,				\
	.teardown = revoke_teardown,						\
}

const struct zb_case zb_family_revoke[] = {
	REVOKE_CASE(ftruncate, "ftruncate() shrink"),
	REVOKE_CASE(punch, "fallocate(PUNCH_HOLE)"),
	REVOKE_CASE(madvise, "madvise(MADV_REMOVE)"),
	{
		.name = "revoke/peers",
		.desc = "revoke latency while other CPUs sleep, spin, fault or mmap the file",
		.params = peer_params,
		.flags = ZB_CASE_PEERS,
		.shared_size = sizeof(struct revoke_shared),
		.priv_size = sizeof(struct revoke_priv),
		.check = revoke_check,
		.setup = setup_peers,
		.worker_setup = revoke_worker_setup,
		.validate = revoke_validate,
		.prepare = revoke_prepare,
		.op = revoke_op,
		.peer = revoke_peer,
		.worker_teardown = revoke_worker_teardown,
		.teardown = revoke_teardown,
	},
	{ .name = NULL },
};
