/*
 * test_plan - plan.h's rules against the test MariaDB, each with its
 * refusal: the seed's "Recommended" is what a new plan starts as; who may
 * create, edit and give a plan; the checks of a plan's values; a change
 * that would put a domain over a limit is refused naming it and changes
 * nothing; a reseller's change reaching a domain it does not manage is
 * refused; plan_fits on each limit; a failed lookup is never not found.
 */
#include "dbtest.h"
#include "limit.h"
#include "mailbox.h"
#include "plan.h"

#define MB	(1024LL * 1024)
#define GB	(1024LL * MB)

static int64_t reseller, support, owner;

static void
test_defaults(void)
{
	struct plan *seed = NULL;
	struct err err = { 0 };
	const struct plan *d = plan_defaults();

	test_begin("plan_defaults is the seed's Recommended row");
	test_assert(plan_get(dbt_root(), 2, &seed, dbt_clear(&err)) == 1);
	if (seed != NULL) {
		test_assert_str(seed->name, "Recommended");
		test_assert(d->mail_quota == seed->mail_quota);
		test_assert(d->max_mailboxes == seed->max_mailboxes);
		test_assert(d->default_mailbox_quota == seed->default_mailbox_quota);
		test_assert(d->allow_unlimited_quota == seed->allow_unlimited_quota);
		test_assert(d->max_aliases == seed->max_aliases);
		test_assert(d->max_alias_domains == seed->max_alias_domains);
		test_assert(d->max_message_size == seed->max_message_size);
		test_assert(d->web_quota == seed->web_quota);
		test_assert(d->max_virtual_servers == seed->max_virtual_servers);
		test_assert(seed->owner_id == 0);
	}
	test_end();
}

/* a plan as plan_defaults, with a name and a few changes */
static struct plan
named(const char *name)
{
	struct plan p = *plan_defaults();

	p.name = name;
	return p;
}

