/*
 * NAME
 *	http - requests and responses of the web edge
 *
 * DESCRIPTION
 *	The parsing functions are independent of FastCGI so that they can be
 *	tested alone.  A parsed parameter list keeps repeated names (checkbox
 *	groups).  Limits: HTTP_MAX_BODY bytes of body, HTTP_MAX_PARAMS
 *	parameters, names of at most 64 bytes.  Values must be valid UTF-8.
 *
 * DIAGNOSTICS
 *	http_parse_* return 0, or -1 with a short reason in *why_r (for the
 *	400 page).
 */
#ifndef POSTBUS_HTTP_H
#define POSTBUS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"
#include "postbus.h"

#define HTTP_MAX_BODY	(256 * 1024)
#define HTTP_MAX_PARAMS	2048
#define HTTP_MAX_NAME	64

struct kv {
	const char	*key;
	const char	*val;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
};

int		 http_parse_urlencoded(struct pool *p, const char *s, size_t len,
		    struct kvlist *out, const char **why_r);
int		 http_parse_cookies(struct pool *p, const char *s,
		    struct kvlist *out);
const char	*kv_get(const struct kvlist *l, const char *key);
/* kv_all - every value of key, in order; count in *n_r */
const char	**kv_all(struct pool *p, const struct kvlist *l, const char *key,
		    size_t *n_r);
/* http_urlencode - a value escaped for a query string */
char		*http_urlencode(struct pool *p, const char *s);
const char	*http_status_text(int status);

#endif
