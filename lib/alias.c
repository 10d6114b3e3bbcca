/*
 * NAME
 *	alias - role aliases now; every alias later
 *
 * DESCRIPTION
 *	See alias.h.  Memory: ctx->pool.
 */
#include <string.h>

#include "alias.h"
#include "db.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"
#include "vacation.h"

/* the role aliases every new domain gets (seed 000 §10) */
static const char *const role_aliases[] = {
	"abuse", "hostmaster", "postmaster", "webmaster", NULL
};

/* alias_is_role - address is abuse@domain, postmaster@domain, ... */
int
alias_is_role(const char *address, const char *domain)
{
	size_t i, n;

	for (i = 0; role_aliases[i] != NULL; i++) {
		n = strlen(role_aliases[i]);
		if (strncmp(address, role_aliases[i], n) == 0 &&
		    address[n] == '@' && strcmp(address + n + 1, domain) == 0)
			return 1;
	}
	return 0;
}

/* alias_add_roles_tx - abuse@, hostmaster@, ... pointing at contact */
int
alias_add_roles_tx(struct ctx *c, int64_t domain_id, const char *domain,
    const char *contact, struct err *err)
{
	uint64_t aid;
	char *addr = NULL;
	size_t i;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	for (i = 0; role_aliases[i] != NULL; i++) {
		addr = pool_printf(c->pool, "%s@%s", role_aliases[i], domain);
		{
			struct dbv a[] = { DB_INT(domain_id), DB_STR(addr),
			    DB_STR(c->actor->login) };

			if (db_exec(c->db, SQL_ALIAS_ROLE_INSERT, a, 3, NULL,
			    &aid) == -1)
				goto fail;
		}
		{
			struct dbv d[] = { DB_INT(aid), DB_STR(contact) };
			struct dbv x[] = { DB_STR(addr), DB_INT(domain_id),
			    DB_INT(aid) };

			if (db_exec(c->db, SQL_ALIAS_DEST_INSERT, d, 2, NULL,
			    NULL) == -1 ||
			    db_exec(c->db, SQL_ALIAS_ADDR_INSERT, x, 3, NULL,
			    NULL) == -1)
				goto fail;
		}
	}
	return 0;
fail:
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		return err_set(err, ERR_INVALID, "name", pool_printf(c->pool,
		    _("The address %s is already in use on this server."), addr));
	return db_err(c->db, err);
}

/* alias_move_roles_tx - a new contact address for the role aliases */
int
alias_move_roles_tx(struct ctx *c, int64_t domain_id, const char *old,
    const char *new, struct err *err)
{
	struct dbv p[] = { DB_STR(new), DB_INT(domain_id), DB_STR(old) };

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (strcmp(old, new) == 0)
		return 0;
	if (db_exec(c->db, SQL_ALIAS_ROLE_DEST_MOVE, p, 3, NULL, NULL) == -1)
		return db_err(c->db, err);
	/* the automatic replies of the domain list its aliases */
	return vacation_refresh_domain_tx(c, domain_id, err);
}

/* alias_delete_domain_tx - a deleted domain's aliases */
int
alias_delete_domain_tx(struct ctx *c, int64_t domain_id, struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_ALIAS_DELETE_DOMAIN, p, 1, NULL, NULL) == -1)
		return db_err(c->db, err);
	return 0;
}
