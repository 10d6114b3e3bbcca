/*
 * NAME
 *	mailbox - mail users: their rules and their writes
 *
 * DESCRIPTION
 *	See mailbox.h for the rules.  Each write is split in two: checks that
 *	need no lock (syntax, password policy, hashing, which is slow:
 *	mailbox_check.h, every field at once) run first; then one
 *	transaction (tx.h) takes the lock on the domain row, reads the
 *	counter, usage and plan afresh, checks the addresses and the plan's
 *	room, writes, audits and commits.  When a field was refused, that
 *	transaction still runs to check, and writes nothing, so a form hears
 *	of every error at once.
 *	Addresses are address.h's, the lists list.h's, the account email
 *	notify.h's, the purge purge.h's.
 *
 *	Memory: everything comes from ctx->pool; password hashes are wiped.
 */
#include <string.h>

#include "address.h"
#include "audit.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "domain.h"
#include "limit.h"
#include "mailbox.h"
#include "mailbox_check.h"
#include "vacation.h"
#include "plan.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"
#include "valid.h"



/* mailbox_login_name - the imposed login: prefix and a 4-digit counter */
char *
mailbox_login_name(struct ctx *c, const char *prefix, int64_t counter)
{
	return pool_printf(c->pool, "%s%04lld", prefix, (long long)counter);
}

/* mailbox_home - where the mailbox's mail lives (see dovecot-sql.conf) */
char *
mailbox_home(struct ctx *c, const struct config *cfg, const char *domain,
    const char *login)
{
	if (cfg->mail_dir == NULL || *cfg->mail_dir == '\0')
		return NULL;
	return pool_printf(c->pool, "%s/%s/%s", cfg->mail_dir, domain, login);
}

/* lock_domain - lock a live domain's row and read it */
static int
lock_domain(struct ctx *c, int64_t domain_id, struct domain_lock *d,
    struct err *err)
{
	if (domain_lock_tx(c, domain_id, d, err) == -1)
		return -1;
	if (d->deleted)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	return 0;
}


/* limits - the plan of a locked domain, with the domain's own quota */
static int
limits(struct ctx *c, const struct domain_lock *d, struct plan **pl_r,
    struct err *err)
{
	if (plan_get(c, d->plan_id, pl_r, err) != 1)
		return -1;
	if (d->mail_quota >= 0)
		(*pl_r)->mail_quota = d->mail_quota;
	return 0;
}

/* free_tx - whether the addresses are free for mailbox self (0: a new
 * one), every one of them checked; address NULL: refused before */
static int
free_tx(struct ctx *c, const char *address, const char **extras,
    size_t nextras, int64_t self, struct err *err)
{
	size_t i;

	if (address != NULL && address_free_tx(c, address, self, "address",
	    err) == -1 && !err_is_input(err))
		return -1;
	for (i = 0; i < nextras; i++)
		if (address_free_tx(c, extras[i], self, "extra", err) == -1 &&
		    !err_is_input(err))
			return -1;
	return err_fields(err) > 0 ? -1 : 0;
}

/* MBOX_COLS: SQL_MBOX_GET, _BY_LOGIN, _LIST_DELETED */
enum mbox_col {
	MC_ID,
	MC_DOMAIN_ID,
	MC_LOGIN,
	MC_ADDRESS,
	MC_REAL_NAME,
	MC_QUOTA,
	MC_ENABLED,
	MC_CREATED_BY,
	MC_CREATED_AT,
	MC_LAST_LOGIN,
	MC_DELETED_AT,
	MC_PURGED_AT,
	MC_RESTORE_EXTRAS,
	MC_DOMAIN,
	MC_BYTES,
	MC_MESSAGES,
	MC__MAX
};
SQL_COLS_ARE(SQL_MBOX_GET, MC__MAX);
SQL_COLS_ARE(SQL_MBOX_BY_LOGIN, MC__MAX);
SQL_COLS_ARE(SQL_MBOX_LIST_DELETED, MC__MAX);

