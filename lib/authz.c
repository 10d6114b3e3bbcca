/*
 * NAME
 *	authz - who may do what to which domain
 */
#include "authz.h"
#include "db.h"
#include "postbus.h"

/* allowed[role][op]: whether the role may do op on a domain it can reach */
static const unsigned char allowed[ROLE__MAX][AUTHZ__MAX] = {
	/* VIEW MAIL QUOTA PASSWORD ADMIN */
	{ 0, 0, 0, 0, 0 },	/* ROLE_NONE */
	{ 1, 1, 1, 1, 0 },	/* ROLE_OWNER */
	{ 1, 0, 1, 1, 0 },	/* ROLE_SUPPORT */
	{ 1, 1, 1, 1, 1 },	/* ROLE_RESELLER */
	{ 1, 1, 1, 1, 1 },	/* ROLE_SUPERUSER */
};

/* authz_role - whether the actor has one of the roles in mask */
int
authz_role(const struct ctx *c, int role_mask)
{
	return c->actor != NULL && (role_mask & AUTHZ_R(c->actor->role)) != 0;
}

/* SQL_AUTHZ_DOMAIN */
enum authz_col {
	AC_ID,
	AC_RESELLER_ID,
	AC_GIVEN,
	AC__MAX
};
SQL_COLS_ARE(SQL_AUTHZ_DOMAIN, AC__MAX);

/* reaches - whether the actor reaches a domain made by reseller_id (0
 * none) and given to it given times */
static int
reaches(const struct ctx *c, int64_t reseller_id, int64_t given)
{
	switch (c->actor->role) {
	case ROLE_SUPERUSER:
	case ROLE_SUPPORT:
		return 1;
	case ROLE_RESELLER:
		return given > 0 || (reseller_id > 0 &&
		    reseller_id == c->actor->id);
	case ROLE_OWNER:
		return given > 0;
	default:
		return 0;
	}
}

/* decide - the answer for op once reach is known */
static int
decide(struct ctx *c, int reach, enum authz_op op, struct err *err)
{
	if (!reach)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	if (!allowed[c->actor->role][op])
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to do this."));
	return 0;
}

/* authz_seen - remember what a row read elsewhere says (domain_get reads
 * the domain and the actor's reach in one statement) */
void
authz_seen(struct ctx *c, int64_t domain_id, int64_t reseller_id,
    int64_t given)
{
	if (c->actor == NULL)
		return;
	c->reach_domain = domain_id;
	c->reach = reaches(c, reseller_id, given);
}

/* authz_forget - after a change, ask the database again */
void
authz_forget(struct ctx *c)
{
	c->reach_domain = 0;
}

/* authz_domain - may the actor do op on domain_id? */
int
authz_domain(struct ctx *c, int64_t domain_id, enum authz_op op,
    struct err *err)
{
	struct dbrow *row;
	enum role r = c->actor ? c->actor->role : ROLE_NONE;
	struct dbv p[] = { DB_INT(c->actor ? c->actor->id : 0),
	    DB_INT(domain_id) };

	if (op >= AUTHZ__MAX || r == ROLE_NONE)
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to do this."));
	/* the same domain again in this job: the answer is known */
	if (domain_id > 0 && c->reach_domain == domain_id)
		return decide(c, c->reach, op, err);
	switch (db_row(c->db, c->pool, SQL_AUTHZ_DOMAIN, p, NPARAMS(p), &row)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL,
		    _("No such domain."));
	}
	authz_seen(c, domain_id, dbrow_int(row, AC_RESELLER_ID),
	    dbrow_int(row, AC_GIVEN));
	return decide(c, c->reach, op, err);
}
