/*
 * NAME
 *	fuzz_tmpl - libFuzzer target: the template parser and renderer
 *
 * DESCRIPTION
 *	The input up to its first NUL is a template ("page"), the rest a
 *	value.  The template is parsed next to a fixed partial and rendered
 *	twice: with fixed values, among them a hostile one, and with the
 *	value from the input.  Checks: whatever the template, a value set
 *	with td_str() comes out escaped, so "<script" appears in the output
 *	only when the template's own text holds "script"; html_escape() of
 *	the input's value leaves none of < > " ' and every & starts an
 *	entity.  A template may not name itself (its depth is bounded, but
 *	the output of self-inclusion grows exponentially, which says nothing
 *	about the renderer), nor open more than six sections.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fill(struct tdata *d, const char *v)
{
	struct tdata *row;
	int i;

	td_str(d, "v", v);
	td_str(d, "a", "A");
	td_int(d, "n", 42);
	td_bool(d, "b", 1);
	td_bool(d, "f", 0);
	td_raw(d, "r", "<b>ok</b>");
	td_list(d, "empty");
	for (i = 0; i < 2; i++) {
		row = td_item(d, "rows");
		td_str(row, "v", v);
		td_int(row, "i", i);
	}
}

/* sections - how many {{# a template opens: each nesting of the two-row
 * list doubles the output, so past a few it measures memcpy, not parsing */
static int
sections(const char *s)
{
	int n = 0;

	while ((s = strstr(s, "{{#")) != NULL) {
		n++;
		s += 3;
	}
	return n;
}

/* count - how many times needle occurs in s */
static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool *p;
	struct tmpls *t;
	struct tdata *d;
	struct buf out;
	char *text, *value, err[256];
	const char *nul, *s;
	size_t tlen;

	nul = memchr(data, '\0', size);
	tlen = nul ? (size_t)(nul - (const char *)data) : size;
	p = pool_new(0);
	text = pool_strndup(p, (const char *)data, tlen);
	value = nul ? pool_strndup(p, nul + 1, size - tlen - 1) : "";

	/* html_escape on its own */
	buf_init(&out, p, 64);
	html_escape(&out, value);
	if (strpbrk(out.data, "<>\"'") != NULL)
		abort();
	for (s = strchr(out.data, '&'); s != NULL; s = strchr(s + 1, '&'))
		if (strncmp(s, "&amp;", 5) != 0 && strncmp(s, "&lt;", 4) != 0 &&
		    strncmp(s, "&gt;", 4) != 0 && strncmp(s, "&quot;", 6) != 0 &&
		    strncmp(s, "&#39;", 5) != 0)
			abort();

	if (strstr(text, "page") != NULL || sections(text) > 6)
		goto done;
	t = tmpl_new(p);
	if (tmpl_parse(t, "part", "<i>{{v}}</i>{{#rows}}{{i}}{{/rows}}", err,
	    sizeof(err)) != 0)
		abort();
	if (tmpl_parse(t, "page", text, err, sizeof(err)) != 0)
		goto done;

	/* a value never comes out as markup: with a hostile value the page
	 * holds no more "<script" than with a plain one (the template's own
	 * text may spell it, e.g. "<scrip{{{}}}t") */
	d = td_new(p);
	fill(d, "plain");
	buf_init(&out, p, 256);
	if (tmpl_render(t, "page", d, &out) == 0) {
		size_t plain = count(out.data, "<script");

		d = td_new(p);
		fill(d, "<script>alert(1)</script>\"'&");
		buf_init(&out, p, 256);
		if (tmpl_render(t, "page", d, &out) == 0 &&
		    count(out.data, "<script") > plain)
			abort();
	}

	d = td_new(p);
	fill(d, value);
	buf_init(&out, p, 256);
	(void)tmpl_render(t, "page", d, &out);
done:
	pool_free(&p);
	return 0;
}
