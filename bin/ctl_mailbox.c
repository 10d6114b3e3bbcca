/*
 * NAME
 *	ctl_mailbox - postbusctl mailbox add|list|show|edit|passwd|delete|
 *	restore|purge
 *
 * DESCRIPTION
 *	The same lib/mailbox.c calls as the web pages, so the same rules,
 *	limits and audit.  A mailbox is named by its login (monsite0001).
 *	Passwords come from stdin (--password-stdin) or are generated and
 *	printed once.  "purge" is the privileged step of a deletion: it
 *	removes the Maildirs, so it runs as root or as the owner of mail_dir,
 *	never from the web process.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "ctl.h"
#include "domain.h"
#include "limit.h"
#include "list.h"
#include "mailbox.h"
#include "passwd.h"
#include "purge.h"
#include "pool.h"
#include "valid.h"

/* find - a mailbox by login, or an exit code */
static int
find(struct ctx *c, const char *login, struct mailbox **m)
{
	struct err err = { 0 };

	return ctl_found(mailbox_by_login(c, login, m, &err), &err, "mailbox",
	    login);
}

/* parse_quota - "3GB", "500 MB", "unlimited" or "default" (limit.h); a
 * refusal goes into err with lib/'s, for one report of them all */
static int
parse_quota(const char *s, int64_t *q, struct err *err)
{
	const char *why;

	if ((why = limit_parse_quota(s, q)) != NULL)
		return err_field(err, "--quota", why);
	return 0;
}

/* refused - every refusal of err; a command line whose own option could
 * not be read is a usage error, as it always was */
static int
refused(const struct err *err, int usage)
{
	int rc = ctl_fail(err);

	return usage && err_is_input(err) ? EX_USAGE : rc;
}

/* extras_text - --extra a,b,c as lib/ wants it */
static const char *
extras_text(int argc, char **argv)
{
	const char *e = ctl_opt(argc, argv, "extra");

	return e ? e : "";
}

/* print - one mailbox as JSON */
static void
print(struct ctx *c, const struct mailbox *m, int first, int full)
{
	size_t i;

	printf("%s{", first ? "" : ", ");
	json_kv_int(stdout, "id", m->id, 1);
	json_kv_str(stdout, "login", m->login, 1);
	json_kv_str(stdout, "address", m->address, 1);
	json_kv_str(stdout, "real_name", m->real_name, 1);
	json_kv_int(stdout, "quota", m->quota, 1);
	json_kv_int(stdout, "enabled", m->enabled, 1);
	json_kv_int(stdout, "used_bytes", m->used_bytes, 1);
	json_kv_int(stdout, "used_messages", m->used_messages, 1);
	json_kv_str(stdout, "last_login", *m->last_login ?
	    m->last_login : NULL, full);
	if (full) {
		json_kv_str(stdout, "domain", m->domain_name, 1);
		json_kv_str(stdout, "created_by", m->created_by, 1);
		json_kv_str(stdout, "created_at", m->created_at, 1);
		json_kv_str(stdout, "deleted_at", *m->deleted_at ?
		    m->deleted_at : NULL, 1);
		json_str(stdout, "extras");
		printf(": [");
		for (i = 0; i < m->nextras; i++) {
			if (i > 0)
				printf(", ");
			json_str(stdout, m->extras[i]);
		}
		printf("]");
		ctl_vacation_json(c, m->id);
	}
	printf("}");
}

