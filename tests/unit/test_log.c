/* test_log - control characters never reach a log line raw */
#include <string.h>

#include "log.h"
#include "test.h"

int
main(void)
{
	char out[64];

	test_begin("printable text is kept");
	test_assert_str(log_escape(out, sizeof(out), "GET /home 200"), "GET /home 200");
	test_end();

	test_begin("newlines, escapes and high bytes are made visible");
	test_assert_str(log_escape(out, sizeof(out), "a\nb\r\x1b[31m\\"),
	    "a\\x0ab\\x0d\\x1b[31m\\x5c");
	test_assert_str(log_escape(out, sizeof(out), "caf\xc3\xa9"), "caf\\xc3\\xa9");
	test_end();

	test_begin("output is truncated, never overflowed");
	memset(out, 'z', sizeof(out));
	log_escape(out, 8, "\n\n\n\n\n\n");
	test_assert(strlen(out) < 8);
	test_assert_str(log_escape(out, sizeof(out), NULL), "-");
	test_end();
	return test_done();
}
