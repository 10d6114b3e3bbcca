/*
 * NAME
 *	migrate - apply schema/NNN_name.sql files once each, in order
 *
 * DESCRIPTION
 *	Applied versions are recorded in schema_migrations.  Needs a database
 *	account that may run DDL (not the panel's).  Reports each applied file
 *	through the callback.  Returns the number applied, or -1.
 */
#ifndef POSTBUS_MIGRATE_H
#define POSTBUS_MIGRATE_H

#include <stddef.h>

struct db;
struct pool;

int	migrate_run(struct db *db, struct pool *p, const char *schema_dir,
	    void (*report)(const char *file), char *errbuf, size_t errlen);

#endif
