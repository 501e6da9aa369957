/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Temporary files and directories that a kill -9 would leave behind (a
 * record's temporary beside it, a case's directory in /dev/shm or /tmp).
 *
 * Each is named "<prefix>.zbtmp-<owner pid>.XXXXXX" and its owner holds an
 * flock on it for as long as it lives (forked children share the lock).
 * zb_left_sweep() removes those whose owner is gone: the lock is free AND
 * the pid is not alive (a zombie is not), or the entry is older than the
 * moment between creating a name and locking it.  A pid alone could be
 * reused, and an owner in another pid namespace looks dead from here: a
 * held lock is the test that cannot lie.
 */
#ifndef ZB_LEFTOVER_H
#define ZB_LEFTOVER_H

#include <stddef.h>

#define ZB_LEFT_TAG	".zbtmp-"

/*
 * Create and lock "@dir/@prefix.zbtmp-PID.XXXXXX" (a file, or with @is_dir
 * a directory), its name in @path.  Returns the locked descriptor (a
 * directory's: keep it open until the directory is removed), or -errno.
 */
int zb_left_create(char *path, size_t len, const char *dir, const char *prefix, int is_dir);

/*
 * Remove the entries of @dir named @prefix...ZB_LEFT_TAG<pid>.XXXXXX whose
 * owner is gone (a directory with all it holds).  The number removed.
 */
int zb_left_sweep(const char *dir, const char *prefix);

#endif
