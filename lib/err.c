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

/* add - one more field error; a failure of the service (database,
 * internal, temporary) keeps its kind: it is what the request ran into */
static int
add(struct err *err, enum err_kind kind, const char *field, const char *msg)
{
	size_t i;

	if (err == NULL)
		return -1;
	if (err->kind != ERR_DB && err->kind != ERR_INTERNAL &&
	    err->kind != ERR_TEMP && err->kind != ERR_LIMIT)
		err->kind = kind;
	for (i = 0; i < err->nfields; i++)
		if (strcmp(err->fields[i].field, field) == 0)
			return -1;	/* the first word on a field stays */
	if (err->nfields >= ERR_FIELDS_MAX)
		return -1;
	err->fields[err->nfields].field = field;
	err->fields[err->nfields].msg = msg;
	if (err->nfields++ == 0) {
		err->field = field;
		err->msg = msg;
	}
	return -1;
}

/* err_set - fill err and return -1 */
int
err_set(struct err *err, enum err_kind kind, const char *field,
    const char *msg)
{
	if (field != NULL && (kind == ERR_INVALID || kind == ERR_LIMIT))
		return add(err, kind, field, msg);
	if (err != NULL) {
		err->kind = kind;
		err->field = field;
		err->msg = msg;
	}
	return -1;
}

/* err_field - refuse one field of a form, after the others found */
int
err_field(struct err *err, const char *field, const char *msg)
{
	return add(err, ERR_INVALID, field, msg);
}

/* err_fields - the number of field errors */
size_t
err_fields(const struct err *err)
{
	return err != NULL ? err->nfields : 0;
}

/* err_field_msg - what err says about field */
const char *
err_field_msg(const struct err *err, const char *field)
{
	size_t i;

	for (i = 0; err != NULL && i < err->nfields; i++)
		if (strcmp(err->fields[i].field, field) == 0)
			return err->fields[i].msg;
	return NULL;
}

/* err_is_input - a refusal of what was typed, not a failure */
int
err_is_input(const struct err *err)
{
	return err->kind == ERR_INVALID || err->kind == ERR_LIMIT;
}

/* err_merge - what another check found, into dst */
void
err_merge(struct err *dst, const struct err *src)
{
	size_t i;

	if (src->nfields == 0) {
		err_set(dst, src->kind, src->field, src->msg);
		return;
	}
	for (i = 0; i < src->nfields; i++)
		add(dst, src->kind, src->fields[i].field, src->fields[i].msg);
}

/* err_rename - a helper's field name as the caller's form calls it */
void
err_rename(struct err *err, const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < err->nfields; i++)
		if (strcmp(err->fields[i].field, from) == 0)
			err->fields[i].field = to;
	if (err->field != NULL && strcmp(err->field, from) == 0)
		err->field = to;
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
