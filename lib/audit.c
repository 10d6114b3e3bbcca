/*
 * NAME
 *	audit - the record of every change
 */
#include <string.h>

#include "audit.h"
#include "db.h"
#include "pool.h"
#include "postbus.h"

/* audit_log - append one entry for the current actor */
int
audit_log(struct ctx *c, int64_t domain_id, const char *domain_name,
    const char *object, const char *action, const char *old_value,
    const char *new_value)
{
	struct dbv p[] = {
		DB_STR(c->actor->login),
		DB_STR(role_name(c->actor->role)),
		DB_STR(c->actor->client),
		domain_id > 0 ? DB_INT(domain_id) : DB_NULL,
		DB_STR(domain_name),
		DB_STR(object ? object : ""),
		DB_STR(action),
		DB_STR(old_value),
		DB_STR(new_value),
	};

	return db_exec(c->db, SQL_AUDIT_INSERT, p, NPARAMS(p), NULL, NULL);
}

/* audit_diff - "key=old" / "key=new" pairs of what changed */
void
audit_diff(struct buf *o, struct buf *n, const char *key, const char *old,
    const char *new)
{
	if (strcmp(old, new) == 0)
		return;
	buf_printf(o, "%s%s=%s", o->len ? " " : "", key, old);
	buf_printf(n, "%s%s=%s", n->len ? " " : "", key, new);
}
