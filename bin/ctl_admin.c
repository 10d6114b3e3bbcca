/*
 * NAME
 *	ctl_admin - postbusctl admin add|passwd|list|delete
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "db.h"
#include "domain.h"
#include "passwd.h"
#include "pool.h"
#include "user.h"
#include "valid.h"

/* domain_ids - the ids of every --domain NAME of argv; an exit code */
static int
domain_ids(struct ctx *c, int argc, char **argv, int64_t **ids_r,
    size_t *n_r)
{
	struct domain *d;
	const char **names;
	int64_t *v;
	size_t n, i;
	int rc;

	names = ctl_opt_all(c->pool, argc, argv, "domain", &n);
	v = pool_zalloc(c->pool, sizeof(*v) * (n + 1));
	for (i = 0; i < n; i++) {
		if ((rc = ctl_domain(c, names[i], &d)) != EX_DONE)
			return rc;
		v[i] = d->id;
	}
	*ids_r = v;
	*n_r = n;
	return EX_DONE;
}

/* admin_add - create a panel login */
static int
admin_add(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0);
	const char *rs = ctl_opt(argc, argv, "role");
	const char *md = ctl_opt(argc, argv, "max-domains");
	struct err err = { 0 };
	enum role role;
	uint64_t max = 0;
	int64_t id, *ids;
	size_t nids;
	int gen, rc;
	char *pw;

	if (login == NULL || rs == NULL)
		return ctl_usage("admin add LOGIN --role superuser|reseller|support|owner "
		    "[--domain NAME]... [--max-domains N] [--password-stdin]");
	if ((role = role_parse(rs)) == ROLE_NONE) {
		fprintf(stderr, "postbusctl: unknown role %s\n", rs);
		return EX_USAGE;
	}
	if (md != NULL && valid_uint(md, 0, 1000000, &max) != NULL) {
		fprintf(stderr, "postbusctl: --max-domains: not a number\n");
		return EX_USAGE;
	}
	if ((pw = ctl_password(c, argc, argv, &gen)) == NULL) {
		fprintf(stderr, "postbusctl: no password\n");
		return EX_USAGE;
	}
	if ((rc = domain_ids(c, argc, argv, &ids, &nids)) != EX_DONE) {
		passwd_wipe(pw);
		return rc;
	}
	if (user_create(c, login, pw, pw, role, md ? (int64_t)max : -1, ids,
	    nids, &id, &err) == -1) {
		passwd_wipe(pw);
		return ctl_fail(&err);
	}
	if (ctl_json) {
		printf("{");
		json_kv_int(stdout, "id", id, 1);
		json_kv_str(stdout, "login", login, 1);
		json_kv_str(stdout, "role", role_name(role), gen);
		if (gen)
			json_kv_str(stdout, "password", pw, 0);
		printf("}\n");
	} else if (gen)
		printf("created %s (%s) with password %s\n", login,
		    role_name(role), pw);
	else
		printf("created %s (%s)\n", login, role_name(role));
	passwd_wipe(pw);
	return EX_DONE;
}

/* find - a login by name, or an exit code */
static int
find(struct ctx *c, const char *login, struct panel_user **u)
{
	struct err err = { 0 };

	return ctl_found(user_by_login(c, login, u, &err), &err, "login",
	    login);
}

/* admin_passwd - set a panel login's password */
static int
admin_passwd(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0);
	struct panel_user *u;
	struct err err = { 0 };
	int gen, rc;
	char *pw;

	if (login == NULL)
		return ctl_usage("admin passwd LOGIN [--password-stdin]");
	if ((rc = find(c, login, &u)) != EX_DONE)
		return rc;
	if ((pw = ctl_password(c, argc, argv, &gen)) == NULL)
		return EX_USAGE;
	if (user_set_password(c, u->id, pw, &err) == -1) {
		passwd_wipe(pw);
		return ctl_fail(&err);
	}
	if (ctl_json) {
		printf("{");
		json_kv_str(stdout, "login", login, gen);
		if (gen)
			json_kv_str(stdout, "password", pw, 0);
		printf("}\n");
	} else if (gen)
		printf("new password for %s: %s\n", login, pw);
	else
		printf("password changed for %s\n", login);
	passwd_wipe(pw);
	return EX_DONE;
}

/* admin_list - every panel login */
static int
admin_list(struct ctx *c, int argc, char **argv)
{
	struct panel_user *v;
	struct err err = { 0 };
	size_t n, i;

	(void)argc;
	(void)argv;
	if (user_list(c, 100000, 0, &v, &n, &err) == -1)
		return ctl_fail(&err);
	if (ctl_json)
		printf("[");
	for (i = 0; i < n; i++) {
		if (ctl_json) {
			printf("%s{", i ? ", " : "");
			json_kv_int(stdout, "id", v[i].id, 1);
			json_kv_str(stdout, "login", v[i].login, 1);
			json_kv_str(stdout, "role", role_name(v[i].role), 1);
			json_kv_int(stdout, "active", v[i].active, 1);
			if (v[i].max_domains >= 0)
				json_kv_int(stdout, "max_domains", v[i].max_domains, 1);
			json_kv_str(stdout, "created_at", v[i].created_at, 1);
			json_kv_str(stdout, "last_login", *v[i].last_login ?
			    v[i].last_login : NULL, 0);
			printf("}");
		} else
			printf("%-24s %-10s %s%s\n", v[i].login,
			    role_name(v[i].role), *v[i].last_login ?
			    v[i].last_login : "never logged in",
			    v[i].active ? "" : " (disabled)");
	}
	if (ctl_json)
		printf("]\n");
	return EX_DONE;
}

/* admin_delete - remove a panel login */
static int
admin_delete(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0);
	struct panel_user *u;
	struct err err = { 0 };
	int rc;

	if (login == NULL)
		return ctl_usage("admin delete LOGIN");
	if ((rc = find(c, login, &u)) != EX_DONE)
		return rc;
	if (user_delete(c, u->id, &err) == -1)
		return ctl_fail(&err);
	return ctl_done("deleted", u->login);
}

const struct ctl_cmd ctl_admin_cmds[] = {
	{ "admin", "add", 1, 1, "role= domain=... max-domains= password-stdin",
	    "LOGIN --role ROLE [--domain NAME]... [--max-domains N] "
	    "[--password-stdin]", admin_add },
	{ "admin", "passwd", 1, 1, "password-stdin", "LOGIN [--password-stdin]",
	    admin_passwd },
	{ "admin", "list", 0, 0, "", "", admin_list },
	{ "admin", "delete", 1, 1, "", "LOGIN", admin_delete },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL }
};
