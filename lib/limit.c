/*
 * NAME
 *	limit - sizes, counts and quotas for people and the audit log
 *
 * DESCRIPTION
 *	See limit.h.  Memory: the strings come from the caller's pool.
 */
#include <stdint.h>

#include "limit.h"
#include "pool.h"
#include "valid.h"

/* limit_size_str - a size limit for people and the audit log */
const char *
limit_size_str(struct pool *p, int64_t v)
{
	return v < 0 ? "unlimited" : valid_size_format(p, (uint64_t)v);
}

/* limit_count_str - a count limit for the audit log */
const char *
limit_count_str(struct pool *p, int64_t v)
{
	return v < 0 ? "unlimited" : pool_printf(p, "%lld", (long long)v);
}

/* limit_quota_str - a mailbox quota for people and the audit log */
const char *
limit_quota_str(struct pool *p, int64_t q)
{
	return q == 0 ? "unlimited" : valid_size_format(p, (uint64_t)q);
}
