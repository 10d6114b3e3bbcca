/*
 * NAME
 *	limit - how limits are typed and read
 *
 * DESCRIPTION
 *	See limit.h.  Memory: the strings come from the caller's pool, or are
 *	translated constants.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "limit.h"
#include "pool.h"
#include "postbus.h"
#include "valid.h"

/* blank - NULL, or only spaces */
static int
blank(const char *s)
{
	if (s == NULL)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/* is_word - s is w, ignoring case and surrounding spaces */
static int
is_word(const char *s, const char *w)
{
	size_t n = strlen(w), i = 0;

	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (strncasecmp(s + i, w, n) != 0)
		return 0;
	for (i += n; s[i] == ' ' || s[i] == '\t'; i++)
		;
	return s[i] == '\0';
}

/* limit_parse_size - a size limit as typed */
const char *
limit_parse_size(const char *s, int unlimited_ok, int64_t *v_r)
{
	uint64_t u;
	const char *why;

	*v_r = LIMIT_UNLIMITED;
	if (blank(s) || is_word(s, "unlimited"))
		return unlimited_ok ? NULL :
		    _("Please enter a size such as 500 MB or 3 GB.");
	if ((why = valid_size(s, &u)) != NULL)
		return why;
	if (u > (uint64_t)LIMIT_SIZE_MAX)
		return _("This is not a valid size.");
	*v_r = (int64_t)u;
	return NULL;
}

/* limit_parse_count - a count limit as typed */
const char *
limit_parse_count(const char *s, int unlimited_ok, int64_t *v_r)
{
	uint64_t u;
	const char *why;

	*v_r = LIMIT_UNLIMITED;
	if (blank(s) || is_word(s, "unlimited"))
		return unlimited_ok ? NULL : _("Please enter a number.");
	if ((why = valid_uint(s, 0, LIMIT_COUNT_MAX, &u)) != NULL)
		return why;
	*v_r = (int64_t)u;
	return NULL;
}

/* limit_check_quota - none, or 1 MB at least */
const char *
limit_check_quota(int64_t q)
{
	if (q == QUOTA_UNLIMITED)
		return NULL;
	if (q < LIMIT_QUOTA_MIN)
		return _("A mailbox quota is at least 1 MB.");
	if (q > LIMIT_SIZE_MAX)
		return _("This is not a valid size.");
	return NULL;
}

/* limit_parse_quota - a mailbox quota as typed */
const char *
limit_parse_quota(const char *s, int64_t *q_r)
{
	uint64_t u;
	const char *why;

	*q_r = QUOTA_DEFAULT;
	if (blank(s) || is_word(s, "default"))
		return NULL;
	if (is_word(s, "unlimited")) {
		*q_r = QUOTA_UNLIMITED;
		return NULL;
	}
	if ((why = valid_size(s, &u)) != NULL)
		return why;
	if (u == 0 || u > (uint64_t)LIMIT_SIZE_MAX)
		return _("A mailbox quota is at least 1 MB.");
	if ((why = limit_check_quota((int64_t)u)) != NULL)
		return why;
	*q_r = (int64_t)u;
	return NULL;
}

/* limit_show_size - a size limit for people */
const char *
limit_show_size(struct pool *p, int64_t v)
{
	return v < 0 ? _("Unlimited") : valid_size_format(p, (uint64_t)v);
}

/* limit_show_count - a count limit for people */
const char *
limit_show_count(struct pool *p, int64_t v)
{
	return v < 0 ? _("Unlimited") : pool_printf(p, "%lld", (long long)v);
}

/* limit_show_quota - a mailbox quota for people */
const char *
limit_show_quota(struct pool *p, int64_t q)
{
	return q == QUOTA_UNLIMITED ? _("Unlimited") :
	    valid_size_format(p, (uint64_t)q);
}

/* limit_percent - used of total, 0..100 */
int
limit_percent(int64_t used, int64_t total)
{
	if (total <= 0)
		return 0;
	return used >= total ? 100 : (int)(used * 100 / total);
}

/* limit_percent_str - used of total as a percentage with two decimals
 * ("0.02"), rounded half up; "0.00" without a total */
const char *
limit_percent_str(struct pool *p, int64_t used, int64_t total)
{
	uint64_t u, t, n, h;

	if (total <= 0 || used <= 0)
		return "0.00";
	u = (uint64_t)used;
	t = (uint64_t)total;
	if (u > UINT64_MAX / 10000) {	/* past 1.8 PB: both scaled down */
		u /= 10000;
		t = t / 10000 ? t / 10000 : 1;
	}
	n = u * 10000;			/* hundredths of a percent */
	h = n / t;
	if (n % t >= t - n % t)
		h++;
	return pool_printf(p, "%llu.%02llu", (unsigned long long)(h / 100),
	    (unsigned long long)(h % 100));
}

/* limit_size_str - a size limit for the audit log */
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

/* limit_quota_str - a mailbox quota for the audit log */
const char *
limit_quota_str(struct pool *p, int64_t q)
{
	return q == QUOTA_UNLIMITED ? "unlimited" :
	    valid_size_format(p, (uint64_t)q);
}
