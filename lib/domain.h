/*
 * NAME
 *	domain - mail domains ("virtual servers")
 *
 * SYNOPSIS
 *	struct domain_input in = { .name = "monsite.be", .plan_id = 2,
 *	    .contact_email = "monsite@monsite.be", .owner_login = "monsite",
 *	    .owner_password = pw, .owner_password2 = pw };
 *	if (domain_create(ctx, &in, &id, &err) == -1)
 *		show err.msg next to the field err.field;
 *
 * DESCRIPTION
 *	A domain belongs to a plan (plan.h), which caps what it may hold.
 *	Sizes are in bytes; a limit of -1 means unlimited (limit.h).  Every
 *	function authorises the actor for the domain it names (authz.h) before
 *	it reads or writes.  The paginated lists of domains are in list.h,
 *	role aliases in alias.h, addresses in address.h, the checks of a
 *	form's fields (all of them at once) in domain_check.h.
 *
 *	The rules that live here, for the web pages and postbusctl alike:
 *
 *	- A domain is given a plan the actor may use (plan_may_use); it keeps
 *	  a plan it already has.
 *	- Creating a domain (superuser, reseller): the name is stored in
 *	  punycode and unique among live domains; it is not the server's own
 *	  name (config hostname), a name above or below it, nor a reserved
 *	  name (config reserved_domains) or below one; but for a superuser
 *	  it is not below a live domain the actor does not manage.  The
 *	  creator is kept by id (created_by_id).  The prefix is unique for
 *	  ever (mailbox logins are never reused).  A reseller's allowance
 *	  (panel_users.max_domains) is checked under a lock on its row.  The
 *	  owner's login is made or chosen, and the role aliases abuse@,
 *	  hostmaster@, postmaster@ and webmaster@ point at the contact address
 *	  (seed 000 §10), all in one transaction with its audit entries; a new
 *	  owner's password is hashed before it (tx.h).
 *	- A plan change is refused when the domain's usage exceeds the new
 *	  plan, checked under a lock on the plan row and then the domain row.  Owners change neither plan, prefix nor domain quota.
 *	- The domain quota (support, reseller, superuser) replaces the plan's
 *	  total mail quota for one domain; never below what is given out.
 *	- Deleting marks the domain and its mailboxes deleted and removes its
 *	  addresses and aliases at once; the Maildirs wait for the purge.
 *
 *	Functions that change something run their own transaction (tx.h; call
 *	them outside one); the _tx ones run inside the caller's.  Results live
 *	in ctx->pool.
 *
 * DIAGNOSTICS
 *	0 on success, -1 with err filled; every refused field is in err's
 *	list (postbus.h), err.field names the first
 *	("name", "prefix", "plan", "description", "contact", "owner",
 *	"owner_login", "owner_password", "owner_password2", "quota", "confirm").  Getters return 1
 *	found, 0 not found, -1 error.
 */
#ifndef POSTBUS_DOMAIN_H
#define POSTBUS_DOMAIN_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "postbus.h"

struct config;
struct ctx;
struct err;
struct pool;
struct dbrow;
struct session;

/* the domain row as its lock reads it (domain_lock_tx) */
struct domain_lock {
	int64_t		 id;
	const char	*name;
	const char	*prefix;
	int64_t		 counter;	/* next mailbox login number */
	int64_t		 plan_id;
	int		 active;
	int64_t		 mail_quota;	/* the domain's own total, -1 the plan's */
	int		 deleted;
	int64_t		 mailboxes;	/* live mailboxes (counter on the row) */
	int64_t		 quota_sum;	/* sum of their quotas */
};

struct domain {
	int64_t		 id;
	const char	*name;
	const char	*prefix;
	int64_t		 next_counter;
	int64_t		 plan_id;
	const char	*plan_name;
	int64_t		 reseller_id;		/* 0 if none */
	const char	*description;
	const char	*contact_email;
	int		 active;
	/* creator (its login now, else as it was) and owner ("" if none):
	 * "" from domain_brief() */
	const char	*created_by;
	const char	*created_at;
	const char	*owner_login;
	int64_t		 mail_quota;		/* domain quota, -1 the plan's */
	/* filled by list_domains() and domain_get() */
	int64_t		 used_mailboxes;
	int64_t		 max_mailboxes;		/* -1 unlimited */
	int64_t		 quota_total;		/* effective, -1 unlimited */
	/* filled by list_domains() only */
	int64_t		 used_disk;
	/* filled by domain_get() only (has_usage): what the plan allows */
	int		 has_usage;
	int64_t		 quota_sum;		/* given to mailboxes */
	int64_t		 default_quota;		/* a new mailbox's */
	int		 allow_unlimited;
	int64_t		 max_message_size;	/* the plan's, bytes */
};

/* what a new domain is made of */
struct domain_input {
	const char	*name;			/* may be Unicode */
	const char	*prefix;		/* NULL or "": suggested */
	int64_t		 plan_id;
	const char	*description;
	const char	*contact_email;
	int64_t		 owner_id;		/* an existing owner, or 0 */
	const char	*owner_login;		/* a new owner login */
	const char	*owner_password;
	const char	*owner_password2;
};

