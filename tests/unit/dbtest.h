/*
 * NAME
 *	dbtest - a fresh database of the test MariaDB for one unit test binary
 *
 * SYNOPSIS
 *	dbt_open("mailbox");
 *	struct ctx *root = dbt_ctx(ROLE_SUPERUSER, 0, "root");
 *	int64_t d = dbt_domain(root, "monsite.test", "monsite", 2, &owner);
 *	...
 *	return dbt_close();
 *
 * DESCRIPTION
 *	The tests of lib/ modules that speak SQL run against the real test
 *	MariaDB that ./postbus test brings up, never a stand-in.  The runner
 *	names its socket in POSTBUS_TEST_DB_SOCKET (and may give the
 *	database account in POSTBUS_TEST_DB_USER, default root, which the
 *	private MariaDB lets in by socket authentication).  Without it, or
 *	when the server cannot be reached, the binary reports one failed
 *	test and exits 1: it is never skipped.
 *
 *	dbt_open() creates the database pbunit_LABEL_PID and applies
 *	schema/ (from $top_srcdir) with lib/migrate.c, as postbusctl db
 *	migrate does.  dbt_close() drops it when every test passed (it is
 *	kept, and named, when one failed) and returns the exit status.
 *	Contexts act as postbusctl does: a role, a panel_users id (0 for the
 *	CLI's root) and the client "unit".
 */
#ifndef POSTBUS_DBTEST_H
#define POSTBUS_DBTEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "domain.h"
#include "mailbox.h"
#include "migrate.h"
#include "pool.h"
#include "postbus.h"
#include "user.h"
#include "test.h"

/* a password every policy check accepts */
#define DBT_PASSWORD	"Vq7-Lrx2#Tm9pZk"

static struct {
	struct pool	*pool;
	struct config	 cfg;
	struct db	*db;		/* the one the contexts share */
	char		 name[64];
} dbt;

/* dbt_fatal - the database cannot be had: one failed test, exit 1 */
static inline void
dbt_fatal(const char *what)
{
	test_begin(what);
	test_assert(!"the test database is available");
	test_end();
	exit(test_done());
}

/* dbt_config - a configuration that reaches the test MariaDB */
static inline void
dbt_config(struct config *cfg, const char *dbname)
{
	const char *sock = getenv("POSTBUS_TEST_DB_SOCKET");
	const char *user = getenv("POSTBUS_TEST_DB_USER");

	config_defaults(cfg);
	cfg->db_socket = sock;
	cfg->db_name = dbname;
	cfg->db_user = user != NULL && *user != '\0' ? user : "root";
	cfg->db_password = "";
	cfg->hostname = "mail.postbus.test";
	cfg->secret = "00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccddeeff";
	cfg->session_idle = 3600;
	cfg->session_max = 86400;
}

/* dbt_open - a new database with the whole schema */
static inline void
dbt_open(const char *label)
{
	const char *sock = getenv("POSTBUS_TEST_DB_SOCKET");
	const char *top = getenv("top_srcdir");
	struct config admin;
	struct db *adb;
	char err[512], *q, *schema;

	if (sock == NULL || *sock == '\0')
		dbt_fatal("database: POSTBUS_TEST_DB_SOCKET names the test "
		    "MariaDB's socket (./postbus test sets it)");
	dbt.pool = pool_new(64 * 1024);
	snprintf(dbt.name, sizeof(dbt.name), "pbunit_%s_%ld", label,
	    (long)getpid());
	dbt_config(&admin, NULL);
	adb = db_new(&admin);
	q = pool_printf(dbt.pool, "DROP DATABASE IF EXISTS `%s`;\n"
	    "CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE "
	    "utf8mb4_unicode_ci", dbt.name, dbt.name);
	if (db_run_script(adb, q, strlen(q), err, sizeof(err)) == -1) {
		fprintf(stderr, "  %s: %s\n", sock, err);
		dbt_fatal("database: the test MariaDB answers and a database "
		    "can be created");
	}
	db_free(&adb);
	dbt_config(&dbt.cfg, dbt.name);
	dbt.db = db_new(&dbt.cfg);
	if (db_connect(dbt.db) == -1)
		dbt_fatal("database: connect to the new database");
	schema = pool_printf(dbt.pool, "%s/schema", top ? top : ".");
	test_begin("database: schema/ applied by migrate_run");
	test_assert(migrate_run(dbt.db, dbt.pool, schema, NULL, err,
	    sizeof(err)) > 0);
	if (test_cur_failed) {
		fprintf(stderr, "  %s: %s\n", schema, err);
		test_end();
		exit(test_done());
	}
	test_end();
}

