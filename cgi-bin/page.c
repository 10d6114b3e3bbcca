/*
 * NAME
 *	page - what every handler needs: rendering, errors, forms, domain
 *
 * DESCRIPTION
 *	page_render() renders the page template, then the layout around it
 *	(sidebar with user, domain selector and menu).  The page's HTML is the
 *	only raw value in the layout, and it is made by the template engine,
 *	which escapes everything in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "limit.h"
#include "list.h"
#include "authz.h"
#include "log.h"
#include "passwd.h"
#include "session.h"
#include "valid.h"

#define SELECTOR_MAX	200

/* page_data - a fresh data scope for a page */
struct tdata *
page_data(struct req *r)
{
	return td_new(r->pool);
}

/* cmp_menu - order of routes in the sidebar */
static int
cmp_menu(const void *a, const void *b)
{
	const struct route *x = *(const struct route *const *)a;
	const struct route *y = *(const struct route *const *)b;

	return x->menu_order - y->menu_order;
}

/* add_menu - sidebar links for the actor's role */
static void
add_menu(struct req *r, struct tdata *d)
{
	const struct route *const *t;
	const struct route *rt, *v[64];
	struct tdata *it;
	size_t n = 0, i;

	for (t = route_tables; *t != NULL; t++)
		for (rt = *t; rt->path != NULL; rt++)
			if (rt->menu != NULL && strcmp(rt->method, "GET") == 0 &&
			    (rt->roles & AUTHZ_RB(r->actor.role)) &&
			    (!(rt->flags & R_DOMAIN) || r->domain != NULL) &&
			    n < 64)
				v[n++] = rt;
	qsort(v, n, sizeof(v[0]), cmp_menu);
	td_list(d, "menu");
	for (i = 0; i < n; i++) {
		it = td_item(d, "menu");
		td_str(it, "label", _(v[i]->menu));
		if ((v[i]->flags & (R_DOMAIN | R_DOMAINOPT)) && r->domain)
			td_str(it, "href", pool_printf(r->pool, "%s?d=%lld",
			    v[i]->path, (long long)r->domain->id));
		else
			td_str(it, "href", v[i]->path);
		td_bool(it, "active", r->route == v[i]);
	}
}

/* add_selector - the sidebar's domain list: ids and names only, one
 * query without a count (it asks for one row more to know of others),
 * kept by the worker until the domain names change; -1 if it could not
 * be read (never an empty list instead) */
static int
add_selector(struct req *r, struct tdata *d, struct err *err)
{
	struct domain_name *v;
	struct tdata *it;
	size_t n, i;
	int more;

	if (list_domain_names_kept(&r->ctx, r->sess->names_version,
	    SELECTOR_MAX, &v, &n, &more, err) == -1)
		return -1;
	td_list(d, "domains");
	for (i = 0; i < n; i++) {
		it = td_item(d, "domains");
		td_int(it, "id", v[i].id);
		td_str(it, "name", v[i].name);
		td_bool(it, "selected", r->domain && r->domain->id == v[i].id);
	}
	td_bool(d, "has_domains", n > 0);
	td_bool(d, "more_domains", more);
	return 0;
}

/* page_render - the page template inside the layout */
void
page_render(struct req *r, int status, const char *tmpl, const char *title,
    struct tdata *d)
{
	struct buf inner;
	struct tdata *l;
	struct err err = { 0 };

