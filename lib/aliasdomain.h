/*
 * NAME
 *	aliasdomain - other names of a domain (exemple.com = exemple.be)
 *
 * SYNOPSIS
 *	if (aliasdomain_add(ctx, cfg, domain_id, "exemple.com", &err) == -1)
 *		show err.msg next to err.field ("name");
 *
 * DESCRIPTION
 *	An alias domain A of a domain T (seed 003 §4) makes every mailbox,
 *	additional address, alias and the catch-all of T answer at A too:
 *	user@A reaches what user@T reaches.  Postfix resolves it by joins
 *	(conf/postfix/mysql_virtual_alias_domain.cf), never by a wildcard.
 *	A has no addresses of its own: aliases and mailboxes live in T.
 *
 *	Rules, for the web and postbusctl alike:
 *	- superusers and resellers add and remove them (AUTHZ_ADMIN on T);
 *	  an owner sees them (AUTHZ_VIEW);
 *	- the name is checked like a domain's (syntax, IDN as punycode,
 *	  reserved names, not below a domain the actor does not manage) and
 *	  is neither a live domain nor an alias domain already, anywhere;
 *	- the plan's maximum alias domains holds, under T's lock;
 *	- an inactive or deleted T receives nothing through A (the maps
 *	  check T); a deleted T loses its alias domains at once (schema 020).
 *	Every change is one transaction with its audit entry.
 *
 * DIAGNOSTICS
 *	0 on success, -1 with err filled; aliasdomain_find returns 1 found,
 *	0 not found, -1 error.
 */
#ifndef POSTBUS_ALIASDOMAIN_H
#define POSTBUS_ALIASDOMAIN_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct ctx;
struct err;

struct aliasdomain {
	int64_t		 id;
	const char	*name;		/* punycode, as stored */
	int64_t		 domain_id;	/* the target */
	const char	*domain_name;
	const char	*created_by;
	const char	*created_at;
};

/* what a domain may still have: its alias domains and the plan's cap */
struct aliasdomain_allowance {
	int64_t		 count;
	int64_t		 max;		/* -1 unlimited */
};

/* aliasdomain_list - the alias domains of a domain the actor may view */
int	aliasdomain_list(struct ctx *c, int64_t domain_id,
	    struct aliasdomain **v_r, size_t *n_r,
	    struct aliasdomain_allowance *a, struct err *err);
/* aliasdomain_find - an alias domain by name (Unicode or punycode), if
 * the actor may view its target */
int	aliasdomain_find(struct ctx *c, const char *name,
	    struct aliasdomain **ad_r, struct err *err);
/* aliasdomain_add - name becomes an alias domain of domain_id */
int	aliasdomain_add(struct ctx *c, const struct config *cfg,
	    int64_t domain_id, const char *name, struct err *err);
/* aliasdomain_delete - remove one alias domain by id */
int	aliasdomain_delete(struct ctx *c, int64_t id, struct err *err);
/* aliasdomain_taken_tx - ERR_INVALID on field when name is an alias
 * domain (for a new domain's name) */
int	aliasdomain_taken_tx(struct ctx *c, const char *name,
	    const char *field, struct err *err);

#endif
