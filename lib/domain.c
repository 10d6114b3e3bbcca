/*
 * NAME
 *	domain - mail domains ("virtual servers")
 *
 * DESCRIPTION
 *	The rules are listed in domain.h.  Every change locks what it checks
 *	against (the reseller's row, the plan, the domain row: tx.h's order)
 *	in the transaction that writes, so two staff members working at once
 *	cannot together exceed a limit.  A form's fields are checked, all of
 *	them, by domain_check.c before the transaction.  Memory: everything
 *	from ctx->pool.
 */
#include <string.h>

#include "address.h"
#include "alias.h"
#include "aliasdomain.h"
#include "audit.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "domain.h"
#include "domain_check.h"
#include "limit.h"
#include "passwd.h"
#include "plan.h"
#include "pool.h"
#include "postbus.h"
#include "session.h"
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

/* SQL_DOMAIN_GET and SQL_DOMAIN_BRIEF: DOMAIN_COLS, then */
enum domain_get_col {
	DG_GIVEN = DC_MAILBOXES,
	DG_MAILBOXES,
	DG_QUOTA_SUM,
	DG_QUOTA_TOTAL,
	DG_MAX_MAILBOXES,
	DG_DEFAULT_QUOTA,
	DG_ALLOW_UNLIMITED,
	DG_MAX_MESSAGE_SIZE,
	DG__MAX
};
SQL_COLS_ARE(SQL_DOMAIN_GET, DG__MAX);
SQL_COLS_ARE(SQL_DOMAIN_BRIEF, DG__MAX);
_Static_assert(DG__MAX == DOMAIN_ROW_NCOLS, "domain.h's DOMAIN_ROW_NCOLS");

/* domain_of_row - the domain of a SQL_DOMAIN_GET or _BRIEF row (NULL: not
 * found), authorised by what the same statement read (authz_seen) */
static int
domain_of_row(struct ctx *c, int64_t id, const struct dbrow *r,
    struct domain **d_r, struct err *err)
{
	struct domain *d;

	if (r == NULL || dbrow_isnull(r, DC_ID)) {
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
	d->max_message_size = dbrow_int(r, DG_MAX_MESSAGE_SIZE);
	*d_r = d;
	return 1;
}

/* domain_read_by - run a getter's statement (params: actor, domain) and
 * make its row a domain */
static int
domain_read_by(struct ctx *c, enum sqlstmt st, int64_t id,
    struct domain **d_r, struct err *err)
{
	struct dbv p[] = { DB_INT(c->actor != NULL ? c->actor->id : 0),
	    DB_INT(id) };
	struct dbrow *r;

	*d_r = NULL;
	if (c->actor == NULL || c->actor->role == ROLE_NONE)
		return authz_domain(c, id, AUTHZ_VIEW, err);
	switch (db_row(c->db, c->pool, st, p, NPARAMS(p), &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		r = NULL;
		break;
	}
	return domain_of_row(c, id, r, d_r, err);
}

/* domain_get - a domain the actor may view, authorised by the same
 * statement that reads it, with what its plan still allows */
int
domain_get(struct ctx *c, int64_t id, struct domain **d_r, struct err *err)
{
	return domain_read_by(c, SQL_DOMAIN_GET, id, d_r, err);
}

/* domain_brief - domain_get() without the creator's and the owner's
 * logins; the row read with the session when it is that domain */
int
domain_brief(struct ctx *c, struct session *s, int64_t id,
    struct domain **d_r, struct err *err)
{
	const struct dbrow *r;

