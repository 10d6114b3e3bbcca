/* test_valid - syntax of names, addresses, numbers and sizes */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "limit.h"
#include "pool.h"
#include "valid.h"
#include "test.h"

static const struct { const char *in; int ok; } utf8[] = {
	{ "plain", 1 }, { "caf\xc3\xa9", 1 }, { "\xe2\x82\xac", 1 },
	{ "\xf0\x9f\x93\xac", 1 }, { "\xc3", 0 }, { "\xc0\xaf", 0 },
	{ "\xe0\x80\xaf", 0 }, { "\xed\xa0\x80", 0 }, { "\xf4\x90\x80\x80", 0 },
	{ "\xff", 0 }, { "a\x80", 0 },
};

static const struct { const char *in; int ok; } localparts[] = {
	{ "info", 1 }, { "gugus.dupont", 1 }, { "a+b", 1 }, { "x_y-z", 1 },
	{ "", 0 }, { ".info", 0 }, { "info.", 0 }, { "a..b", 0 }, { "Info", 0 },
	{ "in fo", 0 }, { "a@b", 0 }, { "<script>", 0 }, { "a\"b", 0 },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
};

static const struct { const char *in; const char *out; } domains[] = {
	{ "monsite.be", "monsite.be" }, { "Exemple.BE", "exemple.be" },
	{ "b\xc3\xbc" "cher.de", "xn--bcher-kva.de" }, { "a-b.example.org", "a-b.example.org" },
	{ "monsite.be.", "monsite.be" },
	{ "localhost", NULL }, { "-a.be", NULL }, { "a-.be", NULL }, { "a..be", NULL },
	{ "a_b.be", NULL }, { "1.2.3.4", NULL }, { "", NULL }, { "<x>.be", NULL },
	{ "a b.be", NULL },
};

/* the server is mail.hoster.net; reserved: the list of the sample config */
static const struct { const char *name; int ok; } reserved[] = {
	{ "monsite.be", 1 }, { "hoster.com", 1 }, { "otherhoster.net", 1 },
	{ "ail.hoster.net", 1 }, { "net.be", 1 }, { "localhost.be", 1 },
	{ "mail.hoster.net", 0 }, { "hoster.net", 0 }, { "x.mail.hoster.net", 0 },
	{ "MAIL.Hoster.NET", 0 }, { "a.localhost", 0 }, { "b.a.localdomain", 0 },
	{ "x.invalid", 0 }, { "printer.local", 0 }, { "4.3.2.1.in-addr.arpa", 0 },
	{ "acme.example", 0 }, { "example.com", 0 }, { "shop.example.com", 0 },
	{ "example.be", 1 }, { "myexample.com", 1 },
};

static const struct { const char *in; const char *why_null; } prefixes[] = {
	{ "monsite", "" }, { "a2anet", "" }, { "exemple", "" }, { "m", NULL },
	{ "Monsite", NULL }, { "1abc", NULL }, { "mon-site", NULL }, { "abc1", NULL },
	{ "abcdefghijklmnopqrstuvwxy", NULL },
};

static const struct { const char *in; uint64_t bytes; int ok; } sizes[] = {
	{ "0", 0, 1 }, { "25000", 25000, 1 }, { "3 GB", 3221225472ULL, 1 },
	{ "500M", 524288000ULL, 1 }, { "24 kB", 24576, 1 }, { "1 tb", 1099511627776ULL, 1 },
	{ "3 parsecs", 0, 0 }, { "-1", 0, 0 }, { "GB", 0, 0 }, { "1 GB x", 0, 0 },
	{ "99999999999999999999999", 0, 0 }, { "2000000000 TB", 0, 0 },
};

