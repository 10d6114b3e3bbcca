/*
 * NAME
 *	alias - addresses that forward to other addresses
 *
 * DESCRIPTION
 *	An alias is a row of aliases with its destinations in
 *	alias_destinations and its address in addresses (address.h keeps
 *	every address of the server unique, whatever its kind).
 *
 *	Role aliases: every new domain gets abuse@, hostmaster@,
 *	postmaster@ and webmaster@ (seed 000 §10), pointing at the domain's
 *	contact address; they are marked role = 1.  The contact address may
 *	not be one of them (mail to postmaster@ would loop), and a new contact
 *	address replaces the old one in them.  Deleting a domain removes its
 *	aliases with it.
 *
 *	The _tx functions run inside the caller's transaction (tx.h), under
 *	the domain's lock.
 *
 * DIAGNOSTICS
 *	0 on success, -1 with err filled.
 */
#ifndef POSTBUS_ALIAS_H
#define POSTBUS_ALIAS_H

#include <stdint.h>

struct ctx;
struct err;

/* alias_is_role - whether address is one of domain's role aliases */
int	alias_is_role(const char *address, const char *domain);
/* alias_add_roles_tx - the role aliases of a new domain, to contact; a
 * taken address is ERR_INVALID on "name" */
int	alias_add_roles_tx(struct ctx *c, int64_t domain_id,
	    const char *domain, const char *contact, struct err *err);
/* alias_move_roles_tx - the role aliases that went to old go to new */
int	alias_move_roles_tx(struct ctx *c, int64_t domain_id, const char *old,
	    const char *new, struct err *err);
/* alias_delete_domain_tx - every alias of a domain (being deleted) */
int	alias_delete_domain_tx(struct ctx *c, int64_t domain_id,
	    struct err *err);

#endif
