// SPDX-License-Identifier: GPL-2.0
#include "record/json_dump.h"

void zb_json_val(struct zb_json *j, const char *key, const struct zb_jval *v)
{
	size_t i;

	switch (v->type) {
	case ZB_JNULL:
		zb_json_null(j, key);
		break;
	case ZB_JBOOL:
		zb_json_bool(j, key, v->num != 0);
		break;
	case ZB_JNUM:
		if (v->is_int)
			zb_json_int(j, key, v->inum);
		else
			zb_json_num(j, key, v->num);
		break;
	case ZB_JSTR:
		zb_json_str(j, key, v->str);
		break;
	case ZB_JARR:
		zb_json_arr_begin(j, key);
		for (i = 0; i < v->n; i++)
			zb_json_val(j, NULL, &v->items[i]);
		zb_json_arr_end(j);
		break;
	case ZB_JOBJ:
		zb_json_obj_begin(j, key);
		for (i = 0; i < v->n; i++)
			zb_json_val(j, v->keys[i], &v->items[i]);
		zb_json_obj_end(j);
		break;
	}
}
