/*
 * NAME
 *	tmpl - HTML templates that escape by default
 *
 * DESCRIPTION
 *	A template is parsed once into a tree of nodes (text, variable,
 *	section, inverted section, partial, translated text).  Rendering walks
 *	the tree with a chain of data scopes.  The only way to emit a value
 *	unescaped is a {{{key}}} whose value was stored with td_raw(); the
 *	renderer checks the value's flag, not the template's wish.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "postbus.h"
#include "tmpl.h"

enum nkind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL, N_I18N };

struct node {
	enum nkind	 kind;
	const char	*s;		/* text, key, partial name, msgid */
	size_t		 len;		/* for N_TEXT */
	unsigned int	 hash;		/* of a key (keyhash) */
	struct node	*child;		/* sections */
	struct node	*next;
};

struct tmpl {
	const char	*name;
	struct node	*root;
	struct tmpl	*next;
};

struct tmpls {
	struct pool	*pool;
	struct tmpl	*list;
};

enum vkind { V_STR, V_RAW, V_INT, V_BOOL, V_LIST };

struct tval {
	const char	*key;
	unsigned int	 hash;		/* keyhash(key) */
	enum vkind	 kind;
	const char	*s;
	long long	 i;
	struct tdata	*first, *last;	/* V_LIST */
	struct tval	*next;
};

struct tdata {
	struct pool	*pool;
	struct tdata	*parent;
	struct tdata	*next;		/* sibling in a list */
	struct tval	*vals;
};

/* tmpl_new - an empty set of templates */
struct tmpls *
tmpl_new(struct pool *p)
{
	struct tmpls *t = pool_zalloc(p, sizeof(*t));

	t->pool = p;
	return t;
}

/* keyhash - FNV-1a of a key: a page looks up hundreds of keys in scopes
 * of dozens, and most comparisons end at the hash */
static unsigned int
keyhash(const char *key)
{
	unsigned int h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

/* newnode - allocate a node */
static struct node *
newnode(struct pool *p, enum nkind k, const char *s, size_t len)
{
	struct node *n = pool_zalloc(p, sizeof(*n));

	n->kind = k;
	n->s = k == N_TEXT ? s : pool_strndup(p, s, len);
	n->len = len;
	if (k != N_TEXT)
		n->hash = keyhash(n->s);
	return n;
}

/* trimmed - the tag's content without surrounding blanks */
static void
trimmed(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t' || **s == '\n')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	    (*s)[*len - 1] == '\n'))
		(*len)--;
}

/* parse - parse text up to a closing tag for `closing` (or the end) */
static const char *
parse(struct pool *p, const char *s, const char *closing, struct node **out,
    char *err, size_t errlen)
{
	struct node head = { 0 }, *tail = &head;
	const char *open, *close;
	size_t len;

	for (;;) {
		open = strstr(s, "{{");
		if (open == NULL) {
			if (closing != NULL) {
				snprintf(err, errlen, "unclosed section %s", closing);
				return NULL;
			}
			if (*s != '\0')
				tail = tail->next = newnode(p, N_TEXT, s, strlen(s));
			*out = head.next;
			return s + strlen(s);
		}
		if (open > s)
			tail = tail->next = newnode(p, N_TEXT, s, (size_t)(open - s));
		if (open[2] == '{') {
			if ((close = strstr(open + 3, "}}}")) == NULL) {
				snprintf(err, errlen, "unterminated {{{");
				return NULL;
			}
			s = open + 3;
			len = (size_t)(close - s);
			trimmed(&s, &len);
			tail = tail->next = newnode(p, N_RAW, s, len);
			s = close + 3;
			continue;
		}
		if ((close = strstr(open + 2, "}}")) == NULL) {
			snprintf(err, errlen, "unterminated {{");
			return NULL;
		}
		s = open + 2;
		len = (size_t)(close - s);
		switch (*s) {
		case '!':
			break;
		case '/':
			s++, len--;
			trimmed(&s, &len);
			if (closing == NULL || strlen(closing) != len ||
			    strncmp(closing, s, len) != 0) {
				snprintf(err, errlen, "unexpected {{/%.*s}}",
				    (int)len, s);
				return NULL;
			}
			*out = head.next;
			return close + 2;
		case '#':
		case '^': {
			enum nkind k = *s == '#' ? N_SECTION : N_INVERTED;
			struct node *n;

			s++, len--;
			trimmed(&s, &len);
			n = newnode(p, k, s, len);
			tail = tail->next = n;
			s = parse(p, close + 2, n->s, &n->child, err, errlen);
			if (s == NULL)
				return NULL;
			continue;
		}
		case '>':
			s++, len--;
			trimmed(&s, &len);
			tail = tail->next = newnode(p, N_PARTIAL, s, len);
			break;
		case '_':
			s++, len--;
			trimmed(&s, &len);
			tail = tail->next = newnode(p, N_I18N, s, len);
			break;
		default:
			trimmed(&s, &len);
			if (len == 0) {
				snprintf(err, errlen, "empty {{}}");
				return NULL;
			}
			tail = tail->next = newnode(p, N_VAR, s, len);
		}
		s = close + 2;
	}
}

/* tmpl_parse - parse text and add it under name */
int
tmpl_parse(struct tmpls *t, const char *name, const char *text, char *err,
    size_t errlen)
{
	struct tmpl *tp = pool_zalloc(t->pool, sizeof(*tp));
	char *copy = pool_strdup(t->pool, text);

	if (parse(t->pool, copy, NULL, &tp->root, err, errlen) == NULL)
		return -1;
	tp->name = pool_strdup(t->pool, name);
	tp->next = t->list;
	t->list = tp;
	return 0;
}

/* tmpl_load - parse every NAME.html in dir */
struct tmpls *
tmpl_load(struct pool *p, const char *dir, char *err, size_t errlen)
{
	struct tmpls *t = tmpl_new(p);
	DIR *d;
	struct dirent *de;
	char path[4096], e2[256];
	FILE *f;
	size_t n;
	char *text, *name;
	long sz;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".html") != 0 ||
		    de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL ||
		    fseek(f, 0, SEEK_END) == -1 || (sz = ftell(f)) < 0 ||
		    fseek(f, 0, SEEK_SET) == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			if (f != NULL)
				fclose(f);
			closedir(d);
			return NULL;
		}
		text = pool_alloc(p, (size_t)sz + 1);
		if (fread(text, 1, (size_t)sz, f) != (size_t)sz) {
			snprintf(err, errlen, "%s: short read", path);
			fclose(f);
			closedir(d);
			return NULL;
		}
		fclose(f);
		text[sz] = '\0';
		name = pool_strndup(p, de->d_name, n - 5);
		if (tmpl_parse(t, name, text, e2, sizeof(e2)) == -1) {
			snprintf(err, errlen, "%s: %s", path, e2);
			closedir(d);
			return NULL;
		}
	}
	closedir(d);
	return t;
}

