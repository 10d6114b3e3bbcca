/*
 * test_mailbox - mailbox.h's rules against the test MariaDB, each with
 * its refusal: the imposed login and its counter that never goes back,
 * the plan's limits (count, total quota, unlimited quota), the fields'
 * checks, addresses unique on the server, who may do what, deletion that
 * frees the addresses and restoration that takes them back, and a failed
 * lookup that is never "not found".
 */
#include "dbtest.h"
#include "limit.h"
#include "mailbox.h"

#define MB	(1024LL * 1024)
#define GB	(1024LL * MB)

/* mk - a mailbox of the usual kind */
static int
mk(struct ctx *c, int64_t domain_id, const char *local, int64_t quota,
    const char *extras, struct mailbox **mb_r, struct err *err)
{
	return dbt_mailbox(c, domain_id, local, quota, extras, mb_r, err);
}

/* dom - a domain as root reads it */
static struct domain *
dom(int64_t id)
{
	struct domain *d = NULL;
	struct err err = { 0 };

	test_assert(domain_get(dbt_root(), id, &d, dbt_clear(&err)) == 1);
	return d;
}

static int64_t light, rec;		/* domains on plans 1 and 2 */

static void
test_create(void)
{
	struct mailbox *m, *m2;
	struct err err = { 0 };

	test_begin("create: the login is the prefix and a 4-digit counter, "
	    "the address lowercase in the domain, the plan's default quota");
	test_assert(mk(dbt_root(), rec, "Info", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == 0);
	test_assert(m != NULL);
	if (m != NULL) {
		test_assert_str(m->login, "mbrec0001");
		test_assert_str(m->address, "info@rec.test");
		test_assert(m->quota == 3 * GB);
	}
	test_assert(mk(dbt_root(), rec, "sales@REC.test", 500 * MB, NULL, &m2,
	    dbt_clear(&err)) == 0);
	if (m2 != NULL) {
		test_assert_str(m2->login, "mbrec0002");
		test_assert_str(m2->address, "sales@rec.test");
	}
	test_end();

	test_begin("create: refused fields, each on its own field");
	test_assert(mk(dbt_root(), rec, "", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "address");
	test_assert(mk(dbt_root(), rec, "x@other.test", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "address");
	test_assert(mk(dbt_root(), rec, "a b", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "address");
	test_assert(mk(dbt_root(), rec, "small", 1000, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "quota");
	test_assert(mk(dbt_root(), rec, "extra1", QUOTA_DEFAULT,
	    "extra1@rec.test", &m, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	test_assert(mk(dbt_root(), rec, "extra2", QUOTA_DEFAULT,
	    "x@elsewhere.test", &m, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	{
		struct mailbox_input in;

		memset(&in, 0, sizeof(in));
		in.local = "named";
		in.real_name = "<script>";
		in.password = in.password2 = DBT_PASSWORD;
		in.quota = QUOTA_DEFAULT;
		test_assert(mailbox_create(dbt_root(), dom(rec), &in, &m,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "real_name");
		in.real_name = "";
		in.password2 = "something else";
		memset(&err, 0, sizeof(err));
		test_assert(mailbox_create(dbt_root(), dom(rec), &in, &m,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "password2");
		in.password = in.password2 = "abc";
		memset(&err, 0, sizeof(err));
		test_assert(mailbox_create(dbt_root(), dom(rec), &in, &m,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "password");
		in.password = in.password2 = "mbrec-Vq7-Lrx2#T";	/* the prefix */
		memset(&err, 0, sizeof(err));
		test_assert(mailbox_create(dbt_root(), dom(rec), &in, &m,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "password");
	}
	test_end();

	test_begin("create: refused fields write nothing and use no login");
	test_assert(mk(dbt_root(), rec, "third", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == 0);
	if (m != NULL)
		test_assert_str(m->login, "mbrec0003");
	test_end();
}

static void
test_limits(void)
{
	struct mailbox *m;
	struct err err = { 0 };

	test_begin("plan limit: Light allows one mailbox, the second is "
	    "ERR_LIMIT");
	test_assert(mk(dbt_root(), light, "one", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == 0);
	test_assert(mk(dbt_root(), light, "two", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_LIMIT, NULL);
	test_end();

	test_begin("plan limit: a quota past what the plan has left is "
	    "ERR_LIMIT on quota (30 GB plan, 6.5 GB given)");
	test_assert(mk(dbt_root(), rec, "big", 24 * GB, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_LIMIT, "quota");
	test_assert(mk(dbt_root(), rec, "big", 23 * GB, NULL, &m,
	    dbt_clear(&err)) == 0);
	test_assert(mk(dbt_root(), rec, "more", 1 * GB, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_LIMIT, "quota");
	test_end();

	test_begin("plan limit: no mailbox without quota unless the plan "
	    "allows it");
	test_assert(mk(dbt_root(), rec, "nolimit", QUOTA_UNLIMITED, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_LIMIT, "quota");
	test_end();

	test_begin("plan limit: an update that raises a quota past the plan "
	    "is refused and changes nothing");
	{
		struct mailbox *big, *again;
		struct mailbox_input in;

		test_assert(mailbox_by_login(dbt_root(), "mbrec0004", &big,
		    dbt_clear(&err)) == 1);
		memset(&in, 0, sizeof(in));
		in.set = MB_SET_QUOTA;
		in.quota = 28 * GB;
		memset(&err, 0, sizeof(err));
		test_assert(mailbox_update(dbt_root(), big->id, &in,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_LIMIT, "quota");
		test_assert(mailbox_get(dbt_root(), big->id, &again,
		    dbt_clear(&err)) == 1);
		test_assert(again->quota == 23 * GB);
		in.quota = 20 * GB;	/* lowering always fits */
		test_assert(mailbox_update(dbt_root(), big->id, &in,
		    dbt_clear(&err)) == 0);
	}
	test_end();
}

static void
test_unique(void)
{
	struct mailbox *m, *other;
	struct err err = { 0 };

	test_begin("address unique: a primary or additional address of "
	    "another mailbox is refused, on its field");
	test_assert(mk(dbt_root(), rec, "info", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "address");
	test_assert(mk(dbt_root(), rec, "withextra", 100 * MB,
	    "contact@rec.test", &other, dbt_clear(&err)) == 0);
	test_assert(other != NULL && other->nextras == 1);
	test_assert(mk(dbt_root(), rec, "contact", 100 * MB, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "address");
	test_assert(mk(dbt_root(), rec, "yetanother", 100 * MB,
	    "info@rec.test", &m, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	test_assert(mk(dbt_root(), rec, "postmaster", 100 * MB, NULL, &m,
	    dbt_clear(&err)) == -1);		/* a role alias */
	dbt_check_err(err, ERR_INVALID, "address");
	test_end();

	test_begin("address unique: renaming onto another's address is "
	    "refused; MB_CHECK checks and writes nothing");
	{
		struct mailbox_input in;
		struct mailbox *again;

		memset(&in, 0, sizeof(in));
		in.set = MB_SET_ADDRESS;
		in.local = "info";
		test_assert(mailbox_update(dbt_root(), other->id, &in,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "address");
		in.set = MB_SET_ADDRESS | MB_CHECK;
		in.local = "renamed";
		memset(&err, 0, sizeof(err));
		test_assert(mailbox_update(dbt_root(), other->id, &in,
		    dbt_clear(&err)) == 0);
		test_assert(mailbox_get(dbt_root(), other->id, &again,
		    dbt_clear(&err)) == 1);
		test_assert_str(again->address, "withextra@rec.test");
	}
	test_end();
}

static void
test_extras(void)
{
	struct mailbox *m, *again;
	struct mailbox_input in;
	struct err err = { 0 };

	test_assert(mailbox_by_login(dbt_root(), "mbrec0002", &m,
	    dbt_clear(&err)) == 1);
	memset(&in, 0, sizeof(in));
	in.set = MB_SET_EXTRAS;

	test_begin("extras: set, replaced whole, each unique on the server");
	in.extras = "Sales.Desk, orders\norders";
	test_assert(mailbox_update(dbt_root(), m->id, &in,
	    dbt_clear(&err)) == 0);
	test_assert(mailbox_get(dbt_root(), m->id, &again,
	    dbt_clear(&err)) == 1);
	test_assert(again->nextras == 2);
	in.extras = "orders, info";	/* info is another mailbox's */
	test_assert(mailbox_update(dbt_root(), m->id, &in,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	test_assert(mailbox_get(dbt_root(), m->id, &again,
	    dbt_clear(&err)) == 1);
	test_assert(again->nextras == 2);	/* unchanged */
	in.extras = "";
	test_assert(mailbox_update(dbt_root(), m->id, &in,
	    dbt_clear(&err)) == 0);
	test_assert(mailbox_get(dbt_root(), m->id, &again,
	    dbt_clear(&err)) == 1);
	test_assert(again->nextras == 0);
	test_assert(mk(dbt_root(), rec, "orders", 100 * MB, NULL, &again,
	    dbt_clear(&err)) == 0);	/* free again */
	test_assert(mailbox_delete(dbt_root(), rec, &again->id, 1,
	    dbt_clear(&err)) == 0);
	test_end();
}

static void
test_authz(void)
{
	struct mailbox *m;
	struct mailbox_input in;
	struct err err = { 0 };
	int64_t owner = dbt_owner("mbrec"), other = dbt_owner("mblight");
	int64_t support = dbt_user("mbsupport", ROLE_SUPPORT, -1, NULL, 0);
	struct ctx *sc = dbt_as(support);

	test_assert(mailbox_by_login(dbt_root(), "mbrec0001", &m,
	    dbt_clear(&err)) == 1);

	test_begin("authz: the owner creates in its domain; another "
	    "domain's owner finds no such domain");
	test_assert(mk(dbt_as(owner), rec, "byowner", 100 * MB, NULL, &m,
	    dbt_clear(&err)) == 0);
	test_assert(mk(dbt_as(other), rec, "byother", 100 * MB, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_NOTFOUND, NULL);
	test_end();

	test_begin("authz: another domain's owner cannot read a mailbox "
	    "(not found, 0), nor change it");
	test_assert(mailbox_by_login(dbt_root(), "mbrec0001", &m,
	    dbt_clear(&err)) == 1);
	memset(&err, 0, sizeof(err));
	{
		struct mailbox *seen = NULL;

		test_assert(mailbox_get(dbt_as(other), m->id, &seen,
		    dbt_clear(&err)) == 0);
		test_assert(seen == NULL);
		dbt_check_err(err, ERR_NOTFOUND, NULL);
		memset(&err, 0, sizeof(err));
		test_assert(mailbox_set_password(dbt_as(other), m->id,
		    DBT_PASSWORD "x", DBT_PASSWORD "x", dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_NOTFOUND, NULL);
	}
	test_end();

	test_begin("authz: support staff change quotas and passwords, "
	    "never create, rename or delete");
	test_assert(mk(sc, rec, "bysupport", 100 * MB, NULL, &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	test_assert(mailbox_by_login(dbt_root(), "mbrec0001", &m,
	    dbt_clear(&err)) == 1);
	memset(&in, 0, sizeof(in));
	in.set = MB_SET_QUOTA;
	in.quota = 200 * MB;
	test_assert(mailbox_update(sc, m->id, &in, dbt_clear(&err)) == 0);
	test_assert(mailbox_set_password(sc, m->id, DBT_PASSWORD "y",
	    DBT_PASSWORD "y", dbt_clear(&err)) == 0);
	in.set = MB_SET_ADDRESS;
	in.local = "renamed";
	test_assert(mailbox_update(sc, m->id, &in, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(mailbox_delete(sc, rec, &m->id, 1, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	test_end();
}

static void
test_delete_restore(void)
{
	struct mailbox *m, *again, *taker;
	struct err err = { 0 };
	int64_t owner = dbt_owner("mbrec");
	int64_t bogus = 999999;

	test_assert(mailbox_by_login(dbt_root(), "mbrec0005", &m,
	    dbt_clear(&err)) == 1);
	test_assert_str(m->address, "withextra@rec.test");

	test_begin("delete: one of another domain's ids deletes nothing");
	{
		int64_t ids[2] = { m->id, bogus };

		test_assert(mailbox_delete(dbt_root(), rec, ids, 2,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_NOTFOUND, NULL);
		test_assert(mailbox_get(dbt_root(), m->id, &again,
		    dbt_clear(&err)) == 1);
		test_assert(*again->deleted_at == '\0');
		memset(&err, 0, sizeof(err));
		test_assert(mailbox_delete(dbt_root(), rec, ids, 0,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, NULL);
	}
	test_end();

	test_begin("delete: the addresses are free at once; the login is "
	    "never given again");
	memset(&err, 0, sizeof(err));
	test_assert(mailbox_delete(dbt_as(owner), rec, &m->id, 1,
	    dbt_clear(&err)) == 0);
	test_assert(mailbox_get(dbt_root(), m->id, &again,
	    dbt_clear(&err)) == 1);
	test_assert(*again->deleted_at != '\0');
	test_assert(again->nextras == 1);	/* kept for a restore */
	test_assert(mk(dbt_root(), rec, "contact", 100 * MB, NULL, &taker,
	    dbt_clear(&err)) == 0);
	test_assert(taker != NULL && strcmp(taker->login, "mbrec0005") != 0);
	if (taker != NULL)
		test_assert_str(taker->login, "mbrec0008");	/* after orders, byowner */
	test_end();

	test_begin("restore: only staff with AUTHZ_ADMIN; refused while an "
	    "address of it is taken again");
	test_assert(mailbox_restore(dbt_as(owner), m->id,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(mailbox_restore(dbt_root(), m->id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	memset(&err, 0, sizeof(err));
	test_assert(mailbox_delete(dbt_root(), rec, &taker->id, 1,
	    dbt_clear(&err)) == 0);
	test_assert(mailbox_restore(dbt_root(), m->id, dbt_clear(&err)) == 0);
	test_assert(mailbox_get(dbt_root(), m->id, &again,
	    dbt_clear(&err)) == 1);
	test_assert(*again->deleted_at == '\0' && again->nextras == 1);
	memset(&err, 0, sizeof(err));
	test_assert(mailbox_restore(dbt_root(), m->id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, NULL);	/* not deleted */
	test_end();
}

static void
test_lookups(void)
{
	struct mailbox *m = NULL;
	struct err err = { 0 };
	struct db *down = dbt_unreachable();
	struct ctx *dc = dbt_ctx_on(down, ROLE_SUPERUSER, 0, "root");

	test_begin("lookup: no such mailbox is 0 and ERR_NOTFOUND");
	test_assert(mailbox_get(dbt_root(), 999999, &m, dbt_clear(&err)) == 0);
	test_assert(m == NULL);
	dbt_check_err(err, ERR_NOTFOUND, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(mailbox_by_login(dbt_root(), "mbrec9999", &m,
	    dbt_clear(&err)) == 0);
	dbt_check_err(err, ERR_NOTFOUND, NULL);
	test_end();

	test_begin("lookup: a failed lookup is never not found (-1, ERR_DB)");
	memset(&err, 0, sizeof(err));
	test_assert(mailbox_get(dc, 1, &m, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(mailbox_by_login(dc, "mbrec0001", &m,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(mk(dc, rec, "down", QUOTA_DEFAULT, NULL, &m,
	    dbt_clear(&err)) == -1);
	{
		struct mailbox *v;
		size_t n = 9;

		test_assert(mailbox_list_deleted(dc, rec, 10, 0, &v, &n,
		    dbt_clear(&err)) == -1 && n == 0);
		dbt_check_err(err, ERR_DB, NULL);
	}
	test_end();
	db_free(&down);
}

int
main(void)
{
	dbt_open("mailbox");
	light = dbt_domain("light.test", "mblight", 1);
	rec = dbt_domain("rec.test", "mbrec", 2);
	test_create();
	test_limits();
	test_unique();
	test_extras();
	test_authz();
	test_delete_restore();
	test_lookups();
	return dbt_close();
}
