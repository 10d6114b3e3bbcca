/*
 * NAME
 *	tx - the one way lib/ runs a transaction
 *
 * SYNOPSIS
 *	static int
 *	create_body(struct ctx *c, void *arg, struct err *err)
 *	{
 *		... domain_lock_tx(c, id, &d, err) ... audit_log(...) ...
 *	}
 *	hash = passwd_hash(...);		(before, never inside)
 *	rc = tx_run(c, create_body, &args, err);
 *
 * DESCRIPTION
 *	tx_run() opens a transaction, calls the body, and commits when the
 *	body returns 0 or more; when it returns -1 (err filled) or the commit
 *	fails, the transaction is rolled back, in this one place.  A deadlock
 *	or a lock wait timeout anywhere in the body or the commit runs the
 *	whole body again after a short random back-off, at most TX_TRIES
 *	times, so a body must not keep state from one run to the next (it
 *	may fill its result only on its way to success).
 *
 *	The naming rule: a function whose name ends in _tx expects an open
 *	transaction, run by tx_run(); it never begins, commits or rolls
 *	back, and its locks last until the commit.  Every other lib/
 *	function that writes opens its own (call it outside one).
 *
 *	Slow work never runs inside: password hashes (yescrypt, tens of
 *	milliseconds) and every check that needs no lock are done before
 *	tx_run(), so no row stays locked while the CPU hashes.
 *
 *	The lock order, which every body follows so that two changes never
 *	wait for each other in a circle:
 *
 *	  1. panel_users: the reseller's row (its domain allowance)
 *	  2. plans: the plan row (plan_lock_tx), then its domains
 *	  3. domains: the domain row (domain_lock_tx), the lock that
 *	     serialises every change inside one domain: its counter, mailboxes,
 *	     addresses and aliases
 *	  4. mailboxes, then addresses, aliases and alias_destinations rows
 *	     of that domain (written only under 3)
 *	  5. audit_log (inserts only, last)
 *
 *	A body that needs a lock of a lower number after a higher one has a
 *	bug; two domain rows are never locked in one transaction.
 *
 * DIAGNOSTICS
 *	tx_run returns the body's result (0 or more) once committed, -1 with
 *	err filled otherwise: ERR_DB when the database failed (after the
 *	retries), else what the body said.
 */
#ifndef POSTBUS_TX_H
#define POSTBUS_TX_H

struct ctx;
struct err;

#define TX_TRIES	5	/* runs of a body that keeps meeting deadlocks */

/* a body that checked what it had to and keeps nothing returns this:
 * rolled back, and tx_run returns 0 */
#define TX_ROLLBACK	(-2)

typedef int (*tx_body)(struct ctx *c, void *arg, struct err *err);

int	tx_run(struct ctx *c, tx_body body, void *arg, struct err *err);
/* tx_check - whether a _tx function was called inside a transaction;
 * logs at panic level and fills err (ERR_INTERNAL) when not */
int	tx_check(struct ctx *c, const char *fn, struct err *err);

#endif
