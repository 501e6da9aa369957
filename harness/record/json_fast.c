// SPDX-License-Identifier: GPL-2.0
/*
 * The reader's fast path: a document read straight into our tree, every
 * value, key and string of it in a few large blocks (an arena the root
 * owns), without jansson's tree in between.  A record of 10^5 rows is
 * then read in a fraction of the time and the memory.  It accepts only
 * what jansson accepts and reads it as jansson does; anything it is not
 * sure of (an error, a \u0000, a number out of range, a document that is
 * not an object or an array) it leaves to jansson, which then gives the
 * answer and the error message: json_read.c.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "record/json_fast.h"

/*
 * Blocks grow from 64 KiB to 4 MiB: a small document stays small, a
 * record of 10^5 rows (~200 MB of values) takes 2 MiB pages where the
 * kernel has them (THP "madvise"), which saved a fifth of compare's time
 * in page faults.
 */
#define ARENA_FIRST	(64 << 10)
#define ARENA_BLOCK	(4 << 20)
#define HUGE_PAGE	(2 << 20)
#define INTERN_SLOTS	1024		/* keys shared by value: a record has a few dozen */
#define INTERN_MAX	64
#define KEY_CACHE	8
#define RELEASE_STEP	(8 << 20)	/* of a mapped text, drop what lies this far behind */

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

struct parser {
	const char *p, *end;
	struct arena_block *arena;
	size_t block;			/* the next block's size */
	struct zb_jval *stack;		/* the open containers' members so far */
	char **keys;
	size_t nv, capv, nk, capk;
	int depth;
	const char *released;		/* mapped text: pages before it given back */
	char *intern[INTERN_SLOTS];
	size_t nr_interned;
	char **kcache[KEY_CACHE];
	size_t kcache_n[KEY_CACHE], kcache_at;
};

/*
 * Which roots own an arena, by their items array: the tree itself has
 * no room for the pointer (32 bytes a value), and a root is freed only
 * through zb_jval_free.
 */
static struct owner {
	const void *items;
	void *arena;
} *owners;
static size_t nr_owners, cap_owners;
static pthread_mutex_t owners_lock = PTHREAD_MUTEX_INITIALIZER;

static int own(const void *items, void *arena)
{
	int ret = 0;

	pthread_mutex_lock(&owners_lock);
	if (nr_owners == cap_owners) {
		size_t cap = cap_owners ? 2 * cap_owners : 16;
		struct owner *o = realloc(owners, cap * sizeof(*o));

		if (o) {
			owners = o;
			cap_owners = cap;
		}
	}
	if (nr_owners < cap_owners)
		owners[nr_owners++] = (struct owner){ items, arena };
	else
		ret = -ENOMEM;
	pthread_mutex_unlock(&owners_lock);
	return ret;
}

static void *arena_alloc(struct parser *ps, size_t len)
{
	struct arena_block *b = ps->arena;
	void *at;

	len = (len + 7) & ~(size_t)7;
	if (!b || b->size - b->used < len) {
		size_t block = ps->block ? ps->block : ARENA_FIRST;
		size_t size = len > block / 2 ? len : block;

		if (size >= ARENA_BLOCK) {
			if (posix_memalign((void **)&b, HUGE_PAGE, sizeof(*b) + size))
				return NULL;
			/* a hint: without THP it is refused, and nothing changes */
			madvise(b, sizeof(*b) + size, MADV_HUGEPAGE);
		} else {
			b = malloc(sizeof(*b) + size);
			if (!b)
				return NULL;
		}
		b->size = size;
		b->used = 0;
		if (size == block)
			ps->block = block < ARENA_BLOCK ? 2 * block : ARENA_BLOCK;
		/* a large block goes second, so the current one's space stays in use */
		if (ps->arena && size != block) {
			b->next = ps->arena->next;
			ps->arena->next = b;
		} else {
			b->next = ps->arena;
			ps->arena = b;
		}
	}
	at = (char *)b->data + b->used;
	b->used += len;
	return at;
}

static void arena_free(struct arena_block *b)
{
	struct arena_block *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
}

