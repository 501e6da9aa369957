/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer into memory (so a record reaches disk in one
 * atomic rename) and a strict reader for records read back.
 */
#ifndef ZB_JSON_H
#define ZB_JSON_H

#include <stddef.h>

#define ZB_JSON_MAX_DEPTH	32

struct zb_json {
	char *buf;
	size_t len, cap;
	int depth;
	int first[ZB_JSON_MAX_DEPTH];
	int err;			/* -ENOMEM or -E2BIG, sticky */
	/*
	 * Set: the text is handed to it in pieces as the buffer fills, and
	 * buf keeps only what is not handed over yet (zb_json_flush() for
	 * the rest); a digest of a whole record needs no copy of it.
	 */
	void (*sink)(void *ctx, const char *text, size_t len);
	void *sink_ctx;
};

void zb_json_init(struct zb_json *j);
/* What the buffer holds, to @j->sink. */
void zb_json_flush(struct zb_json *j);
void zb_json_free(struct zb_json *j);
/* @key is NULL for array members and the top level. */
void zb_json_obj_begin(struct zb_json *j, const char *key);
void zb_json_obj_end(struct zb_json *j);
void zb_json_arr_begin(struct zb_json *j, const char *key);
void zb_json_arr_end(struct zb_json *j);
void zb_json_str(struct zb_json *j, const char *key, const char *val);
/* NaN and infinities have no JSON spelling: they become null. */
void zb_json_num(struct zb_json *j, const char *key, double val);
void zb_json_int(struct zb_json *j, const char *key, long long val);
void zb_json_bool(struct zb_json *j, const char *key, int val);
void zb_json_null(struct zb_json *j, const char *key);

enum zb_jtype {
	ZB_JNULL,
	ZB_JBOOL,
	ZB_JNUM,
	ZB_JSTR,
	ZB_JARR,
	ZB_JOBJ,
};

/*
 * 32 bytes: a record of 10^5 rows holds millions of these.  A value's
 * fields for other types share its space: read str only of a ZB_JSTR,
 * items and keys only of a container, inum only of an is_int number.
 */
struct zb_jval {
	enum zb_jtype type : 8;
	unsigned int is_int : 1;	/* ZB_JNUM written as an integer */
	unsigned int n;			/* ZB_JARR, ZB_JOBJ */
	double num;			/* ZB_JNUM, and 0/1 for ZB_JBOOL */
	union {
		char *str;		/* ZB_JSTR */
		struct zb_jval *items;	/* ZB_JARR, ZB_JOBJ */
	};
	union {
		long long inum;		/* is_int: all 64 bits */
		char **keys;		/* ZB_JOBJ */
	};
};

/*
 * Strict (jansson): duplicate keys, a NUL in a string, invalid UTF-8 and
 * anything RFC 8259 does not allow are errors.  On error returns -EINVAL
 * and describes it in @err ("line 3, column 5: '}' expected near ']'").
 */
int zb_json_parse(const char *text, size_t len, struct zb_jval *out,
		  char *err, size_t errlen);
/*
 * Of a parsed document's root only: its values may all lie in one arena
 * the root owns (json_fast.c), so a value under it is never freed or
 * reallocated alone.  Trees built by hand are freed value by value.
 */
void zb_jval_free(struct zb_jval *v);
const struct zb_jval *zb_jobj_get(const struct zb_jval *o, const char *key);
/* Typed getters: NULL / NAN when absent or of another type. */
const char *zb_jobj_str(const struct zb_jval *o, const char *key);
double zb_jobj_num(const struct zb_jval *o, const char *key);

#endif