/* find - a template by name */
static const struct tmpl *
find(const struct tmpls *t, const char *name)
{
	const struct tmpl *tp;

	for (tp = t->list; tp != NULL; tp = tp->next)
		if (strcmp(tp->name, name) == 0)
			return tp;
	return NULL;
}

/* tmpl_exists - whether a template of that name was loaded */
int
tmpl_exists(const struct tmpls *t, const char *name)
{
	return find(t, name) != NULL;
}

/* html_escape - append s with & < > " ' escaped */
void
html_escape(struct buf *out, const char *s)
{
	const char *start = s;

	for (; *s != '\0'; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(out, start, (size_t)(s - start));
		buf_puts(out, rep);
		start = s + 1;
	}
	buf_add(out, start, (size_t)(s - start));
}

/* lookup - a node's key in the scope chain */
static const struct tval *
lookup(const struct tdata *d, const struct node *n)
{
	const struct tval *v;

	for (; d != NULL; d = d->parent)
		for (v = d->vals; v != NULL; v = v->next)
			if (v->hash == n->hash && strcmp(v->key, n->s) == 0)
				return v;
	return NULL;
}

/* truthy - whether a value opens a {{#section}} */
static int
truthy(const struct tval *v)
{
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case V_STR:
	case V_RAW:
		return v->s != NULL && v->s[0] != '\0';
	case V_INT:
	case V_BOOL:
		return v->i != 0;
	case V_LIST:
		return v->first != NULL;
	}
	return 0;
}

/* emit - write a value; escaped unless it is V_RAW and raw was asked */
static void
emit(struct buf *out, const struct tval *v, int raw)
{
	char num[32];

	if (v == NULL)
		return;
	switch (v->kind) {
	case V_STR:
		html_escape(out, v->s ? v->s : "");
		break;
	case V_RAW:
		if (raw)
			buf_puts(out, v->s ? v->s : "");
		else
			html_escape(out, v->s ? v->s : "");
		break;
	case V_INT:
	case V_BOOL:
		snprintf(num, sizeof(num), "%lld", v->i);
		buf_puts(out, num);
		break;
	case V_LIST:
		break;
	}
}