/* from_row - a mailbox from MBOX_COLS */
static struct mailbox *
from_row(struct pool *p, const struct dbrow *r)
{
	struct mailbox *m = pool_zalloc(p, sizeof(*m));

	m->id = dbrow_int(r, MC_ID);
	m->domain_id = dbrow_int(r, MC_DOMAIN_ID);
	m->login = pool_strdup(p, dbrow_str(r, MC_LOGIN));
	m->address = pool_strdup(p, dbrow_str(r, MC_ADDRESS));
	m->real_name = pool_strdup(p, dbrow_str(r, MC_REAL_NAME));
	m->quota = dbrow_int(r, MC_QUOTA);
	m->enabled = (int)dbrow_int(r, MC_ENABLED);
	m->created_by = pool_strdup(p, dbrow_str(r, MC_CREATED_BY));
	m->created_at = pool_strdup(p, dbrow_str(r, MC_CREATED_AT));
	m->last_login = pool_strdup(p, dbrow_str(r, MC_LAST_LOGIN));
	m->deleted_at = pool_strdup(p, dbrow_str(r, MC_DELETED_AT));
	/* 11 purged_at, 12 restore_extras: read by the callers that need them */
	m->domain_name = pool_strdup(p, dbrow_str(r, MC_DOMAIN));
	m->used_bytes = dbrow_int(r, MC_BYTES);
	m->used_messages = dbrow_int(r, MC_MESSAGES);
	return m;
}

/* split_lines - restore_extras back into a vector */
static void
split_lines(struct pool *p, const char *s, const char ***v_r, size_t *n_r)
{
	const char **v;
	char *copy = pool_strdup(p, s), *tok, *save;
	size_t n = 0;

	v = pool_zalloc(p, sizeof(*v) * (MAILBOX_EXTRAS_MAX + 1));
	for (tok = strtok_r(copy, "\n", &save); tok != NULL && n <
	    MAILBOX_EXTRAS_MAX; tok = strtok_r(NULL, "\n", &save))
		v[n++] = tok;
	*v_r = v;
	*n_r = n;
}
/* load_extras - the additional addresses of a live mailbox */
static int
load_extras(struct ctx *c, struct mailbox *m)
{
	struct err e = { 0 };

	return address_extras(c, m->id, &m->extras, &m->nextras, &e);
}


/* fetch - a mailbox by statement, not authorised; the raw row too */
static int
fetch(struct ctx *c, enum sqlstmt s, struct dbv key, struct mailbox **mb_r,
    struct dbrow **row_r)
{
	struct dbrow *r;
	int rc;

	*mb_r = NULL;
	if ((rc = db_row(c->db, c->pool, s, &key, 1, &r)) != 1)
		return rc;
	*mb_r = from_row(c->pool, r);
	if (row_r != NULL)
		*row_r = r;
	return 1;
}

/* get_authz - a mailbox whose domain the actor may reach for op */
static int
get_authz(struct ctx *c, enum sqlstmt s, struct dbv key, enum authz_op op,
    struct mailbox **mb_r, struct dbrow **row_r, struct err *err)
{
	struct mailbox *m;
	int rc;

	*mb_r = NULL;
	if ((rc = fetch(c, s, key, &m, row_r)) == -1)
		return db_err(c->db, err);
	if (rc == 0) {
		err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
		return 0;
	}
	if (authz_domain(c, m->domain_id, op, err) == -1) {
		if (err->kind != ERR_NOTFOUND)
			return -1;
		err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
		return 0;
	}
	*mb_r = m;
	return 1;
}

/* with_extras - fill in the additional addresses of m */
static int
with_extras(struct ctx *c, struct mailbox *m, const struct dbrow *r,
    struct err *err)
{
	if (*m->deleted_at != '\0') {
		split_lines(c->pool, dbrow_str(r, MC_RESTORE_EXTRAS), &m->extras, &m->nextras);
		return 0;
	}
	if (load_extras(c, m) == -1)
		return db_err(c->db, err);
	return 0;
}

