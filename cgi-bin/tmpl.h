/*
 * NAME
 *	tmpl - HTML templates that escape by default
 *
 * SYNOPSIS
 *	struct tmpls *t = tmpl_load(startup_pool, "templates", err, errlen);
 *	struct tdata *d = td_new(req_pool);
 *	td_str(d, "name", user_supplied);	escaped on output
 *	struct tdata *row = td_item(d, "rows");	one more list element
 *	tmpl_render(t, "page", d, &buf);
 *
 * DESCRIPTION
 *	Template syntax:
 *	  {{key}}		the value, HTML-escaped (& < > " ')
 *	  {{{key}}}		raw, but only if the C side set it with td_raw();
 *				any other value is escaped anyway
 *	  {{#key}}..{{/key}}	a list: once per element, the element as scope;
 *				anything else: once if true (non-empty, non-zero)
 *	  {{^key}}..{{/key}}	once if the key is missing or false
 *	  {{> name}}		another template, in the current scope
 *	  {{_ Some text}}	the text through gettext(), escaped
 *	  {{! comment }}
 *	Keys are looked up in the current scope, then its parents.  Templates are
 *	parsed at start-up (tmpl_load fails on a syntax error) and live in the
 *	start-up pool; data and output live in the request pool.
 */
#ifndef POSTBUS_TMPL_H
#define POSTBUS_TMPL_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct pool;
struct tmpls;
struct tdata;

struct tmpls	*tmpl_load(struct pool *p, const char *dir, char *err,
		    size_t errlen);
/* tmpl_parse - add one template from text (tests use this) */
int		 tmpl_parse(struct tmpls *t, const char *name, const char *text,
		    char *err, size_t errlen);
struct tmpls	*tmpl_new(struct pool *p);
int		 tmpl_render(const struct tmpls *t, const char *name,
		    const struct tdata *d, struct buf *out);
int		 tmpl_exists(const struct tmpls *t, const char *name);

struct tdata	*td_new(struct pool *p);
void		 td_str(struct tdata *d, const char *key, const char *val);
void		 td_raw(struct tdata *d, const char *key, const char *html);
void		 td_int(struct tdata *d, const char *key, long long v);
void		 td_bool(struct tdata *d, const char *key, int v);
struct tdata	*td_item(struct tdata *d, const char *listkey);
/* td_list - make key an (empty) list, so {{^key}} can test emptiness */
void		 td_list(struct tdata *d, const char *key);

/* html_escape - append s to out, escaped */
void		 html_escape(struct buf *out, const char *s);

#endif
