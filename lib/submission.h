/*
 * NAME
 *	submission - the plan's maximum message size for mail a mailbox sends
 *
 * SYNOPSIS
 *	struct submission_req r;
 *	submission_reset(&r);
 *	while (a line of the request)
 *		submission_attr(&r, pool, line);
 *	action = submission_verdict(db, pool, &r);
 *
 * DESCRIPTION
 *	A plan's maximum message size (seed 002: 12 MB) holds for mail to
 *	its domains (Dovecot's quota-status and LMTP, quota_max_mail_size)
 *	and for mail that their mailboxes send through submission (465,
 *	587).  Postfix knows only one server-wide message_size_limit, so the
 *	submission services ask a policy service (SMTPD_POLICY_README):
 *	postbus-sizepolicy, spawned by Postfix per connection, which reads
 *	requests with this module.  Postfix asks at MAIL FROM (size is the
 *	SIZE= the client announced, 0 without) and at the end of DATA (the
 *	size received).
 *
 *	The sender is the SASL user name, which Dovecot gives as the
 *	mailbox's primary address whether the client logged in with the
 *	login or the address; its plan is that of the mailbox's domain.
 *	Without a login (not submission's case) or for a name that is no
 *	live mailbox, the policy has no opinion (DUNNO): the server's limit
 *	and the other restrictions decide.  A database error is a temporary
 *	refusal (451), never "no limit".
 *
 * DIAGNOSTICS
 *	submission_limit returns 1 with the limit in bytes, 0 when user is no
 *	live mailbox, -1 on a database error.  submission_attr returns 0, or
 *	-1 for a line that is not name=value.  submission_verdict returns the
 *	policy action (Postfix's access(5) syntax), in p or static.
 */
#ifndef POSTBUS_SUBMISSION_H
#define POSTBUS_SUBMISSION_H

#include <stdint.h>

struct db;
struct pool;

#define SUBMISSION_LINE_MAX	4096	/* one name=value line of a request */

struct submission_req {
	const char	*user;		/* sasl_username, or NULL */
	const char	*state;		/* protocol_state: MAIL, END-OF-MESSAGE */
	int64_t		 size;		/* bytes; 0 unknown */
	int		 bad;		/* a size that is no number */
};

void		 submission_reset(struct submission_req *r);
int		 submission_attr(struct submission_req *r, struct pool *p,
		    const char *line);
int		 submission_limit(struct db *db, struct pool *p, const char *user,
		    int64_t *limit_r);
const char	*submission_verdict(struct db *db, struct pool *p,
		    const struct submission_req *r);

#endif
