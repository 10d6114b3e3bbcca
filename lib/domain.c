/*
 * NAME
 *	domain - plans and mail domains ("virtual servers")
 *
 * DESCRIPTION
 *	The rules are listed in domain.h.  Every change locks what it checks
 *	against (the plan and its domains, the domain row, the reseller's
 *	row) in the transaction that writes, so two staff members working at
 *	once cannot together exceed a limit.  Memory: everything from
 *	ctx->pool.
 */
#include <ctype.h>
#include <string.h>

#include "audit.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "domain.h"
#include "passwd.h"
#include "pool.h"
#include "postbus.h"
#include "user.h"
#include "valid.h"

#define QUOTA_MIN	(1024 * 1024)		/* 1 MB */
#define SIZE_MAX_BYTES	(1LL << 50)		/* 1 PB: a typo, not a plan */
#define COUNT_MAX	10000000

/* the role aliases every new domain gets (seed 000 §10) */
static const char *const role_aliases[] = {
	"abuse", "hostmaster", "postmaster", "webmaster", NULL
};

/* lim - a nullable limit column: -1 for NULL (unlimited) */
static int64_t
lim(const struct dbrow *r, size_t i)
{
	return dbrow_isnull(r, i) ? -1 : dbrow_int(r, i);
}

/* plan_from_row - a plan from PLAN_COLS */
static struct plan *
plan_from_row(struct pool *p, const struct dbrow *r)
{
	struct plan *v = pool_zalloc(p, sizeof(*v));

	v->id = dbrow_int(r, 0);
	v->name = pool_strdup(p, dbrow_str(r, 1));
	v->mail_quota = lim(r, 2);
	v->max_mailboxes = lim(r, 3);
	v->default_mailbox_quota = dbrow_int(r, 4);
	v->allow_unlimited_quota = (int)dbrow_int(r, 5);
	v->max_aliases = lim(r, 6);
	v->max_alias_domains = lim(r, 7);
	v->max_message_size = dbrow_int(r, 8);
	v->web_quota = lim(r, 9);
	v->max_virtual_servers = lim(r, 10);
	v->owner_id = dbrow_int(r, 11);
	v->ndomains = dbrow_int(r, 12);
	return v;
}

/* domain_from_row - a domain from DOMAIN_COLS */
static void
domain_from_row(struct pool *p, const struct dbrow *r, struct domain *d)
{
	d->id = dbrow_int(r, 0);
	d->name = pool_strdup(p, dbrow_str(r, 1));
	d->prefix = pool_strdup(p, dbrow_str(r, 2));
	d->next_counter = dbrow_int(r, 3);
	d->plan_id = dbrow_int(r, 4);
	d->plan_name = pool_strdup(p, dbrow_str(r, 5));
	d->reseller_id = dbrow_int(r, 6);
	d->description = pool_strdup(p, dbrow_str(r, 7));
	d->contact_email = pool_strdup(p, dbrow_str(r, 8));
	d->active = (int)dbrow_int(r, 9);
	d->created_by = pool_strdup(p, dbrow_str(r, 10));
	d->created_at = pool_strdup(p, dbrow_str(r, 11));
	d->owner_login = pool_strdup(p, dbrow_str(r, 12));
	d->mail_quota = lim(r, 13);
	d->max_mailboxes = -1;
	d->quota_total = -1;
}

/* domain_get - a domain the actor may view */
int
domain_get(struct ctx *c, int64_t id, struct domain **d_r, struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	*d_r = NULL;
	if (authz_domain(c, id, AUTHZ_VIEW, err) == -1)
		return err->kind == ERR_NOTFOUND ? 0 : -1;
	switch (db_row(c->db, c->pool, SQL_DOMAIN_GET, p, 1, &r)) {
	case -1:
		return err_db(err);
	case 0:
		err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
		return 0;
	}
	*d_r = pool_zalloc(c->pool, sizeof(**d_r));
	domain_from_row(c->pool, r, *d_r);
	return 1;
}

/* domain_by_name - a domain the actor may view, by name */
int
domain_by_name(struct ctx *c, const char *name, struct domain **d_r,
    struct err *err)
{
	struct dbv p[] = { DB_STR(name) };
	struct dbrow *r;

	*d_r = NULL;
	switch (db_row(c->db, c->pool, SQL_DOMAIN_BY_NAME, p, 1, &r)) {
	case -1:
		return err_db(err);
	case 0:
		err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
		return 0;
	}
	return domain_get(c, dbrow_int(r, 0), d_r, err);
}

/* like_pattern - %search% with LIKE's wildcards escaped */
static char *
like_pattern(struct pool *p, const char *s)
{
	struct buf b;

	buf_init(&b, p, strlen(s) * 2 + 3);
	buf_putc(&b, '%');
	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '%');
	return b.data;
}

/* domain_names - id and name of the domains the actor can see, for the
 * domain selector: at most limit, by name; *more_r if there are others */
