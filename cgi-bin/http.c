/*
 * NAME
 *	http - requests and responses of the web edge
 */
#include <string.h>

#include "crypto.h"
#include "http.h"
#include "valid.h"

/* decode - percent- and plus-decode s[0..n) into the pool */
static char *
decode(struct pool *p, const char *s, size_t n, size_t *len_r)
{
	char *d = pool_alloc(p, n + 1);
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			d[o++] = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= n || (hi = crypto_hexval(s[i + 1])) < 0 ||
			    (lo = crypto_hexval(s[i + 2])) < 0)
				return NULL;
			d[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			d[o++] = s[i];
	}
	d[o] = '\0';
	*len_r = o;
	return d;
}

/* http_parse_urlencoded - parse a=1&b=2 (query string or form body) */
int
http_parse_urlencoded(struct pool *p, const char *s, size_t len,
    struct kvlist *out, const char **why_r)
{
	size_t i, start, cap = 16, klen, vlen;
	const char *eq, *amp, *end = s + len;
	char *k, *v;

	out->n = 0;
	out->v = pool_alloc(p, cap * sizeof(*out->v));
	if (s == NULL || len == 0)
		return 0;
	if (len > HTTP_MAX_BODY) {
		*why_r = N_("The request is too large.");
		return -1;
	}
	for (i = 0; s + i < end; i = start) {
		amp = memchr(s + i, '&', (size_t)(end - (s + i)));
		if (amp == NULL)
			amp = end;
		start = (size_t)(amp - s) + 1;
		if (amp == s + i)
			continue;	/* empty pair: a&&b */
		eq = memchr(s + i, '=', (size_t)(amp - (s + i)));
		if (eq == NULL)
			eq = amp;
		if ((k = decode(p, s + i, (size_t)(eq - (s + i)), &klen)) == NULL ||
		    (v = decode(p, eq < amp ? eq + 1 : amp,
		    eq < amp ? (size_t)(amp - eq - 1) : 0, &vlen)) == NULL) {
			*why_r = N_("The request has a malformed %-escape.");
			return -1;
		}
		if (klen == 0 || klen > HTTP_MAX_NAME) {
			*why_r = N_("The request has a parameter with an invalid name.");
			return -1;
		}
		if (!valid_utf8(k, klen) || !valid_utf8(v, vlen)) {
			*why_r = N_("The request contains text that is not valid UTF-8.");
			return -1;
		}
		if (out->n == HTTP_MAX_PARAMS) {
			*why_r = N_("The request has too many parameters.");
			return -1;
		}
		if (out->n == cap) {
			struct kv *nv = pool_alloc(p, 2 * cap * sizeof(*nv));

			memcpy(nv, out->v, cap * sizeof(*nv));
			out->v = nv;
			cap *= 2;
		}
		out->v[out->n].key = k;
		out->v[out->n].val = v;
		out->n++;
		if (amp == end)
			break;
	}
	return 0;
}

/* http_parse_cookies - parse "__Host-a=1; __Host-b=2" into a and b;
 * malformed pairs and cookies without the prefix are skipped */
int
http_parse_cookies(struct pool *p, const char *s, struct kvlist *out)
{
	size_t cap = 8, plen;
	const char *semi, *eq, *k, *ke, *v, *ve;

	out->n = 0;
	out->v = pool_alloc(p, cap * sizeof(*out->v));
	if (s == NULL)
		return 0;
	while (*s != '\0' && out->n < 64) {
		semi = strchr(s, ';');
		if (semi == NULL)
			semi = s + strlen(s);
		eq = memchr(s, '=', (size_t)(semi - s));
		if (eq != NULL) {
			for (k = s; k < eq && *k == ' '; k++)
				;
			for (ke = eq; ke > k && ke[-1] == ' '; ke--)
				;
			for (v = eq + 1; v < semi && *v == ' '; v++)
				;
			for (ve = semi; ve > v && ve[-1] == ' '; ve--)
				;
			if (ve - v >= 2 && *v == '"' && ve[-1] == '"')
				v++, ve--;
			plen = strlen(HTTP_COOKIE_PREFIX);
			if ((size_t)(ke - k) > plen &&
			    strncmp(k, HTTP_COOKIE_PREFIX, plen) == 0) {
				k += plen;
				if (out->n == cap) {
					struct kv *nv = pool_alloc(p,
					    2 * cap * sizeof(*nv));

					memcpy(nv, out->v, cap * sizeof(*nv));
					out->v = nv;
					cap *= 2;
				}
				out->v[out->n].key = pool_strndup(p, k,
				    (size_t)(ke - k));
				out->v[out->n].val = pool_strndup(p, v,
				    (size_t)(ve - v));
				out->n++;
			}
		}
		s = *semi ? semi + 1 : semi;
	}
	return 0;
}

/* kv_get - the first value of key, or NULL */
const char *
kv_get(const struct kvlist *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].val;
	return NULL;
}

/* kv_all - every value of key */
const char **
kv_all(struct pool *p, const struct kvlist *l, const char *key, size_t *n_r)
{
	const char **v = pool_alloc(p, (l->n + 1) * sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			v[n++] = l->v[i].val;
	v[n] = NULL;
	*n_r = n;
	return v;
}

/* http_urlencode - escape everything but unreserved characters */
char *
http_urlencode(struct pool *p, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b;

	buf_init(&b, p, strlen(s) * 3 + 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~')
			buf_putc(&b, (char)c);
		else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[c >> 4]);
			buf_putc(&b, hex[c & 15]);
		}
	}
	return b.data;
}

/* http_status_text - the reason phrase */
const char *
http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}
