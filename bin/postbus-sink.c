/*
 * NAME
 *	postbus-sink - loopback SMTP sink that keeps every message as a file
 *
 * SYNOPSIS
 *	postbus-sink [-f] [-a address] [-p port] [-u user] [-P pidfile]
 *		-d directory
 *
 * DESCRIPTION
 *	postbus-sink stands in for "the internet" in a private postbus mail
 *	stack: Postfix uses it as its relayhost, so mail for remote addresses
 *	(alias destinations, vacation replies, bounces) can be looked at
 *	instead of leaving the machine.
 *
 *	It accepts any sender and any recipient and writes each message as
 *	one file in directory.  The file starts with the envelope, as a
 *	"Return-Path: <sender>" line and one "X-Envelope-To: <recipient>"
 *	line per recipient, followed by the message itself with the SMTP dot
 *	stuffing removed and LF line ends.  A file is written under a name
 *	that starts with a dot and renamed to its final name
 *	(SECONDS.MICROSECONDS.PPID.QCOUNTER.eml) only once it is complete,
 *	so a reader that skips dot files never sees half a message.
 *
 *	-a address	listen address (default 127.0.0.1)
 *	-p port		listen port (default 2525)
 *	-d directory	where messages are written (required)
 *	-u user		switch to this user after the socket is bound
 *	-P pidfile	write the pid of the listening process here
 *	-f		stay in the foreground; by default the program
 *			detaches once the socket listens, so the caller
 *			knows that it is ready when the command returns
 *
 *	One process is forked per connection.  SIGTERM stops the listener
 *	and the sessions it started.
 *
 * DIAGNOSTICS
 *	Start-up errors are written to stderr and the exit status is 1.
 *	Later errors (one session failing) are written to stderr, which the
 *	caller is expected to redirect to a log file; they end only that
 *	session.
 */

#define _GNU_SOURCE

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define SINK_MAX_MESSAGE	(64L * 1024 * 1024)	/* larger: 552 */
#define SINK_MAX_RCPT		1000			/* more: 452 */
#define SINK_MAX_CMDLINE	4096			/* longer: 500 */
#define SINK_TIMEOUT		300			/* seconds per line */
#define SINK_HOSTNAME		"postbus-sink.invalid"
#define SINK_NAME_MAX		64			/* message file name */

/* One SMTP transaction: the envelope collected so far. */
struct envelope {
	char	 *sender;	/* NULL until MAIL FROM */
	char	**rcpt;		/* recipients, nrcpt of them */
	size_t	  nrcpt;
};

static const char *progname = "postbus-sink";
static volatile sig_atomic_t stopping;

/* sink_vsay - one line on stderr: the prefix, the message, errno's text
 * (saved by the caller) when with_errno */
static void	sink_vsay(const char *, int, int, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));
static void
sink_vsay(const char *prefix, int with_errno, int saved, const char *fmt,
    va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
	fflush(stderr);
}

/* sink_warn - report a recoverable error with errno text when set */
static void
sink_warn(int with_errno, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s[%ld]: ", progname, (long)getpid());
	va_start(ap, fmt);
	sink_vsay(prefix, with_errno, saved, fmt, ap);
	va_end(ap);
}

