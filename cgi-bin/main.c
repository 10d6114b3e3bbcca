/*
 * NAME
 *	postbus.fcgi - the panel's FastCGI application
 *
 * SYNOPSIS
 *	postbus.fcgi [-f] -c postbus.conf
 *
 * DESCRIPTION
 *	The master opens the listening unix socket (cfg socket), gives it to
 *	the web server's group, drops to cfg run_user, and forks cfg workers
 *	worker processes.  A worker that dies is replaced; only the request it
 *	was serving is lost.  SIGTERM to the master stops the workers (each
 *	finishes the request in hand) and then the master.
 *
 *	Each worker has its own database connection, its templates and config
 *	in a start-up pool, and one request pool that is cleared after every
 *	request.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <grp.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

struct app app;

static volatile sig_atomic_t stopping;
static volatile sig_atomic_t busy;
static volatile sig_atomic_t child_exited;

/* on_term_worker - finish the request in hand, or leave now if idle */
static void
on_term_worker(int sig)
{
	(void)sig;
	stopping = 1;
	if (!busy)
		_exit(0);
}

/* on_term_master - stop spawning and stop the workers */
static void
on_term_master(int sig)
{
	(void)sig;
	stopping = 1;
}

/* on_chld - note that a worker exited */
static void
on_chld(int sig)
{
	(void)sig;
	child_exited = 1;
}

/* read_body - the request body, at most HTTP_MAX_BODY bytes */
static int
read_body(FCGX_Request *fr, struct req *r, char **body_r, size_t *len_r)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	unsigned long long n = 0;
	char *end, *body;
	int got;

	*body_r = NULL;
	*len_r = 0;
	if (cl == NULL || *cl == '\0')
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' || *cl == '-')
		return -1;
	if (n > HTTP_MAX_BODY)
		return -2;
	body = pool_alloc(r->pool, (size_t)n + 1);
	got = FCGX_GetStr(body, (int)n, fr->in);
	if (got < 0 || (unsigned long long)got != n)
		return -1;
	body[n] = '\0';
	*body_r = body;
	*len_r = (size_t)n;
	return 0;
}

/* respond - write status, headers and body */
static void
respond(FCGX_Request *fr, struct req *r)
{
	struct buf h;

	/* libfcgi's own printf lacks %zu and friends: format here */
	buf_init(&h, r->pool, 1024);
	buf_printf(&h, "Status: %d %s\r\n", r->status,
	    http_status_text(r->status));
	buf_printf(&h, "Content-Type: %s\r\n",
	    r->content_type ? r->content_type : "text/html; charset=utf-8");
	buf_puts(&h, "Content-Security-Policy: default-src 'none'; "
	    "style-src 'self'; img-src 'self'; script-src 'self'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: same-origin\r\n"
	    "Strict-Transport-Security: max-age=31536000\r\n"
	    "Cache-Control: no-store\r\n");
	buf_add(&h, r->headers.data, r->headers.len);
	buf_printf(&h, "Content-Length: %zu\r\n\r\n", r->body.len);
	FCGX_PutStr(h.data, (int)h.len, fr->out);
	if (strcmp(r->method, "HEAD") != 0)
		FCGX_PutStr(r->body.data, (int)r->body.len, fr->out);
}

/* Request ids tie a request's log lines together: a random half drawn
 * when the worker starts and a count, unique without asking the random
 * generator at every request. */
static unsigned int reqid_base, reqid_count;

