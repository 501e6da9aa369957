// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/params.h"
#include "core/run_priv.h"
#include "proc.h"

static volatile sig_atomic_t interrupted;
static struct zb_run *volatile current;

void zb_runner_interrupt(void)
{
	interrupted = 1;
	if (current)
		current->stop = 1;
}

int zb_runner_interrupted(void)
{
	return interrupted;
}

/* ---- the API a case calls ---- */

const char *zb_param_str(const struct zb_worker *w, const char *name)
{
	const char *v = zb_point_get(w->point, name);

	if (!v) {
		fprintf(stderr, "zapbench: BUG: %s has no parameter %s\n",
			w->run->c->name, name);
		abort();
	}
	return v;
}

long zb_param_int(const struct zb_worker *w, const char *name)
{
	return strtol(zb_param_str(w, name), NULL, 10);
}

int zb_param_is(const struct zb_worker *w, const char *name, const char *val)
{
	return !strcmp(zb_param_str(w, name), val);
}

int zb_param_enum(const struct zb_worker *w, const char *name)
{
	const struct zb_param *p = zb_case_param(w->run->c, name);
	int i = p ? zb_choice_index(zb_param_choices(p), zb_param_str(w, name)) : -1;

	if (i < 0) {
		fprintf(stderr, "zapbench: BUG: %s has no enum parameter %s\n",
			w->run->c->name, name);
		abort();
	}
	return i;
}

static void set_msg(struct zb_run *run, const char *fmt, va_list ap)
{
	/* The first failure explains the others: keep it. */
	if (__sync_lock_test_and_set(&run->msg_taken, 1))
		return;
	vsnprintf(run->msg, sizeof(run->msg), fmt, ap);
}

int zb_fail(struct zb_worker *w, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(w->run, fmt, ap);
	va_end(ap);
	return err < 0 ? err : -EIO;
}

int zb_skip(struct zb_worker *w, const char *fmt, ...)
{
	va_list ap;

	w->run->skipped = 1;
	va_start(ap, fmt);
	set_msg(w->run, fmt, ap);
	va_end(ap);
	return -ZB_ESKIP;
}

int zb_stopping(const struct zb_worker *w)
{
	const struct zb_run *run = w->run;

	return run->stop || run->abort ||
	       (run->peers_stop && w->id >= run->nr_timed);
}

void zb_sample_ns(struct zb_worker *w, double ns)
{
	struct wstat *ws = &w->run->w[w->id];

	ws->self_ns = ns;
	ws->self_timed = 1;
	ws->self_timed_any = 1;
}

/*
 * Workers validate at once and note the same keys: under one lock (in the
 * shared mapping, so processes too), else two of them each add the key and
 * the record has it twice, which no strict JSON reader takes.  Untimed.
 */
void zb_note(struct zb_worker *w, const char *key, double value)
{
	struct zb_run *run = w->run;
	int i;

	while (__atomic_test_and_set(&run->notes_lock, __ATOMIC_ACQUIRE))
		;
	for (i = 0; i < run->nr_notes && strcmp(run->notes[i].key, key); i++)
		;
	if (i < ZB_MAX_NOTES) {
		snprintf(run->notes[i].key, sizeof(run->notes[i].key), "%s", key);
		run->notes[i].value = value;
		if (i == run->nr_notes)
			run->nr_notes = i + 1;
	}
	__atomic_clear(&run->notes_lock, __ATOMIC_RELEASE);
}

/* ---- workers ---- */

static void fail_run(struct zb_run *run, int err)
{
	if (!run->err)
		run->err = err;
	run->abort = 1;
}

static int perf_on(const struct zb_run *run)
{
	return run->perf.data[0] != '\0';
}

/* --perf-record: "enable" or "disable", acknowledged, else the point fails. */
static void perf_send(struct zb_worker *w, const char *cmd, double timeout_s)
{
	struct zb_run *run = w->run;
	char why[512];
	int err = zb_perf_send(&run->perf, cmd, timeout_s, why, sizeof(why));

	if (err) {
		zb_fail(w, err, "%s", why);
		fail_run(run, err);
	}
}

