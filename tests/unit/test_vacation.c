/*
 * test_vacation - the Sieve generator of automatic replies: quoting, what
 * it refuses, the checks of the form, and every generated script for a set
 * of hostile inputs compiled by Pigeonhole's sievec and read back with
 * sieve-dump: exactly one vacation action (and the fileinto :copy "INBOX"
 * before it that stores the message first), nothing else, and the subject
 * and message intact inside it (the message as a base64 MIME part).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "config.h"
#include "pool.h"
#include "postbus.h"
#include "vacation.h"
#include "test.h"

static const struct { const char *in; const char *out; } quotes[] = {
	{ "plain", "\"plain\"" },
	{ "a\"b", "\"a\\\"b\"" },
	{ "a\\b", "\"a\\\\b\"" },
	{ "end\\", "\"end\\\\\"" },
	{ "\\\"", "\"\\\\\\\"\"" },
	{ "} ; redirect \"x@y\";", "\"} ; redirect \\\"x@y\\\";\"" },
	{ "${hex:41}", "\"${hex:41}\"" },
	{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
	{ "", "\"\"" },
	{ "\xc3", NULL },
	{ "\xff", NULL },
};

/* hostile subjects and messages: each must compile into one vacation */
static const struct { const char *subject; const char *body; } hostile[] = {
	{ "\"", "\"" },
	{ "\\", "\\" },
	{ "}", "}" },
	{ ";", ";" },
	{ "redirect \"x@y\";", "redirect \"x@y\";" },
	{ "\"; redirect \"evil@example.org\"; keep; \"",
	  "\";\nredirect \"evil@example.org\";\ndiscard;\n#" },
	{ "a\\\"; discard; \"", "line one\nline two\r\n\\\"}\n}\n" },
	{ "text:", "text:\nredirect \"x@y\";\n.\n" },
	{ "${hex:22}${unicode:7d}", "${hex:22}; redirect \"x@y\";" },
	{ "/* comment", "*/ stop; /*" },
	{ "ends in a backslash \\", "ends in a backslash \\" },
	{ "Absent \xe2\x80\x94 \xc3\xa9t\xc3\xa9 \xf0\x9f\x8c\xb4", NULL },	/* 4 kB of UTF-8 */
};

static const char *const actions[] = {	/* operations that act on mail */
	"KEEP", "DISCARD", "REDIRECT", "FILEINTO", "REJECT", "EREJECT",
	"VACATION", "NOTIFY", "ADDHEADER", "DELETEHEADER", "SETFLAG",
	"ADDFLAG", "REMOVEFLAG", "SET", "STOP", "INCLUDE", "RETURN",
	"EXECUTE", "PIPE", "FILTER", "REPORT", NULL
};

static const char *addresses[] = { "info@monsite.be", "sales@monsite.be",
    "alias@monsite.be" };

/* big_utf8 - about 4 kB of multi-byte UTF-8 with quotes and newlines */
static char *
big_utf8(struct pool *p)
{
	struct buf b;
	int i;

	buf_init(&b, p, 4200);
	for (i = 0; b.len < 4000; i++)
		buf_puts(&b, i % 7 == 6 ? "\xc3\xa9\"\\}\n" :
		    "\xe2\x82\xac\xf0\x9f\x93\xac \xd0\xbf\xd1\x80\xd0\xb8 ");
	return b.data;
}

