/*
 * NAME
 *	log - diagnostics with request context
 *
 * SYNOPSIS
 *	log_init("postbus.fcgi", 0);
 *	log_context(reqid, client, user);
 *	log_warn("open %s", path);	(appends strerror(errno))
 *	log_warnx("bad thing");
 *	log_panic(...);			(an internal inconsistency: a bug)
 *	log_fatal(...);			(start-up only: exits)
 *
 * DESCRIPTION
 *	Lines go to stderr (and syslog when asked), prefixed with the request
 *	id, client address and user when a request is being served.  Control
 *	characters and non-ASCII bytes in the formatted text are escaped, so
 *	nothing a client sends can forge a log line.
 */
#ifndef POSTBUS_LOG_H
#define POSTBUS_LOG_H

#include <stddef.h>

void	log_init(const char *progname, int use_syslog);
void	log_context(const char *reqid, const char *client, const char *user);
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_panic - an internal inconsistency; does not exit (the caller
 * answers 500 / exit code 1) */
void	log_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	log_fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* log_escape - escape control bytes of s into out (size n); returns out */
char	*log_escape(char *out, size_t n, const char *s);

#endif
