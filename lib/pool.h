/*
 * NAME
 *	pool - per-job memory arenas
 *
 * SYNOPSIS
 *	struct pool *pool_new(size_t hint);
 *	void *pool_alloc(struct pool *p, size_t n);
 *	void pool_free(struct pool **pp);
 *
 * DESCRIPTION
 *	Everything one request (or one CLI command) allocates comes from one
 *	pool and is released by one pool_free().  Allocation never fails: on
 *	out-of-memory the process aborts, because a half-built request is worse.
 *	Nothing allocated from a pool may be freed on its own.
 */
#ifndef POSTBUS_POOL_H
#define POSTBUS_POOL_H

#include <stdarg.h>
#include <stddef.h>

struct pool;

struct pool *pool_new(size_t hint);
void	 pool_free(struct pool **pp);
void	 pool_clear(struct pool *p);
void	*pool_alloc(struct pool *p, size_t n);
void	*pool_zalloc(struct pool *p, size_t n);
char	*pool_strdup(struct pool *p, const char *s);
char	*pool_strndup(struct pool *p, const char *s, size_t n);
char	*pool_printf(struct pool *p, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
char	*pool_vprintf(struct pool *p, const char *fmt, va_list ap);
/* pool_join - the n strings of v joined by sep ("" for none) */
char	*pool_join(struct pool *p, const char *const *v, size_t n,
	    const char *sep);
size_t	 pool_used(const struct pool *p);

/* A growable byte string whose storage comes from a pool. */
struct buf {
	struct pool	*pool;
	char		*data;	/* always NUL-terminated */
	size_t		 len;
	size_t		 cap;
};

void	 buf_init(struct buf *b, struct pool *p, size_t hint);
void	 buf_add(struct buf *b, const void *data, size_t n);
void	 buf_puts(struct buf *b, const char *s);
void	 buf_putc(struct buf *b, char c);
void	 buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_truncate(struct buf *b, size_t len);

#endif
