/*
 * NAME
 *	ctl_domain - postbusctl plan ... and domain ...
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "domain.h"
#include "pool.h"
#include "valid.h"

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
		json_kv_int(stdout, "max_virtual_servers", p->max_virtual_servers, 0);
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

/* plan_show_cmd - postbusctl plan show NAME|ID */
static int
plan_show_cmd(struct ctx *c, int argc, char **argv)
{
	const char *which = ctl_arg(argc, argv, 0);
	struct plan *v;
	struct err err = { 0 };
	size_t n, i;

	if (which == NULL)
		return ctl_usage("plan show NAME|ID");
	if (plan_list(c, &v, &n, &err) == -1)
		return ctl_fail(&err);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, which) == 0 ||
		    strcmp(pool_printf(c->pool, "%lld", (long long)v[i].id), which) == 0) {
			plan_print(&v[i], 1);
			if (ctl_json)
				printf("\n");
			return EX_DONE;
		}
	fprintf(stderr, "postbusctl: no such plan: %s\n", which);
	return EX_NOTFOUND;
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

	if (domain_list(c, ctl_opt(argc, argv, "search"), 1000000, 0, &v, &n,
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
	if (domain_usage(c, d->id, &u, &err) == -1)
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

const struct ctl_cmd ctl_domain_cmds[] = {
	{ "plan", "list", "", plan_list_cmd, 0 },
	{ "plan", "show", "NAME|ID", plan_show_cmd, 0 },
	{ "domain", "list", "[--search TEXT]", domain_list_cmd, 0 },
	{ "domain", "show", "NAME", domain_show_cmd, 0 },
	{ NULL, NULL, NULL, NULL, 0 }
};
