/*
 * NAME
 *	page_admins - "Panel Logins": staff logins, for the superuser
 *
 * DESCRIPTION
 *	List every panel login, add a staff login (superuser, reseller,
 *	support) with a reseller's allowance of virtual servers, change an
 *	allowance, reset a password, delete a login.  Domain owners' logins
 *	are made with their domain ("Create Virtual Server") but are listed
 *	here too.  lib/user.c enforces every rule (only a superuser, never
 *	the last superuser, password policy).
 */
#include <string.h>

#include "app.h"
#include "domain.h"
#include "limit.h"
#include "passwd.h"
#include "user.h"
#include "valid.h"

#define LIST_PAGE	50

static const struct fielddef list_fields[] = {
	{ "page", F_UINT, 1000000, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ "login", F_TEXT, 64, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef new_fields[] = {
	{ "login", F_TEXT, 64, 0 },
	{ "role", F_TEXT, 16, 0 },
	{ "max_domains", F_TEXT, 16, 0 },
	{ "password", F_PASSWORD, 128, 0 },
	{ "password2", F_PASSWORD, 128, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef edit_fields[] = {
	{ "id", F_ID, 0, 0 },
	{ "max_domains", F_TEXT, 16, 0 },
	{ "password", F_PASSWORD, 128, 0 },
	{ "password2", F_PASSWORD, 128, 0 },
	{ "confirm", F_BOOL, 0, 0 },
	{ NULL, 0, 0, 0 }
};

/* staff roles a superuser creates here, in the order of the select */
static const enum role staff_roles[] = {
	ROLE_RESELLER, ROLE_SUPPORT, ROLE_SUPERUSER, ROLE_NONE
};

/* read_max - the allowance field: -1 (empty, unlimited) or a number;
 * the field marked (and -1) if invalid */
static int64_t
read_max(struct req *r)
{
	const char *why;
	int64_t v;

	if ((why = limit_parse_count(form_str(r, "max_domains"), 1, &v)) != NULL) {
		form_error(r, "max_domains", why);
		return -1;
	}
	return v;
}

/* list_get - GET /admins */
static void
list_get(struct req *r)
{
	struct tdata *d = page_data(r), *it;
	struct panel_user *v, *u;
	struct err err = { 0 };
	const char *done = form_str(r, "done");
	uint64_t page = 1;
	size_t n, i;

	if (!form_uint(r, "page", &page) || page < 1)
		page = 1;
	if (user_list(&r->ctx, LIST_PAGE + 1, (unsigned int)((page - 1) *
	    LIST_PAGE), &v, &n, &err) == -1) {
		page_err(r, &err);
		return;
	}
	td_list(d, "rows");
	for (i = 0; i < n && i < LIST_PAGE; i++) {
		it = td_item(d, "rows");
		td_int(it, "id", v[i].id);
		td_str(it, "login", v[i].login);
		td_str(it, "role", role_label(v[i].role));
		td_bool(it, "reseller", v[i].role == ROLE_RESELLER);
		td_str(it, "max_domains", limit_show_count(r->pool,
		    v[i].max_domains));
		td_bool(it, "disabled", !v[i].active);
		td_str(it, "created", v[i].created_at);
		td_str(it, "created_by", v[i].created_by);
		td_str(it, "last_login", *v[i].last_login ? v[i].last_login :
		    _("Never"));
		td_bool(it, "self", v[i].id == r->actor.id);
	}
	if (page > 1)
		td_str(d, "prev", pool_printf(r->pool, "/admins?page=%llu",
		    (unsigned long long)page - 1));
	if (n > LIST_PAGE)
		td_str(d, "next", pool_printf(r->pool, "/admins?page=%llu",
		    (unsigned long long)page + 1));
	/* the notice names only a login that exists: a link cannot make
	 * the panel say what it likes in its own words */
	if (done != NULL && strcmp(done, "deleted") == 0)
		td_bool(d, "done_deleted", 1);
	else if (done != NULL && form_str(r, "login") != NULL &&
	    user_by_login(&r->ctx, form_str(r, "login"), &u, &err) == 1) {
		td_str(d, "done_login", u->login);
		td_bool(d, strcmp(done, "created") == 0 ? "done_created" :
		    strcmp(done, "deleted") == 0 ? "done_deleted" : "done_saved",
		    1);
	}
	page_render(r, 200, "admins", _("Panel Logins"), d);
}

/* new_form - the form for a staff login */
static void
new_form(struct req *r, int status, const char *message)
{
	struct tdata *d = page_data(r), *it;
	const char *sel = form_str(r, "role");
	size_t i;

	if (r->is_post)
		form_fill(r, d);
	td_list(d, "roles");
	for (i = 0; staff_roles[i] != ROLE_NONE; i++) {
		it = td_item(d, "roles");
		td_str(it, "value", role_name(staff_roles[i]));
		td_str(it, "label", role_label(staff_roles[i]));
		td_bool(it, "selected", sel != NULL &&
		    strcmp(sel, role_name(staff_roles[i])) == 0);
	}
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "admin_new", _("Add Panel Login"), d);
}

/* new_get - GET /admin/new */
static void
new_get(struct req *r)
{
	new_form(r, 200, NULL);
}

/* new_post - POST /admin/new */
static void
new_post(struct req *r)
{
	struct err err = { 0 };
	const char *rs = form_str(r, "role");
	enum role role = rs ? role_parse(rs) : ROLE_NONE;
	int64_t max, id;
	size_t i;
	int staff = 0;

	for (i = 0; staff_roles[i] != ROLE_NONE; i++)
		if (role == staff_roles[i])
			staff = 1;
	if (!staff)
		form_error(r, "role", _("This is not a valid choice."));
	max = read_max(r);
	/* the edge's refusals and lib/'s, all at once, nothing written */
	form_to_err(r, &err);
	if (user_create(&r->ctx, form_str(r, "login"), form_str(r, "password"),
	    form_str(r, "password2"), staff ? role : ROLE_NONE,
	    role == ROLE_RESELLER ? max : -1, NULL, 0, &id, &err) == -1) {
		form_wipe(r, "password", "password2", NULL);
		if (form_refused(r, &err))
			new_form(r, 422, form_message(r, &err));
		return;
	}
	form_wipe(r, "password", "password2", NULL);
	page_redirect(r, pool_printf(r->pool, "/admins?done=created&login=%s",
	    http_urlencode(r->pool, form_str(r, "login"))));
}

/* load - the login of ?id= */
static struct panel_user *
load(struct req *r)
{
	struct panel_user *u;
	struct err err = { 0 };
	int64_t id = query_id(r, "id");

	if (id == 0) {
		page_error(r, 404, _("No such login."));
		return NULL;
	}
	if (!page_got(r, user_get(&r->ctx, id, &u, &err), &err,
	    _("No such login.")))
		return NULL;
	return u;
}

/* edit_form - allowance and password of one login */
static void
edit_form(struct req *r, int status, const struct panel_user *u,
    const char *message)
{
	struct tdata *d = page_data(r);

	if (r->is_post)
		form_fill(r, d);
	else if (u->max_domains >= 0)
		td_str(d, "f_max_domains", pool_printf(r->pool, "%lld",
		    (long long)u->max_domains));
	td_int(d, "id", u->id);
	td_str(d, "login", u->login);
	td_str(d, "role", role_label(u->role));
	td_bool(d, "reseller", u->role == ROLE_RESELLER);
	td_bool(d, "self", u->id == r->actor.id);
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "admin_edit", _("Edit Panel Login"), d);
}

/* edit_get - GET /admin/edit?id= */
static void
edit_get(struct req *r)
{
	struct panel_user *u;

	if ((u = load(r)) == NULL)
		return;
	edit_form(r, 200, u, NULL);
}

/* edit_post - POST /admin/edit?id=: allowance, and password if typed */
static void
edit_post(struct req *r)
{
	struct panel_user *u;
	struct user_change ch;
	struct err err = { 0 };

	if ((u = load(r)) == NULL) {
		form_wipe(r, "password", "password2", NULL);
		return;
	}
	memset(&ch, 0, sizeof(ch));
	if (u->role == ROLE_RESELLER) {
		ch.set_max = 1;
		ch.max_domains = read_max(r);
	}
	ch.password = form_str(r, "password");
	ch.password2 = form_str(r, "password2") ? form_str(r, "password2") :
	    "";
	form_to_err(r, &err);
	if (user_update(&r->ctx, u->id, &ch, &err) == -1) {
		form_wipe(r, "password", "password2", NULL);
		if (form_refused(r, &err))
			edit_form(r, 422, u, form_message(r, &err));
		return;
	}
	form_wipe(r, "password", "password2", NULL);
	page_redirect(r, pool_printf(r->pool, "/admins?done=saved&login=%s",
	    http_urlencode(r->pool, u->login)));
}

/* delete_post - POST /admin/delete?id=: after the box is ticked */
static void
delete_post(struct req *r)
{
	struct panel_user *u;
	struct err err = { 0 };

	if ((u = load(r)) == NULL)
		return;
	if (!form_bool(r, "confirm")) {
		form_error(r, "confirm", _("Tick the box to confirm."));
		edit_form(r, 422, u, _("Please correct the marked fields."));
		return;
	}
	if (user_delete(&r->ctx, u->id, &err) == -1) {
		if (err.kind != ERR_INVALID) {
			page_err(r, &err);
			return;
		}
		form_error(r, "confirm", err.msg);
		edit_form(r, 422, u, err.msg);
		return;
	}
	page_redirect(r, pool_printf(r->pool, "/admins?done=deleted&login=%s",
	    http_urlencode(r->pool, u->login)));
}

#define ROLES_SU	AUTHZ_RB(ROLE_SUPERUSER)

const struct route page_admins_routes[] = {
	{ "GET", "/admins", ROLES_SU, 0, list_fields, list_get,
	    N_("Panel Logins"), 85 },
	{ "GET", "/admin/new", ROLES_SU, 0, new_fields, new_get, NULL, 0 },
	{ "POST", "/admin/new", ROLES_SU, 0, new_fields, new_post, NULL, 0 },
	{ "GET", "/admin/edit", ROLES_SU, 0, edit_fields, edit_get, NULL, 0 },
	{ "POST", "/admin/edit", ROLES_SU, 0, edit_fields, edit_post, NULL, 0 },
	{ "POST", "/admin/delete", ROLES_SU, 0, edit_fields, delete_post,
	    NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
