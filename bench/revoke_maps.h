/* SPDX-License-Identifier: GPL-2.0 */
/*
 * N mappings of one page of a file (a memfd, /dev/zaptest, /dev/mem), and
 * the processes that hold them.
 *
 * One process can hold at most vm.max_map_count VMAs, so beyond that the
 * mappings are spread over "holder" processes that all map the same file:
 * unmap_mapping_range() walks one i_mmap tree whoever owns the VMAs.
 * Holders re-populate their mappings when the revoker asks (a futex
 * handshake in shared memory) so every timed revoke finds N PTEs.
 */
#ifndef ZB_REVOKE_MAPS_H
#define ZB_REVOKE_MAPS_H

#include <sys/types.h>

struct zb_worker;

#define REVOKE_MAX_HOLDERS	256

/*
 * The mappings sit side by side in a region aligned to ALIGN_REGION, so
 * the page tables their revoke walks are laid out the same in every run.
 * Left to ASLR, where they landed moved an unpopulated 1000-map revoke
 * between 63 and 77 us from run to run (and not at all with `setarch -R`).
 */
#define ALIGN_REGION	(1UL << 30)

struct map_set {
	char **addr;
	long n;
	char *base;			/* the aligned region, span bytes */
	size_t span;
};

struct holders {
	int nr;
	pid_t pid[REVOKE_MAX_HOLDERS];
	volatile int gen;		/* bumped by the revoker: do ->cmd now */
	volatile int cmd;		/* HOLDERS_POPULATE or HOLDERS_COUNT */
	volatile int acks;
	volatile int failed;
	long vmas;			/* VMAs the holders verified, in total */
	long present;			/* HOLDERS_COUNT: PTEs present, in total */
	char msg[256];
	/* polled while mapping and waiting: a ^C acts within a second */
	const struct zb_worker *w;
};

/* How many mappings one process may add, leaving room for its own VMAs. */
long maps_per_process(void);
/*
 * -EINTR once zb_stopping(@w) (checked every MAP_POLL_EVERY mmaps; @w may be
 * NULL): a ^C during a huge setup acts at once, not after the last mmap.
 */
int map_set_create(struct map_set *m, int fd, long n, long offset, long page,
		   const struct zb_worker *w);
void map_set_destroy(struct map_set *m, long page);
/* VMAs of this process backed by the file at @path, e.g. "/dev/mem". */
long count_path_vmas(const char *path);
/* VMAs of this process backed by the memfd named @name. */
long count_file_vmas(const char *name);
/* Write one byte through every mapping: one fault each. */
void map_set_touch(const struct map_set *m);
/*
 * Read one byte through every mapping, and count those that raise
 * SIGBUS (revoked) instead of dying of it.  Reads: a device page's
 * contents are left alone.
 */
long map_set_probe(const struct map_set *m);
/* How many of the mappings have a present PTE (/proc/self/pagemap). */
long map_set_present(const struct map_set *m, long page);

/*
 * Fork nr holders holding @per mappings each (the last holds the rest);
 * they stop mapping and the wait ends with -EINTR once zb_stopping(@w).
 */
int holders_start(struct holders *h, const struct zb_worker *w, int fd, long total, long per,
		  long offset, long page, const char *name, int populate);
enum { HOLDERS_POPULATE, HOLDERS_COUNT };

/* Ask every holder to touch its mappings again; wait until all have. */
int holders_populate(struct holders *h);
/* PTEs present in all holders' mappings (validation, not timed). */
long holders_present(struct holders *h);
void holders_stop(struct holders *h);

#endif