/* serve - one request, from parse to response */
static void
serve(FCGX_Request *fr, struct pool *p)
{
	struct req *r = pool_zalloc(p, sizeof(*r));
	const char *qs, *ct, *why = NULL, *uri;
	char *body;
	size_t blen;
	int rc;

	r->pool = p;
	snprintf(r->reqid, sizeof(r->reqid), "%08x%08x", reqid_base,
	    ++reqid_count);
	r->method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	r->client = FCGX_GetParam("REMOTE_ADDR", fr->envp);
	uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);
	if (uri == NULL)
		uri = FCGX_GetParam("SCRIPT_NAME", fr->envp);
	r->method = r->method ? r->method : "GET";
	r->client = r->client ? pool_strdup(p, r->client) : "-";
	r->path = uri ? pool_strdup(p, uri) : "/";
	r->status = 200;
	buf_init(&r->headers, p, 256);
	buf_init(&r->body, p, 16384);
	log_context(r->reqid, r->client, "-");

	qs = FCGX_GetParam("QUERY_STRING", fr->envp);
	if (qs != NULL && strlen(qs) > 8192)
		why = N_("The address is too long.");
	else if (http_parse_urlencoded(p, qs, qs ? strlen(qs) : 0, &r->query,
	    &why) == 0)
		why = NULL;
	http_parse_cookies(p, FCGX_GetParam("HTTP_COOKIE", fr->envp),
	    &r->cookies);
	r->is_post = strcmp(r->method, "POST") == 0;
	if (why == NULL && r->is_post) {
		ct = FCGX_GetParam("CONTENT_TYPE", fr->envp);
		rc = read_body(fr, r, &body, &blen);
		if (rc == -2) {
			r->status = 413;
			why = N_("The form sent is too large.");
		} else if (rc == -1)
			why = N_("The request body could not be read.");
		else if (blen > 0 && (ct == NULL || strncmp(ct,
		    "application/x-www-form-urlencoded", 33) != 0)) {
			r->raw_body = body;	/* dispatch: R_RAWBODY only */
			r->raw_len = blen;
		} else if (http_parse_urlencoded(p, body, blen, &r->form, &why) == 0)
			why = NULL;
	}
	if (why != NULL) {
		page_error(r, r->status == 413 ? 413 : 400, _(why));
		log_info("%s %s: %d %s", r->method, r->path, r->status, why);
	} else
		dispatch(r);
	respond(fr, r);
	/* nginx keeps the access log; here only what went wrong */
	if (r->status >= 400)
		log_info("%s %s %d", r->method, r->path, r->status);
	log_context(NULL, NULL, NULL);
}

/* worker - accept and serve requests until told to stop */
static void
worker(int sock)
{
	FCGX_Request fr;
	struct pool *p;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term_worker;
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if (crypto_random(&reqid_base, sizeof(reqid_base)) == -1)
		reqid_base = (unsigned int)getpid();
	app.db = db_new(app.cfg);
	if (db_connect(app.db) == -1)
		log_warnx("no database yet; will retry on the first request");
	p = pool_new(64 * 1024);
	if (FCGX_InitRequest(&fr, sock, 0) != 0)
		log_fatalx("FCGX_InitRequest failed");
	while (!stopping) {
		busy = 0;
		if (stopping)
			break;
		if (FCGX_Accept_r(&fr) < 0)
			break;
		busy = 1;
		serve(&fr, p);
		FCGX_Finish_r(&fr);
		if (db_in_transaction(app.db))
			db_rollback(app.db);	/* a handler forgot: never leak */
		pool_clear(p);
	}
	pool_free(&p);
	db_free(&app.db);
	_exit(0);
}

/* drop_privileges - become run_user after the socket is set up */
static void
drop_privileges(const char *sockpath)
{
	struct passwd *pw = NULL;
	struct group *gr = NULL;

	if (app.cfg->socket_group != NULL &&
	    (gr = getgrnam(app.cfg->socket_group)) == NULL)
		log_fatalx("no group %s", app.cfg->socket_group);
	if (app.cfg->run_user != NULL &&
	    (pw = getpwnam(app.cfg->run_user)) == NULL)
		log_fatalx("no user %s", app.cfg->run_user);
	if (geteuid() == 0 && (pw != NULL || gr != NULL)) {
		if (chown(sockpath, pw ? pw->pw_uid : (uid_t)-1,
		    gr ? gr->gr_gid : (gid_t)-1) == -1)
			log_fatal("chown %s", sockpath);
	}
	if (chmod(sockpath, 0660) == -1)
		log_fatal("chmod %s", sockpath);
	if (pw == NULL) {
		if (geteuid() == 0)
			log_warnx("running as root: set run_user in the config");
		return;
	}
	if (setgroups(0, NULL) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1)
		log_fatal("cannot drop privileges to %s", app.cfg->run_user);
	if (setuid(0) == 0)
		log_fatalx("could regain root after dropping privileges");
}

