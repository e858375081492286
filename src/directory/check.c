/* check.c — the directory's input checks and reference data: ISO 639
 * language names, e-mail / URL / RUNTS formats, lists of codes, and the
 * taxonomy of integration services (data/directory/taxonomy.json). */
#include "internal.h"
#include "app/settings.h"
#include "core/json.h"
#include "desk/desk.h"
#include <pthread.h>
#include <string.h>

/* ISO 639-1 (or 639-3 where there is no two-letter code) of the languages
 * spoken by the plan's communities, with their English names. */
static const struct { const char *code, *name, *autonym; } languages[] = {
    {"am", "Amharic", "አማርኛ"}, {"ar", "Arabic", "العربية"}, {"bm", "Bambara", "Bamanankan"},
    {"bn", "Bengali", "বাংলা"}, {"de", "German", "Deutsch"}, {"en", "English", "English"},
    {"es", "Spanish", "Español"}, {"fa", "Persian", "فارسی"}, {"ff", "Fula", "Fulfulde"},
    {"fr", "French", "Français"}, {"ha", "Hausa", "Hausa"}, {"hi", "Hindi", "हिन्दी"},
    {"it", "Italian", "Italiano"}, {"ku", "Kurdish", "Kurdî"}, {"mk", "Macedonian", "Македонски"},
    {"pa", "Punjabi", "ਪੰਜਾਬੀ"}, {"ps", "Pashto", "پښتو"}, {"pt", "Portuguese", "Português"},
    {"ro", "Romanian", "Română"}, {"ru", "Russian", "Русский"}, {"si", "Sinhala", "සිංහල"},
    {"so", "Somali", "Soomaali"}, {"sq", "Albanian", "Shqip"}, {"sr", "Serbian", "Српски"},
    {"ta", "Tamil", "தமிழ்"}, {"ti", "Tigrinya", "ትግርኛ"}, {"tl", "Tagalog", "Tagalog"},
    {"tr", "Turkish", "Türkçe"}, {"uk", "Ukrainian", "Українська"}, {"ur", "Urdu", "اردو"},
    {"wo", "Wolof", "Wolof"}, {"yo", "Yoruba", "Yorùbá"}, {"zh", "Chinese", "中文"},
};

const char *dir_language_autonym(const char *code)
{
    for (size_t i = 0; code && i < sizeof languages / sizeof languages[0]; i++)
        if (strcmp(languages[i].code, code) == 0) return languages[i].autonym;
    return NULL;
}

json_t *dir_language_options(const char *selected)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", languages[i].code, "name", languages[i].autonym,
                                           "selected", selected && strcmp(selected, languages[i].code) == 0));
    return a;
}

const char *dir_language_name(const char *code)
{
    for (size_t i = 0; code && i < sizeof languages / sizeof languages[0]; i++)
        if (strcmp(languages[i].code, code) == 0) return languages[i].name;
    return NULL;
}

bool dir_language_ok(const char *s)
{
    return dir_language_name(s) != NULL;
}

bool dir_country_ok(const char *s)
{
    return desk_country_valid(s);
}

bool dir_email_valid(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254) return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot == at + 1 || !dot[1]) return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';') return false;
    return true;
}

bool dir_url_valid(const char *s)
{
    size_t skip = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;
    if (!skip || !s[skip] || s[skip] == '/' || strlen(s) > 500) return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\') return false;
    return true;
}

bool dir_runts_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 12) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

int dir_strings(json_t *body, const char *key, bool (*valid)(const char *), const char *message, json_t **out,
                err_t *e)
{
    json_t *v = json_object_get(body, key);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v) || json_array_size(v) > DIR_LIST_MAX) return err_set(e, 422, "invalid", key, message);
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s) {
        const char *t = json_string_value(s);
        if (!t || !*t || !utf8_valid(t, json_string_length(s)) || utf8_chars(t) > 100 || (valid && !valid(t)))
            return err_set(e, 422, "invalid", key, message);
    }
    *out = v;
    return 0;
}

static json_t *taxonomy;
static pthread_once_t taxonomy_once = PTHREAD_ONCE_INIT;

/* Loads the taxonomy file once (NULL stays when it cannot be read). */
static void taxonomy_load(void)
{
    json_t *t = json_load_file(settings_path("data/directory/taxonomy.json"), 0, NULL);
    if (json_is_array(json_object_get(t, "terms"))) taxonomy = t;
    else json_decref(t);
}

const json_t *dir_taxonomy(void)
{
    pthread_once(&taxonomy_once, taxonomy_load);
    return taxonomy;
}

bool dir_category_ok(const char *code)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(dir_taxonomy(), "terms"), i, t)
        if (strcmp(jstr_or_empty(t, "code"), code) == 0) return true;
    return false;
}

int dir_fail(int rc, err_t *e)
{
    if (rc == 1) return err_set(e, 404, "not_found", NULL, "Not found.");
    if (rc == DB_ECONSTRAINT) return err_set(e, 409, "conflict", NULL, "This conflicts with a record already there.");
    if (rc == DB_EBUSY) return err_set(e, 503, "busy", NULL, "The database is busy: try again.");
    return err_set(e, 500, "internal", NULL, "Internal error.");
}
