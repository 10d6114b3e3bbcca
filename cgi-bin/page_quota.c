/*
 * NAME
 *	page_quota - "Quotas": a domain's quota and its mailboxes' quotas
 *
 * DESCRIPTION
 *	For support staff (and resellers, superusers): the domain's total
 *	mail quota with what is given out and used, and one page of its
 *	mailboxes with quota and usage, each with its own small form.  A
 *	mailbox quota goes through mailbox_update() (the plan's total is
 *	checked there), the domain quota through domain_set_quota(); both
 *	are audited with the old and new value.
 */
#include <string.h>
#include <strings.h>

#include "app.h"
#include "authz.h"
#include "domain.h"
#include "limit.h"
#include "list.h"
#include "mailbox.h"
#include "valid.h"

#define LIST_PAGE	25

static const struct fielddef quota_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "page", F_UINT, 1000000, 0 },
	{ "q", F_TEXT, 100, 0 },
	{ "what", F_TEXT, 8, 0 },
	{ "id", F_ID, 0, 0 },
	{ "quota", F_TEXT, 32, 0 },
	{ "mode", F_TEXT, 16, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ NULL, 0, 0, 0 }
};

/* quota_page - the page, with an error for the domain form or one row */
static void
quota_page(struct req *r, int status, const struct domain *dom,
    int64_t err_id, const char *errmsg)
{
	struct tdata *d = page_data(r), *it;
	struct domain_usage u;
	struct plan *pl, *base;
	struct mailbox *v;
	struct list_query q;
	struct err err = { 0 };
	uint64_t page = 1;
	int64_t total;
	size_t n, i;
	const char *done = form_str(r, "done");

	if (!form_uint(r, "page", &page) || page < 1)
		page = 1;
	memset(&q, 0, sizeof(q));
	q.search = form_str(r, "q");
	q.sort = LIST_SORT_LOGIN;
	q.limit = LIST_PAGE;
	q.offset = (unsigned int)((page - 1) * LIST_PAGE);
	if (domain_usage(&r->ctx, dom->id, &u, &err) != 1 ||
	    domain_plan(&r->ctx, dom, &pl, &err) == -1 ||
	    plan_get(&r->ctx, dom->plan_id, &base, &err) != 1 ||
	    list_mailboxes(&r->ctx, dom->id, &q, &v, &n, &total, &err) == -1) {
		page_err(r, &err);
		return;
	}
	td_int(d, "id", dom->id);
	td_str(d, "name", dom->name);
	td_str(d, "plan", dom->plan_name);
	td_str(d, "plan_quota", limit_show_size(r->pool, base->mail_quota));
	td_str(d, "mail_quota", limit_show_size(r->pool, pl->mail_quota));
	td_bool(d, "own_quota", dom->mail_quota >= 0);
	td_str(d, "f_domain_quota", dom->mail_quota >= 0 ?
	    valid_size_format(r->pool, (uint64_t)dom->mail_quota) : "");
	td_str(d, "allocated", valid_size_format(r->pool,
	    (uint64_t)u.quota_allocated));
	td_str(d, "disk_used", valid_size_format(r->pool, (uint64_t)u.disk_used));
	td_int(d, "mailboxes", u.mailboxes);
	td_str(d, "q", q.search ? q.search : "");
	td_bool(d, "may_domain", r->actor.role != ROLE_OWNER);
	if (errmsg != NULL) {
		/* the summary above the page: one form, one field */
		form_fill_errors(r, d);
		it = td_item(d, "errors");
		td_str(it, "err_id", err_id == 0 ? "domain_quota" :
		    pool_printf(r->pool, "quota-%lld", (long long)err_id));
		td_str(it, "err_msg", errmsg);
		td_bool(d, "has_errors", 1);
	}
	if (err_id == 0 && errmsg != NULL) {
		td_str(d, "e_domain_quota", errmsg);
		if (form_str(r, "quota") != NULL)
			td_str(d, "f_domain_quota", form_str(r, "quota"));
	}
	td_list(d, "rows");
	for (i = 0; i < n; i++) {
		it = td_item(d, "rows");
		td_int(it, "mid", v[i].id);
		td_str(it, "login", v[i].login);
		td_str(it, "address", v[i].address);
		td_str(it, "real_name", v[i].real_name);
		td_str(it, "quota", limit_show_quota(r->pool, v[i].quota));
		td_str(it, "f_quota", v[i].quota ? valid_size_format(r->pool,
		    (uint64_t)v[i].quota) : "");
		td_str(it, "used", valid_size_format(r->pool,
		    (uint64_t)v[i].used_bytes));
		td_int(it, "pct", v[i].quota > 0 ? (v[i].used_bytes >= v[i].quota ?
		    100 : v[i].used_bytes * 100 / v[i].quota) : 0);
		td_bool(it, "unlimited", v[i].quota == 0);
		if (err_id == v[i].id && errmsg != NULL) {
			td_str(it, "e_quota", errmsg);
			if (form_str(r, "quota") != NULL)
				td_str(it, "f_quota", form_str(r, "quota"));
		}
	}
	td_int(d, "total", total);
	td_str(d, "count", pool_printf(r->pool, P_("%lld mailbox",
	    "%lld mailboxes", (unsigned long)total), (long long)total));
	if (page > 1)
		td_str(d, "prev", pool_printf(r->pool, "/quota?d=%lld&page=%llu&q=%s",
		    (long long)dom->id, (unsigned long long)page - 1,
		    http_urlencode(r->pool, q.search ? q.search : "")));
	if ((int64_t)(page * LIST_PAGE) < total)
		td_str(d, "next", pool_printf(r->pool, "/quota?d=%lld&page=%llu&q=%s",
		    (long long)dom->id, (unsigned long long)page + 1,
		    http_urlencode(r->pool, q.search ? q.search : "")));
	td_int(d, "page", (long long)page);
	if (done != NULL && errmsg == NULL)
		td_bool(d, "done_saved", 1);
	page_render(r, status, "quota", _("Quotas"), d);
}

