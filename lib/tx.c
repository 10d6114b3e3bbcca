/*
 * NAME
 *	tx - BEGIN, the body, COMMIT; one rollback path; retries
 *
 * DESCRIPTION
 *	See tx.h for the contract, the naming rule and the lock order.
 *	Memory: nothing of its own; the body allocates from ctx->pool.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "authz.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"

/* retryable - whether the failure was a deadlock or a lock wait timeout */
static int
retryable(struct ctx *c, const struct err *err)
{
	unsigned int e = db_errno(c->db);

	return err->kind == ERR_DB && (e == DB_ER_LOCK_DEADLOCK ||
	    e == DB_ER_LOCK_WAIT_TIMEOUT);
}

/* backoff - a short random pause, longer at each attempt */
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

/* once - one run of the body; its result, or -1 rolled back */
static int
once(struct ctx *c, tx_body body, void *arg, struct err *err)
{
	int rc;

	if (db_begin(c->db) == -1)
		return db_err(c->db, err);
	authz_forget(c);
	rc = body(c, arg, err);
	/* what was read inside may have changed with it, or been undone */
	authz_forget(c);
	if (rc < 0) {
		db_rollback(c->db);
		return rc == TX_ROLLBACK ? 0 : -1;
	}
	if (db_commit(c->db) == -1) {
		db_rollback(c->db);
		return db_err(c->db, err);
	}
	return rc;
}

/* tx_run - the body in a transaction, run again after a deadlock */
int
tx_run(struct ctx *c, tx_body body, void *arg, struct err *err)
{
	int attempt, rc;

	if (db_in_transaction(c->db))
		return err_internal(err, "tx_run called inside a transaction");
	for (attempt = 1; ; attempt++) {
		memset(err, 0, sizeof(*err));
		rc = once(c, body, arg, err);
		if (rc >= 0 || attempt >= TX_TRIES || !retryable(c, err))
			return rc;
		backoff(attempt);
	}
}

/* tx_check - a _tx function's guard */
int
tx_check(struct ctx *c, const char *fn, struct err *err)
{
	char what[128];

	if (db_in_transaction(c->db))
		return 0;
	snprintf(what, sizeof(what), "%s called outside a transaction", fn);
	return err_internal(err, what);
}
