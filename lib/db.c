/*
 * NAME
 *	db - the only door to MariaDB
 *
 * DESCRIPTION
 *	This is the one file that includes <mysql.h>.  The statement texts come
 *	from the sql_*.def files through the SQL() macro; each is prepared on
 *	first use, its parameter count checked against the .def file, and kept
 *	until the connection is lost.  Result columns are all fetched as
 *	strings with buffers sized from the stored result's max_length.
 *
 *	Memory: struct db and the statement handles are malloc'ed for the life
 *	of the process; results are in the caller's pool.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "pool.h"
#include "postbus.h"

struct sqldef {
	const char	*name;
	const char	*text;
	unsigned int	 nparams;
	unsigned int	 ncols;		/* result columns, 0 for none */
};

static const struct sqldef sqls[SQL__MAX] = {
#define SQL(name, text, nparams)	{ #name, text, nparams, 0 },
#define SQL_ROWS(name, text, nparams, ncols) { #name, text, nparams, ncols },
#include "sql_all.def"
#undef SQL
#undef SQL_ROWS
};

struct db {
	const struct config	*cfg;
	MYSQL			*my;
	MYSQL_STMT		*stmt[SQL__MAX];
	int			 in_tx;
	unsigned int		 last_errno;
	int			 internal;	/* the last failure was a bug */
};

/* db_sql_text - the text of a statement, for tests and EXPLAIN */
const char *
db_sql_text(enum sqlstmt s)
{
	return s < SQL__MAX ? sqls[s].text : NULL;
}

/* db_str - bind a C string, or SQL NULL for a NULL pointer */
struct dbv
db_str(const char *s)
{
	struct dbv v = { DBV_NULL, 0, NULL, 0 };

	if (s != NULL) {
		v.type = DBV_STR;
		v.s = s;
		v.len = strlen(s);
	}
	return v;
}

/* db_new - a handle, not yet connected */
struct db *
db_new(const struct config *cfg)
{
	struct db *db = calloc(1, sizeof(*db));

	if (db == NULL)
		log_fatal("calloc");
	db->cfg = cfg;
	return db;
}

/* db_disconnect - drop statements and the connection */
static void
db_disconnect(struct db *db)
{
	int i;

	for (i = 0; i < SQL__MAX; i++)
		if (db->stmt[i] != NULL) {
			mysql_stmt_close(db->stmt[i]);
			db->stmt[i] = NULL;
		}
	if (db->my != NULL) {
		mysql_close(db->my);
		db->my = NULL;
	}
	db->in_tx = 0;
}

/* db_connect - (re)open the connection; 0 or -1 */
int
db_connect(struct db *db)
{
	const struct config *c = db->cfg;
	unsigned int timeout = 5;
	my_bool off = 0;

	db_disconnect(db);
	if ((db->my = mysql_init(NULL)) == NULL) {
		log_warnx("mysql_init failed");
		return -1;
	}
	mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db->my, MYSQL_OPT_RECONNECT, &off);
	mysql_options(db->my, MYSQL_INIT_COMMAND,
	    "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,"
	    "NO_ENGINE_SUBSTITUTION', time_zone='+00:00'");
	if (c->db_socket == NULL && c->db_tls_ca != NULL) {
		/* over the network: TLS, and the server's certificate must be
		 * the one the CA signed for the name we connect to */
		my_bool on = 1;

		mysql_options(db->my, MYSQL_OPT_SSL_CA, c->db_tls_ca);
		mysql_options(db->my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
	}
	if (mysql_real_connect(db->my, c->db_socket ? NULL : c->db_host,
	    c->db_user, c->db_password, c->db_name,
	    c->db_socket ? 0 : c->db_port, c->db_socket, 0) == NULL) {
		db->last_errno = mysql_errno(db->my);
		log_warnx("database connect (%s): %s",
		    c->db_socket ? c->db_socket : (c->db_host ? c->db_host : "-"),
		    mysql_error(db->my));
		mysql_close(db->my);
		db->my = NULL;
		return -1;
	}
	return 0;
}

