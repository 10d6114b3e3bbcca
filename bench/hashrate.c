/*
 * NAME
 *	hashrate - crypt(3) hashes per second, as postbus makes them
 *
 * SYNOPSIS
 *	hashrate [seconds] [threads]
 *
 * DESCRIPTION
 *	Hashes a fixed password with a fresh "$y$" salt at libxcrypt's default
 *	cost (what passwd_hash() in lib/passwd.c asks for) for the given time
 *	(default 5 s) in each of the given threads (default 1), then prints
 *	the hashes per second in total.  Every mailbox creation and password
 *	change through the panel pays one such hash, and every panel login
 *	one verification of the same cost, so this is the ceiling of
 *	creations per second on the machine.
 *
 *	cc -O2 -o hashrate bench/hashrate.c -lcrypt -lpthread
 */
#include <crypt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds = 5;

/* now - monotonic seconds */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* hash_loop - hash until the time is up; the count */
static void *
hash_loop(void *arg)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	unsigned long *n = arg;
	double end = now() + seconds;

	if (cd == NULL)
		return NULL;
	while (now() < end) {
		if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) ==
		    NULL || crypt_r("Kv8wPz3qLm9", salt, cd) == NULL ||
		    cd->output[0] == '*') {
			fprintf(stderr, "hashrate: crypt failed\n");
			exit(1);
		}
		(*n)++;
	}
	free(cd);
	return NULL;
}

int
main(int argc, char *argv[])
{
	int threads = 1, i;
	pthread_t *t;
	unsigned long *n, total = 0;
	double start;

	if (argc > 1)
		seconds = strtod(argv[1], NULL);
	if (argc > 2)
		threads = atoi(argv[2]);
	if (seconds <= 0 || threads < 1 || threads > 256) {
		fprintf(stderr, "usage: hashrate [seconds] [threads]\n");
		return 2;
	}
	t = calloc((size_t)threads, sizeof(*t));
	n = calloc((size_t)threads, sizeof(*n));
	if (t == NULL || n == NULL)
		return 1;
	start = now();
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, hash_loop, &n[i]);
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		total += n[i];
	}
	printf("%lu yescrypt hashes in %.1f s with %d thread(s): %.1f/s\n",
	    total, now() - start, threads, total / (now() - start));
	return 0;
}
