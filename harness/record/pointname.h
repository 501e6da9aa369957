/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Point names short enough for a table.  A point's name is its case and
 * its parameters, "revoke/peers/trigger:ftruncate/maps:1000/peer:spin/
 * mode:thread/cpus:2".  Tables group points by case: the group's heading
 * carries the case, the parameters every point of it shares, and the names
 * of the ones that vary ("revoke/peers  trigger:ftruncate maps:1000
 * [peer/mode/cpus]"), and each row only the values of those ("spin/thread/2").
 */
#ifndef ZB_POINTNAME_H
#define ZB_POINTNAME_H

#include <stdio.h>

struct zb_pnames {
	int n, nr_groups;
	int *group;			/* per name: its group */
	char **shortn;			/* per name: the varying values, "spin/thread/2" */
	char **head;			/* per group: the heading */
};

int zb_pnames_build(const char *const *names, int n, struct zb_pnames *out);
void zb_pnames_free(struct zb_pnames *p);
/* The legend line that says how to read the rows. */
void zb_pnames_legend(FILE *f);

#endif