	*d_r = NULL;
	/* the row says what the session's login reaches: only for it */
	if (s == NULL || s->page_domain == NULL || s->page_domain_id != id ||
	    c->actor == NULL || c->actor->role == ROLE_NONE ||
	    c->actor->id != s->actor.id || c->actor->role != s->actor.role)
		return domain_read_by(c, SQL_DOMAIN_BRIEF, id, d_r, err);
	/* once: after a change the page reads the domain again */
	r = s->page_domain;
	s->page_domain = NULL;
	return domain_of_row(c, id, r, d_r, err);
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
	const struct domain_prep *p;
	int64_t		 id;
};

/* create_body - the domain, its role aliases, its owner; what is free
 * was checked before (domain_check.h) and is checked again here, under
 * the reseller's lock, every field before a refusal */
static int
create_body(struct ctx *c, void *arg, struct err *err)
{
	struct create_job *j = arg;
	const struct domain_prep *dp = j->p;
	int64_t owner_id = dp->owner_id;
	uint64_t id;

	if (check_allowance_tx(c, err) == -1 ||
	    domain_check_free(c, dp->name, dp->prefix, err) == -1)
		return -1;
	if (aliasdomain_taken_tx(c, dp->name, "name", err) == -1 &&
	    !err_is_input(err))
		return -1;
	if (err_fields(err) > 0)
		return -1;
	{
		struct dbv p[] = { DB_STR(dp->name), DB_STR(dp->prefix),
		    DB_INT(dp->plan->id), c->actor->role == ROLE_RESELLER ?
		    DB_INT(c->actor->id) : DB_NULL, DB_STR(dp->description),
		    DB_STR(dp->contact), DB_STR(c->actor->login),
		    c->actor->id > 0 ? DB_INT(c->actor->id) : DB_NULL };

		if (db_exec(c->db, SQL_DOM_INSERT, p, NPARAMS(p), NULL,
		    &id) == -1) {
			if (db_errno(c->db) == DB_ER_DUP_ENTRY)
				return err_set(err, ERR_INVALID, "name",
				    _("A virtual server with this name or prefix already exists."));
			return db_err(c->db, err);
		}
	}
	if (alias_add_roles_tx(c, (int64_t)id, dp->name, dp->contact,
	    err) == -1)
		return -1;
	if (owner_id == 0 && user_add_tx(c, dp->owner, dp->owner_hash,
	    ROLE_OWNER, -1, &owner_id, err) == -1) {
		err_rename(err, "login", "owner_login");
		return -1;
	}
	if (user_give_domain_tx(c, owner_id, (int64_t)id, err) == -1)
		return -1;
	if (audit_log(c, (int64_t)id, dp->name, dp->name, "domain.create", NULL,
	    pool_printf(c->pool, "prefix=%s plan=%s owner=%s contact=%s "
	    "description=%s", dp->prefix, dp->plan->name, dp->owner,
	    dp->contact, dp->description)) == -1)
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
	struct domain_prep p;
	int rc;

	if (!domain_may_create(c))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to create virtual servers."));
	if (domain_check_new(c, cfg, in, &p, err) == -1)
		return -1;
	j.p = &p;
	j.id = 0;
	rc = tx_run(c, create_body, &j, err);
	if (p.owner_hash != NULL)
		explicit_bzero(p.owner_hash, strlen(p.owner_hash));
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
	struct domain_prep p;
	struct buf ob, nb;

	if (authz_domain(c, id, AUTHZ_ADMIN, err) == -1)
		return -1;
	if (domain_get(c, id, &d, err) != 1)
		return -1;
	if (domain_check_change(c, d, in, &p, err) == -1)
		return -1;
	buf_init(&ob, c->pool, 128);
	buf_init(&nb, c->pool, 128);
	audit_diff(&ob, &nb, "plan", d->plan_name, p.plan->name);
	audit_diff(&ob, &nb, "description", d->description, p.description);
	audit_diff(&ob, &nb, "contact", d->contact_email, p.contact);
	audit_diff(&ob, &nb, "active", d->active ? "yes" : "no",
	    in->active ? "yes" : "no");
	if (ob.len == 0 && nb.len == 0)
		return 0;
	j.id = id;
	j.d = d;
	j.in = in;
	j.plan_id = p.plan->id;
	j.desc = p.description;
	j.contact = p.contact;
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
