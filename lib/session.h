/*
 * NAME
 *	session - panel logins that live in MariaDB
 *
 * DESCRIPTION
 *	A session is a 256-bit random token (64 hex digits) in a cookie; the
 *	database keeps only its SHA-256, so a leaked table opens no session.
 *	Sessions end after cfg->session_idle seconds without a request, after
 *	cfg->session_max seconds in all, or at logout, on every panel host at
 *	once because they live in the shared database.
 *
 *	CSRF tokens are HMAC-SHA256(secret, "csrf\0" token): nothing to store,
 *	and any panel host with the same secret can check them.  Before login
 *	the same is done with a pre-session cookie.
 */
#ifndef POSTBUS_SESSION_H
#define POSTBUS_SESSION_H

#include <stdint.h>

#include "postbus.h"

struct config;

#define SESSION_TOKEN_LEN	64	/* hex digits */

struct dbrow;

struct session {
	char		 token[SESSION_TOKEN_LEN + 1];
	struct actor	 actor;
	int64_t		 domain_id;	/* selected domain, 0 if none */
	uint64_t	 names_version;	/* schema/050's, 0 if unknown */
	/* session_load_domain: the page's domain's row, read with the
	 * session, for domain_brief() to take (NULL once taken) */
	int64_t		 page_domain_id;
	const struct dbrow *page_domain;
};

/* session_create - a new session for user_id; the token into token_r */
int	session_create(struct ctx *c, int64_t user_id,
	    char token_r[SESSION_TOKEN_LEN + 1]);
/* session_load - 1 and *s_r if token names a live session, 0 if not, -1 */
int	session_load(struct ctx *c, const struct config *cfg,
	    const char *token, struct session **s_r);
/* session_load_domain - the same, and in the same statement the domain a
 * page works on: domain_id, or the session's selected one if 0 */
int	session_load_domain(struct ctx *c, const struct config *cfg,
	    const char *token, int64_t domain_id, struct session **s_r);
int	session_destroy(struct ctx *c, const char *token);
/* session_expire - delete every expired session (run at each login) */
int	session_expire(struct ctx *c, const struct config *cfg);
int	session_select_domain(struct ctx *c, const char *token,
	    int64_t domain_id);
/* session_csrf - the CSRF token (64 hex digits) that goes with token */
void	session_csrf(const struct config *cfg, const char *token,
	    char out[SESSION_TOKEN_LEN + 1]);
/* session_csrf_ok - whether form_token is the CSRF token of token */
int	session_csrf_ok(const struct config *cfg, const char *token,
	    const char *form_token);
/* session_token_ok - whether s looks like a token (64 hex digits) */
int	session_token_ok(const char *s);

#endif
