/* test_crypto - tokens, hex, HMAC, constant-time compare, CSRF */
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "session.h"
#include "test.h"

int
main(void)
{
	char a[65], b[65], pw[17];
	unsigned char mac[32], raw[4];
	struct config cfg;
	int i, digits, letters;

	test_begin("tokens are 64 hex digits and differ");
	test_assert(crypto_token(a, 32) == 0 && crypto_token(b, 32) == 0);
	test_assert(strlen(a) == 64 && session_token_ok(a));
	test_assert(strcmp(a, b) != 0);
	test_end();

	test_begin("hex round trip and bad hex");
	test_assert(crypto_unhex(raw, 4, "deadBEEF") == 0);
	test_assert(raw[0] == 0xde && raw[3] == 0xef);
	test_assert(crypto_unhex(raw, 4, "deadbee") == -1);
	test_assert(crypto_unhex(raw, 4, "deadbeeg") == -1);
	test_end();

	test_begin("HMAC-SHA256 matches RFC 4231 test case 2");
	crypto_hmac_sha256(mac, "Jefe", 4, "what do ya want for nothing?", 28);
	crypto_hex(a, mac, 32);
	test_assert_str(a, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	test_end();

	test_begin("crypto_equal");
	test_assert(crypto_equal("abc", "abc"));
	test_assert(!crypto_equal("abc", "abd"));
	test_assert(!crypto_equal("abc", "ab"));
	test_assert(!crypto_equal(NULL, "ab"));
	test_end();

	test_begin("random passwords have letters and digits");
	for (i = 0; i < 50; i++) {
		const char *s;

		test_assert(crypto_password(pw, 16) == 0);
		digits = letters = 0;
		for (s = pw; *s; s++)
			*s >= '0' && *s <= '9' ? digits++ : letters++;
		test_assert(strlen(pw) == 16 && digits > 0 && letters > 0);
	}
	test_end();

	test_begin("CSRF tokens bind to the session and the secret");
	config_defaults(&cfg);
	cfg.secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	crypto_token(a, 32);
	session_csrf(&cfg, a, b);
	test_assert(session_csrf_ok(&cfg, a, b));
	test_assert(!session_csrf_ok(&cfg, a, ""));
	test_assert(!session_csrf_ok(&cfg, a, NULL));
	test_assert(!session_csrf_ok(&cfg, a, a));
	b[0] = b[0] == 'a' ? 'b' : 'a';
	test_assert(!session_csrf_ok(&cfg, a, b));
	session_csrf(&cfg, a, b);
	cfg.secret = "ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	test_assert(!session_csrf_ok(&cfg, a, b));
	cfg.secret = "not hex";
	test_assert(!session_csrf_ok(&cfg, a, b));
	test_end();
	return test_done();
}