/* db_free - close and free the handle */
void
db_free(struct db **dbp)
{
	if (*dbp == NULL)
		return;
	db_disconnect(*dbp);
	free(*dbp);
	*dbp = NULL;
}

/* lost - whether an error code means the connection is gone */
static int
lost(unsigned int e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	    e == CR_CONNECTION_ERROR || e == ER_CONNECTION_KILLED;
}

/* prepare - the prepared statement for s, preparing it if needed */
static MYSQL_STMT *
prepare(struct db *db, enum sqlstmt s)
{
	MYSQL_STMT *st;
	my_bool on = 1;

	if (db->stmt[s] != NULL)
		return db->stmt[s];
	if (db->my == NULL && db_connect(db) == -1)
		return NULL;
	if ((st = mysql_stmt_init(db->my)) == NULL) {
		log_warnx("mysql_stmt_init: %s", mysql_error(db->my));
		return NULL;
	}
	if (mysql_stmt_prepare(st, sqls[s].text, strlen(sqls[s].text)) != 0) {
		db->last_errno = mysql_stmt_errno(st);
		log_warnx("prepare %s: %s", sqls[s].name,
		    mysql_stmt_error(st));
		mysql_stmt_close(st);
		return NULL;
	}
	if (mysql_stmt_param_count(st) != sqls[s].nparams ||
	    mysql_stmt_field_count(st) != sqls[s].ncols) {
		/* the .def file and the text (or the schema) disagree: a bug,
		 * never "try again" */
		log_panic("%s: %lu parameters and %u result columns; the .def "
		    "file declares %u and %u", sqls[s].name,
		    mysql_stmt_param_count(st), mysql_stmt_field_count(st),
		    sqls[s].nparams, sqls[s].ncols);
		db->internal = 1;
		mysql_stmt_close(st);
		return NULL;
	}
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	db->stmt[s] = st;
	return st;
}

/* bind_params - bind params to st */
static int
bind_params(MYSQL_STMT *st, const struct dbv *params, size_t n,
    MYSQL_BIND *b, long long *ints, unsigned long *lens)
{
	size_t i;

	memset(b, 0, sizeof(*b) * (n ? n : 1));
	for (i = 0; i < n; i++) {
		switch (params[i].type) {
		case DBV_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case DBV_INT:
			ints[i] = params[i].i;
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = &ints[i];
			break;
		case DBV_STR:
			lens[i] = params[i].len;
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)params[i].s;
			b[i].buffer_length = params[i].len;
			b[i].length = &lens[i];
			break;
		}
	}
	return n ? (mysql_stmt_bind_param(st, b) ? -1 : 0) : 0;
}

/* run - prepare, bind and execute s; the statement on success */
static MYSQL_STMT *
run(struct db *db, enum sqlstmt s, const struct dbv *params, size_t n)
{
	MYSQL_STMT *st;
	MYSQL_BIND b[32];
	long long ints[32];
	unsigned long lens[32];
	int attempt;
	unsigned int e;

	db->internal = 0;
	if (s >= SQL__MAX || n > 32 || n != sqls[s].nparams) {
		log_panic("statement %d called with %zu parameters", (int)s, n);
		db->last_errno = 0;
		db->internal = 1;
		return NULL;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		if ((st = prepare(db, s)) == NULL) {
			if (db->my != NULL && !lost(db->last_errno))
				return NULL;
			if (db->in_tx || attempt > 0)
				return NULL;
			if (db_connect(db) == -1)
				return NULL;
			continue;
		}
		if (bind_params(st, params, n, b, ints, lens) == -1) {
			db->last_errno = mysql_stmt_errno(st);
			log_warnx("bind statement %d: %s", (int)s,
			    mysql_stmt_error(st));
			return NULL;
		}
		if (mysql_stmt_execute(st) == 0)
			return st;
		e = db->last_errno = mysql_stmt_errno(st);
		if (!lost(e) || db->in_tx || attempt > 0) {
			if (e != ER_DUP_ENTRY && e != ER_LOCK_DEADLOCK)
				log_warnx("statement %d: %s", (int)s,
				    mysql_stmt_error(st));
			if (lost(e))
				db_disconnect(db);
			return NULL;
		}
		log_warnx("database connection lost (%s); reconnecting",
		    mysql_stmt_error(st));
		if (db_connect(db) == -1)
			return NULL;
	}
	return NULL;
}

