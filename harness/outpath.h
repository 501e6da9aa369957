/* SPDX-License-Identifier: GPL-2.0 */
/* An output path checked before any work, and held against a second writer. */
#ifndef ZB_OUTPATH_H
#define ZB_OUTPATH_H

#include <stddef.h>

/*
 * Can @path be written atomically (a temporary renamed over it)?  Its
 * directory exists and is writable; @path is absent or a regular file.
 * A directory, a device node, a fifo or a socket is refused, and so is a
 * symbolic link (the rename would replace the link, not its target).
 * 0, or -errno with the reason in @why.
 */
int zb_out_check(const char *path, char *why, size_t len);

/*
 * An exclusive lock on "@path.lock" held until zb_out_unlock: a second
 * writer of @path is refused with the holder's pid in @why (-EBUSY).  The
 * kernel drops the lock with its holder, so a file left by a dead one
 * does not block.  0 and *@fd set, or -errno.
 */
int zb_out_lock(const char *path, int *fd, char *why, size_t len);
/* Removes the lock file and releases the lock; @fd < 0 does nothing. */
void zb_out_unlock(const char *path, int fd);

/*
 * Can files be written into directory @dir (ab, plot, dashboard --out)?
 * It exists and is a writable directory (a symbolic link to one is
 * followed: the files go inside its target and nothing replaces the link),
 * or it is absent and its nearest existing ancestor is a writable
 * directory, so that zb_mkdirs() can create it.  A file, a device node or
 * a dangling link is refused.  Creates nothing.  0, or -errno with the
 * reason in @why.
 */
int zb_outdir_check(const char *dir, char *why, size_t len);

/*
 * zb_out_lock() for a directory: creates @dir and holds "@dir/.lock", so a
 * second writer of @dir is refused (-EBUSY) with the holder's pid in @why.
 */
int zb_outdir_lock(const char *dir, int *fd, char *why, size_t len);
void zb_outdir_unlock(const char *dir, int fd);

#endif
