/* validate.c — checks of what operators type (dates, codice fiscale, phone,
 * e-mail) and the reference lists as data (ISO 3166 countries and ISO 639
 * languages from data/desk/, topics, channels, outcomes). The lists are
 * loaded once and then only read (safe from many threads). */
#include "core/date.h"
#include "core/log.h"
#include "desk.h"
#include "core/str.h"
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *desk_home(void)
{
    const char *h = getenv("LABIMPACT_HOME");
    return h && *h ? h : ".";
}

/* ---- dates --------------------------------------------------------------------- */

const char *desk_age_band(const char *birth, const char *on)
{
    int by, bm, bd, oy, om, od;
    if (!date_parse(birth, &by, &bm, &bd) || !date_parse(on, &oy, &om, &od)) return NULL;
    int age = oy - by - ((om < bm || (om == bm && od < bd)) ? 1 : 0);
    return age < 18 ? "0-17" : age <= 60 ? "18-60" : "61+";
}

bool desk_valid_age_band(const char *s)
{
    return s && (strcmp(s, "0-17") == 0 || strcmp(s, "18-60") == 0 || strcmp(s, "61+") == 0);
}

/* ---- codice fiscale ------------------------------------------------------------------ */

int desk_cf_check(const char *cf)
{
    size_t n = cf ? strlen(cf) : 0;
    if (n == 11) { /* temporary numeric code: the partita IVA check digit */
        int sum = 0;
        for (int i = 0; i < 11; i++)
            if (!isdigit((unsigned char)cf[i])) return -1;
        for (int i = 0; i < 10; i++) {
            int v = cf[i] - '0';
            if (i % 2) {
                v *= 2;
                if (v > 9) v -= 9;
            }
            sum += v;
        }
        return (10 - sum % 10) % 10 == cf[10] - '0' ? 0 : -2;
    }
    if (n != 16) return -1;
    static const char omocodia[] = "LMNPQRSTUV";
    static const char months[] = "ABCDEHLMPRST";
    for (int i = 0; i < 16; i++) {
        char c = (char)toupper((unsigned char)cf[i]);
        bool digit_pos = (i >= 6 && i <= 7) || (i >= 9 && i <= 10) || (i >= 12 && i <= 14);
        if (digit_pos) {
            if (!isdigit((unsigned char)c) && !strchr(omocodia, c)) return -1;
        } else if (!isupper((unsigned char)c)) {
            return -1;
        }
        if (i == 8 && !strchr(months, c)) return -1;
    }
    static const int odd[26] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
    int sum = 0;
    for (int i = 0; i < 15; i++) {
        char c = (char)toupper((unsigned char)cf[i]);
        int v = isdigit((unsigned char)c) ? c - '0' : c - 'A';
        sum += (i % 2 == 0) ? odd[v] : v; /* positions 1, 3, ... (1-based) are "odd" */
    }
    return toupper((unsigned char)cf[15]) == 'A' + sum % 26 ? 0 : -2;
}

bool desk_valid_phone(const char *s)
{
    int digits = 0;
    if (!s) return false;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p)) digits++;
        else if (!strchr("+ -()/.", *p) || (*p == '+' && p != s)) return false;
    }
    return digits >= 6 && digits <= 15 && strlen(s) <= 30;
}

bool desk_valid_email(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(s) > 254) return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("<>,;\"()[]\\", *p)) return false;
    return at[1] != '.' && s[strlen(s) - 1] != '.';
}

/* ---- reference lists ------------------------------------------------------------------ */

static json_t *countries, *languages; /* {code: {en, it, ...}} */
static pthread_once_t lists_once = PTHREAD_ONCE_INIT;

static json_t *load_list(const char *file, const char *key)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/data/desk/%s", desk_home(), file);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    json_t *map = json_object();
    if (!root) {
        log_error("desk: cannot read %s: %s", path, err.text);
        return map;
    }
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(root, key), i, e) {
        const char *code = json_string_value(json_object_get(e, "code"));
        if (code) json_object_set(map, code, e);
    }
    json_decref(root);
    return map;
}

static void load_lists(void)
{
    countries = load_list("countries.json", "countries");
    languages = load_list("languages.json", "languages");
}

static json_t *get_countries(void)
{
    pthread_once(&lists_once, load_lists);
    return countries;
}

static json_t *get_languages(void)
{
    pthread_once(&lists_once, load_lists);
    return languages;
}

static const char *name_of(json_t *map, const char *code, const char *lang)
{
    json_t *e = code ? json_object_get(map, code) : NULL;
    if (!e) return code;
    const char *n = json_string_value(json_object_get(e, lang ? lang : "en"));
    if (!n || !*n) n = json_string_value(json_object_get(e, "en"));
    return n ? n : code;
}

bool desk_country_valid(const char *code)
{
    return code && strlen(code) == 2 && json_object_get(get_countries(), code) != NULL;
}

const char *desk_country_name(const char *code, const char *lang)
{
    return name_of(get_countries(), code, lang);
}

bool desk_language_valid(const char *code)
{
    return code && strlen(code) == 2 && json_object_get(get_languages(), code) != NULL;
}

const char *desk_language_name(const char *code, const char *lang)
{
    return name_of(get_languages(), code, lang);
}

static int cmp_name(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return strcoll(json_string_value(json_object_get(x, "name")), json_string_value(json_object_get(y, "name")));
}

static json_t *list_json(json_t *map, const char *lang)
{
    size_t n = json_object_size(map), i = 0;
    json_t **items = calloc(n ? n : 1, sizeof *items);
    const char *code;
    json_t *e;
    json_object_foreach(map, code, e) {
        if (i < n) items[i++] = json_pack("{s:s, s:s}", "code", code, "name", name_of(map, code, lang));
    }
    qsort(items, i, sizeof *items, cmp_name);
    json_t *arr = json_array();
    for (size_t k = 0; k < i; k++) json_array_append_new(arr, items[k]);
    free(items);
    return arr;
}

json_t *desk_countries_json(const char *lang)
{
    return list_json(get_countries(), lang);
}

static const char *const topics[] = {"permit_renewal", "family_reunification", "a2_test", "eu_long_term", "citizenship",
                                     "qualification_recognition", "work", "housing", "health", "school", "training",
                                     "language_course", "legal", "social", "family", "orientation", "other", NULL};
static const char *const outcomes[] = {"informed", "assisted", "referred", "procedure_opened", "follow_up", "resolved", NULL};

bool desk_topic_valid(const char *code) { return str_in_list(topics, code); }
const char *const *desk_topics(void) { return topics; }
bool desk_outcome_valid(const char *code) { return str_in_list(outcomes, code); }
const char *const *desk_outcomes(void) { return outcomes; }

bool desk_channel_valid(const char *code)
{
    static const char *const channels[] = {"in_person", "phone", "online", NULL};
    return str_in_list(channels, code);
}