/* quota_get - GET /quota?d= */
static void
quota_get(struct req *r)
{
	struct domain *dom;

	if ((dom = req_domain(r, AUTHZ_QUOTA)) == NULL)
		return;
	quota_page(r, 200, dom, -1, NULL);
}

/* quota_post - POST /quota?d=: the domain's quota or one mailbox's */
static void
quota_post(struct req *r)
{
	struct domain *dom;
	struct mailbox_input in;
	struct mailbox *m;
	struct err err = { 0 };
	const char *s = form_str(r, "quota"), *why;
	uint64_t id = 0, page = 1;
	int64_t quota;
	int domain = form_is(r, "what", "domain");

	if ((dom = req_domain(r, AUTHZ_QUOTA)) == NULL)
		return;
	if (!domain && !form_uint(r, "id", &id)) {
		page_error(r, 404, _("No such mailbox."));
		return;
	}
	/* the domain's: a size, or the plan's (-1); a mailbox's: a size or
	 * "unlimited" (limit.h) */
	if (form_is(r, "mode", "plan") && domain)
		quota = LIMIT_UNLIMITED;
	else if (s == NULL || *s == '\0') {
		quota_page(r, 422, dom, (int64_t)id,
		    _("Please enter a quota, like 3 GB."));
		return;
	} else if ((why = domain ? limit_parse_size(s, 0, &quota) :
	    limit_parse_quota(s, &quota)) != NULL) {
		quota_page(r, 422, dom, (int64_t)id, why);
		return;
	}
	if (domain) {
		if (domain_set_quota(&r->ctx, dom->id, quota, &err) == -1)
			goto fail;
	} else {
		if (!page_got(r, mailbox_get(&r->ctx, (int64_t)id, &m, &err),
		    &err, _("No such mailbox.")))
			return;
		if (m->domain_id != dom->id || *m->deleted_at != '\0') {
			page_error(r, 404, _("No such mailbox."));
			return;
		}
		memset(&in, 0, sizeof(in));
		in.set = MB_SET_QUOTA;
		in.quota = quota;
		if (mailbox_update(&r->ctx, (int64_t)id, &in, &err) == -1)
			goto fail;
	}
	(void)form_uint(r, "page", &page);
	page_redirect(r, pool_printf(r->pool, "/quota?d=%lld&page=%llu&done=saved",
	    (long long)dom->id, (unsigned long long)page));
	return;
fail:
	if (err.kind != ERR_INVALID && err.kind != ERR_LIMIT) {
		page_err(r, &err);
		return;
	}
	quota_page(r, 422, dom, domain ? 0 : (int64_t)id, err.msg);
}

#define ROLES_QUOTA	(ROLES_STAFF | AUTHZ_RB(ROLE_SUPPORT))

const struct route page_quota_routes[] = {
	{ "GET", "/quota", ROLES_QUOTA, R_DOMAIN, quota_fields, quota_get,
	    N_("Quotas"), 30 },
	{ "POST", "/quota", ROLES_QUOTA, R_DOMAIN, quota_fields, quota_post,
	    NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
