/*
 * NAME
 *	ctl_domain - postbusctl plan ... and domain ...
 *
 * SYNOPSIS
 *	postbusctl plan add NAME [--mail-quota SIZE] [--max-mailboxes N] ...
 *	postbusctl plan edit NAME|ID [the same options]
 *	postbusctl domain add NAME --plan P [--prefix X] [--owner LOGIN |
 *	    --new-owner LOGIN --password-stdin] [--description D] [--contact C]
 *	postbusctl domain edit|disable|enable|delete NAME ...
 *
 * DESCRIPTION
 *	The same lib/domain.c calls as the web pages, with the same rules and
 *	audit trail.  Sizes are written as on the pages ("3 GB"); "unlimited"
 *	removes a limit.  Exit codes: see ctl.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ctl.h"
#include "db.h"
#include "domain.h"
#include "limit.h"
#include "list.h"
#include "passwd.h"
#include "pool.h"
#include "user.h"
#include "valid.h"

#define PLAN_GRAMMAR "mail-quota= max-mailboxes= default-quota= " \
	"allow-unlimited= max-aliases= max-alias-domains= max-message-size= " \
	"web-quota= max-virtual-servers= max-destinations="
#define PLAN_OPTS "[--mail-quota SIZE] [--max-mailboxes N] " \
	"[--default-quota SIZE] [--allow-unlimited yes|no] [--max-aliases N] " \
	"[--max-alias-domains N] [--max-message-size SIZE] [--web-quota SIZE] " \
	"[--max-virtual-servers N] [--max-destinations N]"

/* plan_print - one plan, as JSON or text */
static void
plan_print(const struct plan *p, int first)
{
	if (ctl_json) {
		printf("%s{", first ? "" : ", ");
		json_kv_int(stdout, "id", p->id, 1);
		json_kv_str(stdout, "name", p->name, 1);
		json_kv_int(stdout, "mail_quota", p->mail_quota, 1);
		json_kv_int(stdout, "max_mailboxes", p->max_mailboxes, 1);
		json_kv_int(stdout, "default_mailbox_quota", p->default_mailbox_quota, 1);
		json_kv_int(stdout, "max_aliases", p->max_aliases, 1);
		json_kv_int(stdout, "max_alias_domains", p->max_alias_domains, 1);
		json_kv_int(stdout, "max_message_size", p->max_message_size, 1);
		json_kv_int(stdout, "web_quota", p->web_quota, 1);
		json_kv_int(stdout, "max_virtual_servers", p->max_virtual_servers, 1);
		json_kv_int(stdout, "max_destinations", p->max_destinations, 0);
		printf("}");
		return;
	}
	printf("%-4lld %-16s mail %lld bytes, %lld mailboxes, %lld virtual servers\n",
	    (long long)p->id, p->name, (long long)p->mail_quota,
	    (long long)p->max_mailboxes, (long long)p->max_virtual_servers);
}

/* plan_list_cmd - postbusctl plan list */
static int
plan_list_cmd(struct ctx *c, int argc, char **argv)
{
	struct plan *v;
	struct err err = { 0 };
	size_t n, i;

	(void)argc;
	(void)argv;
	if (plan_list(c, &v, &n, &err) == -1)
		return ctl_fail(&err);
	if (ctl_json)
		printf("[");
	for (i = 0; i < n; i++)
		plan_print(&v[i], i == 0);
	if (ctl_json)
		printf("]\n");
	return EX_DONE;
}

/* plan_find - a plan by name or id; an exit code */
static int
plan_find(struct ctx *c, const char *which, struct plan **p_r)
{
	struct plan *v;
	struct err err = { 0 };
	size_t n, i;

	if (plan_list(c, &v, &n, &err) == -1)
		return ctl_fail(&err);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, which) == 0 ||
		    strcmp(pool_printf(c->pool, "%lld", (long long)v[i].id), which) == 0) {
			*p_r = &v[i];
			return EX_DONE;
		}
	fprintf(stderr, "postbusctl: no such plan: %s\n", which);
	return EX_NOTFOUND;
}

