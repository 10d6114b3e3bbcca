/*
 * NAME
 *	notify - the mail the panel itself sends
 *
 * SYNOPSIS
 *	if (notify_account(ctx, cfg, mb, "me@example.org", &err) == -1)
 *		show err.msg next to the field err.field;
 *
 * DESCRIPTION
 *	notify_account() mails a mailbox's account details (login, address,
 *	servers and ports; never the password) to one address, from
 *	postmaster@ of the mailbox's domain, through cfg->smtp_host and
 *	cfg->smtp_port.  The message is written in the panel's language and
 *	marked Auto-Submitted.  A sent message is audited ("mailbox.mail").
 *
 * DIAGNOSTICS
 *	0 sent; -1 with err: ERR_INVALID on "send_to" for a bad address or no
 *	configured server, ERR_TEMP when the mail server does not answer or
 *	refuses (try again later).
 */
#ifndef POSTBUS_NOTIFY_H
#define POSTBUS_NOTIFY_H

struct config;
struct ctx;
struct err;
struct mailbox;

int	notify_account(struct ctx *c, const struct config *cfg,
	    const struct mailbox *mb, const char *to, struct err *err);

#endif
