/* module.c — what the app does with the registry (see module.h): the menu
 * of every module, and the demo loaders in one transaction. */
#include "module.h"
#include "server.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
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

static route_t *routes;
static size_t routes_n;
static pthread_once_t routes_once = PTHREAD_ONCE_INIT;

/* Appends the routes of one resource (a method each) at routes[routes_n]. */
static void routes_expand(const resource_t *r)
{
    const struct { const char *method; route_fn fn; } m[] = {
        {"GET", r->get}, {"POST", r->post}, {"PUT", r->put}, {"PATCH", r->patch}, {"DELETE", r->del}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        if (!m[i].fn) continue;
        bool unsafe = i > 0;
        unsigned flags = r->flags & ~R_READS;
        if (unsafe && !(r->flags & R_READS)) flags |= R_WRITE;
        routes[routes_n++] = (route_t){m[i].method, r->pattern, m[i].fn, flags, unsafe ? r->max_body : 0};
    }
}

/* Expands every module's resources; the table lives as long as the process. */
static void routes_build(void)
{
    size_t cap = 0;
    for (const module_t *const *m = modules; *m; m++)
        for (const module_routes_fn *t = (*m)->routes; t && *t; t++) {
            size_t n;
            (*t)(&n);
            cap += 5 * n;
        }
    routes = calloc(cap ? cap : 1, sizeof *routes);
    if (!routes) abort();
    for (const module_t *const *m = modules; *m; m++)
        for (const module_routes_fn *t = (*m)->routes; t && *t; t++) {
            size_t n;
            const resource_t *const *r = (*t)(&n);
            for (size_t i = 0; i < n; i++) routes_expand(r[i]);
        }
}

const route_t *modules_routes(size_t *n)
{
    pthread_once(&routes_once, routes_build);
    *n = routes_n;
    return routes;
}

json_t *module_demo_load(const module_demo_t *d, const char *beside)
{
    char path[4096];
    const char *slash = strrchr(d->data_file, '/');
    if (beside)
        snprintf(path, sizeof path, "%.*s%s", slash ? (int)(slash - d->data_file + 1) : 0, d->data_file, beside);
    else
        snprintf(path, sizeof path, "%s", d->data_file);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) fprintf(d->log, "demo: cannot read %s: %s (line %d)\n", path, jerr.text, jerr.line);
    return root;
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
