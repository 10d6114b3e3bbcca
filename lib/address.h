/*
 * NAME
 *	address - normalisation, IDN and server-wide uniqueness of addresses
 *
 * SYNOPSIS
 *	if (address_norm(ctx, "monsite.be", "Info", "address", &a, &err) == -1)
 *		...;			(a is "info@monsite.be")
 *
 * DESCRIPTION
 *	An address is stored lowercase, with its domain in punycode (the
 *	domain's stored name), and is unique across the whole server: the
 *	primary address of a mailbox, its additional addresses, an alias and
 *	(later) an alias domain's addresses all live in one table, addresses,
 *	keyed on the address.  What an address leads to is its kind:
 *	"primary" and "extra" (a mailbox), "alias" (an alias).
 *
 *	address_norm() takes what a form or the CLI gives ("info",
 *	"Info@monsite.be", "info@MONSITE.BE") and returns the address in the
 *	given domain, or a field error: an address in another domain, a bad
 *	local part.  The _tx functions run inside the caller's transaction
 *	(tx.h), under the lock of the domain the address belongs to.
 *
 * DIAGNOSTICS
 *	0 on success, -1 with err filled (err.field is the field given).
 *	address_mailbox returns 1 found, 0 not found, -1 error.
 */
#ifndef POSTBUS_ADDRESS_H
#define POSTBUS_ADDRESS_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct err;

#define ADDRESS_EXTRAS_MAX	100	/* additional addresses per mailbox */

/* address_norm - in ("info" or "info@domain") as a full address in domain
 * (punycode); ERR_INVALID on field */
int	address_norm(struct ctx *c, const char *domain, const char *in,
	    const char *field, char **out_r, struct err *err);
/* address_parse_extras - additional addresses typed one per line (or
 * separated by commas or spaces), each normalised into domain; duplicates
 * dropped, the primary refused, at most ADDRESS_EXTRAS_MAX (field
 * "extra") */
int	address_parse_extras(struct ctx *c, const char *domain,
	    const char *text, const char *primary, const char ***v_r,
	    size_t *n_r, struct err *err);
/* address_extras - the additional addresses of a live mailbox */
int	address_extras(struct ctx *c, int64_t mailbox_id, const char ***v_r,
	    size_t *n_r, struct err *err);
/* address_mailbox - 1 and the id of the live mailbox whose primary or
 * additional address is exactly address, in a domain the actor may view;
 * 0 if none (never a pattern, never a prefix); -1 */
int	address_mailbox(struct ctx *c, int64_t domain_id, const char *address,
	    int64_t *id_r, struct err *err);

/* address_free_tx - 0 if addr is unused or is mailbox self's (self 0:
 * nobody's); else ERR_INVALID on field, saying what uses it */
int	address_free_tx(struct ctx *c, const char *addr, int64_t self,
	    const char *field, struct err *err);
/* address_add_tx - a mailbox's address of kind "primary" or "extra" */
int	address_add_tx(struct ctx *c, const char *addr, int64_t domain_id,
	    const char *kind, int64_t mailbox_id, const char *field,
	    struct err *err);
/* address_set_primary_tx - change a mailbox's primary address */
int	address_set_primary_tx(struct ctx *c, int64_t mailbox_id,
	    const char *addr, struct err *err);
/* address_delete_mailbox_tx - every address of a mailbox */
int	address_delete_mailbox_tx(struct ctx *c, int64_t mailbox_id,
	    struct err *err);
/* address_delete_extras_tx - a mailbox's additional addresses */
int	address_delete_extras_tx(struct ctx *c, int64_t mailbox_id,
	    struct err *err);
/* address_delete_domain_tx - every address of a domain */
int	address_delete_domain_tx(struct ctx *c, int64_t domain_id,
	    struct err *err);

/*
 * Destinations (aliases and forwards, schema/020).  A destination is typed
 * as a login of a mailbox (monsite0001), an address of this server (a
 * mailbox's, an alias, or one of an alias domain) or an address
 * elsewhere.  address_parse_dests() checks each: syntax, that a local one
 * exists, that it is not an address that refuses mail, how many are
 * remote; address_loop_tx() then refuses a route that would come back to
 * where it starts (Postfix would defer such mail for days with "4.6.0
 * Alias expansion error"), naming the loop.
 */
#define ADDRESS_DESTS_MAX	1000	/* destinations of one alias/forward */

struct address_dest {
	const char	*text;		/* as stored: a login or an address */
	int64_t		 mailbox_id;	/* the mailbox it names, 0 if none */
	int		 remote;	/* in a domain of another server */
};

/* address_parse_dests - one per line (or separated by commas or spaces);
 * duplicates dropped; self (the alias being written, or NULL) refused; at
 * most max_remote remote ones (-1 unlimited); ERR_INVALID (ERR_LIMIT for
 * the remote cap) on field */
int	address_parse_dests(struct ctx *c, const char *text, const char *self,
	    int64_t max_remote, const char *field, struct address_dest **v_r,
	    size_t *n_r, struct err *err);
/* address_loop_tx - 0 if mail for start (an address, or the mailbox
 * start_mailbox when start is NULL) sent to v[0..n) never comes back to
 * it; else ERR_INVALID on field, naming the loop (a -> b -> a) */
int	address_loop_tx(struct ctx *c, const char *start,
	    int64_t start_mailbox, const struct address_dest *v, size_t n,
	    const char *field, struct err *err);

#endif
