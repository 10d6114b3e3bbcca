/*
 * NAME
 *	address - every address the server answers for
 *
 * DESCRIPTION
 *	See address.h.  The table addresses has one row per address of the
 *	server, whatever it leads to, with a unique key on the address: a
 *	second writer of the same address gets a duplicate-key error, which
 *	becomes a field error, even when two transactions race.
 *	Memory: ctx->pool.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "authz.h"
#include "db.h"
#include "pool.h"
#include "postbus.h"
#include "tx.h"
#include "valid.h"

#define EXTRAS_TEXT_MAX	20000


/* lower - an ASCII-lowercased copy */
static char *
lower(struct pool *p, const char *s)
{
	char *d = pool_strdup(p, s), *q;

	for (q = d; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return d;
}

/* address_norm - "info" or "Info@monsite.be" as info@monsite.be */
int
address_norm(struct ctx *c, const char *domain, const char *in,
    const char *field, char **out_r, struct err *err)
{
	const char *at, *why;
	char *local, *dom;

	*out_r = NULL;
	while (*in == ' ' || *in == '\t')
		in++;
	if (*in == '\0')
		return err_set(err, ERR_INVALID, field,
		    _("Please enter the part before the @."));
	if (!valid_utf8(in, strlen(in)) || strlen(in) > 320)
		return err_set(err, ERR_INVALID, field,
		    _("This is not a valid email address."));
	if ((at = strrchr(in, '@')) != NULL) {
		if (valid_domain_norm(c->pool, at + 1, &dom) != NULL ||
		    strcmp(dom, domain) != 0)
			return err_set(err, ERR_INVALID, field,
			    pool_printf(c->pool, _("Addresses must be in the domain %s: %s"),
			    domain, in));
		local = pool_strndup(c->pool, in, (size_t)(at - in));
	} else
		local = pool_strdup(c->pool, in);
	local = lower(c->pool, local);
	if ((why = valid_localpart(local)) != NULL)
		return err_set(err, ERR_INVALID, field, at || strcmp(field,
		    "extra") == 0 ? pool_printf(c->pool, "%s: %s", in, why) : why);
	*out_r = pool_printf(c->pool, "%s@%s", local, domain);
	return 0;
}

/* address_parse_extras - the additional addresses: one per line, or
 * separated by commas or spaces; duplicates dropped, the primary refused */
int
address_parse_extras(struct ctx *c, const char *domain, const char *text,
    const char *primary, const char ***v_r, size_t *n_r, struct err *err)
{
	const char **v;
	char *copy, *tok, *save;
	size_t n = 0, i;
	const char *why;

	*v_r = NULL;
	*n_r = 0;
	if (text == NULL)
		text = "";
	if ((why = valid_multiline(text, EXTRAS_TEXT_MAX)) != NULL)
		return err_set(err, ERR_INVALID, "extra", why);
	v = pool_zalloc(c->pool, sizeof(*v) * (ADDRESS_EXTRAS_MAX + 1));
	copy = pool_strdup(c->pool, text);
	for (tok = strtok_r(copy, " \t\r\n,;", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n,;", &save)) {
		char *a;

		if (address_norm(c, domain, tok, "extra", &a, err) == -1)
			return -1;
		if (primary != NULL && strcmp(a, primary) == 0)
			return err_set(err, ERR_INVALID, "extra",
			    pool_printf(c->pool, _("%s is already the primary address."), a));
		for (i = 0; i < n; i++)
			if (strcmp(v[i], a) == 0)
				break;
		if (i < n)
			continue;
		if (n == ADDRESS_EXTRAS_MAX)
			return err_set(err, ERR_INVALID, "extra",
			    pool_printf(c->pool, _("A mailbox has at most %d additional addresses."),
			    ADDRESS_EXTRAS_MAX));
		v[n++] = a;
	}
	*v_r = v;
	*n_r = n;
	return 0;
}

/* SQL_ADDR_GET */
enum addr_col {
	AD_KIND,
	AD_MAILBOX_ID,
	AD_ALIAS_ID,
	AD__MAX
};
SQL_COLS_ARE(SQL_ADDR_GET, AD__MAX);

/* address_free_tx - 0 if addr is unused or belongs to mailbox self */
int
address_free_tx(struct ctx *c, const char *addr, int64_t self,
    const char *field, struct err *err)
{
	struct dbv p[] = { DB_STR(addr) };
	struct dbrow *r;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	switch (db_row(c->db, c->pool, SQL_ADDR_GET, p, 1, &r)) {
	case -1:
		return db_err(c->db, err);
	case 0:
		return 0;
	}
	if (self > 0 && !dbrow_isnull(r, AD_MAILBOX_ID) && dbrow_int(r, AD_MAILBOX_ID) == self)
		return 0;
	return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
	    strcmp(dbrow_str(r, AD_KIND), "alias") == 0 ?
	    _("%s is already in use as an alias.") :
	    _("%s is already in use by another mailbox."), addr));
}

