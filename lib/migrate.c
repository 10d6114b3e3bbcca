/*
 * NAME
 *	migrate - apply schema/NNN_name.sql files once each, in order
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "migrate.h"
#include "pool.h"

#define MAX_MIGRATIONS	1000


/* cmp - sort file names */
static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* version_of - the NNN of "NNN_name.sql", or -1 */
static int
version_of(const char *name)
{
	size_t n = strlen(name);
	int v = 0, i;

	if (n < 9 || strcmp(name + n - 4, ".sql") != 0)
		return -1;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)name[i]))
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return name[3] == '_' ? v : -1;
}

/* slurp - read a whole file into the pool */
static char *
slurp(struct pool *p, const char *path, size_t *len_r)
{
	FILE *f;
	char *s;
	long n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1) {
		fclose(f);
		return NULL;
	}
	s = pool_alloc(p, (size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return NULL;
	}
	s[n] = '\0';
	fclose(f);
	*len_r = (size_t)n;
	return s;
}

/* migrate_run - apply what has not been applied */
int
migrate_run(struct db *db, struct pool *p, const char *dir,
    void (*report)(const char *), char *errbuf, size_t errlen)
{
	DIR *d;
	struct dirent *de;
	char *names[MAX_MIGRATIONS];
	unsigned char done[MAX_MIGRATIONS];
	size_t n = 0, i, len;
	struct dbres *res;
	int applied = 0, v;
	char *text, *path;

	if (db_migrations_init(db, errbuf, errlen) == -1)
		return -1;
	if (db_query(db, p, SQL_MIGRATION_LIST, NULL, 0, &res) == -1) {
		snprintf(errbuf, errlen, "cannot read schema_migrations");
		return -1;
	}
	memset(done, 0, sizeof(done));
	for (i = 0; i < res->nrows; i++) {
		long long x = dbrow_int(&res->rows[i], 0);

		if (x >= 0 && x < MAX_MIGRATIONS)
			done[x] = 1;
	}
	if ((d = opendir(dir)) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL && n < MAX_MIGRATIONS)
		if (version_of(de->d_name) >= 0)
			names[n++] = pool_strdup(p, de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	for (i = 0; i < n; i++) {
		v = version_of(names[i]);
		if (done[v])
			continue;
		path = pool_printf(p, "%s/%s", dir, names[i]);
		if ((text = slurp(p, path, &len)) == NULL) {
			snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		if (db_run_script(db, text, len, errbuf, errlen) == -1) {
			char tmp[512];

			snprintf(tmp, sizeof(tmp), "%s: %s", names[i], errbuf);
			snprintf(errbuf, errlen, "%s", tmp);
			return -1;
		}
		{
			struct dbv pa[] = { DB_INT(v), DB_STR(names[i]) };

			if (db_exec(db, SQL_MIGRATION_ADD, pa, 2, NULL, NULL) == -1) {
				snprintf(errbuf, errlen, "%s: cannot record", names[i]);
				return -1;
			}
		}
		done[v] = 1;
		applied++;
		if (report != NULL)
			report(names[i]);
	}
	return applied;
}
