/*
 * NAME
 *	page_list - the lists' shared parts: rows a page, "Select all |
 *	Invert selection", "Delete Selected" with its confirmation
 *
 * DESCRIPTION
 *	Edit Mail Users and Edit Mail Aliases (and whichever list comes next)
 *	tick, invert and delete their rows the same way: page_sel_*() keep
 *	the ticked ids across the links, page_delete_rows() runs the whole
 *	"Delete Selected" flow (nothing ticked, the confirmation page naming
 *	each row, then the deletion through lib/), the caller giving the
 *	lib/ function and how one row reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "authz.h"
#include "domain.h"

static const unsigned int per_choices[] = { 10, 25, 50, 100 };

/* the fields of a "Delete Selected" post: the domain, the ticked ids,
 * and the confirmation's own */
const struct fielddef page_delete_fields[] = {
	{ "d", F_ID, 0, 0 },
	{ "sel", F_LIST, 0, 0 },
	{ "confirm", F_BOOL, 0, 0 },
	{ NULL, 0, 0, 0 }
};

/* page_per - rows a page from ?per= (one of the choices), else def; the
 * choices for the template's select ("pers": value, selected) */
unsigned int
page_per(struct req *r, struct tdata *d, unsigned int def)
{
	struct tdata *it;
	unsigned int per = def;
	uint64_t u;
	size_t i, n = sizeof(per_choices) / sizeof(per_choices[0]);

	if (form_uint(r, "per", &u))
		for (i = 0; i < n; i++)
			if (per_choices[i] == u)
				per = (unsigned int)u;
	td_list(d, "pers");
	for (i = 0; i < n; i++) {
		it = td_item(d, "pers");
		td_int(it, "value", per_choices[i]);
		td_bool(it, "selected", per_choices[i] == per);
	}
	return per;
}

/* page_sel_init - the ticked boxes asked for: ?select=all, or
 * ?select=invert with the ids ticked before (sel=ID...) */
void
page_sel_init(struct req *r, struct page_sel *s)
{
	s->select = form_str(r, "select");
	s->sel = form_list(r, "sel", &s->nsel);
	buf_init(&s->inv, r->pool, 256);
}

/* page_sel_checked - whether the row of id is ticked; a row that cannot
 * be deleted never is */
int
page_sel_checked(struct req *r, struct page_sel *s, int64_t id, int may)
{
	const char *ids = pool_printf(r->pool, "%lld", (long long)id);
	size_t k;
	int was = 0, checked = 0;

	for (k = 0; k < s->nsel; k++)
		if (strcmp(s->sel[k], ids) == 0)
			was = 1;
	if (may && s->select != NULL && strcmp(s->select, "all") == 0)
		checked = 1;
	else if (may && s->select != NULL && strcmp(s->select, "invert") == 0)
		checked = !was;
	if (checked)
		buf_printf(&s->inv, "&sel=%s", ids);
	return checked;
}

/* page_sel_links - "Select all" and "Invert selection" of the list at
 * url, which work without JavaScript */
void
page_sel_links(struct req *r, struct page_sel *s, struct tdata *d,
    const char *url)
{
	td_str(d, "select_all", pool_printf(r->pool, "%s&select=all", url));
	td_str(d, "select_invert", pool_printf(r->pool, "%s&select=invert%s",
	    url, s->inv.data));
}

/* page_delete_rows - "Delete Selected": back to list when nothing is
 * ticked (done=nosel); deleted with del() when the confirmation says so,
 * then back to list (done=deleted&n=); else the confirmation page's data,
 * a row each filled by row() (0, or -1 after an error page).  NULL when
 * the request has its answer. */
struct tdata *
page_delete_rows(struct req *r, const char *list, size_t max,
    page_delete_fn del, page_row_fn row, size_t *n_r)
{
	struct domain *dom;
	struct tdata *d;
	struct err err = { 0 };
	int64_t *ids;
	size_t i;

	if ((dom = req_domain(r, AUTHZ_MAIL)) == NULL)
		return NULL;
	ids = form_ids(r, "sel", max, n_r);
	if (*n_r == 0) {
		page_redirect(r, pool_printf(r->pool, "%s?d=%lld&done=nosel",
		    list, (long long)dom->id));
		return NULL;
	}
	if (form_bool(r, "confirm")) {
		if (del(&r->ctx, dom->id, ids, *n_r, &err) == -1)
			page_err(r, &err);
		else
			page_redirect(r, pool_printf(r->pool,
			    "%s?d=%lld&done=deleted&n=%zu", list,
			    (long long)dom->id, *n_r));
		return NULL;
	}
	d = page_data(r);
	td_list(d, "rows");
	for (i = 0; i < *n_r; i++)
		if (row(r, dom->id, ids[i], td_item(d, "rows")) == -1)
			return NULL;
	return d;
}

/* set_cookie - a Secure, HttpOnly, SameSite=Strict cookie for the whole
 * host only: named with the __Host- prefix (HTTP_COOKIE_PREFIX), which
 * http_parse_cookies() removes again */
void
set_cookie(struct req *r, const char *name, const char *value, int max_age)
{
	buf_printf(&r->headers, "Set-Cookie: %s%s=%s; Path=/; Secure; HttpOnly; "
	    "SameSite=Strict", HTTP_COOKIE_PREFIX, name, value);
	if (max_age < 0)
		buf_puts(&r->headers, "; Max-Age=0");
	else if (max_age > 0)
		buf_printf(&r->headers, "; Max-Age=%d", max_age);
	buf_puts(&r->headers, "\r\n");
}
