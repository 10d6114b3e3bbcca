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
 *
 *	Bad input is reported whole: a function that takes a form's worth of
 *	fields checks every one of them and adds one entry per failed field
 *	(err_field(), or err_set() with a field) to err's bounded list before
 *	it returns, and writes nothing when any failed.  field and msg stay
 *	the first of them, for callers that show one.  The edge may put its
 *	own refusals (a size it could not parse) into err before the call: a
 *	function that writes refuses when err already holds field errors, so
 *	one request reports the edge's errors and lib/'s together.
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

#define ERR_FIELDS_MAX	16	/* field errors kept; more are dropped */

struct err_entry {
	const char	*field;		/* form field */
	const char	*msg;		/* translated text for the user */
};

struct err {
	enum err_kind	 kind;
	const char	*field;		/* form field to mark, or NULL; the
					 * first of fields[] */
	const char	*msg;		/* translated text for the user */
	size_t		 nfields;	/* field errors, in the order found */
	struct err_entry fields[ERR_FIELDS_MAX];
};

/* err_set - fill err and return -1; with a field and ERR_INVALID or
 * ERR_LIMIT, add it to the field errors (err_field) */
int	 err_set(struct err *err, enum err_kind kind, const char *field,
	    const char *msg);
/* err_field - add a refusal of one field (ERR_INVALID) to err's list;
 * the first refusal of a field is kept; returns -1 */
int	 err_field(struct err *err, const char *field, const char *msg);
/* err_fields - how many field errors err holds */
size_t	 err_fields(const struct err *err);
/* err_field_msg - the message err holds for field, or NULL */
const char *err_field_msg(const struct err *err, const char *field);
/* err_is_input - whether err is a refusal of the input (ERR_INVALID,
 * ERR_LIMIT), after which the other fields are still checked, rather
 * than a failure that stops the request */
int	 err_is_input(const struct err *err);
/* err_merge - add src's field errors to dst (src's kind and text when it
 * has none) */
void	 err_merge(struct err *dst, const struct err *src);
/* err_rename - report errors of field from under the name to (a helper's
 * "login" is the domain form's "owner_login") */
void	 err_rename(struct err *err, const char *from, const char *to);
/* err_db - fill err for a database failure and return -1 */
int	 err_db(struct err *err);
/* err_internal - log what is inconsistent at panic level, fill err with
 * a generic text (ERR_INTERNAL) and return -1 */
int	 err_internal(struct err *err, const char *what);

const char	*role_name(enum role r);		/* "superuser" ... */
const char	*role_label(enum role r);		/* translated */
enum role	 role_parse(const char *s);	/* ROLE_NONE if unknown */

#endif
