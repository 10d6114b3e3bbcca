/*
 * NAME
 *	alias - every alias: role aliases, the list, add, edit, delete
 *
 * DESCRIPTION
 *	See alias.h.  Memory: ctx->pool.
 */
#include <string.h>

#include "address.h"
#include "alias.h"
#include "audit.h"
#include "authz.h"
#include "db.h"
#include "domain.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"
#include "valid.h"
#include "vacation.h"

/* the role aliases every new domain gets (seed 000 §10) */
static const char *const role_aliases[] = {
	"abuse", "hostmaster", "postmaster", "webmaster", NULL
};

/* alias_is_role - address is abuse@domain, postmaster@domain, ... */
int
alias_is_role(const char *address, const char *domain)
{
	size_t i, n;

	for (i = 0; role_aliases[i] != NULL; i++) {
		n = strlen(role_aliases[i]);
		if (strncmp(address, role_aliases[i], n) == 0 &&
		    address[n] == '@' && strcmp(address + n + 1, domain) == 0)
			return 1;
	}
	return 0;
}

/* alias_add_roles_tx - abuse@, hostmaster@, ... pointing at contact */
int
alias_add_roles_tx(struct ctx *c, int64_t domain_id, const char *domain,
    const char *contact, struct err *err)
{
	uint64_t aid;
	char *addr = NULL;
	size_t i;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	for (i = 0; role_aliases[i] != NULL; i++) {
		addr = pool_printf(c->pool, "%s@%s", role_aliases[i], domain);
		{
			struct dbv a[] = { DB_INT(domain_id), DB_STR(addr),
			    DB_STR(c->actor->login) };

			if (db_exec(c->db, SQL_ALIAS_ROLE_INSERT, a, 3, NULL,
			    &aid) == -1)
				goto fail;
		}
		{
			struct dbv d[] = { DB_INT(aid), DB_STR(contact) };
			struct dbv x[] = { DB_STR(addr), DB_INT(domain_id),
			    DB_INT(aid) };

			if (db_exec(c->db, SQL_ALIAS_DEST_INSERT, d, 2, NULL,
			    NULL) == -1 ||
			    db_exec(c->db, SQL_ALIAS_ADDR_INSERT, x, 3, NULL,
			    NULL) == -1)
				goto fail;
		}
	}
	return 0;
fail:
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		return err_set(err, ERR_INVALID, "name", pool_printf(c->pool,
		    _("The address %s is already in use on this server."), addr));
	return db_err(c->db, err);
}

/* alias_move_roles_tx - a new contact address for the role aliases */
int
alias_move_roles_tx(struct ctx *c, int64_t domain_id, const char *old,
    const char *new, struct err *err)
{
	struct dbv p[] = { DB_STR(new), DB_INT(domain_id), DB_STR(old) };

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (strcmp(old, new) == 0)
		return 0;
	if (db_exec(c->db, SQL_ALIAS_ROLE_DEST_MOVE, p, 3, NULL, NULL) == -1)
		return db_err(c->db, err);
	/* the automatic replies of the domain list its aliases */
	return vacation_refresh_domain_tx(c, domain_id, err);
}

/* alias_delete_domain_tx - a deleted domain's aliases */
int
alias_delete_domain_tx(struct ctx *c, int64_t domain_id, struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_ALIAS_DELETE_DOMAIN, p, 1, NULL, NULL) == -1)
		return db_err(c->db, err);
	return 0;
}

/* Every alias ----------------------------------------------------------- */

/* names of enum alias_kind, as in aliases.kind */
static const char *const kind_names[ALIAS_KIND__MAX] = {
	"normal",	/* ALIAS_NORMAL */
	"catchall",	/* ALIAS_CATCHALL */
	"bounce",	/* ALIAS_BOUNCE */
	"everyone",	/* ALIAS_EVERYONE */
};

/* ALIAS_COLS */
enum alias_col {
	AC_ID,
	AC_DOMAIN_ID,
	AC_DOMAIN_NAME,
	AC_ADDRESS,
	AC_KIND,
	AC_ROLE,
	AC_CREATED_BY,
	AC_CREATED_AT,
	AC__MAX
};
SQL_COLS_ARE(SQL_ALIAS_GET, AC__MAX);
SQL_COLS_ARE(SQL_ALIAS_BY_ADDRESS, AC__MAX);

