/*
 * NAME
 *	plan - what a domain may hold: plans and their limits
 *
 * SYNOPSIS
 *	struct plan p = *plan_defaults();
 *	p.name = "Small";
 *	if (plan_create(ctx, &p, &id, &err) == -1)
 *		show err.msg next to the field err.field;
 *
 * DESCRIPTION
 *	A domain belongs to a plan, which caps what it may hold.  Sizes are
 *	in bytes; a limit of -1 means unlimited (limit.h).  The rules that
 *	live here, for the web pages and postbusctl alike:
 *
 *	- Superusers and resellers create plans; a reseller edits only the
 *	  plans it made, a superuser every plan.  Plans are not secret: any
 *	  logged-in actor may read one.
 *	- A reseller gives its domains the shared plans (no owner) and its
 *	  own; a superuser any plan (plan_may_use).
 *	- A plan change that would put a domain over a limit is refused,
 *	  naming those domains; the plan and then its domains are locked
 *	  while it is checked and saved (tx.h).  A reseller's change is
 *	  refused as well when the plan is used by a domain it does not
 *	  manage (only their number is told).
 *	- The seed plans' values are in schema/002; a new plan starts as
 *	  the seed's "Recommended" (plan_defaults).
 *
 * DIAGNOSTICS
 *	0 on success, -1 with err filled; every refused value is in err's
 *	list (postbus.h), each on the form field of its struct plan name
 *	("name", "mail_quota", ...).
 */
#ifndef POSTBUS_PLAN_H
#define POSTBUS_PLAN_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct err;
struct pool;

struct plan {
	int64_t		 id;
	const char	*name;
	int64_t		 mail_quota;		/* -1 unlimited */
	int64_t		 max_mailboxes;		/* -1 unlimited */
	int64_t		 default_mailbox_quota;	/* 0 unlimited */
	int		 allow_unlimited_quota;
	int64_t		 max_aliases;		/* -1 unlimited */
	int64_t		 max_alias_domains;	/* -1 unlimited */
	int64_t		 max_message_size;
	int64_t		 web_quota;		/* -1 unlimited */
	int64_t		 max_virtual_servers;	/* -1 unlimited */
	int64_t		 max_destinations;	/* remote destinations of one
						 * alias or forward, -1
						 * unlimited */
	int64_t		 owner_id;		/* reseller who made it, 0 */
	int64_t		 ndomains;		/* live domains on it (plan_list
						 * only; -1 from plan_get) */
};

/* what a domain uses of its plan, read under the domain's lock */
struct plan_usage {
	int64_t		 id;			/* the domain */
	const char	*name;
	int64_t		 quota_override;	/* the domain's own, -1 none */
	int64_t		 mailboxes;
	int64_t		 quota_sum;
	int64_t		 unlimited;		/* mailboxes without quota */
	int64_t		 aliases;
	int		 reachable;		/* the actor manages it */
};

/* a domain that a plan change would put over a limit */
struct domain_over {
	int64_t		 id;
	const char	*name;
	const char	*why;			/* translated */
};

/* plan_defaults - the seed's "Recommended": what a new plan starts as */
const struct plan *plan_defaults(void);
/* plan_get - a plan by id: 1 found, 0 not found (err: ERR_NOTFOUND on
 * "plan"), -1 error */
int	plan_get(struct ctx *c, int64_t id, struct plan **p_r, struct err *err);
/* plan_list - every plan for superusers and support; for a reseller the
 * shared plans and its own, ndomains counting its own domains only */
int	plan_list(struct ctx *c, struct plan **v_r, size_t *n_r,
	    struct err *err);
/* plan_may_edit - whether the actor may change the plan */
int	plan_may_edit(const struct ctx *c, const struct plan *p);
/* plan_may_use - whether the actor may give a domain the plan */
int	plan_may_use(const struct ctx *c, const struct plan *p);
/* plan_create - a new plan from *in (id, owner_id, ndomains ignored) */
int	plan_create(struct ctx *c, const struct plan *in, int64_t *id_r,
	    struct err *err);
/* plan_update - change plan id to *in; refused with the domains that
 * would be over a limit in *over_r (n in *nover_r), or, for a reseller,
 * when a domain it does not manage is on the plan (counted, not named) */
int	plan_update(struct ctx *c, int64_t id, const struct plan *in,
	    struct domain_over **over_r, size_t *nover_r, struct err *err);
/* plan_fits - NULL if what a domain uses fits in the plan, else why not
 * (translated) */
const char *plan_fits(struct pool *p, const struct plan *pl,
	    const struct plan_usage *u);
/* plan_lock_tx - the plan, locked until the commit; -1 with ERR_INVALID
 * on "plan" if there is no such plan */
int	plan_lock_tx(struct ctx *c, int64_t id, struct plan **p_r,
	    struct err *err);

#endif
