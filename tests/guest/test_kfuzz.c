// SPDX-License-Identifier: GPL-2.0
/*
 * Random ioctls on /dev/zaptest, each outcome checked against what the
 * module documents: valid and invalid commands (unknown numbers, the
 * right number with the wrong size or direction), arguments at NULL, in
 * the kernel, non-canonical, unmapped, read-only, misaligned or
 * straddling a guard page, and random fields inside valid structures.
 * A call must fail with the errno its arguments call for, or succeed;
 * what it copies back must hold no kernel address and nothing may be
 * written outside the structure.  Counts per command and errno end the
 * run as one JSON line ("# kfuzz: {...}"), which scripts/fuzz-long keeps.
 */
#include "zt_fuzz.h"
#include "zt.h"

#define ZF_ZONE		1024	/* bytes before each guard page the args live in */
#define ZF_FILL		0xa5	/* what the zones hold before a call */
#define ZF_MAX_LOOPS	100000000ULL	/* BENCH and MP refuse more */
#define ZF_REPORT	10	/* mismatches printed in full */

enum zf_ptr {
	ZF_VALID,
	ZF_MISALIGNED,
	ZF_READONLY,
	ZF_STRADDLE,	/* the last bytes in the guard page */
	ZF_UNMAPPED,
	ZF_NULL,
	ZF_KERNEL,
	ZF_NONCANON,
	ZF_NR_PTRS,
};

static const char * const zf_ptr_names[] = {
	"valid", "misaligned", "readonly", "straddle", "unmapped", "null", "kernel", "noncanon",
};

enum zf_cmd {
	ZF_INFO, ZF_REVOKE, ZF_GRANT, ZF_STATS, ZF_RESET, ZF_CLAIM, ZF_RELEASE,
	ZF_BENCH, ZF_MP, ZF_SET_MAP, ZF_UNKNOWN, ZF_NR_CMDS,
};

static const char * const zf_cmd_names[] = {
	"INFO", "REVOKE", "GRANT", "STATS", "RESET", "CLAIM", "RELEASE",
	"BENCH", "MP", "SET_MAP", "unknown",
};

/* The errnos a call may end with; the last bucket is any other. */
static const int zf_errnos[] = { 0, EFAULT, EINVAL, ERANGE, ENOTTY, ENODEV, EBUSY, EPERM };
static const char * const zf_errno_names[] = {
	"0", "EFAULT", "EINVAL", "ERANGE", "ENOTTY", "ENODEV", "EBUSY", "EPERM", "other",
};
#define ZF_NR_ERRNOS	(sizeof(zf_errnos) / sizeof(zf_errnos[0]) + 1)

struct zf_state {
	uint64_t rng;
	long ps;
	uint64_t pool;		/* bytes */
	uint32_t remap_pages;
	uint64_t claim_size;
	int online, possible;
	int claimed;
	int fd[3];		/* unified, per-inode, read-only */
	/* [rw results][guard][rw args][guard][read-only alias of the memfd] */
	char *arena, *ro, *ro_alias;
	uint64_t counts[ZF_NR_CMDS][ZF_NR_ERRNOS];
	uint64_t calls, mismatches, kptrs, overwrites;
};

/* One call as generated: where its argument is and what it should do. */
struct zf_call {
	enum zf_cmd cmd;
	unsigned long nr;	/* the ioctl number passed */
	enum zf_ptr ptr;
	void *arg;		/* what the kernel is given */
	void *write;		/* where the input is written (the RW alias) */
	size_t size;		/* of the argument structure */
	int writes_back;	/* a successful call copies it back */
	enum zf_ptr res_ptr;	/* BENCH: its results array */
	void *res;
	size_t res_size;
	int want;		/* 0 or the errno */
	unsigned char in[128];	/* the input, as written */
};

static char *zf_args_end(struct zf_state *z)
{
	return z->arena + 3 * z->ps;
}

static char *zf_res_end(struct zf_state *z)
{
	return z->arena + z->ps;
}

/* nr_cpu_ids: one more than the last CPU of /sys/devices/system/cpu/possible ("0-3"). */
static int zf_possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char buf[256], *last;
	int n = -1;

	if (f && fgets(buf, sizeof(buf), f)) {
		last = strrchr(buf, '-');
		if (!last || strchr(last, ','))
			last = strrchr(buf, ',');
		n = atoi(last ? last + 1 : buf) + 1;
	}
	if (f)
		fclose(f);
	return n > 0 ? n : (int)sysconf(_SC_NPROCESSORS_CONF);
}