/* plan_show_cmd - postbusctl plan show NAME|ID */
static int
plan_show_cmd(struct ctx *c, int argc, char **argv)
{
	const char *which = ctl_arg(argc, argv, 0);
	struct plan *p;
	int rc;

	if (which == NULL)
		return ctl_usage("plan show NAME|ID");
	if ((rc = plan_find(c, which, &p)) != EX_DONE)
		return rc;
	plan_print(p, 1);
	if (ctl_json)
		printf("\n");
	return EX_DONE;
}

/* opt_limit - --name SIZE|N|unlimited into *v; an exit code */
static int
opt_limit(int argc, char **argv, const char *name, int size, int64_t *v)
{
	const char *s = ctl_opt(argc, argv, name), *why;

	if (s == NULL)
		return EX_DONE;
	why = size ? limit_parse_size(s, 1, v) : limit_parse_count(s, 1, v);
	if (why != NULL) {
		fprintf(stderr, "postbusctl: --%s: %s\n", name, why);
		return EX_RULE;
	}
	/* a plan's default mailbox quota: none is 0, as a mailbox's */
	if (*v < 0 && strcmp(name, "default-quota") == 0)
		*v = QUOTA_UNLIMITED;
	return EX_DONE;
}

/* plan_opts - every plan option of argv into *p; an exit code */
static int
plan_opts(int argc, char **argv, struct plan *p)
{
	static const struct { const char *name; int size; } opts[] = {
		{ "mail-quota", 1 }, { "max-mailboxes", 0 },
		{ "default-quota", 1 }, { "max-aliases", 0 },
		{ "max-alias-domains", 0 }, { "max-message-size", 1 },
		{ "web-quota", 1 }, { "max-virtual-servers", 0 },
		{ "max-destinations", 0 },
	};
	int64_t *slots[] = { &p->mail_quota, &p->max_mailboxes,
	    &p->default_mailbox_quota, &p->max_aliases, &p->max_alias_domains,
	    &p->max_message_size, &p->web_quota, &p->max_virtual_servers,
	    &p->max_destinations };
	const char *au = ctl_opt(argc, argv, "allow-unlimited");
	size_t i;
	int rc = EX_DONE;

	/* every option is read, each refusal told, before giving up */
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opt_limit(argc, argv, opts[i].name, opts[i].size,
		    slots[i]) != EX_DONE)
			rc = EX_RULE;
	if (au != NULL)
		p->allow_unlimited_quota = strcmp(au, "yes") == 0;
	return rc;
}

/* plan_add_cmd - postbusctl plan add NAME [options] */
static int
plan_add_cmd(struct ctx *c, int argc, char **argv)
{
	const char *name = ctl_arg(argc, argv, 0);
	struct plan p = *plan_defaults();
	struct err err = { 0 };
	int64_t id;
	int rc;

	if (name == NULL)
		return ctl_usage("plan add NAME " PLAN_OPTS);
	p.name = name;
	if ((rc = plan_opts(argc, argv, &p)) != EX_DONE)
		return rc;
	if (plan_create(c, &p, &id, &err) == -1)
		return ctl_fail(&err);
	p.id = id;
	if (ctl_json) {
		plan_print(&p, 1);
		printf("\n");
	} else
		printf("created plan %s\n", name);
	return EX_DONE;
}

/* plan_edit_cmd - postbusctl plan edit NAME|ID [--name NEW] [options] */
static int
plan_edit_cmd(struct ctx *c, int argc, char **argv)
{
	const char *which = ctl_arg(argc, argv, 0);
	struct plan *old, p;
	struct domain_over *over;
	struct err err = { 0 };
	size_t nover, i;
	int rc;

	if (which == NULL)
		return ctl_usage("plan edit NAME|ID [--name NEW] " PLAN_OPTS);
	if ((rc = plan_find(c, which, &old)) != EX_DONE)
		return rc;
	p = *old;
	if (ctl_opt(argc, argv, "name") != NULL)
		p.name = ctl_opt(argc, argv, "name");
	if ((rc = plan_opts(argc, argv, &p)) != EX_DONE)
		return rc;
	if (plan_update(c, old->id, &p, &over, &nover, &err) == -1) {
		for (i = 0; i < nover; i++)
			fprintf(stderr, "postbusctl: %s: %s\n", over[i].name,
			    over[i].why);
		return ctl_fail(&err);
	}
	if (ctl_json) {
		plan_print(&p, 1);
		printf("\n");
	} else
		printf("saved plan %s\n", p.name);
	return EX_DONE;
}

