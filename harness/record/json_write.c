// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/fmt.h"
#include "record/json.h"

void zb_json_init(struct zb_json *j)
{
	memset(j, 0, sizeof(*j));
	j->first[0] = 1;
}

void zb_json_free(struct zb_json *j)
{
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

/* A sink's buffer: its pieces are this large. */
#define SINK_CHUNK	(64 << 10)

void zb_json_flush(struct zb_json *j)
{
	if (j->sink && j->len && !j->err)
		j->sink(j->sink_ctx, j->buf, j->len);
	j->len = 0;
	if (j->buf)
		j->buf[0] = '\0';
}

static void put(struct zb_json *j, const char *s, size_t n)
{
	if (j->err)
		return;
	if (j->sink && j->len + n + 1 > SINK_CHUNK)
		zb_json_flush(j);
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap : 4096;
		char *p;

		while (cap < j->len + n + 1)
			cap *= 2;
		p = realloc(j->buf, cap);
		if (!p) {
			j->err = -ENOMEM;
			return;
		}
		j->buf = p;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void puts_(struct zb_json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void putf(struct zb_json *j, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(j, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/*
 * Length of the valid UTF-8 sequence at @p (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF), or 0.
 */
static int utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int n, i;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	for (i = 1; i < n; i++, lo = 0x80, hi = 0xbf)
		if (p[i] < lo || p[i] > hi)
			return 0;
	return n;
}

/*
 * A string as JSON.  Bytes that are not UTF-8 (a path with 0xff, say)
 * become U+FFFD: JSON has no way to carry them, and a record must parse.
 */
static void quote(struct zb_json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	puts_(j, "\"");
	for (; *p; p++) {
		if (*p >= 0x80) {
			n = utf8_len(p);
			if (n) {
				put(j, (const char *)p, (size_t)n);
				p += n - 1;
			} else {
				puts_(j, "\\ufffd");
			}
			continue;
		}
		if (*p == '"' || *p == '\\') {
			char esc[2] = { '\\', (char)*p };

			put(j, esc, 2);
		} else if (*p == '\n') {
			puts_(j, "\\n");
		} else if (*p == '\t') {
			puts_(j, "\\t");
		} else if (*p < 0x20) {
			putf(j, "\\u%04x", *p);
		} else {
			put(j, (const char *)p, 1);
		}
	}
	puts_(j, "\"");
}

/* Separator, newline and indent before a member, then its key. */
static void member(struct zb_json *j, const char *key)
{
	int i;

	if (!j->first[j->depth])
		puts_(j, ",");
	j->first[j->depth] = 0;
	if (j->depth) {
		puts_(j, "\n");
		for (i = 0; i < j->depth; i++)
			puts_(j, "  ");
	}
	if (key) {
		quote(j, key);
		puts_(j, ": ");
	}
}

static void open_(struct zb_json *j, const char *key, const char *brace)
{
	member(j, key);
	puts_(j, brace);
	if (j->depth + 1 >= ZB_JSON_MAX_DEPTH) {
		j->err = -E2BIG;
		return;
	}
	j->first[++j->depth] = 1;
}

static void close_(struct zb_json *j, const char *brace)
{
	int i, empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty) {
		puts_(j, "\n");
		for (i = 0; i < j->depth; i++)
			puts_(j, "  ");
	}
	puts_(j, brace);
	if (!j->depth)
		puts_(j, "\n");
}

void zb_json_obj_begin(struct zb_json *j, const char *key)
{
	open_(j, key, "{");
}

void zb_json_obj_end(struct zb_json *j)
{
	close_(j, "}");
}

void zb_json_arr_begin(struct zb_json *j, const char *key)
{
	open_(j, key, "[");
}

void zb_json_arr_end(struct zb_json *j)
{
	close_(j, "]");
}

void zb_json_str(struct zb_json *j, const char *key, const char *val)
{
	member(j, key);
	if (val)
		quote(j, val);
	else
		puts_(j, "null");
}

/* Shortest of %.15g / %.17g that reads back as the same double. */
void zb_json_num(struct zb_json *j, const char *key, double val)
{
	char tmp[40];

	member(j, key);
	if (!isfinite(val)) {
		puts_(j, "null");
		return;
	}
	/* printf's text, faster (fmt_g.c): the history's content hash is of this text */
	zb_fmt_g(tmp, sizeof(tmp), val, 15);
	if (strtod(tmp, NULL) != val)
		zb_fmt_g(tmp, sizeof(tmp), val, 17);
	puts_(j, tmp);
}

void zb_json_int(struct zb_json *j, const char *key, long long val)
{
	member(j, key);
	putf(j, "%lld", val);
}

void zb_json_bool(struct zb_json *j, const char *key, int val)
{
	member(j, key);
	puts_(j, val ? "true" : "false");
}

void zb_json_null(struct zb_json *j, const char *key)
{
	member(j, key);
	puts_(j, "null");
}
