/*
 * NAME
 *	domain - mail domains ("virtual servers")
 *
 * DESCRIPTION
 *	The rules are listed in domain.h.  Every change locks what it checks
 *	against (the reseller's row, the plan, the domain row: tx.h's order)
 *	in the transaction that writes, so two staff members working at once
 *	cannot together exceed a limit.  Memory: everything from ctx->pool.
 */
#include <ctype.h>
#include <string.h>

#include "address.h"
#include "alias.h"
#include "aliasdomain.h"
#include "audit.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "domain.h"
#include "limit.h"
#include "passwd.h"
#include "plan.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"
#include "user.h"
#include "valid.h"


SQL_COLS_ARE(SQL_DOMAIN_BY_NAME, DC_MAILBOXES);

/* domain_read - a domain from DOMAIN_COLS */
void
domain_read(struct pool *p, const struct dbrow *r, struct domain *d)
{
	d->id = dbrow_int(r, DC_ID);
	d->name = pool_strdup(p, dbrow_str(r, DC_NAME));
	d->prefix = pool_strdup(p, dbrow_str(r, DC_PREFIX));
	d->next_counter = dbrow_int(r, DC_COUNTER);
	d->plan_id = dbrow_int(r, DC_PLAN_ID);
	d->plan_name = pool_strdup(p, dbrow_str(r, DC_PLAN_NAME));
	d->reseller_id = dbrow_int(r, DC_RESELLER_ID);
	d->description = pool_strdup(p, dbrow_str(r, DC_DESCRIPTION));
	d->contact_email = pool_strdup(p, dbrow_str(r, DC_CONTACT));
	d->active = (int)dbrow_int(r, DC_ACTIVE);
	d->created_by = pool_strdup(p, dbrow_str(r, DC_CREATED_BY));
	d->created_at = pool_strdup(p, dbrow_str(r, DC_CREATED_AT));
	d->owner_login = pool_strdup(p, dbrow_str(r, DC_OWNER));
	d->mail_quota = dbrow_limit(r, DC_MAIL_QUOTA);
	d->max_mailboxes = -1;
	d->quota_total = -1;
}

/* SQL_DOMAIN_GET: DOMAIN_COLS, then */
enum domain_get_col {
	DG_GIVEN = DC_MAILBOXES,
	DG_MAILBOXES,
	DG_QUOTA_SUM,
	DG_QUOTA_TOTAL,
	DG_MAX_MAILBOXES,
	DG_DEFAULT_QUOTA,
	DG_ALLOW_UNLIMITED,
	DG__MAX
};
SQL_COLS_ARE(SQL_DOMAIN_GET, DG__MAX);

/* domain_get - a domain the actor may view, authorised by the same
 * statement that reads it (authz_seen), with what its plan still allows */
