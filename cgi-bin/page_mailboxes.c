/*
 * NAME
 *	page_mailboxes - "Edit Mail Users": list, add, edit, delete, restore
 *
 * DESCRIPTION
 *	The list (seed 000 §6, 003 §3) is one page of the domain's mailboxes,
 *	paginated, searched and sorted in SQL.  "Select all" and "Invert
 *	selection" are links that render the page again with the boxes ticked,
 *	so they work without JavaScript; postbus.js does the same in place.
 *	"Delete Selected Users" posts to a confirmation page that names what
 *	goes, and only its own POST deletes.
 *
 *	The add/edit form never has a login field: lib/ imposes the login.
 *	Support staff see the same form with only quota and password open.
 *	Every rule is in lib/mailbox.c; a lib/ error with a field is shown
 *	next to that field, with the other fields kept (never the password).
 */
#include <string.h>

#include "app.h"
#include "authz.h"
#include "config.h"
#include "domain.h"
#include "limit.h"
#include "list.h"
#include "mailbox.h"
#include "notify.h"
#include "passwd.h"
#include "valid.h"

#define PER_DEFAULT	10
#define DELETE_MAX	500	/* mailboxes in one deletion */

/* sort keys of the list, indexed by enum list_sort */
static const char *const sort_names[LIST_SORT__MAX] = {
	"login",	/* LIST_SORT_LOGIN */
	"address",	/* LIST_SORT_ADDRESS */
	"name",		/* LIST_SORT_NAME */
	"quota",	/* LIST_SORT_QUOTA */
};