/* db_query - run s and fetch all rows into the pool */
int
db_query(struct db *db, struct pool *p, enum sqlstmt s,
    const struct dbv *params, size_t n, struct dbres **res_r)
{
	MYSQL_STMT *st;
	MYSQL_RES *meta;
	MYSQL_FIELD *fields;
	MYSQL_BIND *ob;
	struct dbres *res;
	my_bool *nulls;
	unsigned long *lens;
	char **bufs;
	size_t ncols, i, r;
	int rc;

	*res_r = NULL;
	if ((st = run(db, s, params, n)) == NULL)
		return -1;
	if ((meta = mysql_stmt_result_metadata(st)) == NULL) {
		log_panic("%s returns no result set", sqls[s].name);
		db->internal = 1;
		return -1;
	}
	if (mysql_stmt_store_result(st) != 0) {
		db->last_errno = mysql_stmt_errno(st);
		log_warnx("store result %d: %s", (int)s, mysql_stmt_error(st));
		mysql_free_result(meta);
		return -1;
	}
	ncols = mysql_num_fields(meta);
	fields = mysql_fetch_fields(meta);
	ob = pool_zalloc(p, sizeof(*ob) * ncols);
	nulls = pool_zalloc(p, sizeof(*nulls) * ncols);
	lens = pool_zalloc(p, sizeof(*lens) * ncols);
	bufs = pool_zalloc(p, sizeof(*bufs) * ncols);
	for (i = 0; i < ncols; i++) {
		unsigned long cap = fields[i].max_length + 1;

		if (cap < 32)
			cap = 32;
		bufs[i] = pool_alloc(p, cap);
		ob[i].buffer_type = MYSQL_TYPE_STRING;
		ob[i].buffer = bufs[i];
		ob[i].buffer_length = cap;
		ob[i].length = &lens[i];
		ob[i].is_null = &nulls[i];
	}
	mysql_free_result(meta);
	if (ncols > 0 && mysql_stmt_bind_result(st, ob) != 0) {
		log_warnx("bind result %d: %s", (int)s, mysql_stmt_error(st));
		mysql_stmt_free_result(st);
		return -1;
	}
	res = pool_zalloc(p, sizeof(*res));
	res->nrows = mysql_stmt_num_rows(st);
	res->rows = pool_zalloc(p, sizeof(*res->rows) * (res->nrows + 1));
	for (r = 0; r < res->nrows; r++) {
		rc = mysql_stmt_fetch(st);
		if (rc == MYSQL_NO_DATA)
			break;
		if (rc == 1) {
			log_warnx("fetch %d: %s", (int)s, mysql_stmt_error(st));
			mysql_stmt_free_result(st);
			return -1;
		}
		/* MYSQL_DATA_TRUNCATED cannot happen: buffers hold max_length */
		res->rows[r].ncols = ncols;
		res->rows[r].col = pool_zalloc(p, sizeof(char *) * ncols);
		res->rows[r].len = pool_zalloc(p, sizeof(unsigned long) * ncols);
		for (i = 0; i < ncols; i++) {
			if (nulls[i])
				continue;
			res->rows[r].col[i] = pool_strndup(p, bufs[i], lens[i]);
			res->rows[r].len[i] = lens[i];
		}
	}
	res->nrows = r;
	mysql_stmt_free_result(st);
	*res_r = res;
	return 0;
}

