/*
 * test_authz - who may do what to which domain (authz.h), against the
 * test MariaDB: the whole table of roles and operations on a domain the
 * actor reaches and on one it does not (not found, so ids cannot be
 * probed), then the same answers through each object's own functions
 * (domain, mailbox, alias), the memo of the last domain asked about, and
 * a failed lookup that is never "not found".
 */
#include <stddef.h>

#include "alias.h"
#include "authz.h"
#include "dbtest.h"
#include "mailbox.h"

#define MB	(1024LL * 1024)

enum who {
	W_SUPERUSER,		/* a superuser login */
	W_RESELLER,		/* the reseller that made the domain */
	W_GIVEN,		/* a reseller the domain was given to */
	W_STRANGER,		/* another reseller */
	W_SUPPORT,
	W_OWNER,		/* the domain's owner */
	W_OTHER_OWNER,		/* another domain's owner */
	W_NOBODY,		/* not logged in */
	W__MAX
};

static const char *const who_names[W__MAX] = {
	"superuser",		/* W_SUPERUSER */
	"its reseller",		/* W_RESELLER */
	"a reseller given it",	/* W_GIVEN */
	"another reseller",	/* W_STRANGER */
	"support",		/* W_SUPPORT */
	"its owner",		/* W_OWNER */
	"another owner",	/* W_OTHER_OWNER */
	"nobody",		/* W_NOBODY */
};

#define OK	ERR_NONE
#define NF	ERR_NOTFOUND
#define NO	ERR_FORBIDDEN

/* want[who][op] on the domain */
static const enum err_kind want[W__MAX][AUTHZ__MAX] = {
	/* VIEW MAIL QUOTA PASSWORD ADMIN */
	{ OK, OK, OK, OK, OK },		/* W_SUPERUSER */
	{ OK, OK, OK, OK, OK },		/* W_RESELLER */
	{ OK, OK, OK, OK, OK },		/* W_GIVEN */
	{ NF, NF, NF, NF, NF },		/* W_STRANGER */
	{ OK, NO, OK, OK, NO },		/* W_SUPPORT */
	{ OK, OK, OK, OK, NO },		/* W_OWNER */
	{ NF, NF, NF, NF, NF },		/* W_OTHER_OWNER */
	{ NO, NO, NO, NO, NO },		/* W_NOBODY */
};

static int64_t ids[W__MAX];
static int64_t dom, elsewhere;

static struct ctx *
as(enum who w)
{
	if (w == W_NOBODY)
		return dbt_ctx(ROLE_NONE, 0, "-");
	return dbt_as(ids[w]);
}

/* check - one answer against the table */
static void
check(enum who w, int rc, const struct err *err, enum err_kind k,
    const char *what)
{
	if (k == OK ? rc == 0 : rc == -1 && err->kind == k)
		return;
	test_cur_failed = 1;
	fprintf(stderr, "  %s: %s: want %d, got rc %d kind %d (%s)\n",
	    who_names[w], what, (int)k, rc, (int)err->kind,
	    err->msg ? err->msg : "-");
}

static void
test_table(void)
{
	struct err err;
	enum who w;
	int op, rc;

	test_begin("authz_domain: every role and operation on a domain the "
	    "actor reaches, or not");
	for (w = 0; w < W__MAX; w++)
		for (op = 0; op < AUTHZ__MAX; op++) {
			memset(&err, 0, sizeof(err));
			rc = authz_domain(as(w), dom, op, dbt_clear(&err));
			check(w, rc, &err, want[w][op], "authz_domain");
		}
	test_end();

	test_begin("authz_domain: a domain that does not exist is not found "
	    "for everyone logged in, like one out of reach");
	for (w = 0; w < W_NOBODY; w++) {
		memset(&err, 0, sizeof(err));
		rc = authz_domain(as(w), 999999, AUTHZ_VIEW, dbt_clear(&err));
		check(w, rc, &err, NF, "no such domain");
	}
	memset(&err, 0, sizeof(err));
	test_assert(authz_domain(as(W_SUPERUSER), dom, AUTHZ__MAX,
	    dbt_clear(&err)) == -1);
	test_end();

	test_begin("authz_role: the role masks");
	test_assert(authz_role(as(W_SUPERUSER), AUTHZ_R(ROLE_SUPERUSER)));
	test_assert(!authz_role(as(W_SUPPORT), AUTHZ_R(ROLE_SUPERUSER) |
	    AUTHZ_R(ROLE_RESELLER)));
	test_assert(authz_role(as(W_OWNER), AUTHZ_R(ROLE_OWNER)));
	test_assert(!authz_role(as(W_NOBODY), AUTHZ_R(ROLE_OWNER) |
	    AUTHZ_R(ROLE_SUPERUSER)));
	test_end();
}

/* through - what a function that reads the object first (as AUTHZ_VIEW)
 * then asks for op answers */
static enum err_kind
through(enum who w, enum authz_op op)
{
	return want[w][AUTHZ_VIEW] != OK ? want[w][AUTHZ_VIEW] : want[w][op];
}

