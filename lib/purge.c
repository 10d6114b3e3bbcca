/*
 * NAME
 *	purge - the privileged step of a mailbox's deletion
 *
 * DESCRIPTION
 *	purge.h says what is removed and when.  A home is removed without
 *	following symbolic links, even ones swapped in while it runs (every
 *	step is an openat/unlinkat relative to a directory opened with
 *	O_NOFOLLOW), and only a path made of the domain and login as stored,
 *	each checked to be one plain component.  Each mailbox is one
 *	transaction under its domain's lock, so a restore never meets a half
 *	removed home.
 *
 *	Memory: ctx->pool.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "domain.h"
#include "mailbox.h"
#include "pool.h"
#include "postbus.h"
#include "purge.h"
#include "tx.h"

/* rm_tree_at - remove name (a file or a whole directory) under dirfd
 * without following symbolic links, even if they are swapped in meanwhile */
static int
rm_tree_at(int dirfd, const char *name, int depth)
{
	struct dirent *de;
	DIR *dir;
	int fd, rc = 0;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth > 64) {
		errno = ELOOP;
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return -1;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		rc = rm_tree_at(fd, de->d_name, depth + 1);
	}
	closedir(dir);
	if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) == -1 &&
	    errno != ENOENT)
		rc = -1;
	return rc;
}

/* safe_component - a path component from the database that cannot climb */
static int
safe_component(const char *s)
{
	return *s != '\0' && *s != '.' && strchr(s, '/') == NULL &&
	    strstr(s, "..") == NULL;
}

struct purge_job {
	const struct config	*cfg;
	int64_t			 id;
	int64_t			 domain_id;
	const char		*login;
	const char		*address;
	const char		*home;
};

/* purge_body - under the domain's lock (a restore cannot run in between;
 * a deleted domain's mailboxes are purged too): mark the mailbox purged,
 * drop its usage row, audit, remove its home; 1 done, 0 restored or
 * purged meanwhile */
static int
purge_body(struct ctx *c, void *arg, struct err *err)
{
	struct purge_job *j = arg;
	struct domain_lock d;
	struct dbv p[] = { DB_INT(j->id) };
	struct dbv q[] = { DB_STR(j->address), DB_STR(j->address),
	    DB_INT(j->id) };
	struct stat st;
	uint64_t affected = 0;

	if (domain_lock_tx(c, j->domain_id, &d, err) == -1)
		return -1;
	if (db_exec(c->db, SQL_PURGE_MARK, p, 1, &affected, NULL) == -1)
		return db_err(c->db, err);
	if (affected == 0)
		return 0;
	if (db_exec(c->db, SQL_QUOTA_DROP, q, 3, NULL, NULL) == -1 ||
	    audit_log(c, d.id, d.name, j->login, "mailbox.purge", j->address,
	    NULL) == -1)
		return db_err(c->db, err);
	if (lstat(j->home, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return err_set(err, ERR_INVALID, NULL, pool_printf(c->pool,
			    _("Refusing to purge %s: not a directory."), j->home));
		if (rm_tree_at(AT_FDCWD, j->home, 0) == -1)
			return err_set(err, ERR_INVALID, NULL, pool_printf(c->pool,
			    _("Could not remove %s: %s"), j->home, strerror(errno)));
	} else if (errno != ENOENT)
		return err_set(err, ERR_INVALID, NULL, pool_printf(c->pool,
		    _("Could not remove %s: %s"), j->home, strerror(errno)));
	return 1;
}

/* purge_one - remove one mailbox's home and mark it purged */
static int
purge_one(struct ctx *c, const struct config *cfg, int64_t id,
    int64_t domain_id, const char *domain, const char *login,
    const char *address, const char **home_r, struct err *err)
{
	struct purge_job j = { cfg, id, domain_id, login, address, NULL };

	*home_r = NULL;
	if (!safe_component(domain) || !safe_component(login))
		return err_set(err, ERR_INVALID, NULL,
		    pool_printf(c->pool, _("Refusing to purge %s: odd path."), login));
	if ((j.home = mailbox_home(c, cfg, domain, login)) == NULL)
		return err_set(err, ERR_INVALID, NULL,
		    _("mail_dir is not set in the configuration."));
	*home_r = j.home;
	return tx_run(c, purge_body, &j, err);
}

/* SQL_PURGE_DUE */
enum due_col {
	PD_ID,
	PD_LOGIN,
	PD_ADDRESS,
	PD_DOMAIN,
	PD_DOMAIN_ID,
	PD__MAX
};
SQL_COLS_ARE(SQL_PURGE_DUE, PD__MAX);

/* purge_mailboxes - the privileged step of deletion */
int
purge_mailboxes(struct ctx *c, const struct config *cfg, unsigned int days,
    void (*report)(const char *, const char *, void *), void *arg,
    size_t *n_r, struct err *err)
{
	struct dbv p[] = { DB_INT(days) };
	struct dbres *res;
	struct stat st;
	const char *home;
	size_t i;
	int rc;

	*n_r = 0;
	if (c->actor->role != ROLE_SUPERUSER)
		return err_set(err, ERR_FORBIDDEN, NULL,
		    _("Only a superuser can purge mailboxes."));
	if (cfg->mail_dir == NULL || *cfg->mail_dir == '\0')
		return err_set(err, ERR_INVALID, NULL,
		    _("mail_dir is not set in the configuration."));
	if (stat(cfg->mail_dir, &st) == 0) {
		if (geteuid() != 0 && geteuid() != st.st_uid)
			return err_set(err, ERR_FORBIDDEN, NULL,
			    _("Purge runs as root or as the owner of mail_dir."));
	} else if (errno != ENOENT)
		return err_set(err, ERR_INVALID, NULL, pool_printf(c->pool,
		    "%s: %s", cfg->mail_dir, strerror(errno)));
	if (db_query(c->db, c->pool, SQL_PURGE_DUE, p, 1, &res) == -1)
		return db_err(c->db, err);
	for (i = 0; i < res->nrows; i++) {
		const struct dbrow *r = &res->rows[i];

		/* id, login, address, domain name, domain id */
		rc = purge_one(c, cfg, dbrow_int(r, PD_ID), dbrow_int(r, PD_DOMAIN_ID),
		    dbrow_str(r, PD_DOMAIN), dbrow_str(r, PD_LOGIN), dbrow_str(r, PD_ADDRESS), &home, err);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			(*n_r)++;
			if (report != NULL)
				report(dbrow_str(r, PD_LOGIN), home, arg);
		}
	}
	return 0;
}