/* db_row - the first row of s: 1 found, 0 none, -1 error */
int
db_row(struct db *db, struct pool *p, enum sqlstmt s,
    const struct dbv *params, size_t n, struct dbrow **row_r)
{
	struct dbres *res;

	*row_r = NULL;
	if (db_query(db, p, s, params, n, &res) == -1)
		return -1;
	if (res->nrows == 0)
		return 0;
	*row_r = &res->rows[0];
	return 1;
}

/* db_exec - run a statement that returns no rows */
int
db_exec(struct db *db, enum sqlstmt s, const struct dbv *params, size_t n,
    uint64_t *affected_r, uint64_t *insert_id_r)
{
	MYSQL_STMT *st;

	if ((st = run(db, s, params, n)) == NULL)
		return -1;
	if (affected_r != NULL)
		*affected_r = mysql_stmt_affected_rows(st);
	if (insert_id_r != NULL)
		*insert_id_r = mysql_stmt_insert_id(st);
	return 0;
}

/* simple - run a fixed statement without parameters or results */
static int
simple(struct db *db, const char *q)
{
	if (db->my == NULL && db_connect(db) == -1)
		return -1;
	if (mysql_query(db->my, q) != 0) {
		db->last_errno = mysql_errno(db->my);
		if (lost(db->last_errno) && !db->in_tx) {
			if (db_connect(db) == 0 && mysql_query(db->my, q) == 0)
				return 0;
		}
		log_warnx("%s: %s", q, db->my ? mysql_error(db->my) : "no connection");
		if (db->my != NULL && lost(mysql_errno(db->my)))
			db_disconnect(db);
		return -1;
	}
	return 0;
}

/* db_begin - start a transaction */
int
db_begin(struct db *db)
{
	if (simple(db, "START TRANSACTION") == -1)
		return -1;
	db->in_tx = 1;
	return 0;
}

/* db_commit - commit the transaction */
int
db_commit(struct db *db)
{
	int rc = simple(db, "COMMIT");

	db->in_tx = 0;
	return rc;
}

/* db_rollback - abandon the transaction */
void
db_rollback(struct db *db)
{
	if (db->my != NULL && db->in_tx)
		(void)mysql_query(db->my, "ROLLBACK");
	db->in_tx = 0;
}

/* db_in_transaction - whether a transaction is open */
int
db_in_transaction(const struct db *db)
{
	return db->in_tx;
}

/* db_err - fill err for the last failure: a bug (ERR_INTERNAL, already
 * logged at panic level) or the database (ERR_DB, try again) */
int
db_err(const struct db *db, struct err *err)
{
	if (db->internal)
		return err_set(err, ERR_INTERNAL, NULL,
		    _("Something went wrong on our side. It has been logged."));
	return err_db(err);
}

/* db_check - prepare every statement once: their parameters and result
 * columns against the .def files and the schema; the number that fail.
 * Those the account may not run (the panel's account cannot write the
 * migrations table) are counted in *denied_r, not as failures. */
int
db_check(struct db *db, int *denied_r)
{
	int i, bad = 0;

	*denied_r = 0;
	for (i = 0; i < SQL__MAX; i++) {
		if (prepare(db, (enum sqlstmt)i) != NULL)
			continue;
		if (!db->internal && (db->last_errno == ER_TABLEACCESS_DENIED_ERROR ||
		    db->last_errno == ER_COLUMNACCESS_DENIED_ERROR)) {
			(*denied_r)++;
			continue;
		}
		log_warnx("statement %s does not prepare", sqls[i].name);
		bad++;
	}
	return bad;
}

/* db_errno - MariaDB's code for the last error */
unsigned int
db_errno(const struct db *db)
{
	return db->last_errno;
}

