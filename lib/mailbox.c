/*
 * NAME
 *	mailbox - mail users: naming, limits, addresses, passwords, deletion
 *
 * DESCRIPTION
 *	See mailbox.h for the rules.  Each write is split in two: checks that
 *	need no lock (syntax, password policy, hashing, which is slow) run
 *	first; then one transaction takes the lock on the domain row, reads
 *	the counter, usage and plan afresh, writes, audits and commits.  The
 *	transaction is retried when MariaDB reports a deadlock or a lock wait
 *	timeout.
 *
 *	The account email is sent by a small SMTP client at the end of this
 *	file (plain TCP to cfg->smtp_host, which is the local Postfix).
 *
 *	Memory: everything comes from ctx->pool; password hashes are wiped.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "authz.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "domain.h"
#include "log.h"
#include "mailbox.h"
#include "vacation.h"
#include "passwd.h"
#include "pool.h"
#include "postbus.h"
#include "valid.h"

#define TX_TRIES	5		/* attempts after deadlocks */
#define QUOTA_MIN	(1024 * 1024)	/* a limited mailbox has 1 MB at least */
#define REAL_NAME_MAX	255
#define EXTRAS_TEXT_MAX	20000

/* the domain row, read under its lock */
struct locked {
	int64_t		 id;
	const char	*name;
	const char	*prefix;
	int64_t		 counter;
	int64_t		 plan_id;
	int		 active;
	int64_t		 mail_quota;	/* the domain's own total, -1 the plan's */
	int		 deleted;
	int64_t		 mailboxes;	/* live mailboxes (counter on the row) */
	int64_t		 quota_sum;	/* sum of their quotas */
};

/* retryable - whether a failed transaction may simply be run again */
static int
retryable(struct ctx *c, const struct err *err)
{
	unsigned int e = db_errno(c->db);

	return err->kind == ERR_DB && (e == DB_ER_LOCK_DEADLOCK ||
	    e == DB_ER_LOCK_WAIT_TIMEOUT);
}

/* backoff - a short random pause before the next attempt */
static void
backoff(int attempt)
{
	unsigned char r = 0;
	struct timespec ts;

	(void)crypto_random(&r, 1);
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(5 + attempt * 10 + r % 20) * 1000000L;
	nanosleep(&ts, NULL);
}

/* fail - roll back and return -1 (err already filled) */
static int
fail(struct ctx *c)
{
	db_rollback(c->db);
	return -1;
}

/* fail_db - roll back and report a database error */
static int
fail_db(struct ctx *c, struct err *err)
{
	db_rollback(c->db);
	return err_db(err);
}

/* lower - an ASCII-lowercased copy */
static char *
lower(struct pool *p, const char *s)
{
	char *d = pool_strdup(p, s), *q;

	for (q = d; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return d;
}

/* like_pattern - %s% with LIKE's wildcards escaped */
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

/* quota_str - a quota for people and the audit log */
static const char *
quota_str(struct pool *p, int64_t q)
{
	return q == 0 ? "unlimited" : valid_size_format(p, (uint64_t)q);
}

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

/* norm_address - "info" or "Info@monsite.be" as info@monsite.be */
static int
norm_address(struct ctx *c, const char *domain, const char *in,
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

/* parse_extras - the additional addresses: one per line, or separated by
 * commas or spaces; duplicates dropped, the primary refused */
static int
parse_extras(struct ctx *c, const char *domain, const char *text,
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
	v = pool_zalloc(c->pool, sizeof(*v) * (MAILBOX_EXTRAS_MAX + 1));
	copy = pool_strdup(c->pool, text);
	for (tok = strtok_r(copy, " \t\r\n,;", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n,;", &save)) {
		char *a;

		if (norm_address(c, domain, tok, "extra", &a, err) == -1)
			return -1;
		if (primary != NULL && strcmp(a, primary) == 0)
			return err_set(err, ERR_INVALID, "extra",
			    pool_printf(c->pool, _("%s is already the primary address."), a));
		for (i = 0; i < n; i++)
			if (strcmp(v[i], a) == 0)
				break;
		if (i < n)
			continue;
		if (n == MAILBOX_EXTRAS_MAX)
			return err_set(err, ERR_INVALID, "extra",
			    pool_printf(c->pool, _("A mailbox has at most %d additional addresses."),
			    MAILBOX_EXTRAS_MAX));
		v[n++] = a;
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

/* join - v joined by sep ("" for none) */
static char *
join(struct pool *p, const char **v, size_t n, const char *sep)
{
	struct buf b;
	size_t i;

	buf_init(&b, p, 64);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, sep);
		buf_puts(&b, v[i]);
	}
	return b.data;
}

/* check_real_name - printable, one line, no markup characters */
static int
check_real_name(const char *s, struct err *err)
{
	const char *why;

	if ((why = valid_text(s, REAL_NAME_MAX)) != NULL)
		return err_set(err, ERR_INVALID, "real_name", why);
	if (strpbrk(s, "<>\"\\") != NULL)
		return err_set(err, ERR_INVALID, "real_name",
		    _("A real name cannot contain < > \" or \\."));
	return 0;
}

/* check_password - both entries equal and strong enough */
static int
check_password(const char *pw, const char *pw2, const char *user,
    const char *addr, struct err *err)
{
	const char *why;

	if (pw == NULL || *pw == '\0')
		return err_set(err, ERR_INVALID, "password",
		    _("Please enter a password."));
	if (pw2 == NULL || strcmp(pw, pw2) != 0)
		return err_set(err, ERR_INVALID, "password2",
		    _("The two passwords are not the same."));
	if ((why = passwd_policy(pw, user, addr)) != NULL)
		return err_set(err, ERR_INVALID, "password", why);
	return 0;
}

/* check_quota_syntax - 0 (unlimited) or at least QUOTA_MIN */
static int
check_quota_value(int64_t q, struct err *err)
{
	if (q < 0 || (q > 0 && q < QUOTA_MIN))
		return err_set(err, ERR_INVALID, "quota",
		    _("A mailbox quota is at least 1 MB."));
	return 0;
}

/* lock_row - take the domain row's lock and read it, deleted or not */
static int
lock_row(struct ctx *c, int64_t domain_id, struct locked *d,
    struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };
	struct dbrow *r;

	switch (db_row(c->db, c->pool, SQL_MBOX_DOMAIN_LOCK, p, 1, &r)) {
	case -1:
		return err_db(err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	}
	d->id = dbrow_int(r, 0);
	d->name = pool_strdup(c->pool, dbrow_str(r, 1));
	d->prefix = pool_strdup(c->pool, dbrow_str(r, 2));
	d->counter = dbrow_int(r, 3);
	d->plan_id = dbrow_int(r, 4);
	d->active = (int)dbrow_int(r, 5);
	d->mail_quota = dbrow_isnull(r, 6) ? -1 : dbrow_int(r, 6);
	d->deleted = (int)dbrow_int(r, 7);
	d->mailboxes = dbrow_int(r, 8);
	d->quota_sum = dbrow_int(r, 9);
	return 0;
}

/* lock_domain - lock a live domain's row and read it */
static int
lock_domain(struct ctx *c, int64_t domain_id, struct locked *d,
    struct err *err)
{
	if (lock_row(c, domain_id, d, err) == -1)
		return -1;
	if (d->deleted)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	return 0;
}

/* limits - the plan of a locked domain, with the domain's own quota */
static int
limits(struct ctx *c, const struct locked *d, struct plan **pl_r,
    struct err *err)
{
	if (plan_get(c, d->plan_id, pl_r, err) == -1)
		return -1;
	if (d->mail_quota >= 0)
		(*pl_r)->mail_quota = d->mail_quota;
	return 0;
}

/* check_limits - may the domain hold one more mailbox (add) whose quota
 * goes from old_q to new_q?  Read under the domain lock. */
static int
check_limits(struct ctx *c, const struct plan *pl, int64_t count,
    int64_t sum, int add, int64_t old_q, int64_t new_q, struct err *err)
{
	if (add && pl->max_mailboxes >= 0 && count + 1 > pl->max_mailboxes)
		return err_set(err, ERR_LIMIT, NULL, pool_printf(c->pool,
		    _("Your plan allows %lld mailboxes and they are all in use."),
		    (long long)pl->max_mailboxes));
	if (new_q == 0 && (add || old_q != 0) && !pl->allow_unlimited_quota)
		return err_set(err, ERR_LIMIT, "quota",
		    _("Your plan does not allow mailboxes without a quota."));
	if (new_q > 0 && pl->mail_quota >= 0 && (add || new_q > old_q) &&
	    sum - (add ? 0 : old_q) + new_q > pl->mail_quota) {
		int64_t left = pl->mail_quota - (sum - (add ? 0 : old_q));

		return err_set(err, ERR_LIMIT, "quota", pool_printf(c->pool,
		    _("This quota is more than your plan has left: %s of %s."),
		    valid_size_format(c->pool, (uint64_t)(left > 0 ? left : 0)),
		    valid_size_format(c->pool, (uint64_t)pl->mail_quota)));
	}
	return 0;
}

/* address_free - 0 if addr is unused or belongs to mailbox self */
static int
address_free(struct ctx *c, const char *addr, int64_t self,
    const char *field, struct err *err)
{
	struct dbv p[] = { DB_STR(addr) };
	struct dbrow *r;

	switch (db_row(c->db, c->pool, SQL_ADDR_GET, p, 1, &r)) {
	case -1:
		return err_db(err);
	case 0:
		return 0;
	}
	if (self > 0 && !dbrow_isnull(r, 1) && dbrow_int(r, 1) == self)
		return 0;
	return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
	    strcmp(dbrow_str(r, 0), "alias") == 0 ?
	    _("%s is already in use as an alias.") :
	    _("%s is already in use by another mailbox."), addr));
}

/* add_address - one addresses row; a duplicate becomes a field error */
static int
add_address(struct ctx *c, const char *addr, int64_t domain_id,
    const char *kind, int64_t mailbox_id, const char *field, struct err *err)
{
	struct dbv p[] = { DB_STR(addr), DB_INT(domain_id), DB_STR(kind),
	    DB_INT(mailbox_id) };

	if (db_exec(c->db, SQL_ADDR_INSERT, p, NPARAMS(p), NULL, NULL) == 0)
		return 0;
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
		    _("%s is already in use by another mailbox."), addr));
	return err_db(err);
}