/* SQL_ALIAS_DESTS_OF */
enum alias_dest_col {
	AD_TEXT,
	AD_DELETED,
	AD__MAX
};
SQL_COLS_ARE(SQL_ALIAS_DESTS_OF, AD__MAX);

/* SQL_ALIAS_LIST, SQL_ALIAS_SEARCH */
enum alias_list_col {
	AL_ID,
	AL_ADDRESS,
	AL_KIND,
	AL_ROLE,
	AL_DESTS,
	AL_MATCHES,
	AL__MAX
};
SQL_COLS_ARE(SQL_ALIAS_LIST, AL__MAX);
SQL_COLS_ARE(SQL_ALIAS_SEARCH, AL__MAX);
SQL_COLS_ARE(SQL_ALIAS_SEARCH_COUNT, 1);

/* SQL_ALIAS_ALLOWANCE */
enum alias_allow_col {
	AW_COUNT,
	AW_ROLES,
	AW_MAX_ALIASES,
	AW_MAX_REMOTE,
	AW_MAX_MAILBOXES,
	AW__MAX
};
SQL_COLS_ARE(SQL_ALIAS_ALLOWANCE, AW__MAX);

struct allowance {
	int64_t		 count;
	int64_t		 roles;
	int64_t		 max;
	int64_t		 max_remote;
	int64_t		 max_mailboxes;
};

/* alias_kind_name - the kind as stored */
const char *
alias_kind_name(enum alias_kind k)
{
	return k < ALIAS_KIND__MAX ? kind_names[k] : "normal";
}

/* kind_of - the stored kind as enum alias_kind */
static enum alias_kind
kind_of(const char *s)
{
	size_t i;

	for (i = 0; i < ALIAS_KIND__MAX; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (enum alias_kind)i;
	return ALIAS_NORMAL;
}

/* name_of - the part of an alias address before the @ ("" catch-all) */
static const char *
name_of(struct pool *p, const char *address)
{
	const char *at = strrchr(address, '@');

	return at == NULL ? pool_strdup(p, address) :
	    pool_strndup(p, address, (size_t)(at - address));
}

/* allowance_of - the domain's aliases and what its plan allows */
static int
allowance_of(struct ctx *c, int64_t domain_id, struct allowance *a,
    struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };
	struct dbrow *r;

	switch (db_row(c->db, c->pool, SQL_ALIAS_ALLOWANCE, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such virtual server."));
	}
	a->count = dbrow_int(r, AW_COUNT);
	a->roles = dbrow_int(r, AW_ROLES);
	a->max = dbrow_limit(r, AW_MAX_ALIASES);
	a->max_remote = dbrow_limit(r, AW_MAX_REMOTE);
	a->max_mailboxes = dbrow_limit(r, AW_MAX_MAILBOXES);
	return 0;
}

/* list_dests - "0dest\n1dest" (GROUP_CONCAT) as destinations */
static void
list_dests(struct pool *p, const char *s, struct alias *a)
{
	char *copy, *line, *save;
	size_t n = 1;
	const char *q;

	a->dests = NULL;
	a->ndests = 0;
	if (s == NULL || *s == '\0')
		return;
	for (q = s; *q != '\0'; q++)
		n += *q == '\n';
	a->dests = pool_zalloc(p, sizeof(*a->dests) * (n + 1));
	copy = pool_strdup(p, s);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line == '\0')
			continue;
		a->dests[a->ndests].deleted = line[0] == '1';
		a->dests[a->ndests].text = line + 1;
		a->ndests++;
	}
}

/* alias_list_page - one page of a domain's aliases */
int
alias_list_page(struct ctx *c, int64_t domain_id, const struct alias_query *q,
    struct alias_page *pg, struct err *err)
{
	struct err e = { 0 };
	struct allowance a;
	struct dbres *res;
	size_t i;
	int search = q->search != NULL && *q->search != '\0';
	char *like = search ? db_like_pattern(c->pool, q->search) : NULL;