int
domain_names(struct ctx *c, unsigned int limit, struct domain_name **v_r,
    size_t *n_r, int *more_r, struct err *err)
{
	enum role r = c->actor->role;
	struct dbv all[] = { DB_INT((int64_t)limit + 1) };
	struct dbv mine[] = { DB_INT(r == ROLE_RESELLER ? c->actor->id : 0),
	    DB_INT(c->actor->id), DB_INT((int64_t)limit + 1) };
	struct dbres *res;
	size_t i;
	int rc;

	*v_r = NULL;
	*n_r = 0;
	*more_r = 0;
	if (r == ROLE_NONE)
		return err_set(err, ERR_FORBIDDEN, NULL, _("Please log in."));
	if (r == ROLE_SUPERUSER || r == ROLE_SUPPORT)
		rc = db_query(c->db, c->pool, SQL_DOMAIN_NAMES_ALL, all,
		    NPARAMS(all), &res);
	else if (r == ROLE_RESELLER)
		rc = db_query(c->db, c->pool, SQL_DOMAIN_NAMES_MINE, mine,
		    NPARAMS(mine), &res);
	else
		rc = db_query(c->db, c->pool, SQL_DOMAIN_NAMES_GIVEN, mine + 1,
		    2, &res);
	if (rc == -1)
		return err_db(err);
	*more_r = res->nrows > limit;
	*n_r = res->nrows > limit ? limit : res->nrows;
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (*n_r + 1));
	for (i = 0; i < *n_r; i++) {
		(*v_r)[i].id = dbrow_int(&res->rows[i], 0);
		(*v_r)[i].name = pool_strdup(c->pool, dbrow_str(&res->rows[i], 1));
	}
	return 0;
}

/* domain_usage - what a domain uses of its plan */
int
domain_usage(struct ctx *c, int64_t id, struct domain_usage *u,
    struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	memset(u, 0, sizeof(*u));
	if (authz_domain(c, id, AUTHZ_VIEW, err) == -1)
		return -1;
	switch (db_row(c->db, c->pool, SQL_DOMAIN_USAGE, p, 1, &r)) {
	case -1:
		return err_db(err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	}
	u->mailboxes = dbrow_int(r, 0);
	u->quota_allocated = dbrow_int(r, 1);
	u->unlimited_mailboxes = dbrow_int(r, 2);
	u->aliases = dbrow_int(r, 3);
	u->disk_used = dbrow_int(r, 4);
	return 0;
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
		return err_db(err);
	case 0:
		return err_set(err, ERR_NOTFOUND, "plan", _("No such plan."));
	}
	*p_r = plan_from_row(c->pool, r);
	return 0;
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
		return err_db(err);
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		(*v_r)[i] = *plan_from_row(c->pool, &res->rows[i]);
	*n_r = res->nrows;
	return 0;
}

/*
 * Changes: plans.
 */

/* size_str - a size limit for people and the audit log */
static const char *
size_str(struct pool *p, int64_t v)
{
	return v < 0 ? "unlimited" : valid_size_format(p, (uint64_t)v);
}

/* count_str - a count limit for the audit log */
static const char *
count_str(struct pool *p, int64_t v)
{
	return v < 0 ? "unlimited" : pool_printf(p, "%lld", (long long)v);
}

/* diff - add "key=old" and "key=new" to two buffers if they differ */
static void
diff(struct buf *o, struct buf *n, const char *key, const char *ov,
    const char *nv)
{
	if (strcmp(ov, nv) == 0)
		return;
	buf_printf(o, "%s%s=%s", o->len ? " " : "", key, ov);
	buf_printf(n, "%s%s=%s", n->len ? " " : "", key, nv);
}

