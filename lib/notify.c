/*
 * NAME
 *	notify - the mail the panel itself sends
 *
 * DESCRIPTION
 *	notify.h says what is sent.  The message goes out through a minimal
 *	SMTP client (RFC 5321): one plain TCP connection to cfg->smtp_host,
 *	the local Postfix, which delivers or relays it.  A mail server that
 *	does not answer or refuses is a temporary failure (ERR_TEMP), never
 *	the user's mistake.
 *
 *	Memory: the message and the connection state come from ctx->pool.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "authz.h"
#include "db.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "mailbox.h"
#include "domain.h"
#include "mailclient.h"
#include "notify.h"
#include "pool.h"
#include "postbus.h"
#include "valid.h"

struct smtp {
	int	 fd;
	char	 buf[4096];
	size_t	 len;
};

/* smtp_reply - read one (multi-line) reply; its code, or -1 */
static int
smtp_reply(struct smtp *s)
{
	char *line, *nl;
	ssize_t n;

	for (;;) {
		/* a complete final line: "NNN text" */
		line = s->buf;
		while ((nl = memchr(line, '\n', s->len - (size_t)(line - s->buf)))
		    != NULL) {
			if (nl - line >= 3 && isdigit((unsigned char)line[0]) &&
			    isdigit((unsigned char)line[1]) &&
			    isdigit((unsigned char)line[2]) &&
			    (nl - line == 3 || line[3] == ' ' || line[3] == '\r')) {
				int code = (line[0] - '0') * 100 +
				    (line[1] - '0') * 10 + (line[2] - '0');

				s->len = 0;
				return code;
			}
			line = nl + 1;
		}
		if (s->len >= sizeof(s->buf) - 1)
			s->len = 0;	/* an endless reply: keep the tail */
		n = recv(s->fd, s->buf + s->len, sizeof(s->buf) - 1 - s->len, 0);
		if (n <= 0)
			return -1;
		s->len += (size_t)n;
	}
}

/* smtp_send_all - write all of data */
static int
smtp_send_all(struct smtp *s, const char *data, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(s->fd, data, n, MSG_NOSIGNAL)) <= 0)
			return -1;
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