/* domain_print - one domain */
static void
domain_print(const struct domain *d, int first)
{
	if (ctl_json) {
		printf("%s{", first ? "" : ", ");
		json_kv_int(stdout, "id", d->id, 1);
		json_kv_str(stdout, "name", d->name, 1);
		json_kv_str(stdout, "prefix", d->prefix, 1);
		json_kv_str(stdout, "plan", d->plan_name, 1);
		json_kv_str(stdout, "owner", *d->owner_login ? d->owner_login : NULL, 1);
		json_kv_str(stdout, "description", d->description, 1);
		json_kv_str(stdout, "contact_email", d->contact_email, 1);
		json_kv_int(stdout, "active", d->active, 1);
		json_kv_int(stdout, "next_counter", d->next_counter, 1);
		json_kv_str(stdout, "created_by", d->created_by, 1);
		json_kv_str(stdout, "created_at", d->created_at, 0);
		printf("}");
		return;
	}
	printf("%-32s %-12s %-12s %s%s\n", d->name, d->prefix, d->plan_name,
	    *d->owner_login ? d->owner_login : "-", d->active ? "" : " (disabled)");
}

/* domain_list_cmd - postbusctl domain list [--search S] */
static int
domain_list_cmd(struct ctx *c, int argc, char **argv)
{
	struct domain *v;
	struct err err = { 0 };
	size_t n, i;
	int64_t total;

	if (list_domains(c, ctl_opt(argc, argv, "search"), 1000000, 0, &v, &n,
	    &total, &err) == -1)
		return ctl_fail(&err);
	if (ctl_json)
		printf("[");
	for (i = 0; i < n; i++)
		domain_print(&v[i], i == 0);
	if (ctl_json)
		printf("]\n");
	return EX_DONE;
}

/* domain_show_cmd - postbusctl domain show NAME */
static int
domain_show_cmd(struct ctx *c, int argc, char **argv)
{
	const char *name = ctl_arg(argc, argv, 0);
	struct domain *d;
	struct domain_usage u;
	struct err err = { 0 };

	if (name == NULL)
		return ctl_usage("domain show NAME");
	switch (domain_by_name(c, name, &d, &err)) {
	case -1:
		return ctl_fail(&err);
	case 0:
		return ctl_fail(&err);
	}
	if (domain_usage(c, d->id, &u, &err) != 1)
		return ctl_fail(&err);
	domain_print(d, 1);
	if (ctl_json)
		printf("\n");
	else
		printf("mailboxes %lld, aliases %lld, quota given %lld bytes, "
		    "disk used %lld bytes\n", (long long)u.mailboxes,
		    (long long)u.aliases, (long long)u.quota_allocated,
		    (long long)u.disk_used);
	return EX_DONE;
}