/* address_add_tx - one addresses row; a duplicate becomes a field error */
int
address_add_tx(struct ctx *c, const char *addr, int64_t domain_id,
    const char *kind, int64_t mailbox_id, const char *field, struct err *err)
{
	struct dbv p[] = { DB_STR(addr), DB_INT(domain_id), DB_STR(kind),
	    DB_INT(mailbox_id) };

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_ADDR_INSERT, p, NPARAMS(p), NULL, NULL) == 0)
		return 0;
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
		    _("%s is already in use by another mailbox."), addr));
	return db_err(c->db, err);
}
/* SQL_ADDR_BY_MAILBOX */
enum extra_col {
	AE_ADDRESS,
	AE_KIND,
	AE__MAX
};
SQL_COLS_ARE(SQL_ADDR_BY_MAILBOX, AE__MAX);

/* address_extras - the additional addresses of a live mailbox */
int
address_extras(struct ctx *c, int64_t mailbox_id, const char ***v_r,
    size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(mailbox_id) };
	struct dbres *res;
	const char **v;
	size_t i, n = 0;

	*v_r = NULL;
	*n_r = 0;
	if (db_query(c->db, c->pool, SQL_ADDR_BY_MAILBOX, p, 1, &res) == -1)
		return db_err(c->db, err);
	v = pool_zalloc(c->pool, sizeof(*v) * (res->nrows + 1));
	for (i = 0; i < res->nrows; i++)
		if (strcmp(dbrow_str(&res->rows[i], AE_KIND), "extra") == 0)
			v[n++] = pool_strdup(c->pool, dbrow_str(&res->rows[i], AE_ADDRESS));
	*v_r = v;
	*n_r = n;
	return 0;
}

/* run_tx - one statement of the caller's transaction on an id */
static int
run_tx(struct ctx *c, const char *fn, enum sqlstmt s, int64_t id,
    struct err *err)
{
	struct dbv p[] = { DB_INT(id) };

	if (tx_check(c, fn, err) == -1)
		return -1;
	if (db_exec(c->db, s, p, 1, NULL, NULL) == -1)
		return db_err(c->db, err);
	return 0;
}

/* address_delete_mailbox_tx - every address of a mailbox */
int
address_delete_mailbox_tx(struct ctx *c, int64_t mailbox_id,
    struct err *err)
{
	return run_tx(c, __func__, SQL_ADDR_DELETE_MAILBOX, mailbox_id, err);
}

/* address_delete_extras_tx - a mailbox's additional addresses */
int
address_delete_extras_tx(struct ctx *c, int64_t mailbox_id,
    struct err *err)
{
	return run_tx(c, __func__, SQL_ADDR_DELETE_EXTRA, mailbox_id, err);
}

/* address_delete_domain_tx - every address of a domain */
int
address_delete_domain_tx(struct ctx *c, int64_t domain_id, struct err *err)
{
	return run_tx(c, __func__, SQL_ADDR_DELETE_DOMAIN, domain_id, err);
}

/* address_set_primary_tx - a mailbox's primary address becomes addr */
int
address_set_primary_tx(struct ctx *c, int64_t mailbox_id, const char *addr,
    struct err *err)
{
	struct dbv p[] = { DB_STR(addr), DB_INT(mailbox_id) };

