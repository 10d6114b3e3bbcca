/*
 * test_session - panel sessions in MariaDB (session.h), each rule with its
 * refusal: a new random token at every login (rotation: an old token
 * does not come back and ending one session leaves the others), the idle
 * and total lifetimes, the clean-up at login, a password change that ends
 * the login's sessions, malformed tokens, CSRF tokens bound to one
 * session and one secret, the page's domain read with the session (as
 * domain_get() reads and authorises it), and a failed lookup that is
 * never "no session".
 */
#include <time.h>

#include "dbtest.h"
#include "domain.h"
#include "session.h"
#include "user.h"

static int64_t uid;

static int
load(struct config *cfg, const char *token, struct session **s_r)
{
	return session_load(dbt_root(), cfg, token, s_r);
}

static void
test_rotation(void)
{
	char t1[SESSION_TOKEN_LEN + 1], t2[SESSION_TOKEN_LEN + 1];
	struct session *s = NULL;

	test_begin("create: a random 64-hex token each time, loading as its "
	    "login and role");
	test_assert(session_create(dbt_root(), uid, t1) == 0);
	test_assert(session_create(dbt_root(), uid, t2) == 0);
	test_assert(session_token_ok(t1) && session_token_ok(t2));
	test_assert(strcmp(t1, t2) != 0);
	test_assert(load(&dbt.cfg, t1, &s) == 1);
	test_assert(s != NULL && s->actor.id == uid &&
	    strcmp(s->actor.login, "sess") == 0 &&
	    s->actor.role == ROLE_RESELLER && s->domain_id == 0);
	test_end();

	test_begin("destroy: that session ends, the login's others do not");
	test_assert(session_destroy(dbt_root(), t1) == 0);
	test_assert(load(&dbt.cfg, t1, &s) == 0 && s == NULL);
	test_assert(load(&dbt.cfg, t2, &s) == 1);
	test_end();

	test_begin("select domain: remembered in the session");
	test_assert(session_select_domain(dbt_root(), t2, 42) == 0);
	test_assert(load(&dbt.cfg, t2, &s) == 1 && s->domain_id == 42);
	test_assert(session_select_domain(dbt_root(), "nope", 42) == -1);
	test_end();

	test_begin("a password change ends every session of the login");
	{
		struct err err = { 0 };

		test_assert(user_set_password(dbt_root(), uid, DBT_PASSWORD "n",
		    dbt_clear(&err)) == 0);
		test_assert(load(&dbt.cfg, t2, &s) == 0);
	}
	test_end();
}

static void
test_expiry(void)
{
	char idle[SESSION_TOKEN_LEN + 1], old[SESSION_TOKEN_LEN + 1];
	char swept[SESSION_TOKEN_LEN + 1], fresh[SESSION_TOKEN_LEN + 1];
	struct config cfg;
	struct session *s;
	struct timespec ts = { 2, 200 * 1000000L };

	test_assert(session_create(dbt_root(), uid, idle) == 0);
	test_assert(session_create(dbt_root(), uid, old) == 0);
	test_assert(session_create(dbt_root(), uid, swept) == 0);
	nanosleep(&ts, NULL);
	test_assert(session_create(dbt_root(), uid, fresh) == 0);

	test_begin("expiry: past session_idle without a request, the session "
	    "is gone for good");
	cfg = dbt.cfg;
	cfg.session_idle = 0;
	test_assert(load(&cfg, idle, &s) == 0);
	test_assert(load(&dbt.cfg, idle, &s) == 0);
	test_end();

	test_begin("expiry: past session_max in all, even when in use");
	cfg = dbt.cfg;
	cfg.session_max = 0;
	test_assert(load(&cfg, old, &s) == 0);
	test_assert(load(&dbt.cfg, old, &s) == 0);
	test_end();

	test_begin("session_expire: removes every expired session, not a "
	    "live one");
	cfg = dbt.cfg;
	cfg.session_idle = 1;
	test_assert(session_expire(dbt_root(), &cfg) == 0);
	test_assert(load(&dbt.cfg, swept, &s) == 0);
	test_assert(load(&dbt.cfg, fresh, &s) == 1);
	test_end();
}

