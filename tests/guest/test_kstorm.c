// SPDX-License-Identifier: GPL-2.0
/*
 * A timed storm on /dev/zaptest: one worker per online CPU, pinned,
 * each a random mix of open, close, mmap (fault and remap shapes),
 * munmap, touch, revoke, grant, claim, release, parameter writes and
 * fork (the child reads the mappings it inherited).  Each worker revokes
 * and grants only pages of its own, so what every touch of those pages
 * must do is known: a read returns the page's magic or, once a revoke
 * through the same kind of file (unified or per-inode) has zapped it,
 * SIGBUSes until a grant lets a fault mapping fault back in; a remap
 * mapping stays dead (it has no fault handler).  Then rmmod races live
 * files and mappings: refused with EAGAIN while one lives, done once
 * none does, and open() racing unload and reload gets a working file or
 * a clean error.  Last in its binary: it unloads and reloads the module.
 */
#include <sched.h>
#include <stdarg.h>
#include <sys/wait.h>
#include "zt_fuzz.h"
#include "zt.h"

#define ZS_MAX_WORKERS	64
#define ZS_OWN_PAGES	32	/* pages each worker revokes and grants */
#define ZS_MAX_FDS	4
#define ZS_MAX_MAPS	8
#define ZS_MAX_MAP_PAGES	8

enum zs_op {
	ZS_OPEN, ZS_CLOSE, ZS_MMAP, ZS_MUNMAP, ZS_TOUCH, ZS_REVOKE, ZS_GRANT,
	ZS_CLAIM, ZS_RELEASE, ZS_PARAM, ZS_FORK, ZS_NR_OPS,
};

static const char * const zs_op_names[] = {
	"open", "close", "mmap", "munmap", "touch", "revoke", "grant",
	"claim", "release", "param", "fork",
};

/* How often each op is drawn, out of the sum. */
static const int zs_weight[] = { 6, 5, 10, 8, 40, 8, 8, 1, 1, 2, 1 };

/* Shared by the workers and the parent (MAP_SHARED). */
struct zs_shared {
	uint64_t ops[ZS_MAX_WORKERS][ZS_NR_OPS];
	uint64_t sigbus[ZS_MAX_WORKERS], reads[ZS_MAX_WORKERS];
	uint64_t claims_ok, releases_ok;
	char why[ZS_MAX_WORKERS][160];
};

struct zs_fd {
	int fd;
	int kind;	/* enum zaptest_mode, as INFO says of the file */
	int map;	/* enum zaptest_map of its later mmap()s */
};

/* A mapping and, per page, whether its PTE is known to be present. */
struct zs_map {
	char *addr;
	uint64_t pgoff, pages;
	int kind, map;
	unsigned char pte[ZS_MAX_MAP_PAGES];
};

struct zs_worker {
	int idx, cpu;
	uint64_t rng;
	long ps;
	uint64_t pool_pages, remap_pages, own0;	/* own pages: own0.. */
	int claim;
	struct zs_shared *sh;
	struct zs_fd fd[ZS_MAX_FDS];
	int nfds;
	struct zs_map m[ZS_MAX_MAPS];
	int nmaps;
	unsigned char revoked[ZS_OWN_PAGES];
};

/* Say why in the shared slot, for the parent to print, and stop. */
__attribute__((format(printf, 2, 3), noreturn))
static void zs_fail(struct zs_worker *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->sh->why[w->idx], sizeof(w->sh->why[0]), fmt, ap);
	va_end(ap);
	_exit(1);
}

static int zs_own(struct zs_worker *w, uint64_t pg)
{
	return pg >= w->own0 && pg < w->own0 + ZS_OWN_PAGES;
}

static void zs_open(struct zs_worker *w)
{
	struct zaptest_info info;
	struct zs_fd *f = &w->fd[w->nfds];

	if (w->nfds == ZS_MAX_FDS)
		return;
	f->fd = open(ZAPTEST_DEV, zt_below(&w->rng, 4) ? O_RDWR : O_RDONLY);
	if (f->fd < 0)
		zs_fail(w, "open: %s", strerror(errno));
	if (zt_ioctl(f->fd, ZAPTEST_IOC_INFO, &info))
		zs_fail(w, "INFO: %s", strerror(errno));
	f->kind = info.file_mode;
	f->map = ZAPTEST_MAP_FAULT;
	if (w->remap_pages && !zt_below(&w->rng, 3)) {
		if (zb_kmod_set_map(f->fd, ZAPTEST_MAP_REMAP))
			zs_fail(w, "SET_MAP remap: %s", strerror(errno));
		f->map = ZAPTEST_MAP_REMAP;
	}
	w->nfds++;
}

