/*
 * NAME
 *	err - error values and role names shared by lib/
 */
#include <string.h>

#include "log.h"
#include "postbus.h"

static const char *const role_names[ROLE__MAX] = {
	"none",		/* ROLE_NONE */
	"owner",	/* ROLE_OWNER */
	"support",	/* ROLE_SUPPORT */
	"reseller",	/* ROLE_RESELLER */
	"superuser",	/* ROLE_SUPERUSER */
};

static const char *const role_labels[ROLE__MAX] = {
	N_("Not logged in"),	/* ROLE_NONE */
	N_("Domain owner"),	/* ROLE_OWNER */
	N_("Support staff"),	/* ROLE_SUPPORT */
	N_("Reseller"),		/* ROLE_RESELLER */
	N_("Superuser"),	/* ROLE_SUPERUSER */
};

/* err_set - fill err and return -1 */
int
err_set(struct err *err, enum err_kind kind, const char *field,
    const char *msg)
{
	if (err != NULL) {
		err->kind = kind;
		err->field = field;
		err->msg = msg;
	}
	return -1;
}

/* err_db - fill err for a database failure and return -1 */
int
err_db(struct err *err)
{
	return err_set(err, ERR_DB, NULL,
	    _("The database is not available right now. Please try again in a moment."));
}

/* err_internal - an internal inconsistency: a bug to fix, not the user's
 * mistake and not an outage */
int
err_internal(struct err *err, const char *what)
{
	log_panic("%s", what);
	return err_set(err, ERR_INTERNAL, NULL,
	    _("Something went wrong on our side. It has been logged."));
}

/* role_name - the stored name of a role */
const char *
role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "none";
}

/* role_label - the translated label of a role */
const char *
role_label(enum role r)
{
	return _(role_labels[r < ROLE__MAX ? r : ROLE_NONE]);
}

/* role_parse - a role from its stored name */
enum role
role_parse(const char *s)
{
	int i;

	for (i = ROLE_OWNER; i < ROLE__MAX; i++)
		if (s != NULL && strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}
