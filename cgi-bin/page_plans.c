/*
 * NAME
 *	page_plans - "Account Plans": list, create, edit
 *
 * DESCRIPTION
 *	A plan's sizes are typed as "3 GB", "500 MB" (limit.h); an empty
 *	limit means Unlimited.  Saving a plan that would put a domain over
 *	it is refused by lib/ with the list of those domains, which the form
 *	shows.  Resellers edit only the plans they made (lib/ decides).
 */
#include <string.h>
#include <strings.h>

#include "app.h"
#include "authz.h"
#include "domain.h"
#include "limit.h"
#include "valid.h"

/* the plan's fields: name, and how each is typed */
enum kind { K_SIZE, K_COUNT };

struct limitdef {
	const char	*name;
	enum kind	 kind;
	int		 unlimited_ok;	/* empty allowed: unlimited */
};

static const struct limitdef limits[] = {
	{ "mail_quota", K_SIZE, 1 },
	{ "max_mailboxes", K_COUNT, 1 },
	{ "default_mailbox_quota", K_SIZE, 1 },
	{ "max_aliases", K_COUNT, 1 },
	{ "max_alias_domains", K_COUNT, 1 },
	{ "max_destinations", K_COUNT, 1 },
	{ "max_message_size", K_SIZE, 0 },
	{ "web_quota", K_SIZE, 1 },
	{ "max_virtual_servers", K_COUNT, 1 },
	{ NULL, 0, 0 }
};

static const struct fielddef plan_fields[] = {
	{ "id", F_ID, 0, 0 },
	{ "name", F_TEXT, 64, 0 },
	{ "mail_quota", F_TEXT, 32, 0 },
	{ "max_mailboxes", F_TEXT, 16, 0 },
	{ "default_mailbox_quota", F_TEXT, 32, 0 },
	{ "allow_unlimited_quota", F_BOOL, 0, 0 },
	{ "max_aliases", F_TEXT, 16, 0 },
	{ "max_alias_domains", F_TEXT, 16, 0 },
	{ "max_destinations", F_TEXT, 16, 0 },
	{ "max_message_size", F_TEXT, 32, 0 },
	{ "web_quota", F_TEXT, 32, 0 },
	{ "max_virtual_servers", F_TEXT, 16, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ NULL, 0, 0, 0 }
};

/* plan_slot - where in struct plan a limit goes */
static int64_t *
plan_slot(struct plan *p, const char *name)
{
	if (strcmp(name, "mail_quota") == 0)
		return &p->mail_quota;
	if (strcmp(name, "max_mailboxes") == 0)
		return &p->max_mailboxes;
	if (strcmp(name, "default_mailbox_quota") == 0)
		return &p->default_mailbox_quota;
	if (strcmp(name, "max_aliases") == 0)
		return &p->max_aliases;
	if (strcmp(name, "max_alias_domains") == 0)
		return &p->max_alias_domains;
	if (strcmp(name, "max_destinations") == 0)
		return &p->max_destinations;
	if (strcmp(name, "max_message_size") == 0)
		return &p->max_message_size;
	if (strcmp(name, "web_quota") == 0)
		return &p->web_quota;
	return &p->max_virtual_servers;
}

/* list_get - GET /plans */
static void
list_get(struct req *r)
{
	struct tdata *d = page_data(r), *it;
	struct plan *v;
	struct err err = { 0 };
	const char *done = form_str(r, "done");
	size_t n, i;

	if (plan_list(&r->ctx, &v, &n, &err) == -1) {
		page_err(r, &err);
		return;
	}
	td_list(d, "rows");
	for (i = 0; i < n; i++) {
		it = td_item(d, "rows");
		td_int(it, "id", v[i].id);
		td_str(it, "name", v[i].name);
		td_str(it, "web_quota", limit_show_size(r->pool, v[i].web_quota));
		td_str(it, "mail_quota", limit_show_size(r->pool, v[i].mail_quota));
		td_str(it, "max_mailboxes", limit_show_count(r->pool, v[i].max_mailboxes));
		td_str(it, "default_quota", limit_show_quota(r->pool,
		    v[i].default_mailbox_quota));
		td_str(it, "max_virtual_servers", limit_show_count(r->pool,
		    v[i].max_virtual_servers));
		td_str(it, "max_alias_domains", limit_show_count(r->pool,
		    v[i].max_alias_domains));
		td_str(it, "max_aliases", limit_show_count(r->pool, v[i].max_aliases));
		td_str(it, "max_destinations", limit_show_count(r->pool,
		    v[i].max_destinations));
		td_str(it, "max_message_size", valid_size_format(r->pool,
		    (uint64_t)v[i].max_message_size));
		td_int(it, "ndomains", v[i].ndomains);
		td_bool(it, "may_edit", plan_may_edit(&r->ctx, &v[i]));
	}
	td_bool(d, "may_create", authz_role(&r->ctx,
	    AUTHZ_R(ROLE_SUPERUSER) | AUTHZ_R(ROLE_RESELLER)));
	if (done != NULL)
		td_bool(d, strcmp(done, "created") == 0 ? "done_created" :
		    "done_saved", 1);
	page_render(r, 200, "plans", _("Account Plans"), d);
}

/* fill - the form's fields from a plan (a new one starts as the seed's
 * "Recommended": plan_defaults); an unlimited limit is an empty field */
