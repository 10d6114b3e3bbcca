/*
 * NAME
 *	list - the read side: paginated lists and pickers
 *
 * DESCRIPTION
 *	See list.h.  Each list is one statement (two with a count) shaped for
 *	its index; the per-row figures are the counters that schema/005 keeps
 *	on the domain row, so no page costs more with a bigger domain.
 *	Memory: ctx->pool; the domain names kept for the sidebar
 *	(list_domain_names_kept) live in this process until replaced.
 */
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "db.h"
#include "domain.h"
#include "list.h"
#include "mailbox.h"
#include "pool.h"
#include "postbus.h"


/* SQL_LIST_DOMAIN_NAMES_* */
enum dn_col {
	DN_ID,
	DN_NAME,
	DN__MAX
};
SQL_COLS_ARE(SQL_LIST_DOMAIN_NAMES_ALL, DN__MAX);
SQL_COLS_ARE(SQL_LIST_DOMAIN_NAMES_MINE, DN__MAX);
SQL_COLS_ARE(SQL_LIST_DOMAIN_NAMES_GIVEN, DN__MAX);

/* list_domain_names - id and name of the domains the actor can see, for
 * the domain selector: at most limit, by name; *more_r if there are others */
int
list_domain_names(struct ctx *c, unsigned int limit, struct domain_name **v_r,
    size_t *n_r, int *more_r, struct err *err)
{
	enum role r = c->actor->role;
	struct dbv all[] = { DB_INT((int64_t)limit + 1) };
	struct dbv mine[] = { DB_INT(r == ROLE_RESELLER ? c->actor->id : 0),
	    DB_INT(c->actor->id), DB_INT((int64_t)limit + 1) };
	struct dbres *res;
	size_t i;
	int rc;

	*v_r = NULL;
	*n_r = 0;
	*more_r = 0;
	if (r == ROLE_NONE)
		return err_set(err, ERR_FORBIDDEN, NULL, _("Please log in."));
	if (r == ROLE_SUPERUSER || r == ROLE_SUPPORT)
		rc = db_query(c->db, c->pool, SQL_LIST_DOMAIN_NAMES_ALL, all,
		    NPARAMS(all), &res);
	else if (r == ROLE_RESELLER)
		rc = db_query(c->db, c->pool, SQL_LIST_DOMAIN_NAMES_MINE, mine,
		    NPARAMS(mine), &res);
	else
		rc = db_query(c->db, c->pool, SQL_LIST_DOMAIN_NAMES_GIVEN, mine + 1,
		    2, &res);
	if (rc == -1)
		return db_err(c->db, err);
	*more_r = res->nrows > limit;
	*n_r = res->nrows > limit ? limit : res->nrows;
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (*n_r + 1));
	for (i = 0; i < *n_r; i++) {
		(*v_r)[i].id = dbrow_int(&res->rows[i], DN_ID);
		(*v_r)[i].name = pool_strdup(c->pool, dbrow_str(&res->rows[i], DN_NAME));
	}
	return 0;
}

/* The sidebar shows a login's domain names on every page: this process
 * keeps the lists of its last few logins with the version of schema/050
 * they were read at, and reads one again only when the version has moved
 * (a domain made, deleted or given).  Slots are taken round robin. */
#define KEPT_SLOTS	32

static struct kept_names {
	int64_t		 user_id;	/* 0: free */
	enum role	 role;
	unsigned int	 limit;
	uint64_t	 version;
	size_t		 n;
	int		 more;
	struct domain_name *v;		/* malloc'd with the names */
} kept[KEPT_SLOTS];
static unsigned int kept_next;

/* kept_find - the slot of the actor's list read at version, or NULL */
static struct kept_names *
kept_find(const struct actor *a, unsigned int limit, uint64_t version)
{
	size_t i;

	for (i = 0; i < KEPT_SLOTS; i++)
		if (kept[i].user_id == a->id && kept[i].role == a->role &&
		    kept[i].limit == limit && kept[i].version == version)
			return &kept[i];
	return NULL;
}