	memset(pg, 0, sizeof(*pg));
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return -1;
	pg->can_mail = authz_domain(c, domain_id, AUTHZ_MAIL, &e) == 0;
	if (e.kind == ERR_DB)
		return err_db(err);
	if (allowance_of(c, domain_id, &a, err) == -1)
		return -1;
	pg->count = a.count;
	pg->roles = a.roles;
	pg->max = a.max;
	pg->max_remote = a.max_remote;
	if (search) {
		struct dbv p[] = { DB_INT(domain_id), DB_STR(like), DB_STR(like),
		    DB_INT(q->limit), DB_INT(q->offset) };

		if (db_query(c->db, c->pool, SQL_ALIAS_SEARCH, p, NPARAMS(p),
		    &res) == -1)
			return db_err(c->db, err);
	} else {
		struct dbv p[] = { DB_INT(domain_id), DB_INT(q->limit),
		    DB_INT(q->offset) };

		if (db_query(c->db, c->pool, SQL_ALIAS_LIST, p, NPARAMS(p),
		    &res) == -1)
			return db_err(c->db, err);
	}
	pg->rows = pool_zalloc(c->pool, sizeof(*pg->rows) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		const struct dbrow *r = &res->rows[i];
		struct alias *v = &pg->rows[i];

		v->id = dbrow_int(r, AL_ID);
		v->domain_id = domain_id;
		v->address = pool_strdup(c->pool, dbrow_str(r, AL_ADDRESS));
		v->name = name_of(c->pool, v->address);
		v->kind = kind_of(dbrow_str(r, AL_KIND));
		v->role = dbrow_int(r, AL_ROLE) != 0;
		list_dests(c->pool, dbrow_str(r, AL_DESTS), v);
	}
	pg->n = res->nrows;
	if (!search)
		pg->total = a.count + a.roles;
	else if (res->nrows > 0)
		pg->total = dbrow_int(&res->rows[0], AL_MATCHES);
	else {
		struct dbv p[] = { DB_INT(domain_id), DB_STR(like), DB_STR(like) };
		struct dbrow *r;

		if (db_row(c->db, c->pool, SQL_ALIAS_SEARCH_COUNT, p, 3, &r) == -1)
			return db_err(c->db, err);
		pg->total = dbrow_int(r, 0);
	}
	return 0;
}

/* fetch - an alias by statement, with its destinations; not authorised */
static int
fetch(struct ctx *c, enum sqlstmt s, struct dbv key, struct alias **a_r,
    struct err *err)
{
	struct dbrow *r;
	struct dbres *res;
	struct alias *a;
	size_t i;

	*a_r = NULL;
	switch (db_row(c->db, c->pool, s, &key, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return 0;
	}
	a = pool_zalloc(c->pool, sizeof(*a));
	a->id = dbrow_int(r, AC_ID);
	a->domain_id = dbrow_int(r, AC_DOMAIN_ID);
	a->domain_name = pool_strdup(c->pool, dbrow_str(r, AC_DOMAIN_NAME));
	a->address = pool_strdup(c->pool, dbrow_str(r, AC_ADDRESS));
	a->name = name_of(c->pool, a->address);
	a->kind = kind_of(dbrow_str(r, AC_KIND));
	a->role = dbrow_int(r, AC_ROLE) != 0;
	a->created_by = pool_strdup(c->pool, dbrow_str(r, AC_CREATED_BY));
	a->created_at = pool_strdup(c->pool, dbrow_str(r, AC_CREATED_AT));
	{
		struct dbv p[] = { DB_INT(a->id) };

		if (db_query(c->db, c->pool, SQL_ALIAS_DESTS_OF, p, 1, &res) == -1)
			return db_err(c->db, err);
	}
	a->dests = pool_zalloc(c->pool, sizeof(*a->dests) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++) {
		a->dests[i].text = pool_strdup(c->pool,
		    dbrow_str(&res->rows[i], AD_TEXT));
		a->dests[i].deleted = dbrow_int(&res->rows[i], AD_DELETED) != 0;
	}
	a->ndests = res->nrows;
	*a_r = a;
	return 1;
}

/* visible - 1 if the actor may view a's domain, 0 if not (as not found) */
static int
visible(struct ctx *c, struct alias **a_r, struct err *err)
{
	if (authz_domain(c, (*a_r)->domain_id, AUTHZ_VIEW, err) == 0)
		return 1;
	*a_r = NULL;
	return err->kind == ERR_NOTFOUND || err->kind == ERR_FORBIDDEN ? 0 : -1;
}

/* alias_get - an alias by id */
int
alias_get(struct ctx *c, int64_t id, struct alias **a_r, struct err *err)
{
	int rc = fetch(c, SQL_ALIAS_GET, DB_INT(id), a_r, err);

	return rc == 1 ? visible(c, a_r, err) : rc;
}

/* alias_find - an alias by address (Unicode domains as punycode) */
int
alias_find(struct ctx *c, const char *address, struct alias **a_r,
    struct err *err)
{
	char *norm, *dom;
	int rc;