int
main(void)
{
	struct pool *p = pool_new(0);
	size_t i;
	char *out;
	uint64_t u;

	test_begin("valid_utf8 accepts well-formed, refuses overlong/surrogates");
	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++)
		test_assert(valid_utf8(utf8[i].in, strlen(utf8[i].in)) == utf8[i].ok);
	test_assert(!valid_utf8("a\0b", 3));
	test_end();

	test_begin("valid_localpart");
	for (i = 0; i < sizeof(localparts) / sizeof(localparts[0]); i++) {
		const char *why = valid_localpart(localparts[i].in);

		if ((why == NULL) != localparts[i].ok)
			fprintf(stderr, "  localpart '%s'\n", localparts[i].in);
		test_assert((why == NULL) == localparts[i].ok);
	}
	test_end();

	test_begin("valid_domain_norm lowercases and makes punycode");
	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		const char *why = valid_domain_norm(p, domains[i].in, &out);

		if (domains[i].out == NULL) {
			if (why == NULL)
				fprintf(stderr, "  domain '%s' accepted\n", domains[i].in);
			test_assert(why != NULL);
		} else {
			test_assert(why == NULL);
			test_assert_str(out, domains[i].out);
		}
	}
	test_end();

	test_begin("valid_domain_reserved: own name, above, below, the list");
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		const char *why = valid_domain_reserved(reserved[i].name,
		    "mail.hoster.net.", "localhost, localdomain local invalid "
		    "arpa .example example.com");

		if ((why == NULL) != reserved[i].ok)
			fprintf(stderr, "  reserved '%s': %s\n", reserved[i].name,
			    why ? why : "allowed");
		test_assert((why == NULL) == reserved[i].ok);
	}
	test_assert(valid_domain_reserved("hoster.net", NULL, NULL) == NULL);
	test_assert(valid_domain_reserved("a.localhost", "localhost", "") != NULL);
	test_assert(valid_domain_reserved("a.be", "", " , ") == NULL);
	test_end();

	test_begin("valid_prefix");
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		test_assert((valid_prefix(prefixes[i].in) == NULL) ==
		    (prefixes[i].why_null != NULL));
	test_end();

	test_begin("valid_email_norm");
	test_assert(valid_email_norm(p, "Info@MonSite.BE", &out) == NULL);
	test_assert_str(out, "info@monsite.be");
	test_assert(valid_email_norm(p, "no-at-sign", &out) != NULL);
	test_assert(valid_email_norm(p, "@monsite.be", &out) != NULL);
	test_assert(valid_email_norm(p, "a@b", &out) != NULL);
	test_assert(valid_email_norm(p, "\"><img src=x>@x.be", &out) != NULL);
	test_end();

	test_begin("valid_uint refuses signs, junk and overflow");
	test_assert(valid_uint("42", 0, 100, &u) == NULL && u == 42);
	test_assert(valid_uint("-1", 0, 100, &u) != NULL);
	test_assert(valid_uint("+1", 0, 100, &u) != NULL);
	test_assert(valid_uint("1e3", 0, 10000, &u) != NULL);
	test_assert(valid_uint("101", 0, 100, &u) != NULL);
	test_assert(valid_uint("0", 1, 100, &u) != NULL);
	test_assert(valid_uint("18446744073709551616", 0, UINT64_MAX, &u) != NULL);
	test_assert(valid_uint("", 0, 1, &u) != NULL);
	test_end();

	test_begin("valid_size units");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const char *why = valid_size(sizes[i].in, &u);

		if ((why == NULL) != sizes[i].ok)
			fprintf(stderr, "  size '%s'\n", sizes[i].in);
		test_assert((why == NULL) == sizes[i].ok);
		if (sizes[i].ok && why == NULL)
			test_assert(u == sizes[i].bytes);
	}
	test_end();

	test_begin("valid_size_format");
	test_assert_str(valid_size_format(p, 0), "0 bytes");
	test_assert_str(valid_size_format(p, 24576), "24 kB");
	test_assert_str(valid_size_format(p, 3221225472ULL), "3 GB");
	test_assert_str(valid_size_format(p, 1536), "1.5 kB");
	test_end();

	test_begin("valid_size_format: the same text as printf's %.0f / %.1f "
	    "of the value in units, on every edge and 20,000 other sizes");
	{
		/* ties: 1.25 kB, 1.75 kB, 2.25 MB, 102.5 kB, 100.5 GB */
		static const uint64_t edge[] = { 1280, 1792, 2359296, 104960,
		    107911053312ULL, 1023, 1024, 1025, 1075, 1076,
		    1126, 1127, 102348, 102349, 102400, 101887, 1048575,
		    1048576, 104805171, 104805172, 1073741823, 1073741824,
		    1099511627776ULL, 1125899906842623ULL,
		    1125899906842624ULL, 112589990684262400ULL };
		static const char *const u[] = { "bytes", "kB", "MB", "GB",
		    "TB" };
		uint64_t b, x = 88172645463325252ULL;
		char want[64];
		double v;
		size_t k;
		int i, bad = 0;

		for (k = 0; k < sizeof(edge) / sizeof(edge[0]) + 20000; k++) {
			if (k < sizeof(edge) / sizeof(edge[0]))
				b = edge[k];
			else {		/* xorshift, sizes from 1 kB to 4 PB */
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				b = 1024 + (x >> (12 + (x & 31)));
			}
			for (v = (double)b, i = 0; v >= 1024 && i < 4; i++)
				v /= 1024;
			if (v == (double)(uint64_t)v || v >= 100)
				snprintf(want, sizeof(want), "%.0f %s", v, u[i]);
			else
				snprintf(want, sizeof(want), "%.1f %s", v, u[i]);
			if (strcmp(valid_size_format(p, b), want) != 0 &&
			    bad++ < 5)
				fprintf(stderr, "  %llu: %s, printf %s\n",
				    (unsigned long long)b,
				    valid_size_format(p, b), want);
		}
		test_assert(bad == 0);
	}
	test_end();

	test_begin("limit_percent_str: two decimals, half up, no total is 0");
	test_assert_str(limit_percent_str(p, 24576, 104857600), "0.02");
	test_assert_str(limit_percent_str(p, 1, 20000), "0.01");
	test_assert_str(limit_percent_str(p, 1, 20001), "0.00");
	test_assert_str(limit_percent_str(p, 1, 3), "33.33");
	test_assert_str(limit_percent_str(p, 2, 3), "66.67");
	test_assert_str(limit_percent_str(p, 7, 7), "100.00");
	test_assert_str(limit_percent_str(p, 15, 10), "150.00");
	test_assert_str(limit_percent_str(p, 0, 10), "0.00");
	test_assert_str(limit_percent_str(p, 10, 0), "0.00");
	test_assert_str(limit_percent_str(p, 10, -1), "0.00");
	test_assert_str(limit_percent_str(p, INT64_MAX, INT64_MAX), "100.00");
	test_assert_str(limit_percent_str(p, INT64_MAX / 2, INT64_MAX),
	    "50.00");
	test_end();

	test_begin("valid_text refuses control characters and long text");
	test_assert(valid_text("Monsite", 10) == NULL);
	test_assert(valid_text("a\nb", 10) != NULL);
	test_assert(valid_multiline("a\nb", 10) == NULL);
	test_assert(valid_text("a\x1b[31m", 10) != NULL);
	test_assert(valid_text("\xc3\xa9\xc3\xa9\xc3\xa9", 3) == NULL);
	test_assert(valid_text("abcd", 3) != NULL);
	test_end();

	test_begin("valid_login");
	test_assert(valid_login("monsite") == NULL);
	test_assert(valid_login("eleni.p") == NULL);
	test_assert(valid_login("") != NULL);
	test_assert(valid_login("Admin") != NULL);
	test_assert(valid_login("a b") != NULL);
	test_assert(valid_login("x'; DROP TABLE") != NULL);
	test_end();

	pool_free(&p);
	return test_done();
}
