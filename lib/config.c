/*
 * NAME
 *	config - postbus.conf, a file of "key = value" lines
 *
 * DESCRIPTION
 *	A table maps each key to a field of struct config and its type.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pool.h"

enum ctype { CT_STR, CT_UINT };

struct ckey {
	const char	*name;
	enum ctype	 type;
	size_t		 off;
};

#define S(f)	{ #f, CT_STR, offsetof(struct config, f) }
#define U(f)	{ #f, CT_UINT, offsetof(struct config, f) }
static const struct ckey keys[] = {
	S(db_socket), S(db_host), U(db_port), S(db_name), S(db_user),
	S(db_password), S(db_tls_ca), S(secret), S(template_dir), S(schema_dir),
	S(locale_dir), S(socket), S(socket_group), S(run_user), U(workers),
	U(session_idle), U(session_max), U(throttle_slow), U(throttle_slow_address),
	U(throttle_lock),
	U(throttle_lock_secs), S(hostname), S(reserved_domains), S(smtp_host),
	U(smtp_port), U(imap_port), U(pop3_port), S(mail_dir), U(purge_days), U(syslog),
	S(timezone), U(vacation_min_interval),
	U(imaps_port), U(pop3s_port), U(submission_port),
	U(submission_starttls_port), S(webmail_url),
};
#undef S
#undef U

/* config_defaults - the values used when the file says nothing */
void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->db_name = "postbus";
	c->db_user = "postbus_panel";
	c->db_port = 3306;
	c->workers = 2;
	c->session_idle = 30 * 60;
	c->session_max = 12 * 3600;
	c->throttle_slow = 3;
	c->throttle_slow_address = 20;
	c->throttle_lock = 10;
	c->throttle_lock_secs = 15 * 60;
	c->hostname = "localhost";
	c->reserved_domains = CONFIG_RESERVED_DOMAINS;
	c->smtp_host = "localhost";
	c->smtp_port = 25;
	c->imap_port = 143;
	c->pop3_port = 110;
	c->purge_days = 7;
	c->vacation_min_interval = 1;
	c->imaps_port = 993;
	c->pop3s_port = 995;
	c->submission_port = 465;
	c->submission_starttls_port = 587;
}

/* trim - strip white space at both ends in place */
static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* config_load - read path into c */
int
config_load(const char *path, struct pool *p, struct config *c,
    char *errbuf, size_t errlen)
{
	FILE *f;
	char line[4096], *k, *v, *eq, *end;
	unsigned int lineno = 0;
	size_t i;
	unsigned long n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(errbuf, errlen, "%s:%u: line too long", path, lineno);
			goto fail;
		}
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		if ((eq = strchr(k, '=')) == NULL) {
			snprintf(errbuf, errlen, "%s:%u: expected key = value",
			    path, lineno);
			goto fail;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(keys[i].name, k) == 0)
				break;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			snprintf(errbuf, errlen, "%s:%u: unknown key '%.64s'",
			    path, lineno, k);
			goto fail;
		}
		if (keys[i].type == CT_STR) {
			*(const char **)((char *)c + keys[i].off) =
			    *v ? pool_strdup(p, v) : NULL;
			continue;
		}
		errno = 0;
		n = strtoul(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 || n > INT_MAX ||
		    *v == '-') {
			snprintf(errbuf, errlen, "%s:%u: %s: not a number",
			    path, lineno, k);
			goto fail;
		}
		*(unsigned int *)((char *)c + keys[i].off) = (unsigned int)n;
	}
	fclose(f);
	if (c->workers == 0 || c->workers > 256) {
		snprintf(errbuf, errlen, "%s: workers must be 1..256", path);
		return -1;
	}
	if (c->vacation_min_interval == 0) {
		snprintf(errbuf, errlen, "%s: vacation_min_interval is at least 1 (minute)",
		    path);
		return -1;
	}
	return 0;
fail:
	fclose(f);
	return -1;
}
