/* fuzz_tmpl.c — libFuzzer harness for the template engine.
 *
 * The input is up to four templates separated by NUL bytes ("t0".."t3"),
 * compiled next to two fixed ones ("layout" with blocks, "row"), linked and
 * rendered against a fixed view model. Checks beyond the sanitizers: a
 * render is deterministic (rendering twice gives the same bytes, so nothing
 * in the set was mutated) and a failed render leaves the buffer unchanged.
 * Must never write files or keep state between inputs. */
#include "core/tmpl.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static json_t *ctx;

/* A translator that marks its output and injects markup (must be escaped). */
static const char *fuzz_tr(void *c, const char *msgid)
{
    (void)c;
    return msgid[0] == 'x' ? "<x & 'y'>" : msgid;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    json_error_t je;
    ctx = json_loads("{\"name\":\"<b>&'\\\"`\",\"n\":42,\"r\":2.5,\"i\":3.0,\"t\":true,\"f\":false,"
                     "\"z\":null,\"e\":\"\",\"s\":\"str\",\"arr\":[1,2],\"empty\":[],"
                     "\"list\":[{\"name\":\"a\",\"k\":1},{\"name\":\"b\",\"list\":[7]}],"
                     "\"obj\":{\"a\":{\"b\":\"c\"},\"name\":\"inner\"}}",
                     0, &je);
    if (!ctx) abort();
    return 0;
}

/* Renders `name` twice and checks both renders agree. */
static void render_checked(const tmpl_set_t *set, const char *name)
{
    str_t a = STR_INIT, b = STR_INIT;
    str_adds(&a, "pre");
    int ra = tmpl_render(set, name, ctx, fuzz_tr, NULL, &a);
    int rb = tmpl_render(set, name, ctx, fuzz_tr, NULL, &b);
    if (ra != rb) abort();
    if (ra < 0 && (a.len != 3 || b.len != 0)) abort();
    if (ra == 0 && (a.len != b.len + 3 || memcmp(a.buf + 3, str_cstr(&b), b.len) != 0)) abort();
    str_release(&a);
    str_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char layout[] = "<h1>{{$title}}T{{/title}}</h1>{{$body}}{{#list}}{{>row}}{{/list}}{{/body}}";
    char err[256];
    tmpl_set_t *set = tmpl_set_new();
    if (tmpl_compile(set, "layout", layout, sizeof layout - 1, err, sizeof err) < 0) abort();
    if (tmpl_compile(set, "row", "<li>{{name}}</li>", 17, err, sizeof err) < 0) abort();
    const char *p = (const char *)data, *end = p + size;
    int count = 0;
    for (int i = 0; i < 4 && p <= end; i++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
        char name[4] = {'t', (char)('0' + i), 0, 0};
        if (tmpl_compile(set, name, p, n, err, sizeof err) == 0) {
            count++;
            if (!tmpl_exists(set, name)) abort();
        }
        if (!nul) break;
        p = nul + 1;
    }
    if (tmpl_link(set, err, sizeof err) == 0) {
        render_checked(set, "t0");
        render_checked(set, "t1");
        render_checked(set, "t2");
        render_checked(set, "t3");
    } else if (count) {
        render_checked(set, "t0"); /* unlinked: missing partials, cycles */
    }
    render_checked(set, "layout");
    tmpl_set_free(set);
    return 0;
}
