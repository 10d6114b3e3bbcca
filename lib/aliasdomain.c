/*
 * NAME
 *	aliasdomain - other names of a domain
 *
 * DESCRIPTION
 *	See aliasdomain.h.  Writes run in one transaction (tx.h) under the
 *	target domain's lock, which serialises them with every other change
 *	of the domain, so the plan's cap holds whatever runs at once; the
 *	unique key on alias_domains.name settles two domains racing for one
 *	name.  Memory: ctx->pool.
 */
#include <string.h>

#include "aliasdomain.h"
#include "audit.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "domain.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"
#include "vacation.h"
#include "valid.h"

/* AD_COLS of sql_aliasdomain.def */
enum adom_col {
	XC_ID,
	XC_NAME,
	XC_DOMAIN_ID,
	XC_DOMAIN_NAME,
	XC_CREATED_BY,
	XC_CREATED_AT,
	XC__MAX
};
SQL_COLS_ARE(SQL_ADOM_LIST, XC__MAX);
SQL_COLS_ARE(SQL_ADOM_BY_NAME, XC__MAX);
SQL_COLS_ARE(SQL_ADOM_GET, XC__MAX);

/* SQL_ADOM_ALLOWANCE */
enum adom_allow_col {
	XA_COUNT,
	XA_MAX,
	XA__MAX
};
SQL_COLS_ARE(SQL_ADOM_ALLOWANCE, XA__MAX);

/* from_row - one alias domain from AD_COLS */
static void
from_row(struct pool *p, const struct dbrow *r, struct aliasdomain *ad)
{
	ad->id = dbrow_int(r, XC_ID);
	ad->name = pool_strdup(p, dbrow_str(r, XC_NAME));
	ad->domain_id = dbrow_int(r, XC_DOMAIN_ID);
	ad->domain_name = pool_strdup(p, dbrow_str(r, XC_DOMAIN_NAME));
	ad->created_by = pool_strdup(p, dbrow_str(r, XC_CREATED_BY));
	ad->created_at = pool_strdup(p, dbrow_str(r, XC_CREATED_AT));
}

/* allowance - how many the domain has and the plan's cap */
static int
allowance(struct ctx *c, int64_t domain_id, struct aliasdomain_allowance *a,
    struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };
	struct dbrow *r;

	switch (db_row(c->db, c->pool, SQL_ADOM_ALLOWANCE, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such virtual server."));
	}
	a->count = dbrow_int(r, XA_COUNT);
	a->max = dbrow_limit(r, XA_MAX);
	return 0;
}

/* aliasdomain_list - the alias domains of a domain */
int
aliasdomain_list(struct ctx *c, int64_t domain_id, struct aliasdomain **v_r,
    size_t *n_r, struct aliasdomain_allowance *a, struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };
	struct dbres *res;
	struct aliasdomain *v;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return -1;
	if (db_query(c->db, c->pool, SQL_ADOM_LIST, p, 1, &res) == -1)
		return db_err(c->db, err);
	v = pool_zalloc(c->pool, sizeof(*v) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		from_row(c->pool, &res->rows[i], &v[i]);
	*v_r = v;
	*n_r = res->nrows;
	if (a != NULL && allowance(c, domain_id, a, err) == -1)
		return -1;
	return 0;
}

/* aliasdomain_find - an alias domain by name, if its target is visible */
int
aliasdomain_find(struct ctx *c, const char *name, struct aliasdomain **ad_r,
    struct err *err)
{
	struct dbrow *r;
	struct aliasdomain *ad;
	char *norm;

	*ad_r = NULL;
	if (name == NULL || valid_domain_norm(c->pool, name, &norm) != NULL)
		return 0;
	{
		struct dbv p[] = { DB_STR(norm) };

		switch (db_row(c->db, c->pool, SQL_ADOM_BY_NAME, p, 1, &r)) {
		case -1:
			return db_err(c->db, err);
		case 0:
			return 0;
		}
	}
	ad = pool_zalloc(c->pool, sizeof(*ad));
	from_row(c->pool, r, ad);
	if (authz_domain(c, ad->domain_id, AUTHZ_VIEW, err) == -1)
		return err->kind == ERR_NOTFOUND ? 0 : -1;
	*ad_r = ad;
	return 1;
}

/* aliasdomain_taken_tx - whether name is an alias domain already */
int
aliasdomain_taken_tx(struct ctx *c, const char *name, const char *field,
    struct err *err)
{
	struct dbv p[] = { DB_STR(name) };
	struct dbrow *r;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	switch (db_row(c->db, c->pool, SQL_ADOM_BY_NAME, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return 0;
	}
	return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
	    _("%s is already an alias domain of another virtual server."), name));
}

struct add_job {
	int64_t		 domain_id;
	const char	*name;
};

