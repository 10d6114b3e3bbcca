/*
 * NAME
 *	postbus-sizepolicy - the plan's maximum message size for submission
 *
 * SYNOPSIS
 *	postbus-sizepolicy -c config
 *
 * DESCRIPTION
 *	A Postfix policy server (SMTPD_POLICY_README) for the submission
 *	services: it refuses with 552 mail from a logged-in mailbox that is
 *	bigger than its plan allows, at MAIL FROM when the client announced
 *	SIZE= and at the end of DATA otherwise (lib/submission.h has the
 *	rule).  Postfix's spawn(8) runs one per SMTP connection, with the
 *	connection on standard input and output, as an unprivileged user;
 *	it answers requests until Postfix closes the connection.
 *
 *	config is in postbus.conf(5) form and names only the database: the
 *	Postfix lookup account (read-only, no password hashes).
 *
 * DIAGNOSTICS
 *	Problems go to syslog (facility daemon): spawn(8) connects standard
 *	error to the SMTP server too, where a line of text would break the
 *	protocol, so it is pointed at /dev/null first.  What the client is
 *	told is in Postfix's own log either way.  Exit status 0 at the end of
 *	the connection, 1 for a bad config or a request Postfix would never
 *	send (the connection then closes and Postfix applies its
 *	default_action, a temporary refusal).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "pool.h"
#include "submission.h"

int
main(int argc, char *argv[])
{
	struct config cfg;
	struct pool *sp, *p;
	struct db *db;
	struct submission_req r;
	char line[SUBMISSION_LINE_MAX + 2], err[512];
	const char *conf = NULL;
	int ch;

	/* before anything can be logged: stderr is the SMTP server */
	if ((ch = open("/dev/null", O_WRONLY)) == -1 || dup2(ch, 2) == -1)
		return 1;
	if (ch != 2)
		close(ch);
	log_init("postbus-sizepolicy", 1);
	while ((ch = getopt(argc, argv, "c:")) != -1)
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		default:
			log_warnx("usage: postbus-sizepolicy -c config");
			return 1;
		}
	if (conf == NULL || optind != argc) {
		log_warnx("usage: postbus-sizepolicy -c config");
		return 1;
	}
	sp = pool_new(8192);
	config_defaults(&cfg);
	if (config_load(conf, sp, &cfg, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return 1;
	}
	db = db_new(&cfg);	/* connects at the first lookup */
	p = pool_new(8192);
	submission_reset(&r);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		size_t n = strlen(line);

		if (n == 0 || line[n - 1] != '\n') {
			log_warnx("request line too long or cut short");
			return 1;
		}
		line[--n] = '\0';
		if (n > 0) {
			if (submission_attr(&r, p, line) == -1) {
				log_warnx("request line is not name=value");
				return 1;
			}
			continue;
		}
		printf("action=%s\n\n", submission_verdict(db, p, &r));
		if (fflush(stdout) == EOF)
			return 1;
		pool_clear(p);
		submission_reset(&r);
	}
	db_free(&db);
	pool_free(&p);
	pool_free(&sp);
	return 0;
}
