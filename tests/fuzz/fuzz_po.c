/* fuzz_po.c — libFuzzer harness for the .po parser, lookups and language
 * negotiation.
 *
 * Each input is parsed as a .po file, then every line of it is looked up as
 * a msgid, and the input is also used as an explicit language choice and as
 * an Accept-Language header against a fixed set of catalogues (loaded once
 * from a temporary directory made at start-up and removed at exit).
 * Checks beyond the sanitizers: a translation is never empty and always
 * valid UTF-8; negotiation returns a loaded code or the fallback; errors
 * start with "line N:". Must never keep state between inputs. */
#include "core/i18n.h"
#include "core/json.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static i18n_t *langs;
static char dir[] = "/tmp/fuzz_po_XXXXXX";

/* Writes one catalogue file into the temporary directory. */
static void put(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) abort();
}

/* Removes the temporary catalogue directory. */
static void cleanup(void)
{
    static const char *names[] = {"it.po", "fr.po", "ar.po", "pt_BR.po"};
    char path[128];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (!mkdtemp(dir)) abort();
    put("it.po", "msgid \"Home\"\nmsgstr \"Pagina iniziale\"\n");
    put("fr.po", "msgid \"Home\"\nmsgstr \"Accueil\"\n");
    put("ar.po", "msgid \"Home\"\nmsgstr \"الرئيسية\"\n");
    put("pt_BR.po", "msgid \"Home\"\nmsgstr \"Página inicial\"\n");
    char err[256];
    langs = i18n_load_dir(dir, NULL, err, sizeof err);
    cleanup();
    if (!langs) abort();
    return 0;
}

/* Checks one translation returned by po_get. */
static void check_translation(const char *t)
{
    if (t && (!*t || !utf8_valid(t, strlen(t)))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256] = "";
    po_catalog_t *cat = po_parse((const char *)data, size, err, sizeof err);
    if (!cat && strncmp(err, "line ", 5) != 0) abort();
    char *text = malloc(size + 1);
    if (!text) abort();
    memcpy(text, data, size);
    text[size] = '\0';
    /* Look up every line (up to 64) as a msgid. */
    char *save = NULL;
    int k = 0;
    for (char *line = strtok_r(text, "\n", &save); line && k < 64; line = strtok_r(NULL, "\n", &save), k++)
        check_translation(po_get(cat, line));
    check_translation(po_get(cat, ""));
    (void)po_count(cat);
    po_free(cat);

    memcpy(text, data, size);
    text[size] = '\0';
    size_t n;
    const char *const *codes = i18n_langs(langs, &n);
    const char *r = i18n_negotiate(langs, text, text, "it");
    const char *r2 = i18n_negotiate(langs, NULL, text, "zz");
    int ok = strcmp(r, "it") == 0, ok2 = strcmp(r2, "zz") == 0;
    for (size_t i = 0; i < n; i++) {
        ok |= r == codes[i];
        ok2 |= r2 == codes[i];
    }
    if (!ok || !ok2) abort();
    const char *name = i18n_native_name(text);
    if (!name) abort();
    (void)i18n_is_rtl(text);
    const char *t = i18n_get(langs, text, text);
    if (!t) abort();
    free(text);
    return 0;
}
