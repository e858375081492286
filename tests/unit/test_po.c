/* test_po.c — unit tests of the .po parser, lookups and language
 * negotiation (src/core/i18n.c).
 *
 * Tests parse literal .po texts and check exact lookups and exact error
 * messages; the directory test works in its own temporary directory and must
 * never touch the project's locales/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses `src`, failing the test on error. */
static po_catalog_t *parse_ok(const char *src)
{
    char err[256] = "";
    po_catalog_t *cat = po_parse(src, strlen(src), err, sizeof err);
    if (!cat) fail_msg("po_parse: %s", err);
    return cat;
}

/* Expects `src` to be refused with exactly the message `want`. */
static void parse_bad(const char *src, const char *want)
{
    char err[256] = "";
    po_catalog_t *cat = po_parse(src, strlen(src), err, sizeof err);
    if (cat) {
        po_free(cat);
        fail_msg("accepted malformed input: %s", src);
    }
    assert_string_equal(err, want);
}

static void test_basic(void **state)
{
    (void)state;
    po_catalog_t *cat = parse_ok("msgid \"Save\"\nmsgstr \"Salva\"\n\n"
                                 "msgid \"Cancel\"\nmsgstr \"Annulla\"\n");
    assert_string_equal(po_get(cat, "Save"), "Salva");
    assert_string_equal(po_get(cat, "Cancel"), "Annulla");
    assert_null(po_get(cat, "save"));
    assert_null(po_get(cat, "Missing"));
    assert_null(po_get(cat, NULL));
    assert_int_equal(po_count(cat), 2);
    po_free(cat);
    assert_null(po_get(NULL, "Save"));
    assert_int_equal(po_count(NULL), 0);
    cat = parse_ok("");
    assert_int_equal(po_count(cat), 0);
    po_free(cat);
}

static void test_header_and_comments(void **state)
{
    (void)state;
    po_catalog_t *cat = parse_ok(
        "# Italian translation of labimpact.\n"
        "#, fuzzy\n"
        "msgid \"\"\n"
        "msgstr \"\"\n"
        "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
        "\"Language: it\\n\"\n"
        "\n"
        "#. translator note\n"
        "#: src/people/web.c:42\n"
        "#, c-format\n"
        "#| msgid \"Old person\"\n"
        "msgid \"Person\"\n"
        "msgstr \"Persona\"\n"
        "#~ msgid \"Obsolete\"\n"
        "#~ msgstr \"Obsoleto\"\n"
        "   \t\n"
        "#, c-format, fuzzy\n"
        "msgid \"Guess\"\n"
        "msgstr \"Indovinello\"\n"
        "#, fuzzy-not\n"
        "msgid \"Kept\"\n"
        "msgstr \"Tenuto\"\n"
        "msgid \"Untranslated\"\n"
        "msgstr \"\"\n");
    assert_null(po_get(cat, ""));              /* header not stored */
    assert_string_equal(po_get(cat, "Person"), "Persona");
    assert_null(po_get(cat, "Obsolete"));      /* #~ is a comment */
    assert_null(po_get(cat, "Guess"));         /* fuzzy skipped */
    assert_string_equal(po_get(cat, "Kept"), "Tenuto");
    assert_null(po_get(cat, "Untranslated"));  /* empty counts as absent */
    assert_int_equal(po_count(cat), 2);
    po_free(cat);
}

static void test_multiline_and_escapes(void **state)
{
    (void)state;
    po_catalog_t *cat = parse_ok("msgid \"\"\n"
                                 "\"Hello \"\n"
                                 "   \"world\"\n"
                                 "msgstr \"Ciao \"\n"
                                 "\"mondo\"\n"
                                 "\n"
                                 "msgid \"Line\\nTab\\tQuote\\\"Back\\\\slash\"\n"
                                 "msgstr \"Riga\\nTab\\tVirgolette\\\"Barra\\\\\"  \t\n");
    assert_string_equal(po_get(cat, "Hello world"), "Ciao mondo");
    assert_string_equal(po_get(cat, "Line\nTab\tQuote\"Back\\slash"), "Riga\nTab\tVirgolette\"Barra\\");
    po_free(cat);
    /* CRLF line ends and a UTF-8 byte order mark are accepted. */
    cat = parse_ok("\xEF\xBB\xBFmsgid \"City\"\r\nmsgstr \"Città\"\r\n");
    assert_string_equal(po_get(cat, "City"), "Città");
    po_free(cat);
    /* The last line may lack its newline. */
    cat = parse_ok("msgid \"A\"\nmsgstr \"B\"");
    assert_string_equal(po_get(cat, "A"), "B");
    po_free(cat);
}

