/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface a benchmark file implements.
 *
 * A case knows only its operation: how to set it up, how to put the
 * system back into the "about to operate" state, and the operation
 * itself.  The harness owns everything else: which CPUs run it, how
 * workers start together, when the clock is read, how many samples are
 * taken and where the results go.  See bench/open.c for a small example.
 */
#ifndef ZB_CASE_H
#define ZB_CASE_H

#include <stddef.h>
#include <stdint.h>

#define ZB_MAX_PARAMS	8

/*
 * The most workers a "cpus" parameter may ask for: the largest
 * CONFIG_NR_CPUS Linux builds with (x86 MAXSMP), so no machine is
 * refused.  What a run can use is the machine's own count ("nproc").
 */
#define ZB_CPUS_MAX	8192

/* Returned (negated) by a hook that cannot run here; see zb_skip(). */
#define ZB_ESKIP	4095
/*
 * An op that touches its own mmap()ed pages to fault them: ASan's check of
 * the store would fault the pages' shadow too (one per 8 pages), and the
 * op would count and time more faults than it makes (make sanitize).
 */
#define ZB_NO_ASAN	__attribute__((no_sanitize_address))

enum zb_param_kind {
	ZB_PARAM_INT,
	ZB_PARAM_ENUM,
	ZB_PARAM_CPUS,			/* the harness's: ZB_CPUS_PARAM() */
	ZB_PARAM_MODE,			/* the harness's: ZB_MODE_PARAM() */
};

/*
 * A parameter a case is swept over.  Values come from --<name> v1,v2 on
 * the command line, else from quick_def (--quick) or def.  Declare one
 * with the macros below, not positionally.
 */
struct zb_param {
	const char *name;
	enum zb_param_kind kind;
	const char *def;		/* default list, e.g. "1,10,100"; enums: NULL, all */
	const char *quick_def;		/* list used by --quick (NULL: def) */
	const char *choices;		/* enums: "yes,no", in zb_param_enum()'s order */
	long min, max;			/* ints: accepted range; cpus: max 0, the harness's */
	const char *help;		/* cpus, mode: NULL, the harness's */
};

/*
 * What differs from the defaults follows as designated fields:
 *   ZB_INT_PARAM("maps", 1, 1000, "1,10,100", "mappings", .quick_def = "1,10")
 *   ZB_ENUM_PARAM("populate", "yes,no", "PTEs present", .def = "yes")
 */
#define ZB_INT_PARAM(nm, lo, hi, dflt, hlp, ...)				\
	{ .name = (nm), .kind = ZB_PARAM_INT, .min = (lo), .max = (hi),		\
	  .def = (dflt), .help = (hlp), __VA_ARGS__ }
#define ZB_ENUM_PARAM(nm, chs, hlp, ...)					\
	{ .name = (nm), .kind = ZB_PARAM_ENUM, .choices = (chs), .help = (hlp), __VA_ARGS__ }

/*
 * The harness's own parameters, which it reads to start the workers.  A
 * case that runs on more than one CPU says so with ZB_CPUS_PARAM(): the
 * harness sweeps it over 1,2,nproc workers (--quick 1,nproc), one per
 * CPU, "nproc" being every usable CPU.  One whose workers may be threads
 * says so with ZB_MODE_PARAM(): process,thread.  Either takes designated
 * fields for what differs, e.g. ZB_CPUS_PARAM(.def = "2,nproc", .max =
 * 16) or ZB_MODE_PARAM(.choices = "thread").  Without ZB_CPUS_PARAM() a
 * case runs one worker, whatever its own parameters are called.  They
 * sit in the list where the point names have them
 * ("open/close/target:tmpfs/paths:same/cpus:2/mode:thread").
 */
#define ZB_CPUS_PARAM(...)	{ .name = "cpus", .kind = ZB_PARAM_CPUS, __VA_ARGS__ }
#define ZB_MODE_PARAM(...)	{ .name = "mode", .kind = ZB_PARAM_MODE, __VA_ARGS__ }

/* One point of the sweep: the value of each of the case's parameters. */
struct zb_point {
	int nr;
	const char *name[ZB_MAX_PARAMS];
	char value[ZB_MAX_PARAMS][32];
};

enum zb_mode {
	ZB_MODE_PROCESS,
	ZB_MODE_THREAD,
};

/* Only worker 0 is timed; the others run ->peer until told to stop. */
#define ZB_CASE_PEERS		0x1
/*
 * A correctness stress (its notes are the result): the latency it also
 * records is incidental and multi-modal, so compare reports it ungated.
 */
