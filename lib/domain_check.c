/*
 * NAME
 *	domain_check - the fields of a virtual server form, checked at once
 *
 * DESCRIPTION
 *	See domain_check.h.  Each check adds its refusal to err and the
 *	next field is checked all the same; a failure of the database stops
 *	at once (err_is_input()).  Memory: everything from ctx->pool.
 */
#include <ctype.h>
#include <string.h>

#include "alias.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "domain.h"
#include "domain_check.h"
#include "passwd.h"
#include "plan.h"
#include "pool.h"
#include "postbus.h"
#include "user.h"
#include "valid.h"

/* domain_name_taken - 1 if a live domain has the name, 0, -1 */
int
domain_name_taken(struct ctx *c, const char *name)
{
	struct dbv p[] = { DB_STR(name) };
	struct dbrow *r;

	return db_row(c->db, c->pool, SQL_DOM_NAME_TAKEN, p, 1, &r);
}

/* domain_check_free - that no live domain has the name and no domain
 * ever had the prefix (either may be NULL): the refusals added to err;
 * -1 only when the database failed */
int
domain_check_free(struct ctx *c, const char *name, const char *prefix,
    struct err *err)
{
	switch (name != NULL ? domain_name_taken(c, name) : 0) {
	case -1:
		return db_err(c->db, err);
	case 1:
		err_field(err, "name",
		    _("A virtual server with this name already exists."));
	}
	switch (prefix != NULL ? domain_prefix_taken(c, prefix) : 0) {
	case -1:
		return db_err(c->db, err);
	case 1:
		err_field(err, "prefix",
		    _("This prefix is already taken (prefixes are never used twice)."));
	}
	return 0;
}

/* domain_prefix_taken - 1 if a domain (live or deleted) has the prefix,
 * 0, -1 */
int
domain_prefix_taken(struct ctx *c, const char *prefix)
{
	struct dbv p[] = { DB_STR(prefix) };
	struct dbrow *r;

	return db_row(c->db, c->pool, SQL_DOM_PREFIX_TAKEN, p, 1, &r);
}

/* prefix_base - letters and digits of the first label, as a prefix */
static char *
prefix_base(struct pool *p, const char *label, size_t n)
{
	char *s = pool_zalloc(p, n + 8);
	size_t i, k = 0;

	for (i = 0; i < n && k < 24; i++) {
		unsigned char ch = (unsigned char)label[i];

		if (ch >= 0x80)
			continue;
		ch = (unsigned char)tolower(ch);
		if (islower(ch) || (isdigit(ch) && k > 0))
			s[k++] = (char)ch;
	}
	while (k > 0 && isdigit((unsigned char)s[k - 1]))
		s[--k] = '\0';
	return s;
}

/* domain_prefix_suggest - monsite.be: monsite; taken: monsitea, ... */
int
domain_prefix_suggest(struct ctx *c, const char *name, char **prefix_r,
    struct err *err)
{
	char *ascii, *base, *cand;
	const char *dot;
	size_t n, i;

	*prefix_r = NULL;
	if (name == NULL || valid_domain_norm(c->pool, name, &ascii) != NULL)
		return 0;
	/* from the name as typed, so that café.be gives "caf", not "xncaf" */
	dot = strchr(name, '.');
	base = prefix_base(c->pool, name, dot ? (size_t)(dot - name) :
	    strlen(name));
	if (strlen(base) < 2 || strncmp(ascii, "xn--", 4) == 0) {
		char *pb;

		dot = strchr(ascii, '.');
		n = dot ? (size_t)(dot - ascii) : strlen(ascii);
		pb = strncmp(ascii, "xn--", 4) == 0 ?
		    prefix_base(c->pool, ascii + 4, n - 4) :
		    prefix_base(c->pool, ascii, n);
		if (strlen(base) < 2)
			base = pb;
	}
	if (strlen(base) < 2)
		base = pool_printf(c->pool, "%smail", base);
	n = strlen(base);
	if (n > 22)
		base[22] = '\0';
	cand = base;
	for (i = 0; i <= 52; i++) {
		if (i > 0 && i <= 26)
			cand = pool_printf(c->pool, "%s%c", base, 'a' + (int)i - 1);
		else if (i > 26)
			cand = pool_printf(c->pool, "%sz%c", base,
			    'a' + (int)i - 27);
		if (valid_prefix(cand) != NULL)
			continue;
		switch (domain_prefix_taken(c, cand)) {
		case 0:
			*prefix_r = cand;
			return 1;
		case -1:
			return db_err(c->db, err);
		}
	}
	return 0;
}

