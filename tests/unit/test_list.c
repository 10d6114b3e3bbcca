/*
 * test_list - the sidebar's domain names kept by a worker (list.h,
 * list_domain_names_kept) and the version of schema/050 that says when
 * they must be read again: kept while the version stays, read again when
 * it moves, never one login's list for another (also when more logins
 * than the worker keeps take turns), never kept without a version; the
 * version moves when a domain is made, given or deleted, and not when a
 * mailbox changes its domain's counters.
 */
#include <stdio.h>

#include "dbtest.h"
#include "limit.h"
#include "list.h"
#include "session.h"

#define LOGINS	40	/* more than the worker keeps */

/* version - schema/050's version, as the session reads it */
static uint64_t
version(int64_t user_id)
{
	char t[SESSION_TOKEN_LEN + 1];
	struct session *s = NULL;

	if (session_create(dbt_root(), user_id, t) != 0 ||
	    session_load(dbt_root(), &dbt.cfg, t, &s) != 1) {
		fprintf(stderr, "  version: no session\n");
		exit(test_done() + 1);
	}
	return s->names_version;
}

/* names - the kept list of c at v as "a,b,c" */
static const char *
names(struct ctx *c, uint64_t v)
{
	struct domain_name *dn;
	struct err err = { 0 };
	size_t n, i;
	int more;
	static char out[1024];

	out[0] = '\0';
	if (list_domain_names_kept(c, v, 200, &dn, &n, &more, &err) == -1)
		return "error";
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
		    i ? "," : "", dn[i].name);
	return out;
}

int
main(void)
{
	int64_t a, b, c2, owner, other, ids[LOGINS];
	struct ctx *oc, *xc;
	uint64_t v0, v1, v2;
	struct err err = { 0 };
	char login[32];
	size_t i;

	dbt_open("list");
	a = dbt_domain("kept-a.test", "kepta", 2);
	owner = dbt_owner("kepta");
	c2 = dbt_domain("kept-c.test", "keptc", 2);
	other = dbt_owner("keptc");
	oc = dbt_as(owner);
	xc = dbt_as(other);

	test_begin("kept: read once, then answered from memory while the "
	    "version stays (even when the table changed under it)");
	v0 = version(owner);
	test_assert(v0 > 0);
	test_assert(strcmp(names(oc, v0), "kept-a.test") == 0);
	b = dbt_domain_as(dbt_root(), "kept-b.test", "keptb", 2, owner);
	test_assert(b > 0);
	test_assert(strcmp(names(oc, v0), "kept-a.test") == 0);
	test_end();

	test_begin("a domain made for the login moves the version: read again");
	v1 = version(owner);
	test_assert(v1 > v0);
	test_assert(strcmp(names(oc, v1), "kept-a.test,kept-b.test") == 0);
	test_end();

	test_begin("one login's list never answers for another's");
	test_assert(strcmp(names(xc, v1), "kept-c.test") == 0);
	test_assert(strcmp(names(oc, v1), "kept-a.test,kept-b.test") == 0);
	test_end();

	test_begin("without a version (0) nothing is kept");
	test_assert(strcmp(names(oc, 0), "kept-a.test,kept-b.test") == 0);
	test_end();

	test_begin("a new mailbox changes its domain's row, not the version");
	test_assert(dbt_mailbox(dbt_root(), a, "keptbox", QUOTA_DEFAULT, NULL,
	    NULL, &err) == 0);
	test_assert(version(owner) == v1);
	test_end();

	test_begin("a deleted domain moves the version and leaves the list");
	test_assert(domain_delete(dbt_root(), b, "kept-b.test",
	    dbt_clear(&err)) == 0);
	v2 = version(owner);
	test_assert(v2 > v1);
	test_assert(strcmp(names(oc, v2), "kept-a.test") == 0);
	test_end();

	test_begin("more logins than the worker keeps: each its own list");
	for (i = 0; i < LOGINS; i++) {
		int64_t dom = i % 2 ? a : c2;

		snprintf(login, sizeof(login), "keptl%02zu", i);
		ids[i] = dbt_user(login, ROLE_OWNER, -1, &dom, 1);
	}
	v2 = version(owner);
	for (i = 0; i < 2 * LOGINS; i++)
		test_assert(strcmp(names(dbt_as(ids[i % LOGINS]), v2),
		    i % 2 ? "kept-a.test" : "kept-c.test") == 0);
	test_end();
	return dbt_close();
}