/* from_row - a mailbox from MBOX_COLS */
static struct mailbox *
from_row(struct pool *p, const struct dbrow *r)
{
	struct mailbox *m = pool_zalloc(p, sizeof(*m));

	m->id = dbrow_int(r, 0);
	m->domain_id = dbrow_int(r, 1);
	m->login = pool_strdup(p, dbrow_str(r, 2));
	m->address = pool_strdup(p, dbrow_str(r, 3));
	m->real_name = pool_strdup(p, dbrow_str(r, 4));
	m->quota = dbrow_int(r, 5);
	m->enabled = (int)dbrow_int(r, 6);
	m->created_by = pool_strdup(p, dbrow_str(r, 7));
	m->created_at = pool_strdup(p, dbrow_str(r, 8));
	m->last_login = pool_strdup(p, dbrow_str(r, 9));
	m->deleted_at = pool_strdup(p, dbrow_str(r, 10));
	/* 11 purged_at, 12 restore_extras: read by the callers that need them */
	m->domain_name = pool_strdup(p, dbrow_str(r, 13));
	m->used_bytes = dbrow_int(r, 14);
	m->used_messages = dbrow_int(r, 15);
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
	struct dbv p[] = { DB_INT(m->id) };
	struct dbres *res;
	size_t i;

	if (db_query(c->db, c->pool, SQL_ADDR_BY_MAILBOX, p, 1, &res) == -1)
		return -1;
	m->extras = pool_zalloc(c->pool, sizeof(*m->extras) * (res->nrows + 1));
	m->nextras = 0;
	for (i = 0; i < res->nrows; i++)
		if (strcmp(dbrow_str(&res->rows[i], 1), "extra") == 0)
			m->extras[m->nextras++] = pool_strdup(c->pool,
			    dbrow_str(&res->rows[i], 0));
	return 0;
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
		return err_db(err);
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
		split_lines(c->pool, dbrow_str(r, 12), &m->extras, &m->nextras);
		return 0;
	}
	if (load_extras(c, m) == -1)
		return err_db(err);
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

/* create_tx - the creating transaction, once */
static int
create_tx(struct ctx *c, int64_t domain_id, const char *address,
    const char **extras, size_t nextras, const char *real_name,
    const char *hash, int64_t quota, int enabled, struct mailbox **mb_r,
    struct err *err)
{
	struct locked d;
	struct plan *pl;
	struct dbrow *r;
	int64_t q = quota;
	uint64_t id;
	char *login;
	size_t i;
	int rc;

