/*
 * NAME
 *	plan - what a domain may hold
 *
 * DESCRIPTION
 *	The rules are in plan.h.  A change to a plan locks the plan row and
 *	then every live domain on it (tx.h's order) and checks each against
 *	the new limits in the transaction that writes.  Memory: ctx->pool.
 */
#include <string.h>

#include "alias.h"
#include "audit.h"
#include "authz.h"
#include "db.h"
#include "domain.h"
#include "limit.h"
#include "plan.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"
#include "valid.h"


/* the seed's "Recommended" plan (schema/002): what a new plan starts as */
static const struct plan defaults = {
	.id = 0,
	.name = "",
	.mail_quota = 30LL << 30,		/* 30 GB */
	.max_mailboxes = 10,
	.default_mailbox_quota = 3LL << 30,	/* 3 GB */
	.allow_unlimited_quota = 0,
	.max_aliases = -1,
	.max_alias_domains = -1,
	.max_message_size = 12LL << 20,		/* 12 MB */
	.web_quota = 10LL << 30,		/* 10 GB */
	.max_virtual_servers = 5,
	.max_destinations = 10,
	.owner_id = 0,
	.ndomains = 0,
};

/* plan_defaults - the values a new plan starts with */
const struct plan *
plan_defaults(void)
{
	return &defaults;
}


/* SQL_PLAN_GET, _GET_LOCK, _LIST, _LIST_MINE */
enum plan_col {
	PC_ID,
	PC_NAME,
	PC_MAIL_QUOTA,
	PC_MAX_MAILBOXES,
	PC_DEFAULT_QUOTA,
	PC_ALLOW_UNLIMITED,
	PC_MAX_ALIASES,
	PC_MAX_ALIAS_DOMAINS,
	PC_MAX_MESSAGE_SIZE,
	PC_WEB_QUOTA,
	PC_MAX_VSERVERS,
	PC_OWNER_ID,
	PC_MAX_DESTINATIONS,
	PC_NDOMAINS,
	PC__MAX
};
SQL_COLS_ARE(SQL_PLAN_GET, PC__MAX);
SQL_COLS_ARE(SQL_PLAN_GET_LOCK, PC__MAX);
SQL_COLS_ARE(SQL_PLAN_LIST, PC__MAX);
SQL_COLS_ARE(SQL_PLAN_LIST_MINE, PC__MAX);

/* plan_from_row - a plan from SQL_PLAN_GET's columns */
static struct plan *
plan_from_row(struct pool *p, const struct dbrow *r)
{
	struct plan *v = pool_zalloc(p, sizeof(*v));

	v->id = dbrow_int(r, PC_ID);
	v->name = pool_strdup(p, dbrow_str(r, PC_NAME));
	v->mail_quota = dbrow_limit(r, PC_MAIL_QUOTA);
	v->max_mailboxes = dbrow_limit(r, PC_MAX_MAILBOXES);
	v->default_mailbox_quota = dbrow_int(r, PC_DEFAULT_QUOTA);
	v->allow_unlimited_quota = (int)dbrow_int(r, PC_ALLOW_UNLIMITED);
	v->max_aliases = dbrow_limit(r, PC_MAX_ALIASES);
	v->max_alias_domains = dbrow_limit(r, PC_MAX_ALIAS_DOMAINS);
	v->max_message_size = dbrow_int(r, PC_MAX_MESSAGE_SIZE);
	v->web_quota = dbrow_limit(r, PC_WEB_QUOTA);
	v->max_virtual_servers = dbrow_limit(r, PC_MAX_VSERVERS);
	v->max_destinations = dbrow_limit(r, PC_MAX_DESTINATIONS);
	v->owner_id = dbrow_int(r, PC_OWNER_ID);
	v->ndomains = dbrow_int(r, PC_NDOMAINS);
	return v;
}

