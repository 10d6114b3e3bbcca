/*
 * NAME
 *	postbusctl - the administrator's command line
 *
 * SYNOPSIS
 *	postbusctl [-c postbus.conf] [--as LOGIN] [--json] AREA VERB [ARGS]
 *
 * DESCRIPTION
 *	Runs the same lib/ code as the web panel, with the same rules and the
 *	same audit trail.  Without --as, the actor is the superuser "root"
 *	from the client "cli" (whoever can read the config file can do
 *	everything anyway); with --as LOGIN the command runs with that panel
 *	login's role and domains.  "db migrate" needs a config whose database
 *	account may change the schema.
 *
 * DIAGNOSTICS
 *	Exit codes: see ctl.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "crypto.h"
#include "ctl.h"
#include "db.h"
#include "domain.h"
#include "log.h"
#include "migrate.h"
#include "pool.h"
#include "user.h"

int ctl_json;
const struct config *ctl_cfg;

static int cmd_migrate(struct ctx *, int, char **);
static int cmd_check(struct ctx *, int, char **);
static int cmd_grant(struct ctx *, int, char **);

static const struct ctl_cmd db_cmds[] = {
	{ "db", "migrate", 0, 0, "", "", cmd_migrate },
	{ "db", "check", 0, 0, "", "", cmd_check },
	{ "db", "grant", 0, 0, "panel= mail= postfix= quota= host= "
	    "passwords-stdin", "[--panel USER] [--mail USER] [--postfix USER] "
	    "[--quota USER] [--host HOST] [--passwords-stdin]", cmd_grant },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL }
};

static const struct ctl_cmd *const areas[] = {
	db_cmds, ctl_admin_cmds, ctl_domain_cmds, ctl_mailbox_cmds,
	ctl_vacation_cmds, ctl_alias_cmds, NULL
};

/* ctl_fail - report err, return its exit code */
int
ctl_fail(const struct err *err)
{
	static const int codes[ERR__MAX] = {
		1,		/* ERR_NONE */
		EX_RULE,	/* ERR_INVALID */
		EX_RULE,	/* ERR_LIMIT */
		EX_FORBIDDEN,	/* ERR_FORBIDDEN */
		EX_NOTFOUND,	/* ERR_NOTFOUND */
		EX_FORBIDDEN,	/* ERR_THROTTLED */
		EX_DB,		/* ERR_DB */
		EX_INTERNAL,	/* ERR_INTERNAL */
		EX_TEMP,	/* ERR_TEMP */
	};
	const char *msg = err->msg ? err->msg : "failed";
	size_t i;

	if (err->field != NULL)
		fprintf(stderr, "postbusctl: %s: %s\n", err->field, msg);
	else
		fprintf(stderr, "postbusctl: %s\n", msg);
	/* every other refused field too, as the pages show them */
	for (i = 0; i < err->nfields; i++)
		if (err->fields[i].field != err->field)
			fprintf(stderr, "postbusctl: %s: %s\n",
			    err->fields[i].field, err->fields[i].msg);
	if (ctl_json) {
		printf("{");
		json_kv_str(stdout, "error", msg, 1);
		json_kv_str(stdout, "field", err->field, 1);
		json_str(stdout, "errors");
		printf(": [");
		for (i = 0; i < err->nfields; i++) {
			printf("%s{", i ? ", " : "");
			json_kv_str(stdout, "field", err->fields[i].field, 1);
			json_kv_str(stdout, "error", err->fields[i].msg, 0);
			printf("}");
		}
		printf("]}\n");
	}
	return codes[err->kind < ERR__MAX ? err->kind : ERR_NONE];
}

/* ctl_found - a lookup's answer as an exit code */
int
ctl_found(int rc, const struct err *err, const char *what, const char *name)
{
	switch (rc) {
	case 1:
		return EX_DONE;
	case 0:
		fprintf(stderr, "postbusctl: no such %s: %s\n", what, name);
		return EX_NOTFOUND;
	default:
		return ctl_fail(err);
	}
}

