/*
 * NAME
 *	db - the only door to MariaDB
 *
 * SYNOPSIS
 *	struct db *db_new(const struct config *cfg);
 *	int db_query(db, pool, STMT, params, nparams, &res);
 *	int db_row(db, pool, STMT, params, nparams, &row);
 *	int db_exec(db, STMT, params, nparams, &affected, &insert_id);
 *
 * DESCRIPTION
 *	Every statement is a prepared statement from sql.h, prepared on first
 *	use and kept for the life of the connection.  Its .def entry declares
 *	its parameters and result columns (SQL for none, SQL_ROWS with their
 *	number); both are checked when it is prepared (mysql_stmt_field_count,
 *	as OpenSMTPD's table-mysql does), and a mismatch is an internal error
 *	(db_err: ERR_INTERNAL), never "try again".  Callers read columns by
 *	the named enum next to each statement's reader.  Parameters are bound,
 *	never spliced.  Results come back as NUL-terminated strings in the
 *	caller's pool (NULL for SQL NULL).
 *
 *	Outside a transaction a lost connection is reopened and the statement
 *	retried once; inside one, the error is returned (the caller rolls back).
 *
 * DIAGNOSTICS
 *	db_query and db_exec return 0 or -1.  db_row returns 1 when a row was
 *	found, 0 when none, -1 on error: an error is never "not found".
 *	db_errno() gives MariaDB's code of the last error (e.g. 1062 duplicate).
 */
#ifndef POSTBUS_DB_H
#define POSTBUS_DB_H

#include <stddef.h>
#include <stdint.h>

#include "sql.h"

struct config;
struct pool;
struct db;

enum dbv_type { DBV_NULL, DBV_INT, DBV_STR };

struct dbv {
	enum dbv_type	 type;
	int64_t		 i;
	const char	*s;
	size_t		 len;
};

#define DB_INT(x)	((struct dbv){ DBV_INT, (int64_t)(x), NULL, 0 })
#define DB_STR(x)	db_str(x)
#define DB_NULL		((struct dbv){ DBV_NULL, 0, NULL, 0 })
/* a limit: SQL NULL for unlimited (-1), see limit.h */
#define DB_LIMIT(x)	((x) < 0 ? DB_NULL : DB_INT(x))
#define DB_BLOB(p, n)	((struct dbv){ DBV_STR, 0, (const char *)(p), (n) })
#define NPARAMS(a)	(sizeof(a) / sizeof((a)[0]))

struct dbrow {
	size_t		 ncols;
	char		**col;		/* NULL for SQL NULL */
	unsigned long	*len;
};

struct dbres {
	size_t		 nrows;
	struct dbrow	*rows;
};

struct dbv	 db_str(const char *s);	/* NULL pointer binds SQL NULL */

struct db	*db_new(const struct config *cfg);
int		 db_connect(struct db *db);
void		 db_free(struct db **dbp);
int		 db_query(struct db *db, struct pool *p, enum sqlstmt s,
		    const struct dbv *params, size_t n, struct dbres **res_r);
int		 db_row(struct db *db, struct pool *p, enum sqlstmt s,
		    const struct dbv *params, size_t n, struct dbrow **row_r);
int		 db_exec(struct db *db, enum sqlstmt s, const struct dbv *params,
		    size_t n, uint64_t *affected_r, uint64_t *insert_id_r);
int		 db_begin(struct db *db);
int		 db_commit(struct db *db);
void		 db_rollback(struct db *db);
int		 db_in_transaction(const struct db *db);
unsigned int	 db_errno(const struct db *db);
/* db_err - fill err for the last failure of db: ERR_INTERNAL when the
 * statement and its .def declaration disagree (a bug, logged at panic
 * level), else ERR_DB; returns -1 */
struct err;
int		 db_err(const struct db *db, struct err *err);
/* db_check - prepare every statement, checking parameter and column
 * counts; the number that fail (0: the binary and the schema agree);
 * *denied_r counts those the account has no right to run */
int		 db_check(struct db *db, int *denied_r);
/* the database accounts of sql_grant.def */
enum db_account {
	GRANT_PANEL,		/* the web panel and postbusctl */
	GRANT_MAIL,		/* Dovecot: passwords, userdb */
	GRANT_POSTFIX,		/* Postfix: routing maps */
	GRANT_QUOTA,		/* Dovecot's quota dict and login writer */
	GRANT__MAX
};

struct db_grantee {
	const char	*user;		/* [A-Za-z0-9_]{1,32} */
	const char	*host;		/* "localhost", "127.0.0.1", ... */
	const char	*password;	/* NULL: the account exists already */
};

/* db_grant - create the accounts that come with a password (or set it),
 * then give each exactly its rules of sql_grant.def and nothing else;
 * run as a database administrator (CREATE USER, GRANT OPTION: root over
 * the socket).  0, or -1 with the reason in errbuf */
int		 db_grant(struct db *db, const struct db_grantee g[GRANT__MAX],
		    char *errbuf, size_t errlen);
/* db_run_script - run a migration file's statements (DDL); admin use only */
int		 db_run_script(struct db *db, const char *text, size_t len,
		    char *errbuf, size_t errlen);
int		 db_migrations_init(struct db *db, char *errbuf, size_t errlen);
const char	*db_sql_text(enum sqlstmt s);
/* db_like_pattern - "%s%" with LIKE's wildcards of s escaped */
char		*db_like_pattern(struct pool *p, const char *s);

/* Column accessors for rows: the value, or a default for NULL/invalid. */
int64_t		 dbrow_int(const struct dbrow *r, size_t i);
const char	*dbrow_str(const struct dbrow *r, size_t i);	/* "" for NULL */
int		 dbrow_isnull(const struct dbrow *r, size_t i);
/* dbrow_limit - a nullable limit column: -1 for NULL (unlimited) */
int64_t		 dbrow_limit(const struct dbrow *r, size_t i);

#define DB_ER_DUP_ENTRY		1062
#define DB_ER_LOCK_DEADLOCK	1213
#define DB_ER_LOCK_WAIT_TIMEOUT	1205

#endif
