/* router.c — linear-by-segment route matching. With tens of routes a scan of
 * pre-split patterns beats any cleverness and stays obvious. */
#include "router.h"
#include "log.h"
#include <stdlib.h>
#include <string.h>

#define ROUTER_MAX_SEGS 16

typedef struct compiled {
    const route_t *rt;
    int nseg;
    bool tail;                       /* pattern ends in slash-star */
    char *segs[ROUTER_MAX_SEGS];     /* literal text, or the param name */
    bool is_param[ROUTER_MAX_SEGS];
    int literals;                    /* for preferring literal matches */
} compiled_t;

struct router {
    compiled_t *items;
    size_t n, cap;
};

router_t *router_new(void)
{
    router_t *r = calloc(1, sizeof *r);
    if (!r) log_fatal("out of memory (router)");
    return r;
}

void router_free(router_t *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++)
        for (int k = 0; k < r->items[i].nseg; k++) free(r->items[i].segs[k]);
    free(r->items);
    free(r);
}

/* Splits a pattern into segments; -1 when malformed. */
static int compile(const route_t *rt, compiled_t *c)
{
    memset(c, 0, sizeof *c);
    c->rt = rt;
    const char *p = rt->pattern;
    if (*p != '/') return -1;
    while (*p == '/') {
        p++;
        if (!*p) break;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 1 && *p == '*' && !end) {
            c->tail = true;
            break;
        }
        if (c->nseg >= ROUTER_MAX_SEGS || len == 0) return -1;
        if (*p == '{') {
            if (len < 3 || p[len - 1] != '}') return -1;
            c->segs[c->nseg] = strndup(p + 1, len - 2);
            c->is_param[c->nseg] = true;
        } else {
            if (memchr(p, '{', len) || memchr(p, '}', len)) return -1;
            c->segs[c->nseg] = strndup(p, len);
            c->literals++;
        }
        c->nseg++;
        p += len;
    }
    return 0;
}

int router_add(router_t *r, const route_t *routes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < r->n; k++)
            if (strcmp(r->items[k].rt->method, routes[i].method) == 0 &&
                strcmp(r->items[k].rt->pattern, routes[i].pattern) == 0)
                return -1;
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 32;
            r->items = realloc(r->items, r->cap * sizeof *r->items);
            if (!r->items) log_fatal("out of memory (router)");
        }
        if (compile(&routes[i], &r->items[r->n]) != 0) {
            for (int k = 0; k < r->items[r->n].nseg; k++) free(r->items[r->n].segs[k]);
            return -1;
        }
        r->n++;
    }
    return 0;
}

/* Splits `path` into at most max segments (pointers into a copy). */
static int split_path(char *copy, char **segs, int max, char **rest_after)
{
    int n = 0;
    char *p = copy;
    while (*p == '/') {
        *p++ = '\0';
        if (!*p) break;
        if (n == max) return -1;
        segs[n] = p;
        rest_after[n] = p;
        n++;
        while (*p && *p != '/') p++;
    }
    return n;
}

/* True when `c` matches the split path; records parameters into req. */
static bool match_one(const compiled_t *c, char **segs, int nseg, const char *path_orig,
                      char **starts, char *copy, http_req_t *req)
{
    if (c->tail ? nseg < c->nseg : nseg != c->nseg) return false;
    for (int i = 0; i < c->nseg; i++)
        if (!c->is_param[i] && strcmp(c->segs[i], segs[i]) != 0) return false;
    if (c->tail && nseg == c->nseg) return false; /* slash-star needs something after it */
    if (!req) return true;
    req->nparams = 0;
    for (int i = 0; i < c->nseg && req->nparams < HTTP_MAX_PARAMS; i++) {
        if (!c->is_param[i]) continue;
        req->param_names[req->nparams] = c->segs[i];
        req->param_values[req->nparams] = arena_strdup(req->arena, segs[i]);
        req->nparams++;
    }
    if (c->tail && req->nparams < HTTP_MAX_PARAMS) {
        size_t off = (size_t)(starts[c->nseg] - copy);
        req->param_names[req->nparams] = "*";
        req->param_values[req->nparams] = arena_strdup(req->arena, path_orig + off);
        req->nparams++;
    }
    return true;
}

const route_t *router_match(const router_t *r, const char *method, const char *path,
                            http_req_t *req, bool *path_exists)
{
    char copy[2048];
    char *segs[64], *starts[64];
    *path_exists = false;
    size_t len = strlen(path);
    if (len >= sizeof copy) return NULL;
    memcpy(copy, path, len + 1);
    int nseg = split_path(copy, segs, 64, starts);
    if (nseg < 0) return NULL;
    const compiled_t *best = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const compiled_t *c = &r->items[i];
        if (!match_one(c, segs, nseg, path, starts, copy, NULL)) continue;
        if (strcmp(c->rt->method, method) != 0) {
            *path_exists = true;
            continue;
        }
        if (!best || c->literals > best->literals || (best->tail && !c->tail)) best = c;
    }
    if (!best) return NULL;
    match_one(best, segs, nseg, path, starts, copy, req);
    req->route = best->rt->pattern;
    return best->rt;
}
