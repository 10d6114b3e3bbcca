/*
 * NAME
 *	session - panel logins that live in MariaDB
 */
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "domain.h"
#include "log.h"
#include "pool.h"
#include "session.h"

/* A session's last_seen is written again only when it is this old (or a
 * quarter of the idle lifetime, if that is shorter): an idle timeout of
 * 30 minutes does not need a write per request, and those writes would
 * make every page view a transaction on a shared row. */
#define TOUCH_SECS	60

/* session_token_ok - 64 lowercase hex digits */
int
session_token_ok(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != SESSION_TOKEN_LEN)
		return 0;
	for (i = 0; i < SESSION_TOKEN_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* session_create - store a new session and return its token */
int
session_create(struct ctx *c, int64_t user_id,
    char token_r[SESSION_TOKEN_LEN + 1])
{
	unsigned char h[32];

	if (crypto_token(token_r, SESSION_TOKEN_LEN / 2) == -1) {
		log_warnx("no randomness for a session token");
		return -1;
	}
	crypto_sha256(h, token_r, SESSION_TOKEN_LEN);
	{
		struct dbv p[] = { DB_BLOB(h, sizeof(h)), DB_INT(user_id),
		    DB_STR(c->actor->client) };

		if (db_exec(c->db, SQL_SESSION_INSERT, p, NPARAMS(p),
		    NULL, NULL) == -1)
			return -1;
	}
	return 0;
}

/* session_expire - remove sessions past their idle or total lifetime */
int
session_expire(struct ctx *c, const struct config *cfg)
{
	struct dbv p[] = { DB_INT(cfg->session_idle), DB_INT(cfg->session_max) };

	return db_exec(c->db, SQL_SESSION_EXPIRE, p, NPARAMS(p), NULL, NULL);
}

/* touch_after - seconds of idleness after which last_seen is refreshed */
static int64_t
touch_after(const struct config *cfg)
{
	int64_t q = (int64_t)cfg->session_idle / 4;

	return q < TOUCH_SECS ? q : TOUCH_SECS;
}

/* SQL_SESSION_GET; SQL_SESSION_GET_DOMAIN has them after a domain's */
enum session_col {
	SC_USER_ID,
	SC_LOGIN,
	SC_ROLE,
	SC_DOMAIN_ID,
	SC_IDLE,
	SC_AGE,
	SC_VERSION,
	SC__MAX
};
SQL_COLS_ARE(SQL_SESSION_GET, SC__MAX);
SQL_COLS_ARE(SQL_SESSION_GET_DOMAIN, DOMAIN_ROW_NCOLS + SC__MAX);

/* load - run st (its params: [domain,] the token's hash) and make its row,
 * from column base on, a live session; refresh its idle timer */
static int
load(struct ctx *c, const struct config *cfg, const char *token,
    enum sqlstmt st, struct dbv *dom, size_t base, struct session **s_r)
{
	unsigned char h[32];
	struct dbrow *row;
	struct session *s;
	int rc;

	*s_r = NULL;
	if (!session_token_ok(token))
		return 0;
	crypto_sha256(h, token, SESSION_TOKEN_LEN);
	{
		struct dbv p[] = { DB_BLOB(h, sizeof(h)) };
		struct dbv pd[] = { dom != NULL ? *dom : DB_NULL,
		    DB_BLOB(h, sizeof(h)) };

		rc = dom != NULL ?
		    db_row(c->db, c->pool, st, pd, NPARAMS(pd), &row) :
		    db_row(c->db, c->pool, st, p, NPARAMS(p), &row);
		if (rc <= 0)
			return rc;
		if (dbrow_int(row, base + SC_IDLE) > (int64_t)cfg->session_idle ||
		    dbrow_int(row, base + SC_AGE) > (int64_t)cfg->session_max) {
			(void)db_exec(c->db, SQL_SESSION_DELETE, p, NPARAMS(p),
			    NULL, NULL);
			return 0;
		}
		if (dbrow_int(row, base + SC_IDLE) > 0 &&
		    dbrow_int(row, base + SC_IDLE) >= touch_after(cfg) &&
		    db_exec(c->db, SQL_SESSION_TOUCH, p, NPARAMS(p),
		    NULL, NULL) == -1)
			return -1;
	}
	s = pool_zalloc(c->pool, sizeof(*s));
	memcpy(s->token, token, SESSION_TOKEN_LEN + 1);
	s->actor.id = dbrow_int(row, base + SC_USER_ID);
	s->actor.login = pool_strdup(c->pool, dbrow_str(row, base + SC_LOGIN));
	s->actor.role = role_parse(dbrow_str(row, base + SC_ROLE));
	s->actor.client = c->actor ? c->actor->client : "-";
	s->domain_id = dbrow_int(row, base + SC_DOMAIN_ID);
	s->names_version = (uint64_t)dbrow_int(row, base + SC_VERSION);
	if (dom != NULL) {
		s->page_domain_id = dom->type == DBV_NULL ? s->domain_id :
		    dom->i;
		s->page_domain = row;
	}
	if (s->actor.role == ROLE_NONE)
		return 0;
	*s_r = s;
	return 1;
}

/* session_load - look up a live session and refresh its idle timer */
int
session_load(struct ctx *c, const struct config *cfg, const char *token,
    struct session **s_r)
{
	return load(c, cfg, token, SQL_SESSION_GET, NULL, 0, s_r);
}

/* session_load_domain - a live session with the page's domain's row */
int
session_load_domain(struct ctx *c, const struct config *cfg,
    const char *token, int64_t domain_id, struct session **s_r)
{
	struct dbv dom = domain_id > 0 ? DB_INT(domain_id) : DB_NULL;

	return load(c, cfg, token, SQL_SESSION_GET_DOMAIN, &dom,
	    DOMAIN_ROW_NCOLS, s_r);
}

/* session_destroy - end a session server-side */
int
session_destroy(struct ctx *c, const char *token)
{
	unsigned char h[32];

	if (!session_token_ok(token))
		return 0;
	crypto_sha256(h, token, SESSION_TOKEN_LEN);
	{
		struct dbv p[] = { DB_BLOB(h, sizeof(h)) };

		return db_exec(c->db, SQL_SESSION_DELETE, p, NPARAMS(p),
		    NULL, NULL);
	}
}

/* session_select_domain - remember the sidebar's domain */
int
session_select_domain(struct ctx *c, const char *token, int64_t domain_id)
{
	unsigned char h[32];

	if (!session_token_ok(token))
		return -1;
	crypto_sha256(h, token, SESSION_TOKEN_LEN);
	{
		struct dbv p[] = { domain_id > 0 ? DB_INT(domain_id) : DB_NULL,
		    DB_BLOB(h, sizeof(h)) };

		return db_exec(c->db, SQL_SESSION_SET_DOMAIN, p, NPARAMS(p),
		    NULL, NULL);
	}
}

/* session_csrf - HMAC of the token under the configured secret */
void
session_csrf(const struct config *cfg, const char *token,
    char out[SESSION_TOKEN_LEN + 1])
{
	unsigned char key[64], mac[32];
	char msg[5 + SESSION_TOKEN_LEN + 1];
	size_t klen = 0;
	const char *sec = cfg->secret ? cfg->secret : "";

	klen = strlen(sec) / 2;
	if (klen > sizeof(key) || crypto_unhex(key, klen, sec) == -1) {
		/* config_check refuses this at start-up; never sign with junk */
		memset(out, '0', SESSION_TOKEN_LEN);
		out[SESSION_TOKEN_LEN] = '\0';
		return;
	}
	memcpy(msg, "csrf", 5);
	memcpy(msg + 5, token, strlen(token) > SESSION_TOKEN_LEN ?
	    SESSION_TOKEN_LEN : strlen(token));
	if (crypto_hmac_sha256(mac, key, klen, msg, 5 + (strlen(token) >
	    SESSION_TOKEN_LEN ? SESSION_TOKEN_LEN : strlen(token))) == -1) {
		/* no MAC: the all-zero token that session_csrf_ok refuses */
		memset(out, '0', SESSION_TOKEN_LEN);
		out[SESSION_TOKEN_LEN] = '\0';
		return;
	}
	crypto_hex(out, mac, sizeof(mac));
}

/* session_csrf_ok - compare a form's token with the expected one */
int
session_csrf_ok(const struct config *cfg, const char *token,
    const char *form_token)
{
	char want[SESSION_TOKEN_LEN + 1];

	if (!session_token_ok(token) || form_token == NULL)
		return 0;
	session_csrf(cfg, token, want);
	if (strspn(want, "0") == SESSION_TOKEN_LEN)
		return 0;
	return crypto_equal(want, form_token);
}
