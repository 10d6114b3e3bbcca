/*
 * NAME
 *	user - panel logins: staff and domain owners
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "authz.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "limit.h"
#include "log.h"
#include "passwd.h"
#include "pool.h"
#include "tx.h"
#include "user.h"
#include "valid.h"

/* A hash to verify against when the login does not exist, so that an
 * unknown login costs the same time as a wrong password. */
static const char dummy_hash[] =
    "$y$j9T$n84MOzcgdSKPLjR.4kiXg0$tBhzPLiE6/z/zK/JC7cB.Wloo074DHpsMnkFH1ql0P2";

/* SQL_USER_BY_ID, _BY_LOGIN, _LIST; SQL_USER_AUTH adds the hash */
enum user_col {
	UC_ID,
	UC_LOGIN,
	UC_ROLE,
	UC_ACTIVE,
	UC_MAX_DOMAINS,
	UC_CREATED_BY,
	UC_CREATED_AT,
	UC_LAST_LOGIN,
	UC_PW_HASH,
	UC__MAX
};
SQL_COLS_ARE(SQL_USER_BY_ID, UC_PW_HASH);
SQL_COLS_ARE(SQL_USER_BY_LOGIN, UC_PW_HASH);
SQL_COLS_ARE(SQL_USER_LIST, UC_PW_HASH);
SQL_COLS_ARE(SQL_USER_AUTH, UC__MAX);

/* from_row - a panel_user from SQL_USER_BY_* columns */
static struct panel_user *
from_row(struct pool *p, const struct dbrow *r)
{
	struct panel_user *u = pool_zalloc(p, sizeof(*u));

	/* id, login, role, active, max_domains, created_by, created_at,
	 * last_login */
	u->id = dbrow_int(r, UC_ID);
	u->login = pool_strdup(p, dbrow_str(r, UC_LOGIN));
	u->role = role_parse(dbrow_str(r, UC_ROLE));
	u->active = (int)dbrow_int(r, UC_ACTIVE);
	u->max_domains = dbrow_isnull(r, UC_MAX_DOMAINS) ? -1 : dbrow_int(r, UC_MAX_DOMAINS);
	u->created_by = pool_strdup(p, dbrow_str(r, UC_CREATED_BY));
	u->created_at = pool_strdup(p, dbrow_str(r, UC_CREATED_AT));
	u->last_login = pool_strdup(p, dbrow_str(r, UC_LAST_LOGIN));
	return u;
}

/* fetch - a panel user by statement s and key: 1, 0 (err: not found), -1 */
static int
fetch(struct ctx *c, enum sqlstmt s, struct dbv key, struct panel_user **u_r,
    struct err *err)
{
	struct dbrow *r;

	*u_r = NULL;
	switch (db_row(c->db, c->pool, s, &key, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		err_set(err, ERR_NOTFOUND, NULL, _("No such login."));
		return 0;
	}
	*u_r = from_row(c->pool, r);
	return 1;
}

/* user_get - a panel user by id */
int
user_get(struct ctx *c, int64_t id, struct panel_user **u_r,
    struct err *err)
{
	return fetch(c, SQL_USER_BY_ID, DB_INT(id), u_r, err);
}

/* user_by_login - a panel user by login (as bytes: utf8mb4_bin) */
int
user_by_login(struct ctx *c, const char *login, struct panel_user **u_r,
    struct err *err)
{
	/* the column compares as bytes but pads spaces ("thr1 " would be
	 * "thr1"): a name that is not a valid login names no one */
	if (login == NULL || valid_login(login) != NULL) {
		*u_r = NULL;
		err_set(err, ERR_NOTFOUND, NULL, _("No such login."));
		return 0;
	}
	return fetch(c, SQL_USER_BY_LOGIN, DB_STR(login), u_r, err);
}

/* SQL_THROTTLE_GET */
enum throttle_col {
	TC_FAILURES,
	TC_SINCE,
	TC_LOCKED,
	TC__MAX
};
SQL_COLS_ARE(SQL_THROTTLE_GET, TC__MAX);

/* throttle_check - 0 if key may try now, else -1 with a message */
static int
throttle_check(struct ctx *c, unsigned int slow, const char *key,
    struct err *err)
{
	struct dbv p[] = { DB_STR(key) };
	struct dbrow *r;
	int64_t failures, since, locked, wait;

