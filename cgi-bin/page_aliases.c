/*
 * NAME
 *	page_aliases - "Edit Mail Aliases", mail forwarding, alias domains
 *
 * DESCRIPTION
 *	The list (seed 000 §10, 003 §2) is one page of the domain's aliases,
 *	paginated and searched in SQL, with "Select all | Invert selection"
 *	as links (postbus.js does the same in place) and "Delete Selected
 *	Aliases" going through a confirmation page that names what goes.
 *	The required aliases (abuse@, postmaster@, ...) show without a box
 *	for those who may not delete them; lib/ refuses anyway, whatever is
 *	posted.
 *
 *	The add/edit form: the name or "All mailboxes" (the catch-all, with
 *	the seed's warning), and what the alias does: forward to the
 *	destinations typed one per line, to everyone in the domain, or
 *	bounce.  The "Mail forwarding settings" section of Edit Mailbox
 *	posts here (/mailbox/forward); an error shows that section alone
 *	again, with the message next to the field.  Alias domains are listed
 *	for every role and added or removed by staff.
 *
 *	Every rule is in lib/ (alias.c, forward.c, aliasdomain.c, address.c);
 *	a lib/ error with a field is shown next to that field.
 */
#include <string.h>

#include "alias.h"
#include "aliasdomain.h"
#include "app.h"
#include "authz.h"
#include "domain.h"
#include "forward.h"
#include "limit.h"
#include "mailbox.h"
#include "valid.h"

#define PER_DEFAULT	25
#define DELETE_MAX	500	/* aliases in one deletion */


