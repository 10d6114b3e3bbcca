/*
 * NAME
 *	limit - sizes, counts, quotas: what "unlimited" is, how it is typed
 *	and how it reads
 *
 * SYNOPSIS
 *	if ((why = limit_parse_quota(form_str(r, "quota"), &in.quota)) != NULL)
 *		form_error(r, "quota", why);
 *	td_str(d, "quota", limit_show_size(r->pool, plan->mail_quota));
 *
 * DESCRIPTION
 *	One representation everywhere: a plan's or a domain's limit is
 *	LIMIT_UNLIMITED (-1) when there is none (SQL NULL in the tables:
 *	dbrow_limit, DB_LIMIT in db.h).  A mailbox quota is QUOTA_UNLIMITED
 *	(0) when there is none, and QUOTA_DEFAULT (-1) in a request means
 *	"the plan's default".  A limited mailbox quota is at least
 *	LIMIT_QUOTA_MIN; no size is more than LIMIT_SIZE_MAX (a typo, not a
 *	plan).
 *
 *	What people type, on every page and in postbusctl: a size is
 *	"500 MB", "3 GB", "3GB" (1024-based, valid_size); a count is a
 *	number; "unlimited" (any case) removes a limit, and so does an empty
 *	field where the form says so (unlimited_ok).  A mailbox quota left
 *	empty (or "default") is the plan's default; "unlimited" is none.
 *	The parsers return NULL, or why not (translated, for the field).
 *
 *	limit_show_* give the words people read ("Unlimited", "3 GB",
 *	translated); limit_*_str the words of the audit log ("unlimited").
 */
#ifndef POSTBUS_LIMIT_H
#define POSTBUS_LIMIT_H

#include <stdint.h>

struct pool;

#define LIMIT_UNLIMITED	(-1)			/* a plan or domain limit */
#define QUOTA_UNLIMITED	0			/* a mailbox quota */
#define QUOTA_DEFAULT	(-1)			/* a request: the plan's */
#define LIMIT_QUOTA_MIN	(1024LL * 1024)		/* 1 MB */
#define LIMIT_SIZE_MAX	(1LL << 50)		/* 1 PB */
#define LIMIT_COUNT_MAX	10000000

/* limit_parse_size - a size limit: bytes, or -1 for "unlimited" (and for
 * an empty field) when unlimited_ok */
const char	*limit_parse_size(const char *s, int unlimited_ok, int64_t *v_r);
/* limit_parse_count - a count limit: the number, or -1 likewise */
const char	*limit_parse_count(const char *s, int unlimited_ok,
		    int64_t *v_r);
/* limit_parse_quota - a mailbox quota: QUOTA_DEFAULT for "" or "default",
 * QUOTA_UNLIMITED for "unlimited", else bytes (limit_check_quota) */
const char	*limit_parse_quota(const char *s, int64_t *q_r);
/* limit_check_quota - a mailbox quota is QUOTA_UNLIMITED or between
 * LIMIT_QUOTA_MIN and LIMIT_SIZE_MAX */
const char	*limit_check_quota(int64_t q);

/* limit_show_size - "Unlimited" (-1) or "3 GB", for people */
const char	*limit_show_size(struct pool *p, int64_t v);
/* limit_show_count - "Unlimited" (-1) or "10", for people */
const char	*limit_show_count(struct pool *p, int64_t v);
/* limit_show_quota - a mailbox quota: "Unlimited" (0) or "3 GB" */
const char	*limit_show_quota(struct pool *p, int64_t q);
/* limit_percent - used of total as 0..100 (0 without a total) */
int		 limit_percent(int64_t used, int64_t total);
/* limit_percent_str - used of total as "0.02" (percent, two decimals) */
const char	*limit_percent_str(struct pool *p, int64_t used, int64_t total);

/* limit_size_str - a size limit: "unlimited" (-1) or "3 GB" (audit) */
const char	*limit_size_str(struct pool *p, int64_t v);
/* limit_count_str - a count limit: "unlimited" (-1) or "10" (audit) */
const char	*limit_count_str(struct pool *p, int64_t v);
/* limit_quota_str - a mailbox quota: "unlimited" (0) or "3 GB" (audit) */
const char	*limit_quota_str(struct pool *p, int64_t q);

#endif