	if (d == NULL)
		d = page_data(r);
	td_str(d, "csrf", r->csrf);
	if (r->domain != NULL) {
		td_int(d, "d", r->domain->id);
		td_str(d, "domain_name", r->domain->name);
	}
	buf_init(&inner, r->pool, 8192);
	if (tmpl_render(app.tmpls, tmpl, d, &inner) == -1) {
		log_warnx("template %s failed to render", tmpl);
		page_error(r, 500, _("This page could not be shown."));
		return;
	}
	l = td_new(r->pool);
	td_str(l, "title", title);
	td_raw(l, "content", inner.data);
	td_str(l, "csrf", r->csrf);
	if (r->sess != NULL) {
		td_bool(l, "logged_in", 1);
		td_str(l, "user", r->actor.login);
		td_str(l, "role", role_label(r->actor.role));
		if (r->domain != NULL) {
			td_int(l, "d", r->domain->id);
			td_str(l, "domain_name", r->domain->name);
		}
		if (add_selector(r, l, &err) == -1) {
			/* 503 renders without the sidebar: no loop back here */
			page_error(r, 503, err.kind == ERR_DB ? err.msg :
			    _("This page could not be shown."));
			return;
		}
		add_menu(r, l);
	}
	r->status = status;
	buf_truncate(&r->body, 0);
	if (tmpl_render(app.tmpls, "layout", l, &r->body) == -1) {
		log_warnx("layout failed to render");
		r->status = 500;
		buf_truncate(&r->body, 0);
		buf_puts(&r->body, "<!DOCTYPE html><title>Error</title><p>Error</p>");
	}
}

/* page_error - an error page with a message */
void
page_error(struct req *r, int status, const char *msg)
{
	struct tdata *d = page_data(r);
	struct tdata *l;
	struct buf inner;
	char title[64];

	snprintf(title, sizeof(title), "%d %s", status, http_status_text(status));
	td_str(d, "status", title);
	td_str(d, "message", msg);
	if (app.tmpls == NULL || !tmpl_exists(app.tmpls, "error")) {
		r->status = status;
		buf_truncate(&r->body, 0);
		buf_puts(&r->body, "<!DOCTYPE html><title>Error</title><p>");
		html_escape(&r->body, msg);
		return;
	}
	if (r->sess != NULL && status != 503) {
		page_render(r, status, "error", title, d);
		return;
	}
	/* no session (or no database): a bare layout without the sidebar */
	buf_init(&inner, r->pool, 1024);
	tmpl_render(app.tmpls, "error", d, &inner);
	l = td_new(r->pool);
	td_str(l, "title", title);
	td_raw(l, "content", inner.data);
	r->status = status;
	buf_truncate(&r->body, 0);
	tmpl_render(app.tmpls, "layout", l, &r->body);
}

/* page_err - an error page for a lib/ error */
void
page_err(struct req *r, const struct err *err)
{
	static const int status[ERR__MAX] = {
		500,	/* ERR_NONE */
		422,	/* ERR_INVALID */
		422,	/* ERR_LIMIT */
		403,	/* ERR_FORBIDDEN */
		404,	/* ERR_NOTFOUND */
		429,	/* ERR_THROTTLED */
		503,	/* ERR_DB */
		500,	/* ERR_INTERNAL */
		503,	/* ERR_TEMP */
	};

	page_error(r, status[err->kind < ERR__MAX ? err->kind : ERR_NONE],
	    err->msg ? err->msg : _("Something went wrong."));
}

/* page_redirect - 303 See Other to a local path */
void
page_redirect(struct req *r, const char *url)
{
	if (url[0] != '/' || url[1] == '/' || url[1] == '\\' ||
	    strpbrk(url, "\r\n") != NULL)
		url = "/";
	r->status = 303;
	buf_printf(&r->headers, "Location: %s\r\n", url);
	buf_truncate(&r->body, 0);
}

/* field - the declared field name, or NULL */
static struct field *
field(struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].def->name, name) == 0)
			return &r->fields[i];
	log_warnx("handler asked for undeclared field %s", name);
	return NULL;
}

/* form_str - a valid text field, or NULL if absent/invalid */
const char *
form_str(struct req *r, const char *name)
{
	struct field *f = field(r, name);

	return f != NULL && f->ok ? f->raw : NULL;
}

/* form_raw - a field as sent, refused or not (to show it again) */
const char *
form_raw(struct req *r, const char *name)
{
	struct field *f = field(r, name);

	return f != NULL && f->raw != NULL ? f->raw : "";
}

