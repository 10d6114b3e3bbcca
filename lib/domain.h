/*
 * NAME
 *	domain - plans and mail domains ("virtual servers")
 *
 * DESCRIPTION
 *	A domain belongs to a plan, which caps what it may hold.  Sizes are in
 *	bytes; a limit of -1 means unlimited.  Every function authorises the
 *	actor for the domain it names (authz.h) before it reads or writes.
 */
#ifndef POSTBUS_DOMAIN_H
#define POSTBUS_DOMAIN_H

#include <stddef.h>
#include <stdint.h>

struct ctx;
struct err;

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
	const char	*created_by;
	const char	*created_at;
	const char	*owner_login;		/* "" if none */
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
/* domain_by_name - the same, by name */
int	domain_by_name(struct ctx *c, const char *name, struct domain **d_r,
	    struct err *err);
/* domain_list - domains the actor can see, name or prefix containing
 * search (NULL for all), sorted by name; *total_r counts all matches */
int	domain_list(struct ctx *c, const char *search, unsigned int limit,
	    unsigned int offset, struct domain **v_r, size_t *n_r,
	    int64_t *total_r, struct err *err);
int	domain_usage(struct ctx *c, int64_t id, struct domain_usage *u,
	    struct err *err);
int	plan_get(struct ctx *c, int64_t id, struct plan **p_r, struct err *err);
int	plan_list(struct ctx *c, struct plan **v_r, size_t *n_r,
	    struct err *err);

#endif
