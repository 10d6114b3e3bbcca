/*
 * NAME
 *	app - the web edge: requests, routes, pages
 *
 * DESCRIPTION
 *	One struct req per request, all of it in the request pool.  The
 *	dispatcher (dispatch.c) finds the route, loads the session, checks the
 *	role and, for POST, the CSRF token, then validates the route's declared
 *	fields, and only then calls the handler.  Handlers hold no business
 *	rule and no SQL: they call lib/ and render templates.
 *
 *	Each page_<area>.c exports a route table ending in { NULL }; routes.c
 *	lists the tables.  A route with a menu label appears in the sidebar
 *	for the roles it allows.
 */
#ifndef POSTBUS_APP_H
#define POSTBUS_APP_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "pool.h"
#include "postbus.h"
#include "tmpl.h"

struct config;
struct db;
struct domain;
struct session;

struct app {
	struct config	*cfg;
	struct tmpls	*tmpls;
	struct db	*db;
};
extern struct app app;

enum ftype {
	F_TEXT,		/* one line, trimmed */
	F_MULTILINE,	/* textarea */
	F_PASSWORD,	/* not trimmed, never shown again */
	F_UINT,		/* decimal number, parsed into u */
	F_ID,		/* positive database id, parsed into u */
	F_BOOL,		/* checkbox: present or not */
	F_LIST,		/* repeated (checkbox group): see form_list() */
};

struct fielddef {
	const char	*name;
	enum ftype	 type;
	size_t		 max;		/* characters; 0 = 255 */
	int		 required;
};

struct field {
	const struct fielddef *def;
	const char	*raw;		/* as sent, for showing the form again */
	const char	*err;		/* message shown next to the field */
	uint64_t	 u;		/* F_UINT, F_ID */
	int		 ok;		/* present and valid */
};

struct req;
typedef void (*handler_fn)(struct req *);

/* route flags */
#define R_PUBLIC	0x01	/* no session needed */
#define R_DOMAIN	0x02	/* works on the selected domain (?d=) */
#define R_DOMAINOPT	0x04	/* keeps ?d= in the menu link when known */
#define R_RAWBODY	0x08	/* POST body kept as sent (XML), no CSRF token:
				 * public answers that change nothing */

#define ROLES_ALL	(AUTHZ_RB(ROLE_OWNER) | AUTHZ_RB(ROLE_SUPPORT) | \
			 AUTHZ_RB(ROLE_RESELLER) | AUTHZ_RB(ROLE_SUPERUSER))
#define ROLES_STAFF	(AUTHZ_RB(ROLE_RESELLER) | AUTHZ_RB(ROLE_SUPERUSER))
#define ROLES_MAIL	(AUTHZ_RB(ROLE_OWNER) | AUTHZ_RB(ROLE_RESELLER) | \
			 AUTHZ_RB(ROLE_SUPERUSER))
#define AUTHZ_RB(r)	(1 << (r))

struct route {
	const char		*method;	/* "GET" or "POST" */
	const char		*path;
	int			 roles;		/* mask of AUTHZ_RB(role) */
	unsigned int		 flags;
	const struct fielddef	*fields;	/* ends with { NULL } */
	handler_fn		 handler;
	const char		*menu;		/* sidebar label, or NULL */
	int			 menu_order;
};

struct req {
	struct pool	*pool;
	char		 reqid[17];
	const char	*method;
	const char	*path;
	const char	*client;
	struct kvlist	 query;
	struct kvlist	 form;
	const char	*raw_body;	/* a POST body that is no form (R_RAWBODY) */
	size_t		 raw_len;
	struct kvlist	 cookies;
	int		 is_post;
	const struct route *route;
	struct field	*fields;
	size_t		 nfields;
	int		 field_errors;	/* fields that failed validation */
	const char	*form_notes[8];	/* errors of the form that name no
					 * field of it, for the summary */
	size_t		 nform_notes;

	struct actor	 actor;
	struct ctx	 ctx;
	struct session	*sess;		/* NULL before login */
	char		 csrf[65];	/* for forms on this page */
	const char	*pre_token;	/* pre-login cookie value */
	struct domain	*domain;	/* selected domain, if any */

	/* response */
	int		 status;
	const char	*content_type;
	struct buf	 headers;	/* extra lines, each ending in \r\n */
	struct buf	 body;
};

/* dispatch.c */
void		 dispatch(struct req *r);
extern const struct route *const route_tables[];

/* page.c: helpers for handlers */
struct tdata	*page_data(struct req *r);
void		 page_render(struct req *r, int status, const char *tmpl,
		    const char *title, struct tdata *d);
void		 page_error(struct req *r, int status, const char *msg);
void		 page_err(struct req *r, const struct err *err);
void		 page_redirect(struct req *r, const char *url);
const char	*form_str(struct req *r, const char *name);
/* form_raw - a field as sent, also when refused; "" when absent */
const char	*form_raw(struct req *r, const char *name);
int		 form_uint(struct req *r, const char *name, uint64_t *u_r);
int		 form_bool(struct req *r, const char *name);
/* form_is - whether the field's value is exactly s */
int		 form_is(struct req *r, const char *name, const char *s);
/* form_wipe - overwrite the values of the named fields (passwords), a
 * NULL-terminated list */
