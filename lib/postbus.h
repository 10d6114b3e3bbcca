/*
 * NAME
 *	postbus - types shared by every lib/ module
 *
 * DESCRIPTION
 *	struct ctx is what the edge (a FastCGI worker or postbusctl) hands to
 *	lib/ for one job: the pool that everything comes from, the database
 *	connection, and the actor on whose behalf lib/ authorises and audits.
 *	A lib/ call that fails returns -1 and fills struct err: the kind says
 *	which HTTP status or exit code fits, field names the form field to mark
 *	(or NULL), msg is already translated.
 */
#ifndef POSTBUS_H
#define POSTBUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s)	gettext(s)
#define P_(s, p, n)	ngettext(s, p, n)
#else
#define _(s)	(s)
#define P_(s, p, n)	((n) == 1 ? (s) : (p))
#endif
#define N_(s)	(s)

struct pool;
struct db;

enum role {
	ROLE_NONE,		/* not logged in */
	ROLE_OWNER,		/* domain owner */
	ROLE_SUPPORT,
	ROLE_RESELLER,
	ROLE_SUPERUSER,
	ROLE__MAX
};

struct actor {
	int64_t		 id;		/* panel_users.id, 0 for the CLI's root */
	const char	*login;
	enum role	 role;
	const char	*client;	/* address, or "cli" */
};

struct ctx {
	struct pool	*pool;
	struct db	*db;
	struct actor	*actor;
	/* authz.c's memo: whether the actor reaches domain reach_domain
	 * (0: none); zero it with the rest of the struct */
	int64_t		 reach_domain;
	int		 reach;
};

enum err_kind {
	ERR_NONE,
	ERR_INVALID,		/* bad input: the form again, 422 */
	ERR_LIMIT,		/* a plan or allowance limit: 422 */
	ERR_FORBIDDEN,		/* 403 */
	ERR_NOTFOUND,		/* 404 */
	ERR_THROTTLED,		/* 429 */
	ERR_DB,			/* database trouble: 503 */
	ERR_INTERNAL,		/* an internal inconsistency (logged at panic
				 * level): 500 */
	ERR_TEMP,		/* a temporary failure of another service
				 * (SMTP): 503, its own exit code */
	ERR__MAX
};

struct err {
	enum err_kind	 kind;
	const char	*field;		/* form field to mark, or NULL */
	const char	*msg;		/* translated text for the user */
};

/* err_set - fill err and return -1 */
int	 err_set(struct err *err, enum err_kind kind, const char *field,
	    const char *msg);
/* err_db - fill err for a database failure and return -1 */
int	 err_db(struct err *err);
/* err_internal - log what is inconsistent at panic level, fill err with
 * a generic text (ERR_INTERNAL) and return -1 */
int	 err_internal(struct err *err, const char *what);

const char	*role_name(enum role r);		/* "superuser" ... */
const char	*role_label(enum role r);		/* translated */
enum role	 role_parse(const char *s);	/* ROLE_NONE if unknown */

#endif
