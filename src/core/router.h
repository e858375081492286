/* router.h — maps a method and a path to a route, with {name} parameters.
 *
 * Patterns are literal segments and {param} segments ("/api/v1/orgs/{code}");
 * a trailing "/ *" (slash star, written without the space) matches the rest of the path (for static files; the rest is
 * the parameter "*"). Literal segments win over parameters. Matching never
 * allocates except the parameter values, copied into the request arena. */
#ifndef LI_ROUTER_H
#define LI_ROUTER_H
#include "http.h"

/* A route's handler: fills res; returns 0 or more when it answered, a
 * negative value (an error) when it failed (the application decides what
 * follows, e.g. rolling back). */
typedef int (*route_fn)(http_req_t *req, http_res_t *res);

typedef struct route {
    const char *method;    /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern;
    route_fn fn;
    unsigned flags;        /* meaning defined by the application */
    size_t max_body;       /* this route's body cap in bytes; 0: ROUTE_BODY_DEFAULT */
} route_t;

/* The body cap of a route that declares none (JSON, urlencoded forms). */
#define ROUTE_BODY_DEFAULT ((size_t)1024 * 1024)
/* The body cap of every route that takes a file (raw body or multipart
 * form): the one limit of an uploaded document, 20 MiB. */
#define ROUTE_BODY_UPLOAD ((size_t)20 * 1024 * 1024)

/* How a module declares its routes: one path and the handler of each method
 * there, with the flags and body cap they share. A module's web file defines
 * each resource right under its handlers (the path, methods and flags are
 * read where the code is) and lists them in one table; the application
 * expands the tables into routes (it decides what flags each method gets). */
typedef struct resource {
    const char *pattern;
    route_fn get, post, put, patch, del;
    unsigned flags;        /* meaning defined by the application */
    size_t max_body;       /* the body cap of its unsafe methods; 0: ROUTE_BODY_DEFAULT */
} resource_t;

/* Defines `const resource_t *const *name(size_t *n)`: the accessor a
 * module's registration (module_t.routes) takes for the static table
 * `table` of pointers to the file's resources. */
#define ROUTE_TABLE(name, table)                                                                          \
    const resource_t *const *name(size_t *n)                                                              \
    {                                                                                                     \
        *n = sizeof table / sizeof table[0];                                                              \
        return table;                                                                                     \
    }
typedef struct router router_t;

router_t *router_new(void);
void router_free(router_t *r);
/* Adds routes (the array must outlive the router). Returns 0, or -1 on a
 * malformed pattern or a duplicate method+pattern. */
int router_add(router_t *r, const route_t *routes, size_t n);
/* Finds the route for method+path and fills req->param_* and req->route.
 * NULL when nothing matches; then *path_exists tells whether another method
 * would match (405 rather than 404). */
const route_t *router_match(const router_t *r, const char *method, const char *path,
                            http_req_t *req, bool *path_exists);

#endif