static const struct fielddef list_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "q", F_TEXT, 100, 0 },
	{ "page", F_UINT, 1000000, 0 },
	{ "per", F_UINT, 100, 0 },
	{ "select", F_TEXT, 8, 0 },
	{ "sel", F_LIST, 0, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ "n", F_UINT, 100000, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef edit_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "id", F_ID, 0, 0 },
	{ "mode", F_TEXT, 16, 0 },
	{ "name", F_TEXT, 254, 0 },
	{ "kind", F_TEXT, 16, 0 },
	{ "dests", F_MULTILINE, 100000, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef forward_fields[] = {
	{ "id", F_ID, 0, 0 },
	{ "deliver", F_TEXT, 8, 0 },
	{ "forward", F_MULTILINE, 100000, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef adom_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "name", F_TEXT, 253, 0 },
	{ "id", F_ID, 0, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ NULL, 0, 0, 0 }
};

/* list_url - the list with search q, per, at page */
static char *
list_url(struct req *r, int64_t d, const char *q, unsigned int per,
    unsigned int page)
{
	return pool_printf(r->pool, "/aliases?d=%lld&q=%s&per=%u&page=%u",
	    (long long)d, http_urlencode(r->pool, q), per, page);
}

/* dests_line - an alias's destinations on one line, for the confirmation */
static const char *
dests_line(struct req *r, const struct alias *a)
{
	struct buf b;
	size_t i;

	if (a->kind == ALIAS_BOUNCE)
		return _("Bounce mail");
	if (a->kind == ALIAS_EVERYONE)
		return _("Forward to everyone in domain");
	buf_init(&b, r->pool, 128);
	for (i = 0; i < a->ndests; i++)
		buf_printf(&b, "%s%s%s", i ? ", " : "", a->dests[i].text,
		    a->dests[i].deleted ? pool_printf(r->pool, " %s",
		    _("(deleted mailbox)")) : "");
	return b.data;
}

/* notice - the message of a finished action (?done=...) */
static void
notice(struct req *r, struct tdata *d)
{
	const char *done = form_str(r, "done");
	uint64_t n = 0;

	if (done == NULL)
		return;
	(void)form_uint(r, "n", &n);
	if (strcmp(done, "created") == 0)
		td_str(d, "notice", _("The alias has been created."));
	else if (strcmp(done, "saved") == 0)
		td_str(d, "notice", _("The alias has been saved."));
	else if (strcmp(done, "deleted") == 0)
		td_str(d, "notice", pool_printf(r->pool,
		    P_("%llu alias deleted.", "%llu aliases deleted.", n),
		    (unsigned long long)n));
	else if (strcmp(done, "nosel") == 0)
		td_str(d, "warning", _("No alias was selected."));
}

/* list_get - GET /aliases: one page of the domain's aliases */
static void
list_get(struct req *r)
{
	struct tdata *d = page_data(r), *it, *dt;
	struct domain *dom;
	struct alias_page pg;
	struct alias_query aq;
	struct err err = { 0 };
	const char *q = form_str(r, "q") ? form_str(r, "q") : "";
	struct page_sel sel;
	unsigned int per, page;
	uint64_t u;
	size_t i, k;
	int64_t pages;

	if ((dom = req_domain(r, AUTHZ_VIEW)) == NULL)
		return;
	per = page_per(r, d, PER_DEFAULT);
	page = form_uint(r, "page", &u) && u > 0 ? (unsigned int)u : 1;
	aq.search = q;
	aq.limit = per;
	aq.offset = (page - 1) * per;
	if (alias_list_page(&r->ctx, dom->id, &aq, &pg, &err) == -1) {
		page_err(r, &err);
		return;
	}
	pages = pg.total > 0 ? (pg.total + per - 1) / per : 1;
	td_bool(d, "can_mail", pg.can_mail);
	td_str(d, "totals", pool_printf(r->pool, _("Total aliases: %lld."),
	    (long long)(pg.count + pg.roles)));
	td_bool(d, "limited", pg.max >= 0);
	if (pg.max >= 0) {
		int64_t left = pg.max > pg.count ? pg.max - pg.count : 0;

		td_str(d, "limits", pool_printf(r->pool,
		    P_("Based on your limits, %lld more alias can be added.",
		    "Based on your limits, %lld more aliases can be added.",
		    (unsigned long)left), (long long)left));
	}
	td_int(d, "total", pg.total);
	td_str(d, "q", q);
	td_str(d, "pager", pool_printf(r->pool, "%s · %s",
	    pool_printf(r->pool, P_("%lld alias", "%lld aliases",
	    (unsigned long)pg.total), (long long)pg.total),
	    pool_printf(r->pool, _("page %lld of %lld"), (long long)page,
	    (long long)pages)));
	if (page > 1)
		td_str(d, "prev", list_url(r, dom->id, q, per, page - 1));
	if ((int64_t)page < pages)
		td_str(d, "next", list_url(r, dom->id, q, per, page + 1));

	/* the ticked boxes: ?select=all, or ?select=invert&sel=ID... */
	page_sel_init(r, &sel);
	td_list(d, "rows");
	for (i = 0; i < pg.n; i++) {
		const struct alias *a = &pg.rows[i];
		int deletable = pg.can_mail && (!a->role ||
		    r->actor.role == ROLE_SUPERUSER);
		int checked = page_sel_checked(r, &sel, a->id, deletable);

		it = td_item(d, "rows");
		td_int(it, "id", a->id);
		td_str(it, "name", a->name);
		td_bool(it, "catchall", a->kind == ALIAS_CATCHALL);
		td_bool(it, "bounce", a->kind == ALIAS_BOUNCE);
		td_bool(it, "everyone", a->kind == ALIAS_EVERYONE);
		td_bool(it, "role", a->role);
		td_bool(it, "deletable", deletable);
		td_bool(it, "checked", checked);
		td_list(it, "dests");
		for (k = 0; k < a->ndests; k++) {
			dt = td_item(it, "dests");
			td_str(dt, "text", a->dests[k].text);
			td_bool(dt, "deleted", a->dests[k].deleted);
		}
	}
	page_sel_links(r, &sel, d, list_url(r, dom->id, q, per, page));
	notice(r, d);
	page_render(r, 200, "aliases", _("Edit Mail Aliases"), d);
}

/* edit_form - the add/edit form, fresh (GET) or again with errors */
static void
edit_form(struct req *r, int status, const struct domain *dom,
    const struct alias *a, const char *message)
{
	struct tdata *d = page_data(r);
	struct alias_page pg;
	struct alias_query aq = { NULL, 1, 0 };
	struct err err = { 0 };
	const char *kind;
	const char *example = mailbox_login_name(&r->ctx, dom->prefix, 1);

	td_str(d, "domain", dom->name);
	if (a != NULL) {
		td_int(d, "id", a->id);
		td_bool(d, "role", a->role);
	} else
		td_bool(d, "is_new", 1);
	/* the plan's cap on remote destinations, for the hint */
	if (alias_list_page(&r->ctx, dom->id, &aq, &pg, &err) == 0 &&
	    pg.max_remote >= 0)
		td_str(d, "dests_hint", pool_printf(r->pool,
		    P_("One per line: the login of a mailbox (such as %s), an address of this server, or an address elsewhere (at most %lld).",
		    "One per line: the login of a mailbox (such as %s), an address of this server, or addresses elsewhere (at most %lld).",
		    (unsigned long)pg.max_remote), example,
		    (long long)pg.max_remote));
	else
		td_str(d, "dests_hint", pool_printf(r->pool,
		    _("One per line: the login of a mailbox (such as %s), an address of this server, or an address elsewhere."),
		    example));
	if (r->is_post) {
		form_fill(r, d);
		td_bool(d, "f_catchall", form_is(r, "mode", "catchall"));
		kind = form_str(r, "kind") ? form_str(r, "kind") : "normal";
		if (a != NULL && a->role)
			td_str(d, "f_name", a->name);
	} else if (a != NULL) {
		struct buf b;
		size_t i;

		td_str(d, "f_name", a->kind == ALIAS_CATCHALL ? "" : a->name);
		td_bool(d, "f_catchall", a->kind == ALIAS_CATCHALL);
		buf_init(&b, r->pool, 128);
		for (i = 0; i < a->ndests; i++)
			buf_printf(&b, "%s\n", a->dests[i].text);
		td_str(d, "f_dests", b.data);
		kind = alias_kind_name(a->kind);
	} else
		kind = "normal";
	td_bool(d, "k_normal", strcmp(kind, "everyone") != 0 &&
	    strcmp(kind, "bounce") != 0);
	td_bool(d, "k_everyone", strcmp(kind, "everyone") == 0);
	td_bool(d, "k_bounce", strcmp(kind, "bounce") == 0);
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "alias_edit", a ? _("Edit Alias") :
	    _("Create Alias"), d);
}