/* The mappings live on without their file: it is theirs to hold. */
static void zs_close(struct zs_worker *w)
{
	int i;

	if (!w->nfds)
		return;
	i = zt_below(&w->rng, w->nfds);
	close(w->fd[i].fd);
	w->fd[i] = w->fd[--w->nfds];
}

/* Did a revoke of own page @pg through a file of this kind zap it? */
static void zs_zap(struct zs_worker *w, uint64_t pg, int kind)
{
	int i;

	for (i = 0; i < w->nmaps; i++) {
		struct zs_map *m = &w->m[i];

		if (m->kind == kind && pg >= m->pgoff && pg < m->pgoff + m->pages)
			m->pte[pg - m->pgoff] = 0;
	}
}

/* Pages in the owned range, or anywhere in the pool (others' pages too). */
static uint64_t zs_pick_pgoff(struct zs_worker *w, uint64_t limit, uint64_t pages)
{
	if (zt_below(&w->rng, 2) && w->own0 + ZS_OWN_PAGES <= limit)
		return w->own0 + zt_below(&w->rng, ZS_OWN_PAGES - pages + 1);
	return zt_below(&w->rng, limit - pages + 1);
}

static void zs_mmap(struct zs_worker *w)
{
	struct zs_map *m = &w->m[w->nmaps];
	uint64_t limit, i, own_revoked = 0;
	struct zs_fd *f;

	if (!w->nfds || w->nmaps == ZS_MAX_MAPS)
		return;
	f = &w->fd[zt_below(&w->rng, w->nfds)];
	limit = f->map == ZAPTEST_MAP_REMAP ? w->remap_pages : w->pool_pages;
	m->pages = 1 + zt_below(&w->rng, ZS_MAX_MAP_PAGES);
	m->pgoff = zs_pick_pgoff(w, limit, m->pages);
	m->kind = f->kind;
	m->map = f->map;
	for (i = 0; i < m->pages; i++) {
		m->pte[i] = f->map == ZAPTEST_MAP_REMAP;
		if (zs_own(w, m->pgoff + i) && w->revoked[m->pgoff + i - w->own0])
			own_revoked++;
	}
	m->addr = mmap(NULL, m->pages * w->ps, PROT_READ, MAP_SHARED, f->fd, m->pgoff * w->ps);
	if (m->addr != MAP_FAILED) {
		/* remap refuses a revoked page, as /dev/mem refuses a claimed one */
		if (f->map == ZAPTEST_MAP_REMAP && own_revoked)
			zs_fail(w, "remap mmap at %" PRIu64 " with %" PRIu64
				" own pages revoked: mapped",
				m->pgoff, own_revoked);
		w->nmaps++;
		return;
	}
	/* others' pages may be revoked at any moment: EPERM is theirs then */
	if (f->map == ZAPTEST_MAP_REMAP && errno == EPERM)
		return;
	zs_fail(w, "mmap at %" PRIu64 ": %s", m->pgoff, strerror(errno));
}

static void zs_munmap(struct zs_worker *w)
{
	int i;

	if (!w->nmaps)
		return;
	i = zt_below(&w->rng, w->nmaps);
	if (munmap(w->m[i].addr, w->m[i].pages * w->ps))
		zs_fail(w, "munmap: %s", strerror(errno));
	w->m[i] = w->m[--w->nmaps];
}

/*
 * Read page @i of mapping @m; fail unless the outcome is one the model
 * allows.  Own pages have one outcome; others' pages may have been
 * revoked by their owner, but a read must still find the right page.
 */