/* ctl_done - what a change did, to a person or as JSON */
int
ctl_done(const char *what, const char *name)
{
	if (ctl_json) {
		printf("{");
		json_kv_str(stdout, what, name, 0);
		printf("}\n");
	} else
		printf("%s %s\n", what, name);
	return EX_DONE;
}

/* ctl_domain - the one lookup of a domain by name for every command */
int
ctl_domain(struct ctx *c, const char *name, struct domain **d_r)
{
	struct err err = { 0 };

	return ctl_found(domain_by_name(c, name, d_r, &err), &err, "domain",
	    name);
}

/* ctl_usage - print usage and return EX_USAGE */
int
ctl_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("usage: postbusctl ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EX_USAGE;
}

/* opt_next - the next value of --name from argv[*i] on (--name VALUE or
 * --name=VALUE), *i past it; NULL when there is none */
static const char *
opt_next(int argc, char **argv, const char *name, int *i)
{
	size_t n = strlen(name);

	for (; *i < argc; (*i)++) {
		if (strncmp(argv[*i], "--", 2) != 0 ||
		    strncmp(argv[*i] + 2, name, n) != 0)
			continue;
		if (argv[*i][2 + n] == '=')
			return argv[(*i)++] + 3 + n;
		if (argv[*i][2 + n] == '\0' && *i + 1 < argc) {
			*i += 2;
			return argv[*i - 1];
		}
	}
	return NULL;
}

/* ctl_opt - an option's value */
const char *
ctl_opt(int argc, char **argv, const char *name)
{
	int i = 0;

	return opt_next(argc, argv, name, &i);
}

/* ctl_opt_all - every value of a repeatable option, in order */
const char **
ctl_opt_all(struct pool *p, int argc, char **argv, const char *name,
    size_t *n_r)
{
	const char **v = pool_zalloc(p, sizeof(*v) * ((size_t)argc + 1));
	const char *x;
	int i = 0;

	*n_r = 0;
	while ((x = opt_next(argc, argv, name, &i)) != NULL)
		v[(*n_r)++] = x;
	return v;
}

/* ctl_flag - whether --name is given */
int
ctl_flag(int argc, char **argv, const char *name)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0)
			return 1;
	return 0;
}

/* the command being run: ctl_arg() reads its arguments by its grammar */
static const struct ctl_cmd *running;

/* opt_decl - how cmd declares --name (n bytes): 0 unknown, else 1 flag,
 * 2 with a value, 3 with a value and repeatable */
static int
opt_decl(const struct ctl_cmd *cmd, const char *name, size_t n)
{
	const char *o = cmd->opts;
	size_t len;

	if (n == 4 && strncmp(name, "json", 4) == 0)
		return 1;
	while (o != NULL && *o != '\0') {
		o += strspn(o, " ");
		len = strcspn(o, " =");
		if (len == n && strncmp(o, name, n) == 0) {
			if (o[len] != '=')
				return 1;
			return strncmp(o + len, "=...", 4) == 0 ? 3 : 2;
		}
		o += strcspn(o, " ");
	}
	return 0;
}