/* dbt_close - drop the database if every test passed; exit status */
static inline int
dbt_close(void)
{
	struct config admin;
	struct db *adb;
	char err[512], *q;

	db_free(&dbt.db);
	if (test_fail > 0) {
		fprintf(stderr, "# database %s kept for a look\n", dbt.name);
		return test_done();
	}
	dbt_config(&admin, NULL);
	adb = db_new(&admin);
	q = pool_printf(dbt.pool, "DROP DATABASE `%s`", dbt.name);
	if (db_run_script(adb, q, strlen(q), err, sizeof(err)) == -1)
		fprintf(stderr, "# drop %s: %s\n", dbt.name, err);
	db_free(&adb);
	pool_free(&dbt.pool);
	return test_done();
}

/* dbt_ctx_on - a context for an actor on connection db */
static inline struct ctx *
dbt_ctx_on(struct db *db, enum role role, int64_t id, const char *login)
{
	struct ctx *c = pool_zalloc(dbt.pool, sizeof(*c));
	struct actor *a = pool_zalloc(dbt.pool, sizeof(*a));

	a->id = id;
	a->login = pool_strdup(dbt.pool, login);
	a->role = role;
	a->client = "unit";
	c->pool = dbt.pool;
	c->db = db;
	c->actor = a;
	return c;
}

/* dbt_ctx - a context for an actor on the shared connection */
static inline struct ctx *
dbt_ctx(enum role role, int64_t id, const char *login)
{
	return dbt_ctx_on(dbt.db, role, id, login);
}

/* dbt_root - the superuser of the command line */
static inline struct ctx *
dbt_root(void)
{
	return dbt_ctx(ROLE_SUPERUSER, 0, "root");
}

/* dbt_as - a context acting as the panel login made by dbt_user */
static inline struct ctx *
dbt_as(int64_t id)
{
	struct panel_user *u;
	struct err err = { 0 };

	if (user_get(dbt_root(), id, &u, &err) != 1) {
		fprintf(stderr, "  dbt_as %lld: %s\n", (long long)id,
		    err.msg ? err.msg : "not found");
		exit(test_done() + 1);
	}
	return dbt_ctx(u->role, u->id, u->login);
}

/* dbt_user - a panel login (staff, or an owner of the given domains) */
static inline int64_t
dbt_user(const char *login, enum role role, int64_t max_domains,
    const int64_t *domains, size_t ndomains)
{
	struct err err = { 0 };
	int64_t id = 0;

	if (user_create(dbt_root(), login, DBT_PASSWORD, DBT_PASSWORD, role,
	    max_domains, domains, ndomains, &id, &err) == -1) {
		fprintf(stderr, "  dbt_user %s: %s: %s\n", login,
		    err.field ? err.field : "-", err.msg ? err.msg : "?");
		exit(test_done() + 1);
	}
	return id;
}

/* dbt_domain_as - a domain made by c, with a new owner login (prefix as
 * its login) or none when owner_id is given; its id */