/* kept_store - keep a copy of a list just read; nothing if out of memory */
static void
kept_store(const struct actor *a, unsigned int limit, uint64_t version,
    const struct domain_name *v, size_t n, int more)
{
	struct kept_names *k = NULL;
	size_t i, size = sizeof(*v) * (n + 1), len;
	char *mem, *p;

	for (i = 0; i < KEPT_SLOTS && k == NULL; i++)
		if (kept[i].user_id == a->id && kept[i].role == a->role &&
		    kept[i].limit == limit)
			k = &kept[i];
	if (k == NULL)
		k = &kept[kept_next++ % KEPT_SLOTS];
	for (i = 0; i < n; i++)
		size += strlen(v[i].name) + 1;
	free(k->v);
	memset(k, 0, sizeof(*k));
	if ((mem = malloc(size)) == NULL)
		return;
	k->v = (struct domain_name *)(void *)mem;
	p = mem + sizeof(*v) * (n + 1);
	for (i = 0; i < n; i++) {
		len = strlen(v[i].name) + 1;
		k->v[i].id = v[i].id;
		k->v[i].name = memcpy(p, v[i].name, len);
		p += len;
	}
	k->user_id = a->id;
	k->role = a->role;
	k->limit = limit;
	k->version = version;
	k->n = n;
	k->more = more;
}

/* list_domain_names_kept - list_domain_names(), from this process's copy
 * while the domain names' version is still version */
int
list_domain_names_kept(struct ctx *c, uint64_t version, unsigned int limit,
    struct domain_name **v_r, size_t *n_r, int *more_r, struct err *err)
{
	const struct kept_names *k;
	size_t i;

	if (version == 0 || c->actor->role == ROLE_NONE)
		return list_domain_names(c, limit, v_r, n_r, more_r, err);
	if ((k = kept_find(c->actor, limit, version)) == NULL) {
		if (list_domain_names(c, limit, v_r, n_r, more_r, err) == -1)
			return -1;
		kept_store(c->actor, limit, version, *v_r, *n_r, *more_r);
		return 0;
	}
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (k->n + 1));
	for (i = 0; i < k->n; i++) {
		(*v_r)[i].id = k->v[i].id;
		(*v_r)[i].name = pool_strdup(c->pool, k->v[i].name);
	}
	*n_r = k->n;
	*more_r = k->more;
	return 0;
}

SQL_COLS_ARE(SQL_LIST_DOMAINS, DC__MAX);

/* list_domains - the domains the actor can see, with usage and limits */
int
list_domains(struct ctx *c, const char *search, unsigned int limit,
    unsigned int offset, struct domain **v_r, size_t *n_r, int64_t *total_r,
    struct err *err)
{
	enum role r = c->actor->role;
	int all = r == ROLE_SUPERUSER || r == ROLE_SUPPORT;
	const char *s = search ? search : "";
	char *pat = db_like_pattern(c->pool, s);
	struct dbv p[] = { DB_INT(all), DB_INT(r == ROLE_RESELLER ?
	    c->actor->id : 0), DB_INT(c->actor->id), DB_STR(s), DB_STR(pat),
	    DB_STR(pat), DB_INT(limit), DB_INT(offset) };
	struct dbres *res;
	struct dbrow *row;
	struct domain *d;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (r == ROLE_NONE)
		return err_set(err, ERR_FORBIDDEN, NULL, _("Please log in."));
	if (db_query(c->db, c->pool, SQL_LIST_DOMAINS, p, 8, &res) == -1)
		return db_err(c->db, err);
	if (total_r != NULL) {
		if (db_row(c->db, c->pool, SQL_LIST_DOMAIN_COUNT, p, 6, &row) != 1)
			return db_err(c->db, err);
		*total_r = dbrow_int(row, 0);
	}
	*v_r = pool_zalloc(c->pool, sizeof(**v_r) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		row = &res->rows[i];
		d = &(*v_r)[i];
		domain_read(c->pool, row, d);
		d->used_mailboxes = dbrow_int(row, DC_MAILBOXES);
		d->used_disk = dbrow_int(row, DC_DISK);
		d->max_mailboxes = dbrow_limit(row, DC_MAX_MAILBOXES);
		d->quota_total = dbrow_limit(row, DC_QUOTA_TOTAL);
	}
	*n_r = res->nrows;
	return 0;
}

/* the rows up to which a page is read without the deferred join */
#define LIST_FIRST_ROWS	200

