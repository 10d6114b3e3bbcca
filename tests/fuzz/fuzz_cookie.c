/*
 * NAME
 *	fuzz_cookie - libFuzzer target: the Cookie header
 *
 * DESCRIPTION
 *	Feeds the input, up to its first NUL (a header value has none), to
 *	http_parse_cookies().  Checks: at most 64 cookies; no name or value
 *	holds a ';'; a cookie is only ever read from a __Host- pair, so an
 *	input without that prefix yields none.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "pool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool *p = pool_new(0);
	struct kvlist l;
	char *s = pool_strndup(p, (const char *)data, size);
	size_t i;

	if (http_parse_cookies(p, s, &l) != 0)
		abort();
	if (l.n > 64)
		abort();
	if (l.n > 0 && strstr(s, HTTP_COOKIE_PREFIX) == NULL)
		abort();
	for (i = 0; i < l.n; i++)
		if (strchr(l.v[i].key, ';') != NULL ||
		    strchr(l.v[i].val, ';') != NULL ||
		    strstr(s, l.v[i].key) == NULL)
			abort();
	pool_free(&p);
	return 0;
}