	switch (db_row(c->db, c->pool, SQL_THROTTLE_GET, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return 0;
	}
	failures = dbrow_int(r, TC_FAILURES);
	since = dbrow_int(r, TC_SINCE);
	locked = dbrow_int(r, TC_LOCKED);
	if (locked > 0)
		return err_set(err, ERR_THROTTLED, NULL, pool_printf(c->pool,
		    _("Too many failed logins: logging in is locked for %lld more minute(s)."),
		    (long long)((locked + 59) / 60)));
	if (failures >= (int64_t)slow) {
		int64_t shift = failures - (int64_t)slow;

		wait = shift >= 6 ? 60 : (int64_t)2 << shift;
		if (wait > 60)
			wait = 60;
		if (since < wait)
			return err_set(err, ERR_THROTTLED, NULL,
			    pool_printf(c->pool, _("Too many failed logins: please wait %lld second(s) before trying again."),
			    (long long)(wait - since)));
	}
	return 0;
}

/* throttle_fail - count an attempt against key; lock it at the limit if
 * lockable (only the pair login+address is: a lock on a login alone would
 * let anyone shut its owner out, one on an address a whole office) */
static int
throttle_fail(struct ctx *c, const struct config *cfg, const char *key,
    int lockable)
{
	struct dbv p[] = { DB_STR(key), DB_INT(cfg->throttle_lock_secs) };
	struct dbv q[] = { DB_STR(key) };
	struct dbv l[] = { DB_INT(cfg->throttle_lock_secs), DB_STR(key) };
	struct dbrow *r;

	if (db_exec(c->db, SQL_THROTTLE_FAIL, p, NPARAMS(p), NULL, NULL) == -1)
		return -1;
	if (!lockable)
		return 0;
	if (db_row(c->db, c->pool, SQL_THROTTLE_GET, q, 1, &r) != 1)
		return -1;
	if (dbrow_int(r, TC_FAILURES) >= (int64_t)cfg->throttle_lock)
		return db_exec(c->db, SQL_THROTTLE_LOCK, l, NPARAMS(l), NULL, NULL);
	return 0;
}

/* refuse_name - a login that is not a valid name: refused before any
 * lookup, counted against the client address only */
static int
refuse_name(struct ctx *c, const struct config *cfg, struct err *err)
{
	char *akey = pool_printf(c->pool, "a:%s", c->actor->client);

	if (throttle_check(c, cfg->throttle_slow_address, akey, err) == -1)
		return -1;
	if (throttle_fail(c, cfg, akey, 0) == -1)
		return db_err(c->db, err);
	log_info("failed login: not a login name");
	return err_set(err, ERR_INVALID, NULL,
	    _("Login failed. Please check your login and password."));
}

/* known_key - the key of a login and client address in login_known */
static char *
known_key(struct ctx *c, const char *login)
{
	unsigned char h[32];
	char *k = pool_alloc(c->pool, 65), *s;

	s = pool_printf(c->pool, "%s|%s", login, c->actor->client);
	crypto_sha256(h, s, strlen(s));
	crypto_hex(k, h, 32);
	return k;
}

/* seconds an attempt waits for the one before it (same login, address) */
#define ATTEMPT_WAIT	10

static int	attempt(struct ctx *, const struct config *, const char *,
		    const char *, char *, struct panel_user **, struct err *);

/* audit_anon - audit a login event on behalf of who tried */
static void
audit_anon(struct ctx *c, const char *login, const char *action,
    const char *value)
{
	struct actor *saved = c->actor, anon = *saved;

	anon.login = login;
	c->actor = &anon;
	(void)audit_log(c, 0, NULL, login, action, NULL, value);
	c->actor = saved;
}

/*
 * auth_login - check login and password, with throttling and audit
 *
 * Three counters: per login ("u:"), per client address ("a:") and per
 * login and address ("p:").  Each slows further attempts down; only the
 * last one locks.  Attempts of one login from one address take turns
 * (a named lock in MariaDB, so across workers and panel hosts sharing
 * the database), so each sees the count its predecessors left: parallel
 * guesses get no free try inside one delay, and parallel logins with the
 * right password are not mistaken for guesses.  The attempt is counted
 * before the password is checked (the other keys are shared with
 * attempts that run at the same time) and a success takes it back.
 */
int
auth_login(struct ctx *c, const struct config *cfg, const char *login,
    const char *password, struct panel_user **user_r, struct err *err)
{
	unsigned char h[32];
	char hex[65], *pkey, *lock;
	struct dbv l[2];
	struct dbrow *r;
	int rc;

	*user_r = NULL;
	if (login == NULL || *login == '\0' || strlen(login) > 64 ||
	    password == NULL || *password == '\0')
		return err_set(err, ERR_INVALID, NULL,
		    _("Please enter your login and password."));
	/* rows past the window say nothing: never kept */
	l[0] = DB_INT(cfg->throttle_lock_secs);
	(void)db_exec(c->db, SQL_THROTTLE_EXPIRE, l, 1, NULL, NULL);
	/* only a valid login is looked up, and only by its bytes: "THR1",
	 * "ｔｈｒ1" or "thŕ1" are not "thr1", and cannot take turns apart from
	 * it (the locks and counters are keyed on the name itself) */
	if (valid_login(login) != NULL)
		return refuse_name(c, cfg, err);
	pkey = pool_printf(c->pool, "p:%.40s|%s", login, c->actor->client);
	/* lock names are at most 64 characters */
	crypto_sha256(h, pkey, strlen(pkey));
	crypto_hex(hex, h, 20);
	lock = pool_printf(c->pool, "postbus.login.%s", hex);
	l[0] = DB_STR(lock);
	l[1] = DB_INT(ATTEMPT_WAIT);
	switch (db_row(c->db, c->pool, SQL_ATTEMPT_LOCK, l, 2, &r)) {
	case -1:
		return db_err(c->db, err);
	case 1:
		if (dbrow_int(r, 0) == 1)
			break;
		/* FALLTHROUGH */
	default:
		return err_set(err, ERR_THROTTLED, NULL,
		    _("Too many login attempts at once: please try again in a moment."));
	}
	rc = attempt(c, cfg, login, password, pkey, user_r, err);
	(void)db_row(c->db, c->pool, SQL_ATTEMPT_UNLOCK, l, 1, &r);
	return rc;
}

/* attempt - one login attempt, the pair's lock held */
static int
attempt(struct ctx *c, const struct config *cfg, const char *login,
    const char *password, char *pkey, struct panel_user **user_r,
    struct err *err)
{
	struct panel_user *u = NULL;
	struct dbv p[1];
	struct dbrow *r;
	char *ukey, *akey, *kkey;
	const char *hash = dummy_hash;
	int rc, ok, known;