int zb_json_arena_release(const void *items)
{
	void *arena = NULL;
	size_t i;

	if (!items)
		return 0;
	pthread_mutex_lock(&owners_lock);
	for (i = 0; i < nr_owners; i++) {
		if (owners[i].items == items) {
			arena = owners[i].arena;
			owners[i] = owners[--nr_owners];
			break;
		}
	}
	pthread_mutex_unlock(&owners_lock);
	arena_free(arena);
	return arena != NULL;
}

/* A mapped text's pages well behind the cursor: nothing points into them (strings are copied). */
static void release_behind(struct parser *ps)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t from, to;

	if (!ps->released || ps->p - ps->released < RELEASE_STEP || page <= 0)
		return;
	from = ((uintptr_t)ps->released + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
	to = ((uintptr_t)ps->p - (uintptr_t)page) & ~((uintptr_t)page - 1);
	if (to > from)
		madvise((void *)from, to - from, MADV_DONTNEED);
	ps->released = ps->p;
}

/*
 * The same key in many objects is one string: @key, just parsed into the
 * arena, or the copy seen before (and @key's space is taken back).
 */
static char *intern(struct parser *ps, char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t len = strlen(key), at, i;

	if (len > INTERN_MAX)
		return key;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 0x100000001b3ULL;
	for (at = h % INTERN_SLOTS; ps->intern[at]; at = (at + 1) % INTERN_SLOTS) {
		if (!strcmp(ps->intern[at], key)) {
			/* the last allocation, in the newest block (a key is small) */
			ps->arena->used = (size_t)(key - (char *)ps->arena->data);
			return ps->intern[at];
		}
	}
	if (ps->nr_interned < INTERN_SLOTS / 2) {
		ps->intern[at] = key;
		ps->nr_interned++;
	}
	return key;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' ||
				   *ps->p == '\r'))
		ps->p++;
}

