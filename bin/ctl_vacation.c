/*
 * NAME
 *	ctl_vacation - postbusctl mailbox vacation: a mailbox's automatic reply
 *
 * SYNOPSIS
 *	postbusctl mailbox vacation LOGIN --on --subject TEXT
 *	    (--body-file F | --body-stdin) [--interval MINUTES]
 *	    [--start YYYY-MM-DD] [--end YYYY-MM-DD]
 *	postbusctl mailbox vacation LOGIN --off
 *	postbusctl mailbox vacation LOGIN		(shows it)
 *
 * DESCRIPTION
 *	The same lib/vacation.c call as the Edit Mailbox page, so the same
 *	rules, rights and audit.  The message comes from a file or stdin, as
 *	UTF-8 text.  ctl_vacation_json
 *	and ctl_vacation_text add the settings to "mailbox show".
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "ctl.h"
#include "mailbox.h"
#include "pool.h"
#include "vacation.h"
#include "valid.h"

#define BODY_READ_MAX	(256 * 1024)	/* lib/ refuses far less; read no more */

/* read_all - the whole of f (at most BODY_READ_MAX bytes), NUL-terminated;
 * NULL if it holds a NUL byte or is too long */
static char *
read_all(struct pool *p, FILE *f, const char *what)
{
	struct buf b;
	char chunk[4096];
	size_t n;

	buf_init(&b, p, 4096);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (memchr(chunk, '\0', n) != NULL) {
			fprintf(stderr, "postbusctl: %s: the message holds a NUL byte\n",
			    what);
			return NULL;
		}
		buf_add(&b, chunk, n);
		if (b.len > BODY_READ_MAX) {
			fprintf(stderr, "postbusctl: %s: the message is too long\n",
			    what);
			return NULL;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "postbusctl: %s: read error\n", what);
		return NULL;
	}
	return b.data ? b.data : pool_strdup(p, "");
}

