/* test_modules.c — the module registry (src/modules.c, app/module.h): every
 * module is named once, its route tables join without a clash, its menu
 * entries need a capability and come in order, its capabilities have unique
 * names, a module's capability is granted as its table says, and only the
 * routes that take a file declare the upload body cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "app/module.h"
#include "core/router.h"
#include "desk/desk.h"
#include "mediation/mediation.h"

static void test_names_and_routes(void **state)
{
    (void)state;
    router_t *r = router_new();
    size_t count = 0, routes = 0;
    for (const module_t *const *m = modules; *m; m++, count++) {
        for (const module_t *const *o = modules; o != m; o++) assert_string_not_equal((*o)->name, (*m)->name);
        for (const module_routes_fn *t = (*m)->routes; t && *t; t++) {
            size_t n;
            (*t)(&n);
            assert_true(n > 0);
        }
    }
    const route_t *rt = modules_routes(&routes);
    assert_int_equal(router_add(r, rt, routes), 0); /* no method and pattern twice */
    assert_true(count >= 4);
    assert_true(routes > 100);
    bool exists = false;
    http_req_t req;
    memset(&req, 0, sizeof req); /* paths without parameters need no arena */
    assert_non_null(router_match(r, "GET", "/desk", &req, &exists));
    assert_non_null(router_match(r, "GET", "/mediation", &req, &exists));
    assert_non_null(router_match(r, "GET", "/login", &req, &exists));
    assert_null(router_match(r, "GET", "/no-module-has-this", &req, &exists));
    router_free(r);
}

/* The routes that take a file, and only they, lift the body cap to
 * ROUTE_BODY_UPLOAD; every other route keeps the default (max_body 0). */
static void test_upload_caps(void **state)
{
    (void)state;
    static const char *const uploads[] = {
        "POST /api/v1/persons/{id}/documents", "POST /desk/persons/{id}/documents",
        "POST /api/v1/materials/{id}/attachments/{lang}", "POST /info/editor/{id}/attachments",
        "POST /api/v1/meetings/{id}/files", "POST /meetings/{id}/files", "POST /api/v1/library", "POST /meetings/library",
        "POST /api/v1/expenses/{id}/document", "POST /governance/projects/{id}/budget/expenses",
        "POST /governance/projects/{id}/budget/expenses/{eid}/document", NULL};
    size_t found = 0, n;
    const route_t *rt = modules_routes(&n);
    for (size_t i = 0; i < n; i++) {
        char key[300];
        snprintf(key, sizeof key, "%s %s", rt[i].method, rt[i].pattern);
        bool listed = false;
        for (const char *const *u = uploads; *u; u++) listed = listed || strcmp(*u, key) == 0;
        if (listed) found++;
        if (rt[i].max_body != (listed ? ROUTE_BODY_UPLOAD : 0)) fail_msg("%s: max_body %zu", key, rt[i].max_body);
    }
    assert_int_equal(found, sizeof uploads / sizeof uploads[0] - 1);
}

static void test_nav_and_caps(void **state)
{
    (void)state;
    int last = -1;
    size_t n = 0;
    for (const module_nav_t *e = modules_nav(); e->href; e++, n++) {
        assert_non_null(e->cap);
        assert_true(e->href[0] == '/');
        assert_true(e->order >= last);
        last = e->order;
    }
    assert_true(n >= 7);
    const char *names[128];
    size_t nn = 0;
    for (const module_t *const *m = modules; *m; m++)
        for (const cap_t *c = (*m)->caps; c && *c; c++) {
            for (size_t i = 0; i < nn; i++) assert_string_not_equal(names[i], (*c)->name);
            names[nn++] = (*c)->name;
        }
    assert_true(nn >= 15);
    scope_t op = scope_anonymous(), med = scope_anonymous();
    op.role = ROLE_OPERATOR;
    med.role = ROLE_MEDIATOR;
    assert_true(scope_can(&op, CAP_PERSON_WRITE));
    assert_false(scope_can(&op, CAP_MEDIATION_SELF));
    assert_true(scope_can(&med, CAP_MEDIATION_SELF));
    assert_false(scope_can(&med, CAP_PERSON_READ));
    assert_false(scope_can(&op, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_names_and_routes), cmocka_unit_test(test_upload_caps),
                                       cmocka_unit_test(test_nav_and_caps)};
    return cmocka_run_group_tests_name("module registry", tests, NULL, NULL);
}
