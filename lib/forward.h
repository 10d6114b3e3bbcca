/*
 * NAME
 *	forward - a mailbox's "Mail forwarding settings" (seed 000 §8)
 *
 * SYNOPSIS
 *	if (forward_set(ctx, mailbox_id, keep, "monsite@gmail.com\n", &err))
 *		show err.msg next to the field "forward";
 *
 * DESCRIPTION
 *	"Forward to other addresses": one destination per line, each a login
 *	of a mailbox, an address of this server or an address elsewhere
 *	(address.h checks them: they exist, the plan's cap on remote ones,
 *	no loop).  "Deliver to this user normally": whether the mailbox keeps
 *	a copy; without forwards it always does.  Forwarding without a copy
 *	stops filling the mailbox; with one, it is the seeds' "garder une
 *	copie".  Stored in forwards (schema/020), read by Postfix through the
 *	view mailbox_routes.  A deleted mailbox keeps its forwards for a
 *	restore; they work only while it is live.
 *
 *	The same rules as the mailbox (AUTHZ_MAIL on its domain), one
 *	transaction under the domain's lock, audited.
 *
 * DIAGNOSTICS
 *	0 on success, -1 with err filled (err.field "forward").
 */
#ifndef POSTBUS_FORWARD_H
#define POSTBUS_FORWARD_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct err;

struct forward {
	int		 keep;		/* deliver to the mailbox too */
	const char	**dests;	/* as typed, normalised */
	int		*deleted;	/* dests[i] names a deleted mailbox */
	size_t		 n;
};

/* forward_get - the forwarding of a mailbox the actor may view */
int	forward_get(struct ctx *c, int64_t mailbox_id, struct forward *f,
	    struct err *err);
/* forward_set - forward to dests (empty: no forwarding), keeping a copy
 * or not */
int	forward_set(struct ctx *c, int64_t mailbox_id, int keep,
	    const char *dests, struct err *err);
#endif