	if (tx_check(c, __func__, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_ADDR_SET_PRIMARY, p, 2, NULL, NULL) == 0)
		return 0;
	if (db_errno(c->db) == DB_ER_DUP_ENTRY)
		return err_set(err, ERR_INVALID, "address", pool_printf(c->pool,
		    _("%s is already in use by another mailbox."), addr));
	return db_err(c->db, err);
}

/* address_mailbox - the live mailbox whose primary or additional
 * address is exactly address (normalised first), in a domain the actor
 * may view: never a pattern, never a prefix */
int
address_mailbox(struct ctx *c, int64_t domain_id, const char *address,
    int64_t *id_r, struct err *err)
{
	struct dbrow *r;
	char *norm;

	*id_r = 0;
	if (authz_domain(c, domain_id, AUTHZ_VIEW, err) == -1)
		return err->kind == ERR_NOTFOUND ? 0 : -1;
	if (address == NULL || valid_email_norm(c->pool, address, &norm) != NULL)
		return 0;
	{
		struct dbv p[] = { DB_STR(norm), DB_INT(domain_id) };

		switch (db_row(c->db, c->pool, SQL_ADDR_MAILBOX, p,
		    NPARAMS(p), &r)) {
		case -1:
			return db_err(c->db, err);
		case 0:
			return 0;
		}
	}
	*id_r = dbrow_int(r, 0);
	return *id_r > 0;
}

/* Destinations and loops (schema/020) ------------------------------------ */

#define DESTS_TEXT_MAX	100000
#define LOOP_NODES_MAX	5000	/* nodes a loop check visits at most */

/* SQL_ADDR_DOMAIN_OF */
enum dom_of_col {
	DO_ID,
	DO_NAME,
	DO_IS_ALIAS,
	DO__MAX
};
SQL_COLS_ARE(SQL_ADDR_DOMAIN_OF, DO__MAX);

/* SQL_ADDR_ROUTE */
enum route_col {
	RT_KIND,
	RT_MAILBOX_ID,
	RT_ALIAS_ID,
	RT_ALIAS_KIND,
	RT_DOMAIN_ID,
	RT__MAX
};
SQL_COLS_ARE(SQL_ADDR_ROUTE, RT__MAX);

/* SQL_ADDR_LOGIN */
enum login_col {
	LG_ID,
	LG_DOMAIN_ID,
	LG_DELETED,
	LG_ADDRESS,
	LG__MAX
};
SQL_COLS_ARE(SQL_ADDR_LOGIN, LG__MAX);

/* SQL_ADDR_MAILBOX_NODE */
enum node_col {
	MN_ADDRESS,
	MN_DOMAIN_ID,
	MN_DELETED,
	MN__MAX
};
SQL_COLS_ARE(SQL_ADDR_MAILBOX_NODE, MN__MAX);

/* SQL_ADDR_FORWARDS_OF, SQL_ADDR_ALIAS_DESTS */
enum dest_col {
	DC_TEXT,
	DC_MAILBOX_ID,
	DC__MAX
};
SQL_COLS_ARE(SQL_ADDR_FORWARDS_OF, DC__MAX);
SQL_COLS_ARE(SQL_ADDR_ALIAS_DESTS, DC__MAX);
SQL_COLS_ARE(SQL_ADDR_FORWARDING_IN_DOMAIN, 1);

/* where a typed or stored destination leads */
struct hop {
	int		 remote;	/* elsewhere, or nowhere: a leaf */
	int64_t		 mailbox_id;	/* a live mailbox */
	const char	*address;	/* the address on this server (the
					 * alias domain's resolved) */
	int64_t		 alias_id;	/* an alias */
	const char	*alias_kind;
	int64_t		 domain_id;	/* the alias's domain */
	int		 exists;	/* found on this server */
};