/* sink_fatal - report a start-up error and exit */
static void
sink_fatal(int with_errno, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s: ", progname);
	va_start(ap, fmt);
	sink_vsay(prefix, with_errno, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

/* parse_port - convert a decimal port number, 0 on any error */
static unsigned short
parse_port(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 65535)
		return 0;
	return (unsigned short)v;
}

/* envelope_reset - forget sender and recipients */
static void
envelope_reset(struct envelope *env)
{
	size_t i;

	free(env->sender);
	env->sender = NULL;
	for (i = 0; i < env->nrcpt; i++)
		free(env->rcpt[i]);
	free(env->rcpt);
	env->rcpt = NULL;
	env->nrcpt = 0;
}

/* path_arg - copy the <path> of "FROM:<path> params", NULL if malformed */
static char *
path_arg(const char *arg)
{
	const char *open, *close;

	while (*arg == ' ')
		arg++;
	if ((open = strchr(arg, '<')) == NULL ||
	    (close = strchr(open, '>')) == NULL)
		return NULL;
	return strndup(open + 1, (size_t)(close - open - 1));
}

/* has_ctl - true if a string holds a control character */
static int
has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* reply - send one SMTP reply line; 0 if ok, -1 if the client is gone */
static int
reply(FILE *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputs("\r\n", out);
	return fflush(out) == 0 ? 0 : -1;
}

/* read_line - read one CRLF or LF terminated line and strip the end */
static ssize_t
read_line(FILE *in, char **buf, size_t *cap)
{
	ssize_t n;

	alarm(SINK_TIMEOUT);
	n = getline(buf, cap, in);
	alarm(0);
	if (n <= 0)
		return -1;
	if ((*buf)[n - 1] == '\n')
		(*buf)[--n] = '\0';
	if (n > 0 && (*buf)[n - 1] == '\r')
		(*buf)[--n] = '\0';
	return n;
}

/*
 * receive_data - read the message after DATA and store it.  Returns the
 * reply code to send (250, 451 or 552), or -1 if the client went away.
 */
static int
receive_data(int dirfd, FILE *in, const struct envelope *env,
    char **buf, size_t *cap, char *name, size_t namesz)
{
	static unsigned int counter;
	struct timeval tv;
	char tmpname[SINK_NAME_MAX + 1];
	FILE *fp = NULL;
	long total = 0;
	int fd, failed = 0, toobig = 0;
	size_t i, skip;
	ssize_t n;

	gettimeofday(&tv, NULL);
	snprintf(name, namesz, "%lld.%06ld.P%ldQ%u.eml",
	    (long long)tv.tv_sec, (long)tv.tv_usec, (long)getpid(),
	    ++counter);
	snprintf(tmpname, sizeof(tmpname), ".%s", name);

	fd = openat(dirfd, tmpname, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644);
	if (fd == -1 || (fp = fdopen(fd, "w")) == NULL) {
		sink_warn(1, "create %s", tmpname);
		if (fd != -1)
			close(fd);
		failed = 1;
	} else {
		fprintf(fp, "Return-Path: <%s>\n", env->sender);
		for (i = 0; i < env->nrcpt; i++)
			fprintf(fp, "X-Envelope-To: <%s>\n", env->rcpt[i]);
	}

	/* Read to the final dot whatever happens, to stay in step. */
	for (;;) {
		if ((n = read_line(in, buf, cap)) < 0) {
			if (fp != NULL) {
				fclose(fp);
				unlinkat(dirfd, tmpname, 0);
			}
			return -1;
		}
		if (strcmp(*buf, ".") == 0)
			break;
		total += n + 1;
		if (total > SINK_MAX_MESSAGE)
			toobig = 1;
		if (fp == NULL || failed || toobig)
			continue;
		skip = (*buf)[0] == '.';
		if (fwrite(*buf + skip, 1, (size_t)n - skip, fp) !=
		    (size_t)n - skip || fputc('\n', fp) == EOF) {
			sink_warn(1, "write %s", tmpname);
			failed = 1;
		}
	}

	if (fp != NULL && fclose(fp) != 0 && !failed) {
		sink_warn(1, "close %s", tmpname);
		failed = 1;
	}
	if (failed || toobig) {
		unlinkat(dirfd, tmpname, 0);
		return toobig ? 552 : 451;
	}
	if (renameat(dirfd, tmpname, dirfd, name) == -1) {
		sink_warn(1, "rename %s", tmpname);
		unlinkat(dirfd, tmpname, 0);
		return 451;
	}
	return 250;
}

/* session - speak SMTP with one client until QUIT or EOF */
static void
session(int sock, int dirfd)
{
	struct envelope env = { NULL, NULL, 0 };
	char name[SINK_NAME_MAX];
	char *line = NULL, *addr;
	size_t cap = 0;
	FILE *in, *out;
	char **grown;
	int code;

	if ((in = fdopen(sock, "r")) == NULL ||
	    (out = fdopen(dup(sock), "w")) == NULL) {
		sink_warn(1, "fdopen");
		return;
	}
	if (reply(out, "220 %s ESMTP postbus-sink", SINK_HOSTNAME) == -1)
		goto done;

	while (read_line(in, &line, &cap) >= 0) {
		if (strlen(line) > SINK_MAX_CMDLINE) {
			code = reply(out, "500 5.5.0 Line too long");
		} else if (strncasecmp(line, "EHLO", 4) == 0) {
			envelope_reset(&env);
			code = reply(out, "250-%s\r\n250-8BITMIME\r\n"
			    "250-SIZE %ld\r\n250 ENHANCEDSTATUSCODES",
			    SINK_HOSTNAME, SINK_MAX_MESSAGE);
		} else if (strncasecmp(line, "HELO", 4) == 0) {
			envelope_reset(&env);
			code = reply(out, "250 %s", SINK_HOSTNAME);
		} else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
			if (env.sender != NULL)
				code = reply(out, "503 5.5.1 Nested MAIL");
			else if ((addr = path_arg(line + 10)) == NULL ||
			    has_ctl(addr)) {
				free(addr);
				code = reply(out, "501 5.1.7 Bad sender");
			} else {
				env.sender = addr;
				code = reply(out, "250 2.1.0 Ok");
			}
		} else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
			if (env.sender == NULL)
				code = reply(out, "503 5.5.1 Need MAIL first");
			else if (env.nrcpt >= SINK_MAX_RCPT)
				code = reply(out, "452 4.5.3 Too many recipients");
			else if ((addr = path_arg(line + 8)) == NULL ||
			    *addr == '\0' || has_ctl(addr)) {
				free(addr);
				code = reply(out, "501 5.1.3 Bad recipient");
			} else if ((grown = reallocarray(env.rcpt,
			    env.nrcpt + 1, sizeof(*env.rcpt))) == NULL) {
				free(addr);
				code = reply(out, "452 4.3.0 Out of memory");
			} else {
				env.rcpt = grown;
				env.rcpt[env.nrcpt++] = addr;
				code = reply(out, "250 2.1.5 Ok");
			}
		} else if (strcasecmp(line, "DATA") == 0) {
			if (env.nrcpt == 0) {
				code = reply(out, "503 5.5.1 Need RCPT first");
				continue;
			}
			if (reply(out, "354 End data with <CR><LF>.<CR><LF>"))
				break;
			switch (receive_data(dirfd, in, &env, &line, &cap,
			    name, sizeof(name))) {
			case 250:
				code = reply(out, "250 2.0.0 Ok: stored as %s",
				    name);
				break;
			case 552:
				code = reply(out, "552 5.3.4 Message too big");
				break;
			case 451:
				code = reply(out, "451 4.3.0 Cannot store");
				break;
			default:
				goto done;
			}
			envelope_reset(&env);
		} else if (strcasecmp(line, "RSET") == 0) {
			envelope_reset(&env);
			code = reply(out, "250 2.0.0 Ok");
		} else if (strncasecmp(line, "NOOP", 4) == 0) {
			code = reply(out, "250 2.0.0 Ok");
		} else if (strncasecmp(line, "VRFY", 4) == 0) {
			code = reply(out, "252 2.0.0 Send some mail, I'll try");
		} else if (strcasecmp(line, "QUIT") == 0) {
			reply(out, "221 2.0.0 Bye");
			break;
		} else {
			code = reply(out, "502 5.5.2 Command not recognized");
		}
		if (code == -1)
			break;
	}
