/*
 * NAME
 *	passwd - password hashing, checking and policy
 *
 * DESCRIPTION
 *	Hashes are crypt(3) strings from libxcrypt: yescrypt ("$y$") for new
 *	passwords; "$6$" (SHA512-CRYPT) is accepted when verifying.  Dovecot
 *	verifies the same strings itself (default_pass_scheme = CRYPT).
 *	passwd_policy() applies the seeds' rules through libpwquality (which
 *	wraps cracklib): 8+ characters, letters and digits, not the user name
 *	or address, not a dictionary word.
 */
#ifndef POSTBUS_PASSWD_H
#define POSTBUS_PASSWD_H

struct pool;

/* passwd_hash - a new yescrypt hash of pw in the pool, or NULL */
char	*passwd_hash(struct pool *p, const char *pw);
/* passwd_verify - 1 if pw matches hash, 0 if not (also for bad hashes) */
int	 passwd_verify(const char *pw, const char *hash);
/* passwd_policy - NULL if acceptable, else the translated reason */
const char *passwd_policy(const char *pw, const char *user, const char *addr);
/* passwd_wipe - clear a password buffer */
void	 passwd_wipe(char *pw);

#endif
