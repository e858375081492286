/* test_router.c — route matching: literals, parameters, tails, methods, malformed patterns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include "core/router.h"

static int h1(http_req_t *r, http_res_t *s) { (void)r, (void)s; return 1; }
static int h2(http_req_t *r, http_res_t *s) { (void)r, (void)s; return 2; }
static int h3(http_req_t *r, http_res_t *s) { (void)r, (void)s; return 3; }
static int h4(http_req_t *r, http_res_t *s) { (void)r, (void)s; return 4; }

static const route_t routes[] = {
    {"GET", "/", h1, 0},
    {"GET", "/api/v1/orgs", h1, 0},
    {"POST", "/api/v1/orgs", h2, 0},
    {"GET", "/api/v1/orgs/{code}", h3, 0},
    {"GET", "/api/v1/orgs/mine", h4, 0},
    {"GET", "/static/*", h2, 0},
    {"GET", "/api/v1/users/{id}/grants/{role}", h3, 0},
};

static router_t *make(void)
{
    router_t *r = router_new();
    assert_int_equal(router_add(r, routes, sizeof routes / sizeof routes[0]), 0);
    return r;
}

static const route_t *match(router_t *r, const char *m, const char *p, http_req_t *req, bool *exists)
{
    memset(req, 0, sizeof *req);
    req->arena = arena_new(0);
    return router_match(r, m, p, req, exists);
}

static void test_literal_and_root(void **state)
{
    (void)state;
    router_t *r = make();
    http_req_t req;
    bool exists;
    const route_t *rt = match(r, "GET", "/", &req, &exists);
    assert_non_null(rt);
    assert_ptr_equal(rt->fn, h1);
    assert_string_equal(req.route, "/");
    arena_free(req.arena);
    rt = match(r, "POST", "/api/v1/orgs", &req, &exists);
    assert_ptr_equal(rt->fn, h2);
    arena_free(req.arena);
    rt = match(r, "GET", "/api/v1/orgs/", &req, &exists); /* trailing slash tolerated */
    assert_ptr_equal(rt->fn, h1);
    arena_free(req.arena);
    router_free(r);
}

static void test_params(void **state)
{
    (void)state;
    router_t *r = make();
    http_req_t req;
    bool exists;
    const route_t *rt = match(r, "GET", "/api/v1/orgs/cremona", &req, &exists);
    assert_ptr_equal(rt->fn, h3);
    assert_string_equal(http_param(&req, "code"), "cremona");
    assert_null(http_param(&req, "other"));
    assert_string_equal(req.route, "/api/v1/orgs/{code}");
    arena_free(req.arena);
    rt = match(r, "GET", "/api/v1/users/7/grants/admin", &req, &exists);
    assert_ptr_equal(rt->fn, h3);
    assert_string_equal(http_param(&req, "id"), "7");
    assert_string_equal(http_param(&req, "role"), "admin");
    arena_free(req.arena);
    router_free(r);
}

static void test_literal_beats_param(void **state)
{
    (void)state;
    router_t *r = make();
    http_req_t req;
    bool exists;
    const route_t *rt = match(r, "GET", "/api/v1/orgs/mine", &req, &exists);
    assert_ptr_equal(rt->fn, h4);
    arena_free(req.arena);
    router_free(r);
}

static void test_tail(void **state)
{
    (void)state;
    router_t *r = make();
    http_req_t req;
    bool exists;
    const route_t *rt = match(r, "GET", "/static/css/app.css", &req, &exists);
    assert_ptr_equal(rt->fn, h2);
    assert_string_equal(http_param(&req, "*"), "css/app.css");
    arena_free(req.arena);
    assert_null(match(r, "GET", "/static", &req, &exists)); /* the tail needs something */
    arena_free(req.arena);
    router_free(r);
}

static void test_method_and_absence(void **state)
{
    (void)state;
    router_t *r = make();
    http_req_t req;
    bool exists = false;
    assert_null(match(r, "DELETE", "/api/v1/orgs", &req, &exists));
    assert_true(exists); /* 405, not 404 */
    arena_free(req.arena);
    assert_null(match(r, "GET", "/api/v1/nothing", &req, &exists));
    assert_false(exists);
    arena_free(req.arena);
    assert_null(match(r, "GET", "/api/v1/orgs/a/b", &req, &exists));
    arena_free(req.arena);
    char longpath[4000];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    assert_null(match(r, "GET", longpath, &req, &exists));
    arena_free(req.arena);
    router_free(r);
}

static void test_bad_patterns(void **state)
{
    (void)state;
    static const route_t bad[][1] = {
        {{"GET", "nope", h1, 0}}, {{"GET", "/a/{x", h1, 0}}, {{"GET", "/a/{}", h1, 0}}, {{"GET", "/a//b", h1, 0}},
        {{"GET", "/a/b{c}", h1, 0}},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        router_t *r = router_new();
        assert_int_equal(router_add(r, bad[i], 1), -1);
        router_free(r);
    }
    router_t *r = make();
    assert_int_equal(router_add(r, &routes[1], 1), -1); /* duplicate */
    router_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_and_root), cmocka_unit_test(test_params),
        cmocka_unit_test(test_literal_beats_param), cmocka_unit_test(test_tail),
        cmocka_unit_test(test_method_and_absence), cmocka_unit_test(test_bad_patterns),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
