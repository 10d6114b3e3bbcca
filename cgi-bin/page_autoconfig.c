/*
 * NAME
 *	page_autoconfig - automatic configuration for mail programs
 *
 * DESCRIPTION
 *	Served by the panel's nginx site on the HTTPS port, for any host name
 *	that points at it (autoconfig.DOMAIN, autodiscover.DOMAIN, the panel's
 *	own), without a login:
 *
 *	  GET  /mail/config-v1.1.xml?emailaddress=ADDR	     Thunderbird
 *	  GET  /.well-known/autoconfig/mail/config-v1.1.xml  Thunderbird
 *	  POST /autodiscover/autodiscover.xml		     Outlook (POX)
 *
 *	Every answer is the same for every address, known or not, so nothing
 *	here tells who has a mailbox (no database, no timing difference); it
 *	names the mail host, the ports and the security of lib/mailclient.c.
 *	An address from the request is echoed only once it is a valid address
 *	(valid_email_norm), and every value is XML-escaped.  The address as
 *	sent is logged through log_info, which escapes control characters:
 *	request data stays data in the log (mailcow's CVE-2026-40872 showed an
 *	autodiscover address unescaped in its admin pages).
 */
#include <stddef.h>
#include <string.h>

#include "app.h"
#include "log.h"
#include "mailclient.h"
#include "valid.h"

#define XML_HEAD	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* xml_elem - <name>escaped text</name> and a newline, indented */
static void
xml_elem(struct buf *b, const char *indent, const char *name,
    const char *text)
{
	buf_printf(b, "%s<%s>", indent, name);
	html_escape(b, text);	/* & < > " ' : what XML text needs */
	buf_printf(b, "</%s>\n", name);
}

/* xml_port - <name>number</name> */
static void
xml_port(struct buf *b, const char *indent, const char *name,
    unsigned int port)
{
	buf_printf(b, "%s<%s>%u</%s>\n", indent, name, port, name);
}

/* checked_address - the request's address, normalised, or NULL; logged
 * as data (log_info escapes control characters) */
static const char *
checked_address(struct req *r, const char *what, const char *sent)
{
	char *addr;

	if (sent == NULL || *sent == '\0')
		return NULL;
	if (valid_email_norm(r->pool, sent, &addr) != NULL) {
		log_info("%s: not an address: %.256s", what, sent);
		return NULL;
	}
	log_info("%s for %s", what, addr);
	return addr;
}

/* reply - the finished XML document */
static void
reply(struct req *r, struct buf *b)
{
	r->status = 200;
	r->content_type = "application/xml; charset=utf-8";
	buf_add(&r->body, b->data, b->len);
}

/* tb_server - one <incomingServer> or <outgoingServer> */
static void
tb_server(struct buf *b, const char *tag, const char *type,
    const struct mailclient *mc, unsigned int port, const char *socket)
{
	buf_printf(b, "    <%s type=\"%s\">\n", tag, type);
	xml_elem(b, "      ", "hostname", mc->host);
	xml_port(b, "      ", "port", port);
	xml_elem(b, "      ", "socketType", socket);
	xml_elem(b, "      ", "authentication", "password-cleartext");
	xml_elem(b, "      ", "username", "%EMAILADDRESS%");
	buf_printf(b, "    </%s>\n", tag);
}