	if (db_begin(c->db) == -1)
		return err_db(err);
	if (lock_domain(c, domain_id, &d, err) == -1)
		return fail(c);
	if (limits(c, &d, &pl, err) == -1)
		return fail(c);
	if (q < 0)
		q = pl->default_mailbox_quota;
	if (check_limits(c, pl, d.mailboxes, d.quota_sum, 1, 0, q, err) == -1)
		return fail(c);
	if (address_free(c, address, 0, "address", err) == -1)
		return fail(c);
	for (i = 0; i < nextras; i++)
		if (address_free(c, extras[i], 0, "extra", err) == -1)
			return fail(c);
	/* the next counter whose login is free (someone may have made one
	 * by hand); every number passed is used up for good */
	for (;;) {
		struct dbv p[] = { DB_INT(d.id) };
		struct dbv lp[1];

		login = mailbox_login_name(c, d.prefix, d.counter);
		lp[0] = DB_STR(login);
		if (db_exec(c->db, SQL_MBOX_DOMAIN_BUMP, p, 1, NULL, NULL) == -1)
			return fail_db(c, err);
		if ((rc = db_row(c->db, c->pool, SQL_MBOX_LOGIN_TAKEN, lp, 1,
		    &r)) == -1)
			return fail_db(c, err);
		if (rc == 0)
			break;
		d.counter++;
	}
	{
		struct dbv p[] = { DB_INT(d.id), DB_STR(login), DB_STR(address),
		    DB_STR(real_name), DB_STR(hash), DB_INT(q), DB_INT(enabled),
		    DB_STR(c->actor->login) };

		if (db_exec(c->db, SQL_MBOX_INSERT, p, NPARAMS(p), NULL, &id) == -1)
			return fail_db(c, err);
	}
	if (add_address(c, address, d.id, "primary", (int64_t)id, "address",
	    err) == -1)
		return fail(c);
	for (i = 0; i < nextras; i++)
		if (add_address(c, extras[i], d.id, "extra", (int64_t)id,
		    "extra", err) == -1)
			return fail(c);
	{
		/* a usage row left by a deleted mailbox with this address */
		struct dbv p[] = { DB_STR(address), DB_STR(address),
		    DB_INT(id) };

		if (db_exec(c->db, SQL_QUOTA_DROP, p, 3, NULL, NULL) == -1)
			return fail_db(c, err);
	}
	if (audit_log(c, d.id, d.name, login, "mailbox.create", NULL,
	    pool_printf(c->pool, "address=%s quota=%s enabled=%d name=%s extras=%s",
	    address, quota_str(c->pool, q), enabled, real_name,
	    join(c->pool, extras, nextras, ","))) == -1)
		return fail_db(c, err);
	if (db_commit(c->db) == -1)
		return err_db(err);
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

/* mailbox_create - a new mailbox with its addresses */
int
mailbox_create(struct ctx *c, int64_t domain_id,
    const struct mailbox_input *in, struct mailbox **mb_r, struct err *err)
{
	struct domain *dom;
	const char **extras = NULL;
	const char *real_name = in->real_name ? in->real_name : "";
	size_t nextras = 0;
	char *address, *hash;
	int attempt, rc;

	if (mb_r != NULL)
		*mb_r = NULL;
	if (authz_domain(c, domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	switch (domain_get(c, domain_id, &dom, err)) {
	case -1:
		return -1;
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	}
	if (in->local == NULL || *in->local == '\0')
		return err_set(err, ERR_INVALID, "address",
		    _("Please enter the part before the @."));
	if (norm_address(c, dom->name, in->local, "address", &address, err) == -1)
		return -1;
	if (check_real_name(real_name, err) == -1)
		return -1;
	if (in->quota >= 0 && check_quota_value(in->quota, err) == -1)
		return -1;
	if (parse_extras(c, dom->name, in->extras, address, &extras, &nextras,
	    err) == -1)
		return -1;
	/* the login is not known before the lock; its prefix is, and any
	 * password that contains the login contains the prefix */
	if (check_password(in->password, in->password2, dom->prefix, address,
	    err) == -1)
		return -1;
	if ((hash = passwd_hash(c->pool, in->password)) == NULL)
		return err_set(err, ERR_DB, NULL,
		    _("The password could not be hashed."));
	for (attempt = 1; ; attempt++) {
		rc = create_tx(c, domain_id, address, extras, nextras, real_name,
		    hash, in->quota, in->enabled ? 1 : 0, mb_r, err);
		if (rc == 0 || attempt >= TX_TRIES || !retryable(c, err))
			break;
		backoff(attempt);
	}
	explicit_bzero(hash, strlen(hash));
	return rc;
}

/* diff - "k=old" / "k=new" pairs of what changed, for the audit */
static void
diff(struct buf *o, struct buf *n, const char *k, const char *old,
    const char *new)
{
	if (strcmp(old, new) == 0)
		return;
	buf_printf(o, "%s%s=%s", o->len ? " " : "", k, old);
	buf_printf(n, "%s%s=%s", n->len ? " " : "", k, new);
}

/* update_tx - the updating transaction, once */
static int
update_tx(struct ctx *c, int64_t id, unsigned int set, const char *address,
    const char **extras, size_t nextras, const char *real_name,
    const char *hash, int64_t quota, int enabled, struct err *err)
{
	struct locked d;
	struct plan *pl;
	struct mailbox *m;
	struct dbrow *r;
	struct buf ob, nb;
	size_t i;
	int rc;

	if (db_begin(c->db) == -1)
		return err_db(err);
	/* the mailbox's domain never changes: lock it, then read afresh */
	if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(id), &m, &r)) != 1) {
		db_rollback(c->db);
		return rc == -1 ? err_db(err) :
		    err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
	}
	if (lock_domain(c, m->domain_id, &d, err) == -1)
		return fail(c);
	if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(id), &m, &r)) != 1 ||
	    *m->deleted_at != '\0') {
		db_rollback(c->db);
		return rc == -1 ? err_db(err) : err_set(err, ERR_NOTFOUND,
		    NULL, _("This mailbox has been deleted."));
	}
	if (load_extras(c, m) == -1)
		return fail_db(c, err);
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
			return fail(c);
		quota = pl->default_mailbox_quota;
	}
	if (quota != m->quota) {
		if (limits(c, &d, &pl, err) == -1 ||
		    check_limits(c, pl, d.mailboxes, d.quota_sum, 0, m->quota,
		    quota, err) == -1)
			return fail(c);
	}
	if (set & MB_SET_ADDRESS && address_free(c, address, id, "address",
	    err) == -1)
		return fail(c);
	if (set & MB_SET_EXTRAS)
		for (i = 0; i < nextras; i++)
			if (address_free(c, extras[i], id, "extra", err) == -1)
				return fail(c);
	buf_init(&ob, c->pool, 128);
	buf_init(&nb, c->pool, 128);
	if (set & MB_SET_EXTRAS) {
		struct dbv p[] = { DB_INT(id) };

		if (db_exec(c->db, SQL_ADDR_DELETE_EXTRA, p, 1, NULL, NULL) == -1)
			return fail_db(c, err);
	}
	if (strcmp(address, m->address) != 0) {
		struct dbv p[] = { DB_STR(address), DB_INT(id) };
		struct dbv q1[] = { DB_STR(address), DB_STR(address), DB_INT(id) };
		struct dbv q2[] = { DB_STR(address), DB_STR(m->address) };

		if (db_exec(c->db, SQL_ADDR_SET_PRIMARY, p, 2, NULL, NULL) == -1) {
			if (db_errno(c->db) == DB_ER_DUP_ENTRY) {
				db_rollback(c->db);
				return err_set(err, ERR_INVALID, "address",
				    pool_printf(c->pool, _("%s is already in use by another mailbox."),
				    address));
			}
			return fail_db(c, err);
		}
		/* Dovecot knows the mailbox by its primary address: its usage
		 * row follows */
		if (db_exec(c->db, SQL_QUOTA_DROP, q1, 3, NULL, NULL) == -1 ||
		    db_exec(c->db, SQL_QUOTA_RENAME, q2, 2, NULL, NULL) == -1)
			return fail_db(c, err);
	}
	if (set & MB_SET_EXTRAS)
		for (i = 0; i < nextras; i++)
			if (add_address(c, extras[i], d.id, "extra", id, "extra",
			    err) == -1)
				return fail(c);
	{
		struct dbv p[] = { DB_STR(address), DB_STR(real_name),
		    DB_INT(quota), DB_INT(enabled), DB_INT(id) };

		if (db_exec(c->db, SQL_MBOX_UPDATE, p, NPARAMS(p), NULL, NULL) == -1)
			return fail_db(c, err);
	}
	diff(&ob, &nb, "address", m->address, address);
	diff(&ob, &nb, "name", m->real_name, real_name);
	diff(&ob, &nb, "quota", quota_str(c->pool, m->quota),
	    quota_str(c->pool, quota));
	diff(&ob, &nb, "enabled", m->enabled ? "1" : "0", enabled ? "1" : "0");
	if (set & MB_SET_EXTRAS)
		diff(&ob, &nb, "extras", join(c->pool, m->extras, m->nextras, ","),
		    join(c->pool, extras, nextras, ","));
	/* an automatic reply lists the mailbox's addresses */
	if ((set & (MB_SET_ADDRESS | MB_SET_EXTRAS)) &&
	    vacation_refresh(c, id, err) == -1)
		return fail(c);
	if ((ob.len > 0 || nb.len > 0) && audit_log(c, d.id, d.name, m->login,
	    "mailbox.update", ob.data, nb.data) == -1)
		return fail_db(c, err);
	if (hash != NULL) {
		struct dbv p[] = { DB_STR(hash), DB_INT(id) };

		if (db_exec(c->db, SQL_MBOX_SET_PASSWORD, p, 2, NULL, NULL) == -1 ||
		    audit_log(c, d.id, d.name, m->login, "mailbox.password",
		    NULL, NULL) == -1)
			return fail_db(c, err);
	}
	if (db_commit(c->db) == -1)
		return err_db(err);
	return 0;
}