/* SQL_LIST_MBOX_*; the searches add the number of matches */
enum lm_col {
	LM_ID,
	LM_LOGIN,
	LM_ADDRESS,
	LM_REAL_NAME,
	LM_QUOTA,
	LM_ENABLED,
	LM_LAST_LOGIN,
	LM_BYTES,
	LM_MESSAGES,
	LM_FORWARDS,
	LM_REPLY_ON,
	LM_MATCHES,
	LM__MAX
};
SQL_COLS_ARE(SQL_LIST_MBOX_LOGIN, LM_MATCHES);
SQL_COLS_ARE(SQL_LIST_MBOX_QUOTA_DESC, LM_MATCHES);
SQL_COLS_ARE(SQL_LIST_MBOX_FIRST_LOGIN, LM_MATCHES);
SQL_COLS_ARE(SQL_LIST_MBOX_FIRST_QUOTA_DESC, LM_MATCHES);
SQL_COLS_ARE(SQL_LIST_MBOX_SEARCH_LOGIN, LM__MAX);
SQL_COLS_ARE(SQL_LIST_MBOX_SEARCH_QUOTA_DESC, LM__MAX);

/* list_rows - mailboxes from the list statement's columns; fwd and on,
 * if not NULL, get each row's forward count and reply mark */
static struct mailbox *
list_rows(struct pool *p, const struct dbres *res, int64_t **fwd, int **on)
{
	struct mailbox *v = pool_zalloc(p, sizeof(*v) * (res->nrows + 1));
	size_t i;

	if (fwd != NULL)
		*fwd = pool_zalloc(p, sizeof(**fwd) * (res->nrows + 1));
	if (on != NULL)
		*on = pool_zalloc(p, sizeof(**on) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		const struct dbrow *r = &res->rows[i];

		v[i].id = dbrow_int(r, LM_ID);
		v[i].login = pool_strdup(p, dbrow_str(r, LM_LOGIN));
		v[i].address = pool_strdup(p, dbrow_str(r, LM_ADDRESS));
		v[i].real_name = pool_strdup(p, dbrow_str(r, LM_REAL_NAME));
		v[i].quota = dbrow_int(r, LM_QUOTA);
		v[i].enabled = (int)dbrow_int(r, LM_ENABLED);
		v[i].last_login = pool_strdup(p, dbrow_str(r, LM_LAST_LOGIN));
		v[i].used_bytes = dbrow_int(r, LM_BYTES);
		v[i].used_messages = dbrow_int(r, LM_MESSAGES);
		v[i].deleted_at = "";
		v[i].created_at = "";
		v[i].created_by = "";
		if (fwd != NULL)
			(*fwd)[i] = dbrow_int(r, LM_FORWARDS);
		if (on != NULL)
			(*on)[i] = dbrow_int(r, LM_REPLY_ON) != 0;
	}
	return v;
}

/* SQL_LIST_ALLOWANCE */
enum al_col {
	AL_MAILBOXES,
	AL_QUOTA_SUM,
	AL_TOTAL,
	AL_MAX,
	AL_DEFAULT,
	AL_ALLOW_UNLIMITED,
	AL__MAX
};
SQL_COLS_ARE(SQL_LIST_ALLOWANCE, AL__MAX);

/* allowance_row - the allowance from the domain's counters and plan,
 * for a caller that has authorised the actor already */
static int
allowance_row(struct ctx *c, int64_t domain_id, struct list_allowance *a,
    struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };
	struct dbrow *r;
	int64_t count, sum, total, max;

	memset(a, 0, sizeof(*a));
	switch (db_row(c->db, c->pool, SQL_LIST_ALLOWANCE, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such domain."));
	}
	count = dbrow_int(r, AL_MAILBOXES);
	sum = dbrow_int(r, AL_QUOTA_SUM);
	total = dbrow_isnull(r, AL_TOTAL) ? -1 : dbrow_int(r, AL_TOTAL);
	max = dbrow_isnull(r, AL_MAX) ? -1 : dbrow_int(r, AL_MAX);
	a->mailboxes = count;
	a->left = max < 0 ? -1 : (max > count ? max - count : 0);
	a->quota_left = total < 0 ? -1 : (total > sum ? total - sum : 0);
	a->default_quota = dbrow_int(r, AL_DEFAULT);
	a->allow_unlimited = (int)dbrow_int(r, AL_ALLOW_UNLIMITED);
	return 0;
}

/* allowance_of - the allowance from a domain that domain_get() read */
static void
allowance_of(const struct domain *d, struct list_allowance *a)
{
	memset(a, 0, sizeof(*a));
	a->mailboxes = d->used_mailboxes;
	a->left = d->max_mailboxes < 0 ? -1 : (d->max_mailboxes >
	    d->used_mailboxes ? d->max_mailboxes - d->used_mailboxes : 0);
	a->quota_left = d->quota_total < 0 ? -1 : (d->quota_total >
	    d->quota_sum ? d->quota_total - d->quota_sum : 0);
	a->default_quota = d->default_quota;
	a->allow_unlimited = d->allow_unlimited;
}

