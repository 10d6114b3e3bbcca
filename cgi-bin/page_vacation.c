/*
 * NAME
 *	page_vacation - the automatic reply of a mailbox, on Edit Mailbox
 *
 * DESCRIPTION
 *	Seed 000 §9: under "Mail forwarding settings" of Edit Mailbox,
 *	"Send automatic reply: Yes, respond with message ..", then "Automatic
 *	reply options": the minimum time between autoreplies and the start
 *	and end dates ("Any time" or a date).  The section is a form of its
 *	own (vacation_form.html, included by mailbox_edit.html) that posts to
 *	/mailbox/vacation?id=; with bad input the whole Edit Mailbox page
 *	comes back with every error of the section next to its field and the
 *	rest of the page as stored.  Support staff see the reply but cannot
 *	change it.  Every rule is in lib/vacation.c.
 *
 *	page_vacation_section() fills the section for edit_form() in
 *	page_mailboxes.c; page_vacation_count() the number on Virtual Server
 *	Information.  The list's "reply on" mark comes with its rows
 *	(list.h).
 */
#include <string.h>

#include "app.h"
#include "authz.h"
#include "config.h"
#include "domain.h"
#include "mailbox.h"
#include "vacation.h"

static const struct fielddef vac_fields[] = {
	{ "id", F_ID, 0, 0 },
	{ "vac_mode", F_TEXT, 8, 0 },
	{ "subject", F_TEXT, 1000, 0 },
	{ "body", F_MULTILINE, 40000, 0 },
	{ "interval", F_UINT, 1000000000, 0 },
	{ "start_mode", F_TEXT, 8, 0 },
	{ "start", F_TEXT, 32, 0 },
	{ "end_mode", F_TEXT, 8, 0 },
	{ "end", F_TEXT, 32, 0 },
	{ NULL, 0, 0, 0 }
};

static void vac_post(struct req *r);

/* is - whether the form value of name is s */
static int
is(struct req *r, const char *name, const char *s)
{
	const char *v = form_str(r, name);

	return v != NULL && strcmp(v, s) == 0;
}

/* page_vacation_section - the automatic reply part of Edit Mailbox: as
 * posted when the page comes back from our own POST, else as stored */
void
page_vacation_section(struct req *r, struct tdata *d, const struct mailbox *m)
{
	struct vacation v;
	struct err err = { 0 };
	int own = r->route != NULL && r->route->handler == vac_post;

	if (m == NULL || vacation_get(&r->ctx, app.cfg, m->id, &v, &err) == -1)
		return;
	td_bool(d, "vac", 1);
	td_bool(d, "vac_can", authz_domain(&r->ctx, m->domain_id, AUTHZ_MAIL,
	    &err) == 0);
	td_int(d, "vac_floor", app.cfg->vacation_min_interval);
	td_str(d, "vac_floor_hint", pool_printf(r->pool,
	    P_("The server's minimum is %u minute.",
	    "The server's minimum is %u minutes.",
	    app.cfg->vacation_min_interval), app.cfg->vacation_min_interval));
	td_str(d, "vac_tz_hint", app.cfg->timezone ? pool_printf(r->pool,
	    _("Replies start at midnight of the start date and stop at midnight after the end date, in the time zone %s."),
	    app.cfg->timezone) :
	    _("Replies start at midnight of the start date and stop at midnight after the end date, in the server's time zone."));
	td_bool(d, "vac_current", v.current);
	td_bool(d, "vac_ended", v.active && !v.current);
	if (*v.updated_by != '\0')
		td_str(d, "vac_updated", pool_printf(r->pool,
		    _("Last changed on %s by %s."), v.updated_at, v.updated_by));
	if (own) {
		form_fill(r, d);
		td_bool(d, "vac_on", is(r, "vac_mode", "on"));
		td_bool(d, "vac_start_date", is(r, "start_mode", "date"));
		td_bool(d, "vac_end_date", is(r, "end_mode", "date"));
		return;
	}
	td_bool(d, "vac_on", v.active);
	td_str(d, "f_subject", v.subject);
	td_str(d, "f_body", v.body);
	td_int(d, "f_interval", v.interval);
	td_str(d, "f_start", v.start);
	td_str(d, "f_end", v.end);
	td_bool(d, "vac_start_date", *v.start != '\0');
	td_bool(d, "vac_end_date", *v.end != '\0');
}

/* page_vacation_count - replies on in a domain; -1 after an error page */
int64_t
page_vacation_count(struct req *r, int64_t domain_id)
{
	struct err err = { 0 };
	int64_t n;

	if (vacation_count(&r->ctx, domain_id, &n, &err) == -1) {
		page_err(r, &err);
		return -1;
	}
	return n;
}

/* read_input - the posted section as a vacation_input; the edge only
 * picks the radio buttons and turns the number into one, lib/ judges */
static void
read_input(struct req *r, struct vacation_input *in)
{
	uint64_t u;

	memset(in, 0, sizeof(*in));
	in->active = is(r, "vac_mode", "on");
	in->subject = form_str(r, "subject");
	in->body = form_str(r, "body");
	in->interval = -1;
	if (form_uint(r, "interval", &u))	/* else empty: the default */
		in->interval = (int64_t)u;
	if (is(r, "start_mode", "date")) {
		in->start = form_str(r, "start");
		if (in->start == NULL || *in->start == '\0')
			form_error(r, "start", _("Please choose the start date, or Any time."));
	}
	if (is(r, "end_mode", "date")) {
		in->end = form_str(r, "end");
		if (in->end == NULL || *in->end == '\0')
			form_error(r, "end", _("Please choose the end date, or Any time."));
	}
}

/* vac_post - POST /mailbox/vacation?id=: save the automatic reply */
static void
vac_post(struct req *r)
{
	struct vacation_input in;
	struct err errs[VACATION_ERR_MAX], err = { 0 };
	struct mailbox *m;
	struct domain *dom;
	size_t n, i;

	if ((m = page_mailbox_load(r, &dom)) == NULL)
		return;
	/* support may look, not change: 403 before anything is read */
	if (authz_domain(&r->ctx, dom->id, AUTHZ_MAIL, &err) == -1) {
		page_err(r, &err);
		return;
	}
	read_input(r, &in);
	/* every error of the section at once, next to its field */
	n = vacation_check(&r->ctx, app.cfg, &in, errs);
	for (i = 0; i < n; i++)
		if (errs[i].field != NULL)
			form_error(r, errs[i].field, errs[i].msg);
	if (form_has_errors(r)) {
		page_mailbox_edit(r, 422, dom, m,
		    _("Please correct the marked fields of the automatic reply."));
		return;
	}
	if (vacation_set(&r->ctx, app.cfg, m->id, &in, &err) == -1) {
		if (err.kind != ERR_INVALID) {
			page_err(r, &err);
			return;
		}
		if (err.field != NULL)
			form_error(r, err.field, err.msg);
		page_mailbox_edit(r, 422, dom, m, err.msg);
		return;
	}
	page_redirect(r, pool_printf(r->pool,
	    "/mailboxes?d=%lld&done=saved&login=%s", (long long)dom->id,
	    http_urlencode(r->pool, m->login)));
}

const struct route page_vacation_routes[] = {
	{ "POST", "/mailbox/vacation", ROLES_ALL, 0, vac_fields, vac_post,
	    NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