/* db_run_script - run a migration's statements, separated by ";\n" */
int
db_run_script(struct db *db, const char *text, size_t len, char *errbuf,
    size_t errlen)
{
	if (db->my == NULL && db_connect(db) == -1) {
		snprintf(errbuf, errlen, "cannot connect to the database");
		return -1;
	}
	if (mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_ON)) {
		snprintf(errbuf, errlen, "%s", mysql_error(db->my));
		return -1;
	}
	if (mysql_real_query(db->my, text, len) != 0)
		goto fail;
	for (;;) {
		MYSQL_RES *r = mysql_store_result(db->my);
		int more;

		if (r != NULL)
			mysql_free_result(r);
		else if (mysql_field_count(db->my) != 0)
			goto fail;
		more = mysql_next_result(db->my);
		if (more == -1)
			break;
		if (more > 0)
			goto fail;
	}
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return 0;
fail:
	db->last_errno = mysql_errno(db->my);
	snprintf(errbuf, errlen, "%s", mysql_error(db->my));
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return -1;
}

/* ident_ok - an identifier or host made only of safe characters: these
 * are spliced into account statements, which take no placeholders */
static int
ident_ok(const char *s, const char *extra, size_t max)
{
	size_t n = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++, n++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '_' &&
		    strchr(extra, *s) == NULL)
			return 0;
	return n <= max;
}

struct grant_rule {
	enum db_account	 account;
	const char	*table;
	const char	*privileges;
};

static const struct grant_rule grant_rules[] = {
#define GRANT_RULE(account, table, privileges)	{ account, table, privileges },
#include "sql_grant.def"
#undef GRANT_RULE
};

/* grant_run - one account statement; 0 or -1 with errbuf */
static int
grant_run(struct db *db, const char *q, char *errbuf, size_t errlen)
{
	if (mysql_query(db->my, q) == 0)
		return 0;
	snprintf(errbuf, errlen, "%s: %s", q, mysql_error(db->my));
	return -1;
}