/* mailbox_update - change what in->set names */
int
mailbox_update(struct ctx *c, int64_t id, const struct mailbox_input *in,
    struct err *err)
{
	struct mailbox *m;
	const char **extras = NULL;
	size_t nextras = 0;
	char *address = NULL, *hash = NULL;
	const char *real_name = in->real_name ? in->real_name : "";
	int attempt, rc;

	switch (mailbox_get(c, id, &m, err)) {
	case -1:
		return -1;
	case 0:
		return -1;
	}
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
	if (in->set & MB_SET_ADDRESS) {
		if (in->local == NULL || *in->local == '\0')
			return err_set(err, ERR_INVALID, "address",
			    _("Please enter the part before the @."));
		if (norm_address(c, m->domain_name, in->local, "address",
		    &address, err) == -1)
			return -1;
	} else
		address = (char *)m->address;
	if ((in->set & MB_SET_NAME) && check_real_name(real_name, err) == -1)
		return -1;
	if ((in->set & MB_SET_QUOTA) && in->quota >= 0 &&
	    check_quota_value(in->quota, err) == -1)
		return -1;
	if ((in->set & MB_SET_EXTRAS) && parse_extras(c, m->domain_name,
	    in->extras, address, &extras, &nextras, err) == -1)
		return -1;
	if (!(in->set & MB_SET_EXTRAS)) {
		size_t i;

		for (i = 0; i < m->nextras; i++)
			if (strcmp(m->extras[i], address) == 0)
				return err_set(err, ERR_INVALID, "address",
				    pool_printf(c->pool, _("%s is already an additional address of this mailbox."),
				    address));
	}
	if (in->set & MB_SET_PASSWORD) {
		if (check_password(in->password, in->password2, m->login,
		    address, err) == -1)
			return -1;
		if ((hash = passwd_hash(c->pool, in->password)) == NULL)
			return err_set(err, ERR_DB, NULL,
			    _("The password could not be hashed."));
	}
	for (attempt = 1; ; attempt++) {
		rc = update_tx(c, id, in->set, address, extras, nextras,
		    real_name, hash, in->quota, in->enabled ? 1 : 0, err);
		if (rc == 0 || attempt >= TX_TRIES || !retryable(c, err))
			break;
		backoff(attempt);
	}
	if (hash != NULL)
		explicit_bzero(hash, strlen(hash));
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

/* delete_tx - delete the mailboxes ids of one domain, once */
static int
delete_tx(struct ctx *c, int64_t domain_id, const int64_t *ids, size_t n,
    struct err *err)
{
	struct locked d;
	struct mailbox *m;
	struct dbrow *r;
	size_t i;
	int rc;

	if (db_begin(c->db) == -1)
		return err_db(err);
	if (lock_domain(c, domain_id, &d, err) == -1)
		return fail(c);
	for (i = 0; i < n; i++) {
		struct dbv p[] = { DB_INT(ids[i]) };
		const char *extras;
		uint64_t affected = 0;

		if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(ids[i]), &m, &r)) == -1)
			return fail_db(c, err);
		if (rc == 0 || m->domain_id != domain_id) {
			db_rollback(c->db);
			return err_set(err, ERR_NOTFOUND, NULL,
			    _("No such mailbox."));
		}
		if (*m->deleted_at != '\0')
			continue;	/* deleted twice: once is enough */
		if (load_extras(c, m) == -1)
			return fail_db(c, err);
		extras = m->nextras ? join(c->pool, m->extras, m->nextras, "\n") :
		    NULL;
		{
			struct dbv q[] = { DB_STR(extras), DB_INT(m->id) };

			if (db_exec(c->db, SQL_MBOX_DELETE, q, 2, &affected,
			    NULL) == -1)
				return fail_db(c, err);
		}
		if (db_exec(c->db, SQL_ADDR_DELETE_MAILBOX, p, 1, NULL, NULL) == -1)
			return fail_db(c, err);
		if (audit_log(c, d.id, d.name, m->login, "mailbox.delete",
		    pool_printf(c->pool, "address=%s extras=%s", m->address,
		    join(c->pool, m->extras, m->nextras, ",")), NULL) == -1)
			return fail_db(c, err);
	}
	if (db_commit(c->db) == -1)
		return err_db(err);
	return 0;
}

