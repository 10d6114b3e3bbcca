/*
 * NAME
 *	domain - plans and mail domains ("virtual servers")
 */
#include <string.h>

#include "authz.h"
#include "db.h"
#include "domain.h"
#include "pool.h"
#include "postbus.h"

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

/* domain_list - the domains the actor can see */
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
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (r == ROLE_NONE)
		return err_set(err, ERR_FORBIDDEN, NULL, _("Please log in."));
	if (db_query(c->db, c->pool, SQL_DOMAIN_LIST, p, 8, &res) == -1)
		return err_db(err);
	if (total_r != NULL) {
		if (db_row(c->db, c->pool, SQL_DOMAIN_COUNT, p, 6, &row) != 1)
			return err_db(err);
		*total_r = dbrow_int(row, 0);
	}
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		domain_from_row(c->pool, &res->rows[i], &(*v_r)[i]);
	*n_r = res->nrows;
	return 0;
}

/* domain_usage - what a domain uses of its plan */
int
domain_usage(struct ctx *c, int64_t id, struct domain_usage *u,
    struct err *err)
{
	struct dbv p[] = { DB_INT(id), DB_INT(id), DB_INT(id), DB_INT(id),
	    DB_INT(id) };
	struct dbrow *r;

	memset(u, 0, sizeof(*u));
	if (authz_domain(c, id, AUTHZ_VIEW, err) == -1)
		return -1;
	if (db_row(c->db, c->pool, SQL_DOMAIN_USAGE, p, 5, &r) != 1)
		return err_db(err);
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

/* plan_list - every plan */
int
plan_list(struct ctx *c, struct plan **v_r, size_t *n_r, struct err *err)
{
	struct dbres *res;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (db_query(c->db, c->pool, SQL_PLAN_LIST, NULL, 0, &res) == -1)
		return err_db(err);
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		(*v_r)[i] = *plan_from_row(c->pool, &res->rows[i]);
	*n_r = res->nrows;
	return 0;
}