/* print_text - one mailbox for people */
static void
print_text(struct ctx *c, const struct mailbox *m, int full)
{
	size_t i;

	if (!full) {
		printf("%-16s %-36s %-9s %s%s\n", m->login, m->address,
		    m->quota ? valid_size_format(c->pool, (uint64_t)m->quota) :
		    "unlimited", m->real_name, m->enabled ? "" : " (disabled)");
		return;
	}
	printf("login:      %s\n", m->login);
	printf("address:    %s\n", m->address);
	printf("domain:     %s\n", m->domain_name);
	printf("real name:  %s\n", m->real_name);
	printf("quota:      %s\n", m->quota ? valid_size_format(c->pool,
	    (uint64_t)m->quota) : "unlimited");
	printf("used:       %s, %lld messages\n", valid_size_format(c->pool,
	    (uint64_t)m->used_bytes), (long long)m->used_messages);
	printf("login access: %s\n", m->enabled ? "enabled" : "disabled");
	for (i = 0; i < m->nextras; i++)
		printf("extra:      %s\n", m->extras[i]);
	printf("created:    %s by %s\n", m->created_at, m->created_by);
	printf("last login: %s\n", *m->last_login ? m->last_login : "never");
	if (*m->deleted_at)
		printf("deleted:    %s\n", m->deleted_at);
	else
		ctl_vacation_text(c, m->id);
}

/* show_one - print a mailbox in the chosen format */
static void
show_one(struct ctx *c, const struct mailbox *m)
{
	if (ctl_json) {
		print(c, m, 1, 1);
		printf("\n");
	} else
		print_text(c, m, 1);
}

/* mailbox_add - postbusctl mailbox add DOMAIN --local INFO ... */
static int
cmd_add(struct ctx *c, int argc, char **argv)
{
	const char *dname = ctl_arg(argc, argv, 0);
	const char *local = ctl_opt(argc, argv, "local");
	const char *qs = ctl_opt(argc, argv, "quota");
	struct mailbox_input in;
	struct mailbox *m;
	struct domain *d;
	struct err err = { 0 };
	int gen, rc, usage = 0;
	char *pw;

	if (dname == NULL || local == NULL)
		return ctl_usage("mailbox add DOMAIN --local NAME [--name REAL NAME] "
		    "[--quota 3GB|unlimited] [--extra a,b] [--password-stdin] [--disabled]");
	if ((rc = ctl_domain(c, dname, &d)) != EX_DONE)
		return rc;
	memset(&in, 0, sizeof(in));
	in.set = MB_SET_ALL;
	in.local = local;
	in.real_name = ctl_opt(argc, argv, "name");
	in.extras = extras_text(argc, argv);
	in.enabled = !ctl_flag(argc, argv, "disabled");
	in.quota = -1;
	if (qs != NULL && parse_quota(qs, &in.quota, &err) == -1) {
		in.quota = -1;
		usage = 1;
	}
	if ((pw = ctl_password(c, argc, argv, &gen)) == NULL) {
		fprintf(stderr, "postbusctl: no password\n");
		return EX_USAGE;
	}
	in.password = pw;
	in.password2 = pw;
	/* lib/ adds its refusals to the option's and writes nothing */
	if (mailbox_create(c, d, &in, &m, &err) == -1) {
		passwd_wipe(pw);
		return refused(&err, usage);
	}
	if (ctl_json) {
		printf("{");
		json_kv_int(stdout, "id", m->id, 1);
		json_kv_str(stdout, "login", m->login, 1);
		json_kv_str(stdout, "address", m->address, 1);
		json_kv_int(stdout, "quota", m->quota, gen);
		if (gen)
			json_kv_str(stdout, "password", pw, 0);
		printf("}\n");
	} else if (gen)
		printf("created %s <%s> with password %s\n", m->login,
		    m->address, pw);
	else
		printf("created %s <%s>\n", m->login, m->address);
	passwd_wipe(pw);
	return EX_DONE;
}