/* cmd_usage - a usage error of cmd: what is wrong, then its usage */
static int
cmd_usage(const struct ctl_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int
cmd_usage(const struct ctl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("postbusctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: postbusctl %s %s%s%s\n", cmd->area, cmd->verb,
	    *cmd->usage ? " " : "", cmd->usage);
	return EX_USAGE;
}

/* grammar - check argv against what cmd declares; an exit code */
static int
grammar(const struct ctl_cmd *cmd, int argc, char **argv)
{
	int k, j, at, nargs = 0, kind;
	const char *name;
	size_t n;

	if (cmd->opts == NULL || cmd->usage == NULL) {
		fprintf(stderr, "postbusctl: %s %s declares no grammar\n",
		    cmd->area, cmd->verb);
		return EX_INTERNAL;
	}
	for (k = 0; k < argc; k++) {
		if (strncmp(argv[k], "--", 2) != 0 || argv[k][2] == '\0') {
			if (++nargs > cmd->max_args)
				return cmd_usage(cmd, "unexpected argument: %s",
				    argv[k]);
			continue;
		}
		at = k;
		name = argv[k] + 2;
		n = strcspn(name, "=");
		if ((kind = opt_decl(cmd, name, n)) == 0)
			return cmd_usage(cmd, "unknown option --%.*s", (int)n,
			    name);
		if (kind == 1 && name[n] == '=')
			return cmd_usage(cmd, "--%.*s takes no value", (int)n,
			    name);
		if (kind >= 2 && name[n] != '=') {
			if (k + 1 >= argc || strncmp(argv[k + 1], "--", 2) == 0)
				return cmd_usage(cmd, "--%.*s needs a value",
				    (int)n, name);
			k++;
		}
		for (j = 0; kind != 3 && j < at; j++)
			if (strncmp(argv[j], "--", 2) == 0 &&
			    strncmp(argv[j] + 2, name, n) == 0 &&
			    (argv[j][2 + n] == '\0' || argv[j][2 + n] == '='))
				return cmd_usage(cmd, "--%.*s given twice", (int)n,
				    name);
	}
	if (nargs < cmd->min_args)
		return cmd_usage(cmd, "missing argument");
	running = cmd;
	return EX_DONE;
}

/* ctl_arg - the n-th positional argument */
const char *
ctl_arg(int argc, char **argv, int n)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0 && argv[i][2] != '\0') {
			const char *name = argv[i] + 2;
			size_t len = strcspn(name, "=");

			if (name[len] != '=' && running != NULL &&
			    opt_decl(running, name, len) >= 2)
				i++;
			continue;
		}
		if (n-- == 0)
			return argv[i];
	}
	return NULL;
}

/* ctl_password - the password from stdin, or a generated one */
char *
ctl_password(struct ctx *c, int argc, char **argv, int *generated)
{
	char line[256], *pw;
	size_t n;

	*generated = 0;
	if (ctl_flag(argc, argv, "password-stdin")) {
		if (fgets(line, sizeof(line), stdin) == NULL)
			return NULL;
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		pw = pool_strdup(c->pool, line);
		explicit_bzero(line, sizeof(line));
		return pw;
	}
	pw = pool_alloc(c->pool, 17);
	if (crypto_password(pw, 16) == -1)
		return NULL;
	*generated = 1;
	return pw;
}

/* json_str - a JSON string literal */
void
json_str(FILE *f, const char *s)
{
	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* json_kv_str - "k": "v" */
void
json_kv_str(FILE *f, const char *k, const char *v, int comma)
{
	json_str(f, k);
	fputs(": ", f);
	json_str(f, v);
	if (comma)
		fputs(", ", f);
}

/* json_kv_int - "k": n */
void
json_kv_int(FILE *f, const char *k, long long v, int comma)
{
	json_str(f, k);
	fprintf(f, ": %lld", v);
	if (comma)
		fputs(", ", f);
}

/* report_migration - one line per applied file */
static void
report_migration(const char *file)
{
	if (!ctl_json)
		printf("applied %s\n", file);
}

/* cmd_migrate - postbusctl db migrate */
static int
cmd_migrate(struct ctx *c, int argc, char **argv)
{
	char err[512];
	const char *dir = ctl_cfg->schema_dir ? ctl_cfg->schema_dir :
	    PKGDATADIR "/schema";
	int n;

	(void)argc;
	(void)argv;
	n = migrate_run(c->db, c->pool, dir, report_migration, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "postbusctl: migrate: %s\n", err);
		return EX_DB;
	}
	if (ctl_json)
		printf("{\"applied\": %d}\n", n);
	else if (n == 0)
		printf("schema is up to date\n");
	return EX_DONE;
}

/* cmd_check - postbusctl db check: every statement prepares against the
 * schema with the parameters and columns its .def file declares */