/* lim_param - a limit as a parameter: NULL for unlimited */
static struct dbv
lim_param(int64_t v)
{
	return v < 0 ? DB_NULL : DB_INT(v);
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

/* check_plan - the syntax and coherence of a plan's values */
static int
check_plan(const struct plan *in, struct err *err)
{
	const char *why;

	if (in->name == NULL || *in->name == '\0')
		return err_set(err, ERR_INVALID, "name",
		    _("Please enter a name for the plan."));
	if ((why = valid_text(in->name, 64)) != NULL)
		return err_set(err, ERR_INVALID, "name", why);
	if (in->mail_quota == 0 || in->mail_quota > SIZE_MAX_BYTES ||
	    (in->mail_quota > 0 && in->mail_quota < QUOTA_MIN))
		return err_set(err, ERR_INVALID, "mail_quota",
		    _("The total mail quota is at least 1 MB, or unlimited."));
	if (in->max_mailboxes < -1 || in->max_mailboxes > COUNT_MAX)
		return err_set(err, ERR_INVALID, "max_mailboxes",
		    _("This is not a valid number."));
	if (in->default_mailbox_quota < 0 ||
	    in->default_mailbox_quota > SIZE_MAX_BYTES ||
	    (in->default_mailbox_quota > 0 &&
	    in->default_mailbox_quota < QUOTA_MIN))
		return err_set(err, ERR_INVALID, "default_mailbox_quota",
		    _("A mailbox quota is at least 1 MB."));
	if (in->default_mailbox_quota == 0 && !in->allow_unlimited_quota)
		return err_set(err, ERR_INVALID, "default_mailbox_quota",
		    _("An unlimited default quota needs mailboxes without quota to be allowed."));
	if (in->mail_quota > 0 && in->default_mailbox_quota > in->mail_quota)
		return err_set(err, ERR_INVALID, "default_mailbox_quota",
		    _("The default mailbox quota cannot be more than the total mail quota."));
	if (in->max_aliases < -1 || in->max_aliases > COUNT_MAX)
		return err_set(err, ERR_INVALID, "max_aliases",
		    _("This is not a valid number."));
	if (in->max_alias_domains < -1 || in->max_alias_domains > COUNT_MAX)
		return err_set(err, ERR_INVALID, "max_alias_domains",
		    _("This is not a valid number."));
	if (in->max_message_size < 1024 ||
	    in->max_message_size > 2LL * 1024 * 1024 * 1024)
		return err_set(err, ERR_INVALID, "max_message_size",
		    _("The maximum message size is between 1 kB and 2 GB."));
	if (in->web_quota < -1 || in->web_quota > SIZE_MAX_BYTES)
		return err_set(err, ERR_INVALID, "web_quota",
		    _("This is not a valid size."));
	if (in->max_virtual_servers < -1 || in->max_virtual_servers > COUNT_MAX)
		return err_set(err, ERR_INVALID, "max_virtual_servers",
		    _("This is not a valid number."));
	return 0;
}

/* plan_params - the 10 value parameters of SQL_PLAN_INSERT/UPDATE */
static void
plan_params(const struct plan *in, struct dbv *p)
{
	p[0] = DB_STR(in->name);
	p[1] = lim_param(in->mail_quota);
	p[2] = lim_param(in->max_mailboxes);
	p[3] = DB_INT(in->default_mailbox_quota);
	p[4] = DB_INT(in->allow_unlimited_quota ? 1 : 0);
	p[5] = lim_param(in->max_aliases);
	p[6] = lim_param(in->max_alias_domains);
	p[7] = DB_INT(in->max_message_size);
	p[8] = lim_param(in->web_quota);
	p[9] = lim_param(in->max_virtual_servers);
}

/* plan_describe - the audit text of a plan's values, changed ones only
 * when old is given */
static void
plan_describe(struct pool *p, const struct plan *old, const struct plan *in,
    struct buf *ob, struct buf *nb)
{
	static const struct plan none = { 0, "", -2, -2, -2, -1, -2, -2, -2,
	    -2, -2, 0, 0 };
	const struct plan *o = old ? old : &none;

	diff(ob, nb, "name", o->name, in->name);
	diff(ob, nb, "mail_quota", old ? size_str(p, o->mail_quota) : "",
	    size_str(p, in->mail_quota));
	diff(ob, nb, "max_mailboxes", old ? count_str(p, o->max_mailboxes) : "",
	    count_str(p, in->max_mailboxes));
	diff(ob, nb, "default_mailbox_quota", old ? (o->default_mailbox_quota ?
	    size_str(p, o->default_mailbox_quota) : "unlimited") : "",
	    in->default_mailbox_quota ? size_str(p, in->default_mailbox_quota) :
	    "unlimited");
	diff(ob, nb, "allow_unlimited_quota", old ? (o->allow_unlimited_quota ?
	    "yes" : "no") : "", in->allow_unlimited_quota ? "yes" : "no");
	diff(ob, nb, "max_aliases", old ? count_str(p, o->max_aliases) : "",
	    count_str(p, in->max_aliases));
	diff(ob, nb, "max_alias_domains", old ? count_str(p,
	    o->max_alias_domains) : "", count_str(p, in->max_alias_domains));
	diff(ob, nb, "max_message_size", old ? size_str(p, o->max_message_size) :
	    "", size_str(p, in->max_message_size));
	diff(ob, nb, "web_quota", old ? size_str(p, o->web_quota) : "",
	    size_str(p, in->web_quota));
	diff(ob, nb, "max_virtual_servers", old ? count_str(p,
	    o->max_virtual_servers) : "", count_str(p, in->max_virtual_servers));
}

/* plan_create - a new plan, owned by the reseller who makes it */
int
plan_create(struct ctx *c, const struct plan *in, int64_t *id_r,
    struct err *err)
{
	struct dbv p[11];
	struct buf ob, nb;
	uint64_t id;

	if (!authz_role(c, AUTHZ_R(ROLE_SUPERUSER) | AUTHZ_R(ROLE_RESELLER)))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to create plans."));
	if (check_plan(in, err) == -1)
		return -1;
	plan_params(in, p);
	p[10] = c->actor->role == ROLE_RESELLER && c->actor->id > 0 ?
	    DB_INT(c->actor->id) : DB_NULL;
	buf_init(&ob, c->pool, 64);
	buf_init(&nb, c->pool, 256);
	plan_describe(c->pool, NULL, in, &ob, &nb);
	if (db_begin(c->db) == -1)
		return err_db(err);
	if (db_exec(c->db, SQL_PLAN_INSERT, p, 11, NULL, &id) == -1) {
		unsigned int e = db_errno(c->db);

		db_rollback(c->db);
		if (e == DB_ER_DUP_ENTRY)
			return err_set(err, ERR_INVALID, "name",
			    _("A plan with this name already exists."));
		return err_db(err);
	}
	if (audit_log(c, 0, NULL, in->name, "plan.create", NULL, nb.data) == -1 ||
	    db_commit(c->db) == -1) {
		db_rollback(c->db);
		return err_db(err);
	}
	if (id_r != NULL)
		*id_r = (int64_t)id;
	return 0;
}

struct usage_row {
	int64_t		 id;
	const char	*name;
	int64_t		 quota_override;	/* -1 none */
	int64_t		 mailboxes;
	int64_t		 quota_sum;
	int64_t		 unlimited;
	int64_t		 aliases;
};

/* usage_from_row - SQL_DOM_LOCK / SQL_PLAN_DOMAINS_LOCK columns */
static void
usage_from_row(struct pool *p, const struct dbrow *r, struct usage_row *u)
{
	u->id = dbrow_int(r, 0);
	u->name = pool_strdup(p, dbrow_str(r, 1));
	u->quota_override = lim(r, 2);
	u->mailboxes = dbrow_int(r, 3);
	u->quota_sum = dbrow_int(r, 4);
	u->unlimited = dbrow_int(r, 5);
	u->aliases = dbrow_int(r, 6);
}

/* fits - NULL if what the domain uses fits in the plan, else why not */
static const char *
fits(struct pool *p, const struct plan *pl, const struct usage_row *u)
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

/* plan_update - change a plan unless a domain on it would exceed it.  A
 * reseller changes only a plan whose every domain it manages itself: the
 * others are counted, never named */
int
plan_update(struct ctx *c, int64_t id, const struct plan *in,
    struct domain_over **over_r, size_t *nover_r, struct err *err)
{
	struct plan *old, cur;
	struct dbv k[] = { DB_INT(id) };
	struct dbv kd[] = { DB_INT(c->actor->id), DB_INT(c->actor->id),
	    DB_INT(id) };
	struct dbv p[11];
	struct dbres *res;
	struct dbrow *row;
	struct usage_row u;
	struct buf ob, nb;
	const char *why;
	size_t i, n = 0, foreign = 0;
	int reseller = c->actor->role == ROLE_RESELLER;

	*over_r = NULL;
	*nover_r = 0;
	if (plan_get(c, id, &old, err) == -1)
		return -1;
	if (!plan_may_edit(c, old))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to change this plan."));
	if (check_plan(in, err) == -1)
		return -1;
	buf_init(&ob, c->pool, 128);
	buf_init(&nb, c->pool, 128);
	plan_describe(c->pool, old, in, &ob, &nb);
	if (db_begin(c->db) == -1)
		return err_db(err);
	if (db_row(c->db, c->pool, SQL_PLAN_LOCK, k, 1, &row) != 1 ||
	    db_query(c->db, c->pool, SQL_PLAN_DOMAINS_LOCK, kd, NPARAMS(kd),
	    &res) == -1) {
		db_rollback(c->db);
		return err_db(err);
	}
	for (i = 0; reseller && i < res->nrows; i++)
		if (!dbrow_int(&res->rows[i], 7))
			foreign++;
	if (foreign > 0) {
		db_rollback(c->db);
		return err_set(err, ERR_FORBIDDEN, NULL, pool_printf(c->pool,
		    _("This plan is used by %zu virtual server(s) you cannot manage: only a superuser can change it."),
		    foreign));
	}
	cur = *in;
	*over_r = pool_zalloc(c->pool, sizeof(**over_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		usage_from_row(c->pool, &res->rows[i], &u);
		if ((why = fits(c->pool, &cur, &u)) == NULL)
			continue;
		(*over_r)[n].id = u.id;
		(*over_r)[n].name = u.name;
		(*over_r)[n].why = why;
		n++;
	}
	if (n > 0) {
		db_rollback(c->db);
		*nover_r = n;
		return err_set(err, ERR_LIMIT, NULL, pool_printf(c->pool,
		    _("This change would put %zu virtual server(s) over the plan's limits; nothing was changed."),
		    n));
	}
	plan_params(in, p);
	p[10] = DB_INT(id);
	if (db_exec(c->db, SQL_PLAN_UPDATE, p, 11, NULL, NULL) == -1) {
		unsigned int e = db_errno(c->db);

		db_rollback(c->db);
		if (e == DB_ER_DUP_ENTRY)
			return err_set(err, ERR_INVALID, "name",
			    _("A plan with this name already exists."));
		return err_db(err);
	}
	if ((ob.len > 0 || nb.len > 0) && audit_log(c, 0, NULL, old->name,
	    "plan.update", ob.data, nb.data) == -1) {
		db_rollback(c->db);
		return err_db(err);
	}
	if (db_commit(c->db) == -1) {
		db_rollback(c->db);
		return err_db(err);
	}
	return 0;
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
	    plan_get(c, d->plan_id, p_r, err) == -1)
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
			return err_db(err);
		}
	}
	return 0;
}

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
		return err_db(err);
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		(*v_r)[i].id = dbrow_int(&res->rows[i], 0);
		(*v_r)[i].login = pool_strdup(c->pool, dbrow_str(&res->rows[i], 1));
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
	size_t i, n;

	if (in == NULL || *in == '\0')
		return err_set(err, ERR_INVALID, "contact",
		    _("Please enter the contact email address."));
	if ((why = valid_email_norm(c->pool, in, out_r)) != NULL)
		return err_set(err, ERR_INVALID, "contact", why);
	for (i = 0; role_aliases[i] != NULL; i++) {
		n = strlen(role_aliases[i]);
		if (strncmp(*out_r, role_aliases[i], n) == 0 &&
		    (*out_r)[n] == '@' && strcmp(*out_r + n + 1, domain) == 0)
			return err_set(err, ERR_INVALID, "contact",
			    _("The role aliases point at the contact address, so it cannot be one of them."));
	}
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
	if (id <= 0 || plan_get(c, id, p_r, err) == -1) {
		if (id > 0 && err->kind == ERR_DB)
			return -1;
		return err_set(err, ERR_INVALID, "plan",
		    _("This is not a valid choice."));
	}
	if (id != current && !plan_may_use(c, *p_r))
		return err_set(err, ERR_INVALID, "plan",
		    _("This is not a valid choice."));
	return 0;
}

