/*
 * NAME
 *	page_domains - virtual servers: create, list, details, edit, delete
 *
 * DESCRIPTION
 *	"Create Virtual Server" (superuser, reseller), "List Virtual Servers"
 *	(paginated and searched in SQL, usage per row from one statement),
 *	"Virtual Server Details" (seed 000 §5), and the edit and delete forms.
 *	Every rule (names, prefixes, allowance, plan fit, role aliases,
 *	authorisation) is in lib/domain.c; a lib/ error with a field is shown
 *	next to that field, with the other fields kept (never a password).
 *	The prefix is suggested by lib/ ("Suggest" button, or left empty)
 *	and can be changed only here, at creation.
 */
#include <string.h>

#include "app.h"
#include "authz.h"
#include "domain.h"
#include "limit.h"
#include "list.h"
#include "passwd.h"
#include "valid.h"

#define LIST_PAGE	25

static const struct fielddef list_fields[] = {
	{ "q", F_TEXT, 253, 0 },
	{ "page", F_UINT, 1000000, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef new_fields[] = {
	{ "name", F_TEXT, 253, 0 },
	{ "prefix", F_TEXT, 32, 0 },
	{ "plan", F_ID, 0, 0 },
	{ "description", F_TEXT, 255, 0 },
	{ "contact", F_TEXT, 254, 0 },
	{ "owner_mode", F_TEXT, 8, 0 },
	{ "owner_login", F_TEXT, 64, 0 },
	{ "owner_password", F_PASSWORD, 128, 0 },
	{ "owner_password2", F_PASSWORD, 128, 0 },
	{ "owner", F_ID, 0, 0 },
	{ "suggest", F_TEXT, 8, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef edit_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "plan", F_ID, 0, 0 },
	{ "description", F_TEXT, 255, 0 },
	{ "contact", F_TEXT, 254, 0 },
	{ "disabled", F_BOOL, 0, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef delete_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "confirm", F_TEXT, 253, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef view_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ NULL, 0, 0, 0 }
};

/* plan_options - the plan select: the plans the actor may give (lib/
 * decides), and the domain's current plan (0 for none), selected marked */
static int
plan_options(struct req *r, struct tdata *d, int64_t selected,
    int64_t current)
{
	struct plan *v, *cur = NULL;
	struct err err = { 0 };
	struct tdata *it;
	size_t n, i;

	if (plan_list(&r->ctx, &v, &n, &err) == -1) {
		page_err(r, &err);
		return -1;
	}
	for (i = 0; current > 0 && i < n && v[i].id != current; i++)
		;
	if (current > 0 && i == n && plan_get(&r->ctx, current, &cur,
	    &err) != 1) {
		page_err(r, &err);
		return -1;
	}
	td_list(d, "plans");
	if (cur != NULL) {
		it = td_item(d, "plans");
		td_int(it, "id", cur->id);
		td_str(it, "name", cur->name);
		td_str(it, "quota", limit_show_size(r->pool, cur->mail_quota));
		td_str(it, "mailboxes", limit_show_count(r->pool, cur->max_mailboxes));
		td_bool(it, "selected", cur->id == selected);
	}
	for (i = 0; i < n; i++) {
		if (v[i].id != current && !plan_may_use(&r->ctx, &v[i]))
			continue;
		it = td_item(d, "plans");
		td_int(it, "id", v[i].id);
		td_str(it, "name", v[i].name);
		td_str(it, "quota", limit_show_size(r->pool, v[i].mail_quota));
		td_str(it, "mailboxes", limit_show_count(r->pool, v[i].max_mailboxes));
		td_bool(it, "selected", v[i].id == selected);
	}
	return 0;
}

/* list_get - GET /domains: "List Virtual Servers" */
static void
list_get(struct req *r)
{
	struct tdata *d = page_data(r), **it;
	struct domain *v;
	struct err err = { 0 };
	const char *q = form_str(r, "q"), *done = form_str(r, "done");
	uint64_t page = 1;
	int64_t total;
	size_t n, i;

	if (!form_uint(r, "page", &page) || page < 1)
		page = 1;
	if (list_domains(&r->ctx, q, LIST_PAGE, (unsigned int)((page - 1) *
	    LIST_PAGE), &v, &n, &total, &err) == -1) {
		page_err(r, &err);
		return;
	}
	td_bool(d, "may_create", domain_may_create(&r->ctx));
	it = page_domain_list(r, d, "/domains", q, v, n, total, (int64_t)page,
	    LIST_PAGE);
	for (i = 0; i < n; i++) {
		td_int(it[i], "mailboxes", v[i].used_mailboxes);
		td_str(it[i], "max_mailboxes", limit_show_count(r->pool,
		    v[i].max_mailboxes));
		td_str(it[i], "disk", valid_size_format(r->pool,
		    (uint64_t)v[i].used_disk));
		td_str(it[i], "quota", limit_show_size(r->pool,
		    v[i].quota_total));
	}
	/* the name is not taken from the link: it would let anyone show a
	 * text of their choosing in the panel's own words */
	if (done != NULL && strcmp(done, "deleted") == 0)
		td_bool(d, "deleted", 1);
	page_render(r, 200, "domain_list", _("List Virtual Servers"), d);
}

/* view_get - GET /domain?d=: "Virtual Server Details" */
static void
view_get(struct req *r)
{
	struct tdata *d;
	struct domain *dom;
	struct domain_usage u;
	struct plan *pl;
	struct err err = { 0 };
	const char *done = form_str(r, "done");

	if ((dom = req_domain(r, AUTHZ_VIEW)) == NULL)
		return;
	/* the owner and the creator too */
	if (!page_got(r, domain_get(&r->ctx, dom->id, &dom, &err), &err,
	    _("No such domain.")))
		return;
	r->domain = dom;
	if ((d = page_domain_facts(r, dom, &u, &pl)) == NULL)
		return;
	td_int(d, "id", dom->id);
	td_str(d, "owner", dom->owner_login);
	td_str(d, "created_at", dom->created_at);
	td_str(d, "created_by", dom->created_by);
	td_bool(d, "own_quota", dom->mail_quota >= 0);
	td_str(d, "default_quota", limit_show_quota(r->pool,
	    pl->default_mailbox_quota));
	td_bool(d, "may_admin", authz_domain(&r->ctx, dom->id, AUTHZ_ADMIN,
	    &err) == 0);
	td_bool(d, "may_quota", r->actor.role != ROLE_OWNER &&
	    authz_domain(&r->ctx, dom->id, AUTHZ_QUOTA, &err) == 0);
	if (done != NULL)
		td_bool(d, pool_printf(r->pool, "done_%s",
		    strcmp(done, "created") == 0 ? "created" : "saved"), 1);
	page_render(r, 200, "domain_view", _("Virtual Server Details"), d);
}

/* new_form - the creation form, fresh or again with errors */
static void
new_form(struct req *r, int status, const char *message)
{
	struct tdata *d = page_data(r), *it;
	struct owner_choice *v;
	struct err err = { 0 };
	uint64_t plan = 0, owner = 0;
	size_t n, i;

	if (r->is_post)
		form_fill(r, d);
	(void)form_uint(r, "plan", &plan);
	(void)form_uint(r, "owner", &owner);
	if (plan_options(r, d, (int64_t)plan, 0) == -1)
		return;
	if (domain_owner_choices(&r->ctx, &v, &n, &err) == -1) {
		page_err(r, &err);
		return;
	}
	td_list(d, "owners");
	for (i = 0; i < n; i++) {
		it = td_item(d, "owners");
		td_int(it, "id", v[i].id);
		td_str(it, "login", v[i].login);
		td_bool(it, "selected", (uint64_t)v[i].id == owner);
	}
	td_bool(d, "owner_existing", form_is(r, "owner_mode", "existing"));
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "domain_new", _("Create Virtual Server"), d);
}

/* new_get - GET /domain/new */
static void
new_get(struct req *r)
{
	if (!domain_may_create(&r->ctx)) {
		page_error(r, 403, _("You are not allowed to see this page."));
		return;
	}
	new_form(r, 200, NULL);
}

/* new_post - POST /domain/new: suggest a prefix, or create */
static void
new_post(struct req *r)
{
	struct domain_input in;
	struct err err = { 0 };
	uint64_t u;
	int64_t id;

	if (form_str(r, "suggest") != NULL) {
		char *p = NULL;
		int rc = 0;

		if (form_str(r, "name") == NULL)
			form_error(r, "name", _("Please enter a domain name."));
		else if ((rc = domain_prefix_suggest(&r->ctx,
		    form_str(r, "name"), &p, &err)) == -1) {
			form_wipe(r, "owner_password", "owner_password2", NULL);
			page_err(r, &err);
			return;
		} else if (rc == 0)
			form_error(r, "name", _("No prefix could be made from this name; please type one."));
		else {
			size_t i;

			for (i = 0; i < r->nfields; i++)
				if (strcmp(r->fields[i].def->name, "prefix") == 0) {
					r->fields[i].raw = p;
					r->fields[i].ok = 1;
					r->fields[i].err = NULL;
				}
		}
		form_wipe(r, "owner_password", "owner_password2", NULL);
		new_form(r, form_has_errors(r) ? 422 : 200, NULL);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.name = form_str(r, "name");
	in.prefix = form_str(r, "prefix");
	in.plan_id = form_uint(r, "plan", &u) ? (int64_t)u : 0;
	in.description = form_str(r, "description");
	in.contact_email = form_str(r, "contact");
	if (form_is(r, "owner_mode", "existing")) {
		if (form_uint(r, "owner", &u))
			in.owner_id = (int64_t)u;
		else
			form_error(r, "owner", _("Please choose an owner."));
	} else {
		in.owner_login = form_str(r, "owner_login");
		in.owner_password = form_str(r, "owner_password");
		in.owner_password2 = form_str(r, "owner_password2");
	}
	/* the edge's refusals and lib/'s, all at once, nothing written */
	form_to_err(r, &err);
	if (domain_create(&r->ctx, app.cfg, &in, &id, &err) == -1) {
		form_wipe(r, "owner_password", "owner_password2", NULL);
		if (form_refused(r, &err))
			new_form(r, 422, form_message(r, &err));
		return;
	}
	form_wipe(r, "owner_password", "owner_password2", NULL);
	page_redirect(r, pool_printf(r->pool, "/domain?d=%lld&done=created",
	    (long long)id));
}

/* edit_form - the edit form, fresh or again with errors */
static void
edit_form(struct req *r, int status, const struct domain *dom,
    const char *message)
{
	struct tdata *d = page_data(r);
	uint64_t plan = (uint64_t)dom->plan_id;

	td_int(d, "id", dom->id);
	td_str(d, "name", dom->name);
	td_str(d, "prefix", dom->prefix);
	if (r->is_post) {
		form_fill(r, d);
		if (!form_uint(r, "plan", &plan))
			plan = 0;
	} else {
		td_str(d, "f_description", dom->description);
		td_str(d, "f_contact", dom->contact_email);
		td_bool(d, "f_disabled", !dom->active);
	}
	if (plan_options(r, d, (int64_t)plan, dom->plan_id) == -1)
		return;
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "domain_edit", _("Edit Virtual Server"), d);
}

/* edit_get - GET /domain/edit?d= */
static void
edit_get(struct req *r)
{
	struct domain *dom;

	if ((dom = req_domain(r, AUTHZ_ADMIN)) == NULL)
		return;
	edit_form(r, 200, dom, NULL);
}

/* edit_post - POST /domain/edit?d= */
static void
edit_post(struct req *r)
{
	struct domain *dom;
	struct domain_change ch;
	struct err err = { 0 };
	uint64_t u;

	if ((dom = req_domain(r, AUTHZ_ADMIN)) == NULL)
		return;
	ch.plan_id = form_uint(r, "plan", &u) ? (int64_t)u : 0;
	ch.description = form_str(r, "description");
	ch.contact_email = form_str(r, "contact");
	ch.active = !form_bool(r, "disabled");
	form_to_err(r, &err);
	if (domain_update(&r->ctx, dom->id, &ch, &err) == -1) {
		if (form_refused(r, &err))
			edit_form(r, 422, dom, form_message(r, &err));
		return;
	}
	page_redirect(r, pool_printf(r->pool, "/domain?d=%lld&done=saved",
	    (long long)dom->id));
}

/* delete_form - what goes, and the name to type again */
static void
delete_form(struct req *r, int status, const struct domain *dom)
{
	struct tdata *d = page_data(r);
	struct domain_usage u;
	struct err err = { 0 };

	if (domain_usage(&r->ctx, dom->id, &u, &err) != 1) {
		page_err(r, &err);
		return;
	}
	if (r->is_post)
		form_fill(r, d);
	td_int(d, "id", dom->id);
	td_str(d, "name", dom->name);
	td_int(d, "mailboxes", u.mailboxes);
	td_int(d, "aliases", u.aliases);
	page_render(r, status, "domain_delete", _("Delete Virtual Server"), d);
}

/* delete_get - GET /domain/delete?d= */
static void
delete_get(struct req *r)
{
	struct domain *dom;

	if ((dom = req_domain(r, AUTHZ_ADMIN)) == NULL)
		return;
	delete_form(r, 200, dom);
}

/* delete_post - POST /domain/delete?d= */
static void
delete_post(struct req *r)
{
	struct domain *dom;
	struct err err = { 0 };

	if ((dom = req_domain(r, AUTHZ_ADMIN)) == NULL)
		return;
	if (form_has_errors(r) || form_str(r, "confirm") == NULL) {
		form_error(r, "confirm",
		    _("Please type the domain name exactly, to confirm."));
		delete_form(r, 422, dom);
		return;
	}
	if (domain_delete(&r->ctx, dom->id, form_str(r, "confirm"),
	    &err) == -1) {
		if (err.kind != ERR_INVALID) {
			page_err(r, &err);
			return;
		}
		form_error(r, err.field ? err.field : "confirm", err.msg);
		delete_form(r, 422, dom);
		return;
	}
	r->domain = NULL;
	page_redirect(r, "/domains?done=deleted");
}

const struct route page_domains_routes[] = {
	{ "GET", "/domain/new", ROLES_STAFF, 0, new_fields, new_get,
	    N_("Create Virtual Server"), 5 },
	{ "POST", "/domain/new", ROLES_STAFF, 0, new_fields, new_post, NULL, 0 },
	{ "GET", "/domain", ROLES_ALL, R_DOMAIN, view_fields, view_get,
	    N_("Virtual Server Details"), 15 },
	{ "GET", "/domain/edit", ROLES_STAFF, R_DOMAIN, edit_fields, edit_get,
	    NULL, 0 },
	{ "POST", "/domain/edit", ROLES_STAFF, R_DOMAIN, edit_fields, edit_post,
	    NULL, 0 },
	{ "GET", "/domain/delete", ROLES_STAFF, R_DOMAIN, delete_fields,
	    delete_get, NULL, 0 },
	{ "POST", "/domain/delete", ROLES_STAFF, R_DOMAIN, delete_fields,
	    delete_post, NULL, 0 },
	{ "GET", "/domains", ROLES_ALL, 0, list_fields, list_get,
	    N_("List Virtual Servers"), 90 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
