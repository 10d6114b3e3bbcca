/*
 * NAME
 *	page_passwords - "Change Passwords": a mailbox's new password
 *
 * DESCRIPTION
 *	Seed 000 §11, the second way: pick a mailbox, type the new password
 *	twice.  Owners, resellers, superusers and support may set one; no one
 *	can see one.  The picker is a list of the domain's mailboxes, or, for
 *	a domain with very many, a field for the login or address.
 */
#include <string.h>

#include "app.h"
#include "address.h"
#include "authz.h"
#include "domain.h"
#include "list.h"
#include "mailbox.h"
#include "mailbox_check.h"
#include "passwd.h"
#include "valid.h"

#define PICKER_MAX	1000	/* more mailboxes: type the login instead */

static const struct fielddef get_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "id", F_ID, 0, 0 },
	{ "changed", F_TEXT, 64, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct fielddef post_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "mailbox", F_TEXT, 320, 1 },
	{ "password", F_PASSWORD, 128, 1 },
	{ "password2", F_PASSWORD, 128, 1 },
	{ NULL, 0, 0, 0 }
};

/* show - the page, fresh or again with errors */
static void
show(struct req *r, int status, struct domain *dom, const char *chosen,
    const char *message, const char *done)
{
	struct tdata *d = page_data(r), *it;
	struct mailbox *v;
	struct err err = { 0 };
	size_t n, i;

	if (list_mailbox_choices(&r->ctx, dom->id, PICKER_MAX + 1, &v, &n,
	    &err) == -1) {
		page_err(r, &err);
		return;
	}
	if (r->is_post)
		form_fill(r, d);
	if (n <= PICKER_MAX) {
		td_bool(d, "picker", 1);
		td_list(d, "mailboxes");
		for (i = 0; i < n; i++) {
			const char *ids = pool_printf(r->pool, "%lld",
			    (long long)v[i].id);

			it = td_item(d, "mailboxes");
			td_str(it, "id", ids);
			td_str(it, "login", v[i].login);
			td_str(it, "address", v[i].address);
			td_str(it, "real_name", v[i].real_name);
			td_bool(it, "selected", chosen != NULL &&
			    strcmp(chosen, ids) == 0);
		}
	}
	td_bool(d, "empty", n == 0);
	if (message != NULL)
		td_str(d, "message", message);
	if (done != NULL)
		td_str(d, "notice", done);
	page_render(r, status, "passwords", _("Change Passwords"), d);
}

/* passwords_get - GET /passwords */
static void
passwords_get(struct req *r)
{
	struct domain *dom;
	const char *changed = form_str(r, "changed");
	uint64_t id = 0;
	const char *chosen = NULL;
	struct mailbox *m;
	struct err err = { 0 };

	if ((dom = req_domain(r, AUTHZ_PASSWORD)) == NULL)
		return;
	if (form_uint(r, "id", &id))
		chosen = pool_printf(r->pool, "%llu", (unsigned long long)id);
	/* the notice names only a mailbox of this domain, never any text
	 * that a link brought */
	if (changed != NULL && valid_login(changed) == NULL) {
		switch (mailbox_by_login(&r->ctx, changed, &m, &err)) {
		case -1:
			page_err(r, &err);
			return;
		case 0:
			changed = NULL;
			break;
		default:
			if (m->domain_id != dom->id || *m->deleted_at != '\0')
				changed = NULL;
		}
	} else
		changed = NULL;
	show(r, 200, dom, chosen, NULL, changed != NULL ? pool_printf(r->pool,
	    _("The password of %s has been changed."), changed) : NULL);
}

/* find - the chosen mailbox: an id from the list, or a login or address
 * typed in full; each looked up exactly, never as a pattern */
static int
find(struct req *r, struct domain *dom, const char *which,
    struct mailbox **m_r, struct err *err)
{
	uint64_t id;
	int64_t mid;
	int rc;

	if (valid_uint(which, 1, INT32_MAX, &id) == NULL)
		rc = mailbox_get(&r->ctx, (int64_t)id, m_r, err);
	else if (strchr(which, '@') == NULL)
		rc = mailbox_by_login(&r->ctx, which, m_r, err);
	else if ((rc = address_mailbox(&r->ctx, dom->id, which, &mid,
	    err)) == 1)
		rc = mailbox_get(&r->ctx, mid, m_r, err);
	if (rc == 1 && ((*m_r)->domain_id != dom->id ||
	    *(*m_r)->deleted_at != '\0'))
		rc = 0;
	return rc;
}

/* passwords_post - POST /passwords: set the new password */
static void
passwords_post(struct req *r)
{
	struct domain *dom;
	struct mailbox *m;
	struct err err = { 0 };
	const char *which = form_str(r, "mailbox");
	char *pw = (char *)form_str(r, "password");
	char *pw2 = (char *)form_str(r, "password2");
	int rc;

	if ((dom = req_domain(r, AUTHZ_PASSWORD)) == NULL)
		goto out;
	form_to_err(r, &err);
	{
		struct err ferr = { 0 };

		if ((rc = which != NULL ? find(r, dom, which, &m, &ferr) :
		    0) == -1) {
			page_err(r, &ferr);
			goto out;
		}
	}
	if (rc == 0) {
		/* no mailbox: the passwords are judged all the same */
		if (which != NULL)
			err_field(&err, "mailbox",
			    _("No such mailbox in this domain."));
		else if (err_field_msg(&err, "mailbox") == NULL)
			err_field(&err, "mailbox", _("Please choose a mailbox."));
		mailbox_check_password(pw, pw2, NULL, NULL, &err);
		form_from_err(r, &err);
		show(r, 422, dom, which, form_message(r, &err), NULL);
		goto out;
	}
	if (mailbox_set_password(&r->ctx, m->id, pw, pw2, &err) == -1) {
		if (err.field == NULL && err_is_input(&err))
			form_error(r, "password", err.msg);
		if (form_refused(r, &err))
			show(r, 422, dom, which, form_message(r, &err), NULL);
		goto out;
	}
	page_redirect(r, pool_printf(r->pool, "/passwords?d=%lld&changed=%s",
	    (long long)dom->id, http_urlencode(r->pool, m->login)));
out:
	passwd_wipe(pw);
	passwd_wipe(pw2);
}

const struct route page_passwords_routes[] = {
	{ "GET", "/passwords", ROLES_ALL, R_DOMAIN, get_fields, passwords_get,
	    N_("Change Passwords"), 40 },
	{ "POST", "/passwords", ROLES_ALL, R_DOMAIN, post_fields, passwords_post,
	    NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
