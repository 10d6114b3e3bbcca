/*
 * NAME
 *	pool - per-job memory arenas
 *
 * DESCRIPTION
 *	A pool is a list of blocks; allocations are bumped out of the newest
 *	block, large ones get a block of their own.  pool_clear() keeps the
 *	first block for reuse, so a long-lived worker's request pool settles
 *	at its working size and stops calling malloc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#define POOL_ALIGN	16
#define POOL_MIN	8192

struct block {
	struct block	*next;
	size_t		 size;	/* usable bytes after the header */
	size_t		 used;
};

struct pool {
	struct block	*head;	/* newest block first */
	size_t		 total;	/* bytes handed out, for statistics */
	size_t		 first;	/* size of the first block */
};

/* xmalloc - malloc or abort */
static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fputs("postbus: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* block_new - a block with at least n usable bytes */
static struct block *
block_new(size_t n)
{
	struct block *b;
	size_t hdr = (sizeof(*b) + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);

	b = xmalloc(hdr + n);
	b->next = NULL;
	b->size = n;
	b->used = hdr;
	b->size += hdr;
	return b;
}

/* pool_new - create a pool whose first block holds about hint bytes */
struct pool *
pool_new(size_t hint)
{
	struct pool *p = xmalloc(sizeof(*p));

	if (hint < POOL_MIN)
		hint = POOL_MIN;
	p->head = block_new(hint);
	p->total = 0;
	p->first = hint;
	return p;
}

/* pool_clear - release everything but the first block */
void
pool_clear(struct pool *p)
{
	struct block *b, *next;

	for (b = p->head; b->next != NULL; b = next) {
		next = b->next;
		free(b);
	}
	p->head = b;
	b->used = (sizeof(*b) + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);
	p->total = 0;
}

/* pool_free - release a pool and everything allocated from it */
void
pool_free(struct pool **pp)
{
	struct block *b, *next;

	if (*pp == NULL)
		return;
	for (b = (*pp)->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(*pp);
	*pp = NULL;
}

/* pool_alloc - n bytes, aligned, uninitialised */
void *
pool_alloc(struct pool *p, size_t n)
{
	struct block *b = p->head;
	void *ptr;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		abort();
	n = (n + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);
	if (b->size - b->used < n) {
		size_t sz = n > p->first ? n : p->first;

		b = block_new(sz);
		if (n > p->first) {
			/* keep the current block as head; big blocks go behind */
			b->next = p->head->next;
			p->head->next = b;
		} else {
			b->next = p->head;
			p->head = b;
		}
	}
	ptr = (char *)b + b->used;
	b->used += n;
	p->total += n;
	return ptr;
}

/* pool_zalloc - n zeroed bytes */
void *
pool_zalloc(struct pool *p, size_t n)
{
	void *ptr = pool_alloc(p, n);

	memset(ptr, 0, n);
	return ptr;
}

/* pool_strndup - copy at most n bytes of s, NUL-terminated */
char *
pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *d;

	d = pool_alloc(p, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* pool_strdup - copy s */
char *
pool_strdup(struct pool *p, const char *s)
{
	if (s == NULL)
		return NULL;
	return pool_strndup(p, s, strlen(s));
}

/* pool_vprintf - format into pool memory: straight into the free end of
 * the newest block when it fits (formatting once), else measured first */
char *
pool_vprintf(struct pool *p, const char *fmt, va_list ap)
{
	struct block *b = p->head;
	size_t room = b->size - b->used;
	va_list aq;
	char *s;
	int n;

	if (fmt == NULL)
		abort();
	s = (char *)b + b->used;
	va_copy(aq, ap);
	n = vsnprintf(s, room, fmt, aq);
	va_end(aq);
	if (n < 0)
		abort();
	/* it fitted, aligned too: pool_alloc hands out that very place */
	if ((((size_t)n + POOL_ALIGN) & ~(size_t)(POOL_ALIGN - 1)) <= room)
		return pool_alloc(p, (size_t)n + 1);
	s = pool_alloc(p, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

/* pool_printf - format into pool memory */
char *
pool_printf(struct pool *p, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = pool_vprintf(p, fmt, ap);
	va_end(ap);
	return s;
}

/* pool_used - bytes handed out since creation or the last clear */
size_t
pool_used(const struct pool *p)
{
	return p->total;
}

/* buf_init - an empty buffer */
void
buf_init(struct buf *b, struct pool *p, size_t hint)
{
	if (hint < 64)
		hint = 64;
	b->pool = p;
	b->data = pool_alloc(p, hint);
	b->data[0] = '\0';
	b->len = 0;
	b->cap = hint;
}

/* buf_grow - room for n more bytes and the terminator */
static void
buf_grow(struct buf *b, size_t n)
{
	char *d;
	size_t cap;

	if (b->len + n + 1 <= b->cap)
		return;
	cap = b->cap * 2;
	while (cap < b->len + n + 1)
		cap *= 2;
	d = pool_alloc(b->pool, cap);
	memcpy(d, b->data, b->len + 1);
	b->data = d;
	b->cap = cap;
}

/* buf_add - append n bytes */
void
buf_add(struct buf *b, const void *data, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* buf_puts - append a string */
void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* buf_putc - append a byte */
void
buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/* buf_printf - append formatted text */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap, aq;
	char probe[1];
	int n;

	if (fmt == NULL)
		abort();
	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(probe, sizeof(probe), fmt, aq);
	va_end(aq);
	if (n < 0)
		abort();
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	va_end(ap);
}

/* buf_truncate - shorten to len bytes */
void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

/* pool_join - v joined by sep ("" for none) */
char *
pool_join(struct pool *p, const char *const *v, size_t n, const char *sep)
{
	struct buf b;
	size_t i;

	buf_init(&b, p, 64);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, sep);
		buf_puts(&b, v[i]);
	}
	return b.data;
}