/* get - the reply of a mailbox; -1 after saying why on stderr */
static int
get(struct ctx *c, int64_t mailbox_id, struct vacation *v)
{
	struct err err = { 0 };

	if (vacation_get(c, ctl_cfg, mailbox_id, v, &err) == -1) {
		fprintf(stderr, "postbusctl: automatic reply: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* ctl_vacation_json - ', "vacation": {...}' for "mailbox show --json" */
void
ctl_vacation_json(struct ctx *c, int64_t mailbox_id)
{
	struct vacation v;

	if (get(c, mailbox_id, &v) == -1)
		return;
	printf(", ");
	json_str(stdout, "vacation");
	printf(": {");
	json_kv_int(stdout, "active", v.active, 1);
	json_kv_int(stdout, "current", v.current, 1);
	json_kv_str(stdout, "subject", v.subject, 1);
	json_kv_str(stdout, "body", v.body, 1);
	json_kv_int(stdout, "interval", v.interval, 1);
	json_kv_str(stdout, "start", *v.start ? v.start : NULL, 1);
	json_kv_str(stdout, "end", *v.end ? v.end : NULL, 1);
	json_kv_str(stdout, "updated_by", *v.updated_by ? v.updated_by : NULL, 1);
	json_kv_str(stdout, "updated_at", *v.updated_at ? v.updated_at : NULL, 0);
	printf("}");
}

/* ctl_vacation_text - the reply in "mailbox show" */
void
ctl_vacation_text(struct ctx *c, int64_t mailbox_id)
{
	struct vacation v;

	if (get(c, mailbox_id, &v) == -1)
		return;
	if (!v.active) {
		printf("automatic reply: off\n");
		return;
	}
	printf("automatic reply: %s, at most one per sender every %u minutes, "
	    "from %s to %s\n", v.current ? "on" : "on (ended)", v.interval,
	    *v.start ? v.start : "any time", *v.end ? v.end : "any time");
	printf("reply subject: %s\n", v.subject);
}

/* show - a mailbox's reply, as JSON or for people */
static int
show(struct ctx *c, const struct mailbox *m)
{
	if (ctl_json) {
		printf("{");
		json_kv_str(stdout, "login", m->login, 0);
		ctl_vacation_json(c, m->id);
		printf("}\n");
	} else
		ctl_vacation_text(c, m->id);
	return EX_DONE;
}

/* cmd_vacation - postbusctl mailbox vacation LOGIN --on ...|--off */
static int
cmd_vacation(struct ctx *c, int argc, char **argv)
{
	const char *login = ctl_arg(argc, argv, 0);
	const char *file = ctl_opt(argc, argv, "body-file");
	const char *iv = ctl_opt(argc, argv, "interval");
	int on = ctl_flag(argc, argv, "on"), off = ctl_flag(argc, argv, "off");
	int in_stdin = ctl_flag(argc, argv, "body-stdin"), rc;
	struct vacation_input in;
	struct mailbox *m;
	struct err err = { 0 };
	uint64_t u;
	const char *why;
	FILE *f;

	if (login == NULL || (on && off))
		return ctl_usage("mailbox vacation LOGIN --on --subject TEXT "
		    "(--body-file F | --body-stdin) [--interval MINUTES] "
		    "[--start YYYY-MM-DD] [--end YYYY-MM-DD] | --off");
	if ((rc = ctl_found(mailbox_by_login(c, login, &m, &err), &err,
	    "mailbox", login)) != EX_DONE)
		return rc;
	if (!on && !off)
		return show(c, m);
	memset(&in, 0, sizeof(in));
	in.active = on;
	in.interval = -1;
	if (on) {
		if ((file != NULL) == in_stdin)
			return ctl_usage("mailbox vacation LOGIN --on: give the "
			    "message with one of --body-file F or --body-stdin");
		if (ctl_opt(argc, argv, "subject") == NULL)
			return ctl_usage("mailbox vacation LOGIN --on: --subject "
			    "TEXT is needed");
		in.subject = ctl_opt(argc, argv, "subject");
		in.start = ctl_opt(argc, argv, "start");
		in.end = ctl_opt(argc, argv, "end");
		if (iv != NULL) {
			if ((why = valid_uint(iv, 0, 100000000, &u)) != NULL) {
				fprintf(stderr, "postbusctl: --interval: %s\n", why);
				return EX_RULE;
			}
			in.interval = (int64_t)u;
		}
		if (in_stdin)
			in.body = read_all(c->pool, stdin, "stdin");
		else if ((f = fopen(file, "r")) == NULL) {
			fprintf(stderr, "postbusctl: %s: cannot open\n", file);
			return EX_RULE;
		} else {
			in.body = read_all(c->pool, f, file);
			fclose(f);
		}
		if (in.body == NULL)
			return EX_RULE;
	}
	if (vacation_set(c, ctl_cfg, m->id, &in, &err) == -1) {
		if (err.field != NULL && err.kind == ERR_INVALID) {
			fprintf(stderr, "postbusctl: --%s: %s\n",
			    strcmp(err.field, "body") == 0 ? "body-file" :
			    err.field, err.msg);
			if (ctl_json) {
				printf("{");
				json_kv_str(stdout, "error", err.msg, 1);
				json_kv_str(stdout, "field", err.field, 0);
				printf("}\n");
			}
			return EX_RULE;
		}
		return ctl_fail(&err);
	}
	return show(c, m);
}

const struct ctl_cmd ctl_vacation_cmds[] = {
	{ "mailbox", "vacation", 1, 1, "on off subject= body-file= body-stdin "
	    "interval= start= end=", "LOGIN --on --subject TEXT (--body-file F "
	    "| --body-stdin) [--interval MINUTES] [--start YYYY-MM-DD] "
	    "[--end YYYY-MM-DD] | LOGIN --off", cmd_vacation },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL }
};
