/*
 * NAME
 *	crypto - randomness, digests and MACs from OpenSSL
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto.h"

/* crypto_random - n bytes from OpenSSL's CSPRNG */
int
crypto_random(void *buf, size_t n)
{
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

/* crypto_hex - n bytes as 2n hex digits and a NUL */
void
crypto_hex(char *out, const void *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = in;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* crypto_hexval - the value of a hex digit, or -1 */
int
crypto_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* crypto_unhex - decode exactly 2n hex digits */
int
crypto_unhex(void *out, size_t n, const char *hex)
{
	unsigned char *o = out;
	size_t i;
	int hi, lo;

	if (hex == NULL || strlen(hex) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if ((hi = crypto_hexval(hex[2 * i])) < 0 ||
		    (lo = crypto_hexval(hex[2 * i + 1])) < 0)
			return -1;
		o[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* crypto_token - n random bytes, hex-encoded */
int
crypto_token(char *out, size_t n)
{
	unsigned char b[64];

	if (n > sizeof(b) || crypto_random(b, n) == -1)
		return -1;
	crypto_hex(out, b, n);
	OPENSSL_cleanse(b, sizeof(b));
	return 0;
}

/* crypto_sha256 - the SHA-256 digest of in (every page hashes its
 * session token: the implementation is fetched from the providers once) */
void
crypto_sha256(unsigned char out[32], const void *in, size_t n)
{
	static EVP_MD *md;
	unsigned int len = 32;

	if (md == NULL)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	EVP_Digest(in, n, out, &len, md != NULL ? md : EVP_sha256(), NULL);
}

/* crypto_mysql_native - MariaDB's mysql_native_password hash of pw:
 * "*" and the upper-case hex of SHA1(SHA1(pw)), 41 characters and a NUL */
void
crypto_mysql_native(char out[42], const char *pw)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char a[20], b[20];
	unsigned int len = 0;
	size_t i;

	EVP_Digest(pw, strlen(pw), a, &len, EVP_sha1(), NULL);
	EVP_Digest(a, sizeof(a), b, &len, EVP_sha1(), NULL);
	out[0] = '*';
	for (i = 0; i < sizeof(b); i++) {
		out[1 + 2 * i] = hex[b[i] >> 4];
		out[2 + 2 * i] = hex[b[i] & 15];
	}
	out[41] = '\0';
	OPENSSL_cleanse(a, sizeof(a));
}

/* The MAC context of the last key, kept keyed: every page signs its CSRF
 * token under the same secret, and fetching HMAC and SHA-256 from the
 * providers again for each costs more than the MAC itself. */
static EVP_MAC_CTX *mac_ctx;
static unsigned char mac_key[128];
static size_t mac_klen;

/* mac_for - a context initialised with key (the kept one if it is the
 * same key), or NULL */
static EVP_MAC_CTX *
mac_for(const void *key, size_t klen)
{
	OSSL_PARAM params[2];
	EVP_MAC *mac;

	if (mac_ctx != NULL && klen == mac_klen &&
	    CRYPTO_memcmp(key, mac_key, klen) == 0)
		return EVP_MAC_init(mac_ctx, NULL, 0, NULL) == 1 ? mac_ctx : NULL;
	EVP_MAC_CTX_free(mac_ctx);
	OPENSSL_cleanse(mac_key, sizeof(mac_key));
	mac_ctx = NULL;
	mac_klen = 0;
	if (klen > sizeof(mac_key) ||
	    (mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	mac_ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	params[0] = OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (mac_ctx == NULL || EVP_MAC_init(mac_ctx, key, klen, params) != 1) {
		EVP_MAC_CTX_free(mac_ctx);
		mac_ctx = NULL;
		return NULL;
	}
	memcpy(mac_key, key, klen);
	mac_klen = klen;
	return mac_ctx;
}

/* crypto_hmac_sha256 - HMAC-SHA256 of msg under key */
int
crypto_hmac_sha256(unsigned char out[32], const void *key, size_t klen,
    const void *msg, size_t mlen)
{
	EVP_MAC_CTX *ctx = mac_for(key, klen);
	unsigned int len = 32;
	size_t outl = 0;

	if (ctx == NULL)	/* a key too long to keep */
		return HMAC(EVP_sha256(), key, (int)klen, msg, mlen, out,
		    &len) ? 0 : -1;
	if (EVP_MAC_update(ctx, msg, mlen) != 1 ||
	    EVP_MAC_final(ctx, out, &outl, 32) != 1 || outl != 32)
		return -1;
	return 0;
}

/* crypto_equal - compare in time independent of where they differ */
int
crypto_equal(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}

/* crypto_password - n random letters and digits, at least one of each */
int
crypto_password(char *out, size_t n)
{
	static const char set[] =
	    "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char b;
	size_t i;
	int letters, digits;

	if (n < 2)
		return -1;
	do {
		letters = digits = 0;
		for (i = 0; i < n; ) {
			if (crypto_random(&b, 1) == -1)
				return -1;
			if (b >= 256 - 256 % (sizeof(set) - 1))
				continue;	/* no modulo bias */
			out[i] = set[b % (sizeof(set) - 1)];
			if (out[i] >= '0' && out[i] <= '9')
				digits++;
			else
				letters++;
			i++;
		}
	} while (letters == 0 || digits == 0);
	out[n] = '\0';
	return 0;
}
