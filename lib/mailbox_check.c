/*
 * NAME
 *	mailbox_check - the fields of a mailbox form, checked at once
 *
 * DESCRIPTION
 *	See mailbox_check.h.  Each check adds its refusal to err and the
 *	next field is checked all the same.  Memory: everything from
 *	ctx->pool; the hash is the caller's to wipe.
 */
#include <string.h>

#include "address.h"
#include "domain.h"
#include "limit.h"
#include "mailbox.h"
#include "mailbox_check.h"
#include "passwd.h"
#include "plan.h"
#include "pool.h"
#include "postbus.h"
#include "valid.h"

#define REAL_NAME_MAX	255

/* check_real_name - printable, one line, no markup characters */
static void
check_real_name(const char *s, struct err *err)
{
	const char *why;

	if ((why = valid_text(s, REAL_NAME_MAX)) != NULL)
		err_field(err, "real_name", why);
	else if (strpbrk(s, "<>\"\\") != NULL)
		err_field(err, "real_name",
		    _("A real name cannot contain < > \" or \\."));
}

/* mailbox_check_password - strong enough (against the login or, when it
 * is not known yet, its prefix) and typed the same twice */
void
mailbox_check_password(const char *pw, const char *pw2, const char *user,
    const char *addr, struct err *err)
{
	const char *why;

	if (pw == NULL || *pw == '\0') {
		err_field(err, "password", _("Please enter a password."));
		return;
	}
	if ((why = passwd_policy(pw, user, addr)) != NULL)
		err_field(err, "password", why);
	if (pw2 == NULL || strcmp(pw, pw2) != 0)
		err_field(err, "password2",
		    _("The two passwords are not the same."));
}

/* check_quota - limit_check_quota on the field "quota"; -1 (the plan's
 * default) passes */
static void
check_quota(int64_t q, struct err *err)
{
	const char *why;

	if (q >= 0 && (why = limit_check_quota(q)) != NULL)
		err_field(err, "quota", why);
}

/* check_address - the primary address, normalised into p->address */
static void
check_address(struct ctx *c, const char *domain, const char *local,
    struct mailbox_prep *p, struct err *err)
{
	if (local == NULL || *local == '\0')
		err_field(err, "address", _("Please enter the part before the @."));
	else if (address_norm(c, domain, local, "address", &p->address,
	    err) == -1)
		p->address = NULL;
}

/* hash - the password's hash, once every field passed */
static int
hash(struct ctx *c, const char *pw, struct mailbox_prep *p, struct err *err)
{
	if (err_fields(err) > 0)
		return -1;
	if (pw != NULL && (p->hash = passwd_hash(c->pool, pw)) == NULL)
		return err_internal(err, "mailbox: the password could not be hashed");
	return 0;
}

/* mailbox_check_new - a new mailbox's every field */
int
mailbox_check_new(struct ctx *c, const struct domain *dom,
    const struct mailbox_input *in, struct mailbox_prep *p, struct err *err)
{
	memset(p, 0, sizeof(*p));
	p->real_name = in->real_name ? in->real_name : "";
	check_address(c, dom->name, in->local, p, err);
	check_real_name(p->real_name, err);
	check_quota(in->quota, err);
	(void)address_parse_extras(c, dom->name, in->extras, p->address,
	    &p->extras, &p->nextras, err);
	/* the login is not known before the lock; its prefix is, and any
	 * password that contains the login contains the prefix */
	mailbox_check_password(in->password, in->password2, dom->prefix, p->address,
	    err);
	return hash(c, in->password, p, err);
}

/* mailbox_check_change - the fields an edit of m changes */
int
mailbox_check_change(struct ctx *c, const struct mailbox *m,
    const struct mailbox_input *in, struct mailbox_prep *p, struct err *err)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->real_name = in->real_name ? in->real_name : "";
	if (in->set & MB_SET_ADDRESS)
		check_address(c, m->domain_name, in->local, p, err);
	else
		p->address = (char *)m->address;
	if (in->set & MB_SET_NAME)
		check_real_name(p->real_name, err);
	if (in->set & MB_SET_QUOTA)
		check_quota(in->quota, err);
	if (in->set & MB_SET_EXTRAS)
		(void)address_parse_extras(c, m->domain_name, in->extras,
		    p->address, &p->extras, &p->nextras, err);
	else if (p->address != NULL)
		for (i = 0; i < m->nextras; i++)
			if (strcmp(m->extras[i], p->address) == 0)
				err_field(err, "address", pool_printf(c->pool,
				    _("%s is already an additional address of this mailbox."),
				    p->address));
	if (in->set & MB_SET_PASSWORD)
		mailbox_check_password(in->password, in->password2, m->login,
		    p->address, err);
	return hash(c, (in->set & MB_SET_PASSWORD) ? in->password : NULL, p,
	    err);
}

/* mailbox_check_room - may the domain hold one more mailbox (add) whose
 * quota goes from old_q to new_q?  Read under the domain lock. */
int
mailbox_check_room(struct ctx *c, const struct plan *pl, int64_t count,
    int64_t sum, int add, int64_t old_q, int64_t new_q, struct err *err)
{
	if (add && pl->max_mailboxes >= 0 && count + 1 > pl->max_mailboxes)
		return err_set(err, ERR_LIMIT, NULL, pool_printf(c->pool,
		    _("Your plan allows %lld mailboxes and they are all in use."),
		    (long long)pl->max_mailboxes));
	if (new_q == 0 && (add || old_q != 0) && !pl->allow_unlimited_quota)
		return err_set(err, ERR_LIMIT, "quota",
		    _("Your plan does not allow mailboxes without a quota."));
	if (new_q > 0 && pl->mail_quota >= 0 && (add || new_q > old_q) &&
	    sum - (add ? 0 : old_q) + new_q > pl->mail_quota) {
		int64_t left = pl->mail_quota - (sum - (add ? 0 : old_q));

		return err_set(err, ERR_LIMIT, "quota", pool_printf(c->pool,
		    _("This quota is more than your plan has left: %s of %s."),
		    valid_size_format(c->pool, (uint64_t)(left > 0 ? left : 0)),
		    valid_size_format(c->pool, (uint64_t)pl->mail_quota)));
	}
	return 0;
}