/* read_input - the posted form as an alias_input */
static void
read_input(struct req *r, struct alias_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = form_str(r, "name");
	in->dests = form_str(r, "dests");
	if (form_is(r, "kind", "everyone"))
		in->kind = ALIAS_EVERYONE;
	else if (form_is(r, "kind", "bounce"))
		in->kind = ALIAS_BOUNCE;
	else if (form_is(r, "mode", "catchall"))
		in->kind = ALIAS_CATCHALL;
	else
		in->kind = ALIAS_NORMAL;
}

/* lib_error - a lib/ error: the form again (422) or an error page */
static void
lib_error(struct req *r, const struct domain *dom, const struct alias *a,
    const struct err *err)
{
	if (form_refused(r, err))
		edit_form(r, 422, dom, a, form_message(r, err));
}

/* new_get - GET /alias/new: the empty form */
static void
new_get(struct req *r)
{
	struct domain *dom;

	if ((dom = req_domain(r, AUTHZ_MAIL)) == NULL)
		return;
	edit_form(r, 200, dom, NULL, NULL);
}

/* new_post - POST /alias/new: create it */
static void
new_post(struct req *r)
{
	struct domain *dom;
	struct alias_input in;
	struct err err = { 0 };
	int64_t id;

	if ((dom = req_domain(r, AUTHZ_MAIL)) == NULL)
		return;
	read_input(r, &in);
	form_to_err(r, &err);	/* lib/ adds its own, writes nothing */
	if (alias_create(&r->ctx, dom->id, &in, &id, &err) == -1) {
		lib_error(r, dom, NULL, &err);
		return;
	}
	page_redirect(r, pool_printf(r->pool, "/aliases?d=%lld&done=created",
	    (long long)dom->id));
}