static void
test_checks(void)
{
	struct plan p;
	struct err err = { 0 };
	int64_t id;
	static const struct {
		const char	*field;
		int		 what;
	} bad[] = {
		{ "name", 0 },
		{ "mail_quota", 1 },
		{ "mail_quota", 2 },
		{ "max_mailboxes", 3 },
		{ "default_mailbox_quota", 4 },
		{ "default_mailbox_quota", 5 },
		{ "default_mailbox_quota", 6 },
		{ "max_aliases", 7 },
		{ "max_message_size", 8 },
		{ "max_message_size", 9 },
		{ "max_virtual_servers", 10 },
	};
	size_t i;

	test_begin("create: each bad value refused on its field, nothing "
	    "made");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = named("Bad");
		switch (bad[i].what) {
		case 0: p.name = ""; break;
		case 1: p.mail_quota = 0; break;
		case 2: p.mail_quota = 1000; break;
		case 3: p.max_mailboxes = -2; break;
		case 4: p.default_mailbox_quota = 100; break;
		case 5: p.default_mailbox_quota = QUOTA_UNLIMITED;
			p.allow_unlimited_quota = 0; break;
		case 6: p.mail_quota = 2 * GB; p.default_mailbox_quota = 3 * GB;
			break;
		case 7: p.max_aliases = LIMIT_COUNT_MAX + 1LL; break;
		case 8: p.max_message_size = 1000; break;
		case 9: p.max_message_size = 3 * GB; break;
		case 10: p.max_virtual_servers = -5; break;
		}
		memset(&err, 0, sizeof(err));
		test_assert(plan_create(dbt_root(), &p, &id,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, bad[i].field);
	}
	test_end();

	test_begin("create: the superuser makes a shared plan; a name is "
	    "unique");
	p = named("Shared");
	p.max_mailboxes = 5;
	test_assert(plan_create(dbt_root(), &p, &id, dbt_clear(&err)) == 0);
	{
		struct plan *got;

		test_assert(plan_get(dbt_root(), id, &got,
		    dbt_clear(&err)) == 1);
		test_assert(got->owner_id == 0 && got->max_mailboxes == 5);
	}
	test_assert(plan_create(dbt_root(), &p, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "name");
	test_end();
}

static void
test_who(void)
{
	struct plan p = named("Reseller's");
	struct plan *mine, *seed;
	struct err err = { 0 };
	int64_t id;

	test_begin("create: support staff and owners may not make plans");
	test_assert(plan_create(dbt_as(support), &p, &id,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	memset(&err, 0, sizeof(err));
	test_assert(plan_create(dbt_as(owner), &p, &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	test_end();

	test_begin("a reseller owns the plans it makes: edits and gives "
	    "them, never a shared one's values");
	p.max_mailboxes = 2;
	memset(&err, 0, sizeof(err));
	test_assert(plan_create(dbt_as(reseller), &p, &id,
	    dbt_clear(&err)) == 0);
	test_assert(plan_get(dbt_as(owner), id, &mine, dbt_clear(&err)) == 1);
	test_assert(mine->owner_id == reseller);
	test_assert(plan_may_edit(dbt_as(reseller), mine));
	test_assert(plan_may_use(dbt_as(reseller), mine));
	test_assert(!plan_may_edit(dbt_as(support), mine));
	test_assert(plan_get(dbt_root(), 2, &seed, dbt_clear(&err)) == 1);
	test_assert(!plan_may_edit(dbt_as(reseller), seed));
	test_assert(plan_may_use(dbt_as(reseller), seed));
	{
		struct domain_over *over;
		size_t nover;
		struct plan q = *seed;

		q.max_mailboxes = 11;
		memset(&err, 0, sizeof(err));
		test_assert(plan_update(dbt_as(reseller), 2, &q, &over, &nover,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_FORBIDDEN, NULL);
		test_assert(plan_get(dbt_root(), 2, &seed,
		    dbt_clear(&err)) == 1);
		test_assert(seed->max_mailboxes == 10);
	}
	test_end();

	test_begin("plan_list: a reseller sees the shared plans and its own, "
	    "not another reseller's");
	{
		int64_t other = dbt_user("planres2", ROLE_RESELLER, -1, NULL, 0);
		struct plan o = named("Other reseller's");
		struct plan *v;
		size_t n, i;
		int saw_mine = 0, saw_other = 0, saw_seed = 0;

		test_assert(plan_create(dbt_as(other), &o, &id,
		    dbt_clear(&err)) == 0);
		test_assert(plan_list(dbt_as(reseller), &v, &n,
		    dbt_clear(&err)) == 0);
		for (i = 0; i < n; i++) {
			saw_mine += v[i].id == mine->id;
			saw_other += v[i].id == id;
			saw_seed += v[i].id == 2;
		}
		test_assert(saw_mine == 1 && saw_other == 0 && saw_seed == 1);
		test_assert(plan_get(dbt_root(), id, &v, dbt_clear(&err)) == 1);
		test_assert(v->owner_id == other);
		test_assert(!plan_may_use(dbt_as(reseller), v));
		test_assert(!plan_may_edit(dbt_as(reseller), v));
		memset(&err, 0, sizeof(err));
		test_assert(plan_list(dbt_as(owner), &v, &n,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_FORBIDDEN, NULL);
	}
	test_end();
}

/* mailbox - one more mailbox of 100 MB in domain id */
static int
mailbox(int64_t domain_id, const char *local)
{
	struct mailbox *m;
	struct err err;

	return dbt_mailbox(dbt_root(), domain_id, local, 100 * MB, NULL, &m,
	    dbt_clear(&err));
}

static void
test_update(void)
{
	struct plan *pl, q;
	struct plan_usage u;
	struct domain_over *over;
	size_t nover;
	struct err err = { 0 };
	int64_t pid, dom;

	/* the reseller's plan (2 mailboxes) and its domain with both used */
	test_assert(plan_list(dbt_as(reseller), &pl, &nover,
	    dbt_clear(&err)) == 0);
	for (pid = 0; nover > 0; nover--)
		if (pl[nover - 1].owner_id == reseller)
			pid = pl[nover - 1].id;
	dom = dbt_domain_as(dbt_as(reseller), "resold.test", "resold", pid, 0);

	test_begin("update: a change that puts a domain over a limit is "
	    "refused, naming it, and nothing changes");
	test_assert(mailbox(dom, "one") == 0);
	test_assert(mailbox(dom, "two") == 0);
	test_assert(plan_get(dbt_root(), pid, &pl, dbt_clear(&err)) == 1);
	q = *pl;
	q.max_mailboxes = 1;
	test_assert(plan_update(dbt_as(reseller), pid, &q, &over, &nover,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_LIMIT, NULL);
	test_assert(nover == 1);
	if (nover == 1) {
		test_assert(over[0].id == dom);
		test_assert_str(over[0].name, "resold.test");
		test_assert(over[0].why != NULL);
	}
	test_assert(plan_get(dbt_root(), pid, &pl, dbt_clear(&err)) == 1);
	test_assert(pl->max_mailboxes == 2);
	q.max_mailboxes = 2;
	q.mail_quota = 150 * MB;
	q.default_mailbox_quota = 100 * MB;
	memset(&err, 0, sizeof(err));
	test_assert(plan_update(dbt_as(reseller), pid, &q, &over, &nover,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_LIMIT, NULL);
	test_assert(nover == 1);
	test_end();

	test_begin("update: a change that fits is saved");
	q = *pl;
	q.max_mailboxes = 3;
	memset(&err, 0, sizeof(err));
	test_assert(plan_update(dbt_as(reseller), pid, &q, &over, &nover,
	    dbt_clear(&err)) == 0);
	test_assert(plan_get(dbt_root(), pid, &pl, dbt_clear(&err)) == 1);
	test_assert(pl->max_mailboxes == 3);
	test_end();

	test_begin("update: a reseller's plan used by a domain it does not "
	    "manage is the superuser's to change");
	dbt_domain("notresold.test", "notresold", pid);
	q = *pl;
	q.max_mailboxes = 4;
	memset(&err, 0, sizeof(err));
	test_assert(plan_update(dbt_as(reseller), pid, &q, &over, &nover,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_FORBIDDEN, NULL);
	test_assert(nover == 0);
	test_assert(plan_update(dbt_root(), pid, &q, &over, &nover,
	    dbt_clear(&err)) == 0);
	test_end();

	test_begin("a domain's new plan must hold what it uses (ERR_LIMIT on "
	    "plan); the owner changes no plan");
	{
		struct domain *d;
		struct domain_change ch;

		test_assert(domain_get(dbt_root(), dom, &d, dbt_clear(&err)) == 1);
		memset(&ch, 0, sizeof(ch));
		ch.plan_id = 1;		/* Light: one mailbox, resold has two */
		ch.description = d->description;
		ch.contact_email = d->contact_email;
		ch.active = 1;
		test_assert(domain_update(dbt_root(), dom, &ch,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_LIMIT, "plan");
		test_assert(domain_get(dbt_root(), dom, &d, dbt_clear(&err)) == 1);
		test_assert(d->plan_id == pid);
		ch.plan_id = 3;		/* Extended: fits */
		test_assert(domain_update(dbt_as(owner), dom, &ch,
		    dbt_clear(&err)) == -1);
		test_assert(err.kind == ERR_NOTFOUND || err.kind == ERR_FORBIDDEN);
		test_assert(domain_update(dbt_root(), dom, &ch,
		    dbt_clear(&err)) == 0);
		test_assert(domain_get(dbt_root(), dom, &d, dbt_clear(&err)) == 1);
		test_assert(d->plan_id == 3);
		ch.plan_id = pid;
		test_assert(domain_update(dbt_root(), dom, &ch,
		    dbt_clear(&err)) == 0);
	}
	test_end();

	test_begin("plan_fits: each limit, and a domain's own quota");
	q = named("fits");
	q.max_mailboxes = 2;
	q.mail_quota = 1 * GB;
	q.allow_unlimited_quota = 0;
	q.max_aliases = 3;
	memset(&u, 0, sizeof(u));
	u.quota_override = -1;
	u.mailboxes = 2;
	u.quota_sum = 1 * GB;
	u.aliases = 3;
	test_assert(plan_fits(dbt.pool, &q, &u) == NULL);
	u.mailboxes = 3;
	test_assert(plan_fits(dbt.pool, &q, &u) != NULL);
	u.mailboxes = 2;
	u.quota_sum = 1 * GB + 1;
	test_assert(plan_fits(dbt.pool, &q, &u) != NULL);
	u.quota_override = 2 * GB;
	test_assert(plan_fits(dbt.pool, &q, &u) == NULL);
	u.unlimited = 1;
	test_assert(plan_fits(dbt.pool, &q, &u) != NULL);
	u.unlimited = 0;
	u.aliases = 4;
	test_assert(plan_fits(dbt.pool, &q, &u) != NULL);
	q.max_aliases = LIMIT_UNLIMITED;
	q.max_mailboxes = LIMIT_UNLIMITED;
	u.mailboxes = 100000;
	test_assert(plan_fits(dbt.pool, &q, &u) == NULL);
	test_end();
}

static void
test_lookups(void)
{
	struct plan *p = NULL;
	struct err err = { 0 };
	struct db *down = dbt_unreachable();

	test_begin("plan_get: no such plan is 0 and ERR_NOTFOUND on plan");
	test_assert(plan_get(dbt_root(), 999999, &p, dbt_clear(&err)) == 0);
	test_assert(p == NULL);
	dbt_check_err(err, ERR_NOTFOUND, "plan");
	test_end();

	test_begin("plan_get, plan_list: a failed lookup is never not found");
	memset(&err, 0, sizeof(err));
	test_assert(plan_get(dbt_ctx_on(down, ROLE_SUPERUSER, 0, "root"), 2, &p,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	{
		size_t n = 7;

		memset(&err, 0, sizeof(err));
		test_assert(plan_list(dbt_ctx_on(down, ROLE_SUPERUSER, 0,
		    "root"), &p, &n, dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_DB, NULL);
		test_assert(n == 0);
	}
	test_end();
	db_free(&down);
}

int
main(void)
{
	int64_t d;

	dbt_open("plan");
	reseller = dbt_user("planres", ROLE_RESELLER, -1, NULL, 0);
	support = dbt_user("plansupport", ROLE_SUPPORT, -1, NULL, 0);
	d = dbt_domain("planowner.test", "planowner", 2);
	owner = dbt_owner("planowner");
	(void)d;
	test_defaults();
	test_checks();
	test_who();
	test_update();
	test_lookups();
	return dbt_close();
}