/* domain_add_cmd - postbusctl domain add NAME --plan P ... */
static int
domain_add_cmd(struct ctx *c, int argc, char **argv)
{
	const char *name = ctl_arg(argc, argv, 0);
	const char *plan = ctl_opt(argc, argv, "plan");
	const char *owner = ctl_opt(argc, argv, "owner");
	const char *newowner = ctl_opt(argc, argv, "new-owner");
	struct domain_input in;
	struct domain *d;
	struct plan *p;
	struct panel_user *u;
	struct err err = { 0 };
	int64_t id;
	int rc, gen = 0;
	char *pw = NULL;

	if (name == NULL || plan == NULL || (owner == NULL) == (newowner == NULL))
		return ctl_usage("domain add NAME --plan PLAN [--prefix X] "
		    "(--owner LOGIN | --new-owner LOGIN [--password-stdin]) "
		    "[--description TEXT] [--contact EMAIL]");
	if ((rc = plan_find(c, plan, &p)) != EX_DONE)
		return rc;
	memset(&in, 0, sizeof(in));
	in.name = name;
	in.prefix = ctl_opt(argc, argv, "prefix");
	in.plan_id = p->id;
	in.description = ctl_opt(argc, argv, "description");
	in.contact_email = ctl_opt(argc, argv, "contact");
	if (owner != NULL) {
		switch (user_by_login(c, owner, &u, &err)) {
		case -1:
			return ctl_fail(&err);
		case 0:
			fprintf(stderr, "postbusctl: no such login: %s\n", owner);
			return EX_NOTFOUND;
		}
		in.owner_id = u->id;
	} else {
		if ((pw = ctl_password(c, argc, argv, &gen)) == NULL) {
			fprintf(stderr, "postbusctl: no password\n");
			return EX_USAGE;
		}
		in.owner_login = newowner;
		in.owner_password = pw;
		in.owner_password2 = pw;
	}
	rc = domain_create(c, ctl_cfg, &in, &id, &err);
	if (rc == -1) {
		if (pw != NULL)
			passwd_wipe(pw);
		return ctl_fail(&err);
	}
	if (domain_get(c, id, &d, &err) != 1) {
		if (pw != NULL)
			passwd_wipe(pw);
		return ctl_fail(&err);
	}
	if (ctl_json) {
		printf("{");
		json_kv_int(stdout, "id", d->id, 1);
		json_kv_str(stdout, "name", d->name, 1);
		json_kv_str(stdout, "prefix", d->prefix, 1);
		json_kv_str(stdout, "plan", d->plan_name, 1);
		json_kv_str(stdout, "owner", d->owner_login, gen);
		if (gen)
			json_kv_str(stdout, "password", pw, 0);
		printf("}\n");
	} else if (gen)
		printf("created %s (prefix %s, owner %s with password %s)\n",
		    d->name, d->prefix, d->owner_login, pw);
	else
		printf("created %s (prefix %s, owner %s)\n", d->name,
		    d->prefix, d->owner_login);
	if (pw != NULL)
		passwd_wipe(pw);
	return EX_DONE;
}

/* domain_edit_cmd - postbusctl domain edit NAME [--plan P] ... */
static int
domain_edit_cmd(struct ctx *c, int argc, char **argv)
{
	const char *name = ctl_arg(argc, argv, 0), *plan;
	struct domain_change ch;
	struct domain *d;
	struct plan *p;
	struct err err = { 0 };
	int rc;

	if (name == NULL)
		return ctl_usage("domain edit NAME [--plan PLAN] "
		    "[--description TEXT] [--contact EMAIL]");
	if ((rc = ctl_domain(c, name, &d)) != EX_DONE)
		return rc;
	ch.plan_id = d->plan_id;
	if ((plan = ctl_opt(argc, argv, "plan")) != NULL) {
		if ((rc = plan_find(c, plan, &p)) != EX_DONE)
			return rc;
		ch.plan_id = p->id;
	}
	ch.description = ctl_opt(argc, argv, "description") ?
	    ctl_opt(argc, argv, "description") : d->description;
	ch.contact_email = ctl_opt(argc, argv, "contact") ?
	    ctl_opt(argc, argv, "contact") : d->contact_email;
	ch.active = d->active;
	if (domain_update(c, d->id, &ch, &err) == -1)
		return ctl_fail(&err);
	if (ctl_domain(c, d->name, &d) == EX_DONE)
		domain_print(d, 1);
	if (ctl_json)
		printf("\n");
	return EX_DONE;
}

/* domain_state - disable or enable */
static int
domain_state(struct ctx *c, int argc, char **argv, int active)
{
	const char *name = ctl_arg(argc, argv, 0);
	struct domain *d;
	struct err err = { 0 };
	int rc;

	if (name == NULL)
		return ctl_usage("domain %s NAME", active ? "enable" : "disable");
	if ((rc = ctl_domain(c, name, &d)) != EX_DONE)
		return rc;
	if (domain_set_active(c, d->id, active, &err) == -1)
		return ctl_fail(&err);
	if (ctl_json)
		printf("{\"name\": \"%s\", \"active\": %d}\n", d->name, active);
	else
		printf("%s %s\n", active ? "enabled" : "disabled", d->name);
	return EX_DONE;
}

/* domain_disable_cmd - postbusctl domain disable NAME */
static int
domain_disable_cmd(struct ctx *c, int argc, char **argv)
{
	return domain_state(c, argc, argv, 0);
}

/* domain_enable_cmd - postbusctl domain enable NAME */
static int
domain_enable_cmd(struct ctx *c, int argc, char **argv)
{
	return domain_state(c, argc, argv, 1);
}

