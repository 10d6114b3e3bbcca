/*
 * NAME
 *	page_mailclient - the mail client settings page
 *
 * DESCRIPTION
 *	GET /mailbox/settings?id=N shows what a mail program needs for one
 *	mailbox (seed 002, filled in): user name, incoming server and ports
 *	for IMAP and POP3 with the security to choose, outgoing server with
 *	port 465 (SSL) or 587 (STARTTLS) and a login, the maximum message
 *	size, the webmail address when there is one.  GET /mailclient?d=N
 *	shows the same for every mailbox of a domain (the user name is each
 *	mailbox's login).  The page prints on one sheet (see postbus.css).
 *	The facts and the authorisation are lib/mailclient.c's.
 */
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "authz.h"
#include "domain.h"
#include "mailbox.h"
#include "mailclient.h"
#include "valid.h"

/* fill - the template data of the facts */
static struct tdata *
fill(struct req *r, const struct mailclient *mc)
{
	struct tdata *d = page_data(r);

	td_str(d, "host", mc->host);
	if (mc->login != NULL) {
		td_str(d, "login", mc->login);
		td_str(d, "address", mc->address);
	}
	if (mc->domain != NULL)
		td_str(d, "mail_domain", mc->domain);
	td_int(d, "imaps_port", mc->imaps_port);
	td_int(d, "imap_port", mc->imap_port);
	td_int(d, "pop3s_port", mc->pop3s_port);
	td_int(d, "pop3_port", mc->pop3_port);
	td_int(d, "smtps_port", mc->smtps_port);
	td_int(d, "submission_port", mc->submission_port);
	if (mc->max_message_size > 0)
		td_str(d, "max_message_size", valid_size_format(r->pool,
		    (uint64_t)mc->max_message_size));
	if (mc->webmail_url != NULL)
		td_str(d, "webmail_url", mc->webmail_url);
	return d;
}

/* mailbox_settings_get - GET /mailbox/settings?id= */
static void
mailbox_settings_get(struct req *r)
{
	struct mailclient mc;
	struct mailbox *mb;
	struct err err = { 0 };
	struct tdata *d;

	if (!page_got(r, mailclient_mailbox(&r->ctx, app.cfg, query_id(r,
	    "id"), &mc, &mb, &err), &err, _("No such mailbox.")))
		return;
	d = fill(r, &mc);
	td_int(d, "id", mb->id);
	if (domain_get(&r->ctx, mb->domain_id, &r->domain, &err) != 1) {
		page_err(r, &err);
		return;
	}
	page_render(r, 200, "mailclient", _("Mail client settings"), d);
}

/* domain_settings_get - GET /mailclient?d= */
static void
domain_settings_get(struct req *r)
{
	struct mailclient mc;
	struct domain *dom;
	struct err err = { 0 };

	if ((dom = req_domain(r, AUTHZ_VIEW)) == NULL)
		return;
	if (!page_got(r, mailclient_domain(&r->ctx, app.cfg, dom->id, &mc,
	    &err), &err, _("No such domain.")))
		return;
	page_render(r, 200, "mailclient", _("Mail client settings"),
	    fill(r, &mc));
}

const struct route page_mailclient_routes[] = {
	{ "GET", "/mailbox/settings", ROLES_ALL, 0, NULL, mailbox_settings_get,
	    NULL, 0 },
	{ "GET", "/mailclient", ROLES_ALL, R_DOMAIN, NULL, domain_settings_get,
	    N_("Mail Client Settings"), 25 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