/* form_uint - 1 and *u_r if the numeric field is valid */
int
form_uint(struct req *r, const char *name, uint64_t *u_r)
{
	struct field *f = field(r, name);

	if (f == NULL || !f->ok)
		return 0;
	*u_r = f->u;
	return 1;
}

/* form_bool - whether a checkbox was ticked */
int
form_bool(struct req *r, const char *name)
{
	struct field *f = field(r, name);

	return f != NULL && f->ok;
}

/* form_ids - the positive ids among the values of a list field, at most
 * max of them */
int64_t *
form_ids(struct req *r, const char *name, size_t max, size_t *n_r)
{
	const char **v = form_list(r, name, n_r);
	int64_t *ids = pool_zalloc(r->pool, sizeof(*ids) * (*n_r + 1));
	size_t i, n = 0;
	uint64_t u;

	for (i = 0; i < *n_r && n < max; i++)
		if (valid_uint(v[i], 1, INT32_MAX, &u) == NULL)
			ids[n++] = (int64_t)u;
	*n_r = n;
	return ids;
}

/* form_is - whether the form value of name is s */
int
form_is(struct req *r, const char *name, const char *s)
{
	const char *v = form_str(r, name);

	return v != NULL && strcmp(v, s) == 0;
}

/* form_wipe - forget the posted passwords named, up to a NULL */
void
form_wipe(struct req *r, ...)
{
	va_list ap;
	const char *name;

	va_start(ap, r);
	while ((name = va_arg(ap, const char *)) != NULL)
		passwd_wipe((char *)form_str(r, name));
	va_end(ap);
}

/* form_list - every value of a repeated field */
const char **
form_list(struct req *r, const char *name, size_t *n_r)
{
	return kv_all(r->pool, r->is_post ? &r->form : &r->query, name, n_r);
}

/* form_note - a message of the form that names none of its fields */
static void
form_note(struct req *r, const char *msg)
{
	size_t i;

	for (i = 0; i < r->nform_notes; i++)
		if (strcmp(r->form_notes[i], msg) == 0)
			return;
	if (r->nform_notes < sizeof(r->form_notes) / sizeof(r->form_notes[0]))
		r->form_notes[r->nform_notes++] = msg;
}

/* form_error - mark a field with a message (the first one stays); a
 * name the route does not declare goes to the summary */
void
form_error(struct req *r, const char *name, const char *msg)
{
	struct field *f = NULL;
	size_t i;

	for (i = 0; name != NULL && i < r->nfields; i++)
		if (strcmp(r->fields[i].def->name, name) == 0)
			f = &r->fields[i];
	if (f == NULL) {
		if (msg != NULL)
			form_note(r, msg);
	} else if (f->err == NULL) {
		f->err = msg;
		f->ok = 0;
	}
	r->field_errors++;
}

/* form_has_errors - whether any field failed */
int
form_has_errors(const struct req *r)
{
	return r->field_errors > 0;
}

/* form_to_err - what the edge refused, for lib/ to add to */
void
form_to_err(struct req *r, struct err *err)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].err != NULL)
			err_field(err, r->fields[i].def->name, r->fields[i].err);
}

/* form_from_err - lib/'s refusal, field by field, on the form */
int
form_from_err(struct req *r, const struct err *err)
{
	size_t i;

	if (err->kind != ERR_INVALID && err->kind != ERR_LIMIT)
		return 0;
	for (i = 0; i < err->nfields; i++)
		form_error(r, err->fields[i].field, err->fields[i].msg);
	if (err->field == NULL && err->msg != NULL && err->nfields > 0)
		form_note(r, err->msg);
	return 1;
}

/* form_refused - after a lib/ refusal: 1 with the fields marked when the
 * form is to be shown again, 0 after an error page */
int
form_refused(struct req *r, const struct err *err)
{
	if (form_from_err(r, err))
		return 1;
	page_err(r, err);
	return 0;
}

/* form_message - the notice above a form shown again */
const char *
form_message(struct req *r, const struct err *err)
{
	if (err == NULL || err->nfields > 0 || r->field_errors > 0 ||
	    err->msg == NULL)
		return _("Please correct the marked fields.");
	return err->msg;
}

