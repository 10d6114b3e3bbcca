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

/*
 * Every cookie of the panel is a __Host- cookie: the browser keeps it only
 * if it came over HTTPS with Path=/ and no Domain, so no other host of the
 * domain (nor plain HTTP) can set or overwrite it.  set_cookie() adds the
 * prefix; http_parse_cookies() keeps only cookies that carry it and gives
 * their names without it, so a cookie planted under the bare name is
 * never read.
 */
#define HTTP_COOKIE_PREFIX	"__Host-"

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
/* http_parse_cookies - the __Host- cookies of a Cookie header, named
 * without the prefix; the others are left out */
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
