/*
 * NAME
 *	config - postbus.conf, a file of "key = value" lines
 *
 * SYNOPSIS
 *	int config_load(const char *path, struct pool *p, struct config *c,
 *	    char *errbuf, size_t errlen);
 *
 * DESCRIPTION
 *	Unknown keys are an error, so a typo never goes unnoticed.  Strings
 *	live in the pool given (the start-up pool).  The file may hold the
 *	panel's database password: it should be mode 0640 root:postbus.
 *	Returns 0, or -1 with a message in errbuf.
 */
#ifndef POSTBUS_CONFIG_H
#define POSTBUS_CONFIG_H

#include <stddef.h>

struct pool;

struct config {
	const char	*db_socket;	/* unix socket, or NULL for TCP */
	const char	*db_host;
	unsigned int	 db_port;
	const char	*db_name;
	const char	*db_user;
	const char	*db_password;
	const char	*db_tls_ca;	/* TCP: TLS, server verified against
					 * this CA file; NULL no TLS */
	const char	*secret;	/* hex; HMAC key for CSRF tokens */
	const char	*template_dir;
	const char	*schema_dir;
	const char	*locale_dir;
	const char	*socket;	/* FastCGI listening socket */
	const char	*socket_group;	/* group that may connect (nginx) */
	const char	*run_user;	/* drop to this user after binding */
	unsigned int	 workers;
	unsigned int	 session_idle;	/* seconds */
	unsigned int	 session_max;	/* seconds */
	unsigned int	 throttle_slow;	/* failures before delays start */
	unsigned int	 throttle_slow_address;	/* the same for one client
						 * address, which a whole office
						 * may share */
	unsigned int	 throttle_lock;	/* failures before a lock */
	unsigned int	 throttle_lock_secs;
	const char	*hostname;	/* shown to users: mail server name */
	const char	*reserved_domains;	/* names no one may host, with
					 * their subdomains (list), NULL none */
	const char	*smtp_host;
	unsigned int	 smtp_port;
	unsigned int	 imap_port;
	unsigned int	 pop3_port;
	const char	*mail_dir;	/* root of Maildirs, for purge */
	unsigned int	 purge_days;
	unsigned int	 syslog;	/* 1: log to syslog as well */
	const char	*timezone;	/* automatic reply dates: "Europe/Brussels";
					 * NULL the process's own zone */
	unsigned int	 vacation_min_interval;	/* minutes, at least 1 */
	/* what mail clients are told (lib/mailclient.c): imap_port and
	 * pop3_port above are the STARTTLS ones */
	unsigned int	 imaps_port;
	unsigned int	 pop3s_port;
	unsigned int	 submission_port;	/* implicit TLS (465) */
	unsigned int	 submission_starttls_port;	/* 587 */
	const char	*webmail_url;	/* NULL: no webmail */
};

/* special-use names (RFC 6761, 6762) that are never a customer's */
#define CONFIG_RESERVED_DOMAINS	"localhost localdomain local invalid arpa"

void	config_defaults(struct config *c);
int	config_load(const char *path, struct pool *p, struct config *c,
	    char *errbuf, size_t errlen);

#endif
