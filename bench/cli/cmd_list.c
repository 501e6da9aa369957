// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/params.h"
#include "registry.h"
#include "util.h"

static void print_param(const struct zb_case *c, const struct zb_param *p)
{
	printf("    --%-10s %s\n", p->name, zb_param_help(c, p));
	if (zb_param_choices(p))
		printf("%17s one of: %s\n", "", zb_param_choices(p));
	else if (p->kind == ZB_PARAM_CPUS)
		printf("%17s integer 1..%ld (nproc: every usable CPU)\n", "",
		       p->max ? p->max : ZB_CPUS_MAX);
	else
		printf("%17s integer %ld..%ld\n", "", p->min, p->max);
	printf("%17s default: %s   --quick: %s\n", "", zb_param_default(p, 0),
	       zb_param_default(p, 1));
}

int cmd_list(int argc, char **argv)
{
	const struct zb_case *const *c;
	const struct zb_param *p;
	const struct cli_opt opts[] = { CLI_END };
	struct cli_cmd cmd = { .prog = "zapbench list", .opts = opts,
			       .usage = "usage: zapbench list\n\nLists every case, what it "
					"measures and the parameters it is swept over\n(set them "
					"on `zapbench run` with --<param> v1,v2,...).\n\n" };
	int ret = cli_parse(&cmd, argc, argv);

	if (ret)
		return cli_exit(ret);
	for (c = zb_all_cases(); *c; c++) {
		printf("%s\n    %s\n", (*c)->name, (*c)->desc);
		for (p = (*c)->params; p && p->name; p++)
			print_param(*c, p);
		printf("\n");
	}
	return ZB_EXIT_OK;
}