	ukey = pool_printf(c->pool, "u:%s", login);
	akey = pool_printf(c->pool, "a:%s", c->actor->client);
	kkey = known_key(c, login);
	p[0] = DB_STR(kkey);
	if ((known = db_row(c->db, c->pool, SQL_KNOWN_GET, p, 1, &r)) == -1)
		return db_err(c->db, err);
	/* failures from elsewhere slow a login down, but never for a client
	 * that logged in with it before: they cannot lock its owner out */
	if (throttle_check(c, cfg->throttle_slow, pkey, err) == -1 ||
	    (!known && throttle_check(c, cfg->throttle_slow, ukey, err) == -1) ||
	    throttle_check(c, cfg->throttle_slow_address, akey, err) == -1) {
		if (err->kind == ERR_THROTTLED)
			audit_anon(c, login, "login.throttled", err->msg);
		return -1;
	}
	if (throttle_fail(c, cfg, pkey, 1) == -1 ||
	    throttle_fail(c, cfg, ukey, 0) == -1 ||
	    throttle_fail(c, cfg, akey, 0) == -1)
		return db_err(c->db, err);
	p[0] = DB_STR(login);
	rc = db_row(c->db, c->pool, SQL_USER_AUTH, p, 1, &r);
	if (rc == -1)
		return db_err(c->db, err);
	if (rc == 1) {
		u = from_row(c->pool, r);
		hash = dbrow_str(r, UC_PW_HASH);
	}
	ok = passwd_verify(password, hash) && u != NULL && u->active &&
	    u->role != ROLE_NONE;
	if (!ok) {
		audit_anon(c, login, "login.fail", NULL);
		log_info("failed login for '%s'", login);
		return err_set(err, ERR_INVALID, NULL,
		    _("Login failed. Please check your login and password."));
	}
	p[0] = DB_STR(ukey);
	(void)db_exec(c->db, SQL_THROTTLE_CLEAR, p, 1, NULL, NULL);
	p[0] = DB_STR(pkey);
	(void)db_exec(c->db, SQL_THROTTLE_CLEAR, p, 1, NULL, NULL);
	p[0] = DB_STR(akey);
	(void)db_exec(c->db, SQL_THROTTLE_UNDO, p, 1, NULL, NULL);
	p[0] = DB_INT(u->id);
	(void)db_exec(c->db, SQL_USER_TOUCH_LOGIN, p, 1, NULL, NULL);
	p[0] = DB_STR(kkey);
	(void)db_exec(c->db, SQL_KNOWN_SET, p, 1, NULL, NULL);
	(void)db_exec(c->db, SQL_KNOWN_EXPIRE, NULL, 0, NULL, NULL);
	{
		struct actor *saved = c->actor, who = *saved;

		who.id = u->id;
		who.login = u->login;
		who.role = u->role;
		c->actor = &who;
		(void)audit_log(c, 0, NULL, u->login, "login", NULL, NULL);
		c->actor = saved;
	}
	*user_r = u;
	return 0;
}

/* may_create_role - whether the actor may create a login with role */
static int
may_create_role(const struct ctx *c, enum role role)
{
	if (c->actor->role == ROLE_SUPERUSER)
		return 1;
	return c->actor->role == ROLE_RESELLER && role == ROLE_OWNER;
}

/* user_check - every check of a new login that needs no lock: the role
 * the actor may create, the login's syntax, the password policy */
int
user_check(struct ctx *c, const char *login, const char *password,
    enum role role, struct err *err)
{
	const char *why;

