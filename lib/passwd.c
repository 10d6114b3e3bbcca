/*
 * NAME
 *	passwd - password hashing, checking and policy
 *
 * DESCRIPTION
 *	crypt_r() works on a struct crypt_data of about 32 kB; it is static,
 *	which is fine because a process handles one request at a time.
 *	The dummy hash makes a check for an unknown user cost as much as one
 *	for a known user.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <crypt.h>
#include <pwquality.h>

#include "passwd.h"
#include "pool.h"
#include "postbus.h"
#include "crypto.h"

static struct crypt_data cd;

/* passwd_hash - a new yescrypt hash */
char *
passwd_hash(struct pool *p, const char *pw)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *h;
	char *out;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL)
		return NULL;
	memset(&cd, 0, sizeof(cd));
	h = crypt_r(pw, salt, &cd);
	if (h == NULL || h[0] == '*')
		return NULL;
	out = pool_strdup(p, h);
	explicit_bzero(&cd, sizeof(cd));
	return out;
}

/* passwd_verify - whether pw matches the stored crypt(3) hash */
int
passwd_verify(const char *pw, const char *hash)
{
	const char *h;
	int ok;

	if (pw == NULL || hash == NULL || hash[0] != '$')
		return 0;
	memset(&cd, 0, sizeof(cd));
	h = crypt_r(pw, hash, &cd);
	ok = h != NULL && h[0] != '*' && crypto_equal(h, hash);
	explicit_bzero(&cd, sizeof(cd));
	return ok;
}

/* contains_ci - whether hay contains needle, ignoring case */
static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return 0;
	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n; i++)
			if (hay[i] == '\0' || tolower((unsigned char)hay[i]) !=
			    tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return 1;
	}
	return 0;
}

/* passwd_policy - the seeds' strong-password rules */
const char *
passwd_policy(const char *pw, const char *user, const char *addr)
{
	pwquality_settings_t *pq;
	void *aux = NULL;
	const char *p;
	int letters = 0, digits = 0, rc;
	char local[256];

	if (pw == NULL || strlen(pw) < 8)
		return _("The password must be at least 8 characters long.");
	if (strlen(pw) > 128)
		return _("The password must be at most 128 characters long.");
	for (p = pw; *p != '\0'; p++) {
		if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
			letters++;
		else if (isdigit((unsigned char)*p))
			digits++;
	}
	if (letters == 0 || digits == 0)
		return _("The password must contain both letters and digits.");
	if (user != NULL && *user != '\0' && contains_ci(pw, user))
		return _("The password must not contain the user name.");
	if (addr != NULL && *addr != '\0') {
		size_t n = strcspn(addr, "@");

		if (n < sizeof(local)) {
			memcpy(local, addr, n);
			local[n] = '\0';
			if (n >= 3 && contains_ci(pw, local))
				return _("The password must not contain the email address.");
		}
	}
	if ((pq = pwquality_default_settings()) == NULL)
		return _("The password could not be checked.");
	pwquality_set_int_value(pq, PWQ_SETTING_MIN_LENGTH, 8);
	pwquality_set_int_value(pq, PWQ_SETTING_DICT_CHECK, 1);
	pwquality_set_int_value(pq, PWQ_SETTING_USER_CHECK, 1);
	pwquality_set_int_value(pq, PWQ_SETTING_MIN_CLASS, 0);
	pwquality_set_int_value(pq, PWQ_SETTING_DIFF_OK, 0);
	pwquality_set_int_value(pq, PWQ_SETTING_MAX_REPEAT, 0);
	pwquality_set_int_value(pq, PWQ_SETTING_MAX_SEQUENCE, 0);
	pwquality_set_int_value(pq, PWQ_SETTING_MAX_CLASS_REPEAT, 0);
	pwquality_set_int_value(pq, PWQ_SETTING_GECOS_CHECK, 0);
	rc = pwquality_check(pq, pw, NULL, user, &aux);
	pwquality_free_settings(pq);
	if (rc >= 0)
		return NULL;
	switch (rc) {
	case PWQ_ERROR_CRACKLIB_CHECK:
		return _("The password is based on a dictionary word.");
	case PWQ_ERROR_USER_CHECK:
		return _("The password must not contain the user name.");
	case PWQ_ERROR_PALINDROME:
		return _("The password is a palindrome.");
	case PWQ_ERROR_MIN_LENGTH:
		return _("The password must be at least 8 characters long.");
	case PWQ_ERROR_MIN_DIGITS:
	case PWQ_ERROR_MIN_LOWERS:
	case PWQ_ERROR_MIN_UPPERS:
	case PWQ_ERROR_MIN_CLASSES:
		return _("The password must contain both letters and digits.");
	default:
		return _("The password is too simple.");
	}
}

/* passwd_wipe - clear a password in memory */
void
passwd_wipe(char *pw)
{
	if (pw != NULL)
		explicit_bzero(pw, strlen(pw));
}
