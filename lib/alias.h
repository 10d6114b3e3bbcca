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

#include <stddef.h>
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

/*
 * Every alias (schema/020), for "Edit Mail Aliases" and postbusctl alias.
 *
 *	normal    name@domain to its destinations (address.h checks them)
 *	catchall  "All mailboxes": @domain, at most one per domain; mail for
 *	          any address of the domain that nothing else claims
 *	bounce    the address exists but refuses mail (5xx at RCPT)
 *	everyone  every live mailbox of the domain, read at delivery, for
 *	          domains whose plan caps them at ALIAS_EVERYONE_MAX (Postfix
 *	          defers mail that expands past virtual_alias_expansion_limit)
 *
 * Rules, for every path: AUTHZ_MAIL on the domain; the name is an address
 * of the domain, unique on the server; the plan's maximum aliases (role
 * aliases aside) holds under the domain's lock; destinations exist, at
 * most the plan's max_destinations are remote, and no loop; role aliases
 * keep their name and kind, and only a superuser deletes them.  One
 * transaction per action, audited.
 */
#define ALIAS_EVERYONE_MAX	1000

enum alias_kind {
	ALIAS_NORMAL,
	ALIAS_CATCHALL,
	ALIAS_BOUNCE,
	ALIAS_EVERYONE,
	ALIAS_KIND__MAX
};

struct alias_dest {
	const char	*text;		/* a login or an address, as stored */
	int		 deleted;	/* names a mailbox that is deleted */
};

struct alias {
	int64_t		 id;
	int64_t		 domain_id;
	const char	*domain_name;
	const char	*address;	/* name@domain, "@domain" (catch-all) */
	const char	*name;		/* the part before the @; "" catch-all */
	enum alias_kind	 kind;
	int		 role;		/* abuse@, postmaster@, ...: required */
	struct alias_dest *dests;
	size_t		 ndests;
	const char	*created_by;
	const char	*created_at;
};

struct alias_input {
	const char	*name;		/* "info" or "info@domain"; not for
					 * the catch-all */
	enum alias_kind	 kind;		/* ALIAS_CATCHALL: "All mailboxes" */
	const char	*dests;		/* one per line: normal, catch-all */
};

struct alias_query {
	const char	*search;	/* in names and destinations; NULL */
	unsigned int	 limit;
	unsigned int	 offset;
};

/* what "Edit Mail Aliases" shows */
struct alias_page {
	struct alias	*rows;		/* one page, in address order */
	size_t		 n;
	int64_t		 total;		/* rows of the list (or search) */
	int64_t		 count;		/* aliases the plan counts */
	int64_t		 roles;		/* role aliases */
	int64_t		 max;		/* plan's max aliases, -1 unlimited */
	int64_t		 max_remote;	/* plan's max_destinations, -1 */
	int		 can_mail;	/* the actor may change them */
};

/* alias_kind_name - "normal", "catchall", "bounce", "everyone" */
const char *alias_kind_name(enum alias_kind k);
/* alias_list_page - one page of a domain's aliases */
int	alias_list_page(struct ctx *c, int64_t domain_id,
	    const struct alias_query *q, struct alias_page *pg,
	    struct err *err);
/* alias_get, alias_find - one alias (with its destinations) by id or by
 * address ("@domain": the catch-all), if the actor may view its domain;
 * 1 found, 0 not found, -1 error */
int	alias_get(struct ctx *c, int64_t id, struct alias **a_r,
	    struct err *err);
int	alias_find(struct ctx *c, const char *address, struct alias **a_r,
	    struct err *err);
/* alias_create - a new alias in domain_id; its id in *id_r */
int	alias_create(struct ctx *c, int64_t domain_id,
	    const struct alias_input *in, int64_t *id_r, struct err *err);
/* alias_update - new name, kind and destinations for alias id */
int	alias_update(struct ctx *c, int64_t id, const struct alias_input *in,
	    struct err *err);
/* alias_plan_fits_tx - in the caller's transaction, with the domain's
 * row locked: whether domain_id's aliases allow a plan that caps
 * mailboxes at max_mailboxes (-1 unlimited).  "Forward to everyone in
 * domain" needs a cap of at most ALIAS_EVERYONE_MAX, so changing the
 * domain's plan or a plan's maximum must not lift it.  0 with *why_r
 * NULL (fits) or the reason, a sentence fragment like plan_fits()'s;
 * -1 on error */
int	alias_plan_fits_tx(struct ctx *c, int64_t domain_id,
	    int64_t max_mailboxes, const char **why_r, struct err *err);
/* alias_delete - n aliases of one domain, all or none */
int	alias_delete(struct ctx *c, int64_t domain_id, const int64_t *ids,
	    size_t n, struct err *err);

#endif
