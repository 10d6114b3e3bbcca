/*
 * NAME
 *	ctl - shared parts of postbusctl's commands
 *
 * DESCRIPTION
 *	Each command area (ctl_admin.c, ctl_domain.c, ...) exports a table of
 *	struct ctl_cmd ending in { NULL }.  A command gets the ctx (pool, db,
 *	actor) and its arguments after the verb, and returns an exit code:
 *
 *	  0 done, 2 usage, 3 refused by a rule or bad input, 4 not found,
 *	  5 not allowed, 6 database unavailable.
 *
 *	With --json, output is one JSON document on stdout; errors are always
 *	one line on stderr (and, with --json, {"error": ...} on stdout too).
 */
#ifndef POSTBUS_CTL_H
#define POSTBUS_CTL_H

#include <stdint.h>
#include <stdio.h>

#include "postbus.h"

struct config;

#define EX_DONE		0
#define EX_USAGE	2
#define EX_RULE		3
#define EX_NOTFOUND	4
#define EX_FORBIDDEN	5
#define EX_DB		6
#define EX_TEMP		7	/* another service failed for now: try again */
#define EX_INTERNAL	1	/* an internal inconsistency (logged) */

/*
 * A command is a declaration: its words, how many arguments it takes, the
 * options it knows, a usage line and its function.  postbusctl checks the
 * command line against it before anything runs: an unknown option, an
 * option without its value (or with one it does not take), an option
 * given twice that is not repeatable, and too few or too many arguments
 * are usage errors (exit 2, with the usage).  --json is known everywhere.
 *
 * opts names the options separated by spaces: "name" is a flag, "name="
 * takes a value, "name=..." takes one and may be repeated.  E.g.
 *	{ "admin", "add", 1, 1, "role= domain=... max-domains= password-stdin",
 *	    "LOGIN --role ROLE [--domain NAME]... [--max-domains N] "
 *	    "[--password-stdin]", admin_add },
 */
struct ctl_cmd {
	const char	*area;		/* "admin" */
	const char	*verb;		/* "add" */
	int		 min_args;	/* positional arguments */
	int		 max_args;
	const char	*opts;		/* "role= domain=... password-stdin" */
	const char	*usage;		/* "LOGIN --role ROLE [...]" */
	int		(*fn)(struct ctx *c, int argc, char **argv);
};

extern int ctl_json;
extern const struct config *ctl_cfg;

/* ctl_fail - print err and return the exit code for its kind */
int	 ctl_fail(const struct err *err);
/* ctl_usage - print a usage line for the command and return EX_USAGE */
int	 ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ctl_found - the exit code of a lookup that returned rc (1 found, 0 not
 * found, -1 error in err): EX_DONE; "no such WHAT: NAME" and EX_NOTFOUND;
 * or err's (ctl_fail).  The one way a command looks a thing up by name. */
int	 ctl_found(int rc, const struct err *err, const char *what,
	    const char *name);
/* ctl_done - "WHAT NAME" (with --json {"WHAT": "NAME"}) after a change;
 * returns EX_DONE */
int	 ctl_done(const char *what, const char *name);
/* ctl_domain - the domain named (Unicode or punycode) that the actor may
 * see, or an exit code (the error printed) */
struct domain;
int	 ctl_domain(struct ctx *c, const char *name, struct domain **d_r);
/* ctl_opt - value of --name VALUE or --name=VALUE in argv, or NULL */
const char *ctl_opt(int argc, char **argv, const char *name);
/* ctl_opt_all - every value of a repeatable option ("name=..."), in order */
struct pool;
const char **ctl_opt_all(struct pool *p, int argc, char **argv,
	    const char *name, size_t *n_r);
/* ctl_flag - whether --name is present */
int	 ctl_flag(int argc, char **argv, const char *name);
/* ctl_arg - the n-th argument that is not an option (0-based), by the
 * running command's grammar */
const char *ctl_arg(int argc, char **argv, int n);
/* ctl_read_password - one line from stdin (--password-stdin) or a new
 * random one; *generated set when it was made here */
char	*ctl_password(struct ctx *c, int argc, char **argv, int *generated);
/* JSON output helpers */
void	 json_str(FILE *f, const char *s);
void	 json_kv_str(FILE *f, const char *k, const char *v, int comma);
void	 json_kv_int(FILE *f, const char *k, long long v, int comma);

extern const struct ctl_cmd ctl_admin_cmds[];
extern const struct ctl_cmd ctl_domain_cmds[];
extern const struct ctl_cmd ctl_mailbox_cmds[];
extern const struct ctl_cmd ctl_alias_cmds[];
extern const struct ctl_cmd ctl_vacation_cmds[];
/* ctl_vacation.c: the automatic reply in "mailbox show" */
void	 ctl_vacation_json(struct ctx *c, int64_t mailbox_id);
void	 ctl_vacation_text(struct ctx *c, int64_t mailbox_id);

#endif
