/* test_mailclient - what mail programs are told, from postbus.conf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "mailclient.h"
#include "pool.h"
#include "test.h"

static int
load(struct pool *p, struct config *c, const char *text)
{
	char path[] = "/tmp/postbus-test-mailclient-XXXXXX", err[256];
	int fd = mkstemp(path), rc;
	FILE *f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	config_defaults(c);
	rc = config_load(path, p, c, err, sizeof(err));
	unlink(path);
	return rc;
}

int
main(void)
{
	struct pool *p = pool_new(0);
	struct config c;
	struct mailclient mc;
	static const struct {
		const char	*name;
		const char	*conf;
		const char	*host;
		unsigned int	 imaps, imap, pop3s, pop3, smtps, sub;
		const char	*webmail;
	} cases[] = {
		/* the manuals' ports when the file says nothing */
		{ "the manuals' ports by default", "", "localhost", 993, 143, 995, 110, 465, 587, NULL },
		{ "the mail host name", "hostname = mail.example.net\n",
		    "mail.example.net",
		    993, 143, 995, 110, 465, 587, NULL },
		/* a private stack on high ports */
		{ "a private stack's own ports",
		  "hostname = mail.postbus.test\nimaps_port = 10993\n"
		  "imap_port = 10143\npop3s_port = 10995\npop3_port = 10110\n"
		  "submission_port = 10465\nsubmission_starttls_port = 10587\n",
		  "mail.postbus.test", 10993, 10143, 10995, 10110, 10465, 10587,
		  NULL },
		{ "a webmail address", "webmail_url = https://mail.example.net/webmail/\n",
		    "localhost", 993, 143, 995, 110, 465, 587,
		    "https://mail.example.net/webmail/" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_begin(cases[i].name);
		test_assert(load(p, &c, cases[i].conf) == 0);
		mailclient_generic(&c, &mc);
		test_assert_str(mc.host, cases[i].host);
		test_assert(mc.imaps_port == cases[i].imaps);
		test_assert(mc.imap_port == cases[i].imap);
		test_assert(mc.pop3s_port == cases[i].pop3s);
		test_assert(mc.pop3_port == cases[i].pop3);
		test_assert(mc.smtps_port == cases[i].smtps);
		test_assert(mc.submission_port == cases[i].sub);
		test_assert(cases[i].webmail == NULL ? mc.webmail_url == NULL :
		    mc.webmail_url != NULL &&
		    strcmp(mc.webmail_url, cases[i].webmail) == 0);
		/* no mailbox, no domain: nothing about anyone */
		test_assert(mc.login == NULL && mc.address == NULL &&
		    mc.domain == NULL && mc.max_message_size == 0);
		test_end();
	}

	test_begin("a port that is no number is refused");
	test_assert(load(p, &c, "imaps_port = 99x\n") == -1);
	test_end();

	pool_free(&p);
	return test_done();
}
