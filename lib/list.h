/*
 * NAME
 *	list - the read side: the paginated lists and pickers of the pages
 *
 * SYNOPSIS
 *	struct list_query q = { .search = NULL, .sort = LIST_SORT_LOGIN,
 *	    .limit = 50, .offset = 0 };
 *	if (list_mailbox_page(ctx, domain_id, &q, &pg, &err) == -1)
 *		page_err(...);
 *
 * DESCRIPTION
 *	Every function authorises the actor (authz.h) for what it lists and
 *	reads with as few statements as the actor's role allows; a list never
 *	grows in cost with the number of rows that are not shown.  Searches
 *	are LIKE patterns with their wildcards escaped (db_like_pattern):
 *	what is typed is looked for literally.
 *
 * DIAGNOSTICS
 *	0 and the rows (in ctx->pool), or -1 with err: ERR_FORBIDDEN /
 *	ERR_NOTFOUND for a domain the actor may not see, ERR_DB.
 */
#ifndef POSTBUS_LIST_H
#define POSTBUS_LIST_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct domain;
struct err;
struct mailbox;

enum list_sort {
	LIST_SORT_LOGIN,
	LIST_SORT_ADDRESS,
	LIST_SORT_NAME,
	LIST_SORT_QUOTA,
	LIST_SORT__MAX
};

struct list_query {
	const char	*search;	/* in login, address, real name; NULL all */
	enum list_sort	 sort;
	int		 desc;
	unsigned int	 limit;
	unsigned int	 offset;
};

/* what the plan still allows a domain */
struct list_allowance {
	int64_t		 mailboxes;	/* live mailboxes */
	int64_t		 left;		/* more that may be created, -1 unlimited */
	int64_t		 quota_left;	/* bytes of plan quota not given, -1 unl. */
	int64_t		 default_quota;	/* plan default for a new mailbox */
	int		 allow_unlimited;
};

/* what "Edit Mail Users" shows */
struct list_page {
	struct mailbox	*rows;		/* one page (extras not filled in) */
	size_t		 n;
	int64_t		*forwards;	/* per row: addresses it forwards to */
	int		*reply_on;	/* per row: automatic reply on now */
	int64_t		 total;		/* every match, as list_mailboxes() */
	struct list_allowance allowance;
	int		 can_mail;	/* AUTHZ_MAIL: add, edit, delete */
	int		 can_restore;	/* AUTHZ_ADMIN: restore deleted ones */
};

/* an entry of the domain selector */
struct domain_name {
	int64_t		 id;
	const char	*name;
};

/* list_domains - domains the actor can see, with usage and limits, name
 * or prefix containing search (NULL for all), sorted by name; *total_r
 * counts all matches */
int	list_domains(struct ctx *c, const char *search, unsigned int limit,
	    unsigned int offset, struct domain **v_r, size_t *n_r,
	    int64_t *total_r, struct err *err);
/* list_domain_names - id and name of the domains the actor can see, by
 * name, at most limit; *more_r is set when there are more */
int	list_domain_names(struct ctx *c, unsigned int limit,
	    struct domain_name **v_r, size_t *n_r, int *more_r,
	    struct err *err);
/* list_domain_names_kept - the same, kept in this process and read again
 * only when version (schema/050's, from the session; 0 unknown: always
 * read) has moved since */
int	list_domain_names_kept(struct ctx *c, uint64_t version,
	    unsigned int limit, struct domain_name **v_r, size_t *n_r,
	    int *more_r, struct err *err);
/* list_mailboxes - one page of a domain's live mailboxes; *total_r counts
 * every match: the domain's mailbox counter without a search, a COUNT
 * with one (extras are not filled in) */
int	list_mailboxes(struct ctx *c, int64_t domain_id,
	    const struct list_query *q, struct mailbox **v_r, size_t *n_r,
	    int64_t *total_r, struct err *err);
/* list_mailbox_page - list_mailboxes(), the allowance and the actor's
 * rights on the domain, for "Edit Mail Users": d as domain_get() read
 * it (authorised, with its counters), so one statement more */
int	list_mailbox_page(struct ctx *c, const struct domain *d,
	    const struct list_query *q, struct list_page *pg,
	    struct err *err);
/* list_mailbox_choices - live mailboxes for a picker, by login (at most
 * limit) */
int	list_mailbox_choices(struct ctx *c, int64_t domain_id,
	    unsigned int limit, struct mailbox **v_r, size_t *n_r,
	    struct err *err);
/* list_allowance - what the plan still allows the domain */
int	list_allowance(struct ctx *c, int64_t domain_id,
	    struct list_allowance *a, struct err *err);

#endif