/* mailbox_get - a mailbox the actor may view */
int
mailbox_get(struct ctx *c, int64_t id, struct mailbox **mb_r,
    struct err *err)
{
	struct dbrow *r;
	int rc;

	rc = get_authz(c, SQL_MBOX_GET, DB_INT(id), AUTHZ_VIEW, mb_r, &r, err);
	if (rc != 1)
		return rc;
	return with_extras(c, *mb_r, r, err) == -1 ? -1 : 1;
}

/* mailbox_by_login - the same, by login */
int
mailbox_by_login(struct ctx *c, const char *login, struct mailbox **mb_r,
    struct err *err)
{
	struct dbrow *r;
	int rc;

	if (login == NULL || strlen(login) > 64) {
		*mb_r = NULL;
		err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
		return 0;
	}
	rc = get_authz(c, SQL_MBOX_BY_LOGIN, DB_STR(login), AUTHZ_VIEW, mb_r,
	    &r, err);
	if (rc != 1)
		return rc;
	return with_extras(c, *mb_r, r, err) == -1 ? -1 : 1;
}

/* one write's arguments, for its transaction's body */
struct mb_job {
	int64_t			 domain_id;
	int64_t			 id;
	unsigned int		 set;
	const char		*address;
	const char		**extras;
	size_t			 nextras;
	const char		*real_name;
	const char		*hash;
	int64_t			 quota;
	int			 enabled;
	struct mailbox		**mb_r;
	int			 check;		/* create: check, write nothing */
	const int64_t		*ids;
	size_t			 n;
};

/* create_one - the creating transaction's body */
static int
create_one(struct ctx *c, int64_t domain_id, const char *address,
    const char **extras, size_t nextras, const char *real_name,
    const char *hash, int64_t quota, int enabled, int check,
    struct mailbox **mb_r, struct err *err)
{
	struct domain_lock d;
	struct plan *pl;
	struct dbrow *r;
	int64_t q = quota;
	uint64_t id;
	char *login;
	size_t i;
	int rc;

