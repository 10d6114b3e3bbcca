/*
 * NAME
 *	ctl_mailbox - postbusctl mailbox ...
 */
#include <stddef.h>

#include "ctl.h"

const struct ctl_cmd ctl_mailbox_cmds[] = {
	{ NULL, NULL, NULL, NULL, 0 }
};