/* cmd_list - postbusctl mailbox list DOMAIN [--search S] */
static int
cmd_list(struct ctx *c, int argc, char **argv)
{
	const char *dname = ctl_arg(argc, argv, 0);
	struct list_query q;
	struct mailbox *v;
	struct domain *d;
	struct err err = { 0 };
	size_t n, i;
	int64_t total;
	int rc;

	if (dname == NULL)
		return ctl_usage("mailbox list DOMAIN [--search TEXT]");
	if ((rc = ctl_domain(c, dname, &d)) != EX_DONE)
		return rc;
	memset(&q, 0, sizeof(q));
	q.search = ctl_opt(argc, argv, "search");
	q.limit = 1000000;
	if (list_mailboxes(c, d->id, &q, &v, &n, &total, &err) == -1)
		return ctl_fail(&err);
	if (ctl_json)
		printf("[");
	for (i = 0; i < n; i++) {
		if (ctl_json)
			print(c, &v[i], i == 0, 0);
		else
			print_text(c, &v[i], 0);
	}
	if (ctl_json)
		printf("]\n");
	return EX_DONE;
}

/* cmd_show - postbusctl mailbox show LOGIN */
static int
cmd_show(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0);
	struct mailbox *m;
	int rc;

	if (login == NULL)
		return ctl_usage("mailbox show LOGIN");
	if ((rc = find(c, login, &m)) != EX_DONE)
		return rc;
	show_one(c, m);
	return EX_DONE;
}

/* cmd_edit - postbusctl mailbox edit LOGIN [--local L] [--name N] ... */
static int
cmd_edit(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0), *v;
	struct mailbox_input in;
	struct mailbox *m;
	struct err err = { 0 };
	int rc, usage = 0;

	if (login == NULL)
		return ctl_usage("mailbox edit LOGIN [--local NAME] [--name REAL NAME] "
		    "[--quota 3GB|unlimited] [--extra a,b] [--disabled|--enabled]");
	if ((rc = find(c, login, &m)) != EX_DONE)
		return rc;
	memset(&in, 0, sizeof(in));
	if ((v = ctl_opt(argc, argv, "local")) != NULL) {
		in.set |= MB_SET_ADDRESS;
		in.local = v;
	}
	if ((v = ctl_opt(argc, argv, "name")) != NULL) {
		in.set |= MB_SET_NAME;
		in.real_name = v;
	}
	if ((v = ctl_opt(argc, argv, "quota")) != NULL) {
		if (parse_quota(v, &in.quota, &err) == 0)
			in.set |= MB_SET_QUOTA;
		else
			usage = 1;
	}
	if ((v = ctl_opt(argc, argv, "extra")) != NULL) {
		in.set |= MB_SET_EXTRAS;
		in.extras = v;
	}
	if (ctl_flag(argc, argv, "disabled") || ctl_flag(argc, argv, "enabled")) {
		in.set |= MB_SET_ENABLED;
		in.enabled = ctl_flag(argc, argv, "enabled");
	}
	if (in.set == 0 && !usage)
		return ctl_usage("mailbox edit LOGIN: nothing to change");
	if (in.set == 0 || mailbox_update(c, m->id, &in, &err) == -1)
		return refused(&err, usage);
	if (find(c, login, &m) != EX_DONE)
		return EX_DB;
	show_one(c, m);
	return EX_DONE;
}

/* cmd_passwd - postbusctl mailbox passwd LOGIN [--password-stdin] */
static int
cmd_passwd(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0);
	struct mailbox *m;
	struct err err = { 0 };
	int gen, rc;
	char *pw;

	if (login == NULL)
		return ctl_usage("mailbox passwd LOGIN [--password-stdin]");
	if ((rc = find(c, login, &m)) != EX_DONE)
		return rc;
	if ((pw = ctl_password(c, argc, argv, &gen)) == NULL)
		return EX_USAGE;
	if (mailbox_set_password(c, m->id, pw, pw, &err) == -1) {
		passwd_wipe(pw);
		return ctl_fail(&err);
	}
	if (ctl_json) {
		printf("{");
		json_kv_str(stdout, "login", m->login, gen);
		if (gen)
			json_kv_str(stdout, "password", pw, 0);
		printf("}\n");
	} else if (gen)
		printf("new password for %s: %s\n", m->login, pw);
	else
		printf("password changed for %s\n", m->login);
	passwd_wipe(pw);
	return EX_DONE;
}

