// SPDX-License-Identifier: GPL-2.0
/* Loading a result record: the checks every reader of records relies on. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/record_load.h"
#include "util.h"
#include "version.h"

int zb_record_check(const struct zb_jval *v, const char *what, char *err, size_t errlen)
{
	const struct zb_jval *b;
	const char *schema;
	double ver;

	if (v->type != ZB_JOBJ) {
		snprintf(err, errlen, "%s: not a zapbench record (not a JSON object)", what);
		return -EINVAL;
	}
	schema = zb_jobj_str(v, "schema");
	if (!schema || strcmp(schema, "zapbench-result")) {
		snprintf(err, errlen, "%s: not a zapbench record (schema is %s%s%s)", what,
			 schema ? "'" : "", schema ? schema : "missing", schema ? "'" : "");
		return -EINVAL;
	}
	ver = zb_jobj_num(v, "schema_version");
	if (isnan(ver)) {
		snprintf(err, errlen, "%s: zapbench record without a schema_version", what);
		return -EINVAL;
	}
	if (ver != ZB_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: schema_version %g, this zapbench reads %d", what, ver,
			 ZB_SCHEMA_VERSION);
		return -EINVAL;
	}
	b = zb_jobj_get(v, "benchmarks");
	if (!b || b->type != ZB_JARR) {
		snprintf(err, errlen, "%s: zapbench record without a benchmarks array", what);
		return -EINVAL;
	}
	return 0;
}

int zb_record_load(const char *path, struct zb_jval *out, char *err, size_t errlen)
{
	char jerr[160];
	size_t len;
	char *buf;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = zb_read_file(path, &buf, &len);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (!len) {
		snprintf(err, errlen, "%s: empty file, not a zapbench record", path);
		ret = -EINVAL;
		goto out;
	}
	ret = zb_json_parse(buf, len, out, jerr, sizeof(jerr));
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "%s: out of memory", path);
		else
			snprintf(err, errlen, "%s: not valid JSON: %s", path, jerr);
		goto out;
	}
	ret = zb_record_check(out, path, err, errlen);
	if (ret)
		zb_jval_free(out);
out:
	free(buf);
	return ret;
}
