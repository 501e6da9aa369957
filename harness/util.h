/* SPDX-License-Identifier: GPL-2.0 */
/* Small pieces every other file needs: files, sysctls, messages. */
#ifndef ZB_UTIL_H
#define ZB_UTIL_H

#include <stddef.h>

#define ZB_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* A macro's value as a string literal: ZB_STR(ZB_POINT_TIMEOUT_S) is "600". */
#define ZB_STR_(x)	#x
#define ZB_STR(x)	ZB_STR_(x)

/* "zapbench: error: <msg>" on stderr, one line. */
void zb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void zb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whole file into a NUL-terminated malloc'ed buffer. */
int zb_read_file(const char *path, char **buf, size_t *len);
/* First line of a small file (sysfs, procfs), newline stripped. */
int zb_read_line(const char *path, char *buf, size_t len);
int zb_read_long(const char *path, long *val);
/* Write @s to an existing small file (sysfs, tracefs) in one write(). */
int zb_write_file(const char *path, const char *s);

/*
 * Atomic replacement of @path: the data goes to a temporary file in the
 * same directory, is fsync'ed, then renamed over @path, so a reader sees
 * the old file or the whole new one, never a part.
 */
struct zb_atomic {
	char path[4096];
	char tmp[4096];
	int fd;
	/*
	 * Set after open for a name zapbench chose (a timestamp): commit
	 * never replaces a file, it takes the first free "name_2.json",
	 * "name_3.json", ... (which sort after "name.json", as they came)
	 * and leaves the name taken in @path.
	 */
	int fresh;
};

/* Creates the temporary file now, so an unwritable path fails early. */
int zb_atomic_open(struct zb_atomic *a, const char *path);
int zb_atomic_commit(struct zb_atomic *a, const char *data, size_t len);
void zb_atomic_abort(struct zb_atomic *a);

/* mkdir -p */
int zb_mkdirs(const char *dir);
/* Remove @dir and everything under it (not following links); 0 or -errno. */
int zb_rmtree(const char *dir);

/*
 * An installed zapbench (make install) is told from one in a source tree
 * by where the binary lies: PREFIX/bin/zapbench has its gnuplot scripts
 * in PREFIX/share/zapbench, build/zapbench has none next to it.  The
 * share directory of an installed binary, else NULL (run from a tree).
 */
const char *zb_share_dir(void);

#endif
