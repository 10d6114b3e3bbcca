/*
 * test_alias - alias.h's rules against the test MariaDB, each with its
 * refusal: the role aliases every domain gets, which keep their name and
 * kind and which only a superuser deletes; the plan's maximum aliases
 * (role aliases aside); destinations that exist and no loop; the
 * "everyone" kind only on plans small enough; who may do what; deletes
 * all or none; a failed lookup that is never "not found".
 */
#include <stddef.h>

#include "alias.h"
#include "dbtest.h"
#include "mailbox.h"
#include "plan.h"

#define MB	(1024LL * 1024)

static int64_t dom, small, owner, other, support;

static int
mk(struct ctx *c, int64_t domain_id, const char *name, enum alias_kind kind,
    const char *dests, int64_t *id_r, struct err *err)
{
	struct alias_input in = { name, kind, dests };

	memset(err, 0, sizeof(*err));
	*id_r = 0;
	return alias_create(c, domain_id, &in, id_r, err);
}

static struct alias *
find(const char *address)
{
	struct alias *a = NULL;
	struct err err = { 0 };

	test_assert(alias_find(dbt_root(), address, &a, dbt_clear(&err)) == 1);
	return a;
}

static void
test_roles(void)
{
	static const char *const roles[] = { "abuse@al.test",
	    "hostmaster@al.test", "postmaster@al.test", "webmaster@al.test" };
	struct alias *a;
	struct alias_input in;
	struct err err = { 0 };
	size_t i;

	test_begin("role aliases: a new domain has the four, to its contact");
	for (i = 0; i < 4; i++) {
		a = find(roles[i]);
		test_assert(a != NULL && a->role && a->kind == ALIAS_NORMAL);
		test_assert(a != NULL && a->ndests == 1 &&
		    strcmp(a->dests[0].text, "contact@elsewhere.example") == 0);
		test_assert(alias_is_role(roles[i], "al.test"));
	}
	test_assert(!alias_is_role("info@al.test", "al.test"));
	test_assert(!alias_is_role("postmaster@al.test", "other.test"));
	test_assert(!alias_is_role("postmasters@al.test", "al.test"));
	test_end();

	a = find("postmaster@al.test");
	if (a == NULL)
		return;

	test_begin("role aliases: the owner changes where one goes, never "
	    "its name or kind");
	memset(&in, 0, sizeof(in));
	in.kind = ALIAS_NORMAL;
	in.name = "postmaster";
	in.dests = "boss@elsewhere.example";
	test_assert(alias_update(dbt_as(owner), a->id, &in,
	    dbt_clear(&err)) == 0);
	test_assert(find("postmaster@al.test") != NULL &&
	    strcmp(find("postmaster@al.test")->dests[0].text,
	    "boss@elsewhere.example") == 0);
	in.name = "chief";
	test_assert(alias_update(dbt_as(owner), a->id, &in,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "name");
	in.name = "postmaster";
	in.kind = ALIAS_BOUNCE;
	memset(&err, 0, sizeof(err));
	test_assert(alias_update(dbt_as(owner), a->id, &in,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "kind");
	in.kind = ALIAS_NORMAL;
	in.dests = "";
	memset(&err, 0, sizeof(err));
	test_assert(alias_update(dbt_as(owner), a->id, &in,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "dests");
	test_end();

	test_begin("role aliases: an owner or reseller never deletes one, on "
	    "every path; a superuser may");
	memset(&err, 0, sizeof(err));
	test_assert(alias_delete(dbt_as(owner), dom, &a->id, 1,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	{
		int64_t res = dbt_user("alres", ROLE_RESELLER, -1, &dom, 1);
		int64_t ids[2];

		memset(&err, 0, sizeof(err));
		test_assert(alias_delete(dbt_as(res), dom, &a->id, 1,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_FORBIDDEN, NULL);
		/* hidden among others: still nothing deleted */
		test_assert(mk(dbt_root(), dom, "plain", ALIAS_NORMAL,
		    "x@elsewhere.example", &ids[0], dbt_clear(&err)) == 0);
		ids[1] = a->id;
		test_assert(alias_delete(dbt_as(owner), dom, ids, 2,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_FORBIDDEN, NULL);
		test_assert(find("plain@al.test") != NULL);
	}
	test_assert(find("postmaster@al.test") != NULL);
	memset(&err, 0, sizeof(err));
	test_assert(alias_delete(dbt_root(), dom, &a->id, 1,
	    dbt_clear(&err)) == 0);
	{
		struct alias *gone = NULL;

		test_assert(alias_find(dbt_root(), "postmaster@al.test", &gone,
		    dbt_clear(&err)) == 0 && gone == NULL);
	}
	test_end();
}

static void
test_rules(void)
{
	struct err err = { 0 };
	int64_t a, b, id;

	test_begin("create: a normal alias and the catch-all, found by "
	    "address");
	test_assert(mk(dbt_as(owner), dom, "Sales", ALIAS_NORMAL,
	    "x@elsewhere.example\ny@elsewhere.example", &a,
	    dbt_clear(&err)) == 0);
	test_assert(find("sales@al.test") != NULL &&
	    find("sales@al.test")->ndests == 2);
	test_assert(mk(dbt_as(owner), dom, NULL, ALIAS_CATCHALL,
	    "sales@al.test", &id, dbt_clear(&err)) == 0);
	test_assert(find("@al.test") != NULL &&
	    find("@al.test")->kind == ALIAS_CATCHALL);
	test_end();

	test_begin("create: refused fields");
	test_assert(mk(dbt_as(owner), dom, "empty", ALIAS_NORMAL, "", &id,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "dests");
	test_assert(mk(dbt_as(owner), dom, "nowhere", ALIAS_NORMAL,
	    "nobody@al.test", &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "dests");
	test_assert(mk(dbt_as(owner), dom, "x@other.test", ALIAS_NORMAL,
	    "sales@al.test", &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "name");
	test_assert(mk(dbt_as(owner), dom, "odd", ALIAS_KIND__MAX,
	    "sales@al.test", &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "kind");
	test_assert(mk(dbt_as(owner), dom, "sales", ALIAS_NORMAL,
	    "x@elsewhere.example", &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "name");
	test_end();

	test_begin("loops: a -> b -> a is refused naming the loop; a chain "
	    "is fine");
	test_assert(mk(dbt_as(owner), dom, "first", ALIAS_NORMAL,
	    "sales@al.test", &a, dbt_clear(&err)) == 0);
	test_assert(mk(dbt_as(owner), dom, "second", ALIAS_NORMAL,
	    "first@al.test", &b, dbt_clear(&err)) == 0);
	{
		struct alias_input in = { "first", ALIAS_NORMAL,
		    "second@al.test" };
		struct alias *now;

		memset(&err, 0, sizeof(err));
		test_assert(alias_update(dbt_as(owner), a, &in,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "dests");
		test_assert(err.msg != NULL && strstr(err.msg, "second@al.test")
		    != NULL);
		test_assert(alias_get(dbt_root(), a, &now,
		    dbt_clear(&err)) == 1);
		test_assert(now->ndests == 1 &&
		    strcmp(now->dests[0].text, "sales@al.test") == 0);
	}
	test_end();

	test_begin("everyone in domain: only on a plan of at most "
	    "ALIAS_EVERYONE_MAX mailboxes");
	test_assert(mk(dbt_as(owner), dom, "all", ALIAS_EVERYONE, NULL, &id,
	    dbt_clear(&err)) == 0);		/* Recommended: 10 mailboxes */
	{
		struct plan p = *plan_defaults();
		int64_t pid, big;

		p.name = "Unlimited mailboxes";
		p.max_mailboxes = -1;
		test_assert(plan_create(dbt_root(), &p, &pid,
		    dbt_clear(&err)) == 0);
		big = dbt_domain("albig.test", "albig", pid);
		test_assert(mk(dbt_root(), big, "all", ALIAS_EVERYONE, NULL, &id,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_LIMIT, "kind");
	}
	test_end();

	test_begin("the plan's maximum aliases counts no role alias");
	test_assert(mk(dbt_root(), small, "one", ALIAS_NORMAL,
	    "x@elsewhere.example", &id, dbt_clear(&err)) == 0);
	test_assert(mk(dbt_root(), small, "two", ALIAS_NORMAL,
	    "x@elsewhere.example", &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_LIMIT, NULL);
	{
		struct alias_query q = { NULL, 50, 0 };
		struct alias_page pg;

		memset(&pg, 0, sizeof(pg));
		test_assert(alias_list_page(dbt_root(), small, &q, &pg,
		    dbt_clear(&err)) == 0);
		test_assert(pg.count == 1 && pg.roles == 4 && pg.max == 1);
		test_assert(pg.total == 5 && pg.n == 5);
	}
	test_end();
}

static void
test_authz(void)
{
	struct err err = { 0 };
	struct alias *a;
	int64_t id;

	test_begin("authz: support staff see aliases but change none");
	test_assert(alias_find(dbt_as(support), "sales@al.test", &a,
	    dbt_clear(&err)) == 1);
	if (a == NULL) {
		test_end();
		return;
	}
	test_assert(mk(dbt_as(support), dom, "bysupport", ALIAS_NORMAL,
	    "sales@al.test", &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(alias_delete(dbt_as(support), dom, &a->id, 1,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	test_end();

	test_begin("authz: another domain's owner finds nothing and changes "
	    "nothing");
	memset(&err, 0, sizeof(err));
	test_assert(alias_find(dbt_as(other), "sales@al.test", &a,
	    dbt_clear(&err)) == 0);
	test_assert(a == NULL);
	test_assert(mk(dbt_as(other), dom, "byother", ALIAS_NORMAL,
	    "sales@al.test", &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_NOTFOUND, NULL);
	if ((a = find("sales@al.test")) == NULL) {
		test_end();
		return;
	}
	memset(&err, 0, sizeof(err));
	test_assert(alias_delete(dbt_as(other), dom, &a->id, 1,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_NOTFOUND, NULL);
	{
		int64_t ids[2] = { a->id, a->id };

		memset(&err, 0, sizeof(err));
		test_assert(alias_delete(dbt_as(owner), small, ids, 2,
		    dbt_clear(&err))
		    == -1);	/* not the owner's domain */
		dbt_check_err(err, ERR_NOTFOUND, NULL);
		memset(&err, 0, sizeof(err));
		test_assert(alias_delete(dbt_root(), small, ids, 1,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_NOTFOUND, NULL);	/* another domain's */
	}
	test_assert(find("sales@al.test") != NULL);
	test_end();
}

static void
test_lookups(void)
{
	struct alias *a = NULL;
	struct err err = { 0 };
	struct db *down = dbt_unreachable();
	struct ctx *dc = dbt_ctx_on(down, ROLE_SUPERUSER, 0, "root");

	test_begin("alias_get, alias_find: none is 0");
	test_assert(alias_get(dbt_root(), 999999, &a,
	    dbt_clear(&err)) == 0 && a == NULL);
	test_assert(alias_find(dbt_root(), "nobody@al.test", &a,
	    dbt_clear(&err)) == 0);
	test_assert(alias_find(dbt_root(), "not an address", &a,
	    dbt_clear(&err)) == 0);
	test_end();

	test_begin("alias_get, alias_find: a failed lookup is -1, ERR_DB");
	memset(&err, 0, sizeof(err));
	test_assert(alias_get(dc, 1, &a, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(alias_find(dc, "sales@al.test", &a, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	{
		struct alias_query q = { NULL, 50, 0 };
		struct alias_page pg;

		memset(&pg, 0, sizeof(pg));
		test_assert(alias_list_page(dc, dom, &q, &pg,
		    dbt_clear(&err)) == -1);	/* never an empty list */
		dbt_check_err(err, ERR_DB, NULL);
	}
	test_end();
	db_free(&down);
}

int
main(void)
{
	struct plan p;
	struct err err = { 0 };
	int64_t pid = 0;

	dbt_open("alias");
	dom = dbt_domain("al.test", "al", 2);
	owner = dbt_owner("al");
	p = *plan_defaults();
	p.name = "One alias";
	p.max_aliases = 1;
	if (plan_create(dbt_root(), &p, &pid, dbt_clear(&err)) == -1)
		dbt_fatal("plan_create");
	small = dbt_domain("alsmall.test", "alsmall", pid);
	other = dbt_owner("alsmall");
	support = dbt_user("alsupport", ROLE_SUPPORT, -1, NULL, 0);
	test_roles();
	test_rules();
	test_authz();
	test_lookups();
	return dbt_close();
}