	*a_r = NULL;
	if (address == NULL)
		return 0;
	if (address[0] == '@') {
		if (valid_domain_norm(c->pool, address + 1, &dom) != NULL)
			return 0;
		norm = pool_printf(c->pool, "@%s", dom);
	} else if (valid_email_norm(c->pool, address, &norm) != NULL)
		return 0;
	rc = fetch(c, SQL_ALIAS_BY_ADDRESS, DB_STR(norm), a_r, err);
	return rc == 1 ? visible(c, a_r, err) : rc;
}

/* a create or update, checked before its transaction */
struct alias_job {
	int64_t			 domain_id;
	struct alias		*old;		/* update: as it was */
	const char		*address;
	enum alias_kind		 kind;
	struct address_dest	*v;
	size_t			 n;
	int64_t			 id;
};

/* job_dests_str - "kind=normal dests=a,b" for the audit log */
static const char *
job_str(struct pool *p, enum alias_kind kind, const char *const *v, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, p, 128);
	buf_printf(&b, "kind=%s", kind_names[kind]);
	if (n > 0)
		buf_printf(&b, " dests=");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", v[i]);
	return b.data;
}

/* write_dests_tx - the job's destinations replace the alias's */
static int
write_dests_tx(struct ctx *c, struct alias_job *j, struct err *err)
{
	size_t i;

	{
		struct dbv p[] = { DB_INT(j->id) };

		if (db_exec(c->db, SQL_ALIAS_DESTS_CLEAR, p, 1, NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	for (i = 0; i < j->n; i++) {
		struct dbv p[] = { DB_INT(j->id), DB_STR(j->v[i].text),
		    j->v[i].mailbox_id > 0 ? DB_INT(j->v[i].mailbox_id) : DB_NULL };

		if (db_exec(c->db, SQL_ALIAS_DEST_ADD, p, 3, NULL, NULL) == -1)
			return db_err(c->db, err);
	}
	return 0;
}

/* texts - the job's destinations as strings */
static const char **
texts(struct pool *p, const struct alias_job *j)
{
	const char **t = pool_zalloc(p, sizeof(*t) * (j->n + 1));
	size_t i;

	for (i = 0; i < j->n; i++)
		t[i] = j->v[i].text;
	return t;
}

/* dup_error - the address is taken: by what */
static int
dup_error(struct ctx *c, const struct alias_job *j, struct err *err)
{
	if (j->kind == ALIAS_CATCHALL)
		return err_set(err, ERR_INVALID, "name",
		    _("This domain has a catch-all (All mailboxes) already."));
	return err_set(err, ERR_INVALID, "name", pool_printf(c->pool,
	    _("The address %s is already in use on this server."), j->address));
}

/* taken_tx - dup_error() if the address is in use (said in the alias's
 * words, not address.c's) */
static int
taken_tx(struct ctx *c, const struct alias_job *j, struct err *err)
{
	struct err e = { 0 };

	if (address_free_tx(c, j->address, 0, "name", &e) == 0)
		return 0;
	if (e.kind == ERR_INVALID)
		return dup_error(c, j, err);
	err_merge(err, &e);
	return -1;
}

/* create_body - under the domain's lock: cap, loop, rows, audit */
static int
create_body(struct ctx *c, void *arg, struct err *err)
{
	struct alias_job *j = arg;
	struct domain_lock d;
	struct allowance a;
	uint64_t id;

	if (domain_lock_tx(c, j->domain_id, &d, err) == -1)
		return -1;
	if (d.deleted)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such virtual server."));
	if (allowance_of(c, j->domain_id, &a, err) == -1)
		return -1;
	if (a.max >= 0 && a.count >= a.max)
		return err_set(err, ERR_LIMIT, NULL, pool_printf(c->pool,
		    P_("Your plan allows %lld alias, and this domain has it already.",
		    "Your plan allows %lld aliases, and this domain has them all already.",
		    (unsigned long)a.max), (long long)a.max));
	if (taken_tx(c, j, err) == -1)
		return -1;
	if (j->n > 0 && address_loop_tx(c, j->address, 0, j->v, j->n, "dests",
	    err) == -1)
		return -1;
	{
		struct dbv p[] = { DB_INT(j->domain_id), DB_STR(j->address),
		    DB_STR(kind_names[j->kind]), DB_STR(c->actor->login) };

		if (db_exec(c->db, SQL_ALIAS_INSERT, p, 4, NULL, &id) == -1) {
			if (db_errno(c->db) == DB_ER_DUP_ENTRY)
				return dup_error(c, j, err);
			return db_err(c->db, err);
		}
	}
	j->id = (int64_t)id;
	{
		struct dbv p[] = { DB_STR(j->address), DB_INT(j->domain_id),
		    DB_INT(j->id) };

		if (db_exec(c->db, SQL_ALIAS_ADDR_INSERT, p, 3, NULL, NULL) == -1) {
			if (db_errno(c->db) == DB_ER_DUP_ENTRY)
				return dup_error(c, j, err);
			return db_err(c->db, err);
		}
	}
	if (write_dests_tx(c, j, err) == -1)
		return -1;
	if (audit_log(c, j->domain_id, d.name, j->address, "alias.create", NULL,
	    job_str(c->pool, j->kind, texts(c->pool, j), j->n)) == -1)
		return db_err(c->db, err);
	/* the automatic replies list the aliases that lead to them */
	return vacation_refresh_domain_tx(c, j->domain_id, err);
}

/* prepare - the job of a create (old NULL) or update: name, kind and
 * destinations checked, nothing locked yet */
static int
prepare(struct ctx *c, int64_t domain_id, const char *domain,
    const struct alias *old, const struct alias_input *in,
    struct alias_job *j, struct err *err)
{
	struct allowance a;

	memset(j, 0, sizeof(*j));
	j->domain_id = domain_id;
	j->old = (struct alias *)old;
	if (in->kind >= ALIAS_KIND__MAX)
		return err_set(err, ERR_INVALID, "kind", _("Please choose what the alias does."));
	j->kind = in->kind;
	if (old != NULL && old->role) {
		/* required: the name and what it does stay (RFC 2142) */
		if (in->kind != ALIAS_NORMAL)
			return err_set(err, ERR_INVALID, "kind",
			    _("This alias is required: it must forward to at least one address."));
		if (in->name != NULL && *in->name != '\0' &&
		    strcmp(in->name, old->name) != 0 &&
		    strcmp(in->name, old->address) != 0)
			return err_set(err, ERR_INVALID, "name",
			    _("This alias is required: its name cannot change."));
		j->address = old->address;
	} else if (in->kind == ALIAS_CATCHALL)
		j->address = pool_printf(c->pool, "@%s", domain);
	else if (address_norm(c, domain, in->name ? in->name : "", "name",
	    (char **)&j->address, err) == -1 && !err_is_input(err))
		return -1;	/* a refused name: the destinations still count */
	if (allowance_of(c, domain_id, &a, err) == -1)
		return -1;
	if (in->kind == ALIAS_EVERYONE && (a.max_mailboxes < 0 ||
	    a.max_mailboxes > ALIAS_EVERYONE_MAX))
		return err_set(err, ERR_LIMIT, "kind", pool_printf(c->pool,
		    _("Forward to everyone in domain is for domains of at most %d mailboxes, and your plan allows more: use a mailing list instead."),
		    ALIAS_EVERYONE_MAX));
	if (in->kind == ALIAS_NORMAL || in->kind == ALIAS_CATCHALL) {
		if (address_parse_dests(c, in->dests, j->address, a.max_remote,
		    "dests", &j->v, &j->n, err) == -1 && !err_is_input(err))
			return -1;
		if (j->n == 0 && err_field_msg(err, "dests") == NULL)
			err_field(err, "dests",
			    _("Please enter at least one destination."));
	}
	return err_fields(err) > 0 ? -1 : 0;	/* every field's refusal */
}

/* SQL_ALIAS_EVERYONE_ANY */
enum { EA_ADDRESS, EA__MAX };
SQL_COLS_ARE(SQL_ALIAS_EVERYONE_ANY, EA__MAX);

/* alias_plan_fits_tx - may the domain's plan cap mailboxes at max
 * (-1: unlimited), given its "everyone in domain" aliases */
int
alias_plan_fits_tx(struct ctx *c, int64_t domain_id, int64_t max,
    const char **why_r, struct err *err)
{
	struct dbv p[] = { DB_INT(domain_id) };
	struct dbrow *r;

	*why_r = NULL;
	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (max >= 0 && max <= ALIAS_EVERYONE_MAX)
		return 0;
	switch (db_row(c->db, c->pool, SQL_ALIAS_EVERYONE_ANY, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return 0;
	}
	*why_r = pool_printf(c->pool,
	    _("its alias %s forwards to everyone in the domain, which needs a plan of at most %d mailboxes."),
	    dbrow_str(r, EA_ADDRESS), ALIAS_EVERYONE_MAX);
	return 0;
}

/* alias_create - a new alias */
int
alias_create(struct ctx *c, int64_t domain_id, const struct alias_input *in,
    int64_t *id_r, struct err *err)
{
	struct alias_job j;
	struct domain *dom;

	*id_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	if (domain_get(c, domain_id, &dom, err) != 1)
		return err->kind != ERR_NONE ? -1 :
		    err_set(err, ERR_NOTFOUND, NULL, _("No such virtual server."));
	if (prepare(c, domain_id, dom->name, NULL, in, &j, err) == -1)
		return -1;
	if (tx_run(c, create_body, &j, err) == -1)
		return -1;
	*id_r = j.id;
	return 0;
}

/* update_body - under the domain's lock: name, kind, loop, rows, audit */
static int
update_body(struct ctx *c, void *arg, struct err *err)
{
	struct alias_job *j = arg;
	struct domain_lock d;
	const char **oldv;
	size_t i;

	if (domain_lock_tx(c, j->domain_id, &d, err) == -1)
		return -1;
	if (d.deleted)
		return err_set(err, ERR_NOTFOUND, NULL, _("No such alias."));
	if (strcmp(j->address, j->old->address) != 0 &&
	    taken_tx(c, j, err) == -1)
		return -1;
	if (j->n > 0 && address_loop_tx(c, j->address, 0, j->v, j->n, "dests",
	    err) == -1)
		return -1;
	{
		struct dbv p[] = { DB_STR(j->address), DB_STR(kind_names[j->kind]),
		    DB_INT(j->id) };
		struct dbv q[] = { DB_STR(j->address), DB_INT(j->id) };

		if (db_exec(c->db, SQL_ALIAS_SET, p, 3, NULL, NULL) == -1 ||
		    db_exec(c->db, SQL_ALIAS_ADDR_SET, q, 2, NULL, NULL) == -1) {
			if (db_errno(c->db) == DB_ER_DUP_ENTRY)
				return dup_error(c, j, err);
			return db_err(c->db, err);
		}
	}
	if (write_dests_tx(c, j, err) == -1)
		return -1;
	oldv = pool_zalloc(c->pool, sizeof(*oldv) * (j->old->ndests + 1));
	for (i = 0; i < j->old->ndests; i++)
		oldv[i] = j->old->dests[i].text;
	if (audit_log(c, j->domain_id, d.name, j->address, "alias.update",
	    pool_printf(c->pool, "address=%s %s", j->old->address,
	    job_str(c->pool, j->old->kind, oldv, j->old->ndests)),
	    pool_printf(c->pool, "address=%s %s", j->address,
	    job_str(c->pool, j->kind, texts(c->pool, j), j->n))) == -1)
		return db_err(c->db, err);
	return vacation_refresh_domain_tx(c, j->domain_id, err);
}

/* alias_update - new name, kind and destinations */
int
alias_update(struct ctx *c, int64_t id, const struct alias_input *in,
    struct err *err)
{
	struct alias_job j;
	struct alias *a;

	switch (alias_get(c, id, &a, err)) {
	case -1:
		return -1;
	case 0:
		return err_set(err, ERR_NOTFOUND, NULL, _("No such alias."));
	}
	if (authz_domain(c, a->domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	if (a->kind == ALIAS_CATCHALL && in->kind != ALIAS_CATCHALL &&
	    (in->name == NULL || *in->name == '\0'))
		return err_set(err, ERR_INVALID, "name",
		    _("Please enter the part before the @."));
	if (prepare(c, a->domain_id, a->domain_name, a, in, &j, err) == -1)
		return -1;
	j.id = a->id;
	return tx_run(c, update_body, &j, err);
}

struct delete_job {
	int64_t		 domain_id;
	struct alias	**v;
	size_t		 n;
};

/* delete_body - the aliases, all or none, under the domain's lock */
static int
delete_body(struct ctx *c, void *arg, struct err *err)
{
	struct delete_job *j = arg;
	struct domain_lock d;
	size_t i;
	uint64_t n;

	if (domain_lock_tx(c, j->domain_id, &d, err) == -1)
		return -1;
	for (i = 0; i < j->n; i++) {
		struct dbv p[] = { DB_INT(j->v[i]->id), DB_INT(j->domain_id) };
		const char **oldv = pool_zalloc(c->pool,
		    sizeof(*oldv) * (j->v[i]->ndests + 1));
		size_t k;

		if (db_exec(c->db, SQL_ALIAS_DELETE, p, 2, &n, NULL) == -1)
			return db_err(c->db, err);
		if (n == 0)
			return err_set(err, ERR_NOTFOUND, NULL, _("No such alias."));
		for (k = 0; k < j->v[i]->ndests; k++)
			oldv[k] = j->v[i]->dests[k].text;
		if (audit_log(c, j->domain_id, d.name, j->v[i]->address,
		    "alias.delete", job_str(c->pool, j->v[i]->kind, oldv,
		    j->v[i]->ndests), NULL) == -1)
			return db_err(c->db, err);
	}
	return vacation_refresh_domain_tx(c, j->domain_id, err);
}

/* alias_delete - n aliases of one domain; required ones only by a
 * superuser */
int
alias_delete(struct ctx *c, int64_t domain_id, const int64_t *ids, size_t n,
    struct err *err)
{
	struct delete_job j;
	size_t i;

	if (authz_domain(c, domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	j.domain_id = domain_id;
	j.n = n;
	j.v = pool_zalloc(c->pool, sizeof(*j.v) * (n + 1));
	for (i = 0; i < n; i++) {
		switch (fetch(c, SQL_ALIAS_GET, DB_INT(ids[i]), &j.v[i], err)) {
		case -1:
			return -1;
		case 0:
			return err_set(err, ERR_NOTFOUND, NULL, _("No such alias."));
		}
		if (j.v[i]->domain_id != domain_id)
			return err_set(err, ERR_NOTFOUND, NULL, _("No such alias."));
		if (j.v[i]->role && c->actor->role != ROLE_SUPERUSER)
			return err_set(err, ERR_FORBIDDEN, NULL, pool_printf(c->pool,
			    _("%s is a required address (RFC 2142): you may change where it goes, not delete it."),
			    j.v[i]->address));
	}
	return tx_run(c, delete_body, &j, err);
}