/* mailbox_delete - stop n mailboxes receiving and logging in, at once */
int
mailbox_delete(struct ctx *c, int64_t domain_id, const int64_t *ids,
    size_t n, struct err *err)
{
	int attempt, rc;

	if (authz_domain(c, domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	if (n == 0)
		return err_set(err, ERR_INVALID, NULL,
		    _("Please select the mailboxes to delete."));
	for (attempt = 1; ; attempt++) {
		rc = delete_tx(c, domain_id, ids, n, err);
		if (rc == 0 || attempt >= TX_TRIES || !retryable(c, err))
			break;
		backoff(attempt);
	}
	return rc;
}

/* restore_tx - bring a deleted mailbox back, once */
static int
restore_tx(struct ctx *c, int64_t id, struct err *err)
{
	struct locked d;
	struct plan *pl;
	struct mailbox *m;
	struct dbrow *r;
	const char **extras;
	size_t nextras, i;
	uint64_t affected = 0;
	int rc;

	if (db_begin(c->db) == -1)
		return err_db(err);
	if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(id), &m, &r)) != 1) {
		db_rollback(c->db);
		return rc == -1 ? err_db(err) :
		    err_set(err, ERR_NOTFOUND, NULL, _("No such mailbox."));
	}
	if (lock_domain(c, m->domain_id, &d, err) == -1)
		return fail(c);
	if ((rc = fetch(c, SQL_MBOX_GET, DB_INT(id), &m, &r)) != 1)
		return fail_db(c, err);
	if (*m->deleted_at == '\0') {
		db_rollback(c->db);
		return err_set(err, ERR_INVALID, NULL,
		    _("This mailbox is not deleted."));
	}
	if (!dbrow_isnull(r, 11)) {
		db_rollback(c->db);
		return err_set(err, ERR_INVALID, NULL,
		    _("This mailbox has been purged: its mail is gone and it cannot be restored."));
	}
	split_lines(c->pool, dbrow_str(r, 12), &extras, &nextras);
	if (limits(c, &d, &pl, err) == -1 ||
	    check_limits(c, pl, d.mailboxes, d.quota_sum, 1, 0, m->quota,
	    err) == -1)
		return fail(c);
	if (address_free(c, m->address, 0, "address", err) == -1)
		return fail(c);
	for (i = 0; i < nextras; i++)
		if (address_free(c, extras[i], 0, "extra", err) == -1)
			return fail(c);
	{
		struct dbv p[] = { DB_INT(id) };

		if (db_exec(c->db, SQL_MBOX_RESTORE, p, 1, &affected, NULL) == -1)
			return fail_db(c, err);
	}
	if (add_address(c, m->address, d.id, "primary", id, "address", err) == -1)
		return fail(c);
	for (i = 0; i < nextras; i++)
		if (add_address(c, extras[i], d.id, "extra", id, "extra", err) == -1)
			return fail(c);
	if (audit_log(c, d.id, d.name, m->login, "mailbox.restore", NULL,
	    pool_printf(c->pool, "address=%s extras=%s", m->address,
	    join(c->pool, extras, nextras, ","))) == -1)
		return fail_db(c, err);
	if (db_commit(c->db) == -1)
		return err_db(err);
	return 0;
}

/* mailbox_restore - undo a deletion that was not purged yet */
int
mailbox_restore(struct ctx *c, int64_t id, struct err *err)
{
	struct mailbox *m;
	int attempt, rc;

	switch (mailbox_get(c, id, &m, err)) {
	case -1:
		return -1;
	case 0:
		return -1;
	}
	if (authz_domain(c, m->domain_id, AUTHZ_ADMIN, err) == -1)
		return -1;
	for (attempt = 1; ; attempt++) {
		rc = restore_tx(c, id, err);
		if (rc == 0 || attempt >= TX_TRIES || !retryable(c, err))
			break;
		backoff(attempt);
	}
	return rc;
}

/* list_rows - mailboxes from the list statement's columns */
static struct mailbox *
list_rows(struct pool *p, const struct dbres *res)
{
	struct mailbox *v = pool_zalloc(p, sizeof(*v) * (res->nrows + 1));
	size_t i;

	for (i = 0; i < res->nrows; i++) {
		const struct dbrow *r = &res->rows[i];

		/* id, login, address, real_name, quota, enabled, last_login,
		 * bytes, messages */
		v[i].id = dbrow_int(r, 0);
		v[i].login = pool_strdup(p, dbrow_str(r, 1));
		v[i].address = pool_strdup(p, dbrow_str(r, 2));
		v[i].real_name = pool_strdup(p, dbrow_str(r, 3));
		v[i].quota = dbrow_int(r, 4);
		v[i].enabled = (int)dbrow_int(r, 5);
		v[i].last_login = pool_strdup(p, dbrow_str(r, 6));
		v[i].used_bytes = dbrow_int(r, 7);
		v[i].used_messages = dbrow_int(r, 8);
		v[i].deleted_at = "";
		v[i].created_at = "";
		v[i].created_by = "";
	}
	return v;
}

/* allowance_row - the allowance from the domain's counters and plan,
 * for a caller that has authorised the actor already */
static int
allowance_row(struct ctx *c, int64_t domain_id, struct mailbox_allowance *a,
    struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };
	struct dbrow *r;
	int64_t count, sum, total, max;

	memset(a, 0, sizeof(*a));
	switch (db_row(c->db, c->pool, SQL_MBOX_ALLOWANCE, p, 1, &r)) {
	case -1:
		return err_db(err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	}
	count = dbrow_int(r, 0);
	sum = dbrow_int(r, 1);
	total = dbrow_isnull(r, 2) ? -1 : dbrow_int(r, 2);
	max = dbrow_isnull(r, 3) ? -1 : dbrow_int(r, 3);
	a->mailboxes = count;
	a->left = max < 0 ? -1 : (max > count ? max - count : 0);
	a->quota_left = total < 0 ? -1 : (total > sum ? total - sum : 0);
	a->default_quota = dbrow_int(r, 4);
	a->allow_unlimited = (int)dbrow_int(r, 5);
	return 0;
}

/* list_rows_of - one page of live mailboxes, without authorisation (the
 * caller's); *total_r, if asked, counts a search's matches, and is left
 * alone without a search */
