/*
 * NAME
 *	valid - syntax of everything a user can type
 *
 * DESCRIPTION
 *	Domain names are stored in ASCII: an internationalised name is turned
 *	into punycode with libidn2 (IDNA 2008, with TR46 mapping so that
 *	"Exemple.BE" and "bücher.de" both work).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "pool.h"
#include "postbus.h"
#include "valid.h"

/* valid_utf8 - whether s is well-formed UTF-8 (no overlongs, no surrogates) */
int
valid_utf8(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t len, k;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
		} else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* u8len - number of code points in well-formed UTF-8 */
static size_t
u8len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* text - shared body of valid_text and valid_multiline */
static const char *
text(const char *s, size_t max, int multiline)
{
	const unsigned char *p;

	if (s == NULL)
		return NULL;
	if (!valid_utf8(s, strlen(s)))
		return _("This text is not valid UTF-8.");
	if (u8len(s) > max)
		return _("This text is too long.");
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == 0x7f || (*p < 0x20 && !(multiline &&
		    (*p == '\n' || *p == '\r' || *p == '\t'))))
			return _("This text contains control characters.");
	}
	return NULL;
}

/* valid_text - one line of printable text */
const char *
valid_text(const char *s, size_t max)
{
	return text(s, max, 0);
}

/* valid_multiline - printable text with line breaks */
const char *
valid_multiline(const char *s, size_t max)
{
	return text(s, max, 1);
}

/* valid_login - a panel login: lowercase letters, digits, . _ - */
const char *
valid_login(const char *s)
{
	size_t n, i;

	if (s == NULL || *s == '\0')
		return _("Please enter a login name.");
	n = strlen(s);
	if (n == 0)
		return _("Please enter a login name.");
	if (n > 64)
		return _("A login name has at most 64 characters.");
	if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))
		return _("A login name starts with a lowercase letter or a digit.");
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i])
		    && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return _("A login name has only lowercase letters, digits, dots, dashes and underscores.");
	return NULL;
}

/* valid_prefix - a domain prefix: a lowercase letter, then letters/digits */
const char *
valid_prefix(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;

	if (n < 2 || n > 24)
		return _("A prefix has 2 to 24 characters.");
	if (!islower((unsigned char)s[0]))
		return _("A prefix starts with a lowercase letter.");
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
			return _("A prefix has only lowercase letters and digits.");
	if (isdigit((unsigned char)s[n - 1]))
		return _("A prefix ends with a letter, so that the mailbox numbers stay apart.");
	return NULL;
}

/* valid_localpart - the part before @, lowercase dot-atom */
const char *
valid_localpart(const char *s)
{
	static const char special[] = "!#$%&'*+/=?^_`{|}~-";
	size_t n = s ? strlen(s) : 0, i;

	if (n == 0)
		return _("Please enter the part before the @.");
	if (n > 64)
		return _("The part before the @ has at most 64 characters.");
	if (s[0] == '.' || s[n - 1] == '.' || strstr(s, "..") != NULL)
		return _("Dots may not begin or end the name, or follow each other.");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isupper(c))
			return _("Use lowercase letters only.");
		if (!islower(c) && !isdigit(c) && c != '.' &&
		    strchr(special, c) == NULL)
			return _("Only letters, digits and . _ - + are allowed before the @.");
	}
	return NULL;
}

/* valid_domain_norm - a domain name, lowercased and in punycode */
const char *
valid_domain_norm(struct pool *p, const char *in, char **out_r)
{
	char *ascii = NULL, *d;
	const char *label;
	size_t n, i, llen;
	int rc;

	*out_r = NULL;
	if (in == NULL || *in == '\0')
		return _("Please enter a domain name.");
	if (strlen(in) > 253 || !valid_utf8(in, strlen(in)))
		return _("This is not a valid domain name.");
	rc = idn2_to_ascii_8z(in, &ascii,
	    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc != IDN2_OK) {
		rc = idn2_to_ascii_8z(in, &ascii, IDN2_TRANSITIONAL);
		if (rc != IDN2_OK)
			return _("This is not a valid domain name.");
	}
	d = pool_strdup(p, ascii);
	idn2_free(ascii);
	n = strlen(d);
	if (n > 0 && d[n - 1] == '.')
		d[--n] = '\0';
	if (n == 0 || n > 253 || strchr(d, '.') == NULL)
		return _("A domain name has at least two parts, like monsite.be.");
	label = d;
	llen = 0;
	for (i = 0; i <= n; i++) {
		char c = d[i];

		if (c == '.' || c == '\0') {
			if (llen == 0 || llen > 63 || label[0] == '-' ||
			    label[llen - 1] == '-')
				return _("This is not a valid domain name.");
			label = d + i + 1;
			llen = 0;
			continue;
		}
		c = (char)tolower((unsigned char)c);
		d[i] = c;
		if (!islower((unsigned char)c) && !isdigit((unsigned char)c) &&
		    c != '-')
			return _("This is not a valid domain name.");
		llen++;
	}
	/* the top-level label is never all digits */
	for (i = n; i > 0 && d[i - 1] != '.'; i--)
		;
	if (strspn(d + i, "0123456789") == strlen(d + i))
		return _("This is not a valid domain name.");
	*out_r = d;
	return NULL;
}

/* below - whether a[0..an) is b[0..bn) or a name below it, ignoring case */
static int
below(const char *a, size_t an, const char *b, size_t bn)
{
	if (bn == 0 || an < bn || strncasecmp(a + an - bn, b, bn) != 0)
		return 0;
	return an == bn || a[an - bn - 1] == '.';
}

