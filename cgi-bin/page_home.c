/*
 * NAME
 *	page_home - "Virtual Server Information", the page after login
 *
 * DESCRIPTION
 *	With a domain (chosen in the sidebar, or the owner's only one): who is
 *	logged in, the domain, its plan, and what it uses of the plan (seed 000
 *	§3).  Staff without a chosen domain see the domains they can reach.
 */
#include <string.h>

#include "app.h"
#include "authz.h"
#include "domain.h"
#include "limit.h"
#include "list.h"
#include "valid.h"

#define HOME_PAGE	25

/* domain_info - the information page for one domain */
static void
domain_info(struct req *r, struct domain *dom)
{
	struct tdata *d;
	struct domain_usage u;
	struct plan *pl;
	int64_t replies;

	if ((d = page_domain_facts(r, dom, &u, &pl)) == NULL)
		return;
	td_str(d, "login", r->actor.login);
	td_str(d, "role", role_label(r->actor.role));
	if (pl->max_mailboxes >= 0) {
		int64_t left = pl->max_mailboxes - u.mailboxes;

		td_int(d, "mailboxes_left", left > 0 ? left : 0);
		td_str(d, "limits", pool_printf(r->pool,
		    P_("Based on your limits, %lld additional mailbox can be added.",
		    "Based on your limits, %lld additional mailboxes can be added.",
		    (unsigned long)(left > 0 ? left : 0)),
		    (long long)(left > 0 ? left : 0)));
		td_bool(d, "limited", 1);
	}
	if ((replies = page_vacation_count(r, dom->id)) < 0)
		return;
	td_int(d, "replies", replies);
	page_render(r, 200, "home", _("Virtual Server Information"), d);
}

/* domain_index - the domains a staff member can reach */
static void
domain_index(struct req *r)
{
	struct tdata *d = page_data(r);
	struct domain *v;
	struct err err = { 0 };
	const char *q = query_str(r, "q");
	size_t n;
	int64_t total, page = query_id(r, "page");

	if (page < 1)
		page = 1;
	if (q != NULL && strlen(q) > 253)
		q = NULL;
	if (list_domains(&r->ctx, q, HOME_PAGE, (unsigned int)((page - 1) *
	    HOME_PAGE), &v, &n, &total, &err) == -1) {
		page_err(r, &err);
		return;
	}
	td_str(d, "login", r->actor.login);
	td_str(d, "role", role_label(r->actor.role));
	(void)page_domain_list(r, d, "/home", q, v, n, total, page, HOME_PAGE);
	page_render(r, 200, "domains_index", _("Virtual Servers"), d);
}

/* home_get - information on the chosen domain, or the domain list */
static void
home_get(struct req *r)
{
	struct domain *dom;

	if (query_id(r, "d") == 0 && r->actor.role != ROLE_OWNER) {
		domain_index(r);
		return;
	}
	if ((dom = req_domain(r, AUTHZ_VIEW)) == NULL)
		return;
	domain_info(r, dom);
}

const struct route page_home_routes[] = {
	{ "GET", "/home", ROLES_ALL, R_DOMAINOPT, NULL, home_get,
	    N_("Virtual Server Information"), 10 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
