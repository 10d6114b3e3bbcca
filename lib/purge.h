/*
 * NAME
 *	purge - remove the Maildirs of deleted mailboxes
 *
 * SYNOPSIS
 *	postbusctl mailbox purge [--days N]	(as root, from cron)
 *
 * DESCRIPTION
 *	Deleting a mailbox (mailbox.h) only marks it: Postfix and Dovecot stop
 *	finding it at once, and a superuser or reseller may restore it.  The
 *	purge is the later, privileged step: for each mailbox deleted more than
 *	days ago and not restored, it removes the home (mail_dir/domain/login),
 *	drops its quota usage row, marks it purged (no restore after that) and
 *	audits "mailbox.purge".  Superuser only, run as root or as the owner
 *	of mail_dir (the web process can do neither).
 *
 * DIAGNOSTICS
 *	0 with *n_r purged (report(login, home, arg) called for each); -1 with
 *	err at the first mailbox that could not be purged.
 */
#ifndef POSTBUS_PURGE_H
#define POSTBUS_PURGE_H

#include <stddef.h>

struct config;
struct ctx;
struct err;

int	purge_mailboxes(struct ctx *c, const struct config *cfg,
	    unsigned int days, void (*report)(const char *login,
	    const char *home, void *arg), void *arg, size_t *n_r,
	    struct err *err);

#endif