static void test_context_and_plural(void **state)
{
    (void)state;
    po_catalog_t *cat = parse_ok("msgctxt \"menu\"\nmsgid \"Open\"\nmsgstr \"Apri\"\n\n"
                                 "msgctxt \"status\"\nmsgid \"Open\"\nmsgstr \"Aperto\"\n\n"
                                 "msgid \"Open\"\nmsgstr \"Apertura\"\n\n"
                                 "msgid \"%d file\"\nmsgid_plural \"%d files\"\n"
                                 "msgstr[0] \"%d documento\"\nmsgstr[1] \"%d documenti\"\n"
                                 "msgstr[2] \"%d documenti (molti)\"\n");
    assert_string_equal(po_get(cat, "menu\004Open"), "Apri");
    assert_string_equal(po_get(cat, "status\004Open"), "Aperto");
    assert_string_equal(po_get(cat, "Open"), "Apertura");
    assert_string_equal(po_get(cat, "%d file"), "%d documento");
    assert_null(po_get(cat, "%d files"));
    assert_int_equal(po_count(cat), 4);
    po_free(cat);
    /* A context on its own with an empty msgid is a real entry. */
    cat = parse_ok("msgctxt \"c\"\nmsgid \"\"\nmsgstr \"x\"\n");
    assert_string_equal(po_get(cat, "c\004"), "x");
    po_free(cat);
}

static void test_malformed(void **state)
{
    (void)state;
    parse_bad("msgid \"a\"\nmsgstr \"b", "line 2: unterminated string");
    parse_bad("msgid \"a\\\"\nmsgstr \"b\"", "line 1: unterminated string");
    parse_bad("msgid \"a\"\nmsgstr \"b\"\nmsgfoo \"c\"", "line 3: unknown keyword 'msgfoo'");
    parse_bad("\n\nmsgstr \"b\"", "line 3: msgstr without msgid");
    parse_bad("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\n", "line 4: msgid without msgstr");
    parse_bad("msgid \"a\"\nmsgid \"c\"\n", "line 2: msgid twice without msgstr");
    parse_bad("msgctxt \"x\"\n", "line 1: msgctxt without msgid");
    parse_bad("msgctxt \"x\"\nmsgctxt \"y\"\n", "line 2: msgctxt twice");
    parse_bad("msgid \"a\"\nmsgctxt \"y\"\n", "line 2: msgctxt after msgid");
    parse_bad("msgid \"a\\q\"\nmsgstr \"b\"", "line 1: unknown escape sequence \\q");
    parse_bad("msgid \"a\" junk\nmsgstr \"b\"", "line 1: unexpected text after string");
    parse_bad("\"orphan\"\n", "line 1: string without a keyword");
    parse_bad("msgid\"a\"\n", "line 1: expected a string after 'msgid'");
    parse_bad("msgid a\n", "line 1: expected a string after 'msgid'");
    parse_bad("msgid\n", "line 1: expected a string after 'msgid'");
    parse_bad("42\n", "line 1: expected a keyword or a string");
    parse_bad("msgid \"a\"\nmsgstr[0] \"b\"\n", "line 2: msgstr[0] without msgid_plural");
    parse_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr \"b\"\n", "line 3: msgstr out of place");
    parse_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"b\"\n", "line 3: msgstr[1] out of order");
    parse_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[0] \"c\"\n",
              "line 4: msgstr[0] out of order");
    parse_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[x] \"b\"\n", "line 3: bad plural index");
    parse_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0 \"b\"\n", "line 3: bad plural index");
    parse_bad("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[100] \"b\"\n", "line 3: bad plural index");
    parse_bad("msgid \"a\"\nmsgstr \"b\"\nmsgid_plural \"as\"\n", "line 3: msgid_plural out of place");
    parse_bad("msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", "line 3: msgstr out of place");
    parse_bad("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n", "line 4: duplicate message");
    parse_bad("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"x\xff\"\nmsgstr \"c\"\n", "line 4: invalid UTF-8");
    parse_bad("msgid \"a\"\nmsgstr \"\xC0\xAF\"\n", "line 2: invalid UTF-8");
    parse_bad("msgid \"a\"\nmsgstr \"\xED\xA0\x80\"\n", "line 2: invalid UTF-8");
    char nul[] = "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\0\"\n";
    char err[128] = "";
    assert_null(po_parse(nul, sizeof nul - 1, err, sizeof err));
    assert_string_equal(err, "line 4: NUL byte");
    /* A NUL byte is never a valid escape either. */
    parse_bad("msgid \"a\\0\"\nmsgstr \"b\"", "line 1: unknown escape sequence \\0");
}

