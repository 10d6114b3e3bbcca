/*
 * NAME
 *	page_login - log in and log out ("Fin de session")
 */
#include <string.h>

#include "app.h"
#include "config.h"
#include "passwd.h"
#include "session.h"
#include "user.h"

static const struct fielddef login_fields[] = {
	{ "login", F_TEXT, 64, 1 },
	{ "password", F_PASSWORD, 128, 1 },
	{ NULL, 0, 0, 0 }
};

/* login_form - show the login page (again) */
static void
login_form(struct req *r, int status, const char *message)
{
	struct tdata *d = page_data(r);

	form_fill(r, d);
	if (message != NULL)
		td_str(d, "message", message);
	if (query_str(r, "bye") != NULL)
		td_bool(d, "logged_out", 1);
	page_render(r, status, "login", _("Login to postbus"), d);
}

/* login_get - the form, or straight home when already logged in */
static void
login_get(struct req *r)
{
	if (r->sess != NULL) {
		page_redirect(r, "/home");
		return;
	}
	login_form(r, 200, NULL);
}

/* login_post - check the credentials and open a session */
static void
login_post(struct req *r)
{
	struct panel_user *u;
	struct err err = { 0 };
	char token[SESSION_TOKEN_LEN + 1];
	char *pw;

	if (r->sess != NULL) {
		page_redirect(r, "/home");
		return;
	}
	if (form_has_errors(r)) {
		login_form(r, 422, _("Please enter your login and password."));
		return;
	}
	pw = (char *)form_str(r, "password");
	if (auth_login(&r->ctx, app.cfg, form_str(r, "login"), pw, &u,
	    &err) == -1) {
		passwd_wipe(pw);
		if (err.kind == ERR_DB) {
			page_err(r, &err);
			return;
		}
		login_form(r, err.kind == ERR_THROTTLED ? 429 : 422, err.msg);
		return;
	}
	passwd_wipe(pw);
	r->actor.id = u->id;
	r->actor.login = u->login;
	r->actor.role = u->role;
	if (session_create(&r->ctx, u->id, token) == -1) {
		page_error(r, 503, _("The database is not available right now. Please try again in a moment."));
		return;
	}
	(void)session_expire(&r->ctx, app.cfg);
	set_cookie(r, "postbus_session", token, 0);
	set_cookie(r, "postbus_pre", "", -1);
	page_redirect(r, "/home");
}

/* logout_post - end the session on the server, then forget the cookie */
static void
logout_post(struct req *r)
{
	if (session_destroy(&r->ctx, r->sess->token) == -1) {
		page_error(r, 503, _("The database is not available right now. Please try again in a moment."));
		return;
	}
	set_cookie(r, "postbus_session", "", -1);
	page_redirect(r, "/login?bye=1");
}

/* root_get - the panel's front door */
static void
root_get(struct req *r)
{
	page_redirect(r, r->sess ? "/home" : "/login");
}

const struct route page_login_routes[] = {
	{ "GET", "/", ROLES_ALL, R_PUBLIC, NULL, root_get, NULL, 0 },
	{ "GET", "/login", ROLES_ALL, R_PUBLIC, NULL, login_get, NULL, 0 },
	{ "POST", "/login", ROLES_ALL, R_PUBLIC, login_fields, login_post, NULL, 0 },
	{ "POST", "/logout", ROLES_ALL, 0, NULL, logout_post, NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