/* load - the alias of ?id= and its domain, or an error page */
static struct alias *
load(struct req *r, struct domain **dom_r)
{
	struct alias *a;
	struct domain *dom;
	struct err err = { 0 };
	int64_t id = query_id(r, "id");

	*dom_r = NULL;
	if (!page_got(r, id > 0 ? alias_get(&r->ctx, id, &a, &err) : 0,
	    &err, _("No such alias.")))
		return NULL;
	if (domain_get(&r->ctx, a->domain_id, &dom, &err) != 1) {
		page_err(r, &err);
		return NULL;
	}
	r->domain = dom;
	*dom_r = dom;
	return a;
}

/* edit_get - GET /alias/edit?id=: the filled-in form */
static void
edit_get(struct req *r)
{
	struct domain *dom;
	struct alias *a;

	if ((a = load(r, &dom)) == NULL)
		return;
	edit_form(r, 200, dom, a, NULL);
}

/* edit_post - POST /alias/edit?id=: save it */
static void
edit_post(struct req *r)
{
	struct domain *dom;
	struct alias *a;
	struct alias_input in;
	struct err err = { 0 };

	if ((a = load(r, &dom)) == NULL)
		return;
	read_input(r, &in);
	form_to_err(r, &err);
	if (alias_update(&r->ctx, a->id, &in, &err) == -1) {
		lib_error(r, dom, a, &err);
		return;
	}
	page_redirect(r, pool_printf(r->pool, "/aliases?d=%lld&done=saved",
	    (long long)dom->id));
}

/* delete_row - one alias on the confirmation page */
static int
delete_row(struct req *r, int64_t domain_id, int64_t id, struct tdata *it)
{
	struct alias *a;
	struct err err = { 0 };

	if (!page_got(r, alias_get(&r->ctx, id, &a, &err), &err,
	    _("No such alias.")))
		return -1;
	if (a->domain_id != domain_id) {
		page_error(r, 404, _("No such alias."));
		return -1;
	}
	td_int(it, "id", a->id);
	td_str(it, "address", a->address);
	td_bool(it, "catchall", a->kind == ALIAS_CATCHALL);
	td_str(it, "dests", dests_line(r, a));
	return 0;
}

/* delete_post - POST /aliases/delete: confirm, then delete */
static void
delete_post(struct req *r)
{
	struct tdata *d;
	size_t n;

	if ((d = page_delete_rows(r, "/aliases", DELETE_MAX, alias_delete,
	    delete_row, &n)) == NULL)
		return;
	td_str(d, "delete_button", pool_printf(r->pool,
	    P_("Delete %llu alias", "Delete %llu aliases", (unsigned long)n),
	    (unsigned long long)n));
	page_render(r, 200, "alias_delete", _("Delete Mail Aliases"), d);
}

/* Mail forwarding settings --------------------------------------------- */

/* page_forward_fill - the forwarding section of Edit Mailbox: fw_*
 * keys for mailbox m (nothing when it cannot be read) */
void
page_forward_fill(struct req *r, struct tdata *d, const struct mailbox *m)
{
	struct forward f;
	struct err err = { 0 };
	struct buf b;
	size_t i;

	if (authz_domain(&r->ctx, m->domain_id, AUTHZ_MAIL, &err) == -1 ||
	    forward_get(&r->ctx, m->id, &f, &err) == -1)
		return;
	td_bool(d, "fw_show", 1);
	td_bool(d, "fw_keep", f.keep);
	buf_init(&b, r->pool, 128);
	for (i = 0; i < f.n; i++)
		buf_printf(&b, "%s\n", f.dests[i]);
	td_str(d, "fw_text", b.data);
}