/*
 * The label of each field as its form shows it (the same words as the
 * templates, so the same translations), for the summary's lines.  The
 * first entry whose field matches and whose route starts with path (NULL:
 * any route) wins; a field without one is summed up by its message alone.
 */
static const struct field_label {
	const char	*field;
	const char	*path;
	const char	*label;
} field_labels[] = {
	{ "address", NULL, N_("Email address") },
	{ "real_name", NULL, N_("Real name") },
	{ "password", "/passwords", N_("New password") },
	{ "password", "/admin/edit", N_("New password") },
	{ "password", "/mailbox/edit", N_("New password") },
	{ "password", NULL, N_("Password") },
	{ "password2", "/passwords", N_("New password (again)") },
	{ "password2", "/admin/edit", N_("New password (again)") },
	{ "password2", NULL, N_("Password (again)") },
	{ "quota", "/mailbox/", N_("Home directory quota") },
	{ "quota", "/quota", N_("Disk quota") },
	{ "domain_quota", NULL, N_("Mail quota of the domain") },
	{ "extra", NULL, N_("Additional email addresses") },
	{ "send_to", "/mailbox/new", N_("Send account email to") },
	{ "send_to", "/mailbox/edit", N_("Send updated account email to") },
	{ "mailbox", "/passwords",
	    N_("Select a user to change his or her password") },
	{ "login", NULL, N_("Username") },
	{ "role", NULL, N_("Role") },
	{ "max_domains", "/admin/new",
	    N_("Virtual servers allowed (resellers)") },
	{ "max_domains", NULL, N_("Virtual servers allowed") },
	{ "name", "/plan/", N_("Plan name") },
	{ "name", "/alias/", N_("Name") },
	{ "name", NULL, N_("Domain name") },
	{ "dests", NULL, N_("Alias destinations") },
	{ "kind", NULL, N_("Alias destinations") },
	{ "confirm", "/domain/delete",
	    N_("Type the domain name again to confirm") },
	{ "prefix", NULL, N_("Mailbox prefix") },
	{ "plan", NULL, N_("Account plan") },
	{ "description", NULL, N_("Description") },
	{ "contact", NULL, N_("Contact email") },
	{ "owner_login", NULL, N_("Username") },
	{ "owner_password", NULL, N_("Password") },
	{ "owner_password2", NULL, N_("Password (again)") },
	{ "owner", NULL, N_("Existing domain owner") },
	{ "forward", NULL, N_("Forward to other addresses") },
	{ "mail_quota", NULL, N_("Total mail quota") },
	{ "max_mailboxes", NULL, N_("Maximum mailboxes") },
	{ "default_mailbox_quota", NULL, N_("Default mailbox quota") },
	{ "max_aliases", NULL, N_("Maximum aliases") },
	{ "max_alias_domains", NULL, N_("Maximum alias domains") },
	{ "max_destinations", NULL,
	    N_("Maximum remote destinations per alias or forward") },
	{ "max_message_size", NULL, N_("Maximum message size") },
	{ "web_quota", NULL, N_("Web quota") },
	{ "max_virtual_servers", NULL, N_("Virtual servers") },
	{ "subject", NULL, N_("Subject") },
	{ "body", NULL, N_("Message") },
	{ "interval", NULL, N_("Minimum time between autoreplies") },
	{ "start", NULL, N_("Automatic reply start date") },
	{ "end", NULL, N_("Automatic reply end date") },
	{ "actor", NULL, N_("Actor") },
	{ "from", NULL, N_("From") },
	{ "to", NULL, N_("To") },
};

/* field_label - the translated label of field on r's form, or NULL */
static const char *
field_label(const struct req *r, const char *field)
{
	const char *path = r->route != NULL ? r->route->path : "";
	size_t i;

	for (i = 0; i < sizeof(field_labels) / sizeof(field_labels[0]); i++)
		if (strcmp(field_labels[i].field, field) == 0 &&
		    (field_labels[i].path == NULL ||
		    strncmp(path, field_labels[i].path,
		    strlen(field_labels[i].path)) == 0))
			return _(field_labels[i].label);
	return NULL;
}