	if (role == ROLE_NONE || role >= ROLE__MAX)
		err_field(err, "role", _("Unknown role."));
	else if (!may_create_role(c, role))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to create this kind of login."));
	if ((why = valid_login(login)) != NULL)
		err_field(err, "login", why);
	if ((why = passwd_policy(password, login, NULL)) != NULL)
		err_field(err, "password", why);
	return err_fields(err) > 0 ? -1 : 0;
}

/* user_prepare - the checks of a new login that need no lock, and its
 * password's hash (slow: before the transaction) */
int
user_prepare(struct ctx *c, const char *login, const char *password,
    enum role role, char **hash_r, struct err *err)
{
	*hash_r = NULL;
	if (user_check(c, login, password, role, err) == -1)
		return -1;
	if ((*hash_r = passwd_hash(c->pool, password)) == NULL)
		return err_internal(err, "user_prepare: the password could not be hashed");
	return 0;
}

/* user_add_tx - insert a login prepared by user_prepare, with its audit */
int
user_add_tx(struct ctx *c, const char *login, const char *hash,
    enum role role, int64_t max_domains, int64_t *id_r, struct err *err)
{
	struct dbv p[] = { DB_STR(login), DB_STR(hash),
	    DB_STR(role_name(role)),
	    role == ROLE_RESELLER && max_domains >= 0 ?
	    DB_INT(max_domains) : DB_NULL,
	    DB_STR(c->actor->login),
	    c->actor->id > 0 ? DB_INT(c->actor->id) : DB_NULL };
	uint64_t id;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_USER_INSERT, p, NPARAMS(p), NULL, &id) == -1) {
		if (db_errno(c->db) == DB_ER_DUP_ENTRY)
			return err_set(err, ERR_INVALID, "login",
			    _("This login is already taken."));
		return db_err(c->db, err);
	}
	if (audit_log(c, 0, NULL, login, "user.create", NULL,
	    pool_printf(c->pool, "role=%s", role_name(role))) == -1)
		return db_err(c->db, err);
	if (id_r != NULL)
		*id_r = (int64_t)id;
	return 0;
}

/* may_manage - whether the actor may change the login u */
static int
may_manage(const struct ctx *c, const struct panel_user *u)
{
	if (c->actor->role == ROLE_SUPERUSER || c->actor->id == u->id)
		return 1;
	return 0;
}

struct pw_job {
	const struct panel_user	*u;
	const char		*hash;
};

/* password_body - the new hash; the login's sessions end */
static int
password_body(struct ctx *c, void *arg, struct err *err)
{
	struct pw_job *j = arg;
	struct dbv p[] = { DB_STR(j->hash), DB_INT(j->u->id) };
	struct dbv q[] = { DB_INT(j->u->id) };

	if (db_exec(c->db, SQL_USER_SET_PASSWORD, p, 2, NULL, NULL) == -1 ||
	    db_exec(c->db, SQL_SESSION_DELETE_USER, q, 1, NULL, NULL) == -1 ||
	    audit_log(c, 0, NULL, j->u->login, "user.password", NULL,
	    NULL) == -1)
		return db_err(c->db, err);
	return 0;
}

/* delete_body - remove the login, never the last superuser (their rows
 * locked while counted) */