static void
test_objects(void)
{
	struct mailbox *m;
	struct alias *a;
	struct mailbox_input in;
	struct err err;
	int64_t mid, aid;
	enum who w;
	int rc;

	test_assert(dbt_mailbox(dbt_root(), dom, "info", 100 * MB, NULL, &m,
	    dbt_clear(&err)) == 0);
	mid = m != NULL ? m->id : 0;
	test_assert(alias_find(dbt_root(), "postmaster@authz.test", &a,
	    dbt_clear(&err)) == 1);
	aid = a != NULL ? a->id : 0;

	test_begin("objects: each role through the domain's, a mailbox's and "
	    "an alias's own functions, as the table says");
	for (w = 0; w < W__MAX; w++) {
		struct domain *d;

		memset(&err, 0, sizeof(err));
		rc = domain_get(as(w), dom, &d, dbt_clear(&err));
		check(w, rc == 1 ? 0 : -1, &err, through(w, AUTHZ_VIEW),
		    "domain_get");
		memset(&err, 0, sizeof(err));
		rc = mailbox_get(as(w), mid, &m, dbt_clear(&err));
		check(w, rc == 1 ? 0 : -1, &err, through(w, AUTHZ_VIEW),
		    "mailbox_get");
		memset(&err, 0, sizeof(err));
		rc = alias_get(as(w), aid, &a, dbt_clear(&err));
		test_assert((rc == 1) == (want[w][AUTHZ_VIEW] == OK));
		memset(&in, 0, sizeof(in));
		in.set = MB_SET_QUOTA;
		in.quota = (100 + w) * MB;
		memset(&err, 0, sizeof(err));
		rc = mailbox_update(as(w), mid, &in, dbt_clear(&err));
		check(w, rc, &err, through(w, AUTHZ_QUOTA), "mailbox quota");
		memset(&err, 0, sizeof(err));
		rc = mailbox_set_password(as(w), mid, DBT_PASSWORD "p",
		    DBT_PASSWORD "p", dbt_clear(&err));
		check(w, rc, &err, through(w, AUTHZ_PASSWORD),
		    "mailbox password");
		memset(&in, 0, sizeof(in));
		in.set = MB_SET_NAME;
		in.real_name = who_names[w];
		memset(&err, 0, sizeof(err));
		rc = mailbox_update(as(w), mid, &in, dbt_clear(&err));
		check(w, rc, &err, through(w, AUTHZ_MAIL), "mailbox name");
		{
			struct alias_input ai = { NULL, ALIAS_NORMAL,
			    "info@authz.test" };
			int64_t id;

			ai.name = pool_printf(dbt.pool, "by%d", (int)w);
			memset(&err, 0, sizeof(err));
			rc = alias_create(as(w), dom, &ai, &id,
			    dbt_clear(&err));
			check(w, rc, &err, want[w][AUTHZ_MAIL], "alias_create");
		}
		memset(&err, 0, sizeof(err));
		rc = domain_set_active(as(w), dom, 1, dbt_clear(&err));
		check(w, rc, &err, want[w][AUTHZ_ADMIN], "domain_set_active");
	}
	test_end();
}

static void
test_memo(void)
{
	struct ctx *c = as(W_RESELLER);
	struct err err = { 0 };

	test_begin("memo: the answer for one domain is never reused for "
	    "another");
	test_assert(authz_domain(c, dom, AUTHZ_ADMIN, dbt_clear(&err)) == 0);
	test_assert(authz_domain(c, elsewhere, AUTHZ_VIEW,
	    dbt_clear(&err)) == -1);
	test_assert(err.kind == ERR_NOTFOUND);
	memset(&err, 0, sizeof(err));
	test_assert(authz_domain(c, dom, AUTHZ_VIEW, dbt_clear(&err)) == 0);
	authz_seen(c, elsewhere, 0, 0);
	test_assert(authz_domain(c, elsewhere, AUTHZ_VIEW,
	    dbt_clear(&err)) == -1);
	authz_forget(c);
	memset(&err, 0, sizeof(err));
	test_assert(authz_domain(c, dom, AUTHZ_MAIL, dbt_clear(&err)) == 0);
	test_end();

	test_begin("a failed lookup is -1, ERR_DB, never not found");
	{
		struct db *down = dbt_unreachable();
		struct ctx *dc = dbt_ctx_on(down, ROLE_OWNER, ids[W_OWNER],
		    "authz");
		struct domain *d = NULL;

		memset(&err, 0, sizeof(err));
		test_assert(authz_domain(dc, dom, AUTHZ_VIEW,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_DB, NULL);
		memset(&err, 0, sizeof(err));
		test_assert(domain_get(dc, dom, &d,
		    dbt_clear(&err)) == -1 && d == NULL);
		dbt_check_err(err, ERR_DB, NULL);
		memset(&err, 0, sizeof(err));
		test_assert(domain_by_name(dc, "authz.test", &d,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_DB, NULL);
		db_free(&down);
	}
	test_end();
}

int
main(void)
{
	dbt_open("authz");
	ids[W_SUPERUSER] = dbt_user("azsuper", ROLE_SUPERUSER, -1, NULL, 0);
	ids[W_RESELLER] = dbt_user("azres", ROLE_RESELLER, -1, NULL, 0);
	ids[W_STRANGER] = dbt_user("azstranger", ROLE_RESELLER, -1, NULL, 0);
	ids[W_SUPPORT] = dbt_user("azsupport", ROLE_SUPPORT, -1, NULL, 0);
	dom = dbt_domain_as(dbt_as(ids[W_RESELLER]), "authz.test", "authz", 2, 0);
	ids[W_OWNER] = dbt_owner("authz");
	ids[W_GIVEN] = dbt_user("azgiven", ROLE_RESELLER, -1, &dom, 1);
	elsewhere = dbt_domain("authz-other.test", "azother", 2);
	ids[W_OTHER_OWNER] = dbt_owner("azother");
	test_table();
	test_objects();
	test_memo();
	return dbt_close();
}