/* Length of the valid UTF-8 sequence at @s (a byte >= 0x80), 0 if invalid (as jansson). */
static size_t utf8_len(const unsigned char *s, const unsigned char *end)
{
	size_t n, i;
	uint32_t c;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if ((size_t)(end - s) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

static int hex4(const char *s, const char *end, uint32_t *v)
{
	int i;

	*v = 0;
	if (end - s < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static char *put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		*o++ = (char)c;
	} else if (c < 0x800) {
		*o++ = (char)(0xc0 | c >> 6);
		*o++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*o++ = (char)(0xe0 | c >> 12);
		*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	} else {
		*o++ = (char)(0xf0 | c >> 18);
		*o++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	}
	return o;
}

/* One \u escape at @s (after the backslash-u), surrogate pairs joined; 0 for none. */
static uint32_t unicode_escape(const char **s, const char *end)
{
	uint32_t c, lo;

	if (hex4(*s, end, &c))
		return 0;
	*s += 4;
	if (c >= 0xdc00 && c <= 0xdfff)
		return 0;
	if (c >= 0xd800 && c <= 0xdbff) {
		if (end - *s < 6 || (*s)[0] != '\\' || (*s)[1] != 'u' || hex4(*s + 2, end, &lo) ||
		    lo < 0xdc00 || lo > 0xdfff)
			return 0;
		*s += 6;
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
	}
	return c;
}

/* The string at ps->p (its opening quote), unescaped into the arena. */
static int parse_string(struct parser *ps, char **out)
{
	const char *s = ps->p + 1, *run;
	char *o;

	for (run = s; run < ps->end && *run != '"'; run++)
		if (*run == '\\')
			run++;
	if (run >= ps->end)
		return -EAGAIN;
	/* unescaped, it is no longer than it is written */
	*out = o = arena_alloc(ps, (size_t)(run - s) + 1);
	if (!o)
		return -ENOMEM;
	while (s < run) {
		unsigned char c = (unsigned char)*s;
		size_t n;

		if (c >= 0x80) {
			n = utf8_len((const unsigned char *)s, (const unsigned char *)run);
			if (!n)
				return -EAGAIN;
			memcpy(o, s, n);
			o += n;
			s += n;
			continue;
		}
		if (c < 0x20)
			return -EAGAIN;
		s++;
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		c = (unsigned char)*s++;
		switch (c) {
		case '"': case '\\': case '/':
			*o++ = (char)c;
			break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			uint32_t u = unicode_escape(&s, run);

			if (!u)
				return -EAGAIN;
			o = put_utf8(o, u);
			break;
		}
		default:
			return -EAGAIN;
		}
	}
	*o = '\0';
	ps->p = run + 1;
	return 0;
}

static size_t digits(const char *s, const char *end)
{
	size_t n = 0;

	while (s + n < end && s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* RFC 8259's number, read as jansson reads it: an integer unless it has a fraction or exponent. */
static int parse_number(struct parser *ps, struct zb_jval *v)
{
	const char *s = ps->p, *e = s;
	int real = 0;
	char buf[64], *stop;
	size_t n;

	if (e < ps->end && *e == '-')
		e++;
	n = digits(e, ps->end);
	if (!n || (e[0] == '0' && n > 1))
		return -EAGAIN;
	e += n;
	if (e < ps->end && *e == '.') {
		n = digits(++e, ps->end);
		if (!n)
			return -EAGAIN;
		e += n;
		real = 1;
	}
	if (e < ps->end && (*e == 'e' || *e == 'E')) {
		if (++e < ps->end && (*e == '+' || *e == '-'))
			e++;
		n = digits(e, ps->end);
		if (!n)
			return -EAGAIN;
		e += n;
		real = 1;
	}
	if ((size_t)(e - s) >= sizeof(buf))
		return -EAGAIN;
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	errno = 0;
	v->type = ZB_JNUM;
	if (real) {
		v->num = strtod(buf, &stop);
	} else {
		v->is_int = 1;
		v->inum = strtoll(buf, &stop, 10);
		v->num = (double)v->inum;
	}
	/* out of range: jansson says what it makes of it */
	if (errno || *stop)
		return -EAGAIN;
	ps->p = e;
	return 0;
}

static int literal(struct parser *ps, const char *word, size_t len)
{
	if ((size_t)(ps->end - ps->p) < len || memcmp(ps->p, word, len))
		return -EAGAIN;
	ps->p += len;
	return 0;
}

static int parse_value(struct parser *ps, struct zb_jval *v);

static int push_value(struct parser *ps, const struct zb_jval *v)
{
	if (ps->nv == ps->capv) {
		size_t cap = ps->capv ? 2 * ps->capv : 1024;
		struct zb_jval *s = realloc(ps->stack, cap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		ps->stack = s;
		ps->capv = cap;
	}
	ps->stack[ps->nv++] = *v;
	return 0;
}

static int push_key(struct parser *ps, char *key)
{
	if (ps->nk == ps->capk) {
		size_t cap = ps->capk ? 2 * ps->capk : 256;
		char **k = realloc(ps->keys, cap * sizeof(*k));

		if (!k)
			return -ENOMEM;
		ps->keys = k;
		ps->capk = cap;
	}
	ps->keys[ps->nk++] = key;
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* jansson refuses an object with a key twice: so do we, by leaving it to jansson. */
static int has_duplicate(char **keys, size_t n)
{
	char **sorted;
	size_t i, j;
	int dup = 0;

	if (n <= 16) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (!strcmp(keys[i], keys[j]))
					return 1;
		return 0;
	}
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, keys, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_key);
	for (i = 1; i < n && !dup; i++)
		dup = !strcmp(sorted[i - 1], sorted[i]);
	free(sorted);
	return dup;
}

/*
 * An object's keys: every row of a record has the same, so an array equal
 * to one of the last few is that one (the tree is read-only).
 */
static char **key_array(struct parser *ps, size_t kbase, size_t n)
{
	size_t i, len = n * sizeof(char *);
	char **k;

	for (i = 0; i < KEY_CACHE; i++)
		if (ps->kcache[i] && ps->kcache_n[i] == n &&
		    (!n || !memcmp(ps->kcache[i], ps->keys + kbase, len)))
			return ps->kcache[i];
	k = arena_alloc(ps, len ? len : 1);
	if (!k)
		return NULL;
	if (n)
		memcpy(k, ps->keys + kbase, len);
	ps->kcache[ps->kcache_at] = k;
	ps->kcache_n[ps->kcache_at] = n;
	ps->kcache_at = (ps->kcache_at + 1) % KEY_CACHE;
	return k;
}

/* The members pushed since @base become @v's, in the arena (never NULL, also when empty). */
static int close_container(struct parser *ps, struct zb_jval *v, size_t base, size_t kbase)
{
	size_t n = ps->nv - base;

	if (n > UINT_MAX)
		return -EAGAIN;
	v->n = (unsigned int)n;
	v->items = arena_alloc(ps, (n ? n : 1) * sizeof(*v->items));
	if (!v->items)
		return -ENOMEM;
	if (n)
		memcpy(v->items, ps->stack + base, n * sizeof(*v->items));
	ps->nv = base;
	if (v->type != ZB_JOBJ)
		return 0;
	v->keys = key_array(ps, kbase, n);
	ps->nk = kbase;
	return v->keys ? 0 : -ENOMEM;
}

/* An array or object at ps->p; its members on the stack until it closes. */
static int parse_container(struct parser *ps, struct zb_jval *v)
{
	int obj = *ps->p == '{', ret;
	char close = obj ? '}' : ']';
	size_t base = ps->nv, kbase = ps->nk;

	ps->depth++;
	v->type = obj ? ZB_JOBJ : ZB_JARR;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return close_container(ps, v, base, kbase);
	}
	for (;;) {
		struct zb_jval m = { 0 };

		if (obj) {
			char *key;

			if (ps->p >= ps->end || *ps->p != '"')
				return -EAGAIN;
			ret = parse_string(ps, &key);
			if (!ret)
				ret = push_key(ps, intern(ps, key));
			if (ret)
				return ret;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return -EAGAIN;
			ps->p++;
			skip_ws(ps);
		}
		ret = parse_value(ps, &m);
		if (!ret)
			ret = push_value(ps, &m);
		if (ret)
			return ret;
		release_behind(ps);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == close)
			break;
		return -EAGAIN;
	}
	ps->p++;
	ps->depth--;
	if (obj) {
		ret = has_duplicate(ps->keys + kbase, ps->nk - kbase);
		if (ret)
			return ret < 0 ? ret : -EAGAIN;
	}
	return close_container(ps, v, base, kbase);
}

/* A value one level below the open containers: jansson's tree has ZB_JSON_MAX_DEPTH. */
static int parse_value(struct parser *ps, struct zb_jval *v)
{
	if (ps->p >= ps->end || ps->depth >= ZB_JSON_MAX_DEPTH)
		return -EAGAIN;
	switch (*ps->p) {
	case '{':
	case '[':
		return parse_container(ps, v);
	case '"':
		v->type = ZB_JSTR;
		return parse_string(ps, &v->str);
	case 't':
		v->type = ZB_JBOOL;
		v->num = 1;
		return literal(ps, "true", 4);
	case 'f':
		v->type = ZB_JBOOL;
		return literal(ps, "false", 5);
	case 'n':
		v->type = ZB_JNULL;
		return literal(ps, "null", 4);
	default:
		return parse_number(ps, v);
	}
}

int zb_json_parse_fast(const char *text, size_t len, int mapped, struct zb_jval *out)
{
	struct parser ps = { .p = text, .end = text + len, .released = mapped ? text : NULL };
	int ret = -EAGAIN;

	memset(out, 0, sizeof(*out));
	skip_ws(&ps);
	if (ps.p < ps.end && (*ps.p == '{' || *ps.p == '['))
		ret = parse_container(&ps, out);
	skip_ws(&ps);
	if (!ret && ps.p != ps.end)
		ret = -EAGAIN;
	if (!ret)
		ret = own(out->items, ps.arena);
	free(ps.stack);
	free(ps.keys);
	if (ret) {
		arena_free(ps.arena);
		memset(out, 0, sizeof(*out));
	}
	return ret;
}