/* page_forward_label - "→ 2 addresses" for the mailbox list; "" none */
const char *
page_forward_label(struct req *r, int64_t n)
{
	if (n <= 0)
		return "";
	return pool_printf(r->pool, P_("→ %lld address", "→ %lld addresses",
	    (unsigned long)n), (long long)n);
}

/* forward_form - the forwarding section alone, with its error */
static void
forward_form(struct req *r, int status, const struct mailbox *m,
    const char *message)
{
	struct tdata *d = page_data(r);

	td_int(d, "id", m->id);
	td_str(d, "login", m->login);
	td_str(d, "address", m->address);
	if (r->is_post) {
		form_fill(r, d);
		td_bool(d, "fw_keep", !form_is(r, "deliver", "no"));
		td_str(d, "fw_text", form_raw(r, "forward"));
	} else
		page_forward_fill(r, d, m);
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "mailbox_forward", _("Mail forwarding settings"),
	    d);
}

/* forward_get_page - GET /mailbox/forward?id= */
static void
forward_get_page(struct req *r)
{
	struct mailbox *m;
	struct domain *dom;

	if ((m = page_mailbox_load(r, &dom)) != NULL)
		forward_form(r, 200, m, NULL);
}

/* forward_post - POST /mailbox/forward?id=: save the forwarding */
static void
forward_post(struct req *r)
{
	struct mailbox *m;
	struct domain *dom;
	struct err err = { 0 };

	if ((m = page_mailbox_load(r, &dom)) == NULL)
		return;
	if (form_has_errors(r)) {
		forward_form(r, 422, m, _("Please correct the marked fields."));
		return;
	}
	if (forward_set(&r->ctx, m->id, !form_is(r, "deliver", "no"),
	    form_str(r, "forward"), &err) == -1) {
		if (err.field == NULL && err_is_input(&err))
			form_error(r, "forward", err.msg);
		if (form_refused(r, &err))
			forward_form(r, 422, m, form_message(r, &err));
		return;
	}
	page_redirect(r, pool_printf(r->pool,
	    "/mailboxes?d=%lld&done=saved&login=%s", (long long)m->domain_id,
	    http_urlencode(r->pool, m->login)));
}

/* Alias domains --------------------------------------------------------- */

/* adom_line - "2 of Unlimited" */
static const char *
adom_line(struct req *r, const struct aliasdomain_allowance *a)
{
	return pool_printf(r->pool, _("%lld of %s"), (long long)a->count,
	    a->max < 0 ? _("Unlimited") : pool_printf(r->pool, "%lld",
	    (long long)a->max));
}

/* page_aliasdomain_fill - "Domain aliases: 2 of Unlimited" and the names,
 * for Virtual Server Details and Information (adom_* keys) */
void
page_aliasdomain_fill(struct req *r, struct tdata *d, int64_t domain_id)
{
	struct aliasdomain *v;
	struct aliasdomain_allowance a;
	struct err err = { 0 };
	struct tdata *it;
	size_t n, i;

	if (aliasdomain_list(&r->ctx, domain_id, &v, &n, &a, &err) == -1)
		return;
	td_str(d, "adom_line", adom_line(r, &a));
	td_list(d, "adoms");
	for (i = 0; i < n; i++) {
		it = td_item(d, "adoms");
		td_str(it, "name", v[i].name);
	}
}

