/*
 * NAME
 *	notify - the mail the panel itself sends
 *
 * SYNOPSIS
 *	if (notify_account(ctx, cfg, domain, mb, "me@example.org", &err) == -1)
 *		show err.msg next to the field err.field;
 *
 * DESCRIPTION
 *	notify_account() mails a mailbox's account details (login, address,
 *	servers and ports; never the password) to one address, for those who
 *	may edit the mailbox's addresses (AUTHZ_MAIL: not support staff), at
 *	most 20 an hour per actor (a refusal is audited too:
 *	"mailbox.mail.refused"), from
 *	postmaster@ of the mailbox's domain, through cfg->smtp_host and
 *	cfg->smtp_port.  The message is written in the panel's language and
 *	marked Auto-Submitted.  A sent message is audited ("mailbox.mail").
 *
 * DIAGNOSTICS
 *	0 sent; -1 with err: ERR_FORBIDDEN / ERR_NOTFOUND for an actor that
 *	may not, ERR_THROTTLED past the hourly limit, ERR_INVALID on
 *	"send_to" for a bad address or no
 *	configured server, ERR_TEMP when the mail server does not answer or
 *	refuses (try again later).
 */
#ifndef POSTBUS_NOTIFY_H
#define POSTBUS_NOTIFY_H

struct config;
struct ctx;
struct err;
struct domain;
struct mailbox;

/* d: the mailbox's domain as domain_get() read it, or NULL (read here) */
int	notify_account(struct ctx *c, const struct config *cfg,
	    const struct domain *d, const struct mailbox *mb, const char *to,
	    struct err *err);

#endif
