/* test_passwd - hashing with libxcrypt and the strong-password policy */
#include <string.h>

#include "passwd.h"
#include "pool.h"
#include "test.h"

static const struct { const char *pw; const char *user; const char *addr; int ok; } policy[] = {
	{ "Tr8kvelo99x", "monsite0001", "info@monsite.be", 1 },
	{ "OX2fmt5tf16f5Uc", "monsite", NULL, 1 },
	{ "short1", "u", NULL, 0 },				/* too short */
	{ "onlyletterslong", "u", NULL, 0 },			/* no digit */
	{ "1234567890", "u", NULL, 0 },			/* no letter */
	{ "xmonsite00019", "monsite0001", NULL, 0 },		/* contains login */
	{ "info2024zz", "monsite0001", "info@monsite.be", 0 },	/* contains address */
	{ "password1", "u", NULL, 0 },				/* dictionary */
	{ "sunshine12", "u", NULL, 0 },			/* dictionary */
};

int
main(void)
{
	struct pool *p = pool_new(0);
	char *h, *h2, pw[32];
	size_t i;

	test_begin("yescrypt hashes verify, and differ by salt");
	h = passwd_hash(p, "Tr8kvelo99x");
	h2 = passwd_hash(p, "Tr8kvelo99x");
	test_assert(h != NULL && strncmp(h, "$y$", 3) == 0);
	test_assert(strcmp(h, h2) != 0);
	test_assert(passwd_verify("Tr8kvelo99x", h));
	test_assert(!passwd_verify("Tr8kvelo99y", h));
	test_assert(!passwd_verify("", h));
	test_end();

	test_begin("SHA512-CRYPT hashes verify (openssl passwd -6)");
	/* openssl passwd -6 -salt saltsalt Tr8kvelo99x */
	test_assert(passwd_verify("Tr8kvelo99x",
	    "$6$saltsalt$AwhXMpWl/wizCzYwUg.r/eSZSUhddDPOaKpCRkNtacD24ZEoRzDVIWI1DkAVa.823jboW985lfD0X1fpmd9vc1"));
	test_assert(!passwd_verify("Tr8kvelo99X",
	    "$6$saltsalt$AwhXMpWl/wizCzYwUg.r/eSZSUhddDPOaKpCRkNtacD24ZEoRzDVIWI1DkAVa.823jboW985lfD0X1fpmd9vc1"));
	test_end();

	test_begin("invalid or disabled hashes never verify");
	test_assert(!passwd_verify("x", "!"));
	test_assert(!passwd_verify("x", ""));
	test_assert(!passwd_verify("x", "*"));
	test_assert(!passwd_verify("x", "$y$garbage"));
	test_assert(!passwd_verify(NULL, h));
	test_end();

	test_begin("policy: 8+ chars, letters and digits, no name, no dictionary");
	for (i = 0; i < sizeof(policy) / sizeof(policy[0]); i++) {
		const char *why = passwd_policy(policy[i].pw, policy[i].user,
		    policy[i].addr);

		if ((why == NULL) != policy[i].ok)
			fprintf(stderr, "  '%s': %s\n", policy[i].pw, why ? why : "accepted");
		test_assert((why == NULL) == policy[i].ok);
	}
	test_end();

	test_begin("passwd_wipe clears the buffer");
	strcpy(pw, "Tr8kvelo99x");
	passwd_wipe(pw);
	test_assert(pw[0] == '\0' && pw[5] == '\0');
	test_end();

	pool_free(&p);
	return test_done();
}