/* list_rows_of - one page of live mailboxes, without authorisation (the
 * caller's); *total_r, if asked, counts a search's matches, and is left
 * alone without a search */
static int
list_rows_of(struct ctx *c, int64_t domain_id, const struct list_query *q,
    struct mailbox **v_r, size_t *n_r, int64_t *total_r, int64_t **fwd_r,
    int **on_r, struct err *err)
{
	static const enum sqlstmt list[LIST_SORT__MAX][2] = {
		{ SQL_LIST_MBOX_LOGIN, SQL_LIST_MBOX_LOGIN_DESC },	/* LIST_SORT_LOGIN */
		{ SQL_LIST_MBOX_ADDRESS, SQL_LIST_MBOX_ADDRESS_DESC },	/* LIST_SORT_ADDRESS */
		{ SQL_LIST_MBOX_NAME, SQL_LIST_MBOX_NAME_DESC },	/* LIST_SORT_NAME */
		{ SQL_LIST_MBOX_QUOTA, SQL_LIST_MBOX_QUOTA_DESC },	/* LIST_SORT_QUOTA */
	};
	static const enum sqlstmt first[LIST_SORT__MAX][2] = {
		{ SQL_LIST_MBOX_FIRST_LOGIN, SQL_LIST_MBOX_FIRST_LOGIN_DESC },	/* LIST_SORT_LOGIN */
		{ SQL_LIST_MBOX_FIRST_ADDRESS, SQL_LIST_MBOX_FIRST_ADDRESS_DESC },	/* LIST_SORT_ADDRESS */
		{ SQL_LIST_MBOX_FIRST_NAME, SQL_LIST_MBOX_FIRST_NAME_DESC },	/* LIST_SORT_NAME */
		{ SQL_LIST_MBOX_FIRST_QUOTA, SQL_LIST_MBOX_FIRST_QUOTA_DESC },	/* LIST_SORT_QUOTA */
	};
	static const enum sqlstmt search[LIST_SORT__MAX][2] = {
		{ SQL_LIST_MBOX_SEARCH_LOGIN, SQL_LIST_MBOX_SEARCH_LOGIN_DESC },	/* LIST_SORT_LOGIN */
		{ SQL_LIST_MBOX_SEARCH_ADDRESS, SQL_LIST_MBOX_SEARCH_ADDRESS_DESC },	/* LIST_SORT_ADDRESS */
		{ SQL_LIST_MBOX_SEARCH_NAME, SQL_LIST_MBOX_SEARCH_NAME_DESC },	/* LIST_SORT_NAME */
		{ SQL_LIST_MBOX_SEARCH_QUOTA, SQL_LIST_MBOX_SEARCH_QUOTA_DESC },	/* LIST_SORT_QUOTA */
	};
	enum list_sort sort = q->sort < LIST_SORT__MAX ? q->sort : LIST_SORT_LOGIN;
	int desc = q->desc ? 1 : 0;
	struct dbres *res;
	struct dbrow *row;

	*v_r = NULL;
	*n_r = 0;
	if (q->search == NULL || *q->search == '\0') {
		struct dbv p[] = { DB_INT(domain_id), DB_INT(q->limit),
		    DB_INT(q->offset) };

		/* up to the first few pages, straight from the index */
		enum sqlstmt st = (uint64_t)q->offset + q->limit <= LIST_FIRST_ROWS ?
		    first[sort][desc] : list[sort][desc];

		if (db_query(c->db, c->pool, st, p, NPARAMS(p), &res) == -1)
			return db_err(c->db, err);
	} else {
		char *pat = db_like_pattern(c->pool, q->search);
		struct dbv p[] = { DB_INT(domain_id), DB_STR(pat), DB_STR(pat),
		    DB_STR(pat), DB_INT(q->limit), DB_INT(q->offset) };

		if (db_query(c->db, c->pool, search[sort][desc], p, NPARAMS(p),
		    &res) == -1)
			return db_err(c->db, err);
		/* every row carries the number of matches; a page past the
		 * end has no row to carry it */
		if (total_r != NULL && res->nrows > 0)
			*total_r = dbrow_int(&res->rows[0], LM_MATCHES);
		else if (total_r != NULL && q->offset == 0)
			*total_r = 0;
		else if (total_r != NULL) {
			/* the same first four parameters: domain, patterns */
			if (db_row(c->db, c->pool, SQL_LIST_MBOX_SEARCH_COUNT, p, 4,
			    &row) != 1)
				return db_err(c->db, err);
			*total_r = dbrow_int(row, 0);
		}
	}
	*v_r = list_rows(c->pool, res, fwd_r, on_r);
	*n_r = res->nrows;
	return 0;
}