static void zs_touch_page(struct zs_worker *w, struct zs_map *m, uint64_t i)
{
	uint64_t pg = m->pgoff + i, v = 0;
	int sig = zt_peek((uint64_t *)(m->addr + i * w->ps), &v), must;

	if (sig && sig != SIGBUS)
		zs_fail(w, "page %" PRIu64 ": signal %d", pg, sig);
	if (!sig && v != zt_magic(pg))
		zs_fail(w, "page %" PRIu64 " read %#" PRIx64 ", not its magic", pg, v);
	if (sig)
		w->sh->sigbus[w->idx]++;
	else
		w->sh->reads[w->idx]++;
	if (!zs_own(w, pg))
		return;
	if (m->pte[i])
		must = 0;		/* nothing can have zapped it */
	else if (m->map == ZAPTEST_MAP_REMAP)
		must = SIGBUS;		/* zapped, and no fault handler */
	else
		must = w->revoked[pg - w->own0] ? SIGBUS : 0;
	if (sig != must)
		zs_fail(w, "own page %" PRIu64 " (%s map, %s): signal %d, %d expected", pg,
			m->map == ZAPTEST_MAP_REMAP ? "remap" : "fault",
			w->revoked[pg - w->own0] ? "revoked" : "granted", sig, must);
	if (!sig)
		m->pte[i] = 1;
}

static void zs_touch(struct zs_worker *w)
{
	struct zs_map *m;

	if (!w->nmaps)
		return;
	m = &w->m[zt_below(&w->rng, w->nmaps)];
	zs_touch_page(w, m, zt_below(&w->rng, m->pages));
}

/* REVOKE or GRANT of 1..4 own pages through a random file. */
static void zs_range(struct zs_worker *w, int revoke)
{
	uint64_t n = 1 + zt_below(&w->rng, 4), first = zt_below(&w->rng, ZS_OWN_PAGES - n + 1), i;
	struct zs_fd *f;
	int rc;

	if (!w->nfds)
		return;
	f = &w->fd[zt_below(&w->rng, w->nfds)];
	rc = zt_range(f->fd, revoke ? ZAPTEST_IOC_REVOKE : ZAPTEST_IOC_GRANT,
		      (w->own0 + first) * w->ps, n * w->ps);
	if (rc)
		zs_fail(w, "%s: %s", revoke ? "REVOKE" : "GRANT", strerror(-rc));
	for (i = first; i < first + n; i++) {
		w->revoked[i] = revoke;
		if (revoke)
			zs_zap(w, w->own0 + i, f->kind);
	}
}

/* Claims race between workers: 0 or EBUSY, and 0 or EINVAL. */
static void zs_claim(struct zs_worker *w, int claim)
{
	struct zaptest_claim c = { .flags = 0 };
	int rc;

	if (!w->nfds || !w->claim)
		return;
	rc = zt_ioctl(w->fd[0].fd, claim ? ZAPTEST_IOC_CLAIM : ZAPTEST_IOC_RELEASE, &c);
	if (!rc)
		__atomic_add_fetch(claim ? &w->sh->claims_ok : &w->sh->releases_ok, 1,
				   __ATOMIC_SEQ_CST);
	else if (rc != (claim ? -EBUSY : -EINVAL))
		zs_fail(w, "%s: %s", claim ? "CLAIM" : "RELEASE", strerror(-rc));
}

static void zs_param(struct zs_worker *w)
{
	static const char * const modes[] = { "unified", "per_inode" };
	static const char * const variants[] = { "v3", "once", "acqrel", "rcu", "relderef",
						 "plain" };
	int rc;

	switch (zt_below(&w->rng, 3)) {
	case 0:
		rc = zb_kmod_set_param("mode", modes[zt_below(&w->rng, 2)]);
		break;
	case 1:
		rc = zb_kmod_set_param("variant", variants[zt_below(&w->rng, 6)]);
		break;
	default:
		/* reorder is for MP alone: no reader may run it */
		rc = zb_kmod_set_param("variant", "reorder") == -EINVAL ? 0 : -1;
		break;
	}
	if (rc)
		zs_fail(w, "parameter write: %d", rc);
}

/* The child reads every page it inherited; the model holds for it too. */
static void zs_fork(struct zs_worker *w)
{
	pid_t pid = fork();
	int st, i;

	if (pid < 0)
		zs_fail(w, "fork: %s", strerror(errno));
	if (!pid) {
		for (i = 0; i < w->nmaps; i++) {
			uint64_t j;

			for (j = 0; j < w->m[i].pages; j++)
				zs_touch_page(w, &w->m[i], j);
		}
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		char why[sizeof(w->sh->why[0])];

		memcpy(why, w->sh->why[w->idx], sizeof(why));
		zs_fail(w, "fork child: status %#x: %s", st, why);
	}
}

static enum zs_op zs_pick_op(struct zs_worker *w)
{
	int sum = 0, r, i;

