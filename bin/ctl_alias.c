/*
 * NAME
 *	ctl_alias - postbusctl alias list|show|add|edit|delete, mailbox
 *	forward, domain alias add|delete|list
 *
 * SYNOPSIS
 *	postbusctl alias add info@monsite.be monsite0001 friend@example.net
 *	postbusctl alias add @monsite.be monsite0001	(the catch-all)
 *	postbusctl alias add old@monsite.be --bounce
 *	postbusctl alias add all@monsite.be --everyone
 *	postbusctl mailbox forward monsite0001 --to a@example.net --no-keep
 *	postbusctl domain alias add exemple.com exemple.be
 *
 * DESCRIPTION
 *	The same lib/ calls as the web pages (alias.c, forward.c,
 *	aliasdomain.c), so the same rules, limits and audit, and --as LOGIN
 *	acts with that panel login's rights.  An alias is named by its
 *	address, "@domain" being the domain's catch-all.
 */
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "alias.h"
#include "aliasdomain.h"
#include "ctl.h"
#include "domain.h"
#include "forward.h"
#include "mailbox.h"
#include "pool.h"

/* find - an alias by address, or an exit code */
static int
find(struct ctx *c, const char *address, struct alias **a)
{
	struct err err = { 0 };

	return ctl_found(alias_find(c, address, a, &err), &err, "alias",
	    address);
}

/* kind_label - what an alias does, for people */
static const char *
kind_label(const struct alias *a)
{
	switch (a->kind) {
	case ALIAS_CATCHALL:
		return "catch-all";
	case ALIAS_BOUNCE:
		return "bounce";
	case ALIAS_EVERYONE:
		return "everyone in domain";
	default:
		return "alias";
	}
}

/* print - one alias as JSON */
static void
print(const struct alias *a, int first)
{
	size_t i;

	printf("%s{", first ? "" : ", ");
	json_kv_int(stdout, "id", a->id, 1);
	json_kv_str(stdout, "address", a->address, 1);
	json_kv_str(stdout, "kind", alias_kind_name(a->kind), 1);
	json_kv_int(stdout, "required", a->role, 1);
	json_str(stdout, "destinations");
	printf(": [");
	for (i = 0; i < a->ndests; i++) {
		printf("%s{", i ? ", " : "");
		json_kv_str(stdout, "destination", a->dests[i].text, 1);
		json_kv_int(stdout, "deleted_mailbox", a->dests[i].deleted, 0);
		printf("}");
	}
	printf("]}");
}

/* print_text - one alias on one line */
static void
print_text(const struct alias *a)
{
	size_t i;

	printf("%-36s %s", a->address, kind_label(a));
	for (i = 0; i < a->ndests; i++)
		printf("%s%s%s", i ? ", " : " ", a->dests[i].text,
		    a->dests[i].deleted ? " (deleted mailbox)" : "");
	printf("%s\n", a->role ? " [required]" : "");
}

/* cmd_list - postbusctl alias list DOMAIN [--search TEXT] */
static int
cmd_list(struct ctx *c, int argc, char **argv)
{
	struct domain *dom;
	struct alias_page pg;
	struct alias_query q;
	struct err err = { 0 };
	const char *name = ctl_arg(argc, argv, 0);
	unsigned int offset = 0;
	size_t i;
	int rc, first = 1;

	if (name == NULL)
		return ctl_usage("alias list DOMAIN [--search TEXT]");
	if ((rc = ctl_domain(c, name, &dom)) != EX_DONE)
		return rc;
	if (ctl_json)
		printf("[");
	do {
		q.search = ctl_opt(argc, argv, "search");
		q.limit = 500;
		q.offset = offset;
		if (alias_list_page(c, dom->id, &q, &pg, &err) == -1)
			return ctl_fail(&err);
		for (i = 0; i < pg.n; i++) {
			if (ctl_json)
				print(&pg.rows[i], first);
			else
				print_text(&pg.rows[i]);
			first = 0;
		}
		offset += (unsigned int)pg.n;
	} while (pg.n == 500);
	if (ctl_json)
		printf("]\n");
	return EX_DONE;
}

/* cmd_show - postbusctl alias show ADDRESS */
static int
cmd_show(struct ctx *c, int argc, char **argv)
{
	struct alias *a;
	const char *address = ctl_arg(argc, argv, 0);
	int rc;

	if (address == NULL)
		return ctl_usage("alias show ADDRESS");
	if ((rc = find(c, address, &a)) != EX_DONE)
		return rc;
	if (ctl_json) {
		print(a, 1);
		printf("\n");
	} else
		print_text(a);
	return EX_DONE;
}