static int zf_setup(struct zf_state *z)
{
	struct zaptest_info info;
	int mfd;

	z->ps = sysconf(_SC_PAGESIZE);
	z->online = sysconf(_SC_NPROCESSORS_ONLN);
	z->possible = zf_possible_cpus();
	z->arena = mmap(NULL, 4 * z->ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	mfd = memfd_create("kfuzz-ro", 0);
	if (z->arena == MAP_FAILED || mfd < 0 || ftruncate(mfd, z->ps))
		return -1;
	if (mprotect(z->arena + z->ps, z->ps, PROT_NONE) ||
	    mprotect(z->arena + 3 * z->ps, z->ps, PROT_NONE))
		return -1;
	z->ro = mmap(NULL, z->ps, PROT_READ, MAP_SHARED, mfd, 0);
	z->ro_alias = mmap(NULL, z->ps, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	close(mfd);
	if (z->ro == MAP_FAILED || z->ro_alias == MAP_FAILED)
		return -1;
	if (zb_kmod_set_param("mode", "per_inode"))
		return -1;
	z->fd[1] = open(ZAPTEST_DEV, O_RDWR);
	if (zb_kmod_set_param("mode", "unified"))
		return -1;
	z->fd[0] = zt_fresh();
	z->fd[2] = open(ZAPTEST_DEV, O_RDONLY);
	if (z->fd[0] < 0 || z->fd[1] < 0 || z->fd[2] < 0 ||
	    zt_ioctl(z->fd[0], ZAPTEST_IOC_INFO, &info))
		return -1;
	z->pool = (uint64_t)info.pool_pages * z->ps;
	z->remap_pages = info.remap_pages;
	z->claim_size = info.claim_size;
	/* a claim left by an earlier test would make CLAIM's outcome unknown */
	z->claimed = 0;
	zt_ioctl(z->fd[0], ZAPTEST_IOC_RELEASE, NULL);
	return 0;
}

/* A field: mostly near the boundaries that matter, sometimes anything. */
static uint64_t zf_pick(struct zf_state *z, const uint64_t *edges, int n)
{
	uint64_t r = zt_below(&z->rng, 8);

	if (r == 0)
		return zt_rand(&z->rng);
	if (r == 1)
		return zt_rand(&z->rng) >> zt_below(&z->rng, 64);
	return edges[zt_below(&z->rng, n)] + zt_below(&z->rng, 3) - 1;
}

/* An offset or length: page multiples around the pool, or not. */
static uint64_t zf_pick_bytes(struct zf_state *z)
{
	uint64_t pages = z->pool / z->ps, r = zt_below(&z->rng, 10);

	if (r < 6)
		return zt_below(&z->rng, pages + 3) * z->ps;
	if (r == 6)
		return -(uint64_t)z->ps * (1 + zt_below(&z->rng, 2));
	if (r == 7)
		return zt_below(&z->rng, 3 * z->ps);
	return zt_rand(&z->rng);
}

/* What REVOKE and GRANT make of a range (the uapi: page-aligned, in the pool). */
static int zf_range_errno(struct zf_state *z, const struct zaptest_range *r)
{
	if (!r->len || r->offset % z->ps || r->len % z->ps)
		return EINVAL;
	if (r->offset >= z->pool || r->len > z->pool - r->offset)
		return ERANGE;
	return 0;
}

static void zf_fill_range(struct zf_state *z, struct zaptest_range *r)
{
	r->offset = zf_pick_bytes(z);
	r->len = zf_pick_bytes(z);
	r->ns = zt_rand(&z->rng);
	r->cycles = zt_rand(&z->rng);
}

/* BENCH: small loops only when valid, so one call stays short under TCG. */
static int zf_fill_bench(struct zf_state *z, struct zaptest_bench *b)
{
	const uint64_t cpus[] = { 0, 1, z->online, z->possible, 255 };
	const uint64_t loops[] = { 1, 100, 1000, ZF_MAX_LOOPS + 1 };

	b->variant = zf_pick(z, (const uint64_t[]){ 0, ZAPTEST_RELDEREF, ZAPTEST_NR_VARIANTS }, 3);
	b->op = zf_pick(z, (const uint64_t[]){ 0, ZAPTEST_NR_BENCH_OPS }, 2);
	b->nr_cpus = zf_pick(z, cpus, 5);
	b->pad = zt_rand(&z->rng);
	b->loops = zf_pick(z, loops, 4);
	if (b->loops > 2000 && b->loops <= ZF_MAX_LOOPS)
		b->loops = 0;
	if (!b->nr_cpus || b->nr_cpus > (uint32_t)z->online)
		return EINVAL;
	if (b->variant > ZAPTEST_RELDEREF || b->op >= ZAPTEST_NR_BENCH_OPS)
		return EINVAL;
	if (!b->loops || b->loops > ZF_MAX_LOOPS)
		return ERANGE;
	return 0;
}

static int zf_fill_mp(struct zf_state *z, struct zaptest_mp *m)
{
	const uint64_t cpus[] = { 1, 2, z->online, z->possible + 1 };
	const uint64_t pubs[] = { 1, 100, 5000, ZF_MAX_LOOPS + 1 };
	int i;

	m->variant = zf_pick(z, (const uint64_t[]){ 0, ZAPTEST_REORDER, ZAPTEST_NR_VARIANTS }, 3);
	m->nr_cpus = zf_pick(z, cpus, 4);
	m->publishes = zf_pick(z, pubs, 4);
	if (m->publishes > 10000 && m->publishes <= ZF_MAX_LOOPS)
		m->publishes = 0;
	for (i = 0; i < 4; i++)
		(&m->reads)[i] = zt_rand(&z->rng);
	if (m->variant >= ZAPTEST_NR_VARIANTS || m->nr_cpus < 2 ||
	    m->nr_cpus > (uint32_t)z->possible)
		return EINVAL;
	if (!m->publishes || m->publishes > ZF_MAX_LOOPS)
		return ERANGE;
	return m->nr_cpus > (uint32_t)z->online ? EINVAL : 0;
}

/*
 * An ioctl number the module does not know: its magic with another
 * number, one of its numbers with another size or direction, or another
 * magic.  Never one the VFS answers itself before the driver (FIOCLEX
 * and the rest of 'T', FIGETBSZ/FIBMAP at 0, 'f', 'X', 0x94, 0x15).
 */
static unsigned long zf_unknown_nr(struct zf_state *z)
{
	static const unsigned long known[] = {
		ZAPTEST_IOC_INFO, ZAPTEST_IOC_REVOKE, ZAPTEST_IOC_GRANT, ZAPTEST_IOC_STATS,
		ZAPTEST_IOC_RESET, ZAPTEST_IOC_CLAIM, ZAPTEST_IOC_RELEASE, ZAPTEST_IOC_BENCH,
		ZAPTEST_IOC_MP, ZAPTEST_IOC_SET_MAP,
	};
	unsigned long nr, type;
	size_t i;

	for (;;) {
		switch (zt_below(&z->rng, 3)) {
		case 0:
			nr = _IOC(zt_below(&z->rng, 4), ZAPTEST_IOC_MAGIC,
				  zt_below(&z->rng, 256), zt_below(&z->rng, 256));
			break;
		case 1:
			nr = known[zt_below(&z->rng, 10)];
			nr = _IOC(zt_below(&z->rng, 4), _IOC_TYPE(nr), _IOC_NR(nr),
				  zt_below(&z->rng, 1 << _IOC_SIZEBITS));
			break;
		default:
			nr = (uint32_t)zt_rand(&z->rng);
			break;
		}
		type = _IOC_TYPE(nr);
		if (type == 'T' || type == 0 || type == 'f' || type == 'X' ||
		    type == 0x94 || type == 0x15)
			continue;
		for (i = 0; i < 10 && known[i] != nr; i++)
			;
		if (i == 10)
			return nr;
	}
}

static int zf_readable(enum zf_ptr p)
{
	return p <= ZF_READONLY;
}

static int zf_writable(enum zf_ptr p)
{
	return p <= ZF_MISALIGNED;
}

/*
 * Where an argument of @size bytes goes for pointer kind @p, ending in
 * the zone before guard page @end; *@write is where to put its input.
 */
static void *zf_place(struct zf_state *z, enum zf_ptr p, size_t size, char *end, void **write)
{
	size_t room = ZF_ZONE - size, off = zt_below(&z->rng, room / 8 + 1) * 8;
	static const uint64_t kaddr[] = {
		0xffff888000000000ULL, 0xffffffff81000000ULL, 0xfffffffffffff000ULL,
	};
	char *a = end - ZF_ZONE + off;

	*write = NULL;
	switch (p) {
	case ZF_VALID:
		break;
	case ZF_MISALIGNED:
		a = end - ZF_ZONE + off / 2 + 1 + zt_below(&z->rng, 7);
		break;
	case ZF_READONLY:
		a = z->ro + zt_below(&z->rng, (z->ps - size) / 8 + 1) * 8;
		*write = z->ro_alias + (a - z->ro);
		return a;
	case ZF_STRADDLE:
		a = end - size + 1 + zt_below(&z->rng, size);
		break;
	case ZF_UNMAPPED:
		return end + zt_below(&z->rng, z->ps);
	case ZF_NULL:
		return NULL;
	case ZF_KERNEL:
		return (void *)(uintptr_t)kaddr[zt_below(&z->rng, 3)];
	default:
		return (void *)(uintptr_t)(0x0000800000000000ULL << zt_below(&z->rng, 16));
	}
	*write = a;
	return a;
}

/* Write @size bytes of input at the call's place, clipped to what is mapped. */
static void zf_put(struct zf_call *c, const void *in, char *end)
{
	size_t n = c->size;

	if (!c->write)
		return;
	if (c->ptr == ZF_STRADDLE)
		n = end - (char *)c->write;
	memcpy(c->write, in, n);
	memcpy(c->in, in, c->size);
}

static enum zf_ptr zf_pick_ptr(struct zf_state *z)
{
	/* valid arguments half the time, or nothing but errors is tested */
	return zt_below(&z->rng, 2) ? ZF_VALID : (enum zf_ptr)zt_below(&z->rng, ZF_NR_PTRS);
}

/* The expected outcome of a command that reads, acts, then copies back. */
static int zf_inout(const struct zf_call *c, int act)
{
	if (!zf_readable(c->ptr))
		return EFAULT;
	if (act)
		return act;
	return c->writes_back && !zf_writable(c->ptr) ? EFAULT : 0;
}

/* Build one call and its expected outcome; the model's state follows it. */
static void zf_generate(struct zf_state *z, struct zf_call *c)
{
	char *end = zf_args_end(z);
	union {
		struct zaptest_info info;
		struct zaptest_range r;
		struct zaptest_stats st;
		struct zaptest_claim cl;
		struct zaptest_bench b;
		struct zaptest_mp m;
		uint32_t map;
	} in;
	void *unused;
	int act = 0;

	memset(c, 0, sizeof(*c));
	memset(&in, 0, sizeof(in));
	c->cmd = zt_below(&z->rng, ZF_NR_CMDS);
	c->ptr = zf_pick_ptr(z);
	switch (c->cmd) {
	case ZF_INFO:
		c->nr = ZAPTEST_IOC_INFO;
		c->size = sizeof(in.info);
		c->writes_back = 1;
		break;
	case ZF_REVOKE:
	case ZF_GRANT:
		c->nr = c->cmd == ZF_REVOKE ? ZAPTEST_IOC_REVOKE : ZAPTEST_IOC_GRANT;
		c->size = sizeof(in.r);
		c->writes_back = c->cmd == ZF_REVOKE;
		zf_fill_range(z, &in.r);
		act = zf_range_errno(z, &in.r);
		break;
	case ZF_STATS:
		c->nr = ZAPTEST_IOC_STATS;
		c->size = sizeof(in.st);
		c->writes_back = 1;
		break;
	case ZF_RESET:
	case ZF_RELEASE:
		/* the argument is not read: any pointer does */
		c->nr = c->cmd == ZF_RESET ? ZAPTEST_IOC_RESET : ZAPTEST_IOC_RELEASE;
		c->arg = (void *)(uintptr_t)zt_rand(&z->rng);
		c->ptr = ZF_VALID;
		c->want = c->cmd == ZF_RELEASE && !z->claimed ? EINVAL : 0;
		if (c->cmd == ZF_RELEASE)
			z->claimed = 0;
		return;
	case ZF_CLAIM:
		c->nr = ZAPTEST_IOC_CLAIM;
		c->size = sizeof(in.cl);
		c->writes_back = 1;
		in.cl.flags = zf_pick(z, (const uint64_t[]){ 0, ZAPTEST_CLAIM_PROBE, 2 }, 3);
		/* the probe is a kretprobe registration: rare, it is slow */
		if (in.cl.flags == ZAPTEST_CLAIM_PROBE && zt_below(&z->rng, 8))
			in.cl.flags = 0;
		in.cl.pad = zt_rand(&z->rng);
		if (in.cl.flags & ~ZAPTEST_CLAIM_PROBE)
			act = EINVAL;
		else if (!z->claim_size)
			act = ENODEV;
		else if (z->claimed)
			act = EBUSY;
		if (!act && zf_readable(c->ptr))
			z->claimed = 1;
		break;
	case ZF_BENCH:
		c->nr = ZAPTEST_IOC_BENCH;
		c->size = sizeof(in.b);
		act = zf_fill_bench(z, &in.b);
		c->res_ptr = zf_pick_ptr(z);
		c->res_size = (size_t)in.b.nr_cpus * sizeof(struct zaptest_bench_cpu);
		/* room for a misaligned array in the zone, or none at all */
		if (c->res_size > ZF_ZONE / 2)
			c->res_ptr = ZF_NULL;
		c->res = zf_place(z, c->res_ptr, c->res_size ? c->res_size : 1, zf_res_end(z),
				  &unused);
		in.b.results = (uintptr_t)c->res;
		if (!act && !zf_writable(c->res_ptr))
			act = EFAULT;
		break;
	case ZF_MP:
		c->nr = ZAPTEST_IOC_MP;
		c->size = sizeof(in.m);
		c->writes_back = 1;
		act = zf_fill_mp(z, &in.m);
		break;
	case ZF_SET_MAP:
		c->nr = ZAPTEST_IOC_SET_MAP;
		c->size = sizeof(in.map);
		in.map = zf_pick(z, (const uint64_t[]){ 0, ZAPTEST_NR_MAPS }, 2);
		if (in.map >= ZAPTEST_NR_MAPS)
			act = EINVAL;
		else if (in.map == ZAPTEST_MAP_REMAP && !z->remap_pages)
			act = ENODEV;
		break;
	default:
		c->nr = zf_unknown_nr(z);
		c->arg = zf_place(z, c->ptr, 64, end, &c->write);
		c->want = ENOTTY;
		return;
	}
	c->arg = zf_place(z, c->ptr, c->size, end, &c->write);
	zf_put(c, &in, end);
	c->want = zf_inout(c, act);
}

static int zf_bucket(int err)
{
	size_t i;

	for (i = 0; i < ZF_NR_ERRNOS - 1; i++)
		if (zf_errnos[i] == err)
			return i;
	return ZF_NR_ERRNOS - 1;
}

static void zf_report(struct zf_state *z, const struct zf_call *c, const char *what, long detail)
{
	if (++z->mismatches > ZF_REPORT)
		return;
	printf("# call %" PRIu64 ": %s (nr %#lx, arg %s %p, results %s): %s %ld\n", z->calls,
	       zf_cmd_names[c->cmd], c->nr, zf_ptr_names[c->ptr], c->arg,
	       c->cmd == ZF_BENCH ? zf_ptr_names[c->res_ptr] : "-", what, detail);
}

/* Bytes [@from, @to) of a zone must still hold the fill. */
static void zf_check_fill(struct zf_state *z, const struct zf_call *c, const char *from,
			  const char *to)
{
	for (; from < to; from++)
		if ((unsigned char)*from != ZF_FILL) {
			z->overwrites++;
			zf_report(z, c, "written outside its argument at zone byte",
				  (long)(from - zf_args_end(z)));
			return;
		}
}

/*
 * The kernel-pointer scan: every 8 bytes of what came back (differs from
 * the input), at the structure's own alignment, clipped to the mapped
 * part; and no byte of the zone outside the argument may have changed.
 */
static void zf_scan(struct zf_state *z, const struct zf_call *c, char *arg, size_t size,
		    const unsigned char *in, char *end)
{
	char *zone = end - ZF_ZONE, *stop = arg + size;
	size_t off;

	if (arg < zone || arg >= end)
		return;
	if (stop > end)
		stop = end;
	for (off = 0; arg + off + 8 <= stop; off += 8) {
		uint64_t v;

		memcpy(&v, arg + off, 8);
		if (in && off + 8 <= sizeof(c->in) && !memcmp(&v, in + off, 8))
			continue;
		if (zt_looks_kernel(v)) {
			z->kptrs++;
			zf_report(z, c, "kernel-looking value at argument byte", (long)off);
		}
	}
	zf_check_fill(z, c, zone, arg);
	zf_check_fill(z, c, stop, end);
}

/* What only a successful call can be checked for. */
static void zf_check_success(struct zf_state *z, const struct zf_call *c)
{
	struct zaptest_info info;

	if (c->cmd != ZF_INFO)
		return;
	/* misaligned on purpose, perhaps: copied out, not read in place */
	memcpy(&info, c->arg, sizeof(info));
	if (info.abi_version != ZAPTEST_ABI_VERSION || info.nr_cpus != (uint32_t)z->online)
		zf_report(z, c, "INFO says abi/nr_cpus", (long)info.abi_version);
}

static void zf_one(struct zf_state *z)
{
	struct zf_call c;
	int fd, rc, err;

	memset(zf_args_end(z) - ZF_ZONE, ZF_FILL, ZF_ZONE);
	memset(zf_res_end(z) - ZF_ZONE, ZF_FILL, ZF_ZONE);
	zf_generate(z, &c);
	fd = z->fd[zt_below(&z->rng, 3)];
	rc = ioctl(fd, c.nr, c.arg);
	err = rc ? errno : 0;
	z->calls++;
	z->counts[c.cmd][zf_bucket(err)]++;
	if (rc && rc != -1)
		zf_report(z, &c, "returned", rc);
	if (err != c.want) {
		zf_report(z, &c, "errno (expected first)", c.want);
		zf_report(z, &c, "errno seen", err);
	}
	if (c.cmd == ZF_BENCH) {
		zf_scan(z, &c, c.res, c.res_size, NULL, zf_res_end(z));
		zf_scan(z, &c, c.arg, c.size, c.in, zf_args_end(z));
	} else if (c.cmd != ZF_RESET && c.cmd != ZF_RELEASE) {
		zf_scan(z, &c, c.arg, c.cmd == ZF_UNKNOWN ? 0 : c.size, c.in, zf_args_end(z));
	}
	if (!err && c.want == 0 && zf_writable(c.ptr))
		zf_check_success(z, &c);
}

static void zf_summary(struct zf_state *z, double secs)
{
	size_t i, j;

	printf("# kfuzz: {\"seed\": %" PRIu64 ", \"ioctls\": %" PRIu64 ", \"seconds\": %.1f, "
	       "\"mismatches\": %" PRIu64 ", \"kernel_pointers\": %" PRIu64
	       ", \"overwrites\": %" PRIu64 ", \"counts\": {", zt_opt.seed, z->calls, secs,
	       z->mismatches, z->kptrs, z->overwrites);
	for (i = 0; i < ZF_NR_CMDS; i++) {
		const char *sep = "";

		printf("%s\"%s\": {", i ? ", " : "", zf_cmd_names[i]);
		for (j = 0; j < ZF_NR_ERRNOS; j++) {
			if (!z->counts[i][j])
				continue;
			printf("%s\"%s\": %" PRIu64, sep, zf_errno_names[j], z->counts[i][j]);
			sep = ", ";
		}
		printf("}");
	}
	printf("}}\n");
}

TEST(random_ioctls_fail_as_documented)
{
	static struct zf_state z;
	double t0 = zt_now(), budget = ZT_SHORT_FUZZ_S;

	if (geteuid())
		SKIP(return, "needs root (CLAIM, BENCH and MP need CAP_SYS_ADMIN)");
	z.rng = zt_opt.seed;
	ASSERT_EQ(0, zf_setup(&z));
	while (zt_opt.ioctls ? z.calls < zt_opt.ioctls : zt_now() - t0 < budget)
		zf_one(&z);
	zf_summary(&z, zt_now() - t0);
	zt_ioctl(z.fd[0], ZAPTEST_IOC_RELEASE, NULL);
	ASSERT_EQ(0, zt_range(z.fd[0], ZAPTEST_IOC_GRANT, 0, z.pool));
	EXPECT_EQ(0, z.mismatches);
	EXPECT_EQ(0, z.kptrs);
	EXPECT_EQ(0, z.overwrites);
	ASSERT_TRUE(z.calls > 0);
}