	for (i = 0; i < ZS_NR_OPS; i++)
		sum += zs_weight[i];
	r = zt_below(&w->rng, sum);
	for (i = 0; r >= zs_weight[i]; i++)
		r -= zs_weight[i];
	return i;
}

static void zs_run(struct zs_worker *w, double deadline)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		zs_fail(w, "sched_setaffinity %d: %s", w->cpu, strerror(errno));
	while (zt_now() < deadline) {
		enum zs_op op = zs_pick_op(w);

		w->sh->ops[w->idx][op]++;
		if (op == ZS_OPEN)
			zs_open(w);
		else if (op == ZS_CLOSE)
			zs_close(w);
		else if (op == ZS_MMAP)
			zs_mmap(w);
		else if (op == ZS_MUNMAP)
			zs_munmap(w);
		else if (op == ZS_TOUCH)
			zs_touch(w);
		else if (op == ZS_REVOKE || op == ZS_GRANT)
			zs_range(w, op == ZS_REVOKE);
		else if (op == ZS_CLAIM || op == ZS_RELEASE)
			zs_claim(w, op == ZS_CLAIM);
		else if (op == ZS_PARAM)
			zs_param(w);
		else
			zs_fork(w);
	}
	_exit(0);
}

/* The CPUs this process may run on, at most ZS_MAX_WORKERS: one worker each. */
static int zs_cpus(int *cpu)
{
	cpu_set_t set;
	int i, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (i = 0; i < CPU_SETSIZE && n < ZS_MAX_WORKERS; i++)
		if (CPU_ISSET(i, &set))
			cpu[n++] = i;
	return n;
}

static void zs_summary(struct zs_shared *sh, int nw, double secs)
{
	uint64_t sigbus = 0, reads = 0;
	int i, j;

	printf("# kstorm: {\"seed\": %" PRIu64 ", \"seconds\": %.1f, \"workers\": %d, \"ops\": {",
	       zt_opt.seed, secs, nw);
	for (j = 0; j < ZS_NR_OPS; j++) {
		uint64_t n = 0;

		for (i = 0; i < nw; i++)
			n += sh->ops[i][j];
		printf("%s\"%s\": %" PRIu64, j ? ", " : "", zs_op_names[j], n);
	}
	for (i = 0; i < nw; i++) {
		sigbus += sh->sigbus[i];
		reads += sh->reads[i];
	}
	printf("}, \"reads\": %" PRIu64 ", \"sigbus\": %" PRIu64 ", \"claims\": %" PRIu64
	       ", \"releases\": %" PRIu64 "}\n", reads, sigbus, sh->claims_ok, sh->releases_ok);
}

TEST(storm_on_every_cpu_keeps_the_invariants)
{
	struct zs_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int nw = sysconf(_SC_NPROCESSORS_ONLN), i, st, fd = zt_fresh(), bad = 0;
	double t0 = zt_now(), deadline = t0 + zt_opt.storm_s;
	int cpu[ZS_MAX_WORKERS];
	struct zaptest_info info;
	pid_t pid[ZS_MAX_WORKERS];

	ASSERT_TRUE(sh != MAP_FAILED && fd >= 0);
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_INFO, &info));
	nw = zs_cpus(cpu);
	ASSERT_TRUE(nw > 0 && (uint64_t)nw * ZS_OWN_PAGES <= info.pool_pages);
	zt_ioctl(fd, ZAPTEST_IOC_RELEASE, NULL);
	for (i = 0; i < nw; i++) {
		pid[i] = fork();
		ASSERT_TRUE(pid[i] >= 0);
		if (!pid[i]) {
			struct zs_worker w = {
				.idx = i, .cpu = cpu[i],
				.rng = zt_opt.seed ^ (0x9e3779b97f4a7c15ULL * (i + 1)),
				.ps = sysconf(_SC_PAGESIZE), .pool_pages = info.pool_pages,
				.remap_pages = info.remap_pages, .own0 = (uint64_t)i * ZS_OWN_PAGES,
				.claim = info.claim_size != 0, .sh = sh,
			};

			zs_run(&w, deadline);
		}
	}
	for (i = 0; i < nw; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &st, 0));
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			printf("# worker %d (status %#x): %s\n", i, st, sh->why[i]);
			bad++;
		}
	}
	zs_summary(sh, nw, zt_now() - t0);
	EXPECT_EQ(0, bad);
	/* claims and releases alternate: at most one claim is held */
	ASSERT_TRUE(sh->claims_ok - sh->releases_ok <= 1);
	ASSERT_EQ(sh->claims_ok > sh->releases_ok ? 0 : -EINVAL,
		  zt_ioctl(fd, ZAPTEST_IOC_RELEASE, NULL));
	ASSERT_EQ(0, zb_kmod_set_param("mode", "unified"));
	ASSERT_EQ(0, zb_kmod_set_param("variant", "acqrel"));
	ASSERT_EQ(0, zt_range(fd, ZAPTEST_IOC_GRANT, 0,
			      (uint64_t)info.pool_pages * sysconf(_SC_PAGESIZE)));
}