/* add_body - under the target's lock: cap, name free, row, audit */
static int
add_body(struct ctx *c, void *arg, struct err *err)
{
	struct add_job *j = arg;
	struct domain_lock d;
	struct aliasdomain_allowance a;
	struct dbres *res;

	if (domain_lock_tx(c, j->domain_id, &d, err) == -1)
		return -1;
	if (d.deleted)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such virtual server."));
	if (strcmp(d.name, j->name) == 0)
		return err_set(err, ERR_INVALID, "name",
		    _("A domain cannot be an alias of itself."));
	if (allowance(c, j->domain_id, &a, err) == -1)
		return -1;
	if (a.max >= 0 && a.count >= a.max)
		return err_set(err, ERR_LIMIT, "name", pool_printf(c->pool,
		    P_("Your plan allows %lld alias domain, and this virtual server has it already.",
		    "Your plan allows %lld alias domains, and this virtual server has them already.",
		    (unsigned long)a.max), (long long)a.max));
	{
		struct dbv p[] = { DB_STR(j->name), DB_STR(j->name) };

		if (db_query(c->db, c->pool, SQL_ADOM_NAME_USED, p, 2, &res) == -1)
			return db_err(c->db, err);
	}
	if (res->nrows > 0)
		return err_set(err, ERR_INVALID, "name", pool_printf(c->pool,
		    strcmp(dbrow_str(&res->rows[0], 0), "domain") == 0 ?
		    _("%s is a virtual server of this server already.") :
		    _("%s is already an alias domain of a virtual server."),
		    j->name));
	{
		struct dbv p[] = { DB_STR(j->name), DB_INT(j->domain_id),
		    DB_STR(c->actor->login) };

		if (db_exec(c->db, SQL_ADOM_INSERT, p, 3, NULL, NULL) == -1) {
			if (db_errno(c->db) == DB_ER_DUP_ENTRY)
				return err_set(err, ERR_INVALID, "name",
				    pool_printf(c->pool, _("%s is already an alias domain of a virtual server."),
				    j->name));
			return db_err(c->db, err);
		}
	}
	if (audit_log(c, j->domain_id, d.name, j->name, "aliasdomain.add",
	    NULL, pool_printf(c->pool, "alias_of=%s", d.name)) == -1)
		return db_err(c->db, err);
	return vacation_refresh_domain_tx(c, j->domain_id, err);
}

/* aliasdomain_add - name becomes an alias domain of domain_id */
int
aliasdomain_add(struct ctx *c, const struct config *cfg, int64_t domain_id,
    const char *name, struct err *err)
{
	struct add_job j;
	const char *why;
	char *norm;

	if (authz_domain(c, domain_id, AUTHZ_ADMIN, err) == -1)
		return -1;
	if (name == NULL || *name == '\0')
		return err_set(err, ERR_INVALID, "name",
		    _("Please enter a domain name."));
	if ((why = valid_domain_norm(c->pool, name, &norm)) != NULL)
		return err_set(err, ERR_INVALID, "name", why);
	if (domain_check_name(c, cfg, norm, err) == -1)
		return -1;
	j.domain_id = domain_id;
	j.name = norm;
	return tx_run(c, add_body, &j, err);
}

struct delete_job {
	struct aliasdomain *ad;
};

/* delete_body - the row and its audit entry, under the target's lock */
static int
delete_body(struct ctx *c, void *arg, struct err *err)
{
	struct delete_job *j = arg;
	struct domain_lock d;
	struct dbv p[] = { DB_INT(j->ad->id), DB_INT(j->ad->domain_id) };
	uint64_t n;

	if (domain_lock_tx(c, j->ad->domain_id, &d, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_ADOM_DELETE, p, 2, &n, NULL) == -1)
		return db_err(c->db, err);
	if (n == 0)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such alias domain."));
	if (audit_log(c, j->ad->domain_id, d.name, j->ad->name,
	    "aliasdomain.delete", pool_printf(c->pool, "alias_of=%s", d.name),
	    NULL) == -1)
		return db_err(c->db, err);
	return vacation_refresh_domain_tx(c, j->ad->domain_id, err);
}

/* aliasdomain_delete - remove one alias domain */
int
aliasdomain_delete(struct ctx *c, int64_t id, struct err *err)
{
	struct delete_job j;
	struct dbv p[] = { DB_INT(id) };
	struct dbrow *r;

	switch (db_row(c->db, c->pool, SQL_ADOM_GET, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such alias domain."));
	}
	j.ad = pool_zalloc(c->pool, sizeof(*j.ad));
	from_row(c->pool, r, j.ad);
	if (authz_domain(c, j.ad->domain_id, AUTHZ_ADMIN, err) == -1)
		return -1;
	return tx_run(c, delete_body, &j, err);
}
