/*
 * test_tx - the transaction contract of tx.h against the test MariaDB:
 * a body's writes are committed whole or not at all through the one
 * rollback path; TX_ROLLBACK keeps nothing and is no error; a deadlock
 * runs the body again and both sides end committed; a lock wait that
 * keeps timing out gives up after TX_TRIES runs as a database error;
 * nesting and a _tx function outside a transaction are internal errors;
 * a database that is not there is ERR_DB, never success.
 */
#include <pthread.h>

#include "dbtest.h"
#include "plan.h"
#include "tx.h"

/* a body that adds a support login, then ends as told */
struct add_job {
	const char	*login;
	const char	*hash;
	int		 end;		/* 0 commit, -1 error, TX_ROLLBACK */
	int		 runs;
};

static int
add_body(struct ctx *c, void *arg, struct err *err)
{
	struct add_job *j = arg;
	int64_t id;

	j->runs++;
	if (user_add_tx(c, j->login, j->hash, ROLE_SUPPORT, -1, &id, err) == -1)
		return -1;
	if (j->end == -1)
		return err_set(err, ERR_INVALID, "login", "refused after the write");
	return j->end;
}

/* exists - whether a login is in panel_users (a failed lookup fails) */
static int
exists(const char *login)
{
	struct panel_user *u;
	struct err err = { 0 };
	int rc = user_by_login(dbt_root(), login, &u, dbt_clear(&err));

	test_assert(rc != -1);
	return rc == 1;
}

static char *
hash_for(const char *login)
{
	struct err err = { 0 };
	char *hash = NULL;

	test_assert(user_prepare(dbt_root(), login, DBT_PASSWORD, ROLE_SUPPORT,
	    &hash, dbt_clear(&err)) == 0);
	return hash;
}