static void test_limits(void **state)
{
    (void)state;
    /* 64 KiB per string, counted after joining continuation lines. */
    size_t half = 40 * 1024;
    char *src = malloc(2 * half + 64);
    assert_non_null(src);
    char *p = src;
    p += sprintf(p, "msgid \"");
    memset(p, 'a', half), p += half;
    p += sprintf(p, "\"\n\"");
    memset(p, 'b', half), p += half;
    p += sprintf(p, "\"\nmsgstr \"x\"\n");
    char err[128] = "";
    assert_null(po_parse(src, (size_t)(p - src), err, sizeof err));
    assert_string_equal(err, "line 2: string longer than 65536 bytes");
    free(src);
    /* Files over 8 MiB are refused before parsing. */
    size_t big = 8 * 1024 * 1024 + 1;
    src = malloc(big);
    assert_non_null(src);
    memset(src, '\n', big);
    assert_null(po_parse(src, big, err, sizeof err));
    assert_non_null(strstr(err, "8 MiB"));
    po_catalog_t *cat = po_parse(src, big - 1, err, sizeof err);
    assert_non_null(cat);
    po_free(cat);
    free(src);
}

static void test_many_entries(void **state)
{
    (void)state;
    size_t cap = 2000 * 48, len = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    for (int i = 0; i < 2000; i++)
        len += (size_t)snprintf(src + len, cap - len, "msgid \"k%d\"\nmsgstr \"v%d\"\n\n", i, i * 3);
    po_catalog_t *cat = parse_ok(src);
    assert_int_equal(po_count(cat), 2000);
    assert_string_equal(po_get(cat, "k0"), "v0");
    assert_string_equal(po_get(cat, "k1234"), "v3702");
    assert_string_equal(po_get(cat, "k1999"), "v5997");
    assert_null(po_get(cat, "k2000"));
    po_free(cat);
    free(src);
}

/* Writes `text` into dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Removes a temporary directory tree. */
static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* A loaded set of it, fr, ar, pt_BR and pt for the tests below. */
static i18n_t *load_sample(char *dir)
{
    assert_non_null(mkdtemp(dir));
    write_file(dir, "it.po", "msgid \"Home\"\nmsgstr \"Pagina iniziale\"\n"
                             "msgid \"Empty\"\nmsgstr \"\"\n");
    write_file(dir, "fr.po", "msgid \"Home\"\nmsgstr \"Accueil\"\n");
    write_file(dir, "ar.po", "msgid \"Home\"\nmsgstr \"الرئيسية\"\n");
    write_file(dir, "pt.po", "msgid \"Home\"\nmsgstr \"Início\"\n");
    write_file(dir, "pt_BR.po", "msgid \"Home\"\nmsgstr \"Página inicial\"\n");
    write_file(dir, "README.txt", "not a catalogue");
    write_file(dir, "labimpact.pot", "msgid \"Home\"\nmsgstr \"\"\n");
    write_file(dir, ".hidden.po", "garbage");
    char err[256] = "";
    i18n_t *in = i18n_load_dir(dir, NULL, err, sizeof err);
    if (!in) fail_msg("load: %s", err);
    return in;
}