/* run - a command's exit status, its stdout into out (at most outlen) */
static int
run(char *const argv[], char *out, size_t outlen)
{
	int fd[2], st;
	size_t n = 0;
	ssize_t k;
	pid_t pid;

	if (pipe(fd) == -1 || (pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while (n + 1 < outlen && (k = read(fd[0], out + n, outlen - n - 1)) > 0)
		n += (size_t)k;
	out[n] = '\0';
	while (read(fd[0], &st, sizeof(st)) > 0)	/* drain the rest */
		;
	close(fd[0]);
	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* count_op - how many lines of a sieve-dump are operation op */
static int
count_op(const char *dump, const char *op)
{
	const char *s = dump, *e, *code;
	size_t n = strlen(op);
	int c = 0;

	/* "0000009a:    6: VACATION" */
	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		if ((code = memchr(s, ':', (size_t)(e - s))) == NULL)
			continue;
		code++;
		while (code < e && (*code == ' ' || (*code >= '0' && *code <= '9')))
			code++;
		if (code < e && *code == ':')
			code++;
		while (code < e && *code == ' ')
			code++;
		if ((size_t)(e - code) == n && strncmp(code, op, n) == 0)
			c++;
	}
	return c;
}

/* str_len_of - the [N] of the dump's "NAME: STR[N]" line, -1 if none */
static long
str_len_of(const char *dump, const char *name)
{
	char key[64];
	const char *s;

	snprintf(key, sizeof(key), "%s: STR[", name);
	if ((s = strstr(dump, key)) == NULL)
		return -1;
	return strtol(s + strlen(key), NULL, 10);
}

/* reason_of - the vacation's reason in a generated script, unquoted:
 * the quoted string after the :addresses list */
static char *
reason_of(struct pool *p, const char *script)
{
	const char *s = strstr(script, ":addresses [");
	struct buf b;

	if (s == NULL || (s = strchr(s, ']')) == NULL ||
	    (s = strchr(s, '"')) == NULL)
		return NULL;
	buf_init(&b, p, strlen(s));
	for (s++; *s != '\0' && *s != '"'; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		buf_putc(&b, *s);
	}
	return *s == '"' ? b.data : NULL;
}

/* mime_text - the text of a base64 text/plain MIME part, decoded */
static char *
mime_text(struct pool *p, const char *mime)
{
	static const char head[] = "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n";
	char *b64, *out;
	size_t n = 0;
	int len, pad = 0;

	if (mime == NULL || strncmp(mime, head, sizeof(head) - 1) != 0)
		return NULL;
	b64 = pool_zalloc(p, strlen(mime) + 1);
	for (mime += sizeof(head) - 1; *mime != '\0'; mime++)
		if (*mime != '\n')
			b64[n++] = *mime;
	out = pool_zalloc(p, n + 1);
	if ((len = EVP_DecodeBlock((unsigned char *)out,
	    (const unsigned char *)b64, (int)n)) < 0)
		return NULL;
	if (n >= 1 && b64[n - 1] == '=')
		pad++;
	if (n >= 2 && b64[n - 2] == '=')
		pad++;
	out[len - pad] = '\0';
	return out;
}

/* crlf - s with every line end made CRLF */
static char *
crlf(struct pool *p, const char *s)
{
	struct buf b;

	buf_init(&b, p, strlen(s) * 2 + 1);
	for (; *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n') {
			buf_puts(&b, "\r\n");
			if (*s == '\r' && s[1] == '\n')
				s++;
		} else
			buf_putc(&b, *s);
	}
	return b.data;
}

int
main(void)
{
	struct pool *p = pool_new(1 << 16);
	struct ctx c = { .pool = p };
	struct config cfg;
	struct vacation_script s;
	struct vacation_input in;
	struct err errs[VACATION_ERR_MAX];
	const char *why;
	char *script, dir[] = "/tmp/test_vacation.XXXXXX", path[300], bin[300],
	    conf[300];
	static char dump[1 << 20];
	size_t i, n;
	FILE *f;

	config_defaults(&cfg);
	cfg.vacation_min_interval = 5;
	cfg.timezone = "Europe/Brussels";

	test_begin("quoting: only \\ and \" are escaped, invalid UTF-8 refused");
	for (i = 0; i < sizeof(quotes) / sizeof(quotes[0]); i++) {
		char *q = vacation_quote(p, quotes[i].in);

		if (quotes[i].out == NULL)
			test_assert(q == NULL);
		else
			test_assert_str(q, quotes[i].out);
	}
	test_end();

	memset(&s, 0, sizeof(s));
	s.subject = "Away";
	s.body = "Back on Monday.";
	s.from = "info@monsite.be";
	s.addresses = addresses;
	s.naddresses = 3;
	s.seconds = 600;

	test_begin("generator: refuses line breaks in the subject, bad addresses, invalid UTF-8");
	s.subject = "Away\r\nBcc: x@y";
	test_assert(vacation_sieve(p, &s, &why) == NULL && why != NULL);
	s.subject = "Away\n";
	test_assert(vacation_sieve(p, &s, &why) == NULL);
	s.subject = "Away";
	s.from = "info\"@monsite.be";
	test_assert(vacation_sieve(p, &s, &why) == NULL);
	s.from = "info@monsite.be";
	{
		const char *bad[] = { "a\"@monsite.be" };

		s.addresses = bad;
		s.naddresses = 1;
		test_assert(vacation_sieve(p, &s, &why) == NULL);
		s.addresses = addresses;
		s.naddresses = 3;
	}
	s.body = "caf\xc3";
	test_assert(vacation_sieve(p, &s, &why) == NULL);
	s.body = "Back on Monday.";
	s.seconds = 0;
	test_assert(vacation_sieve(p, &s, &why) == NULL);
	s.seconds = 600;
	test_assert(vacation_sieve(p, &s, &why) != NULL);
	test_end();

	test_begin("generator: no variables, no encoded-character; dates in UTC");
	s.starts = 1788217200;	/* 2026-08-31T23:00:00Z */
	s.ends = 1789081200;	/* 2026-09-10T23:00:00Z */
	script = vacation_sieve(p, &s, &why);
	test_assert(script != NULL);
	test_assert(script && strstr(script, "\"variables\"") == NULL);
	test_assert(script && strstr(script, "encoded-character") == NULL);
	test_assert(script && strstr(script, "\"ge\" \"iso8601\" \"2026-08-31T23:00:00\"") != NULL);
	test_assert(script && strstr(script, "\"lt\" \"iso8601\" \"2026-09-10T23:00:00\"") != NULL);
	test_assert(script && strstr(script, ":seconds 600") != NULL);
	test_assert(script && strstr(script,
	    ":addresses [\"info@monsite.be\", \"sales@monsite.be\", \"alias@monsite.be\"]") != NULL);
	s.starts = s.ends = 0;
	test_end();

	test_begin("checks: every error at once, next to its field");
	memset(&in, 0, sizeof(in));
	in.active = 1;
	in.subject = "Line\nbreak";
	in.body = "";
	in.interval = 4;
	in.start = "2026-09-19";
	in.end = "2026-09-09";
	n = vacation_check(&c, &cfg, &in, errs);
	test_assert(n == 4);
	test_assert(n > 0 && strcmp(errs[0].field, "subject") == 0);
	test_assert(n > 1 && strcmp(errs[1].field, "body") == 0);
	test_assert(n > 2 && strcmp(errs[2].field, "interval") == 0);
	test_assert(n > 3 && strcmp(errs[3].field, "end") == 0);
	test_end();

	test_begin("checks: dates, floor, lengths");
	memset(&in, 0, sizeof(in));
	in.active = 1;
	in.subject = "Away";
	in.body = "Back soon.";
	in.interval = 5;
	test_assert(vacation_check(&c, &cfg, &in, errs) == 0);
	in.interval = -1;	/* the default: a day */
	test_assert(vacation_check(&c, &cfg, &in, errs) == 0);
	in.interval = VACATION_INTERVAL_MAX + 1;
	test_assert(vacation_check(&c, &cfg, &in, errs) == 1);
	in.interval = 10;
	in.start = "2026-02-29";	/* not a leap year */
	test_assert(vacation_check(&c, &cfg, &in, errs) == 1 &&
	    strcmp(errs[0].field, "start") == 0);
	in.start = "2028-02-29";
	test_assert(vacation_check(&c, &cfg, &in, errs) == 0);
	in.start = "9/Sep/2010";
	test_assert(vacation_check(&c, &cfg, &in, errs) == 1);
	in.start = "2026-09-09";
	in.end = "2026-09-09";	/* one day */
	test_assert(vacation_check(&c, &cfg, &in, errs) == 0);
	in.end = "2026-09-08";
	test_assert(vacation_check(&c, &cfg, &in, errs) == 1 &&
	    strcmp(errs[0].field, "end") == 0);
	in.start = in.end = NULL;
	in.subject = "";	/* the default subject */
	test_assert(vacation_check(&c, &cfg, &in, errs) == 0);
	{
		char *longs = pool_zalloc(p, VACATION_SUBJECT_MAX + 2);
		char *longb = pool_zalloc(p, VACATION_BODY_MAX + 2);

		memset(longs, 'x', VACATION_SUBJECT_MAX + 1);
		memset(longb, 'x', VACATION_BODY_MAX + 1);
		in.subject = longs;
		in.body = longb;
		test_assert(vacation_check(&c, &cfg, &in, errs) == 2);
		longs[VACATION_SUBJECT_MAX] = '\0';
		longb[VACATION_BODY_MAX] = '\0';
		test_assert(vacation_check(&c, &cfg, &in, errs) == 0);
	}
	in.subject = "a\x01" "b";
	in.body = "ok";
	test_assert(vacation_check(&c, &cfg, &in, errs) == 1);
	in.active = 0;	/* off: nothing to check */
	test_assert(vacation_check(&c, &cfg, &in, errs) == 0);
	test_end();

	test_begin("hostile inputs: each script compiles with sievec into exactly one vacation and the fileinto INBOX, nothing else");
	if (mkdtemp(dir) == NULL) {
		test_assert(!"mkdtemp");
		test_end();
		return test_done();
	}
	snprintf(conf, sizeof(conf), "%s/dovecot.conf", dir);
	if ((f = fopen(conf, "w")) != NULL) {
		/* as conf/dovecot/dovecot.conf.in sets them */
		fputs("plugin {\n  sieve_extensions = +vacation-seconds\n"
		    "  sieve_vacation_min_period = 1m\n}\n", f);
		fclose(f);
	}
	s.starts = 1788217200;
	s.ends = 1789081200;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char *argc_[] = { "sievec", "-c", conf, path, bin, NULL };
		char *argd[] = { "sieve-dump", "-c", conf, bin, NULL };
		const char *const *a;
		int nv, nf, other = 0;

		s.subject = hostile[i].subject;
		s.body = hostile[i].body ? hostile[i].body : big_utf8(p);
		script = vacation_sieve(p, &s, &why);
		test_assert(script != NULL);
		if (script == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/s%zu.sieve", dir, i);
		snprintf(bin, sizeof(bin), "%s/s%zu.svbin", dir, i);
		if ((f = fopen(path, "w")) == NULL)
			continue;
		fputs(script, f);
		fclose(f);
		if (run(argc_, dump, sizeof(dump)) != 0) {
			fprintf(stderr, "  sievec failed on hostile input %zu:\n%s\n",
			    i, script);
			test_assert(!"sievec compiles it");
			continue;
		}
		test_assert(run(argd, dump, sizeof(dump)) == 0);
		nv = count_op(dump, "VACATION");
		nf = count_op(dump, "FILEINTO");
		for (a = actions; *a != NULL; a++)
			if (strcmp(*a, "VACATION") != 0 &&
			    strcmp(*a, "FILEINTO") != 0)
				other += count_op(dump, *a);
		if (nv != 1 || nf != 1 || other != 0)
			fprintf(stderr, "  hostile input %zu: %d vacation, %d "
			    "fileinto, %d other actions\n%s\n", i, nv, nf,
			    other, dump);
		test_assert(nv == 1);
		test_assert(nf == 1);
		test_assert(other == 0);
		test_assert(strstr(dump, "folder: STR[5] \"INBOX\"") != NULL);
		test_assert(strstr(dump, "copy") != NULL);
		/* the texts arrive whole: same length, line ends made CRLF */
		test_assert(str_len_of(dump, "subject") == (long)strlen(s.subject));
		{
			/* the message is a base64 MIME part (no SMTP line
			 * is ever too long): Pigeonhole compiled it whole,
			 * and it decodes back to the message byte for byte */
			const char *reason = reason_of(p, script);
			const char *t = mime_text(p, reason);

			test_assert(reason != NULL && str_len_of(dump,
			    "reason") == (long)strlen(crlf(p, reason)));
			test_assert(t != NULL);
			test_assert(t && strcmp(t, crlf(p, s.body)) == 0);
		}
		test_assert(str_len_of(dump, "from") == (long)strlen(s.from));
		unlink(path);
		unlink(bin);
	}
	unlink(conf);
	rmdir(dir);
	test_end();

	pool_free(&p);
	return test_done();
}
