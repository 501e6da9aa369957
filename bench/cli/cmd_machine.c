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
	"Without an option: \"id <id>\" and \"name <name>\", one a line.\n\n";

static const char tail[] =
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
	char id[ZB_MACHINE_ID_LEN], name[512];
	struct zb_machine_src s;
	int what = BOTH, ret;
	struct utsname u;
	const struct cli_opt opts[] = {
		CLI_SET("--id", 0, &what, ID, "the 16-hex-digit id alone, as every record's "
			"context.machine.id"),
		CLI_SET("--name", 0, &what, NAME, "the human name alone"),
		CLI_SET("--json", 0, &what, JSON, "the machine and system objects of a record, "
			"as one JSON object"),
		CLI_END
	};
	struct cli_cmd cmd = { .prog = "zapbench machine", .usage = usage, .opts = opts,
			       .tail = tail };

	if (argc > 2) {
		zb_err("machine takes one of --id, --name, --json (got '%s')", argv[2]);
		return ZB_EXIT_USAGE;
	}
	ret = cli_parse(&cmd, argc, argv);
	if (ret)
		return cli_exit(ret);
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