static int
list_rows_of(struct ctx *c, int64_t domain_id, const struct mailbox_query *q,
    struct mailbox **v_r, size_t *n_r, int64_t *total_r, struct err *err)
{
	static const enum sqlstmt list[MB_SORT__MAX][2] = {
		{ SQL_MBOX_LIST_LOGIN, SQL_MBOX_LIST_LOGIN_DESC },	/* MB_SORT_LOGIN */
		{ SQL_MBOX_LIST_ADDRESS, SQL_MBOX_LIST_ADDRESS_DESC },	/* MB_SORT_ADDRESS */
		{ SQL_MBOX_LIST_NAME, SQL_MBOX_LIST_NAME_DESC },	/* MB_SORT_NAME */
		{ SQL_MBOX_LIST_QUOTA, SQL_MBOX_LIST_QUOTA_DESC },	/* MB_SORT_QUOTA */
	};
	static const enum sqlstmt search[MB_SORT__MAX][2] = {
		{ SQL_MBOX_SEARCH_LOGIN, SQL_MBOX_SEARCH_LOGIN_DESC },	/* MB_SORT_LOGIN */
		{ SQL_MBOX_SEARCH_ADDRESS, SQL_MBOX_SEARCH_ADDRESS_DESC },	/* MB_SORT_ADDRESS */
		{ SQL_MBOX_SEARCH_NAME, SQL_MBOX_SEARCH_NAME_DESC },	/* MB_SORT_NAME */
		{ SQL_MBOX_SEARCH_QUOTA, SQL_MBOX_SEARCH_QUOTA_DESC },	/* MB_SORT_QUOTA */
	};
	enum mailbox_sort sort = q->sort < MB_SORT__MAX ? q->sort : MB_SORT_LOGIN;
	int desc = q->desc ? 1 : 0;
	struct dbres *res;
	struct dbrow *row;

	*v_r = NULL;
	*n_r = 0;
	if (q->search == NULL || *q->search == '\0') {
		struct dbv p[] = { DB_INT(domain_id), DB_INT(q->limit),
		    DB_INT(q->offset) };

		if (db_query(c->db, c->pool, list[sort][desc], p, NPARAMS(p),
		    &res) == -1)
			return err_db(err);
	} else {
		char *pat = like_pattern(c->pool, q->search);
		struct dbv p[] = { DB_INT(domain_id), DB_STR(pat), DB_STR(pat),
		    DB_STR(pat), DB_INT(q->limit), DB_INT(q->offset) };

		if (db_query(c->db, c->pool, search[sort][desc], p, NPARAMS(p),
		    &res) == -1)
			return err_db(err);
		/* every row carries the number of matches; a page past the
		 * end has no row to carry it */
		if (total_r != NULL && res->nrows > 0)
			*total_r = dbrow_int(&res->rows[0], 9);
		else if (total_r != NULL && q->offset == 0)
			*total_r = 0;
		else if (total_r != NULL) {
			/* the same first four parameters: domain, patterns */
			if (db_row(c->db, c->pool, SQL_MBOX_SEARCH_COUNT, p, 4,
			    &row) != 1)
				return err_db(err);
			*total_r = dbrow_int(row, 0);
		}
	}
	*v_r = list_rows(c->pool, res);
	*n_r = res->nrows;
	return 0;
}

/* mailbox_list - one page of live mailboxes */
int
mailbox_list(struct ctx *c, int64_t domain_id, const struct mailbox_query *q,
    struct mailbox **v_r, size_t *n_r, int64_t *total_r, struct err *err)
{
	struct mailbox_allowance a;

	*v_r = NULL;
	*n_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return -1;
	if (list_rows_of(c, domain_id, q, v_r, n_r, total_r, err) == -1)
		return -1;
	/* without a search every live mailbox matches: the domain's counter */
	if (total_r != NULL && (q->search == NULL || *q->search == '\0')) {
		if (allowance_row(c, domain_id, &a, err) == -1)
			return -1;
		*total_r = a.mailboxes;
	}
	return 0;
}

/* rights - whether the actor may manage (AUTHZ_MAIL) and restore
 * (AUTHZ_ADMIN) mailboxes of a domain it may view; -1 if it may not even
 * view it.  authz.h's roles nest: whoever may do ADMIN may do MAIL, and
 * whoever may do MAIL may view; so a superuser or reseller costs one
 * question, an owner two, support staff three. */
static int
rights(struct ctx *c, int64_t domain_id, int *mail_r, int *admin_r,
    struct err *err)
{
	*mail_r = *admin_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_ADMIN, err) == 0) {
		*mail_r = *admin_r = 1;
		return 0;
	}
	if (err->kind != ERR_FORBIDDEN)
		return -1;
	if (authz_domain(c, domain_id, AUTHZ_MAIL, err) == 0) {
		*mail_r = 1;
		return 0;
	}
	if (err->kind != ERR_FORBIDDEN)
		return -1;
	return authz_domain(c, domain_id, AUTHZ_VIEW, err);
}

/* mailbox_list_page - everything "Edit Mail Users" shows */
int
mailbox_list_page(struct ctx *c, int64_t domain_id,
    const struct mailbox_query *q, struct mailbox_page *pg, struct err *err)
{
	memset(pg, 0, sizeof(*pg));
	if (rights(c, domain_id, &pg->can_mail, &pg->can_restore, err) == -1 ||
	    allowance_row(c, domain_id, &pg->allowance, err) == -1)
		return -1;
	pg->total = pg->allowance.mailboxes;
	return list_rows_of(c, domain_id, q, &pg->rows, &pg->n, &pg->total,
	    err);
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
		return err_db(err);
	v = pool_zalloc(c->pool, sizeof(*v) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		v[i] = *from_row(c->pool, &res->rows[i]);
		split_lines(c->pool, dbrow_str(&res->rows[i], 12), &v[i].extras,
		    &v[i].nextras);
	}
	*v_r = v;
	*n_r = res->nrows;
	return 0;
}

/* mailbox_choices - live mailboxes for the password page's picker */
int
mailbox_choices(struct ctx *c, int64_t domain_id, unsigned int limit,
    struct mailbox **v_r, size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id), DB_INT(limit) };
	struct dbres *res;
	struct mailbox *v;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return -1;
	if (db_query(c->db, c->pool, SQL_MBOX_CHOICES, p, 2, &res) == -1)
		return err_db(err);
	v = pool_zalloc(c->pool, sizeof(*v) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		v[i].id = dbrow_int(&res->rows[i], 0);
		v[i].login = pool_strdup(c->pool, dbrow_str(&res->rows[i], 1));
		v[i].address = pool_strdup(c->pool, dbrow_str(&res->rows[i], 2));
		v[i].real_name = pool_strdup(c->pool, dbrow_str(&res->rows[i], 3));
		v[i].domain_id = domain_id;
	}
	*v_r = v;
	*n_r = res->nrows;
	return 0;
}

