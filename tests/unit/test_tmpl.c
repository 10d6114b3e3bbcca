/* test_tmpl - escaping by default, sections, partials */
#include <string.h>

#include "pool.h"
#include "tmpl.h"
#include "test.h"

static char *
render(struct tmpls *t, const char *name, struct tdata *d, struct pool *p)
{
	struct buf b;

	buf_init(&b, p, 64);
	if (tmpl_render(t, name, d, &b) == -1)
		return NULL;
	return b.data;
}

int
main(void)
{
	struct pool *p = pool_new(0);
	struct tmpls *t = tmpl_new(p);
	struct tdata *d, *it;
	char err[128];

	test_begin("parse good templates");
	test_assert(tmpl_parse(t, "var", "<p title=\"{{x}}\">{{x}}</p>", err, sizeof(err)) == 0);
	test_assert(tmpl_parse(t, "raw", "{{{x}}}", err, sizeof(err)) == 0);
	test_assert(tmpl_parse(t, "list", "<ul>{{#rows}}<li>{{name}}/{{top}}</li>{{/rows}}{{^rows}}none{{/rows}}</ul>", err, sizeof(err)) == 0);
	test_assert(tmpl_parse(t, "part", "[{{> var}}]{{! comment }}", err, sizeof(err)) == 0);
	test_assert(tmpl_parse(t, "i18n", "{{_ Edit Mail Users}}", err, sizeof(err)) == 0);
	test_end();

	test_begin("syntax errors are refused at load time");
	test_assert(tmpl_parse(t, "bad1", "{{#a}}x", err, sizeof(err)) == -1);
	test_assert(tmpl_parse(t, "bad2", "{{#a}}x{{/b}}", err, sizeof(err)) == -1);
	test_assert(tmpl_parse(t, "bad3", "{{a", err, sizeof(err)) == -1);
	test_assert(tmpl_parse(t, "bad4", "{{/a}}", err, sizeof(err)) == -1);
	test_end();

	test_begin("values are escaped, also in attributes");
	d = td_new(p);
	td_str(d, "x", "<script>alert(1)</script>\"'><img onerror=x>&");
	test_assert_str(render(t, "var", d, p),
	    "<p title=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img onerror=x&gt;&amp;\">"
	    "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img onerror=x&gt;&amp;</p>");
	test_end();

	test_begin("{{{x}}} is raw only for values the C side marked raw");
	d = td_new(p);
	td_str(d, "x", "<b>");
	test_assert_str(render(t, "raw", d, p), "&lt;b&gt;");
	td_raw(d, "x", "<b>");
	test_assert_str(render(t, "raw", d, p), "<b>");
	test_end();

	test_begin("lists, parent scope, inverted sections");
	d = td_new(p);
	td_str(d, "top", "T");
	it = td_item(d, "rows");
	td_str(it, "name", "a&b");
	it = td_item(d, "rows");
	td_str(it, "name", "c");
	test_assert_str(render(t, "list", d, p), "<ul><li>a&amp;b/T</li><li>c/T</li></ul>");
	d = td_new(p);
	td_list(d, "rows");
	test_assert_str(render(t, "list", d, p), "<ul>none</ul>");
	test_end();

	test_begin("partials, comments and translated text");
	d = td_new(p);
	td_int(d, "x", 42);
	test_assert_str(render(t, "part", d, p), "[<p title=\"42\">42</p>]");
	test_assert_str(render(t, "i18n", d, p), "Edit Mail Users");
	test_assert(render(t, "nonexistent", d, p) == NULL);
	test_end();

	test_begin("missing keys render empty; booleans open sections");
	tmpl_parse(t, "bool", "{{#b}}yes{{/b}}{{^b}}no{{/b}}{{missing}}", err, sizeof(err));
	d = td_new(p);
	test_assert_str(render(t, "bool", d, p), "no");
	td_bool(d, "b", 1);
	test_assert_str(render(t, "bool", d, p), "yes");
	test_end();

	pool_free(&p);
	return test_done();
}
