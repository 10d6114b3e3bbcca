/*
 * NAME
 *	vacation - automatic replies: the settings, and the Sieve script
 *	that carries them out
 *
 * SYNOPSIS
 *	struct vacation_input in = { .active = 1, .subject = "Away",
 *	    .body = "Back on Monday.", .interval = 10 };
 *	if (vacation_set(ctx, cfg, mailbox_id, &in, &err) == -1)
 *		show err.msg next to err.field;
 *
 * DESCRIPTION
 *	The owner of a domain (and staff above it) sets a mailbox's automatic
 *	reply (seed 000 §9): a subject, a plain-text message, the minimum
 *	time between two replies to one sender, in minutes, and optional
 *	start and end dates, read in the server's time zone (config
 *	"timezone"; the process's own zone without it).  The reply starts at
 *	midnight of the start date and stops at midnight after the end date,
 *	with nobody touching anything.
 *
 *	lib/ turns the settings into a Sieve script (vacation_sieve) that is
 *	stored with them; Dovecot reads it through Pigeonhole's dict storage
 *	as a sieve_before script (schema/030_vacation.sql), so the web
 *	process never writes mail storage.  The script:
 *	  - stores the message in INBOX first (fileinto :copy), so that a
 *	    delivery that fails (a full mailbox is a temporary failure) fails
 *	    before any reply goes out, and a deferred message is not answered
 *	    on every retry (a plain keep would be stored after the reply);
 *	    the implicit keep stays, and Pigeonhole stores one copy;
 *	  - answers nothing marked as spam (X-Spam-Flag, X-Spam, X-Spam-Status);
 *	  - answers only between the start and the end, compared in UTC;
 *	  - has exactly one vacation action, with :seconds, :subject, :from the
 *	    primary address and :addresses every address that leads to the
 *	    mailbox (its own, and the aliases that deliver to it), so mail
 *	    that came through an alias is answered too.
 *	Pigeonhole itself never answers a null sender, MAILER-DAEMON, lists
 *	(List-Id ...), Precedence bulk/junk/list or Auto-Submitted mail, and
 *	answers one sender once per interval (Dovecot's duplicate database in
 *	the home; two deliveries to one mailbox at the same moment can lose
 *	one of their records, and that sender gets one reply more, never a
 *	loop: replies carry Auto-Submitted).
 *
 *	Injection: the subject and message reach the script only as RFC 5228
 *	quoted strings, with \ and " escaped; the subject may not hold CR, LF
 *	or NUL, and no text may hold NUL or be invalid UTF-8.  The script
 *	never requires "variables" or "encoded-character", so "${...}" is
 *	plain text.  vacation_sieve refuses what it cannot quote, whatever
 *	the caller checked.
 *
 *	Every change that alters the addresses of a mailbox (its own, an
 *	alias to it, an alias domain) must call vacation_refresh_tx() or
 *	vacation_refresh_domain_tx() in its transaction, so the script lists
 *	them.  vacation_set takes the domain's lock (tx.h) before it reads
 *	the addresses, so the two never miss each other.
 *
 *	Authorisation: AUTHZ_MAIL on the mailbox's domain (owner, reseller,
 *	superuser; not support).  Reading needs AUTHZ_VIEW.  Every change is
 *	audited ("mailbox.vacation").
 *
 * DIAGNOSTICS
 *	vacation_get returns 1 with the stored settings, 0 when the mailbox
 *	never had a reply (*v_r then holds the defaults), -1 on error.
 *	The others return 0, or -1 with err filled; err.field names the
 *	form field: "subject", "body", "interval", "start", "end".
 */
#ifndef POSTBUS_VACATION_H
#define POSTBUS_VACATION_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct ctx;
struct err;
struct pool;

#define VACATION_SUBJECT_MAX	200		/* characters */
#define VACATION_BODY_MAX	8000		/* characters */
#define VACATION_INTERVAL_DEFAULT 1440		/* minutes: one day */
#define VACATION_INTERVAL_MAX	(366 * 1440)	/* minutes: a year */
#define VACATION_ERR_MAX	5		/* fields of the form */

struct vacation {
	int		 active;	/* switched on */
	int		 current;	/* on and its end not passed */
	const char	*subject;
	const char	*body;
	unsigned int	 interval;	/* minutes */
	const char	*start;		/* "YYYY-MM-DD", "" any time */
	const char	*end;		/* "YYYY-MM-DD", "" any time */
	const char	*updated_by;	/* "" if never set */
	const char	*updated_at;
};

struct vacation_input {
	int		 active;	/* 0: off, the other fields ignored */
	const char	*subject;	/* NULL or "": the default subject */
	const char	*body;
	int64_t		 interval;	/* minutes; -1 the default */
	const char	*start;		/* NULL or "": any time */
	const char	*end;		/* NULL or "": any time */
};

/* what vacation_sieve makes a script of */
struct vacation_script {
	const char	*subject;
	const char	*body;
	const char	*from;		/* the primary address */
	const char	**addresses;	/* every address leading to the mailbox */
	size_t		 naddresses;
	uint64_t	 seconds;	/* between two replies to one sender */
	int64_t		 starts;	/* Unix time of the first reply, 0 none */
	int64_t		 ends;		/* Unix time after the last, 0 none */
};

int	vacation_get(struct ctx *c, const struct config *cfg,
	    int64_t mailbox_id, struct vacation *v_r, struct err *err);
int	vacation_set(struct ctx *c, const struct config *cfg,
	    int64_t mailbox_id, const struct vacation_input *in,
	    struct err *err);
/* vacation_check - every error of in (up to VACATION_ERR_MAX into errs);
 * returns their number, 0 when in may be saved as far as its own fields go */
size_t	vacation_check(struct ctx *c, const struct config *cfg,
	    const struct vacation_input *in, struct err *errs);
/* vacation_refresh_tx - write the script of mailbox_id again from its
 * settings and current addresses; nothing when it has no reply on.  Call
 * it inside the transaction that changed the addresses (tx.h). */
int	vacation_refresh_tx(struct ctx *c, int64_t mailbox_id,
	    struct err *err);
/* vacation_refresh_domain_tx - the same for every reply that a change of
 * domain_id's aliases or alias domains may touch: its own mailboxes, and
 * those of mailboxes in any domain that its aliases lead to, now or
 * before the change */
int	vacation_refresh_domain_tx(struct ctx *c, int64_t domain_id,
	    struct err *err);
/* vacation_count - replies on and not over in a domain */
int	vacation_count(struct ctx *c, int64_t domain_id, int64_t *n_r,
	    struct err *err);
/* vacation_sieve - the script for s, or NULL with *why_r when a value
 * cannot be put into a script safely */
char	*vacation_sieve(struct pool *p, const struct vacation_script *s,
	    const char **why_r);
/* vacation_quote - s as an RFC 5228 quoted string ("..." with \\ and \"),
 * or NULL if it holds NUL-free invalid UTF-8 (never for valid input) */
char	*vacation_quote(struct pool *p, const char *s);

#endif
