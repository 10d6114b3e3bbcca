/*
 * test_address - address.h against the test MariaDB, each rule with its
 * refusal: normalisation (case, spaces, IDN, another domain, bad local
 * parts), additional addresses typed in a box, uniqueness across the
 * whole server (primary and additional addresses, aliases, alias domains
 * and domains), the exact lookup of a mailbox by address (never a
 * pattern, never a prefix), destinations (logins, local, remote, the
 * plan's remote cap, bounce aliases) and a failed lookup that is never
 * "not found".
 */
#include <stddef.h>

#include "address.h"
#include "alias.h"
#include "aliasdomain.h"
#include "dbtest.h"
#include "mailbox.h"

#define MB	(1024LL * 1024)

static int64_t d1, d2, idn;
static struct mailbox *info;

static void
test_norm(void)
{
	static const struct {
		const char *domain, *in, *out;
	} t[] = {
		{ "addr.test", "info", "info@addr.test" },
		{ "addr.test", "Info", "info@addr.test" },
		{ "addr.test", "  INFO@ADDR.TEST", "info@addr.test" },
		{ "addr.test", "first.last+tag", "first.last+tag@addr.test" },
		{ "xn--caf-dma.test", "Info@caf\xc3\xa9.test",
		  "info@xn--caf-dma.test" },
		{ "xn--caf-dma.test", "info@XN--CAF-DMA.test",
		  "info@xn--caf-dma.test" },
		{ "addr.test", "", NULL },
		{ "addr.test", "   ", NULL },
		{ "addr.test", "x@other.test", NULL },
		{ "addr.test", "x@addr.test.evil", NULL },
		{ "addr.test", "a b", NULL },
		{ "addr.test", "a@b@addr.test", NULL },
		{ "addr.test", "\xff", NULL },
		{ "addr.test", ".dot", NULL },
		{ "addr.test", "x\r\nRCPT TO:<y@z>", NULL },
	};
	struct ctx *c = dbt_root();
	struct err err;
	char *out, big[400];
	size_t i;

	test_begin("address_norm: lowercase, in the domain (punycode), or "
	    "ERR_INVALID on the field given");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (t[i].out != NULL) {
			test_assert(address_norm(c, t[i].domain, t[i].in, "f",
			    &out, dbt_clear(&err)) == 0);
			test_assert_str(out, t[i].out);
		} else {
			test_assert(address_norm(c, t[i].domain, t[i].in, "f",
			    &out, dbt_clear(&err)) == -1);
			test_assert(out == NULL);
			dbt_check_err(err, ERR_INVALID, "f");
		}
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(&err, 0, sizeof(err));
	test_assert(address_norm(c, "addr.test", big, "f", &out,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "f");
	test_end();
}

static void
test_extras(void)
{
	struct ctx *c = dbt_root();
	struct err err = { 0 };
	const char **v;
	size_t n, i;
	char *many;

	test_begin("address_parse_extras: one per line, commas or spaces, "
	    "duplicates dropped");
	test_assert(address_parse_extras(c, "addr.test", "a@addr.test, B\n"
	    "b@ADDR.test c;a", "info@addr.test", &v, &n, dbt_clear(&err)) == 0);
	test_assert(n == 3);
	if (n == 3) {
		test_assert_str(v[0], "a@addr.test");
		test_assert_str(v[1], "b@addr.test");
		test_assert_str(v[2], "c@addr.test");
	}
	test_assert(address_parse_extras(c, "addr.test", NULL, NULL, &v, &n,
	    dbt_clear(&err)) == 0 && n == 0);
	test_end();

	test_begin("address_parse_extras: the primary, another domain, a bad "
	    "one and more than ADDRESS_EXTRAS_MAX are refused on extra");
	test_assert(address_parse_extras(c, "addr.test", "a, Info",
	    "info@addr.test", &v, &n, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_extras(c, "addr.test", "a@other.test",
	    NULL, &v, &n, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_extras(c, "addr.test", "ok, <x>", NULL, &v,
	    &n, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	many = pool_strdup(dbt.pool, "");
	for (i = 0; i <= ADDRESS_EXTRAS_MAX; i++)
		many = pool_printf(dbt.pool, "%sx%zu\n", many, i);
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_extras(c, "addr.test", many, NULL, &v, &n,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	test_end();
}

static int
mk(int64_t domain_id, const char *local, const char *extras,
    struct mailbox **m_r, struct err *err)
{
	return dbt_mailbox(dbt_root(), domain_id, local, 100 * MB, extras, m_r,
	    err);
}

static int
alias(int64_t domain_id, const char *name, const char *dests,
    enum alias_kind kind, int64_t *id_r, struct err *err)
{
	struct alias_input in = { name, kind, dests };

	memset(err, 0, sizeof(*err));
	return alias_create(dbt_root(), domain_id, &in, id_r, err);
}

static void
test_unique(void)
{
	struct mailbox *m;
	struct err err = { 0 };
	int64_t id;

	test_assert(mk(d1, "info", "contact", &info, dbt_clear(&err)) == 0);
	test_assert(alias(d1, "sales", "info@addr.test", ALIAS_NORMAL, &id,
	    dbt_clear(&err)) == 0);

	test_begin("unique: a mailbox cannot take an alias's address, nor an "
	    "alias a mailbox's primary or additional one");
	test_assert(mk(d1, "sales", NULL, &m, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "address");
	test_assert(mk(d1, "other", "sales", &m, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "extra");
	test_assert(alias(d1, "info", "x@elsewhere.example", ALIAS_NORMAL,
	    &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "name");
	test_assert(alias(d1, "contact", "x@elsewhere.example", ALIAS_NORMAL,
	    &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "name");
	test_assert(alias(d1, "abuse", "x@elsewhere.example", ALIAS_NORMAL,
	    &id, dbt_clear(&err)) == -1);	/* a role alias */
	dbt_check_err(err, ERR_INVALID, "name");
	test_end();

	test_begin("unique: one catch-all per domain");
	test_assert(alias(d1, NULL, "info@addr.test", ALIAS_CATCHALL, &id,
	    dbt_clear(&err)) == 0);
	test_assert(alias(d1, NULL, "info@addr.test", ALIAS_CATCHALL, &id,
	    dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "name");
	test_end();

	test_begin("unique: an alias domain is never a live domain or another "
	    "alias domain, and a domain never an alias domain");
	memset(&err, 0, sizeof(err));
	test_assert(aliasdomain_add(dbt_root(), &dbt.cfg, d1, "other.test",
	    dbt_clear(&err)) == -1);	/* d2's name */
	dbt_check_err(err, ERR_INVALID, "name");
	memset(&err, 0, sizeof(err));
	test_assert(aliasdomain_add(dbt_root(), &dbt.cfg, d1,
	    "addr-alias.test", dbt_clear(&err)) == 0);
	test_assert(aliasdomain_add(dbt_root(), &dbt.cfg, d2,
	    "ADDR-alias.test", dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "name");
	{
		struct domain_input in;
		int64_t did = 0;

		memset(&in, 0, sizeof(in));
		in.name = "addr-alias.test";
		in.prefix = "addralias";
		in.plan_id = 2;
		in.contact_email = "contact@elsewhere.example";
		in.owner_login = "addralias";
		in.owner_password = in.owner_password2 = DBT_PASSWORD;
		memset(&err, 0, sizeof(err));
		test_assert(domain_create(dbt_root(), &dbt.cfg, &in, &did,
		    dbt_clear(&err)) == -1);
		dbt_check_err(err, ERR_INVALID, "name");
	}
	test_end();
}

static void
test_lookup(void)
{
	struct err err = { 0 };
	int64_t id;
	struct db *down = dbt_unreachable();
	int64_t other = dbt_owner("addrother");

	test_begin("address_mailbox: exact primary and additional addresses, "
	    "in any case");
	test_assert(address_mailbox(dbt_root(), d1, "info@addr.test", &id,
	    dbt_clear(&err)) == 1 && id == info->id);
	test_assert(address_mailbox(dbt_root(), d1, "CONTACT@addr.test", &id,
	    dbt_clear(&err)) == 1 && id == info->id);
	test_end();

	test_begin("address_mailbox: never a pattern, a prefix, an alias, "
	    "another domain's or one the actor cannot see (0)");
	test_assert(address_mailbox(dbt_root(), d1, "inf%@addr.test", &id,
	    dbt_clear(&err)) == 0 && id == 0);
	test_assert(address_mailbox(dbt_root(), d1, "inf_@addr.test", &id,
	    dbt_clear(&err)) == 0);
	test_assert(address_mailbox(dbt_root(), d1, "inf@addr.test", &id,
	    dbt_clear(&err)) == 0);
	test_assert(address_mailbox(dbt_root(), d1, "sales@addr.test", &id,
	    dbt_clear(&err)) == 0);
	test_assert(address_mailbox(dbt_root(), d2, "info@addr.test", &id,
	    dbt_clear(&err)) == 0);
	test_assert(address_mailbox(dbt_root(), d1, "not an address", &id,
	    dbt_clear(&err)) == 0);
	test_assert(address_mailbox(dbt_as(other), d1, "info@addr.test", &id,
	    dbt_clear(&err)) == 0 && id == 0);
	test_end();

	test_begin("address_mailbox: a failed lookup is -1, ERR_DB");
	memset(&err, 0, sizeof(err));
	test_assert(address_mailbox(dbt_ctx_on(down, ROLE_SUPERUSER, 0, "root"),
	    d1, "info@addr.test", &id, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_DB, NULL);
	test_end();
	db_free(&down);
}

static void
test_dests(void)
{
	struct address_dest *v;
	struct err err = { 0 };
	size_t n;
	int64_t id;
	int64_t other = dbt_owner("addrother");
	struct ctx *c = dbt_root();

	test_begin("address_parse_dests: a login, a local address, an alias, "
	    "a remote one; duplicates dropped");
	test_assert(address_parse_dests(c, "addr0001, info@addr.test\n"
	    "sales@ADDR.test x@elsewhere.example, info@addr.test", NULL, -1,
	    "dests", &v, &n, dbt_clear(&err)) == 0);
	test_assert(n == 4);
	if (n == 4) {
		test_assert(v[0].mailbox_id == info->id && !v[0].remote);
		test_assert(v[1].mailbox_id == info->id);
		test_assert(v[2].mailbox_id == 0 && !v[2].remote);
		test_assert(v[3].remote);
	}
	test_assert(address_parse_dests(c, "info@addr-alias.test", NULL, -1,
	    "dests", &v, &n,
	    dbt_clear(&err)) == 0 && n == 1 && v[0].mailbox_id ==
	    info->id);	/* through the alias domain */
	test_end();

	test_begin("address_parse_dests: refused on the field given");
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_dests(c, "nobody@addr.test", NULL, -1, "d",
	    &v, &n, dbt_clear(&err)) == -1);	/* local, not there */
	dbt_check_err(err, ERR_INVALID, "d");
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_dests(c, "addr9999", NULL, -1, "d", &v, &n,
	    dbt_clear(&err)) == -1);		/* no such login */
	dbt_check_err(err, ERR_INVALID, "d");
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_dests(c, "sales@addr.test", "sales@addr.test",
	    -1, "d", &v, &n, dbt_clear(&err)) == -1);	/* itself */
	dbt_check_err(err, ERR_INVALID, "d");
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_dests(c, "not an@address@", NULL, -1, "d",
	    &v, &n, dbt_clear(&err)) == -1);
	dbt_check_err(err, ERR_INVALID, "d");
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_dests(c, "a@one.example b@two.example", NULL,
	    1, "d", &v, &n,
	    dbt_clear(&err)) == -1);	/* the plan's remote cap */
	dbt_check_err(err, ERR_LIMIT, "d");
	test_assert(alias(d1, "gone", NULL, ALIAS_BOUNCE, &id,
	    dbt_clear(&err)) == 0);
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_dests(c, "gone@addr.test", NULL, -1, "d",
	    &v, &n, dbt_clear(&err)) == -1);	/* refuses all mail */
	dbt_check_err(err, ERR_INVALID, "d");
	memset(&err, 0, sizeof(err));
	test_assert(address_parse_dests(dbt_as(other), "addr0001", NULL, -1,
	    "d", &v, &n, dbt_clear(&err)) == -1);	/* another's login */
	dbt_check_err(err, ERR_INVALID, "d");
	test_end();
}

int
main(void)
{
	dbt_open("address");
	d1 = dbt_domain("addr.test", "addr", 2);
	d2 = dbt_domain("other.test", "addrother", 2);
	idn = dbt_domain("caf\xc3\xa9.test", "addrcafe", 2);
	test_norm();
	test_extras();
	test_unique();
	test_lookup();
	test_dests();
	{
		struct domain *d;
		struct err err = { 0 };

		test_begin("IDN: a domain typed in Unicode is stored in punycode");
		test_assert(domain_get(dbt_root(), idn, &d,
		    dbt_clear(&err)) == 1);
		test_assert_str(d->name, "xn--caf-dma.test");
		test_assert(domain_by_name(dbt_root(), "caf\xc3\xa9.test", &d,
		    dbt_clear(&err)) == 1 && d->id == idn);
		test_end();
	}
	return dbt_close();
}