/*
 * Everyone arrives, then all leave at once; a failure lets them out too.
 * The last to arrive turns perf's sampling on first (--perf-record).
 */
static void start_barrier(struct zb_worker *w)
{
	struct zb_run *run = w->run;

	if (__sync_add_and_fetch(&run->arrived, 1) == run->nr_workers) {
		if (perf_on(run) && !run->abort)
			perf_send(w, "enable", ZB_PERF_START_S);
		run->go = 1;
	}
	while (!run->go && !run->abort && !run->stop)
		cpu_relax();
}

/* The last timed worker to end its samples turns perf's sampling off. */
static void end_sampling(struct zb_worker *w)
{
	struct zb_run *run = w->run;

	if (__sync_sub_and_fetch(&run->sampling_left, 1) == 0 && perf_on(run) && run->go)
		perf_send(w, "disable", ZB_PERF_ACK_S);
}

static void add_counts(struct wstat *ws, const struct zb_op_sample *m)
{
	int k;

	for (k = 0; k < ZB_MAX_EVENTS; k++)
		if (m->ctr.valid[k]) {
			ws->ctr[k] += m->ctr.v[k];
			ws->ctr_n[k]++;
		}
	ws->ctr_scaled += m->ctr.scaled;
}

static int sample(struct zb_worker *w)
{
	struct zb_run *run = w->run;
	const struct zb_options *o = run->o;
	const struct zb_timer *t = &o->timer;
	double *out = run->samples + (size_t)w->id * (size_t)o->max_samples;
	struct wstat *ws = &run->w[w->id];
	uint64_t deadline = 0;
	long i = -(long)o->warmup;
	struct zb_cset cs;
	int err = 0;

	zb_measure_open(w, &cs);
	memcpy(ws->ctr_bracket, cs.bracket, sizeof(ws->ctr_bracket));
	ws->ctr_system_wide = cs.system_wide;
	for (; !run->stop && !run->abort; i++) {
		struct zb_op_sample m;

		if (i == 0)
			deadline = zb_mono_ns() + (uint64_t)(o->min_time * 1e9);
		if (i >= o->max_samples ||
		    (i >= o->min_samples && i > 0 && zb_mono_ns() >= deadline))
			break;
		err = zb_measure_op(w, &cs, &m);
		if (err)
			break;
		if (i < 0)
			continue;
		out[i] = m.ns;
		ws->busy_ns += m.ns;
		ws->faults += (double)m.minflt;
		ws->preempted += m.preempted;
		ws->below_floor += !ws->self_timed && m.raw_ns < t->floor_ns;
		add_counts(ws, &m);
		ws->n = i + 1;
	}
	zb_cset_close(&cs);
	return err;
}

static int worker_body(struct zb_worker *w)
{
	struct zb_run *run = w->run;
	const struct zb_case *c = run->c;
	int err, timed = w->id < run->nr_timed;

	err = zb_pin(w->cpu);
	if (err)
		zb_fail(w, err, "cannot pin worker %d to CPU %d: %s",
			w->id, w->cpu, strerror(-err));
	if (!err && c->worker_setup)
		err = c->worker_setup(w);
	if (!err && timed && c->validate)
		err = c->validate(w);
	if (err)
		fail_run(run, err);
	start_barrier(w);
	if (!err && !run->abort)
		err = timed ? sample(w) : c->peer(w);
	if (err)
		fail_run(run, err);
	if (timed)
		end_sampling(w);
	if (timed && zb_tput_wanted(run)) {
		zb_tput_arrive(run);
		if (!err)
			err = zb_tput_loop(w);
		if (err)
			fail_run(run, err);
	}
	if (timed && __sync_sub_and_fetch(&run->timed_left, 1) == 0)
		run->peers_stop = 1;
	/* Peers must not tear down under a timed worker still sampling. */
	if (c->worker_teardown)
		c->worker_teardown(w);
	run->w[w->id].done = 1;
	return err;
}

