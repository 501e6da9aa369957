// SPDX-License-Identifier: GPL-2.0
/* Numbers as people read them: a time with its unit, a rate. */
#include <math.h>
#include <stdio.h>

#include "record/fmt.h"

void zb_fmt_ns(char *buf, size_t len, double ns)
{
	if (!isfinite(ns))
		snprintf(buf, len, "-");
	else if (fabs(ns) >= 1e9)
		snprintf(buf, len, "%.3g s", ns / 1e9);
	else if (fabs(ns) >= 1e6)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else if (fabs(ns) >= 1e3)
		snprintf(buf, len, "%.3g us", ns / 1e3);
	else
		snprintf(buf, len, "%.3g ns", ns);
}

void zb_fmt_rate(char *buf, size_t len, double per_sec)
{
	if (!isfinite(per_sec) || per_sec <= 0)
		snprintf(buf, len, "-");
	else if (per_sec >= 1e9)
		snprintf(buf, len, "%.3gG", per_sec / 1e9);
	else if (per_sec >= 1e6)
		snprintf(buf, len, "%.3gM", per_sec / 1e6);
	else if (per_sec >= 1e3)
		snprintf(buf, len, "%.3gk", per_sec / 1e3);
	else
		snprintf(buf, len, "%.3g", per_sec);
}
