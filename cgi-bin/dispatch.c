/*
 * NAME
 *	dispatch - route, authenticate, authorise, validate, then handle
 *
 * DESCRIPTION
 *	The order is fixed and no handler can skip it:
 *	  1. find the path (404) and the method (405);
 *	  2. load the session from the cookie; a page that needs one sends a
 *	     GET to the login page and refuses a POST (403);
 *	  3. check the route's roles (403);
 *	  4. for every POST, check the CSRF token (403) before anything else
 *	     is read;
 *	  5. validate every declared field into r->fields (length, UTF-8,
 *	     numbers); the handler decides how to show errors (form again,
 *	     422).
 */
#include <string.h>

#include "app.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "session.h"
#include "valid.h"

#define SESSION_COOKIE	"postbus_session"
#define PRE_COOKIE	"postbus_pre"

/* find_route - the route for method and path; *path_known if any method */
static const struct route *
find_route(const char *method, const char *path, int *path_known)
{
	const struct route *const *t;
	const struct route *rt;

	*path_known = 0;
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (t = route_tables; *t != NULL; t++)
		for (rt = *t; rt->path != NULL; rt++) {
			if (strcmp(rt->path, path) != 0)
				continue;
			*path_known = 1;
			if (strcmp(rt->method, method) == 0)
				return rt;
		}
	return NULL;
}

/* trim - a copy without leading and trailing white space */
static const char *
trim(struct pool *p, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return pool_strndup(p, s, n);
}

/* validate - check each declared field of the route */
static void
validate(struct req *r)
{
	const struct fielddef *fd;
	const struct kvlist *src = r->is_post ? &r->form : &r->query;
	struct field *f;
	const char *v, *why;
	size_t n = 0, max;

	if (r->route->fields == NULL)
		return;
	for (fd = r->route->fields; fd->name != NULL; fd++)
		n++;
	r->fields = pool_zalloc(r->pool, sizeof(*r->fields) * (n + 1));
	r->nfields = n;
	for (n = 0, fd = r->route->fields; fd->name != NULL; fd++, n++) {
		f = &r->fields[n];
		f->def = fd;
		max = fd->max ? fd->max : 255;
		v = kv_get(src, fd->name);
		if (fd->type == F_LIST || fd->type == F_BOOL) {
			f->ok = v != NULL;
			f->raw = v;
			continue;
		}
		if (v != NULL && fd->type != F_PASSWORD &&
		    fd->type != F_MULTILINE)
			v = trim(r->pool, v);
		f->raw = v;
		if (v == NULL || *v == '\0') {
			if (fd->required) {
				f->err = _("This field is required.");
				r->field_errors++;
			}
			continue;
		}
		why = NULL;
		switch (fd->type) {
		case F_TEXT:
		case F_PASSWORD:
			why = valid_text(v, max);
			break;
		case F_MULTILINE:
			why = valid_multiline(v, max);
			break;
		case F_UINT:
			why = valid_uint(v, 0, fd->max ? fd->max : UINT32_MAX, &f->u);
			break;
		case F_ID:
			why = valid_uint(v, 1, INT32_MAX, &f->u);
			if (why != NULL)
				why = _("This is not a valid choice.");
			break;
		default:
			break;
		}
		if (why != NULL) {
			f->err = why;
			r->field_errors++;
			continue;
		}
		f->ok = 1;
	}
}

/* load_session - the session named by the cookie, if live */
static int
load_session(struct req *r)
{
	const char *tok = kv_get(&r->cookies, SESSION_COOKIE);
	struct session *s;
	int rc;

	if (tok == NULL || !session_token_ok(tok))
		return 0;
	/* a page of one domain reads it with the session (req_domain) */
	if (r->route->flags & (R_DOMAIN | R_DOMAINOPT))
		rc = session_load_domain(&r->ctx, app.cfg, tok,
		    query_id(r, "d"), &s);
	else
		rc = session_load(&r->ctx, app.cfg, tok, &s);
	if (rc != 1)
		return rc;
	r->sess = s;
	r->actor = s->actor;
	r->actor.client = r->client;
	r->ctx.actor = &r->actor;
	session_csrf(app.cfg, s->token, r->csrf);
	log_context(r->reqid, r->client, r->actor.login);
	return 1;
}

/* pre_session - make sure an anonymous visitor has a CSRF cookie */
static void
pre_session(struct req *r)
{
	const char *tok = kv_get(&r->cookies, PRE_COOKIE);
	char fresh[65];

	if (tok == NULL || !session_token_ok(tok)) {
		if (crypto_token(fresh, 32) == -1)
			return;
		tok = pool_strdup(r->pool, fresh);
		set_cookie(r, PRE_COOKIE, tok, 0);
		r->pre_token = tok;
		/* a fresh cookie cannot match a form already sent */
		session_csrf(app.cfg, tok, r->csrf);
		return;
	}
	r->pre_token = tok;
	session_csrf(app.cfg, tok, r->csrf);
}

/* dispatch - run the request through the checks and into its handler */
void
dispatch(struct req *r)
{
	const struct route *rt;
	const char *tok, *sent;
	int known, rc;

	r->actor.client = r->client;
	r->actor.login = "-";
	r->actor.role = ROLE_NONE;
	r->ctx.pool = r->pool;
	r->ctx.db = app.db;
	r->ctx.actor = &r->actor;

	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0 &&
	    strcmp(r->method, "POST") != 0) {
		page_error(r, 405, _("This method is not allowed."));
		buf_puts(&r->headers, "Allow: GET, HEAD, POST\r\n");
		return;
	}
	if ((rt = find_route(r->method, r->path, &known)) == NULL) {
		if (known) {
			page_error(r, 405, _("This method is not allowed here."));
			buf_puts(&r->headers, "Allow: GET, HEAD, POST\r\n");
		} else
			page_error(r, 404, _("There is no such page."));
		return;
	}
	r->route = rt;
	if (r->raw_body != NULL && !(rt->flags & R_RAWBODY)) {
		page_error(r, 400, _("Forms must be sent as application/x-www-form-urlencoded."));
		return;
	}

	if ((rc = load_session(r)) == -1) {
		page_error(r, 503, _("The database is not available right now. Please try again in a moment."));
		return;
	}
	if (r->sess == NULL) {
		if (!(rt->flags & R_PUBLIC)) {
			if (r->is_post)
				page_error(r, 403, _("Your session has ended. Please log in again."));
			else
				page_redirect(r, "/login");
			return;
		}
		pre_session(r);
	}
	if (r->sess != NULL && !(rt->roles & AUTHZ_RB(r->actor.role))) {
		page_error(r, 403, _("You are not allowed to see this page."));
		return;
	}
	if (r->is_post && !(rt->flags & R_RAWBODY)) {
		tok = r->sess ? r->sess->token : r->pre_token;
		sent = kv_get(&r->form, "csrf");
		if (tok == NULL || !session_csrf_ok(app.cfg, tok, sent)) {
			log_warnx("CSRF token missing or wrong on %s", r->path);
			page_error(r, 403, _("This form has expired or did not come from this site. Please go back, reload the page and try again."));
			return;
		}
	}
	validate(r);
	rt->handler(r);
}
