/*
 * NAME
 *	routes - every page's route table, in one list
 */
#include <stddef.h>

#include "app.h"

extern const struct route page_login_routes[];
extern const struct route page_home_routes[];
extern const struct route page_mailboxes_routes[];
extern const struct route page_passwords_routes[];
extern const struct route page_domains_routes[];
extern const struct route page_plans_routes[];
extern const struct route page_admins_routes[];
extern const struct route page_quota_routes[];
extern const struct route page_audit_routes[];
extern const struct route page_vacation_routes[];
extern const struct route page_mailclient_routes[];
extern const struct route page_autoconfig_routes[];

const struct route *const route_tables[] = {
	page_login_routes,
	page_home_routes,
	page_mailboxes_routes,
	page_passwords_routes,
	page_domains_routes,
	page_plans_routes,
	page_admins_routes,
	page_quota_routes,
	page_audit_routes,
	page_vacation_routes,
	page_mailclient_routes,
	page_autoconfig_routes,
	NULL
};