/* mailbox_allowance - what the plan still allows the domain */
int
mailbox_allowance(struct ctx *c, int64_t domain_id,
    struct mailbox_allowance *a, struct err *err)
{
	memset(a, 0, sizeof(*a));
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return -1;
	return allowance_row(c, domain_id, a, err);
}

/* rm_tree_at - remove name (a file or a whole directory) under dirfd
 * without following symbolic links, even if they are swapped in meanwhile */
static int
rm_tree_at(int dirfd, const char *name, int depth)
{
	struct dirent *de;
	DIR *dir;
	int fd, rc = 0;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth > 64) {
		errno = ELOOP;
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return -1;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		rc = rm_tree_at(fd, de->d_name, depth + 1);
	}
	closedir(dir);
	if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) == -1 &&
	    errno != ENOENT)
		rc = -1;
	return rc;
}

/* safe_component - a path component from the database that cannot climb */
static int
safe_component(const char *s)
{
	return *s != '\0' && *s != '.' && strchr(s, '/') == NULL &&
	    strstr(s, "..") == NULL;
}

/* purge_one - remove one mailbox's home and mark it purged */
static int
purge_one(struct ctx *c, const struct config *cfg, int64_t id,
    int64_t domain_id, const char *domain, const char *login,
    const char *address, const char **home_r, struct err *err)
{
	struct locked d;
	struct dbv p[] = { DB_INT(id) };
	struct dbv q[] = { DB_STR(address), DB_STR(address), DB_INT(id) };
	struct stat st;
	uint64_t affected = 0;
	char *home;

	*home_r = NULL;
	if (!safe_component(domain) || !safe_component(login))
		return err_set(err, ERR_INVALID, NULL,
		    pool_printf(c->pool, _("Refusing to purge %s: odd path."), login));
	if ((home = mailbox_home(c, cfg, domain, login)) == NULL)
		return err_set(err, ERR_INVALID, NULL,
		    _("mail_dir is not set in the configuration."));
	*home_r = home;
	if (db_begin(c->db) == -1)
		return err_db(err);
	/* the domain lock keeps a restore from running in between; a
	 * deleted domain's mailboxes are purged too */
	if (lock_row(c, domain_id, &d, err) == -1)
		return fail(c);
	if (db_exec(c->db, SQL_MBOX_MARK_PURGED, p, 1, &affected, NULL) == -1)
		return fail_db(c, err);
	if (affected == 0) {
		db_rollback(c->db);	/* restored or purged meanwhile */
		return 0;
	}
	if (db_exec(c->db, SQL_QUOTA_DROP, q, 3, NULL, NULL) == -1 ||
	    audit_log(c, d.id, d.name, login, "mailbox.purge", address,
	    NULL) == -1)
		return fail_db(c, err);
	if (lstat(home, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			db_rollback(c->db);
			return err_set(err, ERR_INVALID, NULL, pool_printf(c->pool,
			    _("Refusing to purge %s: not a directory."), home));
		}
		if (rm_tree_at(AT_FDCWD, home, 0) == -1) {
			db_rollback(c->db);
			return err_set(err, ERR_INVALID, NULL, pool_printf(c->pool,
			    _("Could not remove %s: %s"), home, strerror(errno)));
		}
	} else if (errno != ENOENT) {
		db_rollback(c->db);
		return err_set(err, ERR_INVALID, NULL, pool_printf(c->pool,
		    _("Could not remove %s: %s"), home, strerror(errno)));
	}
	if (db_commit(c->db) == -1)
		return err_db(err);
	return 1;
}

/* mailbox_purge - the privileged step of deletion */
int
mailbox_purge(struct ctx *c, const struct config *cfg, unsigned int days,
    void (*report)(const char *, const char *, void *), void *arg,
    size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(days) };
	struct dbres *res;
	struct stat st;
	const char *home;
	size_t i;
	int rc;

	*n_r = 0;
	if (c->actor->role != ROLE_SUPERUSER)
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("Only a superuser can purge mailboxes."));
	if (cfg->mail_dir == NULL || *cfg->mail_dir == '\0')
		return err_set(err, ERR_INVALID, NULL,
		    _("mail_dir is not set in the configuration."));
	if (stat(cfg->mail_dir, &st) == 0) {
		if (geteuid() != 0 && geteuid() != st.st_uid)
			return err_set(err, ERR_FORBIDDEN, NULL,
			    _("Purge runs as root or as the owner of mail_dir."));
	} else if (errno != ENOENT)
		return err_set(err, ERR_INVALID, NULL, pool_printf(c->pool,
		    "%s: %s", cfg->mail_dir, strerror(errno)));
	if (db_query(c->db, c->pool, SQL_MBOX_PURGE_DUE, p, 1, &res) == -1)
		return err_db(err);
	for (i = 0; i < res->nrows; i++) {
		const struct dbrow *r = &res->rows[i];

		/* id, login, address, domain name, domain id */
		rc = purge_one(c, cfg, dbrow_int(r, 0), dbrow_int(r, 4),
		    dbrow_str(r, 3), dbrow_str(r, 1), dbrow_str(r, 2), &home, err);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			(*n_r)++;
			if (report != NULL)
				report(dbrow_str(r, 1), home, arg);
		}
	}
	return 0;
}

/*
 * The account email: a minimal SMTP client (RFC 5321) for one message to
 * the local Postfix, which delivers or relays it.
 */

struct smtp {
	int	 fd;
	char	 buf[4096];
	size_t	 len;
};

/* smtp_reply - read one (multi-line) reply; its code, or -1 */
static int
smtp_reply(struct smtp *s)
{
	char *line, *nl;
	ssize_t n;

	for (;;) {
		/* a complete final line: "NNN text" */
		line = s->buf;
		while ((nl = memchr(line, '\n', s->len - (size_t)(line - s->buf)))
		    != NULL) {
			if (nl - line >= 3 && isdigit((unsigned char)line[0]) &&
			    isdigit((unsigned char)line[1]) &&
			    isdigit((unsigned char)line[2]) &&
			    (nl - line == 3 || line[3] == ' ' || line[3] == '\r')) {
				int code = (line[0] - '0') * 100 +
				    (line[1] - '0') * 10 + (line[2] - '0');

				s->len = 0;
				return code;
			}
			line = nl + 1;
		}
		if (s->len >= sizeof(s->buf) - 1)
			s->len = 0;	/* an endless reply: keep the tail */
		n = recv(s->fd, s->buf + s->len, sizeof(s->buf) - 1 - s->len, 0);
		if (n <= 0)
			return -1;
		s->len += (size_t)n;
	}
}

/* smtp_send_all - write all of data */
static int
smtp_send_all(struct smtp *s, const char *data, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(s->fd, data, n, MSG_NOSIGNAL)) <= 0)
			return -1;
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