/* plan_get - a plan by id (plans are not secret: any logged-in actor) */
int
plan_get(struct ctx *c, int64_t id, struct plan **p_r, struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	*p_r = NULL;
	switch (db_row(c->db, c->pool, SQL_PLAN_GET, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		err_set(err, ERR_NOTFOUND, "plan", _("No such plan."));
		return 0;
	}
	*p_r = plan_from_row(c->pool, r);
	return 1;
}

/* plan_list - the plans the actor may see: every plan for superusers and
 * support; for a reseller the shared ones and its own, counting only its
 * domains on them */
int
plan_list(struct ctx *c, struct plan **v_r, size_t *n_r, struct err *err)
{
	enum role r = c->actor != NULL ? c->actor->role : ROLE_NONE;
	int64_t me = c->actor != NULL ? c->actor->id : 0;
	struct dbv mine[] = { DB_INT(me), DB_INT(me), DB_INT(me) };
	struct dbres *res;
	size_t i;
	int rc;

	*v_r = NULL;
	*n_r = 0;
	if (r == ROLE_SUPERUSER || r == ROLE_SUPPORT)
		rc = db_query(c->db, c->pool, SQL_PLAN_LIST, NULL, 0, &res);
	else if (r == ROLE_RESELLER)
		rc = db_query(c->db, c->pool, SQL_PLAN_LIST_MINE, mine,
		    NPARAMS(mine), &res);
	else
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to do this."));
	if (rc == -1)
		return db_err(c->db, err);
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		(*v_r)[i] = *plan_from_row(c->pool, &res->rows[i]);
	*n_r = res->nrows;
	return 0;
}

/* plan_may_edit - superusers edit every plan, resellers their own */
int
plan_may_edit(const struct ctx *c, const struct plan *p)
{
	if (c->actor == NULL)
		return 0;
	if (c->actor->role == ROLE_SUPERUSER)
		return 1;
	return c->actor->role == ROLE_RESELLER && p->owner_id > 0 &&
	    p->owner_id == c->actor->id;
}

/* plan_may_use - superusers give a domain any plan; resellers the shared
 * plans (no owner) and their own */
int
plan_may_use(const struct ctx *c, const struct plan *p)
{
	if (c->actor == NULL)
		return 0;
	if (c->actor->role == ROLE_SUPERUSER)
		return 1;
	return c->actor->role == ROLE_RESELLER && (p->owner_id == 0 ||
	    p->owner_id == c->actor->id);
}

/* check_count - a count limit: -1 (unlimited) or 0..LIMIT_COUNT_MAX */
static void
check_count(int64_t v, const char *field, struct err *err)
{
	if (v < -1 || v > LIMIT_COUNT_MAX)
		err_field(err, field, _("This is not a valid number."));
}

/* check_plan - the syntax and coherence of a plan's values, every one */
static int
check_plan(const struct plan *in, struct err *err)
{
	const char *why;

	if (in->name == NULL || *in->name == '\0')
		err_field(err, "name", _("Please enter a name for the plan."));
	else if ((why = valid_text(in->name, 64)) != NULL)
		err_field(err, "name", why);
	if (in->mail_quota == 0 || in->mail_quota > LIMIT_SIZE_MAX ||
	    (in->mail_quota > 0 && in->mail_quota < LIMIT_QUOTA_MIN))
		err_field(err, "mail_quota",
		    _("The total mail quota is at least 1 MB, or unlimited."));
	check_count(in->max_mailboxes, "max_mailboxes", err);
	if ((why = limit_check_quota(in->default_mailbox_quota)) != NULL)
		err_field(err, "default_mailbox_quota", why);
	else if (in->default_mailbox_quota == 0 && !in->allow_unlimited_quota)
		err_field(err, "default_mailbox_quota",
		    _("An unlimited default quota needs mailboxes without quota to be allowed."));
	else if (in->mail_quota > 0 &&
	    in->default_mailbox_quota > in->mail_quota)
		err_field(err, "default_mailbox_quota",
		    _("The default mailbox quota cannot be more than the total mail quota."));
	check_count(in->max_aliases, "max_aliases", err);
	check_count(in->max_alias_domains, "max_alias_domains", err);
	check_count(in->max_destinations, "max_destinations", err);
	if (in->max_message_size < 1024 ||
	    in->max_message_size > 2LL * 1024 * 1024 * 1024)
		err_field(err, "max_message_size",
		    _("The maximum message size is between 1 kB and 2 GB."));
	if (in->web_quota < -1 || in->web_quota > LIMIT_SIZE_MAX)
		err_field(err, "web_quota", _("This is not a valid size."));
	check_count(in->max_virtual_servers, "max_virtual_servers", err);
	return err_fields(err) > 0 ? -1 : 0;
}

/* plan_params - the 11 value parameters of SQL_PLAN_INSERT/UPDATE */
static void
plan_params(const struct plan *in, struct dbv *p)
{
	p[0] = DB_STR(in->name);
	p[1] = DB_LIMIT(in->mail_quota);
	p[2] = DB_LIMIT(in->max_mailboxes);
	p[3] = DB_INT(in->default_mailbox_quota);
	p[4] = DB_INT(in->allow_unlimited_quota ? 1 : 0);
	p[5] = DB_LIMIT(in->max_aliases);
	p[6] = DB_LIMIT(in->max_alias_domains);
	p[7] = DB_INT(in->max_message_size);
	p[8] = DB_LIMIT(in->web_quota);
	p[9] = DB_LIMIT(in->max_virtual_servers);
	p[10] = DB_LIMIT(in->max_destinations);
}

/* plan_describe - the audit text of a plan's values, changed ones only
 * when old is given */
static void
plan_describe(struct pool *p, const struct plan *old, const struct plan *in,
    struct buf *ob, struct buf *nb)
{
	static const struct plan none = { .name = "", .mail_quota = -2,
	    .max_mailboxes = -2, .default_mailbox_quota = -2,
	    .allow_unlimited_quota = -1, .max_aliases = -2,
	    .max_alias_domains = -2, .max_message_size = -2, .web_quota = -2,
	    .max_virtual_servers = -2, .max_destinations = -2 };
	const struct plan *o = old ? old : &none;

	audit_diff(ob, nb, "name", o->name, in->name);
	audit_diff(ob, nb, "mail_quota", old ? limit_size_str(p, o->mail_quota) : "",
	    limit_size_str(p, in->mail_quota));
	audit_diff(ob, nb, "max_mailboxes", old ? limit_count_str(p, o->max_mailboxes) : "",
	    limit_count_str(p, in->max_mailboxes));
	audit_diff(ob, nb, "default_mailbox_quota", old ? (o->default_mailbox_quota ?
	    limit_size_str(p, o->default_mailbox_quota) : "unlimited") : "",
	    in->default_mailbox_quota ? limit_size_str(p, in->default_mailbox_quota) :
	    "unlimited");
	audit_diff(ob, nb, "allow_unlimited_quota", old ? (o->allow_unlimited_quota ?
	    "yes" : "no") : "", in->allow_unlimited_quota ? "yes" : "no");
	audit_diff(ob, nb, "max_aliases", old ? limit_count_str(p, o->max_aliases) : "",
	    limit_count_str(p, in->max_aliases));
	audit_diff(ob, nb, "max_alias_domains", old ? limit_count_str(p,
	    o->max_alias_domains) : "", limit_count_str(p, in->max_alias_domains));
	audit_diff(ob, nb, "max_message_size", old ? limit_size_str(p, o->max_message_size) :
	    "", limit_size_str(p, in->max_message_size));
	audit_diff(ob, nb, "web_quota", old ? limit_size_str(p, o->web_quota) : "",
	    limit_size_str(p, in->web_quota));
	audit_diff(ob, nb, "max_virtual_servers", old ? limit_count_str(p,
	    o->max_virtual_servers) : "", limit_count_str(p, in->max_virtual_servers));
	audit_diff(ob, nb, "max_destinations", old ? limit_count_str(p,
	    o->max_destinations) : "", limit_count_str(p, in->max_destinations));
}

struct plan_write {
	const struct plan	*in;
	int64_t			 id;		/* 0: create */
	const char		*old_name;	/* update: for the audit */
	struct buf		*ob, *nb;
	struct domain_over	*over;
	size_t			 nover;
};

/* create_body - insert the plan and its audit entry */
static int
create_body(struct ctx *c, void *arg, struct err *err)
{
	struct plan_write *w = arg;
	struct dbv p[12];
	uint64_t id;

	plan_params(w->in, p);
	p[11] = c->actor->role == ROLE_RESELLER && c->actor->id > 0 ?
	    DB_INT(c->actor->id) : DB_NULL;
	if (db_exec(c->db, SQL_PLAN_INSERT, p, 12, NULL, &id) == -1) {
		if (db_errno(c->db) == DB_ER_DUP_ENTRY)
			return err_set(err, ERR_INVALID, "name",
			    _("A plan with this name already exists."));
		return db_err(c->db, err);
	}
	if (audit_log(c, 0, NULL, w->in->name, "plan.create", NULL,
	    w->nb->data) == -1)
		return db_err(c->db, err);
	w->id = (int64_t)id;
	return 0;
}

/* plan_create - a new plan, owned by the reseller who makes it */
int
plan_create(struct ctx *c, const struct plan *in, int64_t *id_r,
    struct err *err)
{
	struct plan_write w = { in, 0, NULL, NULL, NULL, NULL, 0 };
	struct buf ob, nb;

	if (!authz_role(c, AUTHZ_R(ROLE_SUPERUSER) | AUTHZ_R(ROLE_RESELLER)))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to create plans."));
	if (check_plan(in, err) == -1)
		return -1;
	buf_init(&ob, c->pool, 64);
	buf_init(&nb, c->pool, 256);
	plan_describe(c->pool, NULL, in, &ob, &nb);
	w.ob = &ob;
	w.nb = &nb;
	if (tx_run(c, create_body, &w, err) == -1)
		return -1;
	if (id_r != NULL)
		*id_r = w.id;
	return 0;
}

/* plan_fits - NULL if what a domain uses fits in the plan, else why not */
const char *
plan_fits(struct pool *p, const struct plan *pl, const struct plan_usage *u)
{
	int64_t total = u->quota_override >= 0 ? u->quota_override :
	    pl->mail_quota;

	if (pl->max_mailboxes >= 0 && u->mailboxes > pl->max_mailboxes)
		return pool_printf(p, _("it has %lld mailboxes; the plan allows %lld."),
		    (long long)u->mailboxes, (long long)pl->max_mailboxes);
	if (total >= 0 && u->quota_sum > total)
		return pool_printf(p, _("its mailboxes have %s of quota; the plan allows %s in all."),
		    valid_size_format(p, (uint64_t)u->quota_sum),
		    valid_size_format(p, (uint64_t)total));
	if (u->unlimited > 0 && !pl->allow_unlimited_quota)
		return pool_printf(p, _("it has %lld mailboxes without quota; the plan does not allow them."),
		    (long long)u->unlimited);
	if (pl->max_aliases >= 0 && u->aliases > pl->max_aliases)
		return pool_printf(p, _("it has %lld aliases; the plan allows %lld."),
		    (long long)u->aliases, (long long)pl->max_aliases);
	return NULL;
}

/* plan_lock_tx - the plan again, locked until the transaction ends, so
 * that no change to it slips in between the check and the write */
int
plan_lock_tx(struct ctx *c, int64_t id, struct plan **p_r, struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	switch (db_row(c->db, c->pool, SQL_PLAN_GET_LOCK, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_INVALID, "plan",
		    _("This is not a valid choice."));
	}
	*p_r = plan_from_row(c->pool, r);
	return 0;
}

/* update_body - lock the plan, then its domains (tx.h's order); refuse
 * a change that a domain does not fit, or (reseller) that reaches a
 * domain the actor does not manage; else write and audit */
static int
update_body(struct ctx *c, void *arg, struct err *err)
{
	struct plan_write *w = arg;
	struct plan *locked;
	struct plan_usage *u;
	struct dbv p[12];
	const char *why;
	size_t i, n, foreign = 0;

	w->over = NULL;
	w->nover = 0;
	if (plan_lock_tx(c, w->id, &locked, err) == -1 ||
	    domain_lock_plan_tx(c, w->id, &u, &n, err) == -1)
		return -1;
	for (i = 0; c->actor->role == ROLE_RESELLER && i < n; i++)
		if (!u[i].reachable)
			foreign++;
	if (foreign > 0)
		return err_set(err, ERR_FORBIDDEN, NULL, pool_printf(c->pool,
		    _("This plan is used by %zu virtual server(s) you cannot manage: only a superuser can change it."),
		    foreign));
	w->over = pool_zalloc(c->pool, sizeof(*w->over) * (n + 1));
	for (i = 0; i < n; i++) {
		if ((why = plan_fits(c->pool, w->in, &u[i])) == NULL &&
		    alias_plan_fits_tx(c, u[i].id, w->in->max_mailboxes, &why,
		    err) == -1)
			return -1;
		if (why == NULL)
			continue;
		w->over[w->nover].id = u[i].id;
		w->over[w->nover].name = u[i].name;
		w->over[w->nover].why = why;
		w->nover++;
	}
	if (w->nover > 0)
		return err_set(err, ERR_LIMIT, NULL, pool_printf(c->pool,
		    _("This change would put %zu virtual server(s) over the plan's limits; nothing was changed."),
		    w->nover));
	plan_params(w->in, p);
	p[11] = DB_INT(w->id);
	if (db_exec(c->db, SQL_PLAN_UPDATE, p, 12, NULL, NULL) == -1) {
		if (db_errno(c->db) == DB_ER_DUP_ENTRY)
			return err_set(err, ERR_INVALID, "name",
			    _("A plan with this name already exists."));
		return db_err(c->db, err);
	}
	if ((w->ob->len > 0 || w->nb->len > 0) && audit_log(c, 0, NULL,
	    w->old_name, "plan.update", w->ob->data, w->nb->data) == -1)
		return db_err(c->db, err);
	return 0;
}

/* plan_update - change a plan unless a domain on it would exceed it.  A
 * reseller changes only a plan whose every domain it manages itself: the
 * others are counted, never named */
int
plan_update(struct ctx *c, int64_t id, const struct plan *in,
    struct domain_over **over_r, size_t *nover_r, struct err *err)
{
	struct plan_write w = { in, id, NULL, NULL, NULL, NULL, 0 };
	struct plan *old;
	struct buf ob, nb;
	int rc;

	*over_r = NULL;
	*nover_r = 0;
	if (plan_get(c, id, &old, err) != 1)
		return -1;
	if (!plan_may_edit(c, old))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to change this plan."));
	if (check_plan(in, err) == -1)
		return -1;
	buf_init(&ob, c->pool, 128);
	buf_init(&nb, c->pool, 128);
	plan_describe(c->pool, old, in, &ob, &nb);
	w.old_name = old->name;
	w.ob = &ob;
	w.nb = &nb;
	rc = tx_run(c, update_body, &w, err);
	if (rc == -1 && w.nover > 0) {
		*over_r = w.over;
		*nover_r = w.nover;
	}
	return rc == -1 ? -1 : 0;
}