/* summary_line - a line of the summary: the field's label, then what is
 * wrong with it */
static const char *
summary_line(struct req *r, const char *field, const char *msg)
{
	const char *label = field_label(r, field);

	if (label == NULL)
		return msg;
	/* TRANSLATORS: a line of the error summary above a form: the
	 * field's label, then its error message ("Email address: This
	 * address is already in use.") */
	return pool_printf(r->pool, _("%s: %s"), label, msg);
}

/* form_fill_errors - e_NAME, af_NAME and the summary */
void
form_fill_errors(struct req *r, struct tdata *d)
{
	struct tdata *it;
	struct field *f;
	size_t i;
	int first = 1;

	td_list(d, "errors");
	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (f->err == NULL)
			continue;
		td_str(d, pool_printf(r->pool, "e_%s", f->def->name), f->err);
		if (first)
			td_bool(d, pool_printf(r->pool, "af_%s", f->def->name), 1);
		first = 0;
		it = td_item(d, "errors");
		td_str(it, "err_id", f->def->name);
		td_str(it, "err_msg", summary_line(r, f->def->name, f->err));
	}
	for (i = 0; i < r->nform_notes; i++) {
		it = td_item(d, "errors");
		td_str(it, "err_id", "");	/* no link, and no parent's id */
		td_str(it, "err_msg", r->form_notes[i]);
	}
	td_bool(d, "has_errors", r->field_errors > 0 || r->nform_notes > 0);
}

/* form_fill - the form's values and errors for the template */
void
form_fill(struct req *r, struct tdata *d)
{
	size_t i;
	struct field *f;

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (f->def->type != F_PASSWORD && f->raw != NULL) {
			td_str(d, pool_printf(r->pool, "f_%s", f->def->name), f->raw);
			if (f->def->type == F_BOOL)
				td_bool(d, pool_printf(r->pool, "f_%s",
				    f->def->name), 1);
		}
	}
	form_fill_errors(r, d);
}

/* query_str - a query-string value */
const char *
query_str(struct req *r, const char *name)
{
	return kv_get(&r->query, name);
}

/* query_id - a positive id from the query string (or form), 0 if none */
int64_t
query_id(struct req *r, const char *name)
{
	const char *v = kv_get(&r->query, name);
	uint64_t u;

	if (v == NULL && r->is_post)
		v = kv_get(&r->form, name);
	if (v == NULL || valid_uint(v, 1, INT32_MAX, &u) != NULL)
		return 0;
	return (int64_t)u;
}

/* req_domain - the domain the page works on, authorised for op; without
 * the creator's and owner's logins (domain_brief), read with the session
 * when the dispatcher could tell which it is */
struct domain *
req_domain(struct req *r, int op)
{
	struct domain *d;
	struct domain_name *v;
	struct err err = { 0 };
	int64_t id = query_id(r, "d");
	size_t n;
	int more;

	if (id == 0) {
		if (r->sess != NULL && r->sess->domain_id > 0)
			id = r->sess->domain_id;
		else {
			if (list_domain_names(&r->ctx, 1, &v, &n, &more,
			    &err) == -1) {
				page_err(r, &err);
				return NULL;
			}
			if (n == 0) {
				page_error(r, 404, _("You have no domain yet."));
				return NULL;
			}
			id = v[0].id;
		}
	}
	if (!page_got(r, domain_brief(&r->ctx, r->sess, id, &d, &err), &err,
	    _("No such domain.")))
		return NULL;
	if (op != AUTHZ_VIEW && authz_domain(&r->ctx, id, (enum authz_op)op,
	    &err) == -1) {
		r->domain = d;
		page_err(r, &err);
		return NULL;
	}
	r->domain = d;
	return d;
}

/* page_got - a getter's answer: 1 when found, else 0 after the error
 * page (404 with notfound's words when there is no such thing) */