/* smtp_cmd - send a command line, read the reply; 0 if its code is want */
static int
smtp_cmd(struct smtp *s, struct pool *p, int want, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int
smtp_cmd(struct smtp *s, struct pool *p, int want, const char *fmt, ...)
{
	va_list ap;
	char *line;
	int code;

	va_start(ap, fmt);
	line = pool_vprintf(p, fmt, ap);
	va_end(ap);
	if (smtp_send_all(s, line, strlen(line)) == -1 ||
	    smtp_send_all(s, "\r\n", 2) == -1)
		return -1;
	code = smtp_reply(s);
	return code / 100 == want / 100 ? 0 : -1;
}

/* smtp_connect - a TCP connection to host:port with timeouts, or -1 */
static int
smtp_connect(const char *host, unsigned int port)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv = { 10, 0 };
	char ps[16];
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(ps, sizeof(ps), "%u", port);
	if (getaddrinfo(host, ps, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* rfc5322_date - the current time as a Date: header value (C locale) */
static char *
rfc5322_date(struct pool *p)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return pool_printf(p, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* account_text - the message: headers and body, CRLF, dot-stuffed */
static char *
account_text(struct ctx *c, const struct config *cfg, const struct domain *d,
    const struct mailbox *mb, const char *from, const char *to)
{
	struct buf b, body;
	const char *host = cfg->hostname ? cfg->hostname : "localhost";
	struct mailclient mc;
	struct err e = { 0 };
	char id[33];
	const char *l;

	/* the settings page's facts (lib/mailclient.c): from the domain in
	 * hand, else read; without the plan's size if it cannot be read */
	if (d != NULL && d->id == mb->domain_id && d->has_usage)
		mailclient_of(cfg, d, &mc);
	else if (mailclient_domain(c, cfg, mb->domain_id, &mc, &e) != 1)
		mailclient_generic(cfg, &mc);
	if (crypto_token(id, 16) == -1)
		snprintf(id, sizeof(id), "%lld", (long long)time(NULL));
	buf_init(&body, c->pool, 1024);
	buf_printf(&body, "%s\n\n", _("Your mail account is ready. Here is what your mail program needs."));
	buf_printf(&body, "%-28s %s\n", _("Login (user name):"), mb->login);
	buf_printf(&body, "%-28s %s\n", _("Email address:"), mb->address);
	if (mb->real_name != NULL && *mb->real_name != '\0')
		buf_printf(&body, "%-28s %s\n", _("Real name:"), mb->real_name);
	if (mb->nextras > 0)
		buf_printf(&body, "%-28s %s\n", _("Additional addresses:"),
		    pool_join(c->pool, mb->extras, mb->nextras, ", "));
	buf_printf(&body, "%-28s %s\n", _("Quota:"), mb->quota == 0 ?
	    _("Unlimited") : valid_size_format(c->pool, (uint64_t)mb->quota));
	buf_printf(&body, "\n%-28s %s\n", _("Incoming mail server:"), mc.host);
	buf_printf(&body, "%-28s ", _("IMAP:"));
	buf_printf(&body, _("port %u, SSL/TLS (or port %u, STARTTLS)"),
	    mc.imaps_port, mc.imap_port);
	buf_printf(&body, "\n%-28s ", _("POP3:"));
	buf_printf(&body, _("port %u, SSL/TLS (or port %u, STARTTLS)"),
	    mc.pop3s_port, mc.pop3_port);
	buf_printf(&body, "\n%-28s %s\n", _("Outgoing mail server (SMTP):"),
	    mc.host);
	buf_printf(&body, "%-28s ", _("SMTP:"));
	buf_printf(&body, _("port %u, SSL/TLS (or port %u, STARTTLS), with the same login and password"),
	    mc.smtps_port, mc.submission_port);
	buf_puts(&body, "\n");
	if (mc.max_message_size > 0)
		buf_printf(&body, "%-28s %s\n", _("Maximum message size:"),
		    valid_size_format(c->pool, (uint64_t)mc.max_message_size));
	if (mc.webmail_url != NULL)
		buf_printf(&body, "%-28s %s\n", _("Webmail:"), mc.webmail_url);
	buf_printf(&body, "\n%s\n%s\n",
	    _("You can log in with the login or with the email address."),
	    _("The password is never sent by email: ask the person who created this account."));

	buf_init(&b, c->pool, body.len + 512);
	buf_printf(&b, "From: %s\r\nTo: <%s>\r\n", from, to);
	buf_printf(&b, "Subject: %s %s\r\n", "Your mail account", mb->address);
	buf_printf(&b, "Date: %s\r\nMessage-ID: <%s@%s>\r\n",
	    rfc5322_date(c->pool), id, host);
	buf_puts(&b, "MIME-Version: 1.0\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n");
	for (l = body.data; *l != '\0'; ) {
		size_t n = strcspn(l, "\n");

		if (*l == '.')
			buf_putc(&b, '.');
		buf_add(&b, l, n);
		buf_puts(&b, "\r\n");
		l += n;
		if (*l == '\n')
			l++;
	}
	buf_puts(&b, ".\r\n");
	return b.data;
}

#define ACCOUNT_MAILS_PER_HOUR	20	/* per actor */

/* refused - audit a refused account email (who tried, to whom) and
 * return -1 with err as it is */
static int
refused(struct ctx *c, const struct mailbox *mb, const char *to,
    struct err *err)
{
	if (audit_log(c, mb->domain_id, mb->domain_name, mb->login,
	    "mailbox.mail.refused", NULL, pool_printf(c->pool, "to=%s why=%s",
	    to ? to : "", err->msg ? err->msg : "")) == -1)
		log_warnx("audit of a refused account email failed");
	return -1;
}

/* allowed - whether the actor may mail this mailbox's details now: only
 * those who may edit its addresses (AUTHZ_MAIL), at most
 * ACCOUNT_MAILS_PER_HOUR an hour */
static int
allowed(struct ctx *c, const struct mailbox *mb, struct err *err)
{
	struct dbv p[] = { DB_STR(c->actor->login), DB_STR("mailbox.mail"),
	    DB_INT(3600) };
	struct dbrow *r;

	if (authz_domain(c, mb->domain_id, AUTHZ_MAIL, err) == -1)
		return -1;
	if (db_row(c->db, c->pool, SQL_AUDIT_RECENT, p, NPARAMS(p), &r) != 1)
		return db_err(c->db, err);
	if (dbrow_int(r, 0) >= ACCOUNT_MAILS_PER_HOUR)
		return err_set(err, ERR_THROTTLED, "send_to", pool_printf(c->pool,
		    _("At most %d account emails can be sent in an hour: please try again later."),
		    ACCOUNT_MAILS_PER_HOUR));
	return 0;
}

/* notify_account - the account details to one address */
int
notify_account(struct ctx *c, const struct config *cfg,
    const struct domain *d, const struct mailbox *mb, const char *to,
    struct err *err)
{
	struct smtp *s;
	char *rcpt, *from, *msg;
	const char *host = cfg->hostname ? cfg->hostname : "localhost";
	int rc = -1;

	if (allowed(c, mb, err) == -1)
		return refused(c, mb, to, err);
	if (valid_email_norm(c->pool, to, &rcpt) != NULL)
		return err_set(err, ERR_INVALID, "send_to",
		    _("This is not a valid email address."));
	if (cfg->smtp_host == NULL || cfg->smtp_port == 0)
		return err_set(err, ERR_INVALID, "send_to",
		    _("No mail server is configured for sending."));
	from = pool_printf(c->pool, "postmaster@%s", mb->domain_name);
	msg = account_text(c, cfg, d, mb, from, rcpt);
	s = pool_zalloc(c->pool, sizeof(*s));
	if ((s->fd = smtp_connect(cfg->smtp_host, cfg->smtp_port)) == -1) {
		log_warn("account email: connect to %s:%u", cfg->smtp_host,
		    cfg->smtp_port);
		return err_set(err, ERR_TEMP, "send_to", pool_printf(c->pool,
		    _("The account email could not be sent: the mail server %s:%u does not answer."),
		    cfg->smtp_host, cfg->smtp_port));
	}
	if (smtp_reply(s) / 100 == 2 &&
	    smtp_cmd(s, c->pool, 250, "EHLO %s", host) == 0 &&
	    smtp_cmd(s, c->pool, 250, "MAIL FROM:<%s>", from) == 0 &&
	    smtp_cmd(s, c->pool, 250, "RCPT TO:<%s>", rcpt) == 0 &&
	    smtp_cmd(s, c->pool, 354, "DATA") == 0 &&
	    smtp_send_all(s, msg, strlen(msg)) == 0 &&
	    smtp_reply(s) / 100 == 2)
		rc = 0;
	(void)smtp_cmd(s, c->pool, 221, "QUIT");
	close(s->fd);
	if (rc == -1) {
		log_warnx("account email to %s refused by %s:%u", rcpt,
		    cfg->smtp_host, cfg->smtp_port);
		return err_set(err, ERR_TEMP, "send_to",
		    _("The account email could not be sent: the mail server refused it."));
	}
	if (audit_log(c, mb->domain_id, mb->domain_name, mb->login,
	    "mailbox.mail", NULL, pool_printf(c->pool, "to=%s", rcpt)) == -1)
		log_warnx("audit of the account email failed");
	return 0;
}