static inline int64_t
dbt_domain_as(struct ctx *c, const char *name, const char *prefix,
    int64_t plan_id, int64_t owner_id)
{
	struct domain_input in;
	struct err err = { 0 };
	int64_t id = 0;

	memset(&in, 0, sizeof(in));
	in.name = name;
	in.prefix = prefix;
	in.plan_id = plan_id;
	in.contact_email = "contact@elsewhere.example";
	in.owner_id = owner_id;
	in.owner_login = owner_id ? NULL : prefix;
	in.owner_password = DBT_PASSWORD;
	in.owner_password2 = DBT_PASSWORD;
	if (domain_create(c, &dbt.cfg, &in, &id, &err) == -1) {
		fprintf(stderr, "  dbt_domain %s: %s: %s\n", name,
		    err.field ? err.field : "-", err.msg ? err.msg : "?");
		exit(test_done() + 1);
	}
	return id;
}

/* dbt_domain - the same, made by root */
static inline int64_t
dbt_domain(const char *name, const char *prefix, int64_t plan_id)
{
	return dbt_domain_as(dbt_root(), name, prefix, plan_id, 0);
}

/* dbt_owner - the id of a domain's owner login */
static inline int64_t
dbt_owner(const char *login)
{
	struct panel_user *u;
	struct err err = { 0 };

	if (user_by_login(dbt_root(), login, &u, &err) != 1) {
		fprintf(stderr, "  dbt_owner %s: not found\n", login);
		exit(test_done() + 1);
	}
	return u->id;
}

/* dbt_mailbox - a mailbox made by c in domain_id (read again as root),
 * with the usual password, a real name and quota (QUOTA_DEFAULT: the
 * plan's); mailbox_create's result, err cleared first */
static inline int
dbt_mailbox(struct ctx *c, int64_t domain_id, const char *local,
    int64_t quota, const char *extras, struct mailbox **mb_r,
    struct err *err)
{
	struct domain *d;
	struct mailbox_input in;

	memset(err, 0, sizeof(*err));
	if (domain_get(dbt_root(), domain_id, &d, err) != 1) {
		fprintf(stderr, "  dbt_mailbox: domain %lld not found\n",
		    (long long)domain_id);
		exit(test_done() + 1);
	}
	memset(&in, 0, sizeof(in));
	in.set = MB_SET_ALL;
	in.local = local;
	in.real_name = "Test Person";
	in.password = DBT_PASSWORD;
	in.password2 = DBT_PASSWORD;
	in.quota = quota;
	in.extras = extras;
	in.enabled = 1;
	return mailbox_create(c, d, &in, mb_r, err);
}

/* dbt_unreachable - a connection to a database that is not there (a
 * socket nobody listens on): every statement fails */
static inline struct db *
dbt_unreachable(void)
{
	struct config *cfg = pool_zalloc(dbt.pool, sizeof(*cfg));

	dbt_config(cfg, dbt.name);
	cfg->db_socket = pool_printf(dbt.pool, "/nonexistent/pbunit-%ld.sock",
	    (long)getpid());
	return db_new(cfg);
}

/* dbt_clear - err emptied for the next call (a lib/ call adds its field
 * errors to what err holds, and a write refuses while it holds some) */
static inline struct err *
dbt_clear(struct err *err)
{
	memset(err, 0, sizeof(*err));
	return err;
}

/* dbt_check_err - err is of kind k on field f (NULL: none) with a text */
#define dbt_check_err(e, k, f)	dbt_check_err_(&(e), (k), (f), __FILE__, __LINE__)
static inline void
dbt_check_err_(const struct err *e, enum err_kind k, const char *f,
    const char *file, int line)
{
	int bad = e->kind != k || e->msg == NULL || *e->msg == '\0' ||
	    (f == NULL ? e->field != NULL :
	    e->field == NULL || strcmp(e->field, f) != 0);

	if (!bad)
		return;
	test_cur_failed = 1;
	fprintf(stderr, "  %s:%d: %s: want kind %d on %s, got kind %d on "
	    "%s: %s\n", file, line, test_cur, (int)k, f ? f : "-",
	    (int)e->kind, e->field ? e->field : "-", e->msg ? e->msg : "-");
}

#endif
