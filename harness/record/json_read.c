// SPDX-License-Identifier: GPL-2.0
/*
 * Strict RFC 8259 reader: a record that does not parse is corrupt, and we
 * say where rather than guess what was meant.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/json.h"

struct parser {
	const char *start, *s, *end;
	int depth;
	char *err;
	size_t errlen;
};

static int fail(struct parser *p, const char *fmt, ...)
{
	const char *c;
	int line = 1;
	va_list ap;
	size_t n;

	/* Keep the first, innermost complaint. */
	if (!p->err || !p->errlen || p->err[0])
		return -EINVAL;
	for (c = p->start; c < p->s && c < p->end; c++)
		line += *c == '\n';
	n = (size_t)snprintf(p->err, p->errlen, "line %d: ", line);
	va_start(ap, fmt);
	if (n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void skip_ws(struct parser *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' ||
				 *p->s == '\n' || *p->s == '\r'))
		p->s++;
}

static int parse_value(struct parser *p, struct zb_jval *v);

static int hex4(struct parser *p, unsigned int *cp)
{
	int i;

	*cp = 0;
	if (p->end - p->s < 4)
		return fail(p, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		char c = *p->s++;

		*cp <<= 4;
		if (c >= '0' && c <= '9')
			*cp |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*cp |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*cp |= (unsigned int)(c - 'A' + 10);
		else
			return fail(p, "bad \\u escape");
	}
	return 0;
}

static size_t utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int escape(struct parser *p, char *o, size_t *n)
{
	unsigned int cp, lo;
	char c = *p->s++;

	switch (c) {
	case '"': case '\\': case '/':
		o[(*n)++] = c;
		return 0;
	case 'b': o[(*n)++] = '\b'; return 0;
	case 'f': o[(*n)++] = '\f'; return 0;
	case 'n': o[(*n)++] = '\n'; return 0;
	case 'r': o[(*n)++] = '\r'; return 0;
	case 't': o[(*n)++] = '\t'; return 0;
	case 'u':
		if (hex4(p, &cp))
			return -EINVAL;
		if (cp >= 0xd800 && cp < 0xdc00) {
			if (p->end - p->s < 6 || p->s[0] != '\\' || p->s[1] != 'u')
				return fail(p, "unpaired surrogate");
			p->s += 2;
			if (hex4(p, &lo) || lo < 0xdc00 || lo > 0xdfff)
				return fail(p, "bad surrogate pair");
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		*n += utf8(o + *n, cp);
		return 0;
	}
	return fail(p, "bad escape '\\%c'", c);
}

static int parse_string(struct parser *p, char **out)
{
	const char *start = ++p->s;
	size_t n = 0;
	char *o;

	/* Unescaping never makes a string longer than its source. */
	while (p->s < p->end && *p->s != '"')
		p->s += *p->s == '\\' ? 2 : 1;
	if (p->s >= p->end)
		return fail(p, "unterminated string");
	o = malloc((size_t)(p->s - start) + 1);
	if (!o)
		return -ENOMEM;
	for (p->s = start; *p->s != '"';) {
		if ((unsigned char)*p->s < 0x20) {
			free(o);
			return fail(p, "control character in string");
		}
		if (*p->s != '\\') {
			o[n++] = *p->s++;
			continue;
		}
		p->s++;
		if (escape(p, o, &n)) {
			free(o);
			return -EINVAL;
		}
	}
	p->s++;
	o[n] = '\0';
	*out = o;
	return 0;
}

static int parse_number(struct parser *p, struct zb_jval *v)
{
	const char *s = p->s;
	char *end;

	if (*s == '-')
		s++;
	if (s >= p->end || *s < '0' || *s > '9')
		return fail(p, "unexpected character '%c'", *p->s);
	if (*s == '0' && s + 1 < p->end && s[1] >= '0' && s[1] <= '9')
		return fail(p, "leading zero in number");
	v->type = ZB_JNUM;
	v->num = strtod(p->s, &end);
	if (end > p->end || !isfinite(v->num))
		return fail(p, "bad number");
	p->s = end;
	return 0;
}

static int add_item(struct zb_jval *v, size_t *cap, char *key)
{
	if (v->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct zb_jval *it = realloc(v->items, nc * sizeof(*it));
		char **k;

		if (!it)
			return -ENOMEM;
		v->items = it;
		if (v->type == ZB_JOBJ) {
			k = realloc(v->keys, nc * sizeof(*k));
			if (!k)
				return -ENOMEM;
			v->keys = k;
		}
		*cap = nc;
	}
	memset(&v->items[v->n], 0, sizeof(v->items[0]));
	if (v->type == ZB_JOBJ)
		v->keys[v->n] = key;
	v->n++;
	return 0;
}

static int parse_container(struct parser *p, struct zb_jval *v, char close)
{
	size_t cap = 0;
	char *key = NULL;
	int err;

	if (++p->depth > 64)
		return fail(p, "nested too deeply");
	v->type = close == '}' ? ZB_JOBJ : ZB_JARR;
	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		p->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (close == '}') {
			if (p->s >= p->end || *p->s != '"')
				return fail(p, "expected a key string");
			err = parse_string(p, &key);
			if (err)
				return err;
			skip_ws(p);
			if (p->s >= p->end || *p->s != ':') {
				free(key);
				return fail(p, "expected ':'");
			}
			p->s++;
		}
		err = add_item(v, &cap, key);
		if (err) {
			free(key);
			return err;
		}
		err = parse_value(p, &v->items[v->n - 1]);
		if (err)
			return err;
		skip_ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == close) {
			p->s++;
			p->depth--;
			return 0;
		}
		return fail(p, "expected ',' or '%c'", close);
	}
}

static int literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n))
		return fail(p, "unexpected character '%c'", *p->s);
	p->s += n;
	return 0;
}

static int parse_value(struct parser *p, struct zb_jval *v)
{
	skip_ws(p);
	if (p->s >= p->end)
		return fail(p, "unexpected end of input");
	switch (*p->s) {
	case '{':
		return parse_container(p, v, '}');
	case '[':
		return parse_container(p, v, ']');
	case '"':
		v->type = ZB_JSTR;
		return parse_string(p, &v->str);
	case 't':
		v->type = ZB_JBOOL;
		v->num = 1;
		return literal(p, "true");
	case 'f':
		v->type = ZB_JBOOL;
		return literal(p, "false");
	case 'n':
		v->type = ZB_JNULL;
		return literal(p, "null");
	}
	return parse_number(p, v);
}

int zb_json_parse(const char *text, size_t len, struct zb_jval *out,
		  char *err, size_t errlen)
{
	struct parser p = { text, text, text + len, 0, err, errlen };
	int ret;

	if (err && errlen)
		err[0] = '\0';
	memset(out, 0, sizeof(*out));
	ret = parse_value(&p, out);
	if (!ret) {
		skip_ws(&p);
		if (p.s != p.end)
			ret = fail(&p, "trailing data after the document");
	}
	if (ret)
		zb_jval_free(out);
	return ret;
}

void zb_jval_free(struct zb_jval *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		zb_jval_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

const struct zb_jval *zb_jobj_get(const struct zb_jval *o, const char *key)
{
	size_t i;

	if (!o || o->type != ZB_JOBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->items[i];
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
