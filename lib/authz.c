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

/* authz_domain - may the actor do op on domain_id? */
int
authz_domain(struct ctx *c, int64_t domain_id, enum authz_op op,
    struct err *err)
{
	struct dbrow *row;
	enum role r = c->actor ? c->actor->role : ROLE_NONE;
	int reach;
	struct dbv p[] = { DB_INT(c->actor ? c->actor->id : 0),
	    DB_INT(domain_id) };

	if (op >= AUTHZ__MAX || r == ROLE_NONE)
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to do this."));
	switch (db_row(c->db, c->pool, SQL_AUTHZ_DOMAIN, p, NPARAMS(p), &row)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL,
		    _("No such domain."));
	}
	/* columns: id, reseller_id, given (user_domains rows) */
	switch (r) {
	case ROLE_SUPERUSER:
	case ROLE_SUPPORT:
		reach = 1;
		break;
	case ROLE_RESELLER:
		reach = dbrow_int(row, AC_GIVEN) > 0 ||
		    (!dbrow_isnull(row, AC_RESELLER_ID) && dbrow_int(row, AC_RESELLER_ID) == c->actor->id);
		break;
	case ROLE_OWNER:
		reach = dbrow_int(row, AC_GIVEN) > 0;
		break;
	default:
		reach = 0;
	}
	if (!reach)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	if (!allowed[r][op])
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to do this."));
	return 0;
}