int
page_got(struct req *r, int rc, const struct err *err, const char *notfound)
{
	if (rc == 1)
		return 1;
	if (rc == -1)
		page_err(r, err);
	else
		page_error(r, 404, notfound);
	return 0;
}

/* page_domain_list - one page of domains for a template: q, total,
 * count, rows (id, name, prefix, plan, owner, disabled; the rows' scopes
 * returned, for more), prev and next as url?page=N&q=Q */
struct tdata **
page_domain_list(struct req *r, struct tdata *d, const char *url,
    const char *q, const struct domain *v, size_t n, int64_t total,
    int64_t page, int64_t per)
{
	struct tdata **it = pool_zalloc(r->pool, sizeof(*it) * (n + 1));
	const char *qs = http_urlencode(r->pool, q ? q : "");
	size_t i;

	td_str(d, "q", q ? q : "");
	td_int(d, "total", total);
	td_str(d, "count", pool_printf(r->pool, P_("%lld virtual server",
	    "%lld virtual servers", (unsigned long)total), (long long)total));
	td_list(d, "rows");
	for (i = 0; i < n; i++) {
		it[i] = td_item(d, "rows");
		td_int(it[i], "id", v[i].id);
		td_str(it[i], "name", v[i].name);
		td_str(it[i], "prefix", v[i].prefix);
		td_str(it[i], "plan", v[i].plan_name);
		td_str(it[i], "owner", v[i].owner_login);
		td_bool(it[i], "disabled", !v[i].active);
	}
	if (page > 1)
		td_str(d, "prev", pool_printf(r->pool, "%s?page=%lld&q=%s", url,
		    (long long)page - 1, qs));
	if (page * per < total)
		td_str(d, "next", pool_printf(r->pool, "%s?page=%lld&q=%s", url,
		    (long long)page + 1, qs));
	return it;
}

/* page_domain_facts - what Virtual Server Details and Information both
 * show of dom: its settings, what it uses of its plan, the plan's limits
 * and the alias domains; NULL after an error page */
struct tdata *
page_domain_facts(struct req *r, const struct domain *dom,
    struct domain_usage *u, struct plan **pl_r)
{
	struct tdata *d = page_data(r);
	struct err err = { 0 };
	struct plan *pl;

	if (domain_usage(&r->ctx, dom->id, u, &err) != 1 ||
	    domain_plan(&r->ctx, dom, pl_r, &err) == -1) {
		page_err(r, &err);
		return NULL;
	}
	pl = *pl_r;
	td_str(d, "name", dom->name);
	td_str(d, "prefix", dom->prefix);
	td_str(d, "plan", dom->plan_name);
	td_str(d, "description", dom->description);
	td_str(d, "contact", dom->contact_email);
	td_bool(d, "disabled", !dom->active);
	td_int(d, "mailboxes", u->mailboxes);
	td_str(d, "max_mailboxes", limit_show_count(r->pool, pl->max_mailboxes));
	td_int(d, "aliases", u->aliases);
	td_str(d, "max_aliases", limit_show_count(r->pool, pl->max_aliases));
	td_str(d, "max_destinations", limit_show_count(r->pool,
	    pl->max_destinations));
	td_str(d, "disk_used", valid_size_format(r->pool,
	    (uint64_t)u->disk_used));
	td_str(d, "mail_quota", limit_show_size(r->pool, pl->mail_quota));
	td_str(d, "allocated", valid_size_format(r->pool,
	    (uint64_t)u->quota_allocated));
	td_int(d, "disk_pct", limit_percent(u->disk_used, pl->mail_quota));
	td_str(d, "max_message_size", valid_size_format(r->pool,
	    (uint64_t)pl->max_message_size));
	td_str(d, "max_alias_domains", limit_show_count(r->pool,
	    pl->max_alias_domains));
	page_aliasdomain_fill(r, d, dom->id);
	td_str(d, "max_virtual_servers", limit_show_count(r->pool,
	    pl->max_virtual_servers));
	td_str(d, "web_quota", limit_show_size(r->pool, pl->web_quota));
	return d;
}