done:
	envelope_reset(&env);
	free(line);
	fclose(in);
	if (out != NULL)
		fclose(out);
}

/* on_term - ask the accept loop to stop */
static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* drop_privileges - become user, with its groups */
static void
drop_privileges(const char *user)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL)
		sink_fatal(errno != 0, "unknown user %s", user);
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		sink_fatal(1, "cannot switch to user %s", user);
	if (setuid(0) != -1 && pw->pw_uid != 0)
		sink_fatal(0, "could regain root after switching to %s",
		    user);
}

/* become - drop to user (if any) and check that dir is writable */
static void
become(const char *user, int dirfd, const char *dir)
{
	if (user != NULL)
		drop_privileges(user);
	if (faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS) == -1)
		sink_fatal(1, "cannot write to %s", dir);
}

/* write_pidfile - record the listener's pid, 0 if ok */
static int
write_pidfile(const char *path, pid_t pid)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fprintf(fp, "%ld\n", (long)pid);
	return fclose(fp);
}

/* usage - explain the command line and exit */
static void
usage(void)
{
	fprintf(stderr, "usage: %s [-f] [-a address] [-p port] [-u user] "
	    "[-P pidfile] -d directory\n", progname);
	exit(1);
}

/* main - bind, detach once ready, then fork one process per connection */
int
main(int argc, char *argv[])
{
	const char *address = "127.0.0.1", *dir = NULL, *user = NULL;
	const char *pidfile = NULL;
	struct sockaddr_in sin;
	struct sigaction sa;
	unsigned short port = 2525;
	int ch, foreground = 0, lsock, sock, dirfd, one = 1, ready[2];
	pid_t pid;

	while ((ch = getopt(argc, argv, "a:d:fp:P:u:")) != -1) {
		switch (ch) {
		case 'a':
			address = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'p':
			if ((port = parse_port(optarg)) == 0)
				sink_fatal(0, "bad port: %s", optarg);
			break;
		case 'P':
			pidfile = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		default:
			usage();
		}
	}
	if (dir == NULL || optind != argc)
		usage();

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, address, &sin.sin_addr) != 1)
		sink_fatal(0, "bad IPv4 address: %s", address);

	if ((lsock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		sink_fatal(1, "socket");
	if (setsockopt(lsock, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1)
		sink_fatal(1, "setsockopt");
	if (bind(lsock, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		sink_fatal(1, "bind %s:%u", address, (unsigned)port);
	if (listen(lsock, 64) == -1)
		sink_fatal(1, "listen");

	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		sink_fatal(1, "open %s", dir);

	if (foreground) {
		if (pidfile != NULL && write_pidfile(pidfile, getpid()))
			sink_fatal(1, "write %s", pidfile);
		become(user, dirfd, dir);
	} else {
		/*
		 * The child says "ready" through a pipe once it runs as user
		 * and can write to dir; only then does the parent record its
		 * pid (as root, in a directory the user may not write) and
		 * return 0, so that the caller's exit status tells the truth.
		 */
		if (pipe2(ready, O_CLOEXEC) == -1)
			sink_fatal(1, "pipe");
		if ((pid = fork()) == -1)
			sink_fatal(1, "fork");
		if (pid > 0) {
			close(ready[1]);
			if (read(ready[0], &ch, 1) != 1)
				exit(1);	/* the child said why */
			if (pidfile != NULL && write_pidfile(pidfile, pid)) {
				kill(pid, SIGTERM);
				sink_fatal(1, "write %s", pidfile);
			}
			_exit(0);
		}
		close(ready[0]);
		setsid();
		become(user, dirfd, dir);
		if ((ch = open("/dev/null", O_RDWR)) != -1) {
			dup2(ch, STDIN_FILENO);
			if (ch > STDERR_FILENO)
				close(ch);
		}
		if (write(ready[1], "", 1) != 1)
			sink_fatal(1, "ready pipe");
		close(ready[1]);
	}

	/* No zombies, no death by a client that hangs up mid-reply. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_term;	/* no SA_RESTART: accept() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	while (!stopping) {
		if ((sock = accept4(lsock, NULL, NULL, SOCK_CLOEXEC)) == -1) {
			if (errno != EINTR && errno != ECONNABORTED)
				sink_warn(1, "accept");
			continue;
		}
		if ((pid = fork()) == -1) {
			sink_warn(1, "fork");
			close(sock);
			continue;
		}
		if (pid == 0) {
			sa.sa_handler = SIG_DFL;
			sigaction(SIGTERM, &sa, NULL);
			sigaction(SIGINT, &sa, NULL);
			close(lsock);
			session(sock, dirfd);
			_exit(0);
		}
		close(sock);
	}

	/* Sessions share our process group when we detached; end them. */
	signal(SIGTERM, SIG_IGN);
	if (!foreground)
		kill(0, SIGTERM);
	return 0;	/* the pidfile belongs to whoever started us */
}