/* input - ADDRESS DEST... [--everyone|--bounce] as an alias_input */
static int
input(struct ctx *c, int argc, char **argv, const char *usage,
    struct alias_input *in, const char **domain_r)
{
	const char *address = ctl_arg(argc, argv, 0), *at, *arg;
	struct buf b;
	int i;

	memset(in, 0, sizeof(*in));
	if (address == NULL || (at = strrchr(address, '@')) == NULL)
		return ctl_usage("%s", usage);
	*domain_r = at + 1;
	in->name = address;
	in->kind = ALIAS_NORMAL;
	if (at == address)
		in->kind = ALIAS_CATCHALL;
	if (ctl_flag(argc, argv, "everyone"))
		in->kind = ALIAS_EVERYONE;
	if (ctl_flag(argc, argv, "bounce"))
		in->kind = ALIAS_BOUNCE;
	buf_init(&b, c->pool, 128);
	for (i = 1; (arg = ctl_arg(argc, argv, i)) != NULL; i++)
		buf_printf(&b, "%s\n", arg);
	in->dests = b.data;
	return EX_DONE;
}

/* cmd_add - postbusctl alias add ADDRESS DEST... */
static int
cmd_add(struct ctx *c, int argc, char **argv)
{
	static const char usage[] =
	    "alias add ADDRESS|@DOMAIN DEST... | --everyone | --bounce";
	struct alias_input in;
	struct domain *dom;
	struct alias *a;
	struct err err = { 0 };
	const char *domain;
	int64_t id;
	int rc;

	if ((rc = input(c, argc, argv, usage, &in, &domain)) != EX_DONE)
		return rc;
	if ((rc = ctl_domain(c, domain, &dom)) != EX_DONE)
		return rc;
	if (alias_create(c, dom->id, &in, &id, &err) == -1)
		return ctl_fail(&err);
	if (alias_get(c, id, &a, &err) != 1)
		return ctl_fail(&err);
	if (ctl_json) {
		print(a, 1);
		printf("\n");
	} else
		printf("created %s\n", a->address);
	return EX_DONE;
}

/* cmd_edit - postbusctl alias edit ADDRESS DEST... */
static int
cmd_edit(struct ctx *c, int argc, char **argv)
{
	static const char usage[] =
	    "alias edit ADDRESS DEST... | --everyone | --bounce [--rename NAME]";
	struct alias_input in;
	struct alias *a;
	struct err err = { 0 };
	const char *domain, *rename = ctl_opt(argc, argv, "rename");
	int rc;

	if ((rc = input(c, argc, argv, usage, &in, &domain)) != EX_DONE)
		return rc;
	if ((rc = find(c, ctl_arg(argc, argv, 0), &a)) != EX_DONE)
		return rc;
	if (a->kind == ALIAS_CATCHALL && in.kind == ALIAS_NORMAL)
		in.kind = ALIAS_CATCHALL;
	if (rename != NULL)
		in.name = rename;
	if (alias_update(c, a->id, &in, &err) == -1)
		return ctl_fail(&err);
	if (!ctl_json)
		printf("saved %s\n", rename ? rename : a->address);
	else
		printf("{\"saved\": %lld}\n", (long long)a->id);
	return EX_DONE;
}

/* cmd_delete - postbusctl alias delete ADDRESS */
static int
cmd_delete(struct ctx *c, int argc, char **argv)
{
	struct alias *a;
	struct err err = { 0 };
	const char *address = ctl_arg(argc, argv, 0);
	int rc;

	if (address == NULL)
		return ctl_usage("alias delete ADDRESS");
	if ((rc = find(c, address, &a)) != EX_DONE)
		return rc;
	if (alias_delete(c, a->domain_id, &a->id, 1, &err) == -1)
		return ctl_fail(&err);
	return ctl_done("deleted", a->address);
}

/* cmd_forward - postbusctl mailbox forward LOGIN --to ADDR... [--keep|
 * --no-keep] | --off */