int
domain_get(struct ctx *c, int64_t id, struct domain **d_r, struct err *err)
{
	struct dbv p[] = { DB_INT(c->actor != NULL ? c->actor->id : 0),
	    DB_INT(id) };
	struct dbrow *r;
	struct domain *d;

	*d_r = NULL;
	if (c->actor == NULL || c->actor->role == ROLE_NONE)
		return authz_domain(c, id, AUTHZ_VIEW, err);
	switch (db_row(c->db, c->pool, SQL_DOMAIN_GET, p, NPARAMS(p), &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
		return 0;
	}
	authz_seen(c, id, dbrow_int(r, DC_RESELLER_ID), dbrow_int(r, DG_GIVEN));
	if (authz_domain(c, id, AUTHZ_VIEW, err) == -1)
		return err->kind == ERR_NOTFOUND ? 0 : -1;
	d = pool_zalloc(c->pool, sizeof(*d));
	domain_read(c->pool, r, d);
	d->has_usage = 1;
	d->used_mailboxes = dbrow_int(r, DG_MAILBOXES);
	d->quota_sum = dbrow_int(r, DG_QUOTA_SUM);
	d->quota_total = dbrow_limit(r, DG_QUOTA_TOTAL);
	d->max_mailboxes = dbrow_limit(r, DG_MAX_MAILBOXES);
	d->default_quota = dbrow_int(r, DG_DEFAULT_QUOTA);
	d->allow_unlimited = (int)dbrow_int(r, DG_ALLOW_UNLIMITED);
	*d_r = d;
	return 1;
}

/* domain_by_name - a domain the actor may view, by name (Unicode or
 * punycode) */
int
domain_by_name(struct ctx *c, const char *name, struct domain **d_r,
    struct err *err)
{
	struct dbv p[1];
	struct dbrow *r;
	char *norm;

	*d_r = NULL;
	/* café.be and xn--caf-dma.be are one name: the stored one */
	if (name == NULL || valid_domain_norm(c->pool, name, &norm) != NULL) {
		err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
		return 0;
	}
	p[0] = DB_STR(norm);
	switch (db_row(c->db, c->pool, SQL_DOMAIN_BY_NAME, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
		return 0;
	}
	return domain_get(c, dbrow_int(r, 0), d_r, err);
}

/* SQL_DOMAIN_USAGE */
enum du_col {
	DU_MAILBOXES,
	DU_QUOTA_SUM,
	DU_UNLIMITED,
	DU_ALIASES,
	DU_DISK,
	DU__MAX
};
SQL_COLS_ARE(SQL_DOMAIN_USAGE, DU__MAX);

/* domain_usage - what a domain uses of its plan */
int
domain_usage(struct ctx *c, int64_t id, struct domain_usage *u,
    struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	memset(u, 0, sizeof(*u));
	if (authz_domain(c, id, AUTHZ_VIEW, err) == -1)
		return err->kind == ERR_NOTFOUND ? 0 : -1;
	switch (db_row(c->db, c->pool, SQL_DOMAIN_USAGE, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
		return 1;
	}
	u->mailboxes = dbrow_int(r, DU_MAILBOXES);
	u->quota_allocated = dbrow_int(r, DU_QUOTA_SUM);
	u->unlimited_mailboxes = dbrow_int(r, DU_UNLIMITED);
	u->aliases = dbrow_int(r, DU_ALIASES);
	u->disk_used = dbrow_int(r, DU_DISK);
	return 1;
}

/*
 * Changes: domains.
 */

/* domain_may_create - superusers and resellers create domains */
int
domain_may_create(const struct ctx *c)
{
	return authz_role(c, AUTHZ_R(ROLE_SUPERUSER) | AUTHZ_R(ROLE_RESELLER));
}

/* domain_plan - the plan with the domain's own quota */
int
domain_plan(struct ctx *c, const struct domain *d, struct plan **p_r,
    struct err *err)
{
	if (authz_domain(c, d->id, AUTHZ_VIEW, err) == -1 ||
	    plan_get(c, d->plan_id, p_r, err) != 1)
		return -1;
	if (d->mail_quota >= 0)
		(*p_r)->mail_quota = d->mail_quota;
	return 0;
}

/* prefix_taken - 1 if a domain (live or deleted) has the prefix, 0, -1 */
static int
prefix_taken(struct ctx *c, const char *prefix)
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
		switch (prefix_taken(c, cand)) {
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
 * the domain itself (mail to postmaster@ would loop) */
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
	if (alias_is_role(*out_r, domain))
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
	int rc = id > 0 ? plan_get(c, id, p_r, err) : 0;

	if (rc == -1)
		return -1;
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

/* check_allowance_tx - under a lock on the reseller's row: may it make
 * one more domain? */
static int
check_allowance_tx(struct ctx *c, struct err *err)
{
	struct dbv p[] = { DB_INT(c->actor->id) };
	struct dbrow *r;
	int64_t max, n;

	if (c->actor->role != ROLE_RESELLER)
		return 0;
	switch (db_row(c->db, c->pool, SQL_DOM_RESELLER_LOCK, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to create virtual servers."));
	}
	if (dbrow_isnull(r, 0))
		return 0;
	max = dbrow_int(r, 0);
	if (db_row(c->db, c->pool, SQL_DOM_RESELLER_COUNT, p, 1, &r) != 1)
		return db_err(c->db, err);
	n = dbrow_int(r, 0);
	if (n >= max)
		return err_set(err, ERR_LIMIT, NULL, pool_printf(c->pool,
		    _("Your allowance is %lld virtual server(s) and you have %lld: no more can be created."),
		    (long long)max, (long long)n));
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
/* SQL_DOMAIN_LOCK_USAGE and SQL_DOMAIN_LOCK_PLAN: the same seven, then
 * the plan (the first) or whether the actor manages it (the second) */
enum usage_col {
	UU_ID,
	UU_NAME,
	UU_QUOTA_OVERRIDE,
	UU_MAILBOXES,
	UU_QUOTA_SUM,
	UU_UNLIMITED,
	UU_ALIASES,
	UU_PLAN_ID,
	UU__MAX,
	UU_REACHABLE = UU_PLAN_ID
};
SQL_COLS_ARE(SQL_DOMAIN_LOCK_USAGE, UU__MAX);
SQL_COLS_ARE(SQL_DOMAIN_LOCK_PLAN, UU__MAX);

/* usage_read - SQL_DOMAIN_LOCK_USAGE / SQL_DOMAIN_LOCK_PLAN columns */
static void
usage_read(struct pool *p, const struct dbrow *r, struct plan_usage *u)
{
	u->id = dbrow_int(r, UU_ID);
	u->name = pool_strdup(p, dbrow_str(r, UU_NAME));
	u->quota_override = dbrow_limit(r, UU_QUOTA_OVERRIDE);
	u->mailboxes = dbrow_int(r, UU_MAILBOXES);
	u->quota_sum = dbrow_int(r, UU_QUOTA_SUM);
	u->unlimited = dbrow_int(r, UU_UNLIMITED);
	u->aliases = dbrow_int(r, UU_ALIASES);
	u->reachable = 1;
}

/* SQL_DOMAIN_LOCK */
enum lock_col {
	DL_ID,
	DL_NAME,
	DL_PREFIX,
	DL_COUNTER,
	DL_PLAN_ID,
	DL_ACTIVE,
	DL_MAIL_QUOTA,
	DL_DELETED,
	DL_MAILBOXES,
	DL_QUOTA_SUM,
	DL__MAX
};
SQL_COLS_ARE(SQL_DOMAIN_LOCK, DL__MAX);

/* domain_lock_tx - lock the domain row, live or deleted, and read it */
int
domain_lock_tx(struct ctx *c, int64_t id, struct domain_lock *d,
    struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	switch (db_row(c->db, c->pool, SQL_DOMAIN_LOCK, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	}
	d->id = dbrow_int(r, DL_ID);
	d->name = pool_strdup(c->pool, dbrow_str(r, DL_NAME));
	d->prefix = pool_strdup(c->pool, dbrow_str(r, DL_PREFIX));
	d->counter = dbrow_int(r, DL_COUNTER);
	d->plan_id = dbrow_int(r, DL_PLAN_ID);
	d->active = (int)dbrow_int(r, DL_ACTIVE);
	d->mail_quota = dbrow_limit(r, DL_MAIL_QUOTA);
	d->deleted = (int)dbrow_int(r, DL_DELETED);
	d->mailboxes = dbrow_int(r, DL_MAILBOXES);
	d->quota_sum = dbrow_int(r, DL_QUOTA_SUM);
	return 0;
}

/* lock_usage_tx - lock a live domain's row and read its usage and plan */
static int
lock_usage_tx(struct ctx *c, int64_t id, struct plan_usage *u,
    int64_t *plan_r, struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	switch (db_row(c->db, c->pool, SQL_DOMAIN_LOCK_USAGE, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	}
	usage_read(c->pool, r, u);
	if (plan_r != NULL)
		*plan_r = dbrow_int(r, UU_PLAN_ID);
	return 0;
}

/* domain_lock_plan_tx - lock the live domains of a plan, with their usage
 * and whether the actor (a reseller) manages each */
int
domain_lock_plan_tx(struct ctx *c, int64_t plan_id, struct plan_usage **v_r,
    size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(c->actor->id), DB_INT(c->actor->id),
	    DB_INT(plan_id) };
	struct dbres *res;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (db_query(c->db, c->pool, SQL_DOMAIN_LOCK_PLAN, p, NPARAMS(p),
	    &res) == -1)
		return db_err(c->db, err);
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		usage_read(c->pool, &res->rows[i], &(*v_r)[i]);
		(*v_r)[i].reachable = (int)dbrow_int(&res->rows[i], UU_REACHABLE);
	}
	*n_r = res->nrows;
	return 0;
}

struct create_job {
	const struct domain_input *in;
	const char	*name;
	const char	*prefix;
	const char	*contact;
	const char	*desc;
	const struct plan *pl;
	const char	*owner;		/* login, for the audit */
	int64_t		 owner_id;	/* an existing owner, or 0 */
	const char	*owner_hash;	/* a new owner's, hashed before */
	int64_t		 id;
};

/* create_body - the domain, its role aliases, its owner */
static int
create_body(struct ctx *c, void *arg, struct err *err)
{
	struct create_job *j = arg;
	struct dbrow *r;
	int64_t owner_id = j->owner_id;
	uint64_t id;

	if (check_allowance_tx(c, err) == -1)
		return -1;
	{
		struct dbv p[] = { DB_STR(j->name) };

		switch (db_row(c->db, c->pool, SQL_DOM_NAME_TAKEN, p, 1, &r)) {
		case -1:
			return db_err(c->db, err);
		case 1:
			return err_set(err, ERR_INVALID, "name",
			    _("A virtual server with this name already exists."));
		}
	}
	if (aliasdomain_taken_tx(c, j->name, "name", err) == -1)
		return -1;
	switch (prefix_taken(c, j->prefix)) {
	case -1:
		return db_err(c->db, err);
	case 1:
		return err_set(err, ERR_INVALID, "prefix",
		    _("This prefix is already taken (prefixes are never used twice)."));
	}
	{
		struct dbv p[] = { DB_STR(j->name), DB_STR(j->prefix),
		    DB_INT(j->pl->id), c->actor->role == ROLE_RESELLER ?
		    DB_INT(c->actor->id) : DB_NULL, DB_STR(j->desc),
		    DB_STR(j->contact), DB_STR(c->actor->login),
		    c->actor->id > 0 ? DB_INT(c->actor->id) : DB_NULL };

		if (db_exec(c->db, SQL_DOM_INSERT, p, NPARAMS(p), NULL,
		    &id) == -1) {
			if (db_errno(c->db) == DB_ER_DUP_ENTRY)
				return err_set(err, ERR_INVALID, "name",
				    _("A virtual server with this name or prefix already exists."));
			return db_err(c->db, err);
		}
	}
	if (alias_add_roles_tx(c, (int64_t)id, j->name, j->contact, err) == -1)
		return -1;
	if (owner_id == 0 && user_add_tx(c, j->in->owner_login, j->owner_hash,
	    ROLE_OWNER, -1, &owner_id, err) == -1) {
		if (err->field != NULL && strcmp(err->field, "login") == 0)
			err->field = "owner_login";
		return -1;
	}
	if (user_give_domain_tx(c, owner_id, (int64_t)id, err) == -1)
		return -1;
	if (audit_log(c, (int64_t)id, j->name, j->name, "domain.create", NULL,
	    pool_printf(c->pool, "prefix=%s plan=%s owner=%s contact=%s "
	    "description=%s", j->prefix, j->pl->name, j->owner, j->contact,
	    j->desc)) == -1)
		return db_err(c->db, err);
	j->id = (int64_t)id;
	return 0;
}

/* domain_create - a domain with its owner's login and role aliases */
int
domain_create(struct ctx *c, const struct config *cfg,
    const struct domain_input *in, int64_t *id_r, struct err *err)
{
	struct create_job j;
	struct plan *pl;
	char *name, *contact, *prefix, *hash = NULL;
	const char *why;
	int rc;

	memset(&j, 0, sizeof(j));
	if (!domain_may_create(c))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to create virtual servers."));
	if ((why = valid_domain_norm(c->pool, in->name, &name)) != NULL)
		return err_set(err, ERR_INVALID, "name", why);
	if (domain_check_name(c, cfg, name, err) == -1)
		return -1;
	if (in->prefix == NULL || *in->prefix == '\0') {
		switch (domain_prefix_suggest(c, in->name, &prefix, err)) {
		case -1:
			return -1;
		case 0:
			return err_set(err, ERR_INVALID, "prefix",
			    _("Please choose a prefix."));
		}
	} else {
		if ((why = valid_prefix(in->prefix)) != NULL)
			return err_set(err, ERR_INVALID, "prefix", why);
		prefix = pool_strdup(c->pool, in->prefix);
	}
	if (plan_choice(c, in->plan_id, 0, &pl, err) == -1)
		return -1;
	j.desc = in->description ? in->description : "";
	if (check_description(j.desc, err) == -1 ||
	    check_contact(c, name, in->contact_email, &contact, err) == -1)
		return -1;
	if (in->owner_id > 0) {
		if (owner_check(c, in->owner_id, &j.owner, err) == -1)
			return -1;
		j.owner_id = in->owner_id;
	} else {
		if (in->owner_login == NULL || *in->owner_login == '\0')
			return err_set(err, ERR_INVALID, "owner_login",
			    _("Please enter a login for the owner, or choose an existing one."));
		if (in->owner_password == NULL || *in->owner_password == '\0')
			return err_set(err, ERR_INVALID, "owner_password",
			    _("Please enter a password."));
		if (in->owner_password2 == NULL ||
		    strcmp(in->owner_password, in->owner_password2) != 0)
			return err_set(err, ERR_INVALID, "owner_password2",
			    _("The two passwords are not the same."));
		/* the hash before the transaction: no lock waits for it */
		if (user_prepare(c, in->owner_login, in->owner_password,
		    ROLE_OWNER, &hash, err) == -1) {
			if (err->field != NULL && strcmp(err->field, "login") == 0)
				err->field = "owner_login";
			else if (err->field != NULL &&
			    strcmp(err->field, "password") == 0)
				err->field = "owner_password";
			return -1;
		}
		j.owner = in->owner_login;
		j.owner_hash = hash;
	}
	j.in = in;
	j.name = name;
	j.prefix = prefix;
	j.contact = contact;
	j.pl = pl;
	rc = tx_run(c, create_body, &j, err);
	if (hash != NULL)
		explicit_bzero(hash, strlen(hash));
	if (rc == 0 && id_r != NULL)
		*id_r = j.id;
	return rc;
}

struct update_job {
	int64_t		 id;
	const struct domain *d;
	const struct domain_change *in;
	int64_t		 plan_id;
	const char	*desc;
	const char	*contact;
	struct buf	*ob, *nb;
};

/* update_body - the plan, then the domain (tx.h's order); the new plan
 * must fit what the domain uses */
static int
update_body(struct ctx *c, void *arg, struct err *err)
{
	struct update_job *j = arg;
	struct plan *pl;
	struct plan_usage u;
	const char *why;
	int64_t cur_plan;

	if (plan_lock_tx(c, j->plan_id, &pl, err) == -1 ||
	    lock_usage_tx(c, j->id, &u, &cur_plan, err) == -1)
		return -1;
	if (pl->id != cur_plan && (why = plan_fits(c->pool, pl, &u)) != NULL)
		return err_set(err, ERR_LIMIT, "plan", pool_printf(c->pool,
		    _("The domain does not fit in the plan %s: %s"), pl->name,
		    why));
	/* "everyone in domain" aliases keep the mailbox cap low (alias.c) */
	if (pl->id != cur_plan) {
		if (alias_plan_fits_tx(c, j->id, pl->max_mailboxes, &why,
		    err) == -1)
			return -1;
		if (why != NULL)
			return err_set(err, ERR_LIMIT, "plan", pool_printf(c->pool,
			    _("The domain does not fit in the plan %s: %s"),
			    pl->name, why));
	}
	{
		struct dbv p[] = { DB_INT(pl->id), DB_STR(j->desc),
		    DB_STR(j->contact), DB_INT(j->in->active ? 1 : 0),
		    DB_INT(j->id) };

		if (db_exec(c->db, SQL_DOM_UPDATE, p, 5, NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	if (alias_move_roles_tx(c, j->id, j->d->contact_email, j->contact,
	    err) == -1)
		return -1;
	if (audit_log(c, j->id, j->d->name, j->d->name, "domain.update",
	    j->ob->data, j->nb->data) == -1)
		return db_err(c->db, err);
	return 0;
}

/* domain_update - plan, description, contact and state of a domain */
int
domain_update(struct ctx *c, int64_t id, const struct domain_change *in,
    struct err *err)
{
	struct update_job j;
	struct domain *d;
	struct plan *pl;
	struct buf ob, nb;
	char *contact;
	const char *desc = in->description ? in->description : "";

	if (authz_domain(c, id, AUTHZ_ADMIN, err) == -1)
		return -1;
	if (domain_get(c, id, &d, err) != 1)
		return -1;
	if (plan_choice(c, in->plan_id, d->plan_id, &pl, err) == -1 ||
	    check_description(desc, err) == -1 ||
	    check_contact(c, d->name, in->contact_email, &contact, err) == -1)
		return -1;
	buf_init(&ob, c->pool, 128);
	buf_init(&nb, c->pool, 128);
	audit_diff(&ob, &nb, "plan", d->plan_name, pl->name);
	audit_diff(&ob, &nb, "description", d->description, desc);
	audit_diff(&ob, &nb, "contact", d->contact_email, contact);
	audit_diff(&ob, &nb, "active", d->active ? "yes" : "no",
	    in->active ? "yes" : "no");
	if (ob.len == 0 && nb.len == 0)
		return 0;
	j.id = id;
	j.d = d;
	j.in = in;
	j.plan_id = pl->id;
	j.desc = desc;
	j.contact = contact;
	j.ob = &ob;
	j.nb = &nb;
	return tx_run(c, update_body, &j, err);
}

/* domain_set_active - disable or enable a domain */
int
domain_set_active(struct ctx *c, int64_t id, int active, struct err *err)
{
	struct domain *d;
	struct domain_change ch;

	if (authz_domain(c, id, AUTHZ_ADMIN, err) == -1)
		return -1;
	if (domain_get(c, id, &d, err) != 1)
		return -1;
	ch.plan_id = d->plan_id;
	ch.description = d->description;
	ch.contact_email = d->contact_email;
	ch.active = active;
	return domain_update(c, id, &ch, err);
}

struct quota_job {
	const struct domain *d;
	int64_t		 quota;
};

/* quota_body - never below what the mailboxes were given */
static int
quota_body(struct ctx *c, void *arg, struct err *err)
{
	struct quota_job *j = arg;
	struct plan_usage u;
	struct dbv p[] = { DB_LIMIT(j->quota), DB_INT(j->d->id) };

	if (lock_usage_tx(c, j->d->id, &u, NULL, err) == -1)
		return -1;
	if (j->quota >= 0 && u.quota_sum > j->quota)
		return err_set(err, ERR_LIMIT, "quota", pool_printf(c->pool,
		    _("Its mailboxes already have %s of quota; the domain quota cannot be less."),
		    valid_size_format(c->pool, (uint64_t)u.quota_sum)));
	if (db_exec(c->db, SQL_DOM_SET_QUOTA, p, 2, NULL, NULL) == -1 ||
	    audit_log(c, j->d->id, j->d->name, j->d->name, "domain.quota",
	    j->d->mail_quota < 0 ? "plan" : limit_size_str(c->pool,
	    j->d->mail_quota), j->quota < 0 ? "plan" :
	    limit_size_str(c->pool, j->quota)) == -1)
		return db_err(c->db, err);
	return 0;
}

/* domain_set_quota - a domain's own total mail quota (staff only) */
int
domain_set_quota(struct ctx *c, int64_t id, int64_t quota, struct err *err)
{
	struct quota_job j;
	struct domain *d;

	if (!authz_role(c, AUTHZ_R(ROLE_SUPERUSER) | AUTHZ_R(ROLE_RESELLER) |
	    AUTHZ_R(ROLE_SUPPORT)))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("Only staff can change a domain's quota."));
	if (authz_domain(c, id, AUTHZ_QUOTA, err) == -1)
		return -1;
	if (domain_get(c, id, &d, err) != 1)
		return -1;
	if (quota >= 0 && (quota < LIMIT_QUOTA_MIN || quota > LIMIT_SIZE_MAX))
		return err_set(err, ERR_INVALID, "quota",
		    _("A domain quota is at least 1 MB."));
	if (quota == d->mail_quota)
		return 0;
	j.d = d;
	j.quota = quota;
	return tx_run(c, quota_body, &j, err);
}

/* delete_body - the domain, its mailboxes, addresses, aliases, owners */
static int
delete_body(struct ctx *c, void *arg, struct err *err)
{
	const struct domain *d = arg;
	struct plan_usage u;
	struct dbv p[] = { DB_INT(d->id) };

	if (lock_usage_tx(c, d->id, &u, NULL, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_DOM_MBOX_DELETE_ALL, p, 1, NULL, NULL) == -1 ||
	    address_delete_domain_tx(c, d->id, err) == -1 ||
	    alias_delete_domain_tx(c, d->id, err) == -1 ||
	    db_exec(c->db, SQL_DOM_USERS_DELETE_ALL, p, 1, NULL, NULL) == -1 ||
	    db_exec(c->db, SQL_DOM_MARK_DELETED, p, 1, NULL, NULL) == -1 ||
	    audit_log(c, d->id, d->name, d->name, "domain.delete",
	    pool_printf(c->pool, "prefix=%s plan=%s mailboxes=%lld", d->prefix,
	    d->plan_name, (long long)u.mailboxes), NULL) == -1)
		return err->kind != ERR_NONE ? -1 : db_err(c->db, err);
	return 0;
}

/* domain_delete - the domain, its mailboxes and aliases, all at once */
int
domain_delete(struct ctx *c, int64_t id, const char *confirm,
    struct err *err)
{
	struct domain *d;
	char *typed;

	if (authz_domain(c, id, AUTHZ_ADMIN, err) == -1)
		return -1;
	if (domain_get(c, id, &d, err) != 1)
		return -1;
	if (confirm == NULL || valid_domain_norm(c->pool, confirm, &typed) !=
	    NULL || strcmp(typed, d->name) != 0)
		return err_set(err, ERR_INVALID, "confirm",
		    _("Please type the domain name exactly, to confirm."));
	return tx_run(c, delete_body, d, err);
}