/* smtp_cmd - send a command line, read the reply; 0 if its code is want */
static int
smtp_cmd(struct smtp *s, struct pool *p, int want, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int
smtp_cmd(struct smtp *s, struct pool *p, int want, const char *fmt, ...)
{
	va_list ap;
	char *line;
	int code;

	va_start(ap, fmt);
	line = pool_vprintf(p, fmt, ap);
	va_end(ap);
	if (smtp_send_all(s, line, strlen(line)) == -1 ||
	    smtp_send_all(s, "\r\n", 2) == -1)
		return -1;
	code = smtp_reply(s);
	return code / 100 == want / 100 ? 0 : -1;
}

/* smtp_connect - a TCP connection to host:port with timeouts, or -1 */
static int
smtp_connect(const char *host, unsigned int port)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv = { 10, 0 };
	char ps[16];
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(ps, sizeof(ps), "%u", port);
	if (getaddrinfo(host, ps, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* rfc5322_date - the current time as a Date: header value (C locale) */
static char *
rfc5322_date(struct pool *p)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return pool_printf(p, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* account_text - the message: headers and body, CRLF, dot-stuffed */
static char *
account_text(struct ctx *c, const struct config *cfg,
    const struct mailbox *mb, const char *from, const char *to)
{
	struct buf b, body;
	const char *host = cfg->hostname ? cfg->hostname : "localhost";
	const char *smtp = cfg->smtp_host;
	char id[33];
	const char *l;

	/* the panel reaches Postfix on loopback; users use the server name */
	if (smtp == NULL || strcmp(smtp, "localhost") == 0 ||
	    strncmp(smtp, "127.", 4) == 0 || strcmp(smtp, "::1") == 0)
		smtp = host;
	if (crypto_token(id, 16) == -1)
		snprintf(id, sizeof(id), "%lld", (long long)time(NULL));
	buf_init(&body, c->pool, 1024);
	buf_printf(&body, "%s\n\n", _("Your mail account is ready. Here is what your mail program needs."));
	buf_printf(&body, "%-28s %s\n", _("Login (user name):"), mb->login);
	buf_printf(&body, "%-28s %s\n", _("Email address:"), mb->address);
	if (mb->real_name != NULL && *mb->real_name != '\0')
		buf_printf(&body, "%-28s %s\n", _("Real name:"), mb->real_name);
	if (mb->nextras > 0)
		buf_printf(&body, "%-28s %s\n", _("Additional addresses:"),
		    join(c->pool, mb->extras, mb->nextras, ", "));
	buf_printf(&body, "%-28s %s\n", _("Quota:"), mb->quota == 0 ?
	    _("Unlimited") : valid_size_format(c->pool, (uint64_t)mb->quota));
	buf_printf(&body, "\n%-28s %s, %s %u\n", _("Incoming mail (IMAP):"),
	    host, _("port"), cfg->imap_port);
	buf_printf(&body, "%-28s %s, %s %u\n", _("Incoming mail (POP3):"),
	    host, _("port"), cfg->pop3_port);
	buf_printf(&body, "%-28s %s, %s %u\n", _("Outgoing mail (SMTP):"),
	    smtp, _("port"), cfg->smtp_port);
	buf_printf(&body, "\n%s\n%s\n",
	    _("You can log in with the login or with the email address."),
	    _("The password is never sent by email: ask the person who created this account."));

	buf_init(&b, c->pool, body.len + 512);
	buf_printf(&b, "From: %s\r\nTo: <%s>\r\n", from, to);
	buf_printf(&b, "Subject: %s %s\r\n", "Your mail account", mb->address);
	buf_printf(&b, "Date: %s\r\nMessage-ID: <%s@%s>\r\n",
	    rfc5322_date(c->pool), id, host);
	buf_puts(&b, "MIME-Version: 1.0\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n");
	for (l = body.data; *l != '\0'; ) {
		size_t n = strcspn(l, "\n");

		if (*l == '.')
			buf_putc(&b, '.');
		buf_add(&b, l, n);
		buf_puts(&b, "\r\n");
		l += n;
		if (*l == '\n')
			l++;
	}
	buf_puts(&b, ".\r\n");
	return b.data;
}

/* mailbox_send_account - the account details to one address */
int
mailbox_send_account(struct ctx *c, const struct config *cfg,
    const struct mailbox *mb, const char *to, struct err *err)
{
	struct smtp *s;
	char *rcpt, *from, *msg;
	const char *host = cfg->hostname ? cfg->hostname : "localhost";
	int rc = -1;

	if (valid_email_norm(c->pool, to, &rcpt) != NULL)
		return err_set(err, ERR_INVALID, "send_to",
		    _("This is not a valid email address."));
	if (cfg->smtp_host == NULL || cfg->smtp_port == 0)
		return err_set(err, ERR_INVALID, "send_to",
		    _("No mail server is configured for sending."));
	from = pool_printf(c->pool, "postmaster@%s", mb->domain_name);
	msg = account_text(c, cfg, mb, from, rcpt);
	s = pool_zalloc(c->pool, sizeof(*s));
	if ((s->fd = smtp_connect(cfg->smtp_host, cfg->smtp_port)) == -1) {
		log_warn("account email: connect to %s:%u", cfg->smtp_host,
		    cfg->smtp_port);
		return err_set(err, ERR_INVALID, "send_to", pool_printf(c->pool,
		    _("The account email could not be sent: the mail server %s:%u does not answer."),
		    cfg->smtp_host, cfg->smtp_port));
	}
	if (smtp_reply(s) / 100 == 2 &&
	    smtp_cmd(s, c->pool, 250, "EHLO %s", host) == 0 &&
	    smtp_cmd(s, c->pool, 250, "MAIL FROM:<%s>", from) == 0 &&
	    smtp_cmd(s, c->pool, 250, "RCPT TO:<%s>", rcpt) == 0 &&
	    smtp_cmd(s, c->pool, 354, "DATA") == 0 &&
	    smtp_send_all(s, msg, strlen(msg)) == 0 &&
	    smtp_reply(s) / 100 == 2)
		rc = 0;
	(void)smtp_cmd(s, c->pool, 221, "QUIT");
	close(s->fd);
	if (rc == -1) {
		log_warnx("account email to %s refused by %s:%u", rcpt,
		    cfg->smtp_host, cfg->smtp_port);
		return err_set(err, ERR_INVALID, "send_to",
		    _("The account email could not be sent: the mail server refused it."));
	}
	if (audit_log(c, mb->domain_id, mb->domain_name, mb->login,
	    "mailbox.mail", NULL, pool_printf(c->pool, "to=%s", rcpt)) == -1)
		log_warnx("audit of the account email failed");
	return 0;
}
