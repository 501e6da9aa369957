// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench machine: the identity every record of this machine carries
 * (context.machine), so that scripts can name baselines by it, and the
 * description of how the machine is set up (context.system).
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli/cli.h"
#include "record/machine.h"
#include "util.h"

static const char usage[] =
	"usage: zapbench machine [--id|--name|--json]\n\n"
	"  (none)   \"id <id>\" and \"name <name>\", one a line\n"
	"  --id     the 16-hex-digit id alone, as every record's context.machine.id\n"
	"  --name   the human name alone\n"
	"  --json   the machine and system objects of a record, as one JSON object\n\n"
	"The id is a hash of what fixes the machine's costs (machine-id, CPU model and\n"
	"count, memory, hypervisor, clocksource, TSC frequency), not of the kernel.\n";

enum what { BOTH, ID, NAME, JSON };

static int print_json(const struct zb_machine_src *s, const char *host)
{
	struct zb_json j;
	int err;

	zb_json_init(&j);
	zb_json_obj_begin(&j, NULL);
	zb_machine_obj_json(&j, s, host);
	zb_system_json(&j);
	zb_json_obj_end(&j);
	err = j.err;
	if (!err)
		fputs(j.buf, stdout);
	else
		zb_err("machine --json: out of memory");
	zb_json_free(&j);
	return err ? ZB_EXIT_FAIL : ZB_EXIT_OK;
}

int cmd_machine(int argc, char **argv)
{
	static const char *const opts[] = { "--id", "--name", "--json" };
	char id[ZB_MACHINE_ID_LEN], name[512];
	struct zb_machine_src s;
	enum what what = BOTH;
	struct utsname u;
	size_t k;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return ZB_EXIT_OK;
	}
	if (argc > 2) {
		zb_err("machine takes one of --id, --name, --json (got '%s')", argv[2]);
		return ZB_EXIT_USAGE;
	}
	if (argc > 1) {
		for (k = 0; k < ZB_ARRAY_SIZE(opts); k++)
			if (!strcmp(argv[1], opts[k]))
				what = (enum what)(ID + k);
		if (what == BOTH) {
			zb_err("unknown option '%s' (see zapbench machine --help)", argv[1]);
			return ZB_EXIT_USAGE;
		}
	}
	if (uname(&u))
		snprintf(u.nodename, sizeof(u.nodename), "?");
	zb_machine_src_read(&s);
	if (what == JSON)
		return print_json(&s, u.nodename);
	zb_machine_id(&s, id);
	zb_machine_name(&s, u.nodename, name, sizeof(name));
	if (what == ID)
		printf("%s\n", id);
	else if (what == NAME)
		printf("%s\n", name);
	else
		printf("id %s\nname %s\n", id, name);
	return ZB_EXIT_OK;
}