/* what an edit changes; every field is set */
struct domain_change {
	int64_t		 plan_id;
	const char	*description;
	const char	*contact_email;
	int		 active;
};

struct domain_usage {
	int64_t		 mailboxes;
	int64_t		 quota_allocated;	/* sum of mailbox quotas */
	int64_t		 unlimited_mailboxes;	/* mailboxes with quota 0 */
	int64_t		 aliases;
	int64_t		 disk_used;		/* bytes, from Dovecot */
};

/* domain_get - 1 and *d_r if the actor may view it; 0 not found; -1 */
int	domain_get(struct ctx *c, int64_t id, struct domain **d_r,
	    struct err *err);
/* domain_brief - the same without created_by and owner_login (""): what
 * every page of a domain needs.  When s holds the row of domain id, read
 * in the statement that loaded the session (session_load_domain), it is
 * used, once, and nothing more is read */
int	domain_brief(struct ctx *c, struct session *s, int64_t id,
	    struct domain **d_r, struct err *err);
/* columns of a domain_get()/domain_brief() row: SQL_SESSION_GET_DOMAIN
 * reads them first, the session's after */
#define DOMAIN_ROW_NCOLS	22
/* domain_by_name - the same, by name (Unicode or punycode) */
int	domain_by_name(struct ctx *c, const char *name, struct domain **d_r,
	    struct err *err);
/* domain_usage - what a domain uses, from the counters that schema/005
 * keeps on it (no cost per mailbox): 1 found, 0 not found, -1 error */
int	domain_usage(struct ctx *c, int64_t id, struct domain_usage *u,
	    struct err *err);
/* domain_plan - the plan of a domain with the domain's own quota put in
 * (what limits the domain); the actor must be allowed to view it */
int	domain_plan(struct ctx *c, const struct domain *d, struct plan **p_r,
	    struct err *err);
/* domain_prefix_suggest - 1 and a free prefix made from a domain name
 * (monsite.be: "monsite") in *prefix_r; 0 if none could be made; -1 */
int	domain_prefix_suggest(struct ctx *c, const char *name,
	    char **prefix_r, struct err *err);
/* domain_create - a domain, its owner login and role aliases; cfg gives
 * the names that are reserved (hostname, reserved_domains) */
int	domain_create(struct ctx *c, const struct config *cfg,
	    const struct domain_input *in, int64_t *id_r, struct err *err);
/* domain_update - plan, description, contact, active (AUTHZ_ADMIN) */
int	domain_update(struct ctx *c, int64_t id, const struct domain_change *in,
	    struct err *err);
/* domain_set_active - enable or disable (AUTHZ_ADMIN) */
int	domain_set_active(struct ctx *c, int64_t id, int active,
	    struct err *err);
/* domain_set_quota - the domain's own total mail quota, -1 for the plan's
 * (support, reseller, superuser) */
int	domain_set_quota(struct ctx *c, int64_t id, int64_t quota,
	    struct err *err);
/* domain_delete - confirm must be the domain's name (or its Unicode form
 * as typed at creation, in punycode after valid_domain_norm) */
int	domain_delete(struct ctx *c, int64_t id, const char *confirm,
	    struct err *err);
/* domain_may_create - whether the actor may create domains at all */
int	domain_may_create(const struct ctx *c);

/* DOMAIN_COLS (sql_domain.def), then what SQL_LIST_DOMAINS adds */
enum domain_col {
	DC_ID,
	DC_NAME,
	DC_PREFIX,
	DC_COUNTER,
	DC_PLAN_ID,
	DC_PLAN_NAME,
	DC_RESELLER_ID,
	DC_DESCRIPTION,
	DC_CONTACT,
	DC_ACTIVE,
	DC_CREATED_BY,
	DC_CREATED_AT,
	DC_OWNER,
	DC_MAIL_QUOTA,
	DC_MAILBOXES,		/* SQL_LIST_DOMAINS only, from here */
	DC_DISK,
	DC_MAX_MAILBOXES,
	DC_QUOTA_TOTAL,
	DC__MAX
};
/* domain_read - a domain from a statement's DOMAIN_COLS (list.c) */
void	domain_read(struct pool *p, const struct dbrow *r, struct domain *d);
/* domain_check_name - ERR_INVALID on "name" unless the normalised name
 * may be hosted by the actor (reserved names, below others' domains) */
int	domain_check_name(struct ctx *c, const struct config *cfg,
	    const char *name, struct err *err);
/* domain_lock_tx - lock the domain row (live or deleted: check deleted)
 * and read it; the lock that serialises every change in the domain */
int	domain_lock_tx(struct ctx *c, int64_t id, struct domain_lock *d,
	    struct err *err);
/* domain_lock_plan_tx - lock the live domains of a plan (after the plan:
 * tx.h) with what each uses and whether the actor manages it */
int	domain_lock_plan_tx(struct ctx *c, int64_t plan_id,
	    struct plan_usage **v_r, size_t *n_r, struct err *err);

/* an owner login that a new domain may be given to */
struct owner_choice {
	int64_t		 id;
	const char	*login;
};
int	domain_owner_choices(struct ctx *c, struct owner_choice **v_r,
	    size_t *n_r, struct err *err);

#endif