/* domain_quota_cmd - postbusctl domain quota NAME (SIZE | plan) */
static int
domain_quota_cmd(struct ctx *c, int argc, char **argv)
{
	const char *name = ctl_arg(argc, argv, 0);
	const char *size = ctl_arg(argc, argv, 1);
	struct domain *d;
	struct err err = { 0 };
	int64_t quota = LIMIT_UNLIMITED;	/* the plan's */
	const char *why;
	int rc;

	if (name == NULL || size == NULL)
		return ctl_usage("domain quota NAME (SIZE | plan)");
	if (strcmp(size, "plan") != 0 &&
	    (why = limit_parse_size(size, 0, &quota)) != NULL) {
		fprintf(stderr, "postbusctl: %s: %s\n", size, why);
		return EX_RULE;
	}
	if ((rc = ctl_domain(c, name, &d)) != EX_DONE)
		return rc;
	if (domain_set_quota(c, d->id, quota, &err) == -1)
		return ctl_fail(&err);
	if (ctl_json) {
		printf("{");
		json_kv_str(stdout, "name", d->name, 1);
		json_kv_int(stdout, "mail_quota", quota, 0);
		printf("}\n");
	} else if (quota < 0)
		printf("%s: mail quota from the plan\n", d->name);
	else
		printf("%s: mail quota %s\n", d->name,
		    valid_size_format(c->pool, (uint64_t)quota));
	return EX_DONE;
}

/* domain_delete_cmd - postbusctl domain delete NAME --confirm NAME */
static int
domain_delete_cmd(struct ctx *c, int argc, char **argv)
{
	const char *name = ctl_arg(argc, argv, 0);
	const char *confirm = ctl_opt(argc, argv, "confirm");
	struct domain *d;
	struct err err = { 0 };
	int rc;

	if (name == NULL || (confirm == NULL && !ctl_flag(argc, argv, "yes")))
		return ctl_usage("domain delete NAME (--confirm NAME | --yes)");
	if ((rc = ctl_domain(c, name, &d)) != EX_DONE)
		return rc;
	if (domain_delete(c, d->id, confirm ? confirm : d->name, &err) == -1)
		return ctl_fail(&err);
	if (ctl_json)
		printf("{\"deleted\": \"%s\"}\n", d->name);
	else
		printf("deleted %s; its mail goes with the next "
		    "\"postbusctl mailbox purge\"\n", d->name);
	return EX_DONE;
}

const struct ctl_cmd ctl_domain_cmds[] = {
	{ "plan", "list", 0, 0, "", "", plan_list_cmd },
	{ "plan", "show", 1, 1, "", "NAME|ID", plan_show_cmd },
	{ "plan", "add", 1, 1, PLAN_GRAMMAR, "NAME " PLAN_OPTS, plan_add_cmd },
	{ "plan", "edit", 1, 1, "name= " PLAN_GRAMMAR,
	    "NAME|ID [--name NEW] " PLAN_OPTS, plan_edit_cmd },
	{ "domain", "list", 0, 0, "search=", "[--search TEXT]", domain_list_cmd },
	{ "domain", "show", 1, 1, "", "NAME", domain_show_cmd },
	{ "domain", "add", 1, 1, "plan= prefix= owner= new-owner= "
	    "password-stdin description= contact=",
	    "NAME --plan PLAN [--prefix X] (--owner LOGIN | "
	    "--new-owner LOGIN [--password-stdin]) [--description TEXT] "
	    "[--contact EMAIL]", domain_add_cmd },
	{ "domain", "edit", 1, 1, "plan= description= contact=",
	    "NAME [--plan PLAN] [--description TEXT] [--contact EMAIL]",
	    domain_edit_cmd },
	{ "domain", "disable", 1, 1, "", "NAME", domain_disable_cmd },
	{ "domain", "quota", 2, 2, "", "NAME (SIZE | plan)", domain_quota_cmd },
	{ "domain", "enable", 1, 1, "", "NAME", domain_enable_cmd },
	{ "domain", "delete", 1, 1, "confirm= yes",
	    "NAME (--confirm NAME | --yes)", domain_delete_cmd },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL }
};
