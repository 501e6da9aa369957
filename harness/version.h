/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZB_VERSION_H
#define ZB_VERSION_H

#define ZB_VERSION		"0.1.0"
/* Results are read back by compare/plot: bump on any incompatible change. */
#define ZB_SCHEMA_VERSION	1

/* Set by the Makefile from `git describe`; a tarball build says so. */
#ifndef ZB_GIT_COMMIT
#define ZB_GIT_COMMIT		"unknown"
#endif

#endif
