/* test_http - query strings, form bodies and cookies */
#include <string.h>

#include "http.h"
#include "test.h"

int
main(void)
{
	struct pool *p = pool_new(0);
	struct kvlist l;
	const char *why = NULL, **all;
	size_t n;
	struct buf b;
	char *big;

	test_begin("urlencoded: plus, percent, empty values, repeats");
	test_assert(http_parse_urlencoded(p, "a=1&b=x+y&c=%3Cs%3E&d=&e&sel=1&sel=2",
	    strlen("a=1&b=x+y&c=%3Cs%3E&d=&e&sel=1&sel=2"), &l, &why) == 0);
	test_assert_str(kv_get(&l, "a"), "1");
	test_assert_str(kv_get(&l, "b"), "x y");
	test_assert_str(kv_get(&l, "c"), "<s>");
	test_assert_str(kv_get(&l, "d"), "");
	test_assert_str(kv_get(&l, "e"), "");
	test_assert(kv_get(&l, "zz") == NULL);
	all = kv_all(p, &l, "sel", &n);
	test_assert(n == 2 && strcmp(all[0], "1") == 0 && strcmp(all[1], "2") == 0);
	test_end();

	test_begin("urlencoded: empty pairs are skipped");
	test_assert(http_parse_urlencoded(p, "&&a=1&&", 7, &l, &why) == 0);
	test_assert(l.n == 1);
	test_end();

	test_begin("urlencoded: malformed escapes are refused");
	test_assert(http_parse_urlencoded(p, "a=%4", 4, &l, &why) == -1);
	test_assert(http_parse_urlencoded(p, "a=%zz", 5, &l, &why) == -1);
	test_assert(http_parse_urlencoded(p, "a=%", 3, &l, &why) == -1);
	test_end();

	test_begin("urlencoded: invalid UTF-8 is refused, valid accepted");
	test_assert(http_parse_urlencoded(p, "a=%C3%A9", 8, &l, &why) == 0);
	test_assert_str(kv_get(&l, "a"), "\xc3\xa9");
	test_assert(http_parse_urlencoded(p, "a=%C3", 5, &l, &why) == -1);
	test_assert(http_parse_urlencoded(p, "a=%00", 5, &l, &why) == -1);
	test_assert(http_parse_urlencoded(p, "a=%C0%AF", 8, &l, &why) == -1);
	test_end();

	test_begin("urlencoded: parameter names are limited");
	buf_init(&b, p, 256);
	memset(big = pool_alloc(p, 100), 'k', 99);
	big[99] = '\0';
	buf_printf(&b, "%s=1", big);
	test_assert(http_parse_urlencoded(p, b.data, b.len, &l, &why) == -1);
	test_assert(http_parse_urlencoded(p, "=1", 2, &l, &why) == -1);
	test_end();

	test_begin("urlencoded: too many parameters");
	buf_init(&b, p, 65536);
	for (n = 0; n < HTTP_MAX_PARAMS + 1; n++)
		buf_puts(&b, "a=1&");
	test_assert(http_parse_urlencoded(p, b.data, b.len, &l, &why) == -1);
	test_end();

	test_begin("cookies");
	http_parse_cookies(p, "__Host-postbus_session=abc; __Host-other=\"q\";"
	    "junk; =x;__Host-last=1", &l);
	test_assert_str(kv_get(&l, "postbus_session"), "abc");
	test_assert_str(kv_get(&l, "other"), "q");
	test_assert_str(kv_get(&l, "last"), "1");
	test_assert(kv_get(&l, "junk") == NULL);
	http_parse_cookies(p, NULL, &l);
	test_assert(l.n == 0);
	test_end();

	test_begin("cookies without the __Host- prefix are never read");
	http_parse_cookies(p, "postbus_session=planted; __Host-=x; "
	    "__host-postbus_pre=y; __Host-postbus_pre=z", &l);
	test_assert(kv_get(&l, "postbus_session") == NULL);
	test_assert(kv_get(&l, "") == NULL);
	test_assert_str(kv_get(&l, "postbus_pre"), "z");
	test_assert(l.n == 1);
	test_end();

	test_begin("http_urlencode");
	test_assert_str(http_urlencode(p, "a b&c=<d>"), "a%20b%26c%3D%3Cd%3E");
	test_end();

	pool_free(&p);
	return test_done();
}
