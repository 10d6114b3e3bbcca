/*
 * NAME
 *	sql - the names of every SQL statement postbus runs
 *
 * DESCRIPTION
 *	The statements themselves are in the sql_*.def files, one per lib/
 *	module (sql_all.def lists them), as SQL(NAME, "text with ?
 *	placeholders", nparams) for a statement without a result, or
 *	SQL_ROWS(NAME, "text", nparams, ncols) for one that returns ncols
 *	columns.  Only lib/db.c
 *	turns them into prepared statements.  No SQL text is ever built at
 *	run time.
 */
#ifndef POSTBUS_SQL_H
#define POSTBUS_SQL_H

enum sqlstmt {
#define SQL(name, text, nparams)	name,
#define SQL_ROWS(name, text, nparams, ncols) name,
#include "sql_all.def"
#undef SQL
#undef SQL_ROWS
	SQL__MAX
};

/* name_NCOLS: the result columns a statement declares, for the readers'
 * static checks against their column enums */
enum sqlcols {
#define SQL(name, text, nparams)
#define SQL_ROWS(name, text, nparams, ncols) name##_NCOLS = ncols,
#include "sql_all.def"
#undef SQL
#undef SQL_ROWS
	SQL_NCOLS__UNUSED
};

/* SQL_COLS_ARE - at compile time, that a statement declares n columns:
 * next to the enum its reader names the columns by */
#define SQL_COLS_ARE(stmt, n) _Static_assert((int)stmt##_NCOLS == (int)(n), \
	#stmt " and its column enum disagree")

#endif