struct thread_arg {
	struct zb_worker w;
	pthread_t tid;
	pid_t pid;
	int pidfd;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	worker_body(&a->w);
	return NULL;
}

static int spawn(struct zb_run *run, struct thread_arg *a)
{
	pid_t conductor = getpid();

	if (run->mode == ZB_MODE_THREAD)
		return -pthread_create(&a->tid, NULL, thread_main, a);
	a->pid = fork();
	if (a->pid < 0)
		return -errno;
	if (a->pid == 0) {
		/* the point timeout kills the conductor: its workers die too */
		zb_die_with_parent(conductor);
		_exit(worker_body(&a->w) ? 1 : 0);
	}
	a->pidfd = (int)syscall(SYS_pidfd_open, a->pid, 0);
	return a->pidfd < 0 ? -errno : 0;
}

/*
 * Wait for worker processes without polling on a timer (a conductor that
 * wakes every millisecond would preempt the workers it is timing): the
 * bound on this wait is the parent's point timeout (wait_conductor).  A
 * worker that dies by a signal is the case's bug: report it, stop the rest.
 */
static void reap(struct zb_run *run, struct thread_arg *a, int n)
{
	struct pollfd *pfd = calloc((size_t)n, sizeof(*pfd));
	int left = n, i, st;

	if (!pfd) {
		/* Still reap them all, one at a time, blocking. */
		for (i = 0; i < n; i++)
			waitpid(a[i].pid, &st, 0);
		fail_run(run, -ENOMEM);
		return;
	}
	while (left) {
		for (i = 0; i < n; i++) {
			pfd[i].fd = a[i].pidfd;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)n, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			if (a[i].pidfd < 0 || !(pfd[i].revents & POLLIN))
				continue;
			waitpid(a[i].pid, &st, 0);
			close(a[i].pidfd);
			a[i].pidfd = -1;
			left--;
			if (WIFSIGNALED(st)) {
				struct zb_worker *w = &a[i].w;

				zb_fail(w, -EINTR, "worker %d (CPU %d) killed by signal %d (%s)",
					i, w->cpu, WTERMSIG(st), strsignal(WTERMSIG(st)));
				fail_run(run, -EINTR);
			} else if (WEXITSTATUS(st)) {
				fail_run(run, -EIO);
			}
		}
	}
	free(pfd);
}

/* The throughput phase, watching the worker processes' pidfds meanwhile. */
static void tput(struct zb_run *run, const struct thread_arg *a, int started)
{
	int *fds = calloc((size_t)started + 1, sizeof(*fds));
	int i, n = 0;

	if (!fds) {
		zb_tput_release(run);
		return;
	}
	for (i = 0; run->mode == ZB_MODE_PROCESS && i < started; i++)
		fds[n++] = a[i].pidfd;
	zb_tput_conduct(run, fds, n);
	free(fds);
}

/*
 * perf record on the workers, once they all exist: the processes, or in
 * thread mode this one (all its threads).  Disabled until the barrier.
 */
static int perf_start(struct zb_run *run, struct zb_worker *main_w, const struct thread_arg *a,
		      int started)
{
	pid_t *pids = calloc((size_t)started + 1, sizeof(*pids));
	char why[512];
	int i, n = 0, err;

	if (!pids)
		return zb_fail(main_w, -ENOMEM, "out of memory");
	pids[n++] = getpid();
	for (i = 0; run->mode == ZB_MODE_PROCESS && i < started; i++)
		pids[n++] = a[i].pid;
	err = zb_perf_start(&run->perf, pids, n, why, sizeof(why));
	free(pids);
	return err ? zb_fail(main_w, err, "%s", why) : 0;
}

static void perf_stop(struct zb_run *run, struct zb_worker *main_w)
{
	char why[512];
	int err = zb_perf_stop(&run->perf, why, sizeof(why));

	if (err) {
		zb_fail(main_w, err, "%s", why);
		fail_run(run, err);
	}
}

