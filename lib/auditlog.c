/*
 * NAME
 *	auditlog - reading the audit log
 *
 * DESCRIPTION
 *	One statement pages through the entries the actor may see, newest
 *	first, in SQL; another counts them.  Memory: ctx->pool.
 */
#include <ctype.h>
#include <string.h>

#include "auditlog.h"
#include "authz.h"
#include "db.h"
#include "pool.h"
#include "postbus.h"

/* audit_valid_date - YYYY-MM-DD with a plausible month and day */
const char *
audit_valid_date(const char *s)
{
	int y, m, d;
	size_t i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return _("Please write dates as YYYY-MM-DD.");
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return _("Please write dates as YYYY-MM-DD.");
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return _("This is not a valid date.");
	if (d > 30 && (m == 4 || m == 6 || m == 9 || m == 11))
		return _("This is not a valid date.");
	if (m == 2 && d > ((y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ?
	    29 : 28))
		return _("This is not a valid date.");
	return NULL;
}

/* SQL_AUDIT_LIST */
enum audit_col {
	AU_ID,
	AU_AT,
	AU_ACTOR,
	AU_ROLE,
	AU_CLIENT,
	AU_DOMAIN_ID,
	AU_DOMAIN_NAME,
	AU_OBJECT,
	AU_ACTION,
	AU_OLD,
	AU_NEW,
	AU__MAX
};
SQL_COLS_ARE(SQL_AUDIT_LIST, AU__MAX);

/* audit_list - one page of the entries the actor may see */
int
audit_list(struct ctx *c, const struct audit_query *q,
    struct audit_entry **v_r, size_t *n_r, int64_t *total_r,
    struct err *err)
{
	enum role r = c->actor ? c->actor->role : ROLE_NONE;
	int scope = r == ROLE_SUPERUSER ? 2 : r == ROLE_SUPPORT ? 1 : 0;
	const char *actor = q->actor ? q->actor : "";
	const char *from = q->from ? q->from : "", *to = q->to ? q->to : "";
	const char *why;
	struct dbres *res;
	struct dbrow *row;
	struct audit_entry *e;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (r == ROLE_NONE)
		return err_set(err, ERR_FORBIDDEN, NULL, _("Please log in."));
	if (*from != '\0' && (why = audit_valid_date(from)) != NULL)
		return err_set(err, ERR_INVALID, "from", why);
	if (*to != '\0' && (why = audit_valid_date(to)) != NULL)
		return err_set(err, ERR_INVALID, "to", why);
	/* a domain filter names a domain the actor may see, or nothing */
	if (q->domain_id > 0 && authz_domain(c, q->domain_id, AUTHZ_VIEW,
	    err) == -1)
		return -1;
	{
		int64_t uid = c->actor->id;
		struct dbv p[] = { DB_INT(scope), DB_INT(scope),
		    DB_INT(r == ROLE_RESELLER ? uid : 0), DB_INT(uid),
		    DB_INT(q->domain_id), DB_INT(q->domain_id), DB_STR(actor),
		    DB_STR(actor), DB_STR(from), DB_STR(from), DB_STR(to),
		    DB_STR(to), DB_INT(q->limit), DB_INT(q->offset) };

		if (db_query(c->db, c->pool, SQL_AUDIT_LIST, p, 14, &res) == -1)
			return db_err(c->db, err);
		if (total_r != NULL) {
			if (db_row(c->db, c->pool, SQL_AUDIT_COUNT, p, 12,
			    &row) != 1)
				return db_err(c->db, err);
			*total_r = dbrow_int(row, 0);
		}
	}
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		row = &res->rows[i];
		e = &(*v_r)[i];
		e->id = dbrow_int(row, AU_ID);
		e->at = dbrow_str(row, AU_AT);
		e->actor = dbrow_str(row, AU_ACTOR);
		e->role = dbrow_str(row, AU_ROLE);
		e->client = dbrow_str(row, AU_CLIENT);
		e->domain_id = dbrow_int(row, AU_DOMAIN_ID);
		e->domain_name = dbrow_str(row, AU_DOMAIN_NAME);
		e->object = dbrow_str(row, AU_OBJECT);
		e->action = dbrow_str(row, AU_ACTION);
		e->old_value = dbrow_str(row, AU_OLD);
		e->new_value = dbrow_str(row, AU_NEW);
	}
	*n_r = res->nrows;
	return 0;
}
