/*
 * NAME
 *	user - panel logins: staff and domain owners
 *
 * DESCRIPTION
 *	Only a superuser manages staff (superuser, reseller, support); a
 *	reseller may create owner logins (through domain creation).  The last
 *	active superuser cannot be deleted.  auth_login() checks a password with
 *	throttling: after cfg->throttle_slow failures for one login or one
 *	client address, each further attempt must wait longer (2, 4, 8 ... s,
 *	at most 60); after cfg->throttle_lock failures of one login from one
 *	address, that pair is locked for cfg->throttle_lock_secs.  Attempts refused by the throttle
 *	do not check the password at all.  Only the pair of login and
 *	address is ever locked; a login or an address alone is slowed down,
 *	and the login-wide slow-down spares a client (login and address) that
 *	logged in with the right password in the last 90 days, so failures
 *	from rotating addresses cannot keep the owner out.  A name that is not
 *	a valid login is refused before any lookup; logins compare as bytes.
 *	Throttle rows older than the window are deleted.
 */
#ifndef POSTBUS_USER_H
#define POSTBUS_USER_H

#include <stddef.h>
#include <stdint.h>

#include "postbus.h"

struct config;
struct dbres;

struct panel_user {
	int64_t		 id;
	const char	*login;
	enum role	 role;
	int		 active;
	int64_t		 max_domains;	/* -1 = unlimited */
	const char	*created_by;
	const char	*created_at;
	const char	*last_login;	/* "" if never */
};

/* auth_login - check a login; *user_r on success */
int	auth_login(struct ctx *c, const struct config *cfg, const char *login,
	    const char *password, struct panel_user **user_r, struct err *err);

/* user_get, user_by_login - 1 found, 0 not found (err: ERR_NOTFOUND),
 * -1 error */
int	user_get(struct ctx *c, int64_t id, struct panel_user **u_r,
	    struct err *err);
int	user_by_login(struct ctx *c, const char *login, struct panel_user **u_r,
	    struct err *err);
/* user_check - every check of a new login that needs no lock (role the
 * actor may create, syntax, password policy), each refusal on its field
 * ("role", "login", "password") */
int	user_check(struct ctx *c, const char *login, const char *password,
	    enum role role, struct err *err);
/* user_prepare - check a new login (role the actor may create, syntax,
 * password policy) and hash its password: before the transaction */
int	user_prepare(struct ctx *c, const char *login, const char *password,
	    enum role role, char **hash_r, struct err *err);
/* user_add_tx - insert a login that user_prepare checked, with its audit
 * entry (tx.h) */
int	user_add_tx(struct ctx *c, const char *login, const char *hash,
	    enum role role, int64_t max_domains, int64_t *id_r, struct err *err);
int	user_set_password(struct ctx *c, int64_t id, const char *password,
	    struct err *err);
int	user_delete(struct ctx *c, int64_t id, struct err *err);
/* user_list - all panel users (superuser only), n per page */
int	user_list(struct ctx *c, unsigned int limit, unsigned int offset,
	    struct panel_user **users_r, size_t *n_r, struct err *err);
/* user_give_domain_tx - let an owner (or reseller) manage a domain */
int	user_give_domain_tx(struct ctx *c, int64_t user_id, int64_t domain_id,
	    struct err *err);

/* user_create - a login, its password typed twice, given the n domains
 * of domains (ids), in one transaction */
int	user_create(struct ctx *c, const char *login, const char *password,
	    const char *password2, enum role role, int64_t max_domains,
	    const int64_t *domains, size_t ndomains, int64_t *id_r,
	    struct err *err);
/* user_set_max_domains - a reseller's allowance, -1 unlimited */
int	user_set_max_domains(struct ctx *c, int64_t id, int64_t max_domains,
	    struct err *err);

/* what an edit of a login changes */
struct user_change {
	const char	*password;	/* NULL or "": unchanged */
	const char	*password2;	/* NULL: not typed twice (the CLI) */
	int		 set_max;	/* change the allowance (superuser) */
	int64_t		 max_domains;	/* -1 unlimited */
};
/* user_update - password and allowance, every field checked, then one
 * transaction ("password", "password2", "max_domains") */
int	user_update(struct ctx *c, int64_t id, const struct user_change *in,
	    struct err *err);

#endif
