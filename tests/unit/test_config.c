/* test_config - postbus.conf parsing */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "pool.h"
#include "test.h"

static int
load(struct pool *p, struct config *c, const char *text, char *err, size_t n)
{
	char path[] = "/tmp/postbus-test-conf-XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	config_defaults(c);
	rc = config_load(path, p, c, err, n);
	unlink(path);
	return rc;
}

int
main(void)
{
	struct pool *p = pool_new(0);
	struct config c;
	char err[256];

	test_begin("defaults");
	config_defaults(&c);
	test_assert(c.workers == 2 && c.session_idle == 1800);
	test_assert_str(c.db_name, "postbus");
	test_end();

	test_begin("keys, comments, blanks and spaces");
	test_assert(load(p, &c, "# c\n\n db_socket = /x/y.sock \nworkers=4\n"
	    "secret = ab\n", err, sizeof(err)) == 0);
	test_assert_str(c.db_socket, "/x/y.sock");
	test_assert(c.workers == 4);
	test_end();

	test_begin("unknown keys, bad numbers and junk lines are errors");
	test_assert(load(p, &c, "wrokers = 4\n", err, sizeof(err)) == -1);
	test_assert(strstr(err, "unknown key") != NULL);
	test_assert(load(p, &c, "workers = four\n", err, sizeof(err)) == -1);
	test_assert(load(p, &c, "workers = -1\n", err, sizeof(err)) == -1);
	test_assert(load(p, &c, "workers = 0\n", err, sizeof(err)) == -1);
	test_assert(load(p, &c, "just words\n", err, sizeof(err)) == -1);
	test_end();

	test_begin("reserved_domains: a default, replaced or emptied by the file");
	config_defaults(&c);
	test_assert(c.reserved_domains != NULL &&
	    strstr(c.reserved_domains, "localhost") != NULL);
	test_assert(load(p, &c, "reserved_domains = example, test\n", err,
	    sizeof(err)) == 0);
	test_assert_str(c.reserved_domains, "example, test");
	test_assert(load(p, &c, "reserved_domains =\n", err, sizeof(err)) == 0);
	test_assert(c.reserved_domains == NULL);
	test_end();

	test_begin("a missing file is an error");
	config_defaults(&c);
	test_assert(config_load("/nonexistent/postbus.conf", p, &c, err,
	    sizeof(err)) == -1);
	test_end();
	pool_free(&p);
	return test_done();
}
