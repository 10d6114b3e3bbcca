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

	test_begin("SHA-256 of \"abc\", \"\" and \"abc\" again (FIPS 180-2)");
	crypto_sha256(mac, "abc", 3);
	crypto_hex(a, mac, 32);
	test_assert_str(a, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	crypto_sha256(mac, "", 0);
	crypto_hex(a, mac, 32);
	test_assert_str(a, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	crypto_sha256(mac, "abc", 3);
	crypto_hex(a, mac, 32);
	test_assert_str(a, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	test_end();

	test_begin("HMAC-SHA256 matches RFC 4231 test case 2");
	crypto_hmac_sha256(mac, "Jefe", 4, "what do ya want for nothing?", 28);
	crypto_hex(a, mac, 32);
	test_assert_str(a, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	test_end();

	test_begin("HMAC-SHA256: the same key again, another, a long one "
	    "(RFC 4231 cases 1, 2 and 6): each as on its own");
	{
		static const struct {
			unsigned char	 key_byte;
			size_t		 klen;
			const char	*msg;
			const char	*want;
		} v[] = {
			{ 0x0b, 20, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b"
			    "881dc200c9833da726e9376c2e32cff7" },
			{ 0x0b, 20, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b"
			    "881dc200c9833da726e9376c2e32cff7" },
			{ 0, 4, "what do ya want for nothing?", "5bdcc146bf60754e"
			    "6a042426089575c75a003f089d2739839dec58b964ec3843" },
			{ 0xaa, 131, "Test Using Larger Than Block-Size Key - "
			    "Hash Key First", "60e431591ee0b67f0d8a26aacbf5b77f"
			    "8e0bc6213728c5140546040f0ee37f54" },
			{ 0x0b, 20, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b"
			    "881dc200c9833da726e9376c2e32cff7" },
		};
		unsigned char key[131];
		size_t k;

		for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
			memset(key, v[k].key_byte, sizeof(key));
			if (v[k].key_byte == 0)
				memcpy(key, "Jefe", 4);
			test_assert(crypto_hmac_sha256(mac, key, v[k].klen,
			    v[k].msg, strlen(v[k].msg)) == 0);
			crypto_hex(a, mac, 32);
			test_assert_str(a, v[k].want);
		}
	}
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