static int conduct(struct zb_run *run)
{
	struct thread_arg *a = calloc((size_t)run->nr_workers, sizeof(*a));
	struct zb_worker main_w;
	int i, err = 0, started = 0;

	if (!a)
		return -ENOMEM;
	memset(&main_w, 0, sizeof(main_w));
	main_w.nr_workers = run->nr_workers;
	main_w.cpu = -1;
	main_w.mode = run->mode;
	main_w.point = run->pt;
	main_w.shared = run->shared;
	main_w.run = run;
	if (run->c->setup)
		err = run->c->setup(&main_w);
	if (!err && zb_tput_wanted(run)) {
		run->tput_efd = eventfd(0, EFD_CLOEXEC);
		if (run->tput_efd < 0)
			err = zb_fail(&main_w, -errno, "eventfd: %s", strerror(errno));
	}
	if (!err && perf_on(run) && zb_perf_open(&run->perf)) {
		err = zb_fail(&main_w, -errno, "--perf-record: pipe: %s", strerror(errno));
		run->perf.data[0] = '\0';
	}
	if (err) {
		free(a);
		return err;
	}
	for (i = 0; i < run->nr_workers && !err; i++) {
		a[i].w = main_w;
		a[i].w.id = i;
		a[i].w.cpu = run->o->cpus.cpu[i].cpu;
		a[i].pidfd = -1;
		if (run->c->priv_size) {
			a[i].w.priv = calloc(1, run->c->priv_size);
			if (!a[i].w.priv)
				err = -ENOMEM;
		}
		if (!err)
			err = spawn(run, &a[i]);
		if (err)
			zb_fail(&main_w, err, "cannot start worker %d: %s", i, strerror(-err));
		else
			started++;
	}
	if (!err && perf_on(run))
		err = perf_start(run, &main_w, a, started);
	if (err)
		fail_run(run, err);
	if (zb_tput_wanted(run))
		tput(run, a, started);
	if (run->mode == ZB_MODE_THREAD)
		for (i = 0; i < started; i++)
			pthread_join(a[i].tid, NULL);
	else
		reap(run, a, started);
	if (perf_on(run))
		perf_stop(run, &main_w);
	for (i = 0; i < run->nr_workers; i++)
		free(a[i].w.priv);
	free(a);
	if (run->c->teardown)
		run->c->teardown(&main_w);
	if (run->tput_efd >= 0)
		close(run->tput_efd);
	return run->err;
}

/* ---- the parent's side ---- */

static int point_workers(const struct zb_case *c, const struct zb_point *pt,
			 const struct zb_options *o, struct zb_result *r)
{
	zb_point_workers(c, pt, &r->nr_workers, &r->mode);
	if (r->nr_workers > o->cpus.n) {
		snprintf(r->msg, sizeof(r->msg),
			 "needs %d CPUs, only %d usable here", r->nr_workers, o->cpus.n);
		return -ENODEV;
	}
	if ((c->flags & ZB_CASE_PEERS) && !c->peer)
		return -EINVAL;
	r->nr_timed = c->flags & ZB_CASE_PEERS ? 1 : r->nr_workers;
	return 0;
}

/* Knuth's selection sampling: a uniform subset that keeps the order. */
static void keep_subset(struct zb_result *r, const double *all, size_t n, long keep)
{
	size_t want = n < (size_t)keep ? n : (size_t)keep, i;
	unsigned int seed = 0x5eed;

	r->kept = malloc((want ? want : 1) * sizeof(double));
	if (!r->kept)
		return;
	for (i = 0; i < n && r->nr_kept < want; i++) {
		double u = (double)rand_r(&seed) / ((double)RAND_MAX + 1.0);

		if ((double)(n - i) * u < (double)(want - r->nr_kept))
			r->kept[r->nr_kept++] = all[i];
	}
}