/* list_mailboxes - one page of live mailboxes */
int
list_mailboxes(struct ctx *c, int64_t domain_id, const struct list_query *q,
    struct mailbox **v_r, size_t *n_r, int64_t *total_r, struct err *err)
{
	struct list_allowance a;

	*v_r = NULL;
	*n_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return -1;
	if (list_rows_of(c, domain_id, q, v_r, n_r, total_r, NULL, NULL,
	    err) == -1)
		return -1;
	/* without a search every live mailbox matches: the domain's counter */
	if (total_r != NULL && (q->search == NULL || *q->search == '\0')) {
		if (allowance_row(c, domain_id, &a, err) == -1)
			return -1;
		*total_r = a.mailboxes;
	}
	return 0;
}

/* rights - whether the actor may manage (AUTHZ_MAIL) and restore
 * (AUTHZ_ADMIN) mailboxes of a domain it may view; -1 if it may not even
 * view it.  authz.h's roles nest: whoever may do ADMIN may do MAIL, and
 * whoever may do MAIL may view; so a superuser or reseller costs one
 * question, an owner two, support staff three. */
static int
rights(struct ctx *c, int64_t domain_id, int *mail_r, int *admin_r,
    struct err *err)
{
	*mail_r = *admin_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_ADMIN, err) == 0) {
		*mail_r = *admin_r = 1;
		return 0;
	}
	if (err->kind != ERR_FORBIDDEN)
		return -1;
	if (authz_domain(c, domain_id, AUTHZ_MAIL, err) == 0) {
		*mail_r = 1;
		return 0;
	}
	if (err->kind != ERR_FORBIDDEN)
		return -1;
	return authz_domain(c, domain_id, AUTHZ_VIEW, err);
}

/* list_mailbox_page - everything "Edit Mail Users" shows */
int
list_mailbox_page(struct ctx *c, const struct domain *d,
    const struct list_query *q, struct list_page *pg, struct err *err)
{
	int64_t domain_id = d->id;

	memset(pg, 0, sizeof(*pg));
	if (rights(c, domain_id, &pg->can_mail, &pg->can_restore, err) == -1)
		return -1;
	/* domain_get read the counters and the plan with the domain */
	if (d->has_usage)
		allowance_of(d, &pg->allowance);
	else if (allowance_row(c, domain_id, &pg->allowance, err) == -1)
		return -1;
	pg->total = pg->allowance.mailboxes;
	return list_rows_of(c, domain_id, q, &pg->rows, &pg->n, &pg->total,
	    &pg->forwards, &pg->reply_on, err);
}

/* SQL_LIST_MBOX_CHOICES */
enum ch_col {
	CH_ID,
	CH_LOGIN,
	CH_ADDRESS,
	CH_NAME,
	CH__MAX
};
SQL_COLS_ARE(SQL_LIST_MBOX_CHOICES, CH__MAX);

/* list_mailbox_choices - live mailboxes for the password page's picker */
int
list_mailbox_choices(struct ctx *c, int64_t domain_id, unsigned int limit,
    struct mailbox **v_r, size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id), DB_INT(limit) };
	struct dbres *res;
	struct mailbox *v;
	size_t i;

	*v_r = NULL;
	*n_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return -1;
	if (db_query(c->db, c->pool, SQL_LIST_MBOX_CHOICES, p, 2, &res) == -1)
		return db_err(c->db, err);
	v = pool_zalloc(c->pool, sizeof(*v) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		v[i].id = dbrow_int(&res->rows[i], CH_ID);
		v[i].login = pool_strdup(c->pool, dbrow_str(&res->rows[i], CH_LOGIN));
		v[i].address = pool_strdup(c->pool, dbrow_str(&res->rows[i], CH_ADDRESS));
		v[i].real_name = pool_strdup(c->pool, dbrow_str(&res->rows[i], CH_NAME));
		v[i].domain_id = domain_id;
	}
	*v_r = v;
	*n_r = res->nrows;
	return 0;
}

/* list_allowance - what the plan still allows the domain */
int
list_allowance(struct ctx *c, int64_t domain_id,
    struct list_allowance *a, struct err *err)
{
	memset(a, 0, sizeof(*a));
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return -1;
	return allowance_row(c, domain_id, a, err);
}