/* ---- rmmod racing live files and mappings ---- */

/* A holder outlives the race's deadline by at most this long (the parent's stop comes first). */
#define ZS_GRACE_S	30

struct zs_race {
	int ready;		/* holders holding something */
	int stop;		/* the parent is done unloading: holders let go */
	int failed;
	uint64_t opens, open_errors, unloads, refused;
	char why[160];
};

__attribute__((format(printf, 2, 3), noreturn))
static void zs_race_fail(struct zs_race *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	__atomic_store_n(&r->failed, 1, __ATOMIC_SEQ_CST);
	_exit(1);
}

/*
 * Open, map a page and read it: the module in use must be whole.  With
 * @may_fail, open() may find the module gone (unload racing it): then
 * returns -1 and no mapping.
 */
static int zs_open_and_map(struct zs_race *r, uint64_t *rng, int may_fail, char **map)
{
	long ps = sysconf(_SC_PAGESIZE);
	int fd = open(ZAPTEST_DEV, O_RDWR);
	struct zaptest_info info;
	uint64_t pg, v = 0;
	int sig;

	*map = NULL;
	if (fd < 0) {
		if (may_fail && (errno == ENOENT || errno == ENXIO || errno == ENODEV))
			return -1;
		zs_race_fail(r, "open: %s", strerror(errno));
	}
	if (zt_ioctl(fd, ZAPTEST_IOC_INFO, &info) || info.abi_version != ZAPTEST_ABI_VERSION)
		zs_race_fail(r, "INFO on a file open while rmmod races: %s", strerror(errno));
	pg = zt_below(rng, info.pool_pages);
	*map = mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, pg * ps);
	if (*map == MAP_FAILED)
		zs_race_fail(r, "mmap: %s", strerror(errno));
	sig = zt_peek((uint64_t *)*map, &v);
	if (sig || v != zt_magic(pg))
		zs_race_fail(r, "page %" PRIu64 ": signal %d, read %#" PRIx64, pg, sig, v);
	return fd;
}

/* Always a file or a mapping alive: the new pair opens before the old goes. */
static void zs_hold(struct zs_race *r, uint64_t seed, double deadline)
{
	char *old_map = NULL, *map;
	int old_fd = -1, fd;

	fd = zs_open_and_map(r, &seed, 0, &old_map);
	old_fd = fd;
	__atomic_add_fetch(&r->ready, 1, __ATOMIC_SEQ_CST);
	/*
	 * Until the parent's last rmmod, not a deadline of their own: at the
	 * deadline they let go while the parent tried once more, and under
	 * TCG that rmmod won (a CI run, 2026-12-02).  The grace bounds a parent
	 * that never says stop.
	 */
	while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST) && zt_now() < deadline + ZS_GRACE_S) {
		fd = zs_open_and_map(r, &seed, 0, &map);
		/* sometimes only the mapping holds the module */
		if (zt_below(&seed, 2)) {
			close(fd);
			fd = -1;
		}
		if (old_fd >= 0)
			close(old_fd);
		munmap(old_map, sysconf(_SC_PAGESIZE));
		old_fd = fd;
		old_map = map;
	}
	_exit(0);
}

/* Open and map while the parent unloads and reloads: a file or a clean error. */
static void zs_open_loop(struct zs_race *r, uint64_t seed, double deadline)
{
	char *map;
	int fd;

	while (zt_now() < deadline) {
		fd = zs_open_and_map(r, &seed, 1, &map);
		__atomic_add_fetch(fd < 0 ? &r->open_errors : &r->opens, 1, __ATOMIC_SEQ_CST);
		if (fd < 0)
			continue;
		close(fd);
		munmap(map, sysconf(_SC_PAGESIZE));
	}
	_exit(0);
}

