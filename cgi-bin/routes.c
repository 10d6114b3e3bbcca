/*
 * NAME
 *	routes - every page's route table, in one list
 */
#include <stddef.h>

#include "app.h"

extern const struct route page_login_routes[];
extern const struct route page_home_routes[];

const struct route *const route_tables[] = {
	page_login_routes,
	page_home_routes,
	NULL
};