#define ZB_CASE_STRESS		0x4
/* A test of the harness itself: listed and run only with ZAPBENCH_TEST_CASES set. */
#define ZB_CASE_HIDDEN		0x8
/*
 * ->prepare then ->op, back to back, is a will-it-scale testcase loop:
 * after the latency samples, measure its throughput (core/tput.h).
 */
#define ZB_CASE_TPUT		0x10
/*
 * Its values are a cost over a baseline (kmod_barrier/cost: a loop minus
 * the empty loop), not latencies: they may be below zero.  The record
 * says so per row ("value_kind": "difference"), so that readers accept
 * negative values there and refuse them everywhere else.
 */
#define ZB_CASE_DIFFERENCE	0x20

struct zb_run;

/* What a hook sees: its worker, the run's shared state and parameters. */
struct zb_worker {
	int id;				/* 0 .. nr_workers - 1 */
	int nr_workers;
	int cpu;			/* CPU this worker is pinned to */
	enum zb_mode mode;
	const struct zb_point *point;
	void *shared;			/* case->shared_size bytes, visible to all */
	void *priv;			/* case->priv_size bytes, this worker only */
	struct zb_run *run;
};

struct zb_case {
	const char *name;		/* "family/variant" */
	const char *desc;
	const struct zb_param *params;	/* terminated by { .name = NULL } */
	unsigned int flags;
	/*
	 * Operations per ->op call, for operations far below the timer's
	 * resolution (a barrier is ~1 ns): samples are per operation.
	 */
	unsigned int batch;
	/* Notes (zb_note) shown in the table, comma-separated, e.g. "forbidden". */
	const char *table_notes;
	/* Integer parameter to fit latency against, e.g. "maps" (NULL: none). */
	const char *fit_param;
	size_t shared_size;		/* in memory shared with process workers */
	/*
	 * Shared bytes per worker, after shared_size: a shared struct with
	 * a slot per worker ends in a flexible array of them, sized by the
	 * point's workers rather than a ceiling.
	 */
	size_t shared_per_worker;
	size_t priv_size;
	/*
	 * All hooks are optional except ->op and return 0 or a negative
	 * errno.  None of them is timed.
	 *   setup/teardown         once per point, in the parent, with w->id 0
	 *   worker_setup/teardown  in every worker, pinned, before/after sampling
	 *   validate               in each timed worker, once, before sampling:
	 *                          check the setup is what we claim to measure
	 *   prepare                before every timed ->op
	 *   peer                   ZB_CASE_PEERS: loop until zb_stopping()
	 */
	/*
	 * Before anything runs, in the CLI: can this point run on this
	 * machine at all (limits, memory)?  On error, one line in @why.
	 */
	int (*check)(const struct zb_point *pt, char *why, size_t len);
	int (*setup)(struct zb_worker *w);
	int (*worker_setup)(struct zb_worker *w);
	int (*validate)(struct zb_worker *w);
	int (*prepare)(struct zb_worker *w);
	int (*op)(struct zb_worker *w);
	int (*peer)(struct zb_worker *w);
	void (*worker_teardown)(struct zb_worker *w);
	void (*teardown)(struct zb_worker *w);
};

/* Value of parameter @name at this point; aborts on a programming error. */
long zb_param_int(const struct zb_worker *w, const char *name);
const char *zb_param_str(const struct zb_worker *w, const char *name);
int zb_param_is(const struct zb_worker *w, const char *name, const char *val);
/* An enum's value as its index in the choices: "ftruncate,punch" gives 0 or 1. */
int zb_param_enum(const struct zb_worker *w, const char *name);

/*
 * Record why a hook failed or cannot run; the message ends up in the
 * table and the JSON record.  Both return the value a hook should return.
 */
int zb_fail(struct zb_worker *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int zb_skip(struct zb_worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* True once a peer (or a long prepare) should return. */
int zb_stopping(const struct zb_worker *w);

/*
 * From ->op: this sample is @ns per operation, measured by the operation
 * itself (in the kernel, or per CPU by kthreads), not the harness clock
 * around ->op.  The case's description must say which clock it uses.
 */
void zb_sample_ns(struct zb_worker *w, double ns);

/* Attach a per-point value to the record, e.g. the VMA count verified. */
void zb_note(struct zb_worker *w, const char *key, double value);

#endif
