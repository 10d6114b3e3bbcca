/*
 * NAME
 *	test - a tiny harness for table-driven unit tests
 *
 * SYNOPSIS
 *	test_begin("name"); test_assert(expr); test_end();
 *	return test_done();
 *
 * DESCRIPTION
 *	Each test_begin..test_end block is one test, printed as a TAP-like
 *	"ok N - name" or "not ok N - name" line; a failed assertion prints
 *	where.  test_done() prints "# N passed, N failed" and returns the exit
 *	status for make check (0 when all passed).
 */
#ifndef POSTBUS_TEST_H
#define POSTBUS_TEST_H

#include <stdio.h>
#include <string.h>

static int test_n, test_pass, test_fail, test_cur_failed;
static const char *test_cur;

#define test_begin(name) do { test_cur = (name); test_cur_failed = 0; } while (0)
#define test_assert(expr) do { if (!(expr)) { test_cur_failed = 1; \
	fprintf(stderr, "  %s:%d: %s: assertion failed: %s\n", __FILE__, \
	    __LINE__, test_cur, #expr); } } while (0)
#define test_assert_str(a, b) do { const char *_a = (a), *_b = (b); \
	if (_a == NULL || _b == NULL || strcmp(_a, _b) != 0) { \
	test_cur_failed = 1; fprintf(stderr, "  %s:%d: %s: \"%s\" != \"%s\"\n", \
	    __FILE__, __LINE__, test_cur, _a ? _a : "(null)", \
	    _b ? _b : "(null)"); } } while (0)
#define test_end() do { test_n++; if (test_cur_failed) { test_fail++; \
	printf("not ok %d - %s\n", test_n, test_cur); } else { test_pass++; \
	printf("ok %d - %s\n", test_n, test_cur); } } while (0)

static inline int
test_done(void)
{
	printf("# %d passed, %d failed\n", test_pass, test_fail);
	return test_fail ? 1 : 0;
}

#endif