static int
delete_body(struct ctx *c, void *arg, struct err *err)
{
	const struct panel_user *u = arg;
	struct dbv p[] = { DB_INT(u->id) };
	struct dbrow *r;

	if (u->role == ROLE_SUPERUSER) {
		struct dbv q[] = { DB_STR("superuser") };

		if (db_row(c->db, c->pool, SQL_USER_COUNT_ROLE_LOCK, q, 1, &r) != 1)
			return db_err(c->db, err);
		if (dbrow_int(r, 0) <= 1)
			return err_set(err, ERR_INVALID, NULL,
			    _("The last superuser cannot be deleted."));
	}
	if (db_exec(c->db, SQL_USER_DELETE, p, 1, NULL, NULL) == -1) {
		if (db_errno(c->db) == 1451)	/* still referenced */
			return err_set(err, ERR_INVALID, NULL,
			    _("This login still has domains; move them first."));
		return db_err(c->db, err);
	}
	if (audit_log(c, 0, NULL, u->login, "user.delete",
	    pool_printf(c->pool, "role=%s", role_name(u->role)), NULL) == -1)
		return db_err(c->db, err);
	return 0;
}

/* user_delete - remove a panel login (superuser only) */
int
user_delete(struct ctx *c, int64_t id, struct err *err)
{
	struct panel_user *u;

	if (c->actor->role != ROLE_SUPERUSER)
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("Only a superuser can delete logins."));
	if (user_get(c, id, &u, err) != 1)
		return -1;
	return tx_run(c, delete_body, u, err);
}

/* user_list - panel users, for the superuser */
int
user_list(struct ctx *c, unsigned int limit, unsigned int offset,
    struct panel_user **users_r, size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(limit), DB_INT(offset) };
	struct dbres *res;
	struct panel_user *v;
	size_t i;

	*users_r = NULL;
	*n_r = 0;
	if (c->actor->role != ROLE_SUPERUSER)
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("Only a superuser can list logins."));
	if (db_query(c->db, c->pool, SQL_USER_LIST, p, 2, &res) == -1)
		return db_err(c->db, err);
	v = pool_zalloc(c->pool, sizeof(*v) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		v[i] = *from_row(c->pool, &res->rows[i]);
	*users_r = v;
	*n_r = res->nrows;
	return 0;
}

/* user_give_domain_tx - record that user_id manages domain_id */
int
user_give_domain_tx(struct ctx *c, int64_t user_id, int64_t domain_id,
    struct err *err)
{
	struct dbv p[] = { DB_INT(user_id), DB_INT(domain_id) };
	struct panel_user *u;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (authz_domain(c, domain_id, AUTHZ_ADMIN, err) == -1)
		return -1;
	switch (user_get(c, user_id, &u, err)) {
	case -1:
		return -1;
	case 0:
		err->field = "owner";
		return -1;
	}
	if (u->role != ROLE_OWNER && u->role != ROLE_RESELLER)
		return err_set(err, ERR_INVALID, "owner",
		    _("Only domain owners and resellers can be given a domain."));
	if (db_exec(c->db, SQL_USER_DOMAIN_ADD, p, 2, NULL, NULL) == -1)
		return db_err(c->db, err);
	return audit_log(c, domain_id, NULL, u->login, "user.domain", NULL,
	    pool_printf(c->pool, "domain %lld", (long long)domain_id)) == -1 ?
	    db_err(c->db, err) : 0;
}

struct create_job {
	const char	*login;
	const char	*hash;
	enum role	 role;
	int64_t		 max_domains;
	const int64_t	*domains;
	size_t		 ndomains;
	int64_t		 id;
};

/* create_body - the login and the domains it is given */
static int
create_body(struct ctx *c, void *arg, struct err *err)
{
	struct create_job *j = arg;
	size_t i;

	if (user_add_tx(c, j->login, j->hash, j->role, j->max_domains, &j->id,
	    err) == -1)
		return -1;
	for (i = 0; i < j->ndomains; i++)
		if (user_give_domain_tx(c, j->id, j->domains[i], err) == -1)
			return -1;
	return 0;
}

/* user_create - a login with the password typed twice, given the domains
 * listed, in one transaction with its audit entries (the staff page,
 * postbusctl admin add) */