static int
cmd_check(struct ctx *c, int argc, char **argv)
{
	int bad, denied;

	(void)argc;
	(void)argv;
	if ((bad = db_check(c->db, &denied)) > 0) {
		fprintf(stderr, "postbusctl: %d statement(s) do not match the "
		    "schema (see above)\n", bad);
		return EX_INTERNAL;
	}
	if (ctl_json)
		printf("{\"statements\": %d, \"not_granted\": %d}\n",
		    (int)SQL__MAX - denied, denied);
	else
		printf("%d statements match the schema (%d not granted to this "
		    "account)\n", (int)SQL__MAX - denied, denied);
	return EX_DONE;
}

/* cmd_grant - postbusctl db grant: the panel's, Postfix's, Dovecot's and
 * the quota writer's database accounts with exactly their rights
 * (lib/sql_grant.def); --passwords-stdin creates them (or sets their
 * password) from lines "panel|mail|postfix|quota PASSWORD" */
static int
cmd_grant(struct ctx *c, int argc, char **argv)
{
	static const char *const names[GRANT__MAX] = {
		"panel",	/* GRANT_PANEL */
		"mail",		/* GRANT_MAIL */
		"postfix",	/* GRANT_POSTFIX */
		"quota",	/* GRANT_QUOTA */
	};
	struct db_grantee g[GRANT__MAX];
	const char *host = ctl_opt(argc, argv, "host");
	char line[512], err[1024];
	int a, rc;

	for (a = 0; a < GRANT__MAX; a++) {
		g[a].user = ctl_opt(argc, argv, names[a]);
		if (g[a].user == NULL)
			g[a].user = pool_printf(c->pool, "postbus_%s", names[a]);
		g[a].host = host ? host : "localhost";
		g[a].password = NULL;
	}
	while (ctl_flag(argc, argv, "passwords-stdin") &&
	    fgets(line, sizeof(line), stdin) != NULL) {
		size_t n = strcspn(line, " ");

		line[strcspn(line, "\r\n")] = '\0';
		for (a = 0; a < GRANT__MAX; a++)
			if (strlen(names[a]) == n &&
			    strncmp(line, names[a], n) == 0 && line[n] == ' ')
				g[a].password = pool_strdup(c->pool, line + n + 1);
		explicit_bzero(line, sizeof(line));
	}
	rc = db_grant(c->db, g, err, sizeof(err));
	for (a = 0; a < GRANT__MAX; a++)
		if (g[a].password != NULL)
			explicit_bzero((char *)g[a].password, strlen(g[a].password));
	if (rc == -1) {
		fprintf(stderr, "postbusctl: grant: %s\n", err);
		return EX_DB;
	}
	if (ctl_json)
		printf("{\"granted\": %d}\n", GRANT__MAX);
	else
		for (a = 0; a < GRANT__MAX; a++)
			printf("granted %s to %s@%s\n", names[a], g[a].user,
			    g[a].host);
	return EX_DONE;
}

/* usage - every command */
static int
usage(void)
{
	const struct ctl_cmd *const *a, *cmd;

	fprintf(stderr, "usage: postbusctl [-c postbus.conf] [--as LOGIN] "
	    "[--json] AREA VERB [ARGS]\n");
	for (a = areas; *a != NULL; a++)
		for (cmd = *a; cmd->area != NULL; cmd++)
			fprintf(stderr, "  postbusctl %s %s %s\n", cmd->area,
			    cmd->verb, cmd->usage);
	return EX_USAGE;
}

/*
 * checkout_conf - when this program runs from a checkout's build tree, the
 * state of that checkout (var/postbus.conf, as ./postbus up writes it);
 * else NULL.  The build tree has a file beside the program,
 * postbusctl.checkout, naming the checkout; make install never copies
 * it, so an installed postbusctl has none and carries no build path.
 */