static int render(const struct tmpls *, const struct node *,
    const struct tdata *, struct buf *, int);

/* render - walk nodes with scope d */
static int
render(const struct tmpls *t, const struct node *n, const struct tdata *d,
    struct buf *out, int depth)
{
	const struct tval *v;
	const struct tdata *it;
	const struct tmpl *tp;

	if (depth > 16)
		return -1;
	for (; n != NULL; n = n->next) {
		switch (n->kind) {
		case N_TEXT:
			buf_add(out, n->s, n->len);
			break;
		case N_VAR:
			emit(out, lookup(d, n), 0);
			break;
		case N_RAW:
			emit(out, lookup(d, n), 1);
			break;
		case N_I18N:
			html_escape(out, _(n->s));
			break;
		case N_SECTION:
			v = lookup(d, n);
			if (v != NULL && v->kind == V_LIST) {
				for (it = v->first; it != NULL; it = it->next)
					if (render(t, n->child, it, out,
					    depth + 1) == -1)
						return -1;
			} else if (truthy(v) &&
			    render(t, n->child, d, out, depth + 1) == -1)
				return -1;
			break;
		case N_INVERTED:
			if (!truthy(lookup(d, n)) &&
			    render(t, n->child, d, out, depth + 1) == -1)
				return -1;
			break;
		case N_PARTIAL:
			if ((tp = find(t, n->s)) == NULL ||
			    render(t, tp->root, d, out, depth + 1) == -1)
				return -1;
			break;
		}
	}
	return 0;
}

/* tmpl_render - render template name with data d, appending to out */
int
tmpl_render(const struct tmpls *t, const char *name, const struct tdata *d,
    struct buf *out)
{
	const struct tmpl *tp = find(t, name);

	if (tp == NULL)
		return -1;
	return render(t, tp->root, d, out, 0);
}

/* td_new - an empty top-level scope */
struct tdata *
td_new(struct pool *p)
{
	struct tdata *d = pool_zalloc(p, sizeof(*d));

	d->pool = p;
	return d;
}

/* findval - key's value in d itself, or NULL */
static struct tval *
findval(const struct tdata *d, const char *key, unsigned int h)
{
	struct tval *v;

	for (v = d->vals; v != NULL; v = v->next)
		if (v->hash == h && strcmp(v->key, key) == 0)
			return v;
	return NULL;
}

/* setval - add or replace key in d */
static struct tval *
setval(struct tdata *d, const char *key, enum vkind k)
{
	unsigned int h = keyhash(key);
	struct tval *v = findval(d, key, h);

	if (v == NULL) {
		v = pool_zalloc(d->pool, sizeof(*v));
		v->key = pool_strdup(d->pool, key);
		v->hash = h;
		v->next = d->vals;
		d->vals = v;
	}
	v->kind = k;
	return v;
}

/* td_str - a text value, escaped on output */
void
td_str(struct tdata *d, const char *key, const char *val)
{
	setval(d, key, V_STR)->s = pool_strdup(d->pool, val ? val : "");
}

/* td_raw - trusted HTML made by C code; never user data */
void
td_raw(struct tdata *d, const char *key, const char *html)
{
	setval(d, key, V_RAW)->s = html;
}

/* td_int - a number */
void
td_int(struct tdata *d, const char *key, long long i)
{
	setval(d, key, V_INT)->i = i;
}

/* td_bool - a flag for sections */
void
td_bool(struct tdata *d, const char *key, int b)
{
	setval(d, key, V_BOOL)->i = b != 0;
}

/* td_list - an empty list under key */
void
td_list(struct tdata *d, const char *key)
{
	struct tval *v = findval(d, key, keyhash(key));

	if (v == NULL || v->kind != V_LIST)
		setval(d, key, V_LIST);
}

/* td_item - append a new element scope to the list under key */
struct tdata *
td_item(struct tdata *d, const char *key)
{
	struct tval *v = findval(d, key, keyhash(key));
	struct tdata *it;

	if (v == NULL || v->kind != V_LIST)
		v = setval(d, key, V_LIST);
	it = td_new(d->pool);
	it->parent = d;
	if (v->last == NULL)
		v->first = it;
	else
		v->last->next = it;
	v->last = it;
	return it;
}
