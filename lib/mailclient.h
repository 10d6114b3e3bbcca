/*
 * NAME
 *	mailclient - what a mail program needs to reach a mailbox
 *
 * SYNOPSIS
 *	struct mailclient mc;
 *	mailclient_mailbox(ctx, cfg, mailbox_id, &mc, &err);
 *	mailclient_domain(ctx, cfg, domain_id, &mc, &err);
 *	mailclient_of(cfg, domain, &mc);
 *	mailclient_generic(cfg, &mc);
 *
 * DESCRIPTION
 *	The facts of seed 002, filled in: the mail host name (config key
 *	hostname, the name in the server certificate and the SMTP banner),
 *	IMAP and POP3 with implicit TLS (IMAPS 993, POP3S 995) or STARTTLS
 *	(143, 110), outgoing mail through the same host with a login, by
 *	implicit TLS (465) or STARTTLS (587), the plan's maximum message size
 *	and the webmail address when one is configured.  The settings page,
 *	the account email and automatic configuration (autoconfig,
 *	autodiscover) all read them here, so they never disagree.
 *
 *	mailclient_mailbox and mailclient_domain check that the actor may view
 *	the mailbox or domain: 1 found, 0 not found (or not the actor's), -1
 *	error.  mailclient_generic needs no actor and no database: it is what
 *	automatic configuration answers to anybody, for any address.
 *	Strings live in the ctx pool or in cfg.
 */
#ifndef POSTBUS_MAILCLIENT_H
#define POSTBUS_MAILCLIENT_H

#include <stdint.h>

#include "postbus.h"

struct config;
struct mailbox;

struct mailclient {
	const char	*host;		/* incoming and outgoing server */
	const char	*login;		/* user name; NULL for a whole domain */
	const char	*address;	/* the primary address, or NULL */
	const char	*domain;	/* the mail domain, or NULL */
	unsigned int	 imaps_port;	/* TLS from the start ("SSL") */
	unsigned int	 imap_port;	/* STARTTLS */
	unsigned int	 pop3s_port;
	unsigned int	 pop3_port;
	unsigned int	 smtps_port;	/* submission, implicit TLS */
	unsigned int	 submission_port;	/* submission, STARTTLS */
	int64_t		 max_message_size;	/* bytes, 0 unknown */
	const char	*webmail_url;	/* NULL: none */
};

void	mailclient_generic(const struct config *cfg, struct mailclient *mc);
int	mailclient_mailbox(struct ctx *c, const struct config *cfg,
	    int64_t mailbox_id, struct mailclient *mc, struct mailbox **mb_r,
	    struct err *err);
int	mailclient_domain(struct ctx *c, const struct config *cfg,
	    int64_t domain_id, struct mailclient *mc, struct err *err);
/* mailclient_of - the same from a domain domain_get() read: no statement,
 * no check (domain_get checked the actor) */
struct domain;
void	mailclient_of(const struct config *cfg, const struct domain *d,
	    struct mailclient *mc);

#endif
