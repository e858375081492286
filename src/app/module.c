/* module.c — what the app does with the registry (see module.h): the menu
 * of every module, and the demo loaders in one transaction. */
#include "module.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static module_nav_t *nav;
static pthread_once_t nav_once = PTHREAD_ONCE_INIT;

static int nav_cmp(const void *a, const void *b)
{
    const module_nav_t *x = a, *y = b;
    return (x->order > y->order) - (x->order < y->order);
}

/* Collects every module's menu entries, by order. */
static void nav_build(void)
{
    size_t n = 0, k = 0;
    for (const module_t *const *m = modules; *m; m++)
        for (const module_nav_t *e = (*m)->nav; e && e->href; e++) n++;
    nav = calloc(n + 1, sizeof *nav);
    if (!nav) abort();
    for (const module_t *const *m = modules; *m; m++)
        for (const module_nav_t *e = (*m)->nav; e && e->href; e++) nav[k++] = *e;
    qsort(nav, n, sizeof *nav, nav_cmp);
}

const module_nav_t *modules_nav(void)
{
    pthread_once(&nav_once, nav_build);
    return nav;
}

/* Appends the new accounts' lines to the credentials file (0600) and shows them. */
static int save_credentials(const char *path, const char *lines, size_t len, FILE *log)
{
    if (!len) return 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0 || write(fd, lines, len) != (ssize_t)len) {
        fprintf(log, "demo: cannot write %s\n", path);
        if (fd >= 0) close(fd);
        return -1;
    }
    close(fd);
    fprintf(log, "demo: new accounts (username, role, organisation, password), shown once:\n%.*s"
                 "demo: also written to %s (mode 0600)\n", (int)len, lines, path);
    return 0;
}

int modules_demo(db_t *db, module_demo_t *d, const char *credentials_file)
{
    char *lines = NULL;
    size_t len = 0;
    d->credentials = open_memstream(&lines, &len);
    if (!d->credentials) return -1;
    int rc = db_begin(db, true);
    for (const module_t *const *m = modules; !rc && *m; m++)
        if ((*m)->demo) rc = (*m)->demo(db, d);
    if (!rc) rc = db_commit(db);
    else db_rollback(db);
    fclose(d->credentials);
    d->credentials = NULL;
    /* The passwords are shown only once the accounts exist. */
    if (!rc) rc = save_credentials(credentials_file, lines, len, d->log);
    else fprintf(d->log, "demo: failed; nothing was loaded\n");
    free(lines);
    return rc ? -1 : 0;
}
