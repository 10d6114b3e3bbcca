/*
 * NAME
 *	address - every address the server answers for
 *
 * DESCRIPTION
 *	See address.h.  The table addresses has one row per address of the
 *	server, whatever it leads to, with a unique key on the address: a
 *	second writer of the same address gets a duplicate-key error, which
 *	becomes a field error, even when two transactions race.
 *	Memory: ctx->pool.
 */
#include <ctype.h>
#include <string.h>

#include "address.h"
#include "authz.h"
#include "db.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"
#include "valid.h"

#define EXTRAS_TEXT_MAX	20000


/* lower - an ASCII-lowercased copy */
static char *
lower(struct pool *p, const char *s)
{
	char *d = pool_strdup(p, s), *q;

	for (q = d; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return d;
}

/* address_norm - "info" or "Info@monsite.be" as info@monsite.be */
int
address_norm(struct ctx *c, const char *domain, const char *in,
    const char *field, char **out_r, struct err *err)
{
	const char *at, *why;
	char *local, *dom;

	*out_r = NULL;
	while (*in == ' ' || *in == '\t')
		in++;
	if (*in == '\0')
		return err_set(err, ERR_INVALID, field,
		    _("Please enter the part before the @."));
	if (!valid_utf8(in, strlen(in)) || strlen(in) > 320)
		return err_set(err, ERR_INVALID, field,
		    _("This is not a valid email address."));
	if ((at = strrchr(in, '@')) != NULL) {
		if (valid_domain_norm(c->pool, at + 1, &dom) != NULL ||
		    strcmp(dom, domain) != 0)
			return err_set(err, ERR_INVALID, field,
			    pool_printf(c->pool, _("Addresses must be in the domain %s: %s"),
			    domain, in));
		local = pool_strndup(c->pool, in, (size_t)(at - in));
	} else
		local = pool_strdup(c->pool, in);
	local = lower(c->pool, local);
	if ((why = valid_localpart(local)) != NULL)
		return err_set(err, ERR_INVALID, field, at || strcmp(field,
		    "extra") == 0 ? pool_printf(c->pool, "%s: %s", in, why) : why);
	*out_r = pool_printf(c->pool, "%s@%s", local, domain);
	return 0;
}

/* address_parse_extras - the additional addresses: one per line, or
 * separated by commas or spaces; duplicates dropped, the primary refused */
int
address_parse_extras(struct ctx *c, const char *domain, const char *text,
    const char *primary, const char ***v_r, size_t *n_r, struct err *err)
{
	const char **v;
	char *copy, *tok, *save;
	size_t n = 0, i;
	const char *why;

	*v_r = NULL;
	*n_r = 0;
	if (text == NULL)
		text = "";
	if ((why = valid_multiline(text, EXTRAS_TEXT_MAX)) != NULL)
		return err_set(err, ERR_INVALID, "extra", why);
	v = pool_zalloc(c->pool, sizeof(*v) * (ADDRESS_EXTRAS_MAX + 1));
	copy = pool_strdup(c->pool, text);
	for (tok = strtok_r(copy, " \t\r\n,;", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n,;", &save)) {
		char *a;

		if (address_norm(c, domain, tok, "extra", &a, err) == -1)
			return -1;
		if (primary != NULL && strcmp(a, primary) == 0)
			return err_set(err, ERR_INVALID, "extra",
			    pool_printf(c->pool, _("%s is already the primary address."), a));
		for (i = 0; i < n; i++)
			if (strcmp(v[i], a) == 0)
				break;
		if (i < n)
			continue;
		if (n == ADDRESS_EXTRAS_MAX)
			return err_set(err, ERR_INVALID, "extra",
			    pool_printf(c->pool, _("A mailbox has at most %d additional addresses."),
			    ADDRESS_EXTRAS_MAX));
		v[n++] = a;
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

/* SQL_ADDR_GET */
enum addr_col {
	AD_KIND,
	AD_MAILBOX_ID,
	AD_ALIAS_ID,
	AD__MAX
};
SQL_COLS_ARE(SQL_ADDR_GET, AD__MAX);

/* address_free_tx - 0 if addr is unused or belongs to mailbox self */
int
address_free_tx(struct ctx *c, const char *addr, int64_t self,
    const char *field, struct err *err)
{
	struct dbv p[] = { DB_STR(addr) };
	struct dbrow *r;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	switch (db_row(c->db, c->pool, SQL_ADDR_GET, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return 0;
	}
	if (self > 0 && !dbrow_isnull(r, AD_MAILBOX_ID) && dbrow_int(r, AD_MAILBOX_ID) == self)
		return 0;
	return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
	    strcmp(dbrow_str(r, AD_KIND), "alias") == 0 ?
	    _("%s is already in use as an alias.") :
	    _("%s is already in use by another mailbox."), addr));
}

/* address_add_tx - one addresses row; a duplicate becomes a field error */
int
address_add_tx(struct ctx *c, const char *addr, int64_t domain_id,
    const char *kind, int64_t mailbox_id, const char *field, struct err *err)
{
	struct dbv p[] = { DB_STR(addr), DB_INT(domain_id), DB_STR(kind),
	    DB_INT(mailbox_id) };

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_ADDR_INSERT, p, NPARAMS(p), NULL, NULL) == 0)
		return 0;
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
		    _("%s is already in use by another mailbox."), addr));
	return db_err(c->db, err);
}
/* SQL_ADDR_BY_MAILBOX */
enum extra_col {
	AE_ADDRESS,
	AE_KIND,
	AE__MAX
};
SQL_COLS_ARE(SQL_ADDR_BY_MAILBOX, AE__MAX);

