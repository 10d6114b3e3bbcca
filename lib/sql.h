/*
 * NAME
 *	sql - the names of every SQL statement postbus runs
 *
 * DESCRIPTION
 *	The statements themselves are in the sql_*.def files, one per area,
 *	as SQL(NAME, "text with ? placeholders", nparams).  Only lib/db.c
 *	turns them into prepared statements.  No SQL text is ever built at
 *	run time.
 */
#ifndef POSTBUS_SQL_H
#define POSTBUS_SQL_H

enum sqlstmt {
#define SQL(name, text, nparams)	name,
#include "sql_core.def"
#include "sql_domain.def"
#include "sql_mail.def"
#include "sql_vacation.def"
#undef SQL
	SQL__MAX
};

#endif
