/* test_tmpl.c — unit tests of the template engine (src/core/tmpl.c).
 *
 * Every test renders real templates against real jansson values and checks
 * the exact bytes produced or the exact error reported. Tests must never
 * depend on each other or on files outside the temporary directory they make. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/tmpl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Compiles `src` as `name` into `set`, failing the test on error. */
static void add(tmpl_set_t *set, const char *name, const char *src)
{
    char err[256] = "";
    int rc = tmpl_compile(set, name, src, strlen(src), err, sizeof err);
    if (rc != 0) fail_msg("compile %s: %s", name, err);
}

/* Renders `name` of `set` with the JSON text `json` (NULL: no context). */
static char *render_with(tmpl_set_t *set, const char *name, const char *json, tmpl_translate_fn tr,
                         void *trc)
{
    json_t *ctx = NULL;
    if (json) {
        json_error_t je;
        ctx = json_loads(json, 0, &je);
        if (!ctx) fail_msg("bad test json: %s", je.text);
    }
    str_t out = STR_INIT;
    int rc = tmpl_render(set, name, ctx, tr, trc, &out);
    json_decref(ctx);
    if (rc != 0) {
        str_release(&out);
        return NULL;
    }
    return str_detach(&out, NULL);
}

/* Compiles one template, renders it and compares the output with `want`. */
static void check(const char *src, const char *json, const char *want)
{
    tmpl_set_t *set = tmpl_set_new();
    add(set, "t", src);
    char *got = render_with(set, "t", json, NULL, NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    tmpl_set_free(set);
}

/* Expects compiling `src` to fail with an error containing `part`. */
static void check_compile_error(const char *src, const char *part)
{
    tmpl_set_t *set = tmpl_set_new();
    char err[256] = "";
    assert_int_equal(tmpl_compile(set, "bad", src, strlen(src), err, sizeof err), -1);
    if (!strstr(err, part)) fail_msg("error '%s' lacks '%s'", err, part);
    assert_false(tmpl_exists(set, "bad"));
    tmpl_set_free(set);
}

static void test_plain_text(void **state)
{
    (void)state;
    check("", NULL, "");
    check("just text, { } }} {", NULL, "just text, { } }} {");
    check("line1\n  line2\n", "{}", "line1\n  line2\n");
}

static void test_variables(void **state)
{
    (void)state;
    check("Hello {{name}}!", "{\"name\":\"World\"}", "Hello World!");
    check("Hello {{ name }}!", "{\"name\":\"World\"}", "Hello World!");
    check("[{{missing}}]", "{\"name\":\"x\"}", "[]");
    check("[{{n}}]", "{\"n\":42}", "[42]");
    check("[{{n}}]", "{\"n\":-7}", "[-7]");
    check("[{{n}}]", "{\"n\":0}", "[0]");
    check("[{{n}}]", "{\"n\":-9223372036854775808}", "[-9223372036854775808]");
    check("[{{n}}]", "{\"n\":9223372036854775807}", "[9223372036854775807]");
    check("[{{n}}]", "{\"n\":1e17}", "[100000000000000000]");
    check("[{{n}}]", "{\"n\":3.0}", "[3]");
    check("[{{n}}]", "{\"n\":-0.0}", "[0]");
    check("[{{n}}]", "{\"n\":2.5}", "[2.5]");
    check("[{{n}}]", "{\"n\":0.1}", "[0.1]");
    check("[{{n}}]", "{\"n\":1e300}", "[1e+300]");
    check("[{{t}} {{f}}]", "{\"t\":true,\"f\":false}", "[true false]");
    check("[{{z}}{{o}}{{a}}]", "{\"z\":null,\"o\":{\"k\":1},\"a\":[1]}", "[]");
    check("[{{x}}]", NULL, "[]");
    check("{{a}}{{b}}{{a}}", "{\"a\":\"1\",\"b\":\"2\"}", "121");
}

static void test_escaping(void **state)
{
    (void)state;
    check("{{x}}", "{\"x\":\"& < > \\\" ' `\"}", "&amp; &lt; &gt; &quot; &#39; &#96;");
    check("<a title=\"{{x}}\">", "{\"x\":\"\\\"><script>\"}", "<a title=\"&quot;&gt;&lt;script&gt;\">");
    check("{{x}}", "{\"x\":\"città\"}", "città");
    /* Template text itself is copied, not escaped. */
    check("<b>&amp;</b>", NULL, "<b>&amp;</b>");
}

static void test_raw(void **state)
{
    (void)state;
    check("{{{x}}}", "{\"x\":\"<b>&'</b>\"}", "<b>&'</b>");
    check("{{{ x }}}", "{\"x\":\"<i>\"}", "<i>");
    check("{{& x}}", "{\"x\":\"<i>\"}", "<i>");
    check("{{&x}}", "{\"x\":\"<i>\"}", "<i>");
    check("{{{n}}}", "{\"n\":12}", "12");
}

static void test_dotted(void **state)
{
    (void)state;
    const char *ctx = "{\"a\":{\"b\":{\"c\":\"deep\"}},\"s\":\"str\","
                      "\"items\":[{\"name\":\"zero\"},{\"name\":\"one\"}]}";
    check("{{a.b.c}}", ctx, "deep");
    check("[{{a.b.x}}][{{a.x.c}}][{{x.b.c}}]", ctx, "[][][]");
    check("[{{s.length}}]", ctx, "[]");
    check("{{items.1.name}} {{items.0.name}} [{{items.2.name}}]", ctx, "one zero []");
    check("{{#a.b}}{{c}}{{/a.b}}", ctx, "deep");
}

static void test_context_stack(void **state)
{
    (void)state;
    const char *ctx = "{\"site\":\"LabImpact\",\"name\":\"root\",\"b\":{\"c\":\"root-c\"},"
                      "\"person\":{\"name\":\"Amina\",\"b\":{}}}";
    /* Inner names shadow outer ones; missing names are found further out. */
    check("{{#person}}{{name}} @ {{site}}{{/person}} {{name}}", ctx, "Amina @ LabImpact root");
    /* A dotted name resolves its first segment on the stack and then does
     * not search further out (mustache's rule). */
    check("{{#person}}[{{b.c}}]{{/person}}", ctx, "[]");
    check("{{#list}}{{name}}{{/list}}", "{\"name\":\"outer\",\"list\":[{},{\"name\":\"in\"}]}",
          "outerin");
    check("{{#list}}{{.}},{{/list}}", "{\"list\":[\"a\",1,true]}", "a,1,true,");
    check("{{#outer}}{{#inner}}{{x}}{{y}}{{/inner}}{{/outer}}",
          "{\"outer\":{\"x\":\"X\",\"inner\":[{\"y\":1},{\"y\":2}]}}", "X1X2");
}

static void test_sections(void **state)
{
    (void)state;
    check("{{#a}}<{{.}}>{{/a}}", "{\"a\":[1,2,3]}", "<1><2><3>");
    check("{{#a}}{{k}}{{/a}}", "{\"a\":{\"k\":\"v\"}}", "v");
    check("{{#a}}{{/a}}", "{\"a\":{}}", "");
    check("{{#a}}yes{{/a}}", "{\"a\":{}}", "yes");
    check("{{#a}}yes{{/a}}", "{\"a\":true}", "yes");
    check("{{#a}}yes{{/a}}", "{\"a\":\"x\"}", "yes");
    check("{{#a}}[{{.}}]{{/a}}", "{\"a\":\"x\"}", "[x]");
    check("{{#a}}yes{{/a}}", "{\"a\":7}", "yes");
    check("{{#a}}yes{{/a}}", "{\"a\":0.5}", "yes");
    static const char *falsy[] = {"{\"a\":false}", "{\"a\":null}", "{}", "{\"a\":\"\"}",
                                  "{\"a\":0}", "{\"a\":0.0}", "{\"a\":[]}"};
    for (size_t i = 0; i < sizeof falsy / sizeof falsy[0]; i++) check("[{{#a}}yes{{/a}}]", falsy[i], "[]");
    check("{{#rows}}{{#cells}}{{.}}{{/cells}};{{/rows}}",
          "{\"rows\":[{\"cells\":[1,2]},{\"cells\":[]},{\"cells\":[3]}]}", "12;;3;");
    check("{{#a}}{{#b}}x{{/b}}{{/a}}", "{\"a\":[1,2],\"b\":true}", "xx");
}

static void test_inverted(void **state)
{
    (void)state;
    static const char *falsy[] = {"{\"a\":false}", "{\"a\":null}", "{}", "{\"a\":\"\"}",
                                  "{\"a\":0}", "{\"a\":[]}"};
    for (size_t i = 0; i < sizeof falsy / sizeof falsy[0]; i++) check("[{{^a}}none{{/a}}]", falsy[i], "[none]");
    static const char *truthy[] = {"{\"a\":true}", "{\"a\":[0]}", "{\"a\":{}}", "{\"a\":\"0\"}",
                                   "{\"a\":1}"};
    for (size_t i = 0; i < sizeof truthy / sizeof truthy[0]; i++) check("[{{^a}}none{{/a}}]", truthy[i], "[]");
    check("{{#a}}{{.}}{{/a}}{{^a}}empty{{/a}}", "{\"a\":[]}", "empty");
    check("{{^a}}{{b}}{{/a}}", "{\"b\":\"ctx kept\"}", "ctx kept");
}

static void test_partials(void **state)
{
    (void)state;
    tmpl_set_t *set = tmpl_set_new();
    add(set, "page", "<ul>{{#items}}{{>parts/row}}{{/items}}</ul>{{>footer}}");
    add(set, "parts/row", "<li>{{name}} ({{site}})</li>");
    add(set, "footer", "<p>{{site}}</p>");
    char err[256] = "";
    assert_int_equal(tmpl_link(set, err, sizeof err), 0);
    char *got = render_with(set, "page", "{\"site\":\"S\",\"items\":[{\"name\":\"a\"},{\"name\":\"<b>\"}]}",
                            NULL, NULL);
    assert_non_null(got);
    assert_string_equal(got, "<ul><li>a (S)</li><li>&lt;b&gt; (S)</li></ul><p>S</p>");
    free(got);
    tmpl_set_free(set);
}

static void test_inheritance(void **state)
{
    (void)state;
    tmpl_set_t *set = tmpl_set_new();
    add(set, "layout", "<title>{{$title}}Default{{/title}}</title><main>{{$content}}none{{/content}}</main>"
                       "<footer>{{$footer}}(c) {{site}}{{/footer}}</footer>");
    add(set, "home", "{{<layout}}\n  {{! only blocks matter here }}\n"
                     "  {{$title}}Home of {{site}}{{/title}}\n"
                     "  {{$content}}{{#items}}<p>{{.}}</p>{{/items}}{{/content}}\n{{/layout}}");
    add(set, "bare", "{{<layout}}{{/layout}}");
    /* Three levels: the outermost override wins. */
    add(set, "section", "{{<layout}}{{$title}}Section{{/title}}{{$content}}[{{$inner}}section-inner{{/inner}}]{{/content}}{{/layout}}");
    add(set, "leaf", "{{<section}}{{$title}}Leaf{{/title}}{{$inner}}leaf-inner{{/inner}}{{/section}}");
    /* An override that reuses its own block name renders the default. */
    add(set, "self", "{{<layout}}{{$title}}<{{$title}}inner{{/title}}>{{/title}}{{/layout}}");
    char err[256] = "";
    assert_int_equal(tmpl_link(set, err, sizeof err), 0);
    const char *ctx = "{\"site\":\"Lab\",\"items\":[\"x\",\"y\"]}";
    char *got = render_with(set, "home", ctx, NULL, NULL);
    assert_string_equal(got, "<title>Home of Lab</title><main><p>x</p><p>y</p></main><footer>(c) Lab</footer>");
    free(got);
    got = render_with(set, "bare", ctx, NULL, NULL);
    assert_string_equal(got, "<title>Default</title><main>none</main><footer>(c) Lab</footer>");
    free(got);
    got = render_with(set, "leaf", ctx, NULL, NULL);
    assert_string_equal(got, "<title>Leaf</title><main>[leaf-inner]</main><footer>(c) Lab</footer>");
    free(got);
    got = render_with(set, "section", ctx, NULL, NULL);
    assert_string_equal(got, "<title>Section</title><main>[section-inner]</main><footer>(c) Lab</footer>");
    free(got);
    got = render_with(set, "self", ctx, NULL, NULL);
    assert_string_equal(got, "<title><inner></title><main>none</main><footer>(c) Lab</footer>");
    free(got);
    /* A layout rendered on its own shows its defaults. */
    got = render_with(set, "layout", "{}", NULL, NULL);
    assert_string_equal(got, "<title>Default</title><main>none</main><footer>(c) </footer>");
    free(got);
    tmpl_set_free(set);
    check_compile_error("{{<layout}}<p>text</p>{{/layout}}", "only {{$block}}");
    check_compile_error("{{<layout}}{{x}}{{/layout}}", "only {{$block}}");
}

/* A translator that wraps the msgid, and answers "<b>" for "Bold". */
static const char *tr_wrap(void *ctx, const char *msgid)
{
    static char buf[256];
    int *calls = ctx;
    (*calls)++;
    if (strcmp(msgid, "Bold") == 0) return "<b>";
    if (strcmp(msgid, "Nothing") == 0) return NULL;
    snprintf(buf, sizeof buf, "T(%s)", msgid);
    return buf;
}

static void test_translation(void **state)
{
    (void)state;
    tmpl_set_t *set = tmpl_set_new();
    add(set, "t", "{{_ Hello world}}|{{_   Multi \n\t line   text  }}|{{_ Bold}}|{{_ Nothing}}|{{_x}}");
    int calls = 0;
    char *got = render_with(set, "t", "{\"_x\":\"var\"}", tr_wrap, &calls);
    assert_non_null(got);
    assert_string_equal(got, "T(Hello world)|T(Multi line text)|&lt;b&gt;|Nothing|var");
    assert_int_equal(calls, 4);
    free(got);
    got = render_with(set, "t", "{}", NULL, NULL);
    assert_string_equal(got, "Hello world|Multi line text|Bold|Nothing|");
    free(got);
    tmpl_set_free(set);
    check("{{_ Fish & chips}}", NULL, "Fish &amp; chips");
    check_compile_error("{{_   }}", "empty text");
}

static void test_comments(void **state)
{
    (void)state;
    check("a{{! a comment }}b", NULL, "ab");
    check("a{{!\nmulti\nline {{ \n}}b", NULL, "ab");
    check("a{{!}}b", NULL, "ab");
    /* Lines are still counted through comments. */
    check_compile_error("{{!\n\n}}{{#x}}", "bad:3:");
}

static void test_malformed(void **state)
{
    (void)state;
    check_compile_error("x\n{{#a}}\nno close", "bad:2: {{#a}} is not closed");
    check_compile_error("{{^a}}", "{{^a}} is not closed");
    check_compile_error("{{$a}}", "{{$a}} is not closed");
    check_compile_error("{{<a}}", "{{<a}} is not closed");
    check_compile_error("x\n{{#a}}\n{{/b}}", "bad:3: {{/b}} does not match {{#a}} opened on line 2");
    check_compile_error("{{#a}}{{#b}}{{/a}}{{/b}}", "does not match");
    check_compile_error("text {{/a}}", "closes nothing");
    check_compile_error("a\nb {{name", "bad:2: unterminated tag");
    check_compile_error("{{{name}}", "unterminated tag");
    check_compile_error("{{", "unterminated tag");
    check_compile_error("{{}}", "empty name");
    check_compile_error("{{  }}", "empty name");
    check_compile_error("{{#}}{{/}}", "empty name");
    check_compile_error("{{{ }}}", "empty name");
    check_compile_error("{{&}}", "empty name");
    check_compile_error("{{>}}", "empty name");
    check_compile_error("{{$ }}{{/ }}", "empty name");
    check_compile_error("{{a b}}", "bad character");
    check_compile_error("{{ #a}}", "bad character");
    check_compile_error("{{a/b}}", "bad character");
    check_compile_error("{{a..b}}", "empty segment");
    check_compile_error("{{.a}}", "empty segment");
    check_compile_error("{{a.}}", "empty segment");
    check_compile_error("{{=<% %>=}}", "delimiters");
}

/* Builds `n` nested sections {{#a}}...{{/a}} into a new string. */
static char *nested(int n)
{
    size_t cap = (size_t)n * 12 + 8, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (int i = 0; i < n; i++) memcpy(s + len, "{{#a}}", 6), len += 6;
    s[len++] = 'x';
    for (int i = 0; i < n; i++) memcpy(s + len, "{{/a}}", 6), len += 6;
    s[len] = '\0';
    return s;
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char *ok = nested(64), *deep = nested(65);
    check(ok, "{\"a\":true}", "x");
    check_compile_error(deep, "nested deeper than 64");
    free(ok);
    free(deep);
}

static void test_size_limit(void **state)
{
    (void)state;
    size_t n = 1024 * 1024;
    char *big = malloc(n + 2);
    assert_non_null(big);
    memset(big, 'x', n + 1);
    big[n + 1] = '\0';
    tmpl_set_t *set = tmpl_set_new();
    char err[256] = "";
    assert_int_equal(tmpl_compile(set, "big", big, n, err, sizeof err), 0);
    assert_int_equal(tmpl_compile(set, "bigger", big, n + 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "larger than"));
    str_t out = STR_INIT;
    assert_int_equal(tmpl_render(set, "big", NULL, NULL, NULL, &out), 0);
    assert_int_equal(out.len, n);
    str_release(&out);
    tmpl_set_free(set);
    free(big);
}

static void test_link_errors(void **state)
{
    (void)state;
    char err[256] = "";
    tmpl_set_t *set = tmpl_set_new();
    add(set, "a", "x\n{{>missing}}");
    assert_int_equal(tmpl_link(set, err, sizeof err), -1);
    assert_string_equal(err, "a:2: partial 'missing' does not exist");
    add(set, "missing", "");
    assert_int_equal(tmpl_link(set, err, sizeof err), 0);
    tmpl_set_free(set);

    set = tmpl_set_new();
    add(set, "child", "{{<base}}{{$x}}y{{/x}}{{/base}}");
    assert_int_equal(tmpl_link(set, err, sizeof err), -1);
    assert_string_equal(err, "child:1: layout 'base' does not exist");
    tmpl_set_free(set);

    set = tmpl_set_new();
    add(set, "a", "{{#x}}{{>b}}{{/x}}");
    add(set, "b", "\n\n{{>c}}");
    add(set, "c", "{{>a}}");
    assert_int_equal(tmpl_link(set, err, sizeof err), -1);
    assert_non_null(strstr(err, "includes itself"));
    tmpl_set_free(set);

    set = tmpl_set_new();
    add(set, "me", "{{>me}}");
    assert_int_equal(tmpl_link(set, err, sizeof err), -1);
    assert_string_equal(err, "me:1: partial 'me' includes itself (cycle)");
    tmpl_set_free(set);

    set = tmpl_set_new();
    add(set, "l1", "{{<l2}}{{/l2}}");
    add(set, "l2", "{{<l1}}{{/l1}}");
    assert_int_equal(tmpl_link(set, err, sizeof err), -1);
    assert_non_null(strstr(err, "layout"));
    assert_non_null(strstr(err, "includes itself"));
    tmpl_set_free(set);

    /* A shared partial used twice is not a cycle. */
    set = tmpl_set_new();
    add(set, "p", "{{>q}}{{>shared}}");
    add(set, "q", "{{>shared}}");
    add(set, "shared", "s");
    assert_int_equal(tmpl_link(set, err, sizeof err), 0);
    tmpl_set_free(set);
}

static void test_render_errors(void **state)
{
    (void)state;
    tmpl_set_t *set = tmpl_set_new();
    add(set, "t", "hello");
    str_t out = STR_INIT;
    str_adds(&out, "kept");
    assert_int_equal(tmpl_render(set, "nope", NULL, NULL, NULL, &out), -1);
    assert_string_equal(str_cstr(&out), "kept");
    assert_false(tmpl_exists(set, "nope"));
    assert_true(tmpl_exists(set, "t"));
    /* Output is appended, so one buffer serves many renders. */
    assert_int_equal(tmpl_render(set, "t", NULL, NULL, NULL, &out), 0);
    assert_int_equal(tmpl_render(set, "t", NULL, NULL, NULL, &out), 0);
    assert_string_equal(str_cstr(&out), "kepthellohello");
    /* An unlinked partial that is missing fails the render and leaves the
     * buffer as it was. */
    add(set, "broken", "before {{>ghost}} after");
    assert_int_equal(tmpl_render(set, "broken", NULL, NULL, NULL, &out), -1);
    assert_string_equal(str_cstr(&out), "kepthellohello");
    str_release(&out);
    tmpl_set_free(set);
}

static void test_partial_depth(void **state)
{
    (void)state;
    /* p0 -> p1 -> ... -> pN: 32 nested partials render, 33 do not. */
    tmpl_set_t *set = tmpl_set_new();
    char name[16], src[32];
    for (int i = 0; i <= 33; i++) {
        snprintf(name, sizeof name, "p%d", i);
        snprintf(src, sizeof src, "%d{{>p%d}}", i, i + 1);
        add(set, name, src);
    }
    add(set, "p33", "end"); /* replaces p33: the chain p1..p33 is 32 deep */
    char *got = render_with(set, "p1", NULL, NULL, NULL);
    assert_non_null(got);
    assert_string_equal(got, "1234567891011121314151617181920212223242526272829303132end");
    free(got);
    assert_null(render_with(set, "p0", NULL, NULL, NULL));
    tmpl_set_free(set);
}

static void test_runaway_render_fails(void **state)
{
    (void)state;
    tmpl_set_t *set = tmpl_set_new();
    add(set, "t", "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}.{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}");
    assert_null(render_with(set, "t", "{\"a\":[1,2,3,4,5,6,7,8,9,10]}", NULL, NULL));
    /* The same template over a small array is fine (3^8 dots). */
    char *got = render_with(set, "t", "{\"a\":[1,2,3]}", NULL, NULL);
    assert_non_null(got);
    assert_int_equal(strlen(got), 6561);
    free(got);
    tmpl_set_free(set);
}

static void test_recompile(void **state)
{
    (void)state;
    tmpl_set_t *set = tmpl_set_new();
    add(set, "t", "one");
    add(set, "t", "two {{x}}");
    char *got = render_with(set, "t", "{\"x\":2}", NULL, NULL);
    assert_string_equal(got, "two 2");
    free(got);
    /* A failed compile keeps the previous version. */
    char err[128];
    assert_int_equal(tmpl_compile(set, "t", "{{#x}}", 6, err, sizeof err), -1);
    got = render_with(set, "t", "{\"x\":3}", NULL, NULL);
    assert_string_equal(got, "two 3");
    free(got);
    /* Many templates: the table grows and every one is still found. */
    for (int i = 0; i < 500; i++) {
        char name[16], src[16];
        snprintf(name, sizeof name, "n%d", i);
        snprintf(src, sizeof src, "%d", i * 7);
        add(set, name, src);
    }
    got = render_with(set, "n321", NULL, NULL, NULL);
    assert_string_equal(got, "2247");
    free(got);
    tmpl_set_free(set);
}

/* Writes `text` to dir/rel, creating parent directories. */
static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/tmpl_test_XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "layout.html", "<h1>{{$title}}T{{/title}}</h1>");
    write_file(dir, "network/home.html", "{{<layout}}{{$title}}{{>network/parts/name}}{{/title}}{{/layout}}");
    write_file(dir, "network/parts/name.html", "{{name}}");
    write_file(dir, "notes.txt", "{{#broken");
    write_file(dir, ".hidden.html", "{{#broken");
    char err[256] = "";
    tmpl_set_t *set = tmpl_load_dir(dir, err, sizeof err);
    if (!set) fail_msg("load: %s", err);
    assert_true(tmpl_exists(set, "network/home"));
    assert_true(tmpl_exists(set, "network/parts/name"));
    assert_false(tmpl_exists(set, "notes"));
    assert_false(tmpl_exists(set, ".hidden"));
    char *got = render_with(set, "network/home", "{\"name\":\"Cremona & Lodi\"}", NULL, NULL);
    assert_string_equal(got, "<h1>Cremona &amp; Lodi</h1>");
    free(got);
    tmpl_set_free(set);

    write_file(dir, "network/bad.html", "ok\n{{>nowhere}}");
    assert_null(tmpl_load_dir(dir, err, sizeof err));
    assert_string_equal(err, "network/bad:2: partial 'nowhere' does not exist");
    write_file(dir, "network/bad.html", "{{#open}}");
    assert_null(tmpl_load_dir(dir, err, sizeof err));
    assert_non_null(strstr(err, "network/bad:1:"));
    assert_null(tmpl_load_dir("/nonexistent/dir", err, sizeof err));

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text),     cmocka_unit_test(test_variables),
        cmocka_unit_test(test_escaping),       cmocka_unit_test(test_raw),
        cmocka_unit_test(test_dotted),         cmocka_unit_test(test_context_stack),
        cmocka_unit_test(test_sections),       cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_partials),       cmocka_unit_test(test_inheritance),
        cmocka_unit_test(test_translation),    cmocka_unit_test(test_comments),
        cmocka_unit_test(test_malformed),      cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_size_limit),     cmocka_unit_test(test_link_errors),
        cmocka_unit_test(test_render_errors),  cmocka_unit_test(test_partial_depth),
        cmocka_unit_test(test_runaway_render_fails), cmocka_unit_test(test_recompile),
        cmocka_unit_test(test_load_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