static void
test_tokens(void)
{
	char t[SESSION_TOKEN_LEN + 1], u[SESSION_TOKEN_LEN + 1];
	char csrf[SESSION_TOKEN_LEN + 1], other[SESSION_TOKEN_LEN + 1];
	char upper[SESSION_TOKEN_LEN + 1];
	struct config cfg;
	struct session *s;
	size_t i;

	test_assert(session_create(dbt_root(), uid, t) == 0);
	test_assert(session_create(dbt_root(), uid, u) == 0);

	test_begin("malformed tokens: never looked up (0, not an error)");
	memcpy(upper, t, sizeof(upper));
	for (i = 0; i < SESSION_TOKEN_LEN; i++)
		if (upper[i] >= 'a' && upper[i] <= 'f')
			upper[i] = (char)(upper[i] - 'a' + 'A');
	test_assert(strcmp(upper, t) != 0);
	test_assert(load(&dbt.cfg, upper, &s) == 0);
	test_assert(load(&dbt.cfg, "", &s) == 0);
	test_assert(load(&dbt.cfg, "abc", &s) == 0);
	test_assert(!session_token_ok(NULL));
	test_assert(!session_token_ok("g000000000000000000000000000000000000"
	    "000000000000000000000000000"));
	test_assert(session_destroy(dbt_root(), "abc") == 0);
	test_assert(load(&dbt.cfg, t, &s) == 1);
	test_end();

	test_begin("CSRF: a token is good for its session and secret only");
	session_csrf(&dbt.cfg, t, csrf);
	session_csrf(&dbt.cfg, u, other);
	test_assert(session_token_ok(csrf));
	test_assert(session_csrf_ok(&dbt.cfg, t, csrf));
	test_assert(!session_csrf_ok(&dbt.cfg, t, other));
	test_assert(!session_csrf_ok(&dbt.cfg, u, csrf));
	test_assert(!session_csrf_ok(&dbt.cfg, t, NULL));
	test_assert(!session_csrf_ok(&dbt.cfg, t, ""));
	test_assert(!session_csrf_ok(&dbt.cfg, "abc", csrf));
	cfg = dbt.cfg;
	cfg.secret = "ffeeddccbbaa99887766554433221100"
	    "ffeeddccbbaa99887766554433221100";
	test_assert(!session_csrf_ok(&cfg, t, csrf));
	cfg.secret = "not hex";
	session_csrf(&cfg, t, other);
	test_assert(!session_csrf_ok(&cfg, t, other));	/* never with junk */
	test_end();
}

/* same - the fields of a domain as domain_get() and domain_brief() read
 * it, but the two logins */
static int
same(const struct domain *a, const struct domain *b)
{
	return a->id == b->id && strcmp(a->name, b->name) == 0 &&
	    strcmp(a->prefix, b->prefix) == 0 && a->plan_id == b->plan_id &&
	    strcmp(a->plan_name, b->plan_name) == 0 &&
	    a->reseller_id == b->reseller_id && a->active == b->active &&
	    a->mail_quota == b->mail_quota && a->has_usage && b->has_usage &&
	    a->used_mailboxes == b->used_mailboxes &&
	    a->quota_total == b->quota_total &&
	    a->max_mailboxes == b->max_mailboxes &&
	    a->default_quota == b->default_quota &&
	    a->max_message_size == b->max_message_size;
}