static void
fill(struct req *r, struct tdata *d, const struct plan *p)
{
	struct plan c = *p;
	size_t i;

	td_str(d, "f_name", p->id > 0 ? p->name : "");
	for (i = 0; limits[i].name != NULL; i++) {
		int64_t v = *plan_slot(&c, limits[i].name);

		if (strcmp(limits[i].name, "default_mailbox_quota") == 0 &&
		    v == QUOTA_UNLIMITED)
			continue;
		if (v < 0)
			continue;
		td_str(d, pool_printf(r->pool, "f_%s", limits[i].name),
		    limits[i].kind == K_SIZE ? limit_show_size(r->pool, v) :
		    limit_show_count(r->pool, v));
	}
	td_bool(d, "f_allow_unlimited_quota", p->allow_unlimited_quota);
}

/* plan_form - the plan form: fresh, filled from p, or posted with errors */
static void
plan_form(struct req *r, int status, const struct plan *p,
    const struct domain_over *over, size_t nover, const char *message)
{
	struct tdata *d = page_data(r), *it;
	size_t i;

	if (p != NULL) {
		td_int(d, "id", p->id);
		td_str(d, "plan_name", p->name);
	}
	if (r->is_post)
		form_fill(r, d);
	else
		fill(r, d, p != NULL ? p : plan_defaults());
	if (nover > 0) {
		td_bool(d, "has_over", 1);
		td_list(d, "over");
		for (i = 0; i < nover; i++) {
			it = td_item(d, "over");
			td_int(it, "id", over[i].id);
			td_str(it, "name", over[i].name);
			td_str(it, "why", over[i].why);
		}
	}
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "plan_edit", p ? _("Edit Account Plan") :
	    _("Create Account Plan"), d);
}

/* read_plan - the posted form as a plan; what does not parse is marked
 * on its field (and lib/ still judges the rest) */
static void
read_plan(struct req *r, struct plan *p)
{
	const char *v, *why;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->name = form_str(r, "name") ? form_str(r, "name") : "";
	p->allow_unlimited_quota = form_bool(r, "allow_unlimited_quota");
	for (i = 0; limits[i].name != NULL; i++) {
		int64_t *slot = plan_slot(p, limits[i].name);

		v = form_str(r, limits[i].name);
		why = limits[i].kind == K_SIZE ? limit_parse_size(v, 1, slot) :
		    limit_parse_count(v, 1, slot);
		if (why == NULL && *slot < 0 && !limits[i].unlimited_ok)
			why = _("This field is required.");
		if (why != NULL)
			form_error(r, limits[i].name, why);
		/* a plan's default mailbox quota: none is 0, as a mailbox's */
		if (*slot < 0 && strcmp(limits[i].name,
		    "default_mailbox_quota") == 0)
			*slot = QUOTA_UNLIMITED;
	}
}

/* new_get - GET /plan/new */
static void
new_get(struct req *r)
{
	plan_form(r, 200, NULL, NULL, 0, NULL);
}

/* lib_error - a lib/ refusal on the form, or an error page */
static void
lib_error(struct req *r, const struct plan *p, const struct err *err,
    const struct domain_over *over, size_t nover)
{
	if (form_refused(r, err))
		plan_form(r, 422, p, over, nover, form_message(r, err));
}

/* new_post - POST /plan/new */
static void
new_post(struct req *r)
{
	struct plan in;
	struct err err = { 0 };
	int64_t id;

	read_plan(r, &in);
	form_to_err(r, &err);	/* lib/ adds its own, writes nothing */
	if (plan_create(&r->ctx, &in, &id, &err) == -1) {
		lib_error(r, NULL, &err, NULL, 0);
		return;
	}
	page_redirect(r, "/plans?done=created");
}

/* load - the plan of ?id=, which the actor may edit */
static struct plan *
load(struct req *r)
{
	struct plan *p;
	struct err err = { 0 };
	int64_t id = query_id(r, "id");

	if (id == 0 || plan_get(&r->ctx, id, &p, &err) != 1) {
		if (id != 0 && err.kind != ERR_NOTFOUND)
			page_err(r, &err);
		else
			page_error(r, 404, _("No such plan."));
		return NULL;
	}
	if (!plan_may_edit(&r->ctx, p)) {
		/* another reseller's plan is not even there */
		if (plan_may_use(&r->ctx, p))
			page_error(r, 403, _("You are not allowed to change this plan."));
		else
			page_error(r, 404, _("No such plan."));
		return NULL;
	}
	return p;
}

/* edit_get - GET /plan/edit?id= */
static void
edit_get(struct req *r)
{
	struct plan *p;

	if ((p = load(r)) == NULL)
		return;
	plan_form(r, 200, p, NULL, 0, NULL);
}

/* edit_post - POST /plan/edit?id= */
static void
edit_post(struct req *r)
{
	struct plan *p, in;
	struct domain_over *over;
	struct err err = { 0 };
	size_t nover;

	if ((p = load(r)) == NULL)
		return;
	read_plan(r, &in);
	form_to_err(r, &err);
	if (plan_update(&r->ctx, p->id, &in, &over, &nover, &err) == -1) {
		lib_error(r, p, &err, over, nover);
		return;
	}
	page_redirect(r, "/plans?done=saved");
}

#define ROLES_PLANS	(ROLES_STAFF | AUTHZ_RB(ROLE_SUPPORT))

const struct route page_plans_routes[] = {
	{ "GET", "/plans", ROLES_PLANS, 0, plan_fields, list_get,
	    N_("Account Plans"), 80 },
	{ "GET", "/plan/new", ROLES_STAFF, 0, plan_fields, new_get, NULL, 0 },
	{ "POST", "/plan/new", ROLES_STAFF, 0, plan_fields, new_post, NULL, 0 },
	{ "GET", "/plan/edit", ROLES_STAFF, 0, plan_fields, edit_get, NULL, 0 },
	{ "POST", "/plan/edit", ROLES_STAFF, 0, plan_fields, edit_post, NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
