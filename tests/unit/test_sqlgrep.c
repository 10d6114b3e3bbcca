/*
 * test_sqlgrep - SQL lives only in lib/db.c and the lib/sql_*.def files,
 * and only lib/db.c includes <mysql.h>.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

static const char *const dirs[] = { "lib", "cgi-bin", "bin" };
static const char *const words[] = { "SELECT ", "INSERT INTO", "UPDATE ",
    "DELETE FROM", "DROP ", "CREATE TABLE", "ALTER TABLE" };

/* scan - count SQL keywords in string literals of one file */
static int
scan(const char *path, int *mysql_h)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int hits = 0, n = 0;
	size_t i;

	*mysql_h = 0;
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strstr(line, "<mysql.h>") != NULL)
			*mysql_h = 1;
		if (strchr(line, '"') == NULL)
			continue;
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strstr(line, words[i]) != NULL) {
				fprintf(stderr, "  %s:%d: %s", path, n, line);
				hits++;
			}
	}
	fclose(f);
	return hits;
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	DIR *d;
	struct dirent *de;
	size_t i, n;
	int hits = 0, mysql_h, seen = 0, bad_include = 0;

	if (top == NULL)
		top = ".";
	test_begin("no SQL text outside lib/db.c and lib/sql_*.def");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", top, dirs[i]);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			n = strlen(de->d_name);
			if (n < 3 || strcmp(de->d_name + n - 2, ".c") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", top, dirs[i],
			    de->d_name);
			seen++;
			if (strcmp(dirs[i], "lib") == 0 &&
			    strcmp(de->d_name, "db.c") == 0) {
				continue;
			}
			hits += scan(path, &mysql_h);
			if (mysql_h) {
				fprintf(stderr, "  %s includes <mysql.h>\n", path);
				bad_include++;
			}
		}
		closedir(d);
	}
	test_assert(seen > 10);
	test_assert(hits == 0);
	test_end();
	test_begin("only lib/db.c includes <mysql.h>");
	test_assert(bad_include == 0);
	test_end();
	return test_done();
}