static void
test_page_domain(void)
{
	int64_t mine, other, owner;
	char t[SESSION_TOKEN_LEN + 1];
	struct session *s = NULL;
	struct domain *d, *full;
	struct ctx *c;
	struct err err = { 0 };

	mine = dbt_domain("sessdom.test", "sessdom", 2);
	other = dbt_domain("sessother.test", "sessother", 2);
	owner = dbt_owner("sessdom");
	c = dbt_as(owner);
	test_assert(session_create(c, owner, t) == 0);

	test_begin("load with a domain: the session, and the domain's row "
	    "that domain_brief() takes once, as domain_get() reads it");
	test_assert(session_load_domain(c, &dbt.cfg, t, mine, &s) == 1);
	test_assert(s != NULL && s->actor.id == owner &&
	    s->actor.role == ROLE_OWNER && s->page_domain != NULL &&
	    s->page_domain_id == mine && s->names_version > 0);
	test_assert(domain_brief(c, s, mine, &d, dbt_clear(&err)) == 1);
	test_assert(s->page_domain == NULL);
	test_assert(domain_get(c, mine, &full, dbt_clear(&err)) == 1);
	test_assert(same(d, full) && strcmp(d->owner_login, "") == 0 &&
	    strcmp(full->owner_login, "sessdom") == 0);
	/* taken: the next asks the database, with the same answer */
	test_assert(domain_brief(c, s, mine, &d, dbt_clear(&err)) == 1 &&
	    same(d, full));
	test_end();

	test_begin("load with a domain the login does not reach: refused as "
	    "domain_get() refuses it, not shown");
	{
		struct err e2 = { 0 };
		struct domain *none;
		int rc;

		test_assert(session_load_domain(c, &dbt.cfg, t, other, &s) == 1);
		rc = domain_get(c, other, &none, &e2);
		test_assert(rc != 1);
		test_assert(domain_brief(c, s, other, &d, dbt_clear(&err)) ==
		    rc && d == NULL && err.kind == e2.kind);
	}
	test_end();

	test_begin("load with no such domain: the session is live, the "
	    "domain not found (0)");
	test_assert(session_load_domain(c, &dbt.cfg, t, 99999999, &s) == 1);
	test_assert(domain_brief(c, s, 99999999, &d, dbt_clear(&err)) == 0 &&
	    d == NULL && err.kind == ERR_NOTFOUND);
	test_end();

	test_begin("load with 0: the session's selected domain");
	test_assert(session_load_domain(c, &dbt.cfg, t, 0, &s) == 1 &&
	    s->page_domain_id == 0);
	test_assert(session_select_domain(c, t, mine) == 0);
	test_assert(session_load_domain(c, &dbt.cfg, t, 0, &s) == 1 &&
	    s->page_domain_id == mine && s->domain_id == mine);
	test_assert(domain_brief(c, s, mine, &d, dbt_clear(&err)) == 1 &&
	    same(d, full));
	test_end();

	test_begin("a row read for one login never answers for another actor");
	test_assert(session_load_domain(c, &dbt.cfg, t, other, &s) == 1);
	test_assert(domain_brief(dbt_root(), s, other, &d,
	    dbt_clear(&err)) == 1 && d->id == other);
	test_assert(s->page_domain != NULL);	/* not taken: read afresh */
	test_end();

	test_begin("a row read for one domain never answers for another");
	test_assert(session_load_domain(c, &dbt.cfg, t, other, &s) == 1);
	test_assert(domain_brief(c, s, mine, &d, dbt_clear(&err)) == 1 &&
	    d->id == mine && s->page_domain != NULL);
	test_end();

	test_begin("load with a domain: a dead session is still no session");
	test_assert(session_destroy(c, t) == 0);
	test_assert(session_load_domain(c, &dbt.cfg, t, mine, &s) == 0 &&
	    s == NULL);
	test_end();
}

static void
test_down(void)
{
	struct db *down = dbt_unreachable();
	struct ctx *dc = dbt_ctx_on(down, ROLE_SUPERUSER, 0, "root");
	char t[SESSION_TOKEN_LEN + 1];
	struct session *s = NULL;

	test_assert(session_create(dbt_root(), uid, t) == 0);
	test_begin("a failed lookup is -1, never \"no session\" (which would "
	    "log the user out)");
	test_assert(session_load(dc, &dbt.cfg, t, &s) == -1 && s == NULL);
	test_assert(session_load_domain(dc, &dbt.cfg, t, 1, &s) == -1 &&
	    s == NULL);
	test_assert(session_create(dc, uid, t) == -1);
	test_assert(session_destroy(dc, t) == -1);
	test_assert(session_expire(dc, &dbt.cfg) == -1);
	test_end();
	db_free(&down);
}

int
main(void)
{
	dbt_open("session");
	uid = dbt_user("sess", ROLE_RESELLER, -1, NULL, 0);
	test_rotation();
	test_expiry();
	test_tokens();
	test_page_domain();
	test_down();
	return dbt_close();
}