/* thunderbird_get - GET config-v1.1.xml (clientConfig 1.1) */
static void
thunderbird_get(struct req *r)
{
	struct mailclient mc;
	struct buf b;
	const char *addr;

	mailclient_generic(app.cfg, &mc);
	addr = checked_address(r, "autoconfig",
	    query_str(r, "emailaddress"));
	buf_init(&b, r->pool, 2048);
	buf_puts(&b, XML_HEAD "<clientConfig version=\"1.1\">\n");
	buf_puts(&b, "  <emailProvider id=\"");
	html_escape(&b, mc.host);
	buf_puts(&b, "\">\n");
	if (addr != NULL)
		xml_elem(&b, "    ", "domain", strrchr(addr, '@') + 1);
	tb_server(&b, "incomingServer", "imap", &mc, mc.imaps_port, "SSL");
	tb_server(&b, "incomingServer", "imap", &mc, mc.imap_port, "STARTTLS");
	tb_server(&b, "incomingServer", "pop3", &mc, mc.pop3s_port, "SSL");
	tb_server(&b, "incomingServer", "pop3", &mc, mc.pop3_port, "STARTTLS");
	tb_server(&b, "outgoingServer", "smtp", &mc, mc.smtps_port, "SSL");
	tb_server(&b, "outgoingServer", "smtp", &mc, mc.submission_port,
	    "STARTTLS");
	buf_puts(&b, "  </emailProvider>\n</clientConfig>\n");
	reply(r, &b);
}

/* ad_protocol - one <Protocol> of an Outlook answer */
static void
ad_protocol(struct buf *b, const char *type, const struct mailclient *mc,
    unsigned int port, const char *login)
{
	const char *in = "        ";

	buf_puts(b, "      <Protocol>\n");
	xml_elem(b, in, "Type", type);
	xml_elem(b, in, "Server", mc->host);
	xml_port(b, in, "Port", port);
	xml_elem(b, in, "DomainRequired", "off");
	if (login != NULL)
		xml_elem(b, in, "LoginName", login);
	xml_elem(b, in, "SPA", "off");
	xml_elem(b, in, "SSL", "on");
	xml_elem(b, in, "AuthRequired", "on");
	buf_puts(b, "      </Protocol>\n");
}

/* request_address - the text of the request's EMailAddress element, in
 * the request pool, or NULL (no XML parser: one element, no entities) */
static const char *
request_address(struct req *r)
{
	static const char open[] = "EMailAddress>";
	const char *s, *e;

	if (r->raw_body == NULL ||
	    (s = strstr(r->raw_body, open)) == NULL)
		return NULL;
	s += sizeof(open) - 1;
	if ((e = strchr(s, '<')) == NULL || e - s > 512)
		return NULL;
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		e--;
	return pool_strndup(r->pool, s, (size_t)(e - s));
}

/* outlook_post - POST autodiscover.xml (POX, Outlook's 2006 schema) */
static void
outlook_post(struct req *r)
{
	struct mailclient mc;
	struct buf b;
	const char *addr;

	mailclient_generic(app.cfg, &mc);
	addr = checked_address(r, "autodiscover", request_address(r));
	buf_init(&b, r->pool, 2048);
	buf_puts(&b, XML_HEAD "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\n"
	    "  <Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">\n"
	    "    <Account>\n"
	    "      <AccountType>email</AccountType>\n"
	    "      <Action>settings</Action>\n");
	ad_protocol(&b, "IMAP", &mc, mc.imaps_port, addr);
	ad_protocol(&b, "POP3", &mc, mc.pop3s_port, addr);
	ad_protocol(&b, "SMTP", &mc, mc.smtps_port, addr);
	buf_puts(&b, "    </Account>\n  </Response>\n</Autodiscover>\n");
	reply(r, &b);
}

#define AC	(R_PUBLIC | R_RAWBODY)
const struct route page_autoconfig_routes[] = {
	{ "GET", "/mail/config-v1.1.xml", ROLES_ALL, R_PUBLIC, NULL,
	    thunderbird_get, NULL, 0 },
	{ "GET", "/.well-known/autoconfig/mail/config-v1.1.xml", ROLES_ALL,
	    R_PUBLIC, NULL, thunderbird_get, NULL, 0 },
	{ "POST", "/autodiscover/autodiscover.xml", ROLES_ALL, AC, NULL,
	    outlook_post, NULL, 0 },
	{ "POST", "/Autodiscover/Autodiscover.xml", ROLES_ALL, AC, NULL,
	    outlook_post, NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