/* valid_domain_reserved - whether a normalised domain name may be hosted:
 * not the server's own name, a name above it or below it, nor one of the
 * reserved names (separated by spaces or commas) or a name below one */
const char *
valid_domain_reserved(const char *name, const char *hostname,
    const char *reserved)
{
	const char *s, *e;
	size_t n = strlen(name), hn;

	if (hostname != NULL) {
		hn = strlen(hostname);
		if (hn > 0 && hostname[hn - 1] == '.')
			hn--;
		if (below(name, n, hostname, hn) || below(hostname, hn, name, n))
			return _("This is the mail server's own name: it cannot be a virtual server.");
	}
	for (s = reserved ? reserved : ""; *s != '\0'; s = e) {
		s += strspn(s, " ,\t");
		e = s + strcspn(s, " ,\t");
		if (e > s && *s == '.')
			s++;
		if (e > s && below(name, n, s, (size_t)(e - s)))
			return _("This name is reserved: it cannot be a virtual server.");
	}
	return NULL;
}

/* valid_email_norm - local@domain, lowercased, domain in punycode */
const char *
valid_email_norm(struct pool *p, const char *in, char **out_r)
{
	const char *at, *why;
	char *local, *dom;
	size_t i;

	*out_r = NULL;
	if (in == NULL || *in == '\0')
		return _("Please enter an email address.");
	if (strlen(in) > 254 || (at = strrchr(in, '@')) == NULL || at == in)
		return _("This is not a valid email address.");
	local = pool_strndup(p, in, (size_t)(at - in));
	for (i = 0; local[i] != '\0'; i++)
		local[i] = (char)tolower((unsigned char)local[i]);
	if (valid_localpart(local) != NULL)
		return _("This is not a valid email address.");
	if ((why = valid_domain_norm(p, at + 1, &dom)) != NULL)
		return _("This is not a valid email address.");
	*out_r = pool_printf(p, "%s@%s", local, dom);
	if (strlen(*out_r) > 254)
		return _("This is not a valid email address.");
	return NULL;
}

/* valid_uint - a decimal number in [min, max], no sign, no junk */
const char *
valid_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out_r)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s == '\0')
		return _("Please enter a number.");
	if (!isdigit((unsigned char)*s) || strlen(s) > 20)
		return _("This is not a whole number.");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return _("This is not a whole number.");
	if (v < min)
		return _("This number is too small.");
	if (v > max)
		return _("This number is too large.");
	*out_r = v;
	return NULL;
}

/* valid_size - a size with an optional unit, in bytes */
const char *
valid_size(const char *s, uint64_t *out_r)
{
	static const struct { const char *u; uint64_t mult; } units[] = {
		{ "", 1 }, { "b", 1 }, { "bytes", 1 },
		{ "k", 1024ULL }, { "kb", 1024ULL }, { "kib", 1024ULL },
		{ "m", 1048576ULL }, { "mb", 1048576ULL }, { "mib", 1048576ULL },
		{ "g", 1073741824ULL }, { "gb", 1073741824ULL },
		{ "gib", 1073741824ULL },
		{ "t", 1099511627776ULL }, { "tb", 1099511627776ULL },
		{ "tib", 1099511627776ULL },
	};
	char num[32], unit[8];
	size_t i = 0, j = 0;
	uint64_t v;
	const char *why;

	if (s == NULL)
		return _("Please enter a size.");
	while (isspace((unsigned char)*s))
		s++;
	while (isdigit((unsigned char)s[i]) && i < sizeof(num) - 1) {
		num[i] = s[i];
		i++;
	}
	num[i] = '\0';
	if (i == 0)
		return _("Please enter a size such as 500 MB or 3 GB.");
	s += i;
	while (isspace((unsigned char)*s))
		s++;
	while (*s != '\0' && !isspace((unsigned char)*s) && j < sizeof(unit) - 1)
		unit[j++] = (char)tolower((unsigned char)*s++);
	unit[j] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0')
		return _("Please enter a size such as 500 MB or 3 GB.");
	if ((why = valid_uint(num, 0, UINT64_MAX, &v)) != NULL)
		return why;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(unit, units[i].u) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return _("Unknown unit: use kB, MB, GB or TB.");
	if (v > (UINT64_C(1) << 60) / units[i].mult)
		return _("This size is too large.");
	*out_r = v * units[i].mult;
	return NULL;
}

/* rounded - n / d to the nearest whole, a tie to the even one: what
 * printf's "%.Nf" does with a value that is exact in binary */
static uint64_t
rounded(uint64_t n, uint64_t d)
{
	uint64_t q = n / d, r = n % d;

	if (r > d - r || (r == d - r && (q & 1)))
		q++;
	return q;
}

/* valid_size_format - bytes as a short human size: whole units, or one
 * decimal below 100 of them.  In integers (every list row has two; printf
 * of a double cost more than the rest of the row), the same text as
 * "%.0f"/"%.1f" of bytes / 1024^n, which is exact in binary. */
char *
valid_size_format(struct pool *p, uint64_t b)
{
	static const char *const u[] = { "bytes", "kB", "MB", "GB", "TB" };
	uint64_t d = 1, t;
	int i = 0;

	if (b < 1024)
		return pool_printf(p, "%llu bytes", (unsigned long long)b);
	while (b / d >= 1024 && i < 4) {
		d *= 1024;
		i++;
	}
	if (b % d == 0 || b / d >= 100)
		return pool_printf(p, "%llu %s",
		    (unsigned long long)rounded(b, d), u[i]);
	t = rounded(b * 10, d);		/* tenths; b < 100 d: no overflow */
	return pool_printf(p, "%llu.%llu %s", (unsigned long long)(t / 10),
	    (unsigned long long)(t % 10), u[i]);
}