/* lock_plan - the plan again, locked until the transaction ends, so that
 * no change to it slips in between the check and the write */
static int
lock_plan(struct ctx *c, int64_t id, struct plan **p_r, struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	switch (db_row(c->db, c->pool, SQL_PLAN_GET_LOCK, p, 1, &r)) {
	case -1:
		return err_db(err);
	case 0:
		return err_set(err, ERR_INVALID, "plan",
		    _("This is not a valid choice."));
	}
	*p_r = plan_from_row(c->pool, r);
	return 0;
}

/* check_name - a name that may be hosted (valid_domain_reserved) and, but
 * for superusers, is not below a live domain the actor does not manage */
static int
check_name(struct ctx *c, const struct config *cfg, const char *name,
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
			return err_db(err);
		case 0:
			continue;
		}
		if (authz_domain(c, dbrow_int(r, 0), AUTHZ_ADMIN, &e) == 0)
			continue;
		if (e.kind == ERR_DB)
			return err_db(err);
		return err_set(err, ERR_INVALID, "name",
		    _("This name is below a virtual server that you do not manage."));
	}
	return 0;
}

/* check_allowance - under a lock on the reseller's row: may it make one
 * more domain? */
static int
check_allowance(struct ctx *c, struct err *err)
{
	struct dbv p[] = { DB_INT(c->actor->id) };
	struct dbrow *r;
	int64_t max, n;

	if (c->actor->role != ROLE_RESELLER)
		return 0;
	if (db_row(c->db, c->pool, SQL_DOM_RESELLER_LOCK, p, 1, &r) != 1)
		return err_db(err);
	if (dbrow_isnull(r, 0))
		return 0;
	max = dbrow_int(r, 0);
	if (db_row(c->db, c->pool, SQL_DOM_RESELLER_COUNT, p, 1, &r) != 1)
		return err_db(err);
	n = dbrow_int(r, 0);
	if (n >= max)
		return err_set(err, ERR_LIMIT, NULL, pool_printf(c->pool,
		    _("Your allowance is %lld virtual server(s) and you have %lld: no more can be created."),
		    (long long)max, (long long)n));
	return 0;
}