/* Mean count per operation over every timed worker's valid samples. */
static void collect_counters(struct zb_run *run, struct zb_result *r)
{
	unsigned int batch = run->c->batch ? run->c->batch : 1;
	double scaled = 0;
	int i, k;

	for (k = 0; k < ZB_MAX_EVENTS; k++) {
		double sum = 0;
		long n = 0;

		for (i = 0; i < run->nr_timed; i++) {
			sum += run->w[i].ctr[k];
			n += run->w[i].ctr_n[k];
		}
		r->ctr[k] = n ? sum / (double)n / batch : NAN;
		r->ctr_bracket[k] = run->w[0].ctr_bracket[k];
	}
	for (i = 0; i < run->nr_timed; i++)
		scaled += (double)run->w[i].ctr_scaled;
	r->ctr_scaled = r->total ? scaled / (double)r->total : 0;
	r->ctr_system_wide = run->w[0].ctr_system_wide;
}

static void collect(struct zb_run *run, struct zb_result *r)
{
	const struct zb_options *o = run->o;
	size_t total = 0, k = 0;
	double *pool, faults = 0, pre = 0, floor = 0;
	int i;

	for (i = 0; i < run->nr_timed; i++)
		total += (size_t)run->w[i].n;
	r->total = total;
	if (!total)
		return;
	pool = malloc(total * sizeof(*pool));
	if (!pool)
		return;
	for (i = 0; i < run->nr_timed; i++) {
		const struct wstat *ws = &run->w[i];

		memcpy(pool + k, run->samples + (size_t)i * (size_t)o->max_samples,
		       (size_t)ws->n * sizeof(double));
		k += (size_t)ws->n;
		faults += ws->faults;
		pre += (double)ws->preempted;
		floor += (double)ws->below_floor;
		r->self_timed |= ws->self_timed_any;
		if (ws->busy_ns > 0)
			r->ops_per_sec += (double)ws->n / (ws->busy_ns / 1e9);
	}
	collect_counters(run, r);
	zb_tput_collect(run, r);
	keep_subset(r, pool, total, o->keep_samples);
	zb_summarize(pool, total, &r->sum);
	r->faults_per_op = faults / (double)total / (run->c->batch ? run->c->batch : 1);
	r->preempted = pre / (double)total;
	r->below_floor = floor / (double)total;
	free(pool);
}

/* @timed_out: the seconds after which the watchdog killed it, else 0. */
static void finish(struct zb_run *run, struct zb_result *r, int st, double timed_out)
{
	int i;

	r->nr_notes = run->nr_notes < ZB_MAX_NOTES ? run->nr_notes : ZB_MAX_NOTES;
	memcpy(r->notes, run->notes, sizeof(r->notes));
	if (run->msg_taken)
		snprintf(r->msg, sizeof(r->msg), "%s", run->msg);
	if (timed_out > 0) {
		r->status = ZB_FAILED;
		snprintf(r->msg, sizeof(r->msg),
			 "timed out after %g s (--point-timeout): conductor and workers killed",
			 timed_out);
		return;
	}
	if (WIFSIGNALED(st)) {
		r->status = ZB_FAILED;
		snprintf(r->msg, sizeof(r->msg), "killed by signal %d (%s)%s",
			 WTERMSIG(st), strsignal(WTERMSIG(st)),
			 r->mode == ZB_MODE_THREAD ? " in thread mode" : "");
		return;
	}
	if (run->stop) {
		r->status = ZB_INTERRUPTED;
		return;
	}
	if (run->skipped) {
		r->status = ZB_SKIPPED;
		return;
	}
	if (WEXITSTATUS(st) || run->err) {
		r->status = ZB_FAILED;
		if (!r->msg[0])
			snprintf(r->msg, sizeof(r->msg), "failed: %s",
				 strerror(run->err ? -run->err : EIO));
		return;
	}
	for (i = 0; i < run->nr_timed; i++)
		if (!run->w[i].done || run->w[i].n == 0) {
			r->status = ZB_FAILED;
			snprintf(r->msg, sizeof(r->msg), "worker %d took no samples", i);
			return;
		}
	collect(run, r);
	r->status = ZB_OK;
}

static size_t page_align(size_t n)
{
	return (n + 4095) & ~(size_t)4095;
}

