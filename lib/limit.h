/*
 * NAME
 *	limit - sizes, counts, quotas: what "unlimited" is and how it reads
 *
 * DESCRIPTION
 *	One representation everywhere in lib/: a plan's or a domain's limit is
 *	-1 when unlimited (SQL NULL in the tables: dbrow_limit, DB_LIMIT in
 *	db.h).  A mailbox quota is 0 when unlimited, and -1 in a request
 *	means "the plan's default".  A limited quota is at least
 *	LIMIT_QUOTA_MIN; no size is more than LIMIT_SIZE_MAX (a typo, not a
 *	plan).
 *
 *	The formatters give the words of the audit log ("unlimited",
 *	"3 GB"); pages and the CLI use the same ones.
 */
#ifndef POSTBUS_LIMIT_H
#define POSTBUS_LIMIT_H

#include <stdint.h>

struct pool;

#define LIMIT_QUOTA_MIN	(1024LL * 1024)		/* 1 MB */
#define LIMIT_SIZE_MAX	(1LL << 50)		/* 1 PB */

/* limit_size_str - a size limit: "unlimited" (-1) or "3 GB" */
const char	*limit_size_str(struct pool *p, int64_t v);
/* limit_count_str - a count limit: "unlimited" (-1) or "10" */
const char	*limit_count_str(struct pool *p, int64_t v);
/* limit_quota_str - a mailbox quota: "unlimited" (0) or "3 GB" */
const char	*limit_quota_str(struct pool *p, int64_t q);

#endif
