/*
 * NAME
 *	fuzz_form - libFuzzer target: query strings and form bodies
 *
 * DESCRIPTION
 *	Feeds the input to http_parse_urlencoded() as a request body.  Besides
 *	the sanitizers' findings, it checks what the parser promises: every
 *	name is 1 to HTTP_MAX_NAME bytes, names and values are NUL-free valid
 *	UTF-8, at most HTTP_MAX_PARAMS pairs; and that the parse is faithful:
 *	the pairs encoded again with http_urlencode() parse to the same pairs
 *	in the same order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "pool.h"
#include "valid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool *p = pool_new(0);
	struct kvlist l, l2;
	const char *why = NULL, *first;
	struct buf b;
	size_t i;

	if (http_parse_urlencoded(p, (const char *)data, size, &l, &why) == 0) {
		if (l.n > HTTP_MAX_PARAMS)
			abort();
		buf_init(&b, p, size * 3 + 1);
		for (i = 0; i < l.n; i++) {
			size_t kl = strlen(l.v[i].key), vl = strlen(l.v[i].val);

			if (kl == 0 || kl > HTTP_MAX_NAME ||
			    !valid_utf8(l.v[i].key, kl) ||
			    !valid_utf8(l.v[i].val, vl))
				abort();
			if (i > 0)
				buf_putc(&b, '&');
			buf_puts(&b, http_urlencode(p, l.v[i].key));
			buf_putc(&b, '=');
			buf_puts(&b, http_urlencode(p, l.v[i].val));
		}
		if (l.n > 0) {
			first = kv_get(&l, l.v[0].key);
			if (first == NULL || strcmp(first, l.v[0].val) != 0)
				abort();
		}
		/* the same pairs, encoded again, within the size limit */
		if (b.len <= HTTP_MAX_BODY) {
			if (http_parse_urlencoded(p, b.data, b.len, &l2, &why) != 0 ||
			    l2.n != l.n)
				abort();
			for (i = 0; i < l.n; i++)
				if (strcmp(l.v[i].key, l2.v[i].key) != 0 ||
				    strcmp(l.v[i].val, l2.v[i].val) != 0)
					abort();
		}
	} else if (why == NULL)
		abort();	/* a refusal always says why (the 400 page) */
	pool_free(&p);
	return 0;
}