int
user_create(struct ctx *c, const char *login, const char *password,
    const char *password2, enum role role, int64_t max_domains,
    const int64_t *domains, size_t ndomains, int64_t *id_r, struct err *err)
{
	struct create_job j = { login, NULL, role, max_domains, domains,
	    ndomains, 0 };
	char *hash;
	int rc;

	if (password == NULL || *password == '\0')
		err_field(err, "password", _("Please enter a password."));
	else if (password2 == NULL || strcmp(password, password2) != 0)
		err_field(err, "password2",
		    _("The two passwords are not the same."));
	if (login == NULL)
		login = "";
	if (password == NULL)
		password = "";
	if (user_prepare(c, login, password, role, &hash, err) == -1)
		return -1;
	j.hash = hash;
	rc = tx_run(c, create_body, &j, err);
	explicit_bzero(hash, strlen(hash));
	if (rc == 0 && id_r != NULL)
		*id_r = j.id;
	return rc;
}

struct max_job {
	const struct panel_user	*u;
	int64_t			 max_domains;
};

/* max_body - the new allowance and its audit entry */
static int
max_body(struct ctx *c, void *arg, struct err *err)
{
	struct max_job *j = arg;
	struct dbv p[] = { DB_LIMIT(j->max_domains), DB_INT(j->u->id) };

	if (db_exec(c->db, SQL_USER_SET_MAX_DOMAINS, p, 2, NULL, NULL) == -1 ||
	    audit_log(c, 0, NULL, j->u->login, "user.allowance",
	    limit_count_str(c->pool, j->u->max_domains),
	    limit_count_str(c->pool, j->max_domains)) == -1)
		return db_err(c->db, err);
	return 0;
}

struct change_job {
	const struct panel_user	*u;
	const char		*hash;		/* NULL: unchanged */
	int			 set_max;
	int64_t			 max_domains;
};

/* change_body - the password (the login's sessions end), the allowance */
static int
change_body(struct ctx *c, void *arg, struct err *err)
{
	struct change_job *j = arg;

	if (j->hash != NULL) {
		struct pw_job pj = { j->u, j->hash };

		if (password_body(c, &pj, err) == -1)
			return -1;
	}
	if (j->set_max) {
		struct max_job mj = { j->u, j->max_domains };

		if (max_body(c, &mj, err) == -1)
			return -1;
	}
	return 0;
}

/* user_update - what an edit of a login changes, all checked first, in
 * one transaction */
int
user_update(struct ctx *c, int64_t id, const struct user_change *in,
    struct err *err)
{
	struct panel_user *u;
	struct change_job j;
	const char *why, *pw = in->password;
	int rc;

	if (user_get(c, id, &u, err) != 1)
		return -1;
	if (!may_manage(c, u))
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("You are not allowed to change this login."));
	if (in->set_max && c->actor->role != ROLE_SUPERUSER)
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("Only a superuser can change an allowance."));
	memset(&j, 0, sizeof(j));
	j.u = u;
	if (in->set_max && u->role != ROLE_RESELLER)
		err_field(err, "max_domains",
		    _("Only resellers have an allowance."));
	else if (in->set_max && in->max_domains != u->max_domains) {
		j.set_max = 1;
		j.max_domains = in->max_domains;
	}
	if (pw != NULL && *pw != '\0') {
		if ((why = passwd_policy(pw, u->login, NULL)) != NULL)
			err_field(err, "password", why);
		if (in->password2 != NULL && strcmp(pw, in->password2) != 0)
			err_field(err, "password2",
			    _("The two passwords are not the same."));
	}
	if (err_fields(err) > 0)
		return -1;
	if (pw != NULL && *pw != '\0' &&
	    (j.hash = passwd_hash(c->pool, pw)) == NULL)
		return err_internal(err, "user_update: the password could not be hashed");
	if (j.hash == NULL && !j.set_max)
		return 0;
	rc = tx_run(c, change_body, &j, err);
	if (j.hash != NULL)
		explicit_bzero((char *)j.hash, strlen(j.hash));
	return rc;
}

/* user_set_password - change a panel login's password */
int
user_set_password(struct ctx *c, int64_t id, const char *password,
    struct err *err)
{
	struct user_change in = { .password = password ? password : "" };

	if (password == NULL || *password == '\0')
		return err_field(err, "password", _("Please enter a password."));
	return user_update(c, id, &in, err);
}

/* user_set_max_domains - a reseller's allowance, -1 for unlimited
 * (superuser only) */
int
user_set_max_domains(struct ctx *c, int64_t id, int64_t max_domains,
    struct err *err)
{
	struct user_change in = { .set_max = 1, .max_domains = max_domains };

	return user_update(c, id, &in, err);
}