static void test_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/po_test_XXXXXX";
    i18n_t *in = load_sample(dir);
    size_t n = 0;
    const char *const *langs = i18n_langs(in, &n);
    assert_int_equal(n, 5);
    assert_string_equal(langs[0], "ar");
    assert_string_equal(langs[1], "fr");
    assert_string_equal(langs[2], "it");
    assert_string_equal(langs[3], "pt");
    assert_string_equal(langs[4], "pt_BR");
    assert_true(i18n_has(in, "it"));
    assert_true(i18n_has(in, "pt_BR"));
    assert_false(i18n_has(in, "pt-BR"));
    assert_false(i18n_has(in, "en"));
    assert_false(i18n_has(in, NULL));
    assert_string_equal(i18n_get(in, "it", "Home"), "Pagina iniziale");
    assert_string_equal(i18n_get(in, "ar", "Home"), "الرئيسية");
    /* Fallbacks: the msgid itself, as the same pointer. */
    const char *msgid = "Empty";
    assert_ptr_equal(i18n_get(in, "it", msgid), msgid);
    assert_string_equal(i18n_get(in, "it", "Unknown"), "Unknown");
    assert_string_equal(i18n_get(in, "en", "Home"), "Home");
    assert_string_equal(i18n_get(in, NULL, "Home"), "Home");
    assert_string_equal(i18n_get(NULL, "it", "Home"), "Home");
    assert_string_equal(i18n_get(in, "it", NULL), "");
    i18n_free(in);

    /* Errors name the file (and the line for parse errors). */
    char err[256] = "";
    write_file(dir, "es.po", "msgid \"Home\"\nmsgstr \"Inicio\n");
    assert_null(i18n_load_dir(dir, NULL, err, sizeof err));
    assert_non_null(strstr(err, "/es.po: line 2: unterminated string"));
    char path[600];
    snprintf(path, sizeof path, "%s/es.po", dir);
    assert_int_equal(unlink(path), 0);
    static const char *bad_names[] = {"Italian.po", "i.po", "ital.po", "pt_br.po", "pt-BR.po",
                                      "pt_BRA.po", "IT.po"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        write_file(dir, bad_names[i], "");
        err[0] = '\0';
        assert_null(i18n_load_dir(dir, NULL, err, sizeof err));
        if (!strstr(err, "not a language code")) fail_msg("%s: %s", bad_names[i], err);
        snprintf(path, sizeof path, "%s/%s", dir, bad_names[i]);
        assert_int_equal(unlink(path), 0);
    }
    write_file(dir, "ckb.po", "");
    in = i18n_load_dir(dir, NULL, err, sizeof err);
    assert_non_null(in);
    assert_true(i18n_has(in, "ckb"));
    i18n_free(in);
    remove_tree(dir);
    assert_null(i18n_load_dir("/nonexistent/locales", NULL, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/locales"));

    /* An empty directory is a valid, empty set. */
    char empty[] = "/tmp/po_empty_XXXXXX";
    assert_non_null(mkdtemp(empty));
    in = i18n_load_dir(empty, NULL, err, sizeof err);
    assert_non_null(in);
    assert_non_null(i18n_langs(in, &n));
    assert_int_equal(n, 0);
    assert_string_equal(i18n_negotiate(in, "it", "fr", "it"), "it");
    i18n_free(in);
    remove_tree(empty);
}

static void test_negotiate(void **state)
{
    (void)state;
    char dir[] = "/tmp/po_neg_XXXXXX";
    i18n_t *in = load_sample(dir);
    size_t n;
    const char *const *langs = i18n_langs(in, &n);
    const char *fb = "it";
    /* The explicit choice wins when loaded, and is returned owned by `in`. */
    const char *r = i18n_negotiate(in, "ar", "fr", fb);
    assert_ptr_equal(r, langs[0]);
    assert_string_equal(i18n_negotiate(in, "fr-CH", "ar", fb), "fr");
    assert_string_equal(i18n_negotiate(in, "PT-br", NULL, fb), "pt_BR");
    assert_string_equal(i18n_negotiate(in, "en", "fr", fb), "fr");
    assert_string_equal(i18n_negotiate(in, "<script>", "fr", fb), "fr");
    assert_string_equal(i18n_negotiate(in, "", "fr", fb), "fr");
    /* q-values, ties to the earlier, q=0 means "not this". */
    assert_string_equal(i18n_negotiate(in, NULL, "fr;q=0.5, ar;q=0.8", fb), "ar");
    assert_string_equal(i18n_negotiate(in, NULL, "fr;q=0.8, ar;q=0.8", fb), "fr");
    assert_string_equal(i18n_negotiate(in, NULL, "ar;q=0, fr;q=0.001", fb), "fr");
    assert_string_equal(i18n_negotiate(in, NULL, "ar;q=0", fb), "it");
    assert_string_equal(i18n_negotiate(in, NULL, "de-DE,de;q=0.9,fr;q=0.8,en;q=0.7", fb), "fr");
    assert_string_equal(i18n_negotiate(in, NULL, "ar;q=1.000, fr", fb), "ar");
    /* Region subtags: exact first, then the primary language. */
    assert_string_equal(i18n_negotiate(in, NULL, "fr-CH", fb), "fr");
    assert_string_equal(i18n_negotiate(in, NULL, "pt-BR", fb), "pt_BR");
    assert_string_equal(i18n_negotiate(in, NULL, "pt-PT", fb), "pt");
    assert_string_equal(i18n_negotiate(in, NULL, "AR-eg", fb), "ar");
    /* `*` stands for the fallback. */
    assert_string_equal(i18n_negotiate(in, NULL, "de, *;q=0.5, fr;q=0.1", "pt"), "pt");
    assert_string_equal(i18n_negotiate(in, NULL, "*", "fr"), "fr");
    /* Malformed headers are tolerated: bad items are skipped. */
    assert_string_equal(i18n_negotiate(in, NULL, ",,; ;q=,ar;q=2,ar;q=x,ar;q=0.5.1,  fr  ;  q=0.3 ", fb), "fr");
    assert_string_equal(i18n_negotiate(in, NULL, "\"fr\", f r, fr;level=1;q=0.2", fb), "fr");
    assert_string_equal(i18n_negotiate(in, NULL, "ar;q=0.8;q=x", fb), "it");
    assert_string_equal(i18n_negotiate(in, NULL, "", fb), "it");
    assert_string_equal(i18n_negotiate(in, NULL, ";;;", fb), "it");
    assert_string_equal(i18n_negotiate(in, NULL, "fr;q=-1", fb), "it");
    /* Nothing matches: the fallback, owned by `in` when loaded, else itself. */
    const char *other = "de";
    assert_ptr_equal(i18n_negotiate(in, NULL, "xx", other), other);
    assert_ptr_equal(i18n_negotiate(in, NULL, NULL, "it"), langs[2]);
    assert_null(i18n_negotiate(in, NULL, NULL, NULL));
    assert_string_equal(i18n_negotiate(NULL, "fr", "fr", "it"), "it");
    i18n_free(in);
    remove_tree(dir);
}

static void test_rtl(void **state)
{
    (void)state;
    static const char *rtl[] = {"ar", "fa", "he", "ps", "ur", "ckb", "yi", "dv", "sd", "ug",
                                "ar_EG", "AR-eg", "fa-IR"};
    for (size_t i = 0; i < sizeof rtl / sizeof rtl[0]; i++)
        if (!i18n_is_rtl(rtl[i])) fail_msg("%s should be RTL", rtl[i]);
    static const char *ltr[] = {"it", "en", "fr", "zh", "bn", "arx", "a", "", "ara", "ck"};
    for (size_t i = 0; i < sizeof ltr / sizeof ltr[0]; i++)
        if (i18n_is_rtl(ltr[i])) fail_msg("%s should not be RTL", ltr[i]);
    assert_false(i18n_is_rtl(NULL));
}

static void test_native_names(void **state)
{
    (void)state;
    assert_string_equal(i18n_native_name("it"), "Italiano");
    assert_string_equal(i18n_native_name("en"), "English");
    assert_string_equal(i18n_native_name("fr"), "Français");
    assert_string_equal(i18n_native_name("ar"), "العربية");
    assert_string_equal(i18n_native_name("zh"), "中文");
    assert_string_equal(i18n_native_name("uk"), "Українська");
    assert_string_equal(i18n_native_name("ur"), "اردو");
    assert_string_equal(i18n_native_name("sq"), "Shqip");
    assert_string_equal(i18n_native_name("ro"), "Română");
    assert_string_equal(i18n_native_name("ti"), "ትግርኛ");
    assert_string_equal(i18n_native_name("pt_BR"), "Português");
    assert_string_equal(i18n_native_name("ES"), "Español");
    const char *unknown = "xx";
    assert_ptr_equal(i18n_native_name(unknown), unknown);
    assert_string_equal(i18n_native_name(NULL), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),          cmocka_unit_test(test_header_and_comments),
        cmocka_unit_test(test_multiline_and_escapes), cmocka_unit_test(test_context_and_plural),
        cmocka_unit_test(test_malformed),      cmocka_unit_test(test_limits),
        cmocka_unit_test(test_many_entries),   cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_negotiate),      cmocka_unit_test(test_rtl),
        cmocka_unit_test(test_native_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