	if (lock_domain(c, domain_id, &d, err) == -1)
		return -1;
	if (limits(c, &d, &pl, err) == -1)
		return -1;
	if (q < 0)
		q = pl->default_mailbox_quota;
	rc = mailbox_check_room(c, pl, d.mailboxes, d.quota_sum, 1, 0, q, err);
	if (free_tx(c, address, extras, nextras, 0, err) == -1 || rc == -1)
		return -1;
	if (check)
		return TX_ROLLBACK;	/* every check passed; nothing written */
	/* the next counter whose login is free (someone may have made one
	 * by hand); every number passed is used up for good */
	for (;;) {
		struct dbv p[] = { DB_INT(d.id) };
		struct dbv lp[1];

		login = mailbox_login_name(c, d.prefix, d.counter);
		lp[0] = DB_STR(login);
		if (db_exec(c->db, SQL_MBOX_DOMAIN_BUMP, p, 1, NULL, NULL) == -1)
			return db_err(c->db, err);
		if ((rc = db_row(c->db, c->pool, SQL_MBOX_LOGIN_TAKEN, lp, 1,
		    &r)) == -1)
			return db_err(c->db, err);
		if (rc == 0)
			break;
		d.counter++;
	}
	{
		struct dbv p[] = { DB_INT(d.id), DB_STR(login), DB_STR(address),
		    DB_STR(real_name), DB_STR(hash), DB_INT(q), DB_INT(enabled),
		    DB_STR(c->actor->login) };

		if (db_exec(c->db, SQL_MBOX_INSERT, p, NPARAMS(p), NULL, &id) == -1)
			return db_err(c->db, err);
	}
	if (address_add_tx(c, address, d.id, "primary", (int64_t)id, "address",
	    err) == -1)
		return -1;
	for (i = 0; i < nextras; i++)
		if (address_add_tx(c, extras[i], d.id, "extra", (int64_t)id,
		    "extra", err) == -1)
			return -1;
	{
		/* a usage row left by a deleted mailbox with this address */
		struct dbv p[] = { DB_STR(address), DB_STR(address),
		    DB_INT(id) };

		if (db_exec(c->db, SQL_QUOTA_DROP, p, 3, NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	if (audit_log(c, d.id, d.name, login, "mailbox.create", NULL,
	    pool_printf(c->pool, "address=%s quota=%s enabled=%d name=%s extras=%s",
	    address, limit_quota_str(c->pool, q), enabled, real_name,
	    pool_join(c->pool, extras, nextras, ","))) == -1)
		return db_err(c->db, err);
	if (mb_r != NULL) {
		struct mailbox *m = pool_zalloc(c->pool, sizeof(*m));

		m->id = (int64_t)id;
		m->domain_id = d.id;
		m->domain_name = d.name;
		m->login = login;
		m->address = address;
		m->real_name = real_name;
		m->quota = q;
		m->enabled = enabled;
		m->created_by = c->actor->login;
		m->created_at = "";
		m->last_login = "";
		m->deleted_at = "";
		m->extras = extras;
		m->nextras = nextras;
		*mb_r = m;
	}
	return 0;
}

/* update_one - the updating transaction's body */
static int
update_one(struct ctx *c, int64_t id, unsigned int set, const char *address,
    const char **extras, size_t nextras, const char *real_name,
    const char *hash, int64_t quota, int enabled, struct err *err)
{
	struct domain_lock d;
	struct plan *pl;
	struct mailbox *m;
	struct dbrow *r;
	struct buf ob, nb;
	size_t i;
	int rc;

	/* the mailbox's domain never changes: lock it, then read afresh */
	if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(id), &m, &r)) != 1) {
		return rc == -1 ? db_err(c->db, err) :
		    err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
	}
	if (lock_domain(c, m->domain_id, &d, err) == -1)
		return -1;
	if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(id), &m, &r)) != 1 ||
	    *m->deleted_at != '\0') {
		return rc == -1 ? db_err(c->db, err) : err_set(err, ERR_NOTFOUND,
		    NULL, _("This mailbox has been deleted."));
	}
	if (load_extras(c, m) == -1)
		return db_err(c->db, err);
	if (!(set & MB_SET_ADDRESS))
		address = m->address;
	if (!(set & MB_SET_NAME))
		real_name = m->real_name;
	if (!(set & MB_SET_QUOTA))
		quota = m->quota;
	if (!(set & MB_SET_ENABLED))
		enabled = m->enabled;
	if (quota < 0) {
		if (limits(c, &d, &pl, err) == -1)
			return -1;
		quota = pl->default_mailbox_quota;
	}
	rc = 0;
	if (quota != m->quota) {
		if (limits(c, &d, &pl, err) == -1)
			return -1;
		rc = mailbox_check_room(c, pl, d.mailboxes, d.quota_sum, 0, m->quota,
		    quota, err);
	}
	if (free_tx(c, (set & MB_SET_ADDRESS) ? address : NULL,
	    (set & MB_SET_EXTRAS) ? extras : NULL, (set & MB_SET_EXTRAS) ?
	    nextras : 0, id, err) == -1 || rc == -1)
		return -1;
	if (set & MB_CHECK)
		return TX_ROLLBACK;	/* every check passed; nothing written */
	buf_init(&ob, c->pool, 128);
	buf_init(&nb, c->pool, 128);
	if ((set & MB_SET_EXTRAS) && address_delete_extras_tx(c, id, err) == -1)
		return -1;
	if (strcmp(address, m->address) != 0) {
		struct dbv q1[] = { DB_STR(address), DB_STR(address), DB_INT(id) };
		struct dbv q2[] = { DB_STR(address), DB_STR(m->address) };

		if (address_set_primary_tx(c, id, address, err) == -1)
			return -1;
		/* Dovecot knows the mailbox by its primary address: its usage
		 * row follows */
		if (db_exec(c->db, SQL_QUOTA_DROP, q1, 3, NULL, NULL) == -1 ||
		    db_exec(c->db, SQL_QUOTA_RENAME, q2, 2, NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	if (set & MB_SET_EXTRAS)
		for (i = 0; i < nextras; i++)
			if (address_add_tx(c, extras[i], d.id, "extra", id, "extra",
			    err) == -1)
				return -1;
	{
		struct dbv p[] = { DB_STR(address), DB_STR(real_name),
		    DB_INT(quota), DB_INT(enabled), DB_INT(id) };

		if (db_exec(c->db, SQL_MBOX_UPDATE, p, NPARAMS(p), NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	/* an automatic reply lists the mailbox's addresses */
	if ((set & (MB_SET_ADDRESS | MB_SET_EXTRAS)) &&
	    vacation_refresh_tx(c, id, err) == -1)
		return -1;
	audit_diff(&ob, &nb, "address", m->address, address);
	audit_diff(&ob, &nb, "name", m->real_name, real_name);
	audit_diff(&ob, &nb, "quota", limit_quota_str(c->pool, m->quota),
	    limit_quota_str(c->pool, quota));
	audit_diff(&ob, &nb, "enabled", m->enabled ? "1" : "0", enabled ? "1" : "0");
	if (set & MB_SET_EXTRAS)
		audit_diff(&ob, &nb, "extras", pool_join(c->pool, m->extras, m->nextras, ","),
		    pool_join(c->pool, extras, nextras, ","));
	if ((ob.len > 0 || nb.len > 0) && audit_log(c, d.id, d.name, m->login,
	    "mailbox.update", ob.data, nb.data) == -1)
		return db_err(c->db, err);
	if (hash != NULL) {
		struct dbv p[] = { DB_STR(hash), DB_INT(id) };

		if (db_exec(c->db, SQL_MBOX_SET_PASSWORD, p, 2, NULL, NULL) == -1 ||
		    audit_log(c, d.id, d.name, m->login, "mailbox.password",
		    NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	return 0;
}

/* delete_body - the deleting transaction's body: j->n mailboxes */
static int
delete_body(struct ctx *c, void *arg, struct err *err)
{
	const struct mb_job *j = arg;
	int64_t domain_id = j->domain_id;
	const int64_t *ids = j->ids;
	size_t n = j->n;
	struct domain_lock d;
	struct mailbox *m;
	struct dbrow *r;
	size_t i;
	int rc;

	if (lock_domain(c, domain_id, &d, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		const char *extras;
		uint64_t affected = 0;

		if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(ids[i]), &m, &r)) == -1)
			return db_err(c->db, err);
		if (rc == 0 || m->domain_id != domain_id) {
			return err_set(err, ERR_NOTFOUND, NULL,
			    _("No such mailbox."));
		}
		if (*m->deleted_at != '\0')
			continue;	/* deleted twice: once is enough */
		if (load_extras(c, m) == -1)
			return db_err(c->db, err);
		extras = m->nextras ? pool_join(c->pool, m->extras, m->nextras, "\n") :
		    NULL;
		{
			struct dbv q[] = { DB_STR(extras), DB_INT(m->id) };

			if (db_exec(c->db, SQL_MBOX_DELETE, q, 2, &affected,
			    NULL) == -1)
				return db_err(c->db, err);
		}
		if (address_delete_mailbox_tx(c, m->id, err) == -1)
			return -1;
		if (audit_log(c, d.id, d.name, m->login, "mailbox.delete",
		    pool_printf(c->pool, "address=%s extras=%s", m->address,
		    pool_join(c->pool, m->extras, m->nextras, ",")), NULL) == -1)
			return db_err(c->db, err);
	}
	return 0;
}

/* restore_body - the restoring transaction's body: mailbox j->id */
static int
restore_body(struct ctx *c, void *arg, struct err *err)
{
	const struct mb_job *j = arg;
	int64_t id = j->id;
	struct domain_lock d;
	struct plan *pl;
	struct mailbox *m;
	struct dbrow *r;
	const char **extras;
	size_t nextras, i;
	uint64_t affected = 0;
	int rc;

	if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(id), &m, &r)) != 1) {
		return rc == -1 ? db_err(c->db, err) :
		    err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
	}
	if (lock_domain(c, m->domain_id, &d, err) == -1)
		return -1;
	if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(id), &m, &r)) != 1)
		return db_err(c->db, err);
	if (*m->deleted_at == '\0') {
		return err_set(err, ERR_INVALID, NULL,
		    _("This mailbox is not deleted."));
	}
	if (!dbrow_isnull(r, MC_PURGED_AT)) {
		return err_set(err, ERR_INVALID, NULL,
		    _("This mailbox has been purged: its mail is gone and it cannot be restored."));
	}
	split_lines(c->pool, dbrow_str(r, MC_RESTORE_EXTRAS), &extras, &nextras);
	if (limits(c, &d, &pl, err) == -1 ||
	    mailbox_check_room(c, pl, d.mailboxes, d.quota_sum, 1, 0, m->quota,
	    err) == -1)
		return -1;
	if (address_free_tx(c, m->address, 0, "address", err) == -1)
		return -1;
	for (i = 0; i < nextras; i++)
		if (address_free_tx(c, extras[i], 0, "extra", err) == -1)
			return -1;
	{
		struct dbv p[] = { DB_INT(id) };

		if (db_exec(c->db, SQL_MBOX_RESTORE, p, 1, &affected, NULL) == -1)
			return db_err(c->db, err);
	}
	if (address_add_tx(c, m->address, d.id, "primary", id, "address", err) == -1)
		return -1;
	for (i = 0; i < nextras; i++)
		if (address_add_tx(c, extras[i], d.id, "extra", id, "extra", err) == -1)
			return -1;
	if (audit_log(c, d.id, d.name, m->login, "mailbox.restore", NULL,
	    pool_printf(c->pool, "address=%s extras=%s", m->address,
	    pool_join(c->pool, extras, nextras, ","))) == -1)
		return db_err(c->db, err);
	return 0;
}
/* create_body, update_body - tx_run bodies */
static int
create_body(struct ctx *c, void *arg, struct err *err)
{
	struct mb_job *j = arg;

	return create_one(c, j->domain_id, j->address, j->extras, j->nextras,
	    j->real_name, j->hash, j->quota, j->enabled, j->check, j->mb_r,
	    err);
}

