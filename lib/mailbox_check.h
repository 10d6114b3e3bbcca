/*
 * NAME
 *	mailbox_check - the fields of a mailbox form, checked at once
 *
 * SYNOPSIS
 *	struct mailbox_prep p;
 *	if (mailbox_check_new(ctx, dom, &in, &p, err) == -1)
 *		every refused field is in err;
 *
 * DESCRIPTION
 *	What mailbox.c writes is checked here first, with no lock held: the
 *	primary address (in the mailbox's domain, a valid local part), the
 *	real name (one printable line without markup characters), the quota
 *	(limit.h's bounds; -1 is the plan's default), the additional
 *	addresses (each valid, none the primary) and the password (typed
 *	twice, passwd_policy()).  Every field the input sets is checked and
 *	each refusal is added to err (postbus.h); -1 when err then holds any
 *	field error, the caller's own included.  Only then is the password
 *	hashed (slow: before the transaction, tx.h).  Whether the addresses
 *	are free and the plan has room (mailbox_check_room) is checked by
 *	mailbox.c under the domain's lock.
 *
 * DIAGNOSTICS
 *	0, or -1 with err filled: field errors on "address", "real_name",
 *	"quota", "extra", "password", "password2".
 */
#ifndef POSTBUS_MAILBOX_CHECK_H
#define POSTBUS_MAILBOX_CHECK_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct domain;
struct err;
struct mailbox;
struct mailbox_input;

/* a mailbox form's fields, checked and normalised */
struct mailbox_prep {
	char		*address;	/* NULL when refused */
	const char	**extras;
	size_t		 nextras;
	const char	*real_name;
	char		*hash;		/* the new password's, or NULL (wipe) */
};

/* mailbox_check_new - every field of a new mailbox in dom */
int	mailbox_check_new(struct ctx *c, const struct domain *dom,
	    const struct mailbox_input *in, struct mailbox_prep *p,
	    struct err *err);
/* mailbox_check_change - the fields in->set names, for mailbox m */
int	mailbox_check_change(struct ctx *c, const struct mailbox *m,
	    const struct mailbox_input *in, struct mailbox_prep *p,
	    struct err *err);

/* mailbox_check_room - whether the plan pl of a domain holding count
 * mailboxes with sum bytes of quota has room for one more (add) or for
 * a quota going from old_q to new_q: ERR_LIMIT ("quota" or no field) */
struct plan;
int	mailbox_check_room(struct ctx *c, const struct plan *pl, int64_t count,
	    int64_t sum, int add, int64_t old_q, int64_t new_q,
	    struct err *err);
/* mailbox_check_password - a new password, typed twice: on "password"
 * and "password2"; user and addr may be NULL (a mailbox not chosen yet) */
void	mailbox_check_password(const char *pw, const char *pw2,
	    const char *user, const char *addr, struct err *err);

#endif
