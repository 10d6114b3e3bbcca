/*
 * NAME
 *	crypto - randomness, digests and MACs from OpenSSL
 *
 * DESCRIPTION
 *	All return 0 or -1 (the RNG failing is an error, never a weaker token).
 */
#ifndef POSTBUS_CRYPTO_H
#define POSTBUS_CRYPTO_H

#include <stddef.h>

int	 crypto_random(void *buf, size_t n);
/* crypto_token - n random bytes as 2n lowercase hex digits into out */
int	 crypto_token(char *out, size_t n);
void	 crypto_hex(char *out, const void *in, size_t n);
/* crypto_mysql_native - MariaDB's mysql_native_password hash of pw
 * ("*" and 40 hex digits), for CREATE USER ... IDENTIFIED BY PASSWORD */
void	 crypto_mysql_native(char out[42], const char *pw);
/* crypto_hexval - the value of one hex digit, or -1 */
int	 crypto_hexval(char c);
/* crypto_unhex - decode exactly 2n hex digits; 0 or -1 */
int	 crypto_unhex(void *out, size_t n, const char *hex);
void	 crypto_sha256(unsigned char out[32], const void *in, size_t n);
int	 crypto_hmac_sha256(unsigned char out[32], const void *key, size_t klen,
	    const void *msg, size_t mlen);
/* crypto_equal - constant-time comparison of two strings */
int	 crypto_equal(const char *a, const char *b);
/* crypto_password - a random password of n letters and digits */
int	 crypto_password(char *out, size_t n);

#endif