static int
update_body(struct ctx *c, void *arg, struct err *err)
{
	struct mb_job *j = arg;

	return update_one(c, j->id, j->set, j->address, j->extras, j->nextras,
	    j->real_name, j->hash, j->quota, j->enabled, err);
}



/* job - a write's arguments from a form's checked fields */
static void
job(struct mb_job *j, const struct mailbox_prep *p,
    const struct mailbox_input *in)
{
	memset(j, 0, sizeof(*j));
	j->address = p->address;
	j->extras = p->extras;
	j->nextras = p->nextras;
	j->real_name = p->real_name;
	j->hash = p->hash;
	j->quota = in->quota;
	j->enabled = in->enabled ? 1 : 0;
}

/* checked - after a form's fields were checked (p): when some were
 * refused, what the domain's lock guards is checked too (addresses in
 * use, the plan's room), in a transaction that writes nothing, so the
 * form shows every error at once; 1 when the write may go on */
static int
checked(struct ctx *c, int rc, struct mb_job *j, tx_body body,
    struct err *err)
{
	struct err e = { 0 };

	if (rc == 0)
		return 1;
	if (!err_is_input(err))
		return 0;
	if (body == create_body)
		j->check = 1;
	else
		j->set |= MB_CHECK;
	/* what it finds is told too; if it cannot run, the form's own
	 * refusals are answer enough */
	if (tx_run(c, body, j, &e) == -1 && err_is_input(&e))
		err_merge(err, &e);
	return 0;
}

