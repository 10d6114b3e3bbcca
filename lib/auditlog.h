/*
 * NAME
 *	auditlog - reading the audit log
 *
 * SYNOPSIS
 *	struct audit_query q = { .domain_id = 12, .limit = 50 };
 *	audit_list(ctx, &q, &v, &n, &total, &err);
 *
 * DESCRIPTION
 *	audit.c writes the log; this reads it for the audit page and the CLI.
 *	What an actor sees is decided here: a superuser everything; support
 *	staff every entry about a domain; resellers the entries of the
 *	domains they made or were given; owners those of their domains.
 *	Entries hold no password or hash (audit.c never gets one).
 *
 * DIAGNOSTICS
 *	0, or -1 with err (ERR_INVALID for a bad date on "from" or "to").
 */
#ifndef POSTBUS_AUDITLOG_H
#define POSTBUS_AUDITLOG_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct err;

struct audit_entry {
	int64_t		 id;
	const char	*at;		/* "YYYY-MM-DD HH:MM:SS", UTC */
	const char	*actor;
	const char	*role;
	const char	*client;
	int64_t		 domain_id;	/* 0 if none */
	const char	*domain_name;	/* "" if none */
	const char	*object;
	const char	*action;
	const char	*old_value;	/* "" if none */
	const char	*new_value;
};

struct audit_query {
	int64_t		 domain_id;	/* 0: every domain the actor sees */
	const char	*actor;		/* NULL or "": every actor */
	const char	*from;		/* "YYYY-MM-DD" or NULL */
	const char	*to;		/* "YYYY-MM-DD" (inclusive) or NULL */
	unsigned int	 limit;
	unsigned int	 offset;
};

int	audit_list(struct ctx *c, const struct audit_query *q,
	    struct audit_entry **v_r, size_t *n_r, int64_t *total_r,
	    struct err *err);
/* audit_valid_date - NULL if s is a YYYY-MM-DD date, else why not */
const char *audit_valid_date(const char *s);

#endif