/* resolve - what text (a login or an address) leads to; 0 or -1 */
static int
resolve(struct ctx *c, const char *text, struct hop *h, struct err *err)
{
	struct dbrow *r;
	const char *at = strrchr(text, '@');

	memset(h, 0, sizeof(*h));
	if (at == NULL) {
		struct dbv p[] = { DB_STR(text) };

		switch (db_row(c->db, c->pool, SQL_ADDR_LOGIN, p, 1, &r)) {
		case -1:
			return db_err(c->db, err);
		case 0:
			return 0;
		}
		if (dbrow_int(r, LG_DELETED))
			return 0;
		h->exists = 1;
		h->mailbox_id = dbrow_int(r, LG_ID);
		h->address = pool_strdup(c->pool, dbrow_str(r, LG_ADDRESS));
		return 0;
	}
	{
		struct dbv p[] = { DB_STR(at + 1), DB_STR(at + 1) };

		switch (db_row(c->db, c->pool, SQL_ADDR_DOMAIN_OF, p, 2, &r)) {
		case -1:
			return db_err(c->db, err);
		case 0:
			h->remote = 1;
			return 0;
		}
	}
	h->address = dbrow_int(r, DO_IS_ALIAS) ? pool_printf(c->pool, "%.*s@%s",
	    (int)(at - text), text, dbrow_str(r, DO_NAME)) :
	    pool_strdup(c->pool, text);
	{
		struct dbv p[] = { DB_STR(h->address) };

		switch (db_row(c->db, c->pool, SQL_ADDR_ROUTE, p, 1, &r)) {
		case -1:
			return db_err(c->db, err);
		case 0:
			return 0;
		}
	}
	h->exists = 1;
	if (strcmp(dbrow_str(r, RT_KIND), "alias") == 0) {
		h->alias_id = dbrow_int(r, RT_ALIAS_ID);
		h->alias_kind = pool_strdup(c->pool, dbrow_str(r, RT_ALIAS_KIND));
		h->domain_id = dbrow_int(r, RT_DOMAIN_ID);
	} else
		h->mailbox_id = dbrow_int(r, RT_MAILBOX_ID);
	return 0;
}

/* address_parse_dests - the destinations of an alias or a forward */
int
address_parse_dests(struct ctx *c, const char *text, const char *self,
    int64_t max_remote, const char *field, struct address_dest **v_r,
    size_t *n_r, struct err *err)
{
	struct address_dest *v;
	struct hop h;
	char *copy, *tok, *save, *norm;
	const char *why;
	size_t n = 0, i;
	int64_t nremote = 0;

	*v_r = NULL;
	*n_r = 0;
	if (text == NULL)
		text = "";
	if ((why = valid_multiline(text, DESTS_TEXT_MAX)) != NULL)
		return err_set(err, ERR_INVALID, field, why);
	v = pool_zalloc(c->pool, sizeof(*v) * (ADDRESS_DESTS_MAX + 1));
	copy = pool_strdup(c->pool, text);
	for (tok = strtok_r(copy, " \t\r\n,;", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n,;", &save)) {
		if (strchr(tok, '@') == NULL) {
			norm = lower(c->pool, tok);
			if (valid_login(norm) != NULL)
				return err_set(err, ERR_INVALID, field,
				    pool_printf(c->pool, _("%s: this is neither an email address nor the login of a mailbox."),
				    tok));
		} else if ((why = valid_email_norm(c->pool, tok, &norm)) != NULL)
			return err_set(err, ERR_INVALID, field,
			    pool_printf(c->pool, "%s: %s", tok, why));
		for (i = 0; i < n; i++)
			if (strcmp(v[i].text, norm) == 0)
				break;
		if (i < n)
			continue;
		if (self != NULL && strcmp(norm, self) == 0)
			return err_set(err, ERR_INVALID, field,
			    _("An alias cannot point at itself."));
		if (resolve(c, norm, &h, err) == -1)
			return -1;
		if (!h.remote && !h.exists)
			return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
			    strchr(norm, '@') == NULL ?
			    _("%s: there is no mailbox with this login.") :
			    _("%s: there is no such address on this server."),
			    norm));
		if (h.mailbox_id > 0 && strchr(norm, '@') == NULL) {
			struct err e = { 0 };

			/* a login names a mailbox of a domain the actor
			 * manages; another's is "no such login" */
			struct dbv p[] = { DB_INT(h.mailbox_id) };
			struct dbrow *r;

			if (db_row(c->db, c->pool, SQL_ADDR_MAILBOX_NODE, p, 1,
			    &r) != 1)
				return db_err(c->db, err);
			if (authz_domain(c, dbrow_int(r, MN_DOMAIN_ID),
			    AUTHZ_VIEW, &e) == -1) {
				if (e.kind == ERR_DB)
					return err_db(err);
				return err_set(err, ERR_INVALID, field,
				    pool_printf(c->pool, _("%s: there is no mailbox with this login."),
				    norm));
			}
		}
		if (h.alias_kind != NULL && strcmp(h.alias_kind, "bounce") == 0)
			return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
			    _("%s refuses all mail (Bounce mail), so it cannot be a destination."),
			    norm));
		if (n == ADDRESS_DESTS_MAX)
			return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
			    _("At most %d destinations, please."), ADDRESS_DESTS_MAX));
		v[n].text = norm;
		v[n].mailbox_id = h.mailbox_id;
		v[n].remote = h.remote;
		nremote += h.remote;
		n++;
	}
	if (max_remote >= 0 && nremote > max_remote)
		return err_set(err, ERR_LIMIT, field, pool_printf(c->pool,
		    P_("Your plan allows %lld destination on another server here; there are %lld.",
		    "Your plan allows %lld destinations on other servers here; there are %lld.",
		    (unsigned long)max_remote), (long long)max_remote,
		    (long long)nremote));
	*v_r = v;
	*n_r = n;
	return 0;
}

