/*
 * NAME
 *	valid - syntax of everything a user can type
 *
 * DESCRIPTION
 *	Each validator returns NULL when the value is acceptable, or the
 *	translated reason it is not.  The _norm variants also produce the
 *	canonical form (lowercase, punycode) in the pool.  Business rules
 *	(uniqueness, limits) are not here: they live in the module that owns
 *	the object.
 */
#ifndef POSTBUS_VALID_H
#define POSTBUS_VALID_H

#include <stddef.h>
#include <stdint.h>

struct pool;

/* valid_utf8 - 1 if s[0..n) is well-formed UTF-8 without NUL */
int	 valid_utf8(const char *s, size_t n);
/* valid_text - printable single-line text of at most max characters */
const char *valid_text(const char *s, size_t max);
/* valid_multiline - like valid_text but newlines and tabs allowed */
const char *valid_multiline(const char *s, size_t max);
const char *valid_login(const char *s);
const char *valid_prefix(const char *s);
const char *valid_localpart(const char *s);
const char *valid_domain_norm(struct pool *p, const char *in, char **out_r);
/* valid_domain_reserved - NULL if the normalised name may be hosted: not
 * hostname, above or below it, nor a name of the reserved list (spaces or
 * commas between) or below one */
const char *valid_domain_reserved(const char *name, const char *hostname,
	    const char *reserved);
const char *valid_email_norm(struct pool *p, const char *in, char **out_r);
/* valid_uint - a decimal number in [min, max] */
const char *valid_uint(const char *s, uint64_t min, uint64_t max,
	    uint64_t *out_r);
/* valid_size - "3 GB", "500M", "25000 kB", "0"; bytes into out_r */
const char *valid_size(const char *s, uint64_t *out_r);
/* valid_size_format - bytes as "3 GB", "24 kB" (1024-based, as Virtualmin) */
char	*valid_size_format(struct pool *p, uint64_t bytes);

#endif
