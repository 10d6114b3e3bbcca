/*
 * NAME
 *	authz - who may do what to which domain
 *
 * SYNOPSIS
 *	if (authz_domain(ctx, domain_id, AUTHZ_MAIL, &err) == -1)
 *		return -1;
 *
 * DESCRIPTION
 *	Every lib/ function that touches a domain or anything in it calls
 *	authz_domain() first, whatever the caller is (web, CLI, API).  The
 *	actor's reach of the last domain asked about is kept in the ctx for
 *	the rest of the job (one request, one command), so asking again for
 *	another op costs no statement; any transaction forgets it.
 *
 *	superuser: everything.  reseller: every operation on domains it created
 *	or was given.  support: every domain, but only AUTHZ_VIEW, AUTHZ_QUOTA
 *	and AUTHZ_PASSWORD.  owner: its own domains, all but AUTHZ_ADMIN.
 *	A domain the actor may not even see is reported as not found, so ids
 *	cannot be probed.
 *
 * DIAGNOSTICS
 *	0 if allowed; -1 with err (ERR_NOTFOUND, ERR_FORBIDDEN or ERR_DB).
 */
#ifndef POSTBUS_AUTHZ_H
#define POSTBUS_AUTHZ_H

#include <stdint.h>

struct ctx;
struct err;

enum authz_op {
	AUTHZ_VIEW,		/* read the domain and its objects */
	AUTHZ_MAIL,		/* manage mailboxes, aliases, vacation */
	AUTHZ_QUOTA,		/* change mailbox quotas */
	AUTHZ_PASSWORD,		/* set mailbox passwords */
	AUTHZ_ADMIN,		/* edit plan, disable, delete the domain */
	AUTHZ__MAX
};

int	authz_domain(struct ctx *c, int64_t domain_id, enum authz_op op,
	    struct err *err);
/* authz_seen - remember the actor's reach of a domain from a row read
 * with it (reseller_id 0 for none, given: the actor's user_domains rows),
 * so that authz_domain() needs no statement for it in this job */
void	authz_seen(struct ctx *c, int64_t domain_id, int64_t reseller_id,
	    int64_t given);
/* authz_forget - forget it (after a change: tx_run does it) */
void	authz_forget(struct ctx *c);
/* authz_role - whether the actor's role is at least r (no object involved) */
int	authz_role(const struct ctx *c, int role_mask);
#define AUTHZ_R(r)	(1 << (r))

#endif
