/*
 * NAME
 *	mailclient - what a mail program needs to reach a mailbox
 *
 * DESCRIPTION
 *	See mailclient.h.  No SQL of its own: the mailbox, the domain and its
 *	plan come from mailbox.c and domain.c, which authorise the actor.
 *	Nothing here allocates but through the ctx pool.
 */
#include <stddef.h>
#include <string.h>

#include "config.h"
#include "domain.h"
#include "mailbox.h"
#include "mailclient.h"
#include "pool.h"

/* mailclient_generic - the server's facts, for no mailbox in particular */
void
mailclient_generic(const struct config *cfg, struct mailclient *mc)
{
	memset(mc, 0, sizeof(*mc));
	mc->host = cfg->hostname != NULL ? cfg->hostname : "localhost";
	mc->imaps_port = cfg->imaps_port;
	mc->imap_port = cfg->imap_port;
	mc->pop3s_port = cfg->pop3s_port;
	mc->pop3_port = cfg->pop3_port;
	mc->smtps_port = cfg->submission_port;
	mc->submission_port = cfg->submission_starttls_port;
	mc->webmail_url = cfg->webmail_url;
}

/* mailclient_of - the facts for a domain that domain_get() read */
void
mailclient_of(const struct config *cfg, const struct domain *d,
    struct mailclient *mc)
{
	mailclient_generic(cfg, mc);
	mc->domain = d->name;
	mc->max_message_size = d->max_message_size;
}

/* mailclient_domain - the facts for every mailbox of a domain */
int
mailclient_domain(struct ctx *c, const struct config *cfg, int64_t domain_id,
    struct mailclient *mc, struct err *err)
{
	struct domain *d;
	int rc;

	mailclient_generic(cfg, mc);
	if ((rc = domain_get(c, domain_id, &d, err)) != 1)
		return rc;
	mailclient_of(cfg, d, mc);
	return 1;
}

/* mailclient_mailbox - the facts for one live mailbox */
int
mailclient_mailbox(struct ctx *c, const struct config *cfg,
    int64_t mailbox_id, struct mailclient *mc, struct mailbox **mb_r,
    struct err *err)
{
	struct mailbox *mb;
	int rc;

	*mb_r = NULL;
	mailclient_generic(cfg, mc);
	if ((rc = mailbox_get(c, mailbox_id, &mb, err)) != 1)
		return rc;
	if (*mb->deleted_at != '\0') {
		err_set(err, ERR_NOTFOUND, NULL,
		    _("This mailbox has been deleted."));
		return 0;
	}
	if ((rc = mailclient_domain(c, cfg, mb->domain_id, mc, err)) != 1)
		return rc;
	mc->login = mb->login;
	mc->address = mb->address;
	*mb_r = mb;
	return 1;
}