static void
test_commit_and_rollback(void)
{
	struct err err = { 0 };

	test_begin("tx_run: a body that returns 0 is committed");
	{
		struct add_job j = { "txkept", hash_for("txkept"), 0, 0 };

		test_assert(tx_run(dbt_root(), add_body, &j,
		    dbt_clear(&err)) == 0);
		test_assert(j.runs == 1);
		test_assert(exists("txkept"));
		test_assert(!db_in_transaction(dbt.db));
	}
	test_end();

	test_begin("tx_run: a body's error rolls back what it wrote, err as "
	    "the body said");
	{
		struct add_job j = { "txundone", hash_for("txundone"), -1, 0 };

		memset(&err, 0, sizeof(err));
		test_assert(tx_run(dbt_root(), add_body, &j,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "login");
		test_assert(j.runs == 1);	/* not a database error: no retry */
		test_assert(!exists("txundone"));
		test_assert(!db_in_transaction(dbt.db));
	}
	test_end();

	test_begin("tx_run: TX_ROLLBACK keeps nothing and is not an error");
	{
		struct add_job j = { "txchecked", hash_for("txchecked"),
		    TX_ROLLBACK, 0 };

		memset(&err, 0, sizeof(err));
		test_assert(tx_run(dbt_root(), add_body, &j,
		    dbt_clear(&err)) == 0);
		test_assert(err.kind == ERR_NONE);
		test_assert(!exists("txchecked"));
	}
	test_end();

	test_begin("tx_run: a duplicate found inside is the body's field "
	    "error, and the first row stays");
	{
		struct add_job j = { "txkept", hash_for("txkept"), 0, 0 };

		memset(&err, 0, sizeof(err));
		test_assert(tx_run(dbt_root(), add_body, &j,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "login");
		test_assert(exists("txkept"));
	}
	test_end();
}

static int
nested_body(struct ctx *c, void *arg, struct err *err)
{
	struct add_job *j = arg;

	return tx_run(c, add_body, j, err);
}

static void
test_misuse(void)
{
	struct err err = { 0 };
	struct plan *pl;

	test_begin("tx_run inside a transaction is an internal error, and "
	    "nothing of it stays");
	{
		struct add_job j = { "txnested", hash_for("txnested"), 0, 0 };

		test_assert(tx_run(dbt_root(), nested_body, &j,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INTERNAL, NULL);
		test_assert(j.runs == 0);
		test_assert(!exists("txnested"));
		test_assert(!db_in_transaction(dbt.db));
	}
	test_end();

	test_begin("a _tx function outside a transaction is an internal "
	    "error (tx_check), not a lock taken by accident");
	memset(&err, 0, sizeof(err));
	test_assert(plan_lock_tx(dbt_root(), 1, &pl, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INTERNAL, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(user_add_tx(dbt_root(), "txoutside", "x", ROLE_SUPPORT, -1,
	    NULL, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INTERNAL, NULL);
	test_assert(!exists("txoutside"));
	test_end();

	test_begin("tx_run on a database that is not there: ERR_DB, the "
	    "body never runs");
	{
		struct db *down = dbt_unreachable();
		struct add_job j = { "txdown", "x", 0, 0 };

		memset(&err, 0, sizeof(err));
		test_assert(tx_run(dbt_ctx_on(down, ROLE_SUPERUSER, 0, "root"),
		    add_body, &j, dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_DB, NULL);
		test_assert(j.runs == 0);
		db_free(&down);
	}
	test_end();
}

/*
 * Two transactions lock plans 1 and 2 in opposite orders; each waits at
 * the barrier holding its first lock, so one of them is chosen as the
 * deadlock's victim, rolled back by MariaDB, and run again by tx_run.
 */
struct side {
	int64_t			 first, second;
	pthread_barrier_t	*bar;
	struct db		*db;
	struct pool		*pool;
	int			 runs;
	int			 rc;
	struct err		 err;
};

static int
cross_body(struct ctx *c, void *arg, struct err *err)
{
	struct side *s = arg;
	struct plan *pl;

	s->runs++;
	if (plan_lock_tx(c, s->first, &pl, err) == -1)
		return -1;
	if (s->runs == 1)
		pthread_barrier_wait(s->bar);
	if (plan_lock_tx(c, s->second, &pl, err) == -1)
		return -1;
	return 0;
}

static void *
cross_thread(void *arg)
{
	struct side *s = arg;
	struct actor a = { 0, "root", ROLE_SUPERUSER, "unit" };
	struct ctx c;

	memset(&c, 0, sizeof(c));
	c.pool = s->pool;
	c.db = s->db;
	c.actor = &a;
	s->rc = tx_run(&c, cross_body, s, &s->err);
	return NULL;
}

static void
test_deadlock(void)
{
	pthread_barrier_t bar;
	pthread_t t[2];
	struct side s[2];
	int i;

	test_begin("a deadlock runs the victim's body again: both commit, "
	    "three runs in all");
	pthread_barrier_init(&bar, NULL, 2);
	memset(s, 0, sizeof(s));
	for (i = 0; i < 2; i++) {
		s[i].first = i == 0 ? 1 : 2;
		s[i].second = i == 0 ? 2 : 1;
		s[i].bar = &bar;
		s[i].db = db_new(&dbt.cfg);
		s[i].pool = pool_new(16 * 1024);
		test_assert(db_connect(s[i].db) == 0);
	}
	for (i = 0; i < 2; i++)
		test_assert(pthread_create(&t[i], NULL, cross_thread, &s[i]) == 0);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 2; i++) {
		test_assert(s[i].rc == 0);
		if (s[i].rc != 0)
			fprintf(stderr, "  side %d: %s\n", i, s[i].err.msg ?
			    s[i].err.msg : "-");
		test_assert(!db_in_transaction(s[i].db));
		db_free(&s[i].db);
		pool_free(&s[i].pool);
	}
	test_assert(s[0].runs + s[1].runs == 3);
	test_assert(s[0].runs == 2 || s[1].runs == 2);
	pthread_barrier_destroy(&bar);
	test_end();
}

static int
wait_body(struct ctx *c, void *arg, struct err *err)
{
	int *runs = arg;
	struct plan *pl;

	(*runs)++;
	return plan_lock_tx(c, 3, &pl, err);
}

static int
hold_body(struct ctx *c, void *arg, struct err *err)
{
	struct plan *pl;

	(void)arg;
	return plan_lock_tx(c, 3, &pl, err);
}

static void
test_lock_wait(void)
{
	struct db *holder = db_new(&dbt.cfg), *waiter = db_new(&dbt.cfg);
	struct ctx *h = dbt_ctx_on(holder, ROLE_SUPERUSER, 0, "root");
	struct ctx *w = dbt_ctx_on(waiter, ROLE_SUPERUSER, 0, "root");
	static const char set[] = "SET SESSION innodb_lock_wait_timeout = 0";
	struct err err = { 0 };
	char ebuf[256];
	int runs = 0;

	test_begin("a lock wait that keeps timing out: TX_TRIES runs, then "
	    "ERR_DB, rolled back");
	test_assert(db_connect(holder) == 0 && db_connect(waiter) == 0);
	test_assert(db_run_script(waiter, set, sizeof(set) - 1, ebuf,
	    sizeof(ebuf)) == 0);
	/* the holder keeps plan 3 locked: an open transaction of its own */
	test_assert(db_begin(holder) == 0);
	test_assert(hold_body(h, NULL, dbt_clear(&err)) == 0);
	test_assert(tx_run(w, wait_body, &runs, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	test_assert(db_errno(waiter) == DB_ER_LOCK_WAIT_TIMEOUT);
	test_assert(runs == TX_TRIES);
	test_assert(!db_in_transaction(waiter));
	db_rollback(holder);
	test_end();

	test_begin("once the lock is free, the same body commits at once");
	runs = 0;
	memset(&err, 0, sizeof(err));
	test_assert(tx_run(w, wait_body, &runs, dbt_clear(&err)) == 0);
	test_assert(runs == 1);
	test_end();
	db_free(&holder);
	db_free(&waiter);
}

int
main(void)
{
	dbt_open("tx");
	test_commit_and_rollback();
	test_misuse();
	test_deadlock();
	test_lock_wait();
	return dbt_close();
}