static int
cmd_forward(struct ctx *c, int argc, char **argv)
{
	static const char usage[] =
	    "mailbox forward LOGIN --to ADDR [--to ADDR]... [--keep|--no-keep] | --off";
	struct mailbox *m;
	struct forward f;
	struct err err = { 0 };
	struct buf b;
	const char *login = ctl_arg(argc, argv, 0), **to;
	int keep = 1, off = ctl_flag(argc, argv, "off"), rc;
	size_t k, nto;

	if (login == NULL)
		return ctl_usage("%s", usage);
	if ((rc = ctl_found(mailbox_by_login(c, login, &m, &err), &err,
	    "mailbox", login)) != EX_DONE)
		return rc;
	to = ctl_opt_all(c->pool, argc, argv, "to", &nto);
	buf_init(&b, c->pool, 128);
	for (k = 0; k < nto; k++)
		buf_printf(&b, "%s\n", to[k]);
	if (ctl_flag(argc, argv, "no-keep"))
		keep = 0;
	if (off && (b.len > 0 || !keep))
		return ctl_usage("%s", usage);
	if (!off && b.len == 0) {
		if (forward_get(c, m->id, &f, &err) == -1)
			return ctl_fail(&err);
		if (ctl_json) {
			printf("{\"keep\": %d, \"forward\": [", f.keep);
			for (k = 0; k < f.n; k++) {
				printf("%s", k ? ", " : "");
				json_str(stdout, f.dests[k]);
			}
			printf("]}\n");
		} else {
			printf("deliver normally: %s\n", f.keep ? "yes" : "no");
			for (k = 0; k < f.n; k++)
				printf("forward to: %s\n", f.dests[k]);
		}
		return EX_DONE;
	}
	if (forward_set(c, m->id, keep, b.data, &err) == -1)
		return ctl_fail(&err);
	return ctl_done("saved", m->login);
}

/* cmd_domain_alias - postbusctl domain alias add|delete|list */
static int
cmd_domain_alias(struct ctx *c, int argc, char **argv)
{
	static const char usage[] =
	    "domain alias add ALIASDOMAIN TARGETDOMAIN | delete ALIASDOMAIN | list TARGETDOMAIN";
	const char *verb = ctl_arg(argc, argv, 0);
	const char *a1 = ctl_arg(argc, argv, 1), *a2 = ctl_arg(argc, argv, 2);
	struct domain *dom;
	struct aliasdomain *v, *ad;
	struct aliasdomain_allowance al;
	struct err err = { 0 };
	size_t n, i;
	int rc;

	if (verb == NULL || a1 == NULL)
		return ctl_usage("%s", usage);
	if (strcmp(verb, "add") == 0) {
		if (a2 == NULL)
			return ctl_usage("%s", usage);
		if ((rc = ctl_domain(c, a2, &dom)) != EX_DONE)
			return rc;
		if (aliasdomain_add(c, ctl_cfg, dom->id, a1, &err) == -1)
			return ctl_fail(&err);
		if (ctl_json)
			printf("{\"added\": \"%s\"}\n", a1);
		else
			printf("%s is now an alias of %s\n", a1, dom->name);
		return EX_DONE;
	}
	if (strcmp(verb, "delete") == 0) {
		if ((rc = ctl_found(aliasdomain_find(c, a1, &ad, &err), &err,
		    "alias domain", a1)) != EX_DONE)
			return rc;
		if (aliasdomain_delete(c, ad->id, &err) == -1)
			return ctl_fail(&err);
		return ctl_done("deleted", ad->name);
	}
	if (strcmp(verb, "list") == 0) {
		if ((rc = ctl_domain(c, a1, &dom)) != EX_DONE)
			return rc;
		if (aliasdomain_list(c, dom->id, &v, &n, &al, &err) == -1)
			return ctl_fail(&err);
		if (ctl_json)
			printf("[");
		for (i = 0; i < n; i++) {
			if (ctl_json) {
				printf("%s{", i ? ", " : "");
				json_kv_str(stdout, "name", v[i].name, 1);
				json_kv_str(stdout, "domain", v[i].domain_name, 1);
				json_kv_str(stdout, "created_by", v[i].created_by, 1);
				json_kv_str(stdout, "created_at", v[i].created_at, 0);
				printf("}");
			} else
				printf("%s\n", v[i].name);
		}
		if (ctl_json)
			printf("]\n");
		return EX_DONE;
	}
	return ctl_usage("%s", usage);
}

const struct ctl_cmd ctl_alias_cmds[] = {
	{ "alias", "list", 1, 1, "search=", "DOMAIN [--search TEXT]", cmd_list },
	{ "alias", "show", 1, 1, "", "ADDRESS", cmd_show },
	{ "alias", "add", 1, ADDRESS_DESTS_MAX + 1, "everyone bounce",
	    "ADDRESS|@DOMAIN DEST... | ADDRESS --everyone | ADDRESS --bounce",
	    cmd_add },
	{ "alias", "edit", 1, ADDRESS_DESTS_MAX + 1, "everyone bounce rename=",
	    "ADDRESS DEST... | --everyone | --bounce [--rename NAME]", cmd_edit },
	{ "alias", "delete", 1, 1, "", "ADDRESS", cmd_delete },
	{ "mailbox", "forward", 1, 1, "to=... keep no-keep off",
	    "LOGIN [--to ADDR]... [--keep|--no-keep] | LOGIN --off", cmd_forward },
	{ "domain", "alias", 2, 3, "",
	    "add ALIASDOMAIN TARGETDOMAIN | delete ALIASDOMAIN | list TARGETDOMAIN",
	    cmd_domain_alias },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL }
};
