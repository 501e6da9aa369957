/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers as the tables, plots and dashboard print them. */
#ifndef ZB_FMT_H
#define ZB_FMT_H

#include <stddef.h>

/* "1.21 ms" */
void zb_fmt_ns(char *buf, size_t len, double ns);
/* "2.1M" (per second) */
void zb_fmt_rate(char *buf, size_t len, double per_sec);
/* snprintf(buf, len, "%.*g", prec, v), the same text, most values without printf (fmt_g.c) */
void zb_fmt_g(char *buf, size_t len, double v, int prec);

#endif