/* the loop check's graph: a node is a mailbox ("m:ID") or an alias
 * ("a:ADDRESS"); each remembers how it was reached */
struct walk {
	struct ctx	*c;
	const char	*start;		/* key of the start node */
	int64_t		 start_domain;	/* the start mailbox's domain, 0 */
	const char	**key;
	const char	**label;
	size_t		*parent;
	size_t		 n;
	size_t		 loop_at;	/* the node that reached start */
	int		 looped;
};

/* add - a node reached from parent; 1 new, 0 seen, 2 it is the start */
static int
add(struct walk *w, const char *key, const char *label, size_t parent)
{
	size_t i;

	if (strcmp(key, w->start) == 0) {
		w->looped = 1;
		w->loop_at = parent;
		return 2;
	}
	for (i = 0; i < w->n; i++)
		if (strcmp(w->key[i], key) == 0)
			return 0;
	if (w->n == LOOP_NODES_MAX)
		return 0;	/* big enough: stop looking further */
	w->key[w->n] = key;
	w->label[w->n] = label;
	w->parent[w->n] = parent;
	w->n++;
	return 1;
}

/* reach - the node a destination leads to, from parent */
static int
reach(struct walk *w, const char *text, int64_t mailbox_id, size_t parent,
    struct err *err)
{
	struct ctx *c = w->c;
	struct hop h;

	if (mailbox_id > 0) {
		struct dbv p[] = { DB_INT(mailbox_id) };
		struct dbrow *r;

		switch (db_row(c->db, c->pool, SQL_ADDR_MAILBOX_NODE, p, 1, &r)) {
		case -1:
			return db_err(c->db, err);
		case 0:
			return 0;
		}
		if (dbrow_int(r, MN_DELETED))
			return 0;
		add(w, pool_printf(c->pool, "m:%lld", (long long)mailbox_id),
		    pool_strdup(c->pool, dbrow_str(r, MN_ADDRESS)), parent);
		return 0;
	}
	if (resolve(c, text, &h, err) == -1)
		return -1;
	if (h.address != NULL && strcmp(pool_printf(c->pool, "a:%s",
	    h.address), w->start) == 0) {
		add(w, w->start, h.address, parent);
		return 0;
	}
	if (!h.exists)
		return 0;
	if (h.mailbox_id > 0)
		add(w, pool_printf(c->pool, "m:%lld", (long long)h.mailbox_id),
		    h.address, parent);
	else if (h.alias_id > 0 && strcmp(h.alias_kind, "bounce") != 0)
		add(w, pool_printf(c->pool, "a:%s", h.address), h.address,
		    parent);
	return 0;
}