/* cmd_delete - postbusctl mailbox delete LOGIN */
static int
cmd_delete(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0);
	struct mailbox *m;
	struct err err = { 0 };
	int rc;

	if (login == NULL)
		return ctl_usage("mailbox delete LOGIN");
	if ((rc = find(c, login, &m)) != EX_DONE)
		return rc;
	if (*m->deleted_at != '\0') {
		fprintf(stderr, "postbusctl: %s is already deleted\n", m->login);
		return EX_RULE;
	}
	if (mailbox_delete(c, m->domain_id, &m->id, 1, &err) == -1)
		return ctl_fail(&err);
	return ctl_done("deleted", m->login);
}

/* cmd_restore - postbusctl mailbox restore LOGIN */
static int
cmd_restore(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0);
	struct mailbox *m;
	struct err err = { 0 };
	int rc;

	if (login == NULL)
		return ctl_usage("mailbox restore LOGIN");
	if ((rc = find(c, login, &m)) != EX_DONE)
		return rc;
	if (mailbox_restore(c, m->id, &err) == -1)
		return ctl_fail(&err);
	return ctl_done("restored", m->login);
}

/* purged - report one purged mailbox */
static void
purged(const char *login, const char *home, void *arg)
{
	int *first = arg;

	if (ctl_json) {
		printf("%s{", *first ? "" : ", ");
		json_kv_str(stdout, "login", login, 1);
		json_kv_str(stdout, "home", home, 0);
		printf("}");
	} else
		printf("purged %s (%s)\n", login, home);
	*first = 0;
}

/* cmd_purge - postbusctl mailbox purge [--days N] */
static int
cmd_purge(struct ctx *c, int argc, char **argv)
{
	const char *ds = ctl_opt(argc, argv, "days");
	struct err err = { 0 };
	uint64_t days = ctl_cfg->purge_days;
	size_t n;
	int first = 1;

	if (ds != NULL && valid_uint(ds, 0, 36500, &days) != NULL)
		return ctl_usage("mailbox purge [--days N]");
	if (ctl_json)
		printf("[");
	if (purge_mailboxes(c, ctl_cfg, (unsigned int)days, purged, &first, &n,
	    &err) == -1) {
		if (ctl_json)
			printf("]\n");
		return ctl_fail(&err);
	}
	if (ctl_json)
		printf("]\n");
	else if (n == 0)
		printf("nothing to purge\n");
	return EX_DONE;
}

const struct ctl_cmd ctl_mailbox_cmds[] = {
	{ "mailbox", "add", 1, 1, "local= name= quota= extra= password-stdin "
	    "disabled", "DOMAIN --local NAME [--name REAL NAME] "
	    "[--quota 3GB|unlimited|default] [--extra a,b] [--password-stdin] "
	    "[--disabled]", cmd_add },
	{ "mailbox", "list", 1, 1, "search=", "DOMAIN [--search TEXT]",
	    cmd_list },
	{ "mailbox", "show", 1, 1, "", "LOGIN", cmd_show },
	{ "mailbox", "edit", 1, 1, "local= name= quota= extra= disabled enabled",
	    "LOGIN [--local NAME] [--name REAL NAME] "
	    "[--quota SIZE|unlimited|default] [--extra a,b] "
	    "[--disabled|--enabled]", cmd_edit },
	{ "mailbox", "passwd", 1, 1, "password-stdin", "LOGIN [--password-stdin]",
	    cmd_passwd },
	{ "mailbox", "delete", 1, 1, "", "LOGIN", cmd_delete },
	{ "mailbox", "restore", 1, 1, "", "LOGIN", cmd_restore },
	{ "mailbox", "purge", 0, 0, "days=", "[--days N]", cmd_purge },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL }
};