/* Fork @n children running @fn; they stop at @deadline. */
static int zs_spawn(pid_t *pid, int n, struct zs_race *r, double deadline,
		    void (*fn)(struct zs_race *r, uint64_t seed, double deadline))
{
	int i;

	for (i = 0; i < n; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			return -1;
		if (!pid[i])
			fn(r, zt_opt.seed + i + 1, deadline);
	}
	return 0;
}

static int zs_reap(pid_t *pid, int n)
{
	int i, st, bad = 0;

	for (i = 0; i < n; i++)
		if (waitpid(pid[i], &st, 0) != pid[i] || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	return bad;
}

/* The last holder's exit closes its files before waitpid() returns; allow it 1 s. */
static int zs_unload_when_idle(void)
{
	int i, rc = zt_unload();

	for (i = 0; rc == -EWOULDBLOCK && i < 100; i++) {
		usleep(10000);
		rc = zt_unload();
	}
	return rc;
}

static int zs_nr_children(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 1 ? (n < ZS_MAX_WORKERS ? n : ZS_MAX_WORKERS) : 2;
}

TEST(rmmod_is_refused_while_files_or_mappings_live)
{
	struct zs_race *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double deadline = zt_now() + zt_opt.race_s;
	int n = zs_nr_children(), fd = zt_fresh(), rc;
	pid_t pid[ZS_MAX_WORKERS];

	ASSERT_TRUE(r != MAP_FAILED && fd >= 0);
	close(fd);
	ASSERT_EQ(0, zs_spawn(pid, n, r, deadline, zs_hold));
	while (__atomic_load_n(&r->ready, __ATOMIC_SEQ_CST) < n && !r->failed)
		usleep(1000);
	while (zt_now() < deadline && !r->failed) {
		rc = zt_unload();
		if (rc != -EWOULDBLOCK) {
			/* put it back for the tests after, then fail */
			__atomic_store_n(&r->stop, 1, __ATOMIC_SEQ_CST);
			zt_load();
			ASSERT_EQ(-EWOULDBLOCK, rc);
		}
		r->refused++;
	}
	__atomic_store_n(&r->stop, 1, __ATOMIC_SEQ_CST);
	ASSERT_EQ(0, zs_reap(pid, n));
	ASSERT_STREQ("", r->why);
	printf("# krmmod: {\"holders\": %d, \"refused\": %" PRIu64 "}\n", n, r->refused);
	ASSERT_TRUE(r->refused > 0);
	/* nothing holds it now */
	ASSERT_EQ(0, zs_unload_when_idle());
	ASSERT_TRUE(access(ZAPTEST_DEV, F_OK) != 0);
	ASSERT_EQ(0, zt_load());
	fd = zt_fresh();
	ASSERT_TRUE(fd >= 0);
}

TEST(open_racing_unload_and_reload_gets_a_file_or_an_error)
{
	struct zs_race *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double deadline = zt_now() + zt_opt.race_s;
	int n = zs_nr_children(), fd = zt_fresh(), rc, bad;
	pid_t pid[ZS_MAX_WORKERS];

	ASSERT_TRUE(r != MAP_FAILED && fd >= 0);
	close(fd);
	ASSERT_EQ(0, zs_spawn(pid, n, r, deadline, zs_open_loop));
	while (zt_now() < deadline && !r->failed) {
		rc = zt_unload();
		if (rc == -EWOULDBLOCK) {
			r->refused++;
			continue;
		}
		ASSERT_EQ(0, rc);
		r->unloads++;
		ASSERT_EQ(0, zt_load());
	}
	bad = zs_reap(pid, n);
	if (access(ZAPTEST_DEV, F_OK))
		ASSERT_EQ(0, zt_load());
	printf("# kreload: {\"openers\": %d, \"unloads\": %" PRIu64 ", \"refused\": %" PRIu64
	       ", \"opens\": %" PRIu64 ", \"found_gone\": %" PRIu64 "}\n", n, r->unloads,
	       r->refused, r->opens, r->open_errors);
	ASSERT_STREQ("", r->why);
	ASSERT_EQ(0, bad);
	ASSERT_TRUE(r->opens > 0);
	fd = zt_fresh();
	ASSERT_TRUE(fd >= 0);
}