/* address_extras - the additional addresses of a live mailbox */
int
address_extras(struct ctx *c, int64_t mailbox_id, const char ***v_r,
    size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(mailbox_id) };
	struct dbres *res;
	const char **v;
	size_t i, n = 0;

	*v_r = NULL;
	*n_r = 0;
	if (db_query(c->db, c->pool, SQL_ADDR_BY_MAILBOX, p, 1, &res) == -1)
		return db_err(c->db, err);
	v = pool_zalloc(c->pool, sizeof(*v) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		if (strcmp(dbrow_str(&res->rows[i], AE_KIND), "extra") == 0)
			v[n++] = pool_strdup(c->pool, dbrow_str(&res->rows[i], AE_ADDRESS));
	*v_r = v;
	*n_r = n;
	return 0;
}

/* run_tx - one statement of the caller's transaction on an id */
static int
run_tx(struct ctx *c, const char *fn, enum sqlstmt s, int64_t id,
    struct err *err)
{
	struct dbv p[] = { DB_INT(id) };

	if (tx_check(c, fn, err) == -1)
		return -1;
	if (db_exec(c->db, s, p, 1, NULL, NULL) == -1)
		return db_err(c->db, err);
	return 0;
}

/* address_delete_mailbox_tx - every address of a mailbox */
int
address_delete_mailbox_tx(struct ctx *c, int64_t mailbox_id,
    struct err *err)
{
	return run_tx(c, __func__, SQL_ADDR_DELETE_MAILBOX, mailbox_id, err);
}

/* address_delete_extras_tx - a mailbox's additional addresses */
int
address_delete_extras_tx(struct ctx *c, int64_t mailbox_id,
    struct err *err)
{
	return run_tx(c, __func__, SQL_ADDR_DELETE_EXTRA, mailbox_id, err);
}

/* address_delete_domain_tx - every address of a domain */
int
address_delete_domain_tx(struct ctx *c, int64_t domain_id, struct err *err)
{
	return run_tx(c, __func__, SQL_ADDR_DELETE_DOMAIN, domain_id, err);
}

/* address_set_primary_tx - a mailbox's primary address becomes addr */
int
address_set_primary_tx(struct ctx *c, int64_t mailbox_id, const char *addr,
    struct err *err)
{
	struct dbv p[] = { DB_STR(addr), DB_INT(mailbox_id) };

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_ADDR_SET_PRIMARY, p, 2, NULL, NULL) == 0)
		return 0;
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		return err_set(err, ERR_INVALID, "address", pool_printf(c->pool,
		    _("%s is already in use by another mailbox."), addr));
	return db_err(c->db, err);
}

/* address_mailbox - the live mailbox whose primary or additional
 * address is exactly address (normalised first), in a domain the actor
 * may view: never a pattern, never a prefix */
int
address_mailbox(struct ctx *c, int64_t domain_id, const char *address,
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

		switch (db_row(c->db, c->pool, SQL_ADDR_MAILBOX, p,
		    NPARAMS(p), &r)) {
		case -1:
			return db_err(c->db, err);
		case 0:
			return 0;
		}
	}
	*id_r = dbrow_int(r, 0);
	return *id_r > 0;
}
