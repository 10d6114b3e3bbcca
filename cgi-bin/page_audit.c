/*
 * NAME
 *	page_audit - "Audit Log": who changed what, when, from where
 *
 * DESCRIPTION
 *	One page of the entries the actor may see (lib/auditlog.c decides),
 *	newest first, paginated in SQL, filtered by domain, actor and a date
 *	range.  Values are shown as recorded; passwords are never recorded.
 */
#include <string.h>

#include "app.h"
#include "auditlog.h"
#include "domain.h"

#define LIST_PAGE	50

static const struct fielddef audit_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "actor", F_TEXT, 64, 0 },
	{ "from", F_TEXT, 10, 0 },
	{ "to", F_TEXT, 10, 0 },
	{ "page", F_UINT, 1000000, 0 },
	{ NULL, 0, 0, 0 }
};

/* audit_get - GET /audit */
static void
audit_get(struct req *r)
{
	struct tdata *d = page_data(r), *it;
	struct audit_query q;
	struct audit_entry *v;
	struct domain *dom = NULL;
	struct err err = { 0 };
	uint64_t page = 1, did = 0;
	int64_t total = 0;
	size_t n = 0, i;
	int status = 200;
	char *base;

	if (!form_uint(r, "page", &page) || page < 1)
		page = 1;
	memset(&q, 0, sizeof(q));
	if (form_uint(r, "d", &did)) {
		if (!page_got(r, domain_brief(&r->ctx, r->sess, (int64_t)did,
		    &dom, &err), &err, _("No such domain.")))
			return;
		r->domain = dom;
		q.domain_id = dom->id;
	}
	q.actor = form_str(r, "actor");
	q.from = form_str(r, "from");
	q.to = form_str(r, "to");
	q.limit = LIST_PAGE;
	q.offset = (unsigned int)((page - 1) * LIST_PAGE);
	if (form_has_errors(r))
		status = 422;
	else if (audit_list(&r->ctx, &q, &v, &n, &total, &err) == -1) {
		if (!form_refused(r, &err))
			return;
		status = 422;
	}
	form_fill(r, d);
	td_list(d, "rows");
	for (i = 0; status == 200 && i < n; i++) {
		it = td_item(d, "rows");
		td_str(it, "at", v[i].at);
		td_str(it, "actor", v[i].actor);
		td_str(it, "role", v[i].role);
		td_str(it, "client", v[i].client);
		td_str(it, "domain", v[i].domain_name);
		td_str(it, "object", v[i].object);
		td_str(it, "action", v[i].action);
		td_str(it, "old", v[i].old_value);
		td_str(it, "new", v[i].new_value);
	}
	td_int(d, "total", total);
	td_str(d, "count", pool_printf(r->pool, P_("%lld entry", "%lld entries",
	    (unsigned long)total), (long long)total));
	base = pool_printf(r->pool, "/audit?d=%s&actor=%s&from=%s&to=%s",
	    dom ? pool_printf(r->pool, "%lld", (long long)dom->id) : "",
	    http_urlencode(r->pool, q.actor ? q.actor : ""),
	    http_urlencode(r->pool, q.from ? q.from : ""),
	    http_urlencode(r->pool, q.to ? q.to : ""));
	if (page > 1)
		td_str(d, "prev", pool_printf(r->pool, "%s&page=%llu", base,
		    (unsigned long long)page - 1));
	if ((int64_t)(page * LIST_PAGE) < total)
		td_str(d, "next", pool_printf(r->pool, "%s&page=%llu", base,
		    (unsigned long long)page + 1));
	if (status != 200)
		td_str(d, "message", _("Please correct the marked fields."));
	page_render(r, status, "audit", _("Audit Log"), d);
}

const struct route page_audit_routes[] = {
	{ "GET", "/audit", ROLES_ALL, R_DOMAINOPT, audit_fields, audit_get,
	    N_("Audit Log"), 95 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
