/*
 * NAME
 *	audit - the record of every change
 *
 * SYNOPSIS
 *	audit_log(ctx, domain_id, domain_name, "info@monsite.be",
 *	    "mailbox.create", NULL, "quota=3 GB");
 *
 * DESCRIPTION
 *	Called inside the transaction of the change it records, so a change and
 *	its audit entry are committed together or not at all.  Never give it a
 *	password or a hash.  domain_id 0 means "no domain".
 *	Returns 0 or -1.
 */
#ifndef POSTBUS_AUDIT_H
#define POSTBUS_AUDIT_H

#include <stdint.h>

struct ctx;
struct dbres;

/* audit_diff - add "key=old" to o and "key=new" to n when they differ:
 * the old and new values of a change, what changed only */
struct buf;
void	audit_diff(struct buf *o, struct buf *n, const char *key,
	    const char *old, const char *new);

int	audit_log(struct ctx *c, int64_t domain_id, const char *domain_name,
	    const char *object, const char *action, const char *old_value,
	    const char *new_value);

#endif
