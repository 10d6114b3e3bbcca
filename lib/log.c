/*
 * NAME
 *	log - diagnostics with request context
 *
 * DESCRIPTION
 *	The context strings are copied into static buffers; a worker serves one
 *	request at a time, so one context per process is enough.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *prog = "postbus";
static int to_syslog;
static char ctx[256];

/* log_init - name the program and choose syslog or not */
void
log_init(const char *progname, int use_syslog)
{
	prog = progname;
	to_syslog = use_syslog;
	if (to_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* log_escape - copy s with control characters made visible */
char *
log_escape(char *out, size_t n, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	const unsigned char *p;

	if (n == 0)
		return out;
	for (p = (const unsigned char *)(s ? s : "-"); *p != '\0'; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			if (o + 1 >= n)
				break;
			out[o++] = (char)*p;
		} else {
			if (o + 4 >= n)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
	return out;
}

/* log_context - set or (with NULLs) clear the request context */
void
log_context(const char *reqid, const char *client, const char *user)
{
	char a[40], b[64], c[80];

	if (reqid == NULL) {
		ctx[0] = '\0';
		return;
	}
	snprintf(ctx, sizeof(ctx), "req=%s client=%s user=%s: ",
	    log_escape(a, sizeof(a), reqid), log_escape(b, sizeof(b), client),
	    log_escape(c, sizeof(c), user));
}

/* vlog - format, escape, and emit one line */
static void
vlog(int pri, const char *fmt, va_list ap, const char *err)
{
	char raw[1024], esc[2048];
	time_t now;
	struct tm tm;
	char stamp[32];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	log_escape(esc, sizeof(esc), raw);
	if (to_syslog)
		syslog(pri, "%s%s%s%s", ctx, esc, err ? ": " : "", err ? err : "");
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s[%ld]: %s%s%s%s\n", stamp, prog, (long)getpid(),
	    ctx, esc, err ? ": " : "", err ? err : "");
}

/* log_info - an informational line */
void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

/* log_warn - a recoverable error, with errno's text */
void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, strerror(e));
	va_end(ap);
}

/* log_warnx - a recoverable error */
void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

/* log_panic - an internal inconsistency (a bug, not bad input or an
 * outage): logged at the highest severity; the caller answers 500 and the
 * process goes on serving */
void
log_panic(const char *fmt, ...)
{
	va_list ap;
	char f[512];

	snprintf(f, sizeof(f), "panic: %s", fmt);
	va_start(ap, fmt);
	vlog(LOG_CRIT, f, ap, NULL);
	va_end(ap);
}

/* log_fatal - an error at start-up, with errno's text; exits */
void
log_fatal(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, strerror(e));
	va_end(ap);
	exit(1);
}

/* log_fatalx - an error at start-up; exits */
void
log_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