static const char *
checkout_conf(void)
{
	static char self[4096], path[4096 + 32];
	char top[4096];
	ssize_t len;
	size_t n;
	FILE *f;

	len = readlink("/proc/self/exe", self, sizeof(self) - 16);
	if (len <= 0)
		return NULL;
	memcpy(self + len, ".checkout", sizeof(".checkout"));
	if ((f = fopen(self, "r")) == NULL)
		return NULL;
	if (fgets(top, sizeof(top), f) == NULL) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	n = strcspn(top, "\n");
	top[n] = '\0';
	if (top[0] != '/')
		return NULL;
	snprintf(path, sizeof(path), "%s/var/postbus.conf", top);
	return path;
}

/*
 * find_conf - the configuration to use: -c, else $POSTBUS_CONF, else the
 * state of the checkout this program was built in (when it runs from that
 * build tree, as after ./postbus up), else /etc/postbus/postbus.conf.
 * NULL, after saying what was tried, when none of them exists.
 */
static const char *
find_conf(const char *opt)
{
	const char *tried[3], *env = getenv("POSTBUS_CONF"), *co;
	size_t n = 0, i;

	if (opt != NULL)
		tried[n++] = opt;
	else if (env != NULL && *env != '\0')
		tried[n++] = env;
	else {
		if ((co = checkout_conf()) != NULL)
			tried[n++] = co;
		tried[n++] = SYSCONFDIR "/postbus/postbus.conf";
	}
	for (i = 0; i < n; i++)
		if (access(tried[i], F_OK) == 0)
			return tried[i];
	fprintf(stderr, "postbusctl: no configuration file: tried");
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", tried[i]);
	fprintf(stderr, " (give one with -c FILE or POSTBUS_CONF=FILE)\n");
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct config cfg;
	struct pool *p;
	struct ctx c = { 0 };
	struct actor root = { 0, "root", ROLE_SUPERUSER, "cli" };
	const struct ctl_cmd *const *a, *cmd = NULL;
	const char *conf = NULL, *as = NULL;
	char err[512];
	int i, rc;

	log_init("postbusctl", 0);
	/* global options before AREA */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strcmp(argv[i], "--as") == 0 && i + 1 < argc)
			as = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			ctl_json = 1;
		else
			return usage();
	}
	if (argc - i < 2)
		return usage();
	if (ctl_flag(argc - i, argv + i, "json"))
		ctl_json = 1;
	for (a = areas; *a != NULL && cmd == NULL; a++)
		for (const struct ctl_cmd *x = *a; x->area != NULL; x++)
			if (strcmp(x->area, argv[i]) == 0 &&
			    strcmp(x->verb, argv[i + 1]) == 0) {
				cmd = x;
				break;
			}
	if (cmd == NULL)
		return usage();
	if ((rc = grammar(cmd, argc - i - 2, argv + i + 2)) != EX_DONE)
		return rc;
	if ((conf = find_conf(conf)) == NULL)
		return EX_USAGE;
	p = pool_new(64 * 1024);
	config_defaults(&cfg);
	if (config_load(conf, p, &cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "postbusctl: %s\n", err);
		return EX_USAGE;
	}
	ctl_cfg = &cfg;
	c.pool = p;
	c.db = db_new(&cfg);
	c.actor = &root;
	if (db_connect(c.db) == -1) {
		fprintf(stderr, "postbusctl: cannot connect to the database\n");
		return EX_DB;
	}
	if (as != NULL) {
		struct panel_user *u;
		struct err e = { 0 };

		switch (user_by_login(&c, as, &u, &e)) {
		case -1:
			return ctl_fail(&e);
		case 0:
			fprintf(stderr, "postbusctl: --as %s: no such login\n", as);
			return EX_NOTFOUND;
		}
		if (!u->active) {
			fprintf(stderr, "postbusctl: --as %s: login is disabled\n", as);
			return EX_FORBIDDEN;
		}
		root.id = u->id;
		root.login = u->login;
		root.role = u->role;
	}
	rc = cmd->fn(&c, argc - i - 2, argv + i + 2);
	if (db_in_transaction(c.db))
		db_rollback(c.db);
	db_free(&c.db);
	pool_free(&p);
	return rc;
}
