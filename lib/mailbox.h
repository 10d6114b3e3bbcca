/*
 * NAME
 *	mailbox - mail users: naming, limits, passwords, deletion
 *
 * SYNOPSIS
 *	struct mailbox_input in = { .local = "info", .password = pw,
 *	    .password2 = pw, .quota = -1, .enabled = 1, .set = MB_SET_ALL };
 *	if (mailbox_create(ctx, domain_id, &in, &mb, &err) == -1)
 *		show err.msg next to the field err.field;
 *
 * DESCRIPTION
 *	Every rule about mailboxes lives here, for the web pages and
 *	postbusctl alike:
 *
 *	- The login is imposed: the domain's prefix and its counter,
 *	  "%04u" (monsite0001, ..., monsite9999, monsite10000).  The counter is
 *	  read and bumped under a lock on the domain row in the creating
 *	  transaction, so concurrent creations never share a name, and it never
 *	  goes back, so a login is never reused after a deletion.
 *	- Plan limits are checked under the same lock: max_mailboxes, and the
 *	  sum of the live mailboxes' quotas against the plan's mail_quota.  A
 *	  mailbox without quota ("Unlimited") is allowed only when the plan
 *	  says allow_unlimited_quota; it then does not count in that sum (the
 *	  hoster chose to let it grow).
 *	- Addresses are lowercase, in the mailbox's domain, and unique across
 *	  every primary address, additional address and alias of the server
 *	  (address.h).
 *	- Passwords follow passwd_policy() and are stored as crypt(3) hashes;
 *	  no function returns or logs one.
 *	- Deleting sets deleted_at and removes the addresses rows, so Postfix
 *	  and Dovecot stop finding the mailbox at once; the additional
 *	  addresses are kept in restore_extras.  A superuser or reseller may
 *	  restore it until "postbusctl mailbox purge" has removed its Maildir.
 *	- Each action is one transaction with its audit entries (tx.h: a
 *	  deadlock or lock wait timeout runs it again); the password is hashed
 *	  before it.
 *	- Authorisation: the mailbox's domain, through authz_domain(), for
 *	  every call.  A mailbox in a domain the actor cannot reach is "not
 *	  found".  Support staff may change quotas and passwords only.
 *
 *	The functions run their own transaction: call them outside one.  The
 *	lists are in list.h, the account email in notify.h, the removal of
 *	deleted mailboxes' mail in purge.h.  Results live in ctx->pool.
 *
 * DIAGNOSTICS
 *	0 on success, -1 with err filled: every refused field in err's list
 *	(postbus.h), checked all at once (mailbox_check.h), err.field the
 *	first ("address", "real_name", "password", "password2", "quota",
 *	"extra").  The getters return 1 found, 0 not found, -1 error.
 */
#ifndef POSTBUS_MAILBOX_H
#define POSTBUS_MAILBOX_H

#include <stddef.h>
#include <stdint.h>

#include "address.h"

struct config;
struct ctx;
struct err;

struct mailbox {
	int64_t		 id;
	int64_t		 domain_id;
	const char	*domain_name;
	const char	*login;
	const char	*address;	/* primary */
	const char	*real_name;
	int64_t		 quota;		/* bytes, 0 unlimited */
	int		 enabled;
	const char	*created_by;
	const char	*created_at;
	const char	*last_login;	/* "" if never */
	const char	*deleted_at;	/* "" if live */
	int64_t		 used_bytes;	/* from Dovecot's quota dict */
	int64_t		 used_messages;
	const char	**extras;	/* additional addresses */
	size_t		 nextras;
};

/* which fields of struct mailbox_input an update changes */
#define MB_SET_ADDRESS	0x01
#define MB_SET_NAME	0x02
#define MB_SET_PASSWORD	0x04
#define MB_SET_QUOTA	0x08
#define MB_SET_EXTRAS	0x10
#define MB_SET_ENABLED	0x20
#define MB_SET_ALL	0x3f
#define MB_CHECK	0x40	/* mailbox_update: check only, write nothing */
#define MB_SET_MAIL	(MB_SET_ADDRESS | MB_SET_NAME | MB_SET_EXTRAS | \
			 MB_SET_ENABLED)	/* need AUTHZ_MAIL */

struct mailbox_input {
	unsigned int	 set;		/* MB_SET_* */
	const char	*local;		/* "info" or "info@monsite.be" */
	const char	*real_name;
	const char	*password;
	const char	*password2;	/* must equal password */
	int64_t		 quota;		/* bytes; 0 unlimited; -1 plan default */
	const char	*extras;	/* one per line (or comma separated) */
	int		 enabled;
};

#define MAILBOX_EXTRAS_MAX	ADDRESS_EXTRAS_MAX

/* mailbox_create - a new mailbox in dom (as domain_get() read it: its
 * name and prefix; the row itself is locked and read again) */
struct domain;
int	mailbox_create(struct ctx *c, const struct domain *dom,
	    const struct mailbox_input *in, struct mailbox **mb_r,
	    struct err *err);
/* mailbox_update - change the fields named in in->set */
int	mailbox_update(struct ctx *c, int64_t id,
	    const struct mailbox_input *in, struct err *err);
int	mailbox_set_password(struct ctx *c, int64_t id, const char *password,
	    const char *password2, struct err *err);
/* mailbox_delete - delete n mailboxes of one domain, all or none */
int	mailbox_delete(struct ctx *c, int64_t domain_id, const int64_t *ids,
	    size_t n, struct err *err);
int	mailbox_restore(struct ctx *c, int64_t id, struct err *err);

/* mailbox_get - a mailbox the actor may view (with its extras); deleted
 * ones too (check deleted_at) */
int	mailbox_get(struct ctx *c, int64_t id, struct mailbox **mb_r,
	    struct err *err);
int	mailbox_by_login(struct ctx *c, const char *login,
	    struct mailbox **mb_r, struct err *err);
/* mailbox_list_deleted - restorable mailboxes (superuser, reseller) */
int	mailbox_list_deleted(struct ctx *c, int64_t domain_id,
	    unsigned int limit, unsigned int offset, struct mailbox **v_r,
	    size_t *n_r, struct err *err);
/* mailbox_login_name - prefix + counter: "monsite0001" */
char	*mailbox_login_name(struct ctx *c, const char *prefix,
	    int64_t counter);
/* mailbox_home - the mailbox's home: mail_dir/domain/login */
char	*mailbox_home(struct ctx *c, const struct config *cfg,
	    const char *domain, const char *login);

#endif