/* spawn - start one worker; its pid */
static pid_t
spawn(int sock)
{
	pid_t pid = fork();

	if (pid == -1)
		log_warn("fork");
	else if (pid == 0)
		worker(sock);
	return pid;
}

/* usage - how to call us */
static void
usage(void)
{
	fprintf(stderr, "usage: postbus.fcgi [-f] -c postbus.conf\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct pool *sp;
	char err[512];
	const char *conf = NULL;
	pid_t *pids, pid;
	unsigned int i, alive;
	int ch, sock, status;
	struct sigaction sa;
	sigset_t mask, old;
	time_t last_spawn_fail = 0;

	while ((ch = getopt(argc, argv, "c:f")) != -1)
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'f':
			break;
		default:
			usage();
		}
	if (conf == NULL)
		usage();
	log_init("postbus.fcgi", 0);
	setlocale(LC_ALL, "");
	sp = pool_new(64 * 1024);
	app.cfg = pool_zalloc(sp, sizeof(*app.cfg));
	config_defaults(app.cfg);
	if (config_load(conf, sp, app.cfg, err, sizeof(err)) == -1)
		log_fatalx("%s", err);
	if (app.cfg->syslog)
		log_init("postbus.fcgi", 1);
	if (app.cfg->socket == NULL || app.cfg->template_dir == NULL)
		log_fatalx("%s: socket and template_dir are required", conf);
	if (app.cfg->secret == NULL || strlen(app.cfg->secret) < 64 ||
	    strlen(app.cfg->secret) > 128 || strlen(app.cfg->secret) % 2 != 0)
		log_fatalx("%s: secret must be 64 to 128 hex digits", conf);
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, app.cfg->locale_dir ? app.cfg->locale_dir :
	    LOCALEDIR);
	textdomain(PACKAGE);
#endif
	if ((app.tmpls = tmpl_load(sp, app.cfg->template_dir, err,
	    sizeof(err))) == NULL)
		log_fatalx("templates: %s", err);
	if (FCGX_Init() != 0)
		log_fatalx("FCGX_Init failed");
	(void)unlink(app.cfg->socket);
	if ((sock = FCGX_OpenSocket(app.cfg->socket, 128)) < 0)
		log_fatal("listen on %s", app.cfg->socket);
	drop_privileges(app.cfg->socket);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term_master;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	pids = pool_zalloc(sp, sizeof(*pids) * app.cfg->workers);
	for (i = 0; i < app.cfg->workers; i++)
		pids[i] = spawn(sock);
	log_info("listening on %s with %u workers", app.cfg->socket,
	    app.cfg->workers);

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	while (!stopping) {
		sigprocmask(SIG_BLOCK, &mask, &old);
		if (!stopping && !child_exited)
			sigsuspend(&old);
		sigprocmask(SIG_SETMASK, &old, NULL);
		child_exited = 0;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < app.cfg->workers; i++)
				if (pids[i] == pid)
					break;
			if (i == app.cfg->workers)
				continue;
			pids[i] = 0;
			if (stopping)
				continue;
			if (WIFSIGNALED(status))
				log_warnx("worker %ld killed by signal %d; "
				    "replacing it", (long)pid, WTERMSIG(status));
			else
				log_warnx("worker %ld exited with %d; "
				    "replacing it", (long)pid, WEXITSTATUS(status));
			if (time(NULL) == last_spawn_fail)
				sleep(1);	/* do not spin on a crash loop */
			last_spawn_fail = time(NULL);
			pids[i] = spawn(sock);
		}
	}
	log_info("stopping");
	for (i = 0; i < app.cfg->workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (alive = 1; alive; ) {
		alive = 0;
		pid = wait(&status);
		if (pid == -1 && errno == ECHILD)
			break;
		for (i = 0; i < app.cfg->workers; i++) {
			if (pids[i] == pid)
				pids[i] = 0;
			if (pids[i] > 0)
				alive = 1;
		}
	}
	(void)unlink(app.cfg->socket);
	pool_free(&sp);
	return 0;
}