/* db_grant - the accounts and exactly their grants */
int
db_grant(struct db *db, const struct db_grantee g[GRANT__MAX], char *errbuf,
    size_t errlen)
{
	const char *dbname = db->cfg->db_name;
	char q[1024], hash[42], **tables = NULL;
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t ntables = 0, i, r;
	int a, rc = -1;

	if (db->my == NULL && db_connect(db) == -1) {
		snprintf(errbuf, errlen, "cannot connect to the database");
		return -1;
	}
	if (!ident_ok(dbname, "", 64)) {
		snprintf(errbuf, errlen, "db_name: not a plain name");
		return -1;
	}
	for (a = 0; a < GRANT__MAX; a++)
		if (!ident_ok(g[a].user, "", 32) || !ident_ok(g[a].host, ".-%:", 60)) {
			snprintf(errbuf, errlen, "account %d: not a plain user@host",
			    a);
			return -1;
		}
	/* views too (sieve_vacation): a rule may name one; "*" never does */
	if (mysql_query(db->my, "SELECT IF(table_type = 'VIEW', CONCAT('=', "
	    "table_name), table_name) FROM information_schema.tables WHERE "
	    "table_schema = DATABASE()") != 0 ||
	    (res = mysql_store_result(db->my)) == NULL) {
		snprintf(errbuf, errlen, "tables: %s", mysql_error(db->my));
		return -1;
	}
	tables = calloc(mysql_num_rows(res) + 1, sizeof(*tables));
	while (tables != NULL && (row = mysql_fetch_row(res)) != NULL)
		if (row[0] != NULL && ident_ok(row[0][0] == '=' ? row[0] + 1 :
		    row[0], "", 64))
			tables[ntables++] = strdup(row[0]);
	mysql_free_result(res);
	if (tables == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	for (a = 0; a < GRANT__MAX; a++) {
		if (g[a].password != NULL) {
			crypto_mysql_native(hash, g[a].password);
			snprintf(q, sizeof(q), "CREATE USER IF NOT EXISTS '%s'@'%s' "
			    "IDENTIFIED BY PASSWORD '%s'", g[a].user, g[a].host, hash);
			if (grant_run(db, q, errbuf, errlen) == -1)
				goto done;
			snprintf(q, sizeof(q), "ALTER USER '%s'@'%s' IDENTIFIED BY "
			    "PASSWORD '%s'", g[a].user, g[a].host, hash);
			if (grant_run(db, q, errbuf, errlen) == -1)
				goto done;
		}
		snprintf(q, sizeof(q), "REVOKE ALL PRIVILEGES, GRANT OPTION FROM "
		    "'%s'@'%s'", g[a].user, g[a].host);
		if (grant_run(db, q, errbuf, errlen) == -1)
			goto done;
		for (r = 0; r < sizeof(grant_rules) / sizeof(grant_rules[0]); r++) {
			const struct grant_rule *gr = &grant_rules[r];

			if (gr->account != (enum db_account)a)
				continue;
			for (i = 0; i < ntables; i++) {
				size_t k;

				const char *t = tables[i][0] == '=' ? tables[i] + 1 :
				    tables[i];

				if (strcmp(gr->table, "*") == 0 ? t != tables[i] :
				    strcmp(gr->table, t) != 0)
					continue;
				/* "*": the tables without a rule of their own */
				for (k = 0; strcmp(gr->table, "*") == 0 &&
				    k < sizeof(grant_rules) / sizeof(grant_rules[0]); k++)
					if (grant_rules[k].account == gr->account &&
					    strcmp(grant_rules[k].table, t) == 0)
						break;
				if (strcmp(gr->table, "*") == 0 &&
				    k < sizeof(grant_rules) / sizeof(grant_rules[0]))
					continue;
				snprintf(q, sizeof(q), "GRANT %s ON `%s`.`%s` TO "
				    "'%s'@'%s'", gr->privileges, dbname, t,
				    g[a].user, g[a].host);
				if (grant_run(db, q, errbuf, errlen) == -1)
					goto done;
			}
		}
	}
	rc = 0;
done:
	explicit_bzero(hash, sizeof(hash));
	for (i = 0; i < ntables; i++)
		free(tables[i]);
	free(tables);
	return rc;
}

/* db_migrations_init - the table that records applied migrations */
int
db_migrations_init(struct db *db, char *errbuf, size_t errlen)
{
	static const char q[] =
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INT UNSIGNED NOT NULL PRIMARY KEY,"
	    " name VARCHAR(200) NOT NULL,"
	    " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
	    ") ENGINE=InnoDB";

	return db_run_script(db, q, sizeof(q) - 1, errbuf, errlen);
}

/* dbrow_int - column i as an integer, 0 for NULL */
int64_t
dbrow_int(const struct dbrow *r, size_t i)
{
	if (r == NULL || i >= r->ncols || r->col[i] == NULL)
		return 0;
	return strtoll(r->col[i], NULL, 10);
}

/* dbrow_str - column i as a string, "" for NULL */
const char *
dbrow_str(const struct dbrow *r, size_t i)
{
	if (r == NULL || i >= r->ncols || r->col[i] == NULL)
		return "";
	return r->col[i];
}

/* dbrow_isnull - whether column i is NULL */
int
dbrow_isnull(const struct dbrow *r, size_t i)
{
	return r == NULL || i >= r->ncols || r->col[i] == NULL;
}

/* dbrow_limit - a nullable limit column: -1 (unlimited) for NULL */
int64_t
dbrow_limit(const struct dbrow *r, size_t i)
{
	return dbrow_isnull(r, i) ? -1 : dbrow_int(r, i);
}

/* db_like_pattern - %s% for LIKE, with LIKE's wildcards in s escaped, so
 * that what is typed is looked for literally */
char *
db_like_pattern(struct pool *p, const char *s)
{
	struct buf b;

	buf_init(&b, p, strlen(s) * 2 + 3);
	buf_putc(&b, '%');
	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '%');
	return b.data;
}