void		 form_wipe(struct req *r, ...);
const char	**form_list(struct req *r, const char *name, size_t *n_r);
/* form_ids - the positive ids among a list field's values, at most max */
int64_t		*form_ids(struct req *r, const char *name, size_t max,
		    size_t *n_r);
void		 form_error(struct req *r, const char *name, const char *msg);
int		 form_has_errors(const struct req *r);
/* form_to_err - the edge's own field errors (the declared fields'
 * checks, form_error()) into err before a lib/ call, so that lib/ adds
 * its own and writes nothing */
void		 form_to_err(struct req *r, struct err *err);
/* form_from_err - every field error of a lib/ refusal on the form; 1 if
 * it is the form's to show (ERR_INVALID, ERR_LIMIT: 422), 0 if it needs
 * an error page */
int		 form_from_err(struct req *r, const struct err *err);
/* form_refused - form_from_err(), or the error page when it is none of
 * the form's: 1 when the form is to be shown again */
int		 form_refused(struct req *r, const struct err *err);
/* form_message - the line above a form shown again after err: "Please
 * correct the marked fields." when fields are marked, else err's text */
const char	*form_message(struct req *r, const struct err *err);
/* form_fill - f_NAME = raw value, e_NAME = error, af_NAME on the first
 * field in error (autofocus), and "errors", the summary: {err_id,
 * err_msg} for
 * each error in the order of the declared fields, then the form's notes */
void		 form_fill(struct req *r, struct tdata *d);
/* form_fill_errors - only the errors' part of form_fill (a form shown
 * with its stored values) */
void		 form_fill_errors(struct req *r, struct tdata *d);
const char	*query_str(struct req *r, const char *name);
/* query_id - a positive id from the query string, 0 if absent/invalid */
int64_t		 query_id(struct req *r, const char *name);
/* req_domain - the domain of ?d= (or the only/first one); NULL + page */
struct domain	*req_domain(struct req *r, int op);
void		 set_cookie(struct req *r, const char *name, const char *value,
		    int max_age);
/* page_got - a getter's answer (1 found, 0 not found, -1 error): 1, or
 * 0 after the error page (404 with notfound) */
int		 page_got(struct req *r, int rc, const struct err *err,
		    const char *notfound);

/* page_domain_list - a page of domains: q, total, count, rows (their
 * scopes returned), prev/next links to url */
struct tdata	**page_domain_list(struct req *r, struct tdata *d,
		    const char *url, const char *q, const struct domain *v,
		    size_t n, int64_t total, int64_t page, int64_t per);

/* page_domain_facts - the data of Virtual Server Details and Information
 * (settings, usage, the plan's limits, alias domains), NULL after an
 * error page */
struct domain_usage;
struct plan;
struct tdata	*page_domain_facts(struct req *r, const struct domain *dom,
		    struct domain_usage *u, struct plan **pl_r);

/* page.c: the lists with "Select all | Invert selection", per page
 * choices and "Delete Selected" with its confirmation */
struct page_sel {
	const char	*select;	/* ?select=all|invert */
	const char	**sel;		/* the ids ticked before */
	size_t		 nsel;
	struct buf	 inv;		/* &sel=ID... of the ticked rows */
};
extern const struct fielddef page_delete_fields[];
unsigned int	 page_per(struct req *r, struct tdata *d, unsigned int def);
void		 page_sel_init(struct req *r, struct page_sel *s);
int		 page_sel_checked(struct req *r, struct page_sel *s, int64_t id,
		    int may);
void		 page_sel_links(struct req *r, struct page_sel *s,
		    struct tdata *d, const char *url);
/* a "Delete Selected" of one domain: lib/'s deletion, and one row of the
 * confirmation page (0, or -1 after an error page) */
typedef int (*page_delete_fn)(struct ctx *, int64_t, const int64_t *,
		    size_t, struct err *);
typedef int (*page_row_fn)(struct req *, int64_t, int64_t, struct tdata *);
struct tdata	*page_delete_rows(struct req *r, const char *list, size_t max,
		    page_delete_fn del, page_row_fn row, size_t *n_r);

/* page_aliases.c: its sections of other pages (Edit Mailbox, the mailbox
 * list, Virtual Server Details and Information) */
struct mailbox;
void		 page_forward_fill(struct req *r, struct tdata *d,
		    const struct mailbox *m);
const char	*page_forward_label(struct req *r, int64_t n);
void		 page_aliasdomain_fill(struct req *r, struct tdata *d,
		    int64_t domain_id);
/* page_mailboxes.c: Edit Mailbox again, filled from the database, for a
 * form of another area posted from it (the automatic reply) */
struct mailbox;
void		 page_mailbox_edit(struct req *r, int status,
		    const struct domain *dom, const struct mailbox *m,
		    const char *message);
/* page_mailboxes.c: the live mailbox of ?id= and its domain, or NULL
 * after an error page */
struct mailbox	*page_mailbox_load(struct req *r, struct domain **dom_r);
/* page_vacation.c: the automatic reply on Edit Mailbox and the lists */
void		 page_vacation_section(struct req *r, struct tdata *d,
		    const struct mailbox *m);
int64_t		 page_vacation_count(struct req *r, int64_t domain_id);
						/* -1 after an error page */

#endif
