/*
 * NAME
 *	forward - a mailbox's forwarding
 *
 * DESCRIPTION
 *	See forward.h.  The destinations are checked (address.h) before the
 *	transaction where they need no lock, and the loop check runs inside
 *	it, under the domain's lock, so that two changes made at once cannot
 *	build a loop between them in the same domain.  Memory: ctx->pool.
 */
#include <string.h>

#include "address.h"
#include "audit.h"
#include "authz.h"
#include "db.h"
#include "domain.h"
#include "forward.h"
#include "mailbox.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"

/* SQL_FWD_OF */
enum fwd_col {
	FW_DEST,
	FW_MAILBOX_ID,
	FW_SELF,
	FW_DELETED,
	FW__MAX
};
SQL_COLS_ARE(SQL_FWD_OF, FW__MAX);
SQL_COLS_ARE(SQL_FWD_MAX_REMOTE, 1);

/* read_rows - the rows of SQL_FWD_OF as a struct forward */
static int
read_rows(struct ctx *c, int64_t mailbox_id, struct forward *f,
    struct err *err)
{
	struct dbv p[] = { DB_INT(mailbox_id) };
	struct dbres *res;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (db_query(c->db, c->pool, SQL_FWD_OF, p, 1, &res) == -1)
		return db_err(c->db, err);
	f->dests = pool_zalloc(c->pool, sizeof(*f->dests) * (res->nrows + 1));
	f->deleted = pool_zalloc(c->pool, sizeof(*f->deleted) * (res->nrows + 1));
	f->keep = res->nrows == 0;
	for (i = 0; i < res->nrows; i++) {
		const struct dbrow *r = &res->rows[i];

		if (dbrow_int(r, FW_SELF)) {
			f->keep = 1;
			continue;
		}
		f->dests[f->n] = pool_strdup(c->pool, dbrow_str(r, FW_DEST));
		f->deleted[f->n] = dbrow_int(r, FW_DELETED) != 0;
		f->n++;
	}
	if (f->n == 0)
		f->keep = 1;
	return 0;
}

/* forward_get - the forwarding of a mailbox */
int
forward_get(struct ctx *c, int64_t mailbox_id, struct forward *f,
    struct err *err)
{
	struct mailbox *m;

	memset(f, 0, sizeof(*f));
	switch (mailbox_get(c, mailbox_id, &m, err)) {
	case -1:
		return -1;
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
	}
	return read_rows(c, mailbox_id, f, err);
}

struct set_job {
	struct mailbox		*m;
	int			 keep;
	struct address_dest	*v;
	size_t			 n;
	const char		*old;	/* for the audit */
};

/* dests_str - "a, b" for the audit log */
static const char *
dests_str(struct pool *p, int keep, const char *const *v, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, p, 128);
	buf_printf(&b, "keep=%s forward=", keep ? "yes" : "no");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", v[i]);
	return b.data;
}

/* set_body - under the domain's lock: the loop check, the rows, audit */
static int
set_body(struct ctx *c, void *arg, struct err *err)
{
	struct set_job *j = arg;
	struct domain_lock d;
	const char **texts;
	size_t i;

	if (domain_lock_tx(c, j->m->domain_id, &d, err) == -1)
		return -1;
	if (d.deleted)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
	if (j->n > 0 && address_loop_tx(c, NULL, j->m->id, j->v, j->n,
	    "forward", err) == -1)
		return -1;
	{
		struct dbv p[] = { DB_INT(j->m->id) };

		if (db_exec(c->db, SQL_FWD_CLEAR, p, 1, NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	texts = pool_zalloc(c->pool, sizeof(*texts) * (j->n + 1));
	for (i = 0; i < j->n; i++) {
		struct dbv p[] = { DB_INT(j->m->id), DB_STR(j->v[i].text),
		    j->v[i].mailbox_id > 0 ? DB_INT(j->v[i].mailbox_id) :
		    DB_NULL };

		texts[i] = j->v[i].text;
		if (db_exec(c->db, SQL_FWD_INSERT, p, 3, NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	if (j->n > 0 && j->keep) {
		struct dbv p[] = { DB_INT(j->m->id), DB_STR(j->m->login),
		    DB_INT(j->m->id) };

		if (db_exec(c->db, SQL_FWD_INSERT, p, 3, NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	if (audit_log(c, j->m->domain_id, d.name, j->m->address,
	    "mailbox.forward", j->old, dests_str(c->pool, j->keep || j->n == 0,
	    texts, j->n)) == -1)
		return db_err(c->db, err);
	return 0;
}

/* forward_set - forward a mailbox's mail, keeping a copy or not */
int
forward_set(struct ctx *c, int64_t mailbox_id, int keep, const char *dests,
    struct err *err)
{
	struct set_job j;
	struct forward old;
	struct dbrow *r;
	int64_t max_remote;
	size_t i;

	memset(&j, 0, sizeof(j));
	switch (mailbox_get(c, mailbox_id, &j.m, err)) {
	case -1:
		return -1;
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
	}
	if (*j.m->deleted_at != '\0')
		return err_set(err, ERR_NOTFOUND, NULL,
		    _("This mailbox has been deleted."));
	if (authz_domain(c, j.m->domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	{
		struct dbv p[] = { DB_INT(j.m->domain_id) };

		if (db_row(c->db, c->pool, SQL_FWD_MAX_REMOTE, p, 1, &r) != 1)
			return db_err(c->db, err);
		max_remote = dbrow_limit(r, 0);
	}
	if (address_parse_dests(c, dests, NULL, max_remote, "forward", &j.v, &j.n,
	    err) == -1)
		return -1;
	for (i = 0; i < j.n; i++)
		if (j.v[i].mailbox_id == j.m->id)
			return err_set(err, ERR_INVALID, "forward",
			    _("A mailbox cannot forward to itself: choose \"Deliver to this user normally\" to keep a copy."));
	if (j.n == 0 && !keep)
		return err_set(err, ERR_INVALID, "forward",
		    _("Without forwarding addresses the mail is delivered to this user: enter at least one address, or choose to deliver normally."));
	j.keep = keep;
	if (read_rows(c, mailbox_id, &old, err) == -1)
		return -1;
	j.old = dests_str(c->pool, old.keep, old.dests, old.n);
	return tx_run(c, set_body, &j, err);
}