/* add_role_aliases - abuse@, hostmaster@, ... pointing at contact */
static int
add_role_aliases(struct ctx *c, int64_t domain_id, const char *domain,
    const char *contact, struct err *err)
{
	uint64_t aid;
	char *addr;
	size_t i;

	for (i = 0; role_aliases[i] != NULL; i++) {
		addr = pool_printf(c->pool, "%s@%s", role_aliases[i], domain);
		{
			struct dbv a[] = { DB_INT(domain_id), DB_STR(addr),
			    DB_STR(c->actor->login) };

			if (db_exec(c->db, SQL_DOM_ALIAS_INSERT, a, 3, NULL,
			    &aid) == -1)
				goto fail;
		}
		{
			struct dbv d[] = { DB_INT(aid), DB_STR(contact) };
			struct dbv x[] = { DB_STR(addr), DB_INT(domain_id),
			    DB_INT(aid) };

			if (db_exec(c->db, SQL_DOM_ALIAS_DEST_INSERT, d, 2, NULL,
			    NULL) == -1 ||
			    db_exec(c->db, SQL_DOM_ALIAS_ADDR_INSERT, x, 3, NULL,
			    NULL) == -1)
				goto fail;
		}
	}
	return 0;
fail:
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		return err_set(err, ERR_INVALID, "name", pool_printf(c->pool,
		    _("The address %s is already in use on this server."), addr));
	return err_db(err);
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

/* domain_create - a domain with its owner's login and role aliases */
int
domain_create(struct ctx *c, const struct config *cfg,
    const struct domain_input *in, int64_t *id_r, struct err *err)
{
	struct plan *pl;
	struct dbrow *r;
	char *name, *contact, *prefix;
	const char *why, *owner = NULL, *desc;
	int64_t owner_id = in->owner_id;
	uint64_t id;

	if (!domain_may_create(c))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to create virtual servers."));
	if ((why = valid_domain_norm(c->pool, in->name, &name)) != NULL)
		return err_set(err, ERR_INVALID, "name", why);
	if (check_name(c, cfg, name, err) == -1)
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
	desc = in->description ? in->description : "";
	if (check_description(desc, err) == -1 ||
	    check_contact(c, name, in->contact_email, &contact, err) == -1)
		return -1;
	if (owner_id > 0) {
		if (owner_check(c, owner_id, &owner, err) == -1)
			return -1;
	} else {
		if (in->owner_login == NULL || *in->owner_login == '\0')
			return err_set(err, ERR_INVALID, "owner_login",
			    _("Please enter a login for the owner, or choose an existing one."));
		if ((why = valid_login(in->owner_login)) != NULL)
			return err_set(err, ERR_INVALID, "owner_login", why);
		if (in->owner_password == NULL || *in->owner_password == '\0')
			return err_set(err, ERR_INVALID, "owner_password",
			    _("Please enter a password."));
		if (in->owner_password2 == NULL ||
		    strcmp(in->owner_password, in->owner_password2) != 0)
			return err_set(err, ERR_INVALID, "owner_password2",
			    _("The two passwords are not the same."));
		if ((why = passwd_policy(in->owner_password, in->owner_login,
		    NULL)) != NULL)
			return err_set(err, ERR_INVALID, "owner_password", why);
		owner = in->owner_login;
	}

	if (db_begin(c->db) == -1)
		return err_db(err);
	if (check_allowance(c, err) == -1)
		goto fail;
	{
		struct dbv p[] = { DB_STR(name) };

		switch (db_row(c->db, c->pool, SQL_DOM_NAME_TAKEN, p, 1, &r)) {
		case -1:
			err_db(err);
			goto fail;
		case 1:
			err_set(err, ERR_INVALID, "name",
			    _("A virtual server with this name already exists."));
			goto fail;
		}
	}
	switch (prefix_taken(c, prefix)) {
	case -1:
		err_db(err);
		goto fail;
	case 1:
		err_set(err, ERR_INVALID, "prefix",
		    _("This prefix is already taken (prefixes are never used twice)."));
		goto fail;
	}
	{
		struct dbv p[] = { DB_STR(name), DB_STR(prefix), DB_INT(pl->id),
		    c->actor->role == ROLE_RESELLER ? DB_INT(c->actor->id) :
		    DB_NULL, DB_STR(desc), DB_STR(contact),
		    DB_STR(c->actor->login), c->actor->id > 0 ?
		    DB_INT(c->actor->id) : DB_NULL };

		if (db_exec(c->db, SQL_DOM_INSERT, p, NPARAMS(p), NULL,
		    &id) == -1) {
			if (db_errno(c->db) == DB_ER_DUP_ENTRY)
				err_set(err, ERR_INVALID, "name",
				    _("A virtual server with this name or prefix already exists."));
			else
				err_db(err);
			goto fail;
		}
	}
	if (add_role_aliases(c, (int64_t)id, name, contact, err) == -1)
		goto fail;
	if (owner_id == 0) {
		if (user_add(c, in->owner_login, in->owner_password, ROLE_OWNER,
		    -1, &owner_id, err) == -1) {
			if (err->field != NULL && strcmp(err->field, "login") == 0)
				err->field = "owner_login";
			else if (err->field != NULL &&
			    strcmp(err->field, "password") == 0)
				err->field = "owner_password";
			goto fail;
		}
	}
	if (user_give_domain(c, owner_id, (int64_t)id, err) == -1)
		goto fail;
	if (audit_log(c, (int64_t)id, name, name, "domain.create", NULL,
	    pool_printf(c->pool, "prefix=%s plan=%s owner=%s contact=%s "
	    "description=%s", prefix, pl->name, owner, contact, desc)) == -1) {
		err_db(err);
		goto fail;
	}
	if (db_commit(c->db) == -1) {
		err_db(err);
		goto fail;
	}
	if (id_r != NULL)
		*id_r = (int64_t)id;
	return 0;
fail:
	db_rollback(c->db);
	return -1;
}

/* lock_domain - the domain row, locked, with its usage and plan (if
 * plan_r); -1 if gone */
static int
lock_domain(struct ctx *c, int64_t id, struct usage_row *u, int64_t *plan_r,
    struct err *err)
{
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	switch (db_row(c->db, c->pool, SQL_DOM_LOCK, p, 1, &r)) {
	case -1:
		return err_db(err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	}
	usage_from_row(c->pool, r, u);
	if (plan_r != NULL)
		*plan_r = dbrow_int(r, 7);
	return 0;
}

/* domain_update - plan, description, contact and state of a domain */
int
domain_update(struct ctx *c, int64_t id, const struct domain_change *in,
    struct err *err)
{
	struct domain *d;
	struct plan *pl;
	struct usage_row u;
	struct buf ob, nb;
	char *contact;
	const char *desc = in->description ? in->description : "", *why;
	int64_t cur_plan;

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
	diff(&ob, &nb, "plan", d->plan_name, pl->name);
	diff(&ob, &nb, "description", d->description, desc);
	diff(&ob, &nb, "contact", d->contact_email, contact);
	diff(&ob, &nb, "active", d->active ? "yes" : "no",
	    in->active ? "yes" : "no");
	if (ob.len == 0 && nb.len == 0)
		return 0;
	if (db_begin(c->db) == -1)
		return err_db(err);
	/* the plan, then the domain: the order plan_update() locks them in */
	if (lock_plan(c, pl->id, &pl, err) == -1 ||
	    lock_domain(c, id, &u, &cur_plan, err) == -1)
		goto fail;
	if (pl->id != cur_plan && (why = fits(c->pool, pl, &u)) != NULL) {
		err_set(err, ERR_LIMIT, "plan", pool_printf(c->pool,
		    _("The domain does not fit in the plan %s: %s"), pl->name,
		    why));
		goto fail;
	}
	{
		struct dbv p[] = { DB_INT(pl->id), DB_STR(desc),
		    DB_STR(contact), DB_INT(in->active ? 1 : 0), DB_INT(id) };
		struct dbv m[] = { DB_STR(contact), DB_INT(id),
		    DB_STR(d->contact_email) };

		if (db_exec(c->db, SQL_DOM_UPDATE, p, 5, NULL, NULL) == -1 ||
		    (strcmp(contact, d->contact_email) != 0 &&
		    db_exec(c->db, SQL_DOM_ROLE_DEST_MOVE, m, 3, NULL,
		    NULL) == -1)) {
			err_db(err);
			goto fail;
		}
	}
	if (audit_log(c, id, d->name, d->name, "domain.update", ob.data,
	    nb.data) == -1 || db_commit(c->db) == -1) {
		err_db(err);
		goto fail;
	}
	return 0;
fail:
	db_rollback(c->db);
	return -1;
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

/* domain_set_quota - a domain's own total mail quota (staff only) */
int
domain_set_quota(struct ctx *c, int64_t id, int64_t quota, struct err *err)
{
	struct domain *d;
	struct usage_row u;

	if (!authz_role(c, AUTHZ_R(ROLE_SUPERUSER) | AUTHZ_R(ROLE_RESELLER) |
	    AUTHZ_R(ROLE_SUPPORT)))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("Only staff can change a domain's quota."));
	if (authz_domain(c, id, AUTHZ_QUOTA, err) == -1)
		return -1;
	if (domain_get(c, id, &d, err) != 1)
		return -1;
	if (quota >= 0 && (quota < QUOTA_MIN || quota > SIZE_MAX_BYTES))
		return err_set(err, ERR_INVALID, "quota",
		    _("A domain quota is at least 1 MB."));
	if (quota == d->mail_quota)
		return 0;
	if (db_begin(c->db) == -1)
		return err_db(err);
	if (lock_domain(c, id, &u, NULL, err) == -1)
		goto fail;
	if (quota >= 0 && u.quota_sum > quota) {
		err_set(err, ERR_LIMIT, "quota", pool_printf(c->pool,
		    _("Its mailboxes already have %s of quota; the domain quota cannot be less."),
		    valid_size_format(c->pool, (uint64_t)u.quota_sum)));
		goto fail;
	}
	{
		struct dbv p[] = { lim_param(quota), DB_INT(id) };

		if (db_exec(c->db, SQL_DOM_SET_QUOTA, p, 2, NULL, NULL) == -1 ||
		    audit_log(c, id, d->name, d->name, "domain.quota",
		    d->mail_quota < 0 ? "plan" : size_str(c->pool, d->mail_quota),
		    quota < 0 ? "plan" : size_str(c->pool, quota)) == -1 ||
		    db_commit(c->db) == -1) {
			err_db(err);
			goto fail;
		}
	}
	return 0;
fail:
	db_rollback(c->db);
	return -1;
}

/* domain_delete - the domain, its mailboxes and aliases, all at once */
int
domain_delete(struct ctx *c, int64_t id, const char *confirm,
    struct err *err)
{
	struct domain *d;
	struct usage_row u;
	struct dbv p[] = { DB_INT(id) };
	char *typed;

	if (authz_domain(c, id, AUTHZ_ADMIN, err) == -1)
		return -1;
	if (domain_get(c, id, &d, err) != 1)
		return -1;
	if (confirm == NULL || valid_domain_norm(c->pool, confirm, &typed) !=
	    NULL || strcmp(typed, d->name) != 0)
		return err_set(err, ERR_INVALID, "confirm",
		    _("Please type the domain name exactly, to confirm."));
	if (db_begin(c->db) == -1)
		return err_db(err);
	if (lock_domain(c, id, &u, NULL, err) == -1)
		goto fail;
	if (db_exec(c->db, SQL_DOM_MBOX_DELETE_ALL, p, 1, NULL, NULL) == -1 ||
	    db_exec(c->db, SQL_DOM_ADDR_DELETE_ALL, p, 1, NULL, NULL) == -1 ||
	    db_exec(c->db, SQL_DOM_ALIAS_DELETE_ALL, p, 1, NULL, NULL) == -1 ||
	    db_exec(c->db, SQL_DOM_USERS_DELETE_ALL, p, 1, NULL, NULL) == -1 ||
	    db_exec(c->db, SQL_DOM_MARK_DELETED, p, 1, NULL, NULL) == -1 ||
	    audit_log(c, id, d->name, d->name, "domain.delete",
	    pool_printf(c->pool, "prefix=%s plan=%s mailboxes=%lld", d->prefix,
	    d->plan_name, (long long)u.mailboxes), NULL) == -1 ||
	    db_commit(c->db) == -1) {
		err_db(err);
		goto fail;
	}
	return 0;
fail:
	db_rollback(c->db);
	return -1;
}

/* domain_address_mailbox - the live mailbox whose primary or additional
 * address is exactly address (normalised first), in a domain the actor
 * may view: never a pattern, never a prefix */
int
domain_address_mailbox(struct ctx *c, int64_t domain_id, const char *address,
    int64_t *id_r, struct err *err)
{
	struct dbrow *r;
	char *norm;

	*id_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return err->kind == ERR_NOTFOUND ? 0 : -1;
	if (address == NULL || valid_email_norm(c->pool, address, &norm) != NULL)
		return 0;
	{
		struct dbv p[] = { DB_STR(norm), DB_INT(domain_id) };

		switch (db_row(c->db, c->pool, SQL_DOM_ADDR_MAILBOX, p,
		    NPARAMS(p), &r)) {
		case -1:
			return err_db(err);
		case 0:
			return 0;
		}
	}
	*id_r = dbrow_int(r, 0);
	return *id_r > 0;
}

/* domain_list - the domains the actor can see, with usage and limits */
int
domain_list(struct ctx *c, const char *search, unsigned int limit,
    unsigned int offset, struct domain **v_r, size_t *n_r, int64_t *total_r,
    struct err *err)
{
	enum role r = c->actor->role;
	int all = r == ROLE_SUPERUSER || r == ROLE_SUPPORT;
	const char *s = search ? search : "";
	char *pat = like_pattern(c->pool, s);
	struct dbv p[] = { DB_INT(all), DB_INT(r == ROLE_RESELLER ?
	    c->actor->id : 0), DB_INT(c->actor->id), DB_STR(s), DB_STR(pat),
	    DB_STR(pat), DB_INT(limit), DB_INT(offset) };
	struct dbres *res;
	struct dbrow *row;
	struct domain *d;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (r == ROLE_NONE)
		return err_set(err, ERR_FORBIDDEN, NULL, _("Please log in."));
	if (db_query(c->db, c->pool, SQL_DOMAIN_LIST_USAGE, p, 8, &res) == -1)
		return err_db(err);
	if (total_r != NULL) {
		if (db_row(c->db, c->pool, SQL_DOMAIN_COUNT, p, 6, &row) != 1)
			return err_db(err);
		*total_r = dbrow_int(row, 0);
	}
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		row = &res->rows[i];
		d = &(*v_r)[i];
		domain_from_row(c->pool, row, d);
		d->used_mailboxes = dbrow_int(row, 14);
		d->used_disk = dbrow_int(row, 15);
		d->max_mailboxes = lim(row, 16);
		d->quota_total = lim(row, 17);
	}
	*n_r = res->nrows;
	return 0;
}
