// SPDX-License-Identifier: GPL-2.0
/*
 * Strict RFC 8259 reader, by jansson: a record that does not parse is
 * corrupt, and we say where rather than guess what was meant.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/json.h"
#include "record/json_fast.h"

/*
 * jansson reads; this turns its tree into ours.  Flags: duplicate keys are
 * an error (which of the two would be meant?), as are a NUL in a string
 * (C strings would cut it short), invalid UTF-8 and anything RFC 8259
 * does not allow (0x10, 1., trailing data): jansson's defaults.
 */
#define JSON_FLAGS	(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

static int convert(const json_t *in, struct zb_jval *v, int depth, char *err, size_t errlen);

static int nested_too_deeply(char *err, size_t errlen)
{
	if (err && errlen && !err[0])
		snprintf(err, errlen, "nested too deeply (more than %d levels)",
			 ZB_JSON_MAX_DEPTH);
	return -EINVAL;
}

static int convert_array(const json_t *in, struct zb_jval *v, int depth, char *err,
			 size_t errlen)
{
	size_t i, n = json_array_size(in);
	int ret;

	v->type = ZB_JARR;
	v->items = calloc(n + 1, sizeof(*v->items));
	if (!v->items)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ret = convert(json_array_get(in, i), &v->items[i], depth + 1, err, errlen);
		v->n = i + 1;
		if (ret)
			return ret;
	}
	return 0;
}

/* Keys in the document's order: jansson keeps insertion order (json_dump's hash relies on it). */
static int convert_object(const json_t *in, struct zb_jval *v, int depth, char *err,
			  size_t errlen)
{
	size_t n = json_object_size(in);
	const char *key;
	json_t *val;
	int ret;

	v->type = ZB_JOBJ;
	v->items = calloc(n + 1, sizeof(*v->items));
	v->keys = calloc(n + 1, sizeof(*v->keys));
	if (!v->items || !v->keys)
		return -ENOMEM;
	json_object_foreach((json_t *)in, key, val) {
		v->keys[v->n] = strdup(key);
		if (!v->keys[v->n])
			return -ENOMEM;
		ret = convert(val, &v->items[v->n], depth + 1, err, errlen);
		v->n++;
		if (ret)
			return ret;
	}
	return 0;
}

static int convert(const json_t *in, struct zb_jval *v, int depth, char *err, size_t errlen)
{
	if (depth > ZB_JSON_MAX_DEPTH)
		return nested_too_deeply(err, errlen);
	switch (json_typeof(in)) {
	case JSON_OBJECT:
		return convert_object(in, v, depth, err, errlen);
	case JSON_ARRAY:
		return convert_array(in, v, depth, err, errlen);
	case JSON_STRING:
		v->type = ZB_JSTR;
		v->str = strdup(json_string_value(in));
		return v->str ? 0 : -ENOMEM;
	case JSON_INTEGER:
		v->type = ZB_JNUM;
		v->is_int = 1;
		v->inum = json_integer_value(in);
		v->num = (double)v->inum;
		return 0;
	case JSON_REAL:
		v->type = ZB_JNUM;
		v->num = json_real_value(in);
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		v->type = ZB_JBOOL;
		v->num = json_is_true(in);
		return 0;
	case JSON_NULL:
		v->type = ZB_JNULL;
		return 0;
	}
	return -EINVAL;
}

int zb_json_parse(const char *text, size_t len, struct zb_jval *out,
		  char *err, size_t errlen)
{
	return zb_json_parse_text(text, len, 0, out, err, errlen);
}

int zb_json_parse_text(const char *text, size_t len, int mapped, struct zb_jval *out,
		       char *err, size_t errlen)
{
	json_error_t je;
	json_t *root;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	/* the fast path reads a valid document; jansson the rest, and says what is wrong */
	ret = zb_json_parse_fast(text, len, mapped, out);
	if (ret != -EAGAIN) {
		if (ret && err && errlen)
			snprintf(err, errlen, "out of memory");
		return ret;
	}
	root = json_loadb(text, len, JSON_FLAGS, &je);
	if (!root) {
		if (err && errlen)
			snprintf(err, errlen, "line %d, column %d: %s", je.line, je.column,
				 je.text);
		return -EINVAL;
	}
	ret = convert(root, out, 1, err, errlen);
	json_decref(root);
	if (ret) {
		zb_jval_free(out);
		if (ret == -ENOMEM && err && errlen && !err[0])
			snprintf(err, errlen, "out of memory");
		return ret == -ENOMEM ? ret : -EINVAL;
	}
	return 0;
}

void zb_jval_free(struct zb_jval *v)
{
	size_t i;

	switch (v->type) {
	case ZB_JARR:
	case ZB_JOBJ:
		if (zb_json_arena_release(v->items))
			break;
		for (i = 0; v->items && i < v->n; i++) {
			zb_jval_free(&v->items[i]);
			if (v->type == ZB_JOBJ && v->keys)
				free(v->keys[i]);
		}
		free(v->items);
		if (v->type == ZB_JOBJ)
			free(v->keys);
		break;
	case ZB_JSTR:
		free(v->str);
		break;
	default:
		break;
	}
	memset(v, 0, sizeof(*v));
}

/*
 * Where a key was found last, by keys array and key pointer: the rows of
 * a record share one keys array (json_fast.c), and readers ask each row
 * for the same literal keys, so one strcmp confirms what a scan of some
 * 30 keys found in the row before.  A slot is only a hint: checked
 * against the object every time, never trusted.
 */
#define GET_HINTS	256

static __thread struct get_hint {
	char **keys;
	const char *key;
	size_t at;
} get_hints[GET_HINTS];

const struct zb_jval *zb_jobj_get(const struct zb_jval *o, const char *key)
{
	struct get_hint *h;
	size_t i;

	if (!o || o->type != ZB_JOBJ)
		return NULL;
	h = &get_hints[((uintptr_t)o->keys >> 3 ^ (uintptr_t)key * 0x9e3779b1u >> 7) % GET_HINTS];
	if (h->keys == o->keys && h->key == key && h->at < o->n && !strcmp(o->keys[h->at], key))
		return &o->items[h->at];
	for (i = 0; i < o->n; i++) {
		if (!strcmp(o->keys[i], key)) {
			*h = (struct get_hint){ o->keys, key, i };
			return &o->items[i];
		}
	}
	return NULL;
}

const char *zb_jobj_str(const struct zb_jval *o, const char *key)
{
	const struct zb_jval *v = zb_jobj_get(o, key);

	return v && v->type == ZB_JSTR ? v->str : NULL;
}

double zb_jobj_num(const struct zb_jval *o, const char *key)
{
	const struct zb_jval *v = zb_jobj_get(o, key);

	return v && v->type == ZB_JNUM ? v->num : NAN;
}