/* SQL_DOM_OWNER_CHOICES */
enum oc_col {
	OC_ID,
	OC_LOGIN,
	OC__MAX
};
SQL_COLS_ARE(SQL_DOM_OWNER_CHOICES, OC__MAX);

/* domain_owner_choices - owner logins the actor may give a domain to */
int
domain_owner_choices(struct ctx *c, struct owner_choice **v_r, size_t *n_r,
    struct err *err)
{
	struct dbv p[] = { DB_INT(c->actor->role == ROLE_SUPERUSER),
	    DB_INT(c->actor->id), DB_INT(c->actor->id) };
	struct dbres *res;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (!domain_may_create(c))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to do this."));
	if (db_query(c->db, c->pool, SQL_DOM_OWNER_CHOICES, p, 3, &res) == -1)
		return db_err(c->db, err);
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		(*v_r)[i].id = dbrow_int(&res->rows[i], OC_ID);
		(*v_r)[i].login = pool_strdup(c->pool, dbrow_str(&res->rows[i], OC_LOGIN));
	}
	*n_r = res->nrows;
	return 0;
}

/* check_contact - the contact address, normalised; not a role alias of
 * the domain itself (mail to postmaster@ would loop); domain NULL when
 * the name was refused */
static int
check_contact(struct ctx *c, const char *domain, const char *in,
    char **out_r, struct err *err)
{
	const char *why;

	if (in == NULL || *in == '\0')
		return err_set(err, ERR_INVALID, "contact",
		    _("Please enter the contact email address."));
	if ((why = valid_email_norm(c->pool, in, out_r)) != NULL)
		return err_set(err, ERR_INVALID, "contact", why);
	if (domain != NULL && alias_is_role(*out_r, domain))
		return err_set(err, ERR_INVALID, "contact",
		    _("The role aliases point at the contact address, so it cannot be one of them."));
	return 0;
}

/* check_description - one line of at most 255 characters */
static int
check_description(const char *s, struct err *err)
{
	const char *why;

	if (s != NULL && *s != '\0' && (why = valid_text(s, 255)) != NULL)
		return err_set(err, ERR_INVALID, "description", why);
	return 0;
}

/* plan_choice - the plan of a form's select: ERR_INVALID on "plan" if
 * it does not exist or the actor may not give it (plan_may_use), unless
 * it is current, the plan the domain already has */
static int
plan_choice(struct ctx *c, int64_t id, int64_t current, struct plan **p_r,
    struct err *err)
{
	struct err e = { 0 };	/* "not found" is the field's refusal */
	int rc = id > 0 ? plan_get(c, id, p_r, &e) : 0;

	if (rc == -1) {
		err_merge(err, &e);
		return -1;
	}
	if (rc == 0)
		return err_set(err, ERR_INVALID, "plan",
		    _("This is not a valid choice."));
	if (id != current && !plan_may_use(c, *p_r))
		return err_set(err, ERR_INVALID, "plan",
		    _("This is not a valid choice."));
	return 0;
}

/* domain_check_name - a name that may be hosted (valid_domain_reserved)
 * and, but for superusers, is not below a live domain the actor does not
 * manage (alias domains are checked the same way) */
int
domain_check_name(struct ctx *c, const struct config *cfg, const char *name,
    struct err *err)
{
	struct err e = { 0 };
	struct dbrow *r;
	const char *why, *up;

	if ((why = valid_domain_reserved(name, cfg ? cfg->hostname : NULL,
	    cfg ? cfg->reserved_domains : CONFIG_RESERVED_DOMAINS)) != NULL)
		return err_set(err, ERR_INVALID, "name", why);
	if (c->actor->role == ROLE_SUPERUSER)
		return 0;
	for (up = strchr(name, '.'); up != NULL && strchr(up + 1, '.') != NULL;
	    up = strchr(up + 1, '.')) {
		struct dbv p[] = { DB_STR(up + 1) };

		switch (db_row(c->db, c->pool, SQL_DOM_NAME_TAKEN, p, 1, &r)) {
		case -1:
			return db_err(c->db, err);
		case 0:
			continue;
		}
		if (authz_domain(c, dbrow_int(r, 0), AUTHZ_ADMIN, &e) == 0)
			continue;
		if (e.kind == ERR_DB)
			return db_err(c->db, err);
		return err_set(err, ERR_INVALID, "name",
		    _("This name is below a virtual server that you do not manage."));
	}
	return 0;
}

