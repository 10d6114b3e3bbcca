/*
 * NAME
 *	domain_check - the fields of a virtual server form, checked at once
 *
 * SYNOPSIS
 *	struct domain_prep p;
 *	if (domain_check_new(ctx, cfg, &in, &p, err) == -1)
 *		every refused field is in err;
 *
 * DESCRIPTION
 *	What domain.c writes is checked here first, with no lock held: the
 *	name (syntax, punycode, reserved names, below a domain the actor does
 *	not manage, already hosted), the prefix (syntax, or suggested from
 *	the name; never used before), the plan the actor may give, the
 *	description, the contact address (not a role alias of the domain
 *	itself) and the owner: an existing one the actor may choose, or a new
 *	login with its password typed twice.  Every field is checked and each
 *	refusal is added to err (postbus.h); -1 when err then holds any field
 *	error, the caller's own included, and nothing is hashed.  The new
 *	owner's password is hashed last, when everything passed (tx.h: never
 *	inside the transaction).  What is free now (name, prefix) is checked
 *	again under the writing transaction's locks.
 *
 *	The prefix suggestion and the owner choices live here too: they
 *	serve the same form.
 *
 * DIAGNOSTICS
 *	0, or -1 with err filled: field errors on "name", "prefix", "plan",
 *	"description", "contact", "owner", "owner_login", "owner_password",
 *	"owner_password2"; a database failure stops at once (ERR_DB).
 */
#ifndef POSTBUS_DOMAIN_CHECK_H
#define POSTBUS_DOMAIN_CHECK_H

#include <stdint.h>

struct config;
struct ctx;
struct domain;
struct domain_change;
struct domain_input;
struct err;
struct plan;

/* a domain form's fields, checked and normalised */
struct domain_prep {
	char		*name;		/* punycode */
	char		*prefix;
	struct plan	*plan;
	const char	*description;
	char		*contact;
	int64_t		 owner_id;	/* an existing owner, or 0 */
	const char	*owner;		/* its login, or the new one's */
	char		*owner_hash;	/* a new owner's password (wipe it) */
};

/* domain_check_new - every field of a new domain */
int	domain_check_new(struct ctx *c, const struct config *cfg,
	    const struct domain_input *in, struct domain_prep *p,
	    struct err *err);
/* domain_check_change - plan, description and contact of an edit of d */
int	domain_check_change(struct ctx *c, const struct domain *d,
	    const struct domain_change *in, struct domain_prep *p,
	    struct err *err);
/* domain_check_free - the name unused by live domains and the prefix
 * by every domain ever (NULL: not checked), refusals added to err; -1
 * only when the database failed (inside a transaction too) */
int	domain_check_free(struct ctx *c, const char *name, const char *prefix,
	    struct err *err);
/* domain_name_taken - 1 if a live domain has the name, 0, -1 */
int	domain_name_taken(struct ctx *c, const char *name);
/* domain_prefix_taken - 1 if a domain, live or deleted, has (had) the
 * prefix, 0, -1 */
int	domain_prefix_taken(struct ctx *c, const char *prefix);

#endif
