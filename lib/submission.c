/*
 * NAME
 *	submission - the plan's maximum message size for mail a mailbox sends
 *
 * DESCRIPTION
 *	See submission.h.  The request's strings live in the caller's pool,
 *	which it clears between requests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "pool.h"
#include "submission.h"
#include "valid.h"

/* submission_reset - an empty request */
void
submission_reset(struct submission_req *r)
{
	memset(r, 0, sizeof(*r));
}

/* submission_attr - take one name=value line of a request; the
 * attributes this policy does not use are skipped */
int
submission_attr(struct submission_req *r, struct pool *p, const char *line)
{
	const char *eq = strchr(line, '=');
	size_t n;

	if (eq == NULL || eq == line)
		return -1;
	n = (size_t)(eq - line);
	if (n == 13 && strncmp(line, "sasl_username", n) == 0)
		r->user = *(eq + 1) ? pool_strdup(p, eq + 1) : NULL;
	else if (n == 14 && strncmp(line, "protocol_state", n) == 0)
		r->state = pool_strdup(p, eq + 1);
	else if (n == 4 && strncmp(line, "size", n) == 0) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(eq + 1, &end, 10);
		if (eq[1] == '\0' || *end != '\0' || errno != 0 || v < 0)
			r->bad = 1;
		else
			r->size = v;
	}
	return 0;
}

/* SQL_ADDR_SEND_LIMIT */
enum { SL_MAX_SIZE, SL__MAX };
SQL_COLS_ARE(SQL_ADDR_SEND_LIMIT, SL__MAX);

/* submission_limit - the plan's maximum message size of a live mailbox,
 * by its primary address */
int
submission_limit(struct db *db, struct pool *p, const char *user,
    int64_t *limit_r)
{
	struct dbv k[] = { DB_STR(user) };
	struct dbrow *r;
	int found;

	if ((found = db_row(db, p, SQL_ADDR_SEND_LIMIT, k, 1, &r)) != 1)
		return found;
	*limit_r = dbrow_int(r, SL_MAX_SIZE);
	return 1;
}

/* submission_verdict - the action for one request */
const char *
submission_verdict(struct db *db, struct pool *p,
    const struct submission_req *r)
{
	int64_t limit = 0;
	char user[320];

	if (r->user == NULL)
		return "DUNNO";
	if (r->bad)
		return "501 5.5.4 Bad message size";
	switch (submission_limit(db, p, r->user, &limit)) {
	case -1:
		log_warnx("plan size of %s: lookup failed",
		    log_escape(user, sizeof(user), r->user));
		return "451 4.3.0 Temporary lookup failure, try again later";
	case 0:
		return "DUNNO";
	}
	if (limit > 0 && r->size > limit)
		return pool_printf(p, "552 5.3.4 Message size exceeds the "
		    "maximum of your plan (%s)",
		    valid_size_format(p, (uint64_t)limit));
	return "DUNNO";
}