/* owner_check - an existing owner login the actor may choose */
static int
owner_check(struct ctx *c, int64_t owner_id, const char **login_r,
    struct err *err)
{
	struct owner_choice *v;
	size_t n, i;

	if (domain_owner_choices(c, &v, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].id == owner_id) {
			*login_r = v[i].login;
			return 0;
		}
	return err_set(err, ERR_INVALID, "owner",
	    _("This is not a valid choice."));
}

/* owner_new - a new owner's login and password, typed twice; user.c
 * judges the login and the password under the form's names */
static int
owner_new(struct ctx *c, const struct domain_input *in, struct err *err)
{
	struct err e = { 0 };
	const char *login = in->owner_login, *pw = in->owner_password;

	if (login == NULL || *login == '\0')
		err_field(err, "owner_login",
		    _("Please enter a login for the owner, or choose an existing one."));
	if (pw == NULL || *pw == '\0')
		err_field(err, "owner_password", _("Please enter a password."));
	else if (in->owner_password2 == NULL ||
	    strcmp(pw, in->owner_password2) != 0)
		err_field(err, "owner_password2",
		    _("The two passwords are not the same."));
	if (user_check(c, login ? login : "", pw ? pw : "", ROLE_OWNER,
	    &e) == -1) {
		if (!err_is_input(&e)) {
			err_merge(err, &e);
			return -1;
		}
		err_rename(&e, "login", "owner_login");
		err_rename(&e, "password", "owner_password");
		err_merge(err, &e);
	}
	return 0;
}

/* domain_check_new - every field of a new domain, then the owner's hash */
int
domain_check_new(struct ctx *c, const struct config *cfg,
    const struct domain_input *in, struct domain_prep *p, struct err *err)
{
	const char *why;

	memset(p, 0, sizeof(*p));
	if (in->name == NULL || *in->name == '\0')
		err_field(err, "name", _("Please enter a domain name."));
	else if ((why = valid_domain_norm(c->pool, in->name, &p->name)) != NULL) {
		err_field(err, "name", why);
		p->name = NULL;
	} else if (domain_check_name(c, cfg, p->name, err) == -1) {
		if (!err_is_input(err))
			return -1;
	} else if (domain_check_free(c, p->name, NULL, err) == -1)
		return -1;
	/* the prefix: typed, or made from a name that is valid */
	if (in->prefix != NULL && *in->prefix != '\0') {
		if ((why = valid_prefix(in->prefix)) != NULL)
			err_field(err, "prefix", why);
		else {
			p->prefix = pool_strdup(c->pool, in->prefix);
			if (domain_check_free(c, NULL, p->prefix, err) == -1)
				return -1;
		}
	} else if (p->name != NULL) {
		switch (domain_prefix_suggest(c, in->name, &p->prefix, err)) {
		case -1:
			return -1;
		case 0:
			err_field(err, "prefix", _("Please choose a prefix."));
		}
	}
	if (plan_choice(c, in->plan_id, 0, &p->plan, err) == -1 &&
	    !err_is_input(err))
		return -1;
	p->description = in->description ? in->description : "";
	(void)check_description(p->description, err);
	if (check_contact(c, p->name, in->contact_email, &p->contact,
	    err) == -1 && !err_is_input(err))
		return -1;
	if (in->owner_id > 0) {
		if (owner_check(c, in->owner_id, &p->owner, err) == -1 &&
		    !err_is_input(err))
			return -1;
		p->owner_id = in->owner_id;
	} else if (owner_new(c, in, err) == -1)
		return -1;
	if (err_fields(err) > 0)
		return -1;
	if (p->owner_id == 0) {
		p->owner = in->owner_login;
		/* the hash before the transaction: no lock waits for it */
		if ((p->owner_hash = passwd_hash(c->pool,
		    in->owner_password)) == NULL)
			return err_internal(err, "domain_create: the password could not be hashed");
	}
	return 0;
}

/* domain_check_change - what an edit of d may change */
int
domain_check_change(struct ctx *c, const struct domain *d,
    const struct domain_change *in, struct domain_prep *p, struct err *err)
{
	memset(p, 0, sizeof(*p));
	if (plan_choice(c, in->plan_id, d->plan_id, &p->plan, err) == -1 &&
	    !err_is_input(err))
		return -1;
	p->description = in->description ? in->description : "";
	(void)check_description(p->description, err);
	if (check_contact(c, d->name, in->contact_email, &p->contact,
	    err) == -1 && !err_is_input(err))
		return -1;
	return err_fields(err) > 0 ? -1 : 0;
}