/* mailbox_create - a new mailbox with its addresses */
int
mailbox_create(struct ctx *c, const struct domain *dom,
    const struct mailbox_input *in, struct mailbox **mb_r, struct err *err)
{
	struct mailbox_prep p;
	struct mb_job j;
	int rc;

	if (mb_r != NULL)
		*mb_r = NULL;
	if (authz_domain(c, dom->id, AUTHZ_MAIL, err) == -1)
		return -1;
	rc = mailbox_check_new(c, dom, in, &p, err);
	job(&j, &p, in);
	j.domain_id = dom->id;
	j.mb_r = mb_r;
	if (!checked(c, rc, &j, create_body, err))
		return -1;
	rc = tx_run(c, create_body, &j, err);
	explicit_bzero(p.hash, strlen(p.hash));
	return rc;
}

/* mailbox_update - change what in->set names */
int
mailbox_update(struct ctx *c, int64_t id, const struct mailbox_input *in,
    struct err *err)
{
	struct mailbox *m;
	struct mailbox_prep p;
	struct mb_job j;
	int rc;

	if (mailbox_get(c, id, &m, err) != 1)
		return -1;
	if (*m->deleted_at != '\0')
		return err_set(err, ERR_NOTFOUND, NULL,
		    _("This mailbox has been deleted."));
	if ((in->set & MB_SET_MAIL) &&
	    authz_domain(c, m->domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	if ((in->set & MB_SET_QUOTA) &&
	    authz_domain(c, m->domain_id, AUTHZ_QUOTA, err) == -1)
		return -1;
	if ((in->set & MB_SET_PASSWORD) &&
	    authz_domain(c, m->domain_id, AUTHZ_PASSWORD, err) == -1)
		return -1;
	rc = mailbox_check_change(c, m, in, &p, err);
	job(&j, &p, in);
	j.id = id;
	j.set = in->set;
	if (!checked(c, rc, &j, update_body, err))
		return -1;
	rc = tx_run(c, update_body, &j, err);
	if (p.hash != NULL)
		explicit_bzero(p.hash, strlen(p.hash));
	return rc;
}

/* mailbox_set_password - a new password, entered twice */
int
mailbox_set_password(struct ctx *c, int64_t id, const char *password,
    const char *password2, struct err *err)
{
	struct mailbox_input in;

	memset(&in, 0, sizeof(in));
	in.set = MB_SET_PASSWORD;
	in.password = password;
	in.password2 = password2;
	return mailbox_update(c, id, &in, err);
}

/* mailbox_delete - stop n mailboxes receiving and logging in, at once */
int
mailbox_delete(struct ctx *c, int64_t domain_id, const int64_t *ids,
    size_t n, struct err *err)
{
	if (authz_domain(c, domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	if (n == 0)
		return err_set(err, ERR_INVALID, NULL,
		    _("Please select the mailboxes to delete."));
	{
		struct mb_job j = { .domain_id = domain_id, .ids = ids, .n = n };

		return tx_run(c, delete_body, &j, err);
	}
}

/* mailbox_restore - undo a deletion that was not purged yet */
int
mailbox_restore(struct ctx *c, int64_t id, struct err *err)
{
	struct mailbox *m;

	if (mailbox_get(c, id, &m, err) != 1)
		return -1;
	if (authz_domain(c, m->domain_id, AUTHZ_ADMIN, err) == -1)
		return -1;
	{
		struct mb_job j = { .id = id };

		return tx_run(c, restore_body, &j, err);
	}
}

/* mailbox_list_deleted - deleted mailboxes that can still be restored */
int
mailbox_list_deleted(struct ctx *c, int64_t domain_id, unsigned int limit,
    unsigned int offset, struct mailbox **v_r, size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id), DB_INT(limit), DB_INT(offset) };
	struct dbres *res;
	struct mailbox *v;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_ADMIN, err) == -1)
		return -1;
	if (db_query(c->db, c->pool, SQL_MBOX_LIST_DELETED, p, 3, &res) == -1)
		return db_err(c->db, err);
	v = pool_zalloc(c->pool, sizeof(*v) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		v[i] = *from_row(c->pool, &res->rows[i]);
		split_lines(c->pool, dbrow_str(&res->rows[i], MC_RESTORE_EXTRAS), &v[i].extras,
		    &v[i].nextras);
	}
	*v_r = v;
	*n_r = res->nrows;
	return 0;
}