/* expand - visit node i: where its mail goes next */
static int
expand(struct walk *w, size_t i, struct err *err)
{
	struct ctx *c = w->c;
	const char *key = w->key[i];
	struct dbres *res;
	size_t k;

	if (key[0] == 'm') {
		struct dbv p[] = { DB_INT(strtoll(key + 2, NULL, 10)) };

		if (db_query(c->db, c->pool, SQL_ADDR_FORWARDS_OF, p, 1, &res) == -1)
			return db_err(c->db, err);
	} else {
		struct hop h;

		if (resolve(c, key + 2, &h, err) == -1)
			return -1;
		if (h.alias_id == 0)
			return 0;
		if (strcmp(h.alias_kind, "everyone") == 0) {
			struct dbv p[] = { DB_INT(h.domain_id) };

			if (w->start_domain == h.domain_id) {
				add(w, w->start, "", i);
				return 0;
			}
			if (db_query(c->db, c->pool, SQL_ADDR_FORWARDING_IN_DOMAIN,
			    p, 1, &res) == -1)
				return db_err(c->db, err);
			for (k = 0; k < res->nrows && !w->looped; k++)
				if (reach(w, NULL, dbrow_int(&res->rows[k], 0), i,
				    err) == -1)
					return -1;
			return 0;
		}
		{
			struct dbv p[] = { DB_INT(h.alias_id) };

			if (db_query(c->db, c->pool, SQL_ADDR_ALIAS_DESTS, p, 1,
			    &res) == -1)
				return db_err(c->db, err);
		}
	}
	for (k = 0; k < res->nrows && !w->looped; k++)
		if (reach(w, dbrow_str(&res->rows[k], DC_TEXT),
		    dbrow_int(&res->rows[k], DC_MAILBOX_ID), i, err) == -1)
			return -1;
	return 0;
}

/* address_loop_tx - refuse a route back to where it starts */
int
address_loop_tx(struct ctx *c, const char *start, int64_t start_mailbox,
    const struct address_dest *v, size_t n, const char *field,
    struct err *err)
{
	struct walk w;
	struct buf b;
	const char *start_label = start;
	size_t i, at, depth;
	const char **chain;

	if (tx_check(c, __func__, err) == -1)
		return -1;
	memset(&w, 0, sizeof(w));
	w.c = c;
	w.key = pool_zalloc(c->pool, sizeof(*w.key) * LOOP_NODES_MAX);
	w.label = pool_zalloc(c->pool, sizeof(*w.label) * LOOP_NODES_MAX);
	w.parent = pool_zalloc(c->pool, sizeof(*w.parent) * LOOP_NODES_MAX);
	if (start != NULL)
		w.start = pool_printf(c->pool, "a:%s", start);
	else {
		struct dbv p[] = { DB_INT(start_mailbox) };
		struct dbrow *r;

		if (db_row(c->db, c->pool, SQL_ADDR_MAILBOX_NODE, p, 1, &r) != 1)
			return db_err(c->db, err);
		w.start = pool_printf(c->pool, "m:%lld", (long long)start_mailbox);
		w.start_domain = dbrow_int(r, MN_DOMAIN_ID);
		start_label = pool_strdup(c->pool, dbrow_str(r, MN_ADDRESS));
	}
	/* the start's own destinations are node "-1": parent SIZE_MAX */
	for (i = 0; i < n && !w.looped; i++)
		if (reach(&w, v[i].text, v[i].mailbox_id, SIZE_MAX, err) == -1)
			return -1;
	for (i = 0; i < w.n && !w.looped; i++)
		if (expand(&w, i, err) == -1)
			return -1;
	if (!w.looped)
		return 0;
	if (w.loop_at == SIZE_MAX)
		return err_set(err, ERR_INVALID, field, start != NULL ?
		    _("An alias cannot point at itself.") :
		    _("A mailbox cannot forward to itself: choose \"Deliver to this user normally\" to keep a copy."));
	/* start -> ... -> loop_at -> start, from the parents */
	chain = pool_zalloc(c->pool, sizeof(*chain) * (w.n + 1));
	depth = 0;
	for (at = w.loop_at; at != SIZE_MAX; at = w.parent[at])
		chain[depth++] = w.label[at];
	buf_init(&b, c->pool, 128);
	buf_printf(&b, "%s", start_label);
	while (depth > 0)
		buf_printf(&b, " → %s", chain[--depth]);
	buf_printf(&b, " → %s", start_label);
	return err_set(err, ERR_INVALID, field, pool_printf(c->pool,
	    _("This would make mail go round in a loop: %s. Mail servers hold such mail back for days and then return it."),
	    b.data));
}