/* adom_page - GET /aliasdomains: the list, and the form for staff */
static void
adom_page(struct req *r, int status, const char *message)
{
	struct tdata *d = page_data(r), *it;
	struct domain *dom;
	struct aliasdomain *v;
	struct aliasdomain_allowance a;
	struct err err = { 0 }, e = { 0 };
	size_t n, i;

	if ((dom = req_domain(r, AUTHZ_VIEW)) == NULL)
		return;
	if (aliasdomain_list(&r->ctx, dom->id, &v, &n, &a, &err) == -1) {
		page_err(r, &err);
		return;
	}
	td_bool(d, "can_admin", authz_domain(&r->ctx, dom->id, AUTHZ_ADMIN,
	    &e) == 0);
	td_str(d, "adom_line", adom_line(r, &a));
	td_bool(d, "has_rows", n > 0);
	td_list(d, "rows");
	for (i = 0; i < n; i++) {
		it = td_item(d, "rows");
		td_int(it, "id", v[i].id);
		td_str(it, "name", v[i].name);
		td_str(it, "created_at", v[i].created_at);
		td_str(it, "created_by", v[i].created_by);
	}
	if (r->is_post)
		form_fill(r, d);
	if (form_is(r, "done", "added"))
		td_str(d, "notice", _("The alias domain has been added."));
	else if (form_is(r, "done", "deleted"))
		td_str(d, "notice", _("The alias domain has been removed."));
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "aliasdomains", _("Alias Domains"), d);
}

/* adom_get - GET /aliasdomains */
static void
adom_get(struct req *r)
{
	adom_page(r, 200, NULL);
}

/* adom_add - POST /aliasdomains/add */
static void
adom_add(struct req *r)
{
	struct domain *dom;
	struct err err = { 0 };

	if ((dom = req_domain(r, AUTHZ_ADMIN)) == NULL)
		return;
	if (form_has_errors(r)) {
		adom_page(r, 422, _("Please correct the marked fields."));
		return;
	}
	if (aliasdomain_add(&r->ctx, app.cfg, dom->id, form_str(r, "name"),
	    &err) == -1) {
		if (err.field == NULL && err_is_input(&err))
			form_error(r, "name", err.msg);
		if (form_refused(r, &err))
			adom_page(r, 422, form_message(r, &err));
		return;
	}
	page_redirect(r, pool_printf(r->pool, "/aliasdomains?d=%lld&done=added",
	    (long long)dom->id));
}

/* adom_delete - POST /aliasdomains/delete */
static void
adom_delete(struct req *r)
{
	struct domain *dom;
	struct err err = { 0 };
	uint64_t id;

	if ((dom = req_domain(r, AUTHZ_ADMIN)) == NULL)
		return;
	if (!form_uint(r, "id", &id)) {
		page_error(r, 404, _("No such alias domain."));
		return;
	}
	if (aliasdomain_delete(&r->ctx, (int64_t)id, &err) == -1) {
		page_err(r, &err);
		return;
	}
	page_redirect(r, pool_printf(r->pool, "/aliasdomains?d=%lld&done=deleted",
	    (long long)dom->id));
}

const struct route page_aliases_routes[] = {
	{ "GET", "/aliases", ROLES_ALL, R_DOMAIN, list_fields, list_get,
	    N_("Edit Mail Aliases"), 25 },
	{ "POST", "/aliases/delete", ROLES_MAIL, R_DOMAIN, page_delete_fields,
	    delete_post, NULL, 0 },
	{ "GET", "/alias/new", ROLES_MAIL, R_DOMAIN, NULL, new_get, NULL, 0 },
	{ "POST", "/alias/new", ROLES_MAIL, R_DOMAIN, edit_fields, new_post,
	    NULL, 0 },
	{ "GET", "/alias/edit", ROLES_MAIL, 0, NULL, edit_get, NULL, 0 },
	{ "POST", "/alias/edit", ROLES_MAIL, 0, edit_fields, edit_post,
	    NULL, 0 },
	{ "GET", "/mailbox/forward", ROLES_MAIL, 0, NULL, forward_get_page,
	    NULL, 0 },
	{ "POST", "/mailbox/forward", ROLES_MAIL, 0, forward_fields,
	    forward_post, NULL, 0 },
	{ "GET", "/aliasdomains", ROLES_ALL, R_DOMAIN, adom_fields, adom_get,
	    NULL, 0 },
	{ "POST", "/aliasdomains/add", ROLES_STAFF, R_DOMAIN, adom_fields,
	    adom_add, NULL, 0 },
	{ "POST", "/aliasdomains/delete", ROLES_STAFF, R_DOMAIN, adom_fields,
	    adom_delete, NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