struct zb_run *zb_run_map(const struct zb_case *c, const struct zb_point *pt,
			  const struct zb_options *o, int nr_workers, int nr_timed,
			  size_t *len)
{
	size_t ctl = page_align(sizeof(struct zb_run) +
				(size_t)nr_workers * sizeof(struct wstat));
	size_t shared = page_align(c->shared_size + (size_t)nr_workers * c->shared_per_worker +
				   1);
	struct zb_run *run;

	*len = ctl + shared + page_align((size_t)nr_timed *
					 (size_t)o->max_samples * sizeof(double));
	run = mmap(NULL, *len, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (run == MAP_FAILED)
		return NULL;
	run->c = c;
	run->pt = pt;
	run->o = o;
	run->nr_workers = nr_workers;
	run->nr_timed = nr_timed;
	run->timed_left = nr_timed;
	run->sampling_left = nr_timed;
	run->tput_efd = -1;
	run->shared = (char *)run + ctl;
	run->samples = (double *)((char *)run + ctl + shared);
	return run;
}

/* --perf-record: DIR/<point name, '/' as '+'>[.rREP].data */
static void perf_path(struct zb_run *run, const struct zb_options *o, struct zb_result *r)
{
	char *p;

	if (!o->perf_dir)
		return;
	snprintf(r->perf_file, sizeof(r->perf_file), "%s", r->name);
	for (p = r->perf_file; *p; p++)
		if (*p == '/')
			*p = '+';
	if (o->repetitions > 1)
		snprintf(p, sizeof(r->perf_file) - (size_t)(p - r->perf_file), ".r%d", r->rep);
	p += strlen(p);
	snprintf(p, sizeof(r->perf_file) - (size_t)(p - r->perf_file), ".data");
	snprintf(run->perf.data, sizeof(run->perf.data), "%s/%s", o->perf_dir, r->perf_file);
	snprintf(run->perf.event, sizeof(run->perf.event), "%s", o->perf_event);
}

int zb_run_point(const struct zb_case *c, const struct zb_point *pt, int rep,
		 const struct zb_options *o, struct zb_result *r)
{
	size_t len;
	struct zb_run *run;
	uint64_t t0 = zb_mono_ns();
	double limit = o->point_timeout > 0 ? o->point_timeout : ZB_POINT_TIMEOUT_S;
	pid_t pid, parent = getpid();
	int i, st, err, killed;

	memset(r, 0, sizeof(*r));
	r->c = c;
	r->point = *pt;
	r->rep = rep;
	zb_point_name(c, pt, r->name, sizeof(r->name));
	err = point_workers(c, pt, o, r);
	if (err) {
		r->status = ZB_SKIPPED;
		return 0;
	}
	r->cpu = calloc((size_t)r->nr_workers, sizeof(*r->cpu));
	if (!r->cpu)
		return -ENOMEM;
	for (i = 0; i < r->nr_workers; i++)
		r->cpu[i] = o->cpus.cpu[i].cpu;
	run = zb_run_map(c, &r->point, o, r->nr_workers, r->nr_timed, &len);
	if (!run)
		return -errno;
	run->mode = r->mode;
	run->stop = interrupted;
	perf_path(run, o, r);
	current = run;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		current = NULL;
		munmap(run, len);
		return err;
	}
	if (pid == 0) {
		/* ^C is the parent's to handle: it tells us through ->stop. */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		zb_die_with_parent(parent);
		_exit(conduct(run) ? 1 : 0);
	}
	/* the watchdog: its workers die with it (die_with_parent) */
	killed = zb_proc_wait(pid, limit, &st);
	current = NULL;
	if (killed < 0) {
		munmap(run, len);
		return killed;
	}
	r->wall_s = (double)(zb_mono_ns() - t0) / 1e9;
	finish(run, r, st, killed ? limit : 0);
	munmap(run, len);
	return 0;
}

void zb_result_free(struct zb_result *r)
{
	free(r->kept);
	r->kept = NULL;
	free(r->cpu);
	r->cpu = NULL;
}