static const struct fielddef list_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "q", F_TEXT, 100, 0 },
	{ "page", F_UINT, 1000000, 0 },
	{ "per", F_UINT, 100, 0 },
	{ "sort", F_TEXT, 16, 0 },
	{ "dir", F_TEXT, 4, 0 },
	{ "select", F_TEXT, 8, 0 },
	{ "sel", F_LIST, 0, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ "login", F_TEXT, 64, 0 },
	{ "n", F_UINT, 100000, 0 },
	{ "mail", F_TEXT, 8, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef edit_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "id", F_ID, 0, 0 },
	{ "address", F_TEXT, 254, 0 },
	{ "real_name", F_TEXT, 255, 0 },
	{ "pw_mode", F_TEXT, 8, 0 },
	{ "password", F_PASSWORD, 128, 0 },
	{ "password2", F_PASSWORD, 128, 0 },
	{ "quota_mode", F_TEXT, 16, 0 },
	{ "quota", F_TEXT, 32, 0 },
	{ "extra", F_MULTILINE, 20000, 0 },
	{ "disabled", F_BOOL, 0, 0 },
	{ "send", F_TEXT, 8, 0 },
	{ "send_to", F_TEXT, 254, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef restore_fields[] = {
	{ "id", F_ID, 0, 1 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef deleted_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "done", F_TEXT, 16, 0 },
	{ "login", F_TEXT, 64, 0 },
	{ NULL, 0, 0, 0 }
};

/* usage_str - "24 kB of 3 GB (0.01%)" */
static const char *
usage_str(struct req *r, const struct mailbox *m)
{
	const char *used = valid_size_format(r->pool, (uint64_t)m->used_bytes);

	if (m->quota == 0)
		return pool_printf(r->pool, _("%s (no limit)"), used);
	/* TRANSLATORS: "24 kB of 3 GB (0.01%)": used, quota, percent used */
	return pool_printf(r->pool, _("%s of %s (%s%%)"), used,
	    valid_size_format(r->pool, (uint64_t)m->quota),
	    limit_percent_str(r->pool, m->used_bytes, m->quota));
}

/* list_state - what the list page shows, from its query string */
struct list_state {
	const char	*q;
	unsigned int	 page;
	unsigned int	 per;
	enum list_sort sort;
	int		 desc;
};

/* list_url - the list with state s, at page, sorted by sort/desc */
static char *
list_url(struct req *r, int64_t d, const struct list_state *s,
    unsigned int page, enum list_sort sort, int desc)
{
	return pool_printf(r->pool, "/mailboxes?d=%lld&q=%s&per=%u&sort=%s&dir=%s&page=%u",
	    (long long)d, http_urlencode(r->pool, s->q), s->per,
	    sort_names[sort], desc ? "desc" : "asc", page);
}

/* shown_login - the login of ?login= if it names a mailbox of the domain
 * that the actor may view, else NULL: a notice names only what exists */
static const char *
shown_login(struct req *r, int64_t domain_id)
{
	const char *login = form_str(r, "login");
	struct mailbox *m;
	struct err err = { 0 };

	if (login == NULL || valid_login(login) != NULL ||
	    mailbox_by_login(&r->ctx, login, &m, &err) != 1 ||
	    m->domain_id != domain_id)
		return NULL;
	return m->login;
}

/* notice - the message of a finished action (?done=...) */
static void
notice(struct req *r, struct tdata *d, int64_t domain_id)
{
	const char *done = form_str(r, "done");
	const char *login;
	uint64_t n = 0;

	if (done == NULL)
		return;
	login = shown_login(r, domain_id);
	(void)form_uint(r, "n", &n);
	if (strcmp(done, "created") == 0 && login != NULL)
		td_str(d, "notice", pool_printf(r->pool,
		    _("The mailbox %s has been created."), login));
	else if (strcmp(done, "saved") == 0 && login != NULL)
		td_str(d, "notice", pool_printf(r->pool,
		    _("The mailbox %s has been saved."), login));
	else if (strcmp(done, "deleted") == 0)
		td_str(d, "notice", pool_printf(r->pool,
		    P_("%llu mailbox deleted.", "%llu mailboxes deleted.", n),
		    (unsigned long long)n));
	else if (strcmp(done, "restored") == 0 && login != NULL)
		td_str(d, "notice", pool_printf(r->pool,
		    _("The mailbox %s has been restored."), login));
	else if (strcmp(done, "nosel") == 0)
		td_str(d, "warning", _("No mailbox was selected."));
	if (form_is(r, "mail", "sent"))
		td_str(d, "mail_notice", _("The account email has been sent."));
	else if (form_is(r, "mail", "failed"))
		td_str(d, "warning", _("The account email could not be sent: the mail server did not accept it. The mailbox itself is saved."));
}

/* list_get - GET /mailboxes: one page of the domain's mailboxes */
static void
list_get(struct req *r)
{
	struct tdata *d = page_data(r), *it;
	struct domain *dom;
	struct mailbox *v;
	struct list_page pg;
	struct list_query mq;
	struct list_state s;
	struct err err = { 0 };
	const char *sort = form_str(r, "sort");
	struct page_sel sel;
	uint64_t u;
	size_t n, i;
	int64_t total, pages;

	if ((dom = req_domain(r, AUTHZ_VIEW)) == NULL)
		return;
	memset(&s, 0, sizeof(s));
	s.q = form_str(r, "q") ? form_str(r, "q") : "";
	s.per = page_per(r, d, PER_DEFAULT);
	s.page = form_uint(r, "page", &u) && u > 0 ? (unsigned int)u : 1;
	for (i = 0; sort != NULL && i < LIST_SORT__MAX; i++)
		if (strcmp(sort, sort_names[i]) == 0)
			s.sort = (enum list_sort)i;
	s.desc = form_is(r, "dir", "desc");
	mq.search = s.q;
	mq.sort = s.sort;
	mq.desc = s.desc;
	mq.limit = s.per;
	mq.offset = (s.page - 1) * s.per;
	if (list_mailbox_page(&r->ctx, dom, &mq, &pg, &err) == -1) {
		page_err(r, &err);
		return;
	}
	v = pg.rows;
	n = pg.n;
	total = pg.total;
	pages = total > 0 ? (total + s.per - 1) / s.per : 1;

	td_bool(d, "can_mail", pg.can_mail);
	td_bool(d, "can_restore", pg.can_restore);
	td_bool(d, "limited", pg.allowance.left >= 0);
	td_str(d, "limits", pool_printf(r->pool,
	    P_("Based on your limits, %lld additional mailbox can be added.",
	    "Based on your limits, %lld additional mailboxes can be added.",
	    (unsigned long)pg.allowance.left), (long long)pg.allowance.left));
	td_int(d, "count", pg.allowance.mailboxes);
	td_int(d, "total", total);
	td_str(d, "q", s.q);
	td_int(d, "page", s.page);
	td_int(d, "pages", pages);
	td_str(d, "pager", pool_printf(r->pool, "%s · %s",
	    pool_printf(r->pool, P_("%lld mailbox", "%lld mailboxes",
	    (unsigned long)total), (long long)total),
	    pool_printf(r->pool, _("page %lld of %lld"), (long long)s.page,
	    (long long)pages)));
	td_str(d, "sort", sort_names[s.sort]);
	td_str(d, "dir", s.desc ? "desc" : "asc");
	/* column headers: a click sorts by the column, again reverses it */
	for (i = 0; i < LIST_SORT__MAX; i++) {
		int cur = s.sort == (enum list_sort)i;

		td_str(d, pool_printf(r->pool, "sort_%s", sort_names[i]),
		    list_url(r, dom->id, &s, 1, (enum list_sort)i,
		    cur && !s.desc));
		if (cur)
			td_str(d, pool_printf(r->pool, "mark_%s", sort_names[i]),
			    s.desc ? "▼" : "▲");
	}
	if (s.page > 1)
		td_str(d, "prev", list_url(r, dom->id, &s, s.page - 1, s.sort,
		    s.desc));
	if ((int64_t)s.page < pages)
		td_str(d, "next", list_url(r, dom->id, &s, s.page + 1, s.sort,
		    s.desc));

	/* the ticked boxes: ?select=all, or ?select=invert&sel=ID... */
	page_sel_init(r, &sel);
	td_list(d, "rows");
	for (i = 0; i < n; i++) {
		int checked = page_sel_checked(r, &sel, v[i].id, 1);

		it = td_item(d, "rows");
		td_int(it, "id", v[i].id);
		td_str(it, "login", v[i].login);
		td_str(it, "address", v[i].address);
		td_str(it, "forwards", page_forward_label(r, pg.forwards[i]));
		td_str(it, "real_name", v[i].real_name);
		td_str(it, "quota", limit_show_quota(r->pool, v[i].quota));
		td_str(it, "used", usage_str(r, &v[i]));
		td_bool(it, "enabled", v[i].enabled);
		td_str(it, "last_login", v[i].last_login);
		td_bool(it, "checked", checked);
		td_bool(it, "reply_on", pg.reply_on[i]);
	}
	page_sel_links(r, &sel, d, list_url(r, dom->id, &s, s.page, s.sort,
	    s.desc));
	notice(r, d, dom->id);
	page_render(r, 200, "mailboxes", _("Edit Mail Users"), d);
}

/* edit_data - the form's fixed parts: domain, login, plan, what may change */
static struct tdata *
edit_data(struct req *r, const struct domain *dom, const struct mailbox *m)
{
	struct tdata *d = page_data(r);
	struct list_allowance a;
	struct err err = { 0 };

	td_str(d, "domain", dom->name);
	if (m != NULL) {
		td_int(d, "id", m->id);
		td_str(d, "login", m->login);
		td_str(d, "used", valid_size_format(r->pool,
		    (uint64_t)m->used_bytes));
		td_str(d, "created", m->created_at);
		td_str(d, "created_by", m->created_by);
		td_str(d, "address_now", m->address);
		td_bool(d, "can_mail", authz_domain(&r->ctx, dom->id,
		    AUTHZ_MAIL, &err) == 0);
		td_bool(d, "can_quota", authz_domain(&r->ctx, dom->id,
		    AUTHZ_QUOTA, &err) == 0);
		td_bool(d, "can_password", authz_domain(&r->ctx, dom->id,
		    AUTHZ_PASSWORD, &err) == 0);
	} else {
		td_bool(d, "is_new", 1);
		td_str(d, "login", mailbox_login_name(&r->ctx, dom->prefix,
		    dom->next_counter));
		td_bool(d, "can_mail", 1);
		td_bool(d, "can_quota", 1);
		td_bool(d, "can_password", 1);
	}
	if (list_allowance(&r->ctx, dom->id, &a, &err) == 0) {
		td_bool(d, "allow_unlimited", a.allow_unlimited);
		td_str(d, "default_quota", limit_show_quota(r->pool, a.default_quota));
		if (a.quota_left >= 0)
			td_str(d, "quota_left", valid_size_format(r->pool,
			    (uint64_t)a.quota_left));
	}
	return d;
}

/* edit_form - the add/edit form, fresh (GET) or again with errors */
static void
edit_form(struct req *r, int status, const struct domain *dom,
    const struct mailbox *m, const char *message)
{
	struct tdata *d = edit_data(r, dom, m);

	if (r->is_post) {
		form_fill(r, d);
		td_bool(d, "pw_set", form_is(r, "pw_mode", "set"));
		td_bool(d, "quota_unlimited", form_is(r, "quota_mode", "unlimited"));
		td_bool(d, "send_address", form_is(r, "send", "address"));
	} else if (m != NULL) {
		const char *at = strrchr(m->address, '@');

		td_str(d, "f_address", at ? pool_strndup(r->pool, m->address,
		    (size_t)(at - m->address)) : m->address);
		td_str(d, "f_real_name", m->real_name);
		td_str(d, "f_quota", m->quota ? valid_size_format(r->pool,
		    (uint64_t)m->quota) : "");
		td_bool(d, "quota_unlimited", m->quota == 0);
		{
			struct buf b;
			size_t i;

			buf_init(&b, r->pool, 128);
			for (i = 0; i < m->nextras; i++)
				buf_printf(&b, "%s\n", m->extras[i]);
			td_str(d, "f_extra", b.data);
		}
		td_bool(d, "f_disabled", !m->enabled);
		td_str(d, "f_send_to", m->address);
	}
	if (m != NULL)
		page_forward_fill(r, d, m);
	page_vacation_section(r, d, m);
	if (message != NULL)
		td_str(d, "message", message);
	page_render(r, status, "mailbox_edit", m ? _("Edit Mailbox") :
	    _("Create Mailbox"), d);
}

/* page_mailbox_edit - Edit Mailbox as stored, for a form of another area
 * posted from it (the automatic reply fills its own part) */
void
page_mailbox_edit(struct req *r, int status, const struct domain *dom,
    const struct mailbox *m, const char *message)
{
	int post = r->is_post;

	r->is_post = 0;
	edit_form(r, status, dom, m, message);
	r->is_post = post;
}

/* read_input - the posted form as a mailbox_input; what the edge cannot
 * read is marked on its field, and lib/ still checks the others */
static void
read_input(struct req *r, struct mailbox_input *in)
{
	const char *q = form_str(r, "quota");
	const char *why;
	char *to;

	memset(in, 0, sizeof(*in));
	in->local = form_str(r, "address");
	in->real_name = form_str(r, "real_name") ? form_str(r, "real_name") : "";
	in->password = form_str(r, "password");
	in->password2 = form_str(r, "password2");
	in->extras = form_str(r, "extra");
	in->enabled = !form_bool(r, "disabled");
	/* empty: the plan's default, as the hint says (limit.h) */
	if (form_is(r, "quota_mode", "unlimited"))
		in->quota = QUOTA_UNLIMITED;
	else if ((why = limit_parse_quota(q, &in->quota)) != NULL) {
		form_error(r, "quota", why);
		in->quota = QUOTA_DEFAULT;
	}
	if (form_is(r, "send", "address")) {
		if (form_str(r, "send_to") == NULL ||
		    *form_str(r, "send_to") == '\0')
			form_error(r, "send_to", _("Please enter an email address."));
		else if ((why = valid_email_norm(r->pool, form_str(r, "send_to"),
		    &to)) != NULL)
			form_error(r, "send_to", why);
	}
}

/* lib_error - a lib/ refusal: the form again (422), every error marked,
 * or an error page */
static void
lib_error(struct req *r, const struct domain *dom, const struct mailbox *m,
    const struct err *err)
{
	form_wipe(r, "password", "password2", NULL);
	if (form_refused(r, err))
		edit_form(r, 422, dom, m, form_message(r, err));
}

/* send_account - mail the account details if asked; "sent", "failed",
 * "": of m as it is now (the one mailbox_create() made), else read again
 * (after an edit) */
static const char *
send_account(struct req *r, const struct domain *dom, int64_t id,
    struct mailbox *m)
{
	struct err err = { 0 };

	if (!form_is(r, "send", "address"))
		return "";
	if ((m == NULL && mailbox_get(&r->ctx, id, &m, &err) != 1) ||
	    notify_account(&r->ctx, app.cfg, dom, m, form_str(r, "send_to"),
	    &err) == -1)
		return "failed";
	return "sent";
}

/* done_url - back to the list with what happened */
static char *
done_url(struct req *r, int64_t d, const char *done, const char *login,
    const char *mail)
{
	return pool_printf(r->pool, "/mailboxes?d=%lld&done=%s&login=%s&mail=%s",
	    (long long)d, done, http_urlencode(r->pool, login), mail);
}

/* new_get - GET /mailbox/new: the empty form */
static void
new_get(struct req *r)
{
	struct domain *dom;

	if ((dom = req_domain(r, AUTHZ_MAIL)) == NULL)
		return;
	edit_form(r, 200, dom, NULL, NULL);
}

/* new_post - POST /mailbox/new: create it */
static void
new_post(struct req *r)
{
	struct domain *dom;
	struct mailbox_input in;
	struct mailbox *m;
	struct err err = { 0 };

	if ((dom = req_domain(r, AUTHZ_MAIL)) == NULL) {
		form_wipe(r, "password", "password2", NULL);
		return;
	}
	read_input(r, &in);
	in.set = MB_SET_ALL;
	/* the edge's refusals with lib/'s: all at once, nothing written */
	form_to_err(r, &err);
	if (mailbox_create(&r->ctx, dom, &in, &m, &err) == -1) {
		lib_error(r, dom, NULL, &err);
		return;
	}
	form_wipe(r, "password", "password2", NULL);
	page_redirect(r, done_url(r, dom->id, "created", m->login,
	    send_account(r, dom, m->id, m)));
}

/* load - the mailbox of ?id= and its domain, or an error page */
static struct mailbox *
load(struct req *r, struct domain **dom_r)
{
	struct mailbox *m;
	struct domain *dom;
	struct err err = { 0 };
	int64_t id = query_id(r, "id");

	*dom_r = NULL;
	if (id == 0) {
		page_error(r, 404, _("No such mailbox."));
		return NULL;
	}
	if (!page_got(r, mailbox_get(&r->ctx, id, &m, &err), &err,
	    _("No such mailbox.")))
		return NULL;
	if (*m->deleted_at != '\0') {
		page_error(r, 404, _("This mailbox has been deleted."));
		return NULL;
	}
	if (domain_get(&r->ctx, m->domain_id, &dom, &err) != 1) {
		page_err(r, &err);
		return NULL;
	}
	r->domain = dom;
	*dom_r = dom;
	return m;
}

/* page_mailbox_load - the live mailbox of ?id= and its domain (set as the
 * request's), or NULL after an error page */
struct mailbox *
page_mailbox_load(struct req *r, struct domain **dom_r)
{
	return load(r, dom_r);
}

/* edit_get - GET /mailbox/edit?id=: the filled-in form */
static void
edit_get(struct req *r)
{
	struct domain *dom;
	struct mailbox *m;

	if ((m = load(r, &dom)) == NULL)
		return;
	edit_form(r, 200, dom, m, NULL);
}

/* edit_post - POST /mailbox/edit?id=: save what the actor may change */
static void
edit_post(struct req *r)
{
	struct domain *dom;
	struct mailbox *m;
	struct mailbox_input in;
	struct err err = { 0 };

	if ((m = load(r, &dom)) == NULL) {
		form_wipe(r, "password", "password2", NULL);
		return;
	}
	read_input(r, &in);
	/* a password typed under "Leave unchanged" is never dropped: an
	 * error, shown with whatever else lib/ finds wrong */
	if (!form_is(r, "pw_mode", "set") && ((in.password != NULL &&
	    *in.password != '\0') || (in.password2 != NULL &&
	    *in.password2 != '\0')))
		form_error(r, "password", _("A new password was typed, but \"Leave unchanged\" is chosen: choose \"Set to\" to change the password, or clear the field."));
	if (authz_domain(&r->ctx, dom->id, AUTHZ_MAIL, &err) == 0)
		in.set |= MB_SET_MAIL;
	if (authz_domain(&r->ctx, dom->id, AUTHZ_QUOTA, &err) == 0)
		in.set |= MB_SET_QUOTA;
	if (form_is(r, "pw_mode", "set"))
		in.set |= MB_SET_PASSWORD;
	memset(&err, 0, sizeof(err));
	form_to_err(r, &err);
	if (mailbox_update(&r->ctx, m->id, &in, &err) == -1) {
		lib_error(r, dom, m, &err);
		return;
	}
	form_wipe(r, "password", "password2", NULL);
	page_redirect(r, done_url(r, dom->id, "saved", m->login,
	    send_account(r, dom, m->id, NULL)));
}

/* delete_row - one mailbox on the confirmation page */
static int
delete_row(struct req *r, int64_t domain_id, int64_t id, struct tdata *it)
{
	struct mailbox *m;
	struct err err = { 0 };

	if (!page_got(r, mailbox_get(&r->ctx, id, &m, &err), &err,
	    _("No such mailbox.")))
		return -1;
	if (m->domain_id != domain_id || *m->deleted_at != '\0') {
		page_error(r, 404, _("No such mailbox."));
		return -1;
	}
	td_int(it, "id", m->id);
	td_str(it, "login", m->login);
	td_str(it, "address", m->address);
	td_str(it, "real_name", m->real_name);
	td_str(it, "used", valid_size_format(r->pool, (uint64_t)m->used_bytes));
	td_int(it, "messages", m->used_messages);
	return 0;
}

/* delete_post - POST /mailboxes/delete: confirm, then delete */
static void
delete_post(struct req *r)
{
	struct tdata *d;
	size_t n;

	if ((d = page_delete_rows(r, "/mailboxes", DELETE_MAX, mailbox_delete,
	    delete_row, &n)) == NULL)
		return;
	td_int(d, "n", (long long)n);
	td_str(d, "delete_button", pool_printf(r->pool,
	    P_("Delete %llu mailbox and all its mail",
	    "Delete %llu mailboxes and all their mail", (unsigned long)n),
	    (unsigned long long)n));
	td_int(d, "purge_days", app.cfg->purge_days);
	page_render(r, 200, "mailbox_delete", _("Delete Mail Users"), d);
}

/* deleted_get - GET /mailboxes/deleted: what a superuser can restore */
static void
deleted_get(struct req *r)
{
	struct tdata *d = page_data(r), *it;
	struct domain *dom;
	struct mailbox *v;
	struct err err = { 0 };
	const char *login;
	size_t n, i, k;
	struct buf b;

	if ((dom = req_domain(r, AUTHZ_ADMIN)) == NULL)
		return;
	if (mailbox_list_deleted(&r->ctx, dom->id, 500, 0, &v, &n, &err) == -1) {
		page_err(r, &err);
		return;
	}
	td_list(d, "rows");
	for (i = 0; i < n; i++) {
		it = td_item(d, "rows");
		td_int(it, "id", v[i].id);
		td_str(it, "login", v[i].login);
		td_str(it, "address", v[i].address);
		td_str(it, "real_name", v[i].real_name);
		td_str(it, "deleted_at", v[i].deleted_at);
		buf_init(&b, r->pool, 64);
		for (k = 0; k < v[i].nextras; k++)
			buf_printf(&b, "%s%s", k ? ", " : "", v[i].extras[k]);
		td_str(it, "extras", b.data);
	}
	td_int(d, "purge_days", app.cfg->purge_days);
	if (form_is(r, "done", "restored") &&
	    (login = shown_login(r, dom->id)) != NULL)
		td_str(d, "notice", pool_printf(r->pool,
		    _("The mailbox %s has been restored."), login));
	page_render(r, 200, "mailbox_deleted", _("Deleted Mailboxes"), d);
}

/* restore_post - POST /mailbox/restore: bring one back */
static void
restore_post(struct req *r)
{
	struct mailbox *m;
	struct err err = { 0 };
	uint64_t id;

	if (!form_uint(r, "id", &id)) {
		page_error(r, 404, _("No such mailbox."));
		return;
	}
	if (!page_got(r, mailbox_get(&r->ctx, (int64_t)id, &m, &err), &err,
	    _("No such mailbox.")))
		return;
	if (mailbox_restore(&r->ctx, m->id, &err) == -1) {
		page_err(r, &err);
		return;
	}
	page_redirect(r, pool_printf(r->pool,
	    "/mailboxes/deleted?d=%lld&done=restored&login=%s",
	    (long long)m->domain_id, http_urlencode(r->pool, m->login)));
}

const struct route page_mailboxes_routes[] = {
	{ "GET", "/mailboxes", ROLES_ALL, R_DOMAIN, list_fields, list_get,
	    N_("Edit Mail Users"), 20 },
	{ "POST", "/mailboxes/delete", ROLES_MAIL, R_DOMAIN,
	    page_delete_fields, delete_post, NULL, 0 },
	{ "GET", "/mailboxes/deleted", ROLES_STAFF, R_DOMAIN, deleted_fields,
	    deleted_get, NULL, 0 },
	{ "GET", "/mailbox/new", ROLES_MAIL, R_DOMAIN, NULL, new_get, NULL, 0 },
	{ "POST", "/mailbox/new", ROLES_MAIL, R_DOMAIN, edit_fields, new_post,
	    NULL, 0 },
	{ "GET", "/mailbox/edit", ROLES_ALL, 0, NULL, edit_get, NULL, 0 },
	{ "POST", "/mailbox/edit", ROLES_ALL, 0, edit_fields, edit_post,
	    NULL, 0 },
	{ "POST", "/mailbox/restore", ROLES_STAFF, 0, restore_fields,
	    restore_post, NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
