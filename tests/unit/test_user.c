/*
 * test_user - user.h's rules against the test MariaDB, each with its
 * refusal: who creates which logins, the checks of a new login, logins
 * compared as bytes (variants never log in), the throttle (slowed, then
 * the pair locked; failures from elsewhere never slow down a client that
 * logged in before), passwords changed by whom, the last superuser, a
 * reseller's allowance, and a failed lookup that is never "not found".
 */
#include "dbtest.h"
#include "user.h"

static struct ctx *
from(const char *client)
{
	struct ctx *c = dbt_root();

	c->actor->client = client;
	return c;
}

static void
test_create(void)
{
	struct err err = { 0 };
	int64_t res = dbt_user("ures", ROLE_RESELLER, 1, NULL, 0);
	int64_t sup = dbt_user("usup", ROLE_SUPPORT, -1, NULL, 0);
	int64_t id;

	test_begin("create: each bad field refused on its own field");
	test_assert(user_create(dbt_root(), "u1", "", "", ROLE_SUPPORT, -1,
	    NULL, 0, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "password");
	memset(&err, 0, sizeof(err));
	test_assert(user_create(dbt_root(), "u1", DBT_PASSWORD, "other",
	    ROLE_SUPPORT, -1, NULL, 0, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "password2");
	memset(&err, 0, sizeof(err));
	test_assert(user_create(dbt_root(), "u1", "abc", "abc", ROLE_SUPPORT,
	    -1, NULL, 0, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "password");
	memset(&err, 0, sizeof(err));
	test_assert(user_create(dbt_root(), "U 1", DBT_PASSWORD, DBT_PASSWORD,
	    ROLE_SUPPORT, -1, NULL, 0, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "login");
	memset(&err, 0, sizeof(err));
	test_assert(user_create(dbt_root(), "u1", DBT_PASSWORD, DBT_PASSWORD,
	    ROLE_NONE, -1, NULL, 0, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "role");
	memset(&err, 0, sizeof(err));
	test_assert(user_create(dbt_root(), "ures", DBT_PASSWORD, DBT_PASSWORD,
	    ROLE_SUPPORT, -1, NULL, 0, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "login");	/* taken */
	test_end();

	test_begin("create: a reseller makes owner logins only; support "
	    "staff none");
	memset(&err, 0, sizeof(err));
	test_assert(user_create(dbt_as(res), "uown", DBT_PASSWORD, DBT_PASSWORD,
	    ROLE_OWNER, -1, NULL, 0, &id, dbt_clear(&err)) == 0);
	test_assert(user_create(dbt_as(res), "usup2", DBT_PASSWORD,
	    DBT_PASSWORD, ROLE_SUPPORT, -1, NULL, 0, &id,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(user_create(dbt_as(sup), "uown2", DBT_PASSWORD,
	    DBT_PASSWORD, ROLE_OWNER, -1, NULL, 0, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	test_end();

	test_begin("allowance: a reseller of 1 domain makes one, then is "
	    "refused; only a superuser changes it, only a reseller's");
	dbt_domain_as(dbt_as(res), "ures.test", "uresdom", 2, 0);
	{
		struct domain_input in;

		memset(&in, 0, sizeof(in));
		in.name = "ures2.test";
		in.prefix = "uresb";
		in.plan_id = 2;
		in.contact_email = "contact@elsewhere.example";
		in.owner_login = "uresb";
		in.owner_password = in.owner_password2 = DBT_PASSWORD;
		memset(&err, 0, sizeof(err));
		test_assert(domain_create(dbt_as(res), &dbt.cfg, &in, &id,
		    dbt_clear(&err)) == -1);
		test_assert(err.kind == ERR_LIMIT || err.kind == ERR_FORBIDDEN);
		memset(&err, 0, sizeof(err));
		test_assert(user_set_max_domains(dbt_as(res), res, 5,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_FORBIDDEN, NULL);
		memset(&err, 0, sizeof(err));
		test_assert(user_set_max_domains(dbt_root(), sup, 5,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "max_domains");
		test_assert(user_set_max_domains(dbt_root(), res, 2,
		    dbt_clear(&err)) == 0);
		memset(&err, 0, sizeof(err));
		test_assert(domain_create(dbt_as(res), &dbt.cfg, &in, &id,
		    dbt_clear(&err)) == 0);
	}
	test_end();
}

static void
test_login(void)
{
	struct panel_user *u = NULL;
	struct err err = { 0 };
	static const char *const variants[] = { "THR1", "Thr1",
	    "\xef\xbd\x94\xef\xbd\x88\xef\xbd\x92" "1", "th\xc5\x95" "1",
	    "thr1 ", " thr1", "thr1\n" };
	size_t i;

	dbt_user("thr1", ROLE_SUPPORT, -1, NULL, 0);

	test_begin("auth_login: the right password logs in, a wrong one is "
	    "ERR_INVALID");
	test_assert(auth_login(from("192.0.2.1"), &dbt.cfg, "thr1",
	    DBT_PASSWORD, &u, dbt_clear(&err)) == 0);
	test_assert(u != NULL && strcmp(u->login, "thr1") == 0);
	test_assert(auth_login(from("192.0.2.1"), &dbt.cfg, "thr1", "wrong",
	    &u, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, NULL);
	test_assert(u == NULL);
	memset(&err, 0, sizeof(err));
	test_assert(auth_login(from("192.0.2.1"), &dbt.cfg, "thr1", "", &u,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, NULL);
	test_end();

	test_begin("logins are bytes: case, fullwidth, accented and spaced "
	    "variants never log in, nor are found");
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		memset(&err, 0, sizeof(err));
		test_assert(auth_login(from("192.0.2.2"), &dbt.cfg, variants[i],
		    DBT_PASSWORD, &u, dbt_clear(&err)) == -1);
		test_assert(err.kind == ERR_INVALID || err.kind == ERR_THROTTLED);
		test_assert(u == NULL);
		test_assert(user_by_login(dbt_root(), variants[i], &u,
		    dbt_clear(&err)) == 0);
	}
	test_end();
}

static void
test_throttle(void)
{
	struct config cfg = dbt.cfg;
	struct panel_user *u = NULL;
	struct err err = { 0 };
	int i;

	dbt_user("victim", ROLE_SUPPORT, -1, NULL, 0);
	cfg.throttle_slow = 3;
	cfg.throttle_lock = 100;

	test_begin("throttle: a client that logged in before is not slowed "
	    "down by failures from other addresses");
	test_assert(auth_login(from("198.51.100.1"), &cfg, "victim",
	    DBT_PASSWORD, &u, dbt_clear(&err)) == 0);
	for (i = 0; i < 3; i++) {
		memset(&err, 0, sizeof(err));
		test_assert(auth_login(from(i % 2 ? "203.0.113.7" :
		    "203.0.113.8"), &cfg, "victim", "wrong", &u,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, NULL);
	}
	memset(&err, 0, sizeof(err));
	test_assert(auth_login(from("203.0.113.9"), &cfg, "victim",
	    DBT_PASSWORD, &u,
	    dbt_clear(&err)) == -1);	/* a new address: slowed */
	dbt_check_err(err, ERR_THROTTLED, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(auth_login(from("198.51.100.1"), &cfg, "victim",
	    DBT_PASSWORD, &u, dbt_clear(&err)) == 0);	/* the owner's: not */
	test_end();

	test_begin("throttle: the pair of login and address is locked after "
	    "throttle_lock failures, the right password included");
	dbt_user("locked", ROLE_SUPPORT, -1, NULL, 0);
	cfg.throttle_slow = 100;
	cfg.throttle_lock = 2;
	for (i = 0; i < 2; i++) {
		memset(&err, 0, sizeof(err));
		test_assert(auth_login(from("192.0.2.50"), &cfg, "locked",
		    "wrong", &u, dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, NULL);
	}
	memset(&err, 0, sizeof(err));
	test_assert(auth_login(from("192.0.2.50"), &cfg, "locked",
	    DBT_PASSWORD, &u, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_THROTTLED, NULL);
	test_assert(u == NULL);
	memset(&err, 0, sizeof(err));
	test_assert(auth_login(from("192.0.2.51"), &cfg, "locked",
	    DBT_PASSWORD, &u,
	    dbt_clear(&err)) == 0);	/* another address: no lock */
	test_end();
}

static void
test_manage(void)
{
	struct err err = { 0 };
	int64_t su1 = dbt_user("su1", ROLE_SUPERUSER, -1, NULL, 0);
	int64_t a = dbt_user("usera", ROLE_SUPPORT, -1, NULL, 0);
	int64_t b = dbt_user("userb", ROLE_SUPPORT, -1, NULL, 0);
	struct panel_user *u;

	test_begin("passwords: one's own or a superuser's change; the "
	    "policy holds");
	test_assert(user_set_password(dbt_as(a), a, DBT_PASSWORD "a",
	    dbt_clear(&err)) == 0);
	test_assert(user_set_password(dbt_as(a), b, DBT_PASSWORD "b",
	    dbt_clear(&err))
	    == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(user_set_password(dbt_root(), b, "short",
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "password");
	memset(&err, 0, sizeof(err));
	test_assert(user_set_password(dbt_root(), b, DBT_PASSWORD "b",
	    dbt_clear(&err))
	    == 0);
	test_end();

	test_begin("delete: a superuser's only, never the last superuser");
	test_assert(user_delete(dbt_as(a), b, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(user_delete(dbt_root(), su1, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, NULL);
	test_assert(user_get(dbt_root(), su1, &u, dbt_clear(&err)) == 1);
	dbt_user("su2", ROLE_SUPERUSER, -1, NULL, 0);
	memset(&err, 0, sizeof(err));
	test_assert(user_delete(dbt_root(), su1, dbt_clear(&err)) == 0);
	test_assert(user_get(dbt_root(), su1, &u, dbt_clear(&err)) == 0);
	test_assert(user_delete(dbt_root(), b, dbt_clear(&err)) == 0);
	test_end();
}

static void
test_lookups(void)
{
	struct panel_user *u = NULL;
	struct err err = { 0 };
	struct db *down = dbt_unreachable();
	struct ctx *dc = dbt_ctx_on(down, ROLE_SUPERUSER, 0, "root");

	test_begin("user_get, user_by_login: none is 0 and ERR_NOTFOUND");
	test_assert(user_get(dbt_root(), 999999, &u,
	    dbt_clear(&err)) == 0 && u == NULL);
	dbt_check_err(err, ERR_NOTFOUND, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(user_by_login(dbt_root(), "nobody", &u,
	    dbt_clear(&err)) == 0);
	dbt_check_err(err, ERR_NOTFOUND, NULL);
	test_end();

	test_begin("a failed lookup is -1, ERR_DB; a failed login is never "
	    "\"wrong password\"");
	memset(&err, 0, sizeof(err));
	test_assert(user_get(dc, 1, &u, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(user_by_login(dc, "thr1", &u, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(auth_login(dc, &dbt.cfg, "thr1", DBT_PASSWORD, &u,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	test_end();
	db_free(&down);
}

int
main(void)
{
	dbt_open("user");
	test_create();
	test_login();
	test_throttle();
	test_manage();
	test_lookups();
	return dbt_close();
}
