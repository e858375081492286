/* demo.c — the directory's demo data (demo.h): from the demo network file,
 * for each district its help desk, the CPIA courses and the mediation
 * service; approved associations and upcoming events in Cremona, Luino and
 * Sondrio (the Cremona one with the account demo-association). Names are
 * of organisations and places only, never of people. */
#include "demo.h"
#include "internal.h"
#include "app/org.h"
#include "app/store.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/ical.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

/* The main town of each demo district (where its services are listed). */
static const char *district_town(const char *code)
{
    static const struct { const char *code, *town; } towns[] = {
        {"cremona", "Cremona"}, {"luino", "Luino"}, {"cittiglio", "Cittiglio"}, {"lodi", "Lodi"},
        {"sondrio", "Sondrio"}, {"visconteo-sudmilano", "Rozzano"}, {"garbagnate", "Garbagnate Milanese"},
        {"dalmine", "Dalmine"}, {"bassa-bresciana-orientale", "Montichiari"},
    };
    for (size_t i = 0; i < sizeof towns / sizeof towns[0]; i++)
        if (strcmp(towns[i].code, code) == 0) return towns[i].town;
    return NULL;
}

/* A JSON array of the texts (NULL-terminated). */
static json_t *list(const char *const *v)
{
    json_t *a = json_array();
    for (; *v; v++) json_array_append_new(a, json_string(*v));
    return a;
}

/* Inserts one service of organisation `code`. */
static int service(db_t *db, const scope_t *sys, const char *code, const char *name, const char *description,
                   const char *town, const char *const *langs, const char *const *cats, const char *hours)
{
    dir_org_t o;
    int rc = dir_store_org(sys, db, code, &o);
    if (rc) return rc;
    json_t *l = list(langs), *c = list(cats), *h = json_loads(hours, 0, NULL);
    dir_service_input_t in = {.name = name, .description = description, .address_1 = "Sede del servizio",
                              .city = town, .languages = l, .categories = c, .schedules = h};
    char text[1024];
    dir_search_text(&in, text, sizeof text);
    int64_t id;
    rc = dir_store_service_insert(db, &o, &in, text, db_now(), &id);
    json_decref(l);
    json_decref(c);
    json_decref(h);
    return rc;
}

/* The three services of one district. */
static int district_services(db_t *db, const scope_t *sys, const json_t *d)
{
    const char *code = json_string_value(json_object_get(d, "code")), *town = district_town(code);
    const char *cpia = code;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(d, "partners"), i, p)
        if (strcmp(json_string_value(json_object_get(p, "category")) ?: "", "adult_school") == 0)
            cpia = json_string_value(json_object_get(p, "code"));
    if (!town) return 0;
    char name[256], desc[512];
    static const char *const desk_langs[] = {"it", "en", "fr", "ar", NULL}, *const desk_cats[] = {"help-desk", "legal", NULL};
    static const char *const cpia_langs[] = {"it", NULL}, *const cpia_cats[] = {"language-course", "adult-education", NULL};
    static const char *const med_langs[] = {"ar", "fr", "en", "ur", "zh", "ro", "sq", "uk", NULL},
                             *const med_cats[] = {"mediation", NULL};
    int rc;
    snprintf(name, sizeof name, "Sportello immigrati — %s", town);
    snprintf(desc, sizeof desc, "Informazioni e orientamento su permessi di soggiorno, pratiche e servizi del territorio (%s).",
             json_string_value(json_object_get(d, "name")));
    if ((rc = service(db, sys, code, name, desc, town, desk_langs, desk_cats,
                      "[{\"byday\":\"MO,WE\",\"opens_at\":\"09:00\",\"closes_at\":\"12:30\"},"
                      "{\"byday\":\"TH\",\"opens_at\":\"14:00\",\"closes_at\":\"17:00\"}]")))
        return rc;
    snprintf(name, sizeof name, "CPIA — corsi di italiano per adulti (%s)", town);
    if ((rc = service(db, sys, cpia, name, "Corsi di lingua italiana dalla alfabetizzazione al livello B1, test A2, licenza media per adulti.",
                      town, cpia_langs, cpia_cats, "[{\"byday\":\"MO,TU,WE,TH\",\"opens_at\":\"18:00\",\"closes_at\":\"21:00\"}]")))
        return rc;
    snprintf(name, sizeof name, "Mediazione linguistico-culturale — %s", town);
    return service(db, sys, code, name, "Mediatori e mediatrici per scuole, consultori, ospedali e servizi sociali, su richiesta.",
                   town, med_langs, med_cats, "[{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"09:00\",\"closes_at\":\"17:00\"}]");
}

/* One approved association of district `code`, with one event in `days` days. */
static int association(db_t *db, const scope_t *sys, const char *code, const char *name, const char *desc,
                       const char *const *communities, const char *const *langs, const char *event, int days,
                       dir_association_t *out)
{
    dir_district_t d;
    int rc = dir_store_district(sys, db, code, &d);
    if (rc) return rc;
    json_t *c = list(communities), *l = list(langs);
    char email[128], token[64];
    snprintf(token, sizeof token, "demo-%s-%d", code, days);
    snprintf(email, sizeof email, "associazione-%s-%d@example.org", code, days);
    dir_association_input_t in = {.name = name, .email = email, .description = desc, .legal_form = "aps",
                                  .communities = c, .languages = l};
    int64_t id, eid, now = db_now();
    rc = dir_store_association_insert(db, &d, &in, token, now, &id);
    json_decref(c);
    json_decref(l);
    dir_association_t a = {.id = id, .org_id = d.id};
    if (rc || (rc = dir_store_association_confirm(db, &a, now)) ||
        (rc = dir_store_association_decide(db, &a, "approved", NULL, 0, now)))
        return rc;
    *out = a;
    rome_tm_t t;
    rome_from_utc(now + (int64_t)days * 86400, &t);
    int64_t start;
    if (rome_to_utc(t.year, t.month, t.day, 17, 0, &start)) return DB_ERR;
    dir_event_input_t ev = {.title = event, .place = district_town(code), .description = desc};
    return dir_store_event_insert(db, &d, &a, &ev, start, start + 2 * 3600, NULL, 0, 0, now, &eid);
}

/* A weekly initiative of association `a` (on Wednesdays at 16:00 for half a
 * year, from the coming Wednesday), as an association would post it. */
static int weekly_initiative(db_t *db, const scope_t *sys, const dir_association_t *a, const char *code,
                             const char *title)
{
    dir_district_t d;
    int rc = dir_store_district(sys, db, code, &d);
    if (rc) return rc;
    int64_t now = db_now(), start, until, eid;
    rome_tm_t t;
    rome_from_utc(now, &t);
    rome_from_utc(now + (int64_t)((3 - t.wday + 6) % 7 + 1) * 86400, &t);
    if (rome_to_utc(t.year, t.month, t.day, 16, 0, &start)) return DB_ERR;
    json_t *rec = json_pack("{s:s, s:s}", "freq", "weekly", "until", "2099-01-01");
    char rrule[128], day[11];
    err_t e;
    civil_from_days(civil_to_days(t.year, t.month, t.day) + 182, &t.year, &t.month, &t.day);
    snprintf(day, sizeof day, "%04d-%02d-%02d", t.year, t.month, t.day);
    json_object_set_new(rec, "until", json_string(day));
    rc = dir_recur_rule(rec, start, rrule, &until, &e) ? DB_ERR : 0;
    json_decref(rec);
    dir_event_input_t ev = {.title = title, .place = district_town(code),
                            .description = "Conversazione in italiano davanti a un tè: ogni mercoledì, senza iscrizione."};
    return rc ? rc : dir_store_event_insert(db, &d, a, &ev, start, start + 90 * 60, rrule, until, 0, now, &eid);
}

/* The demo account of association `a` (role association), written to the credentials. */
static int association_account(db_t *db, const dir_association_t *a, FILE *creds)
{
    char password[21], hash[CRYPTO_PWHASH_LEN];
    int64_t uid;
    crypto_random_password(password, 20);
    if (crypto_password_hash(password, hash) != 0) return DB_ERR;
    int rc = store_user_create(db, "demo-association", hash, "Associazione (demo)", NULL, ROLE_ASSOCIATION, a->org_id,
                               db_now(), &uid);
    if (!rc) rc = dir_store_association_decide(db, a, "approved", NULL, uid, db_now());
    if (!rc) fprintf(creds, "%-18s %-12s %-10s %s\n", "demo-association", "association", "cremona", password);
    return rc;
}

int dir_demo(db_t *db, const char *data_file, FILE *log, FILE *creds)
{
    json_error_t jerr;
    json_t *net = json_load_file(data_file, 0, &jerr);
    org_t root;
    if (!net || org_root(db, &root)) {
        fprintf(log, "directory demo: cannot read %s\n", data_file);
        json_decref(net);
        return -1;
    }
    scope_t sys = scope_system(root.path);
    size_t i;
    json_t *d;
    int rc = 0;
    json_array_foreach(json_object_get(net, "districts"), i, d) if (!rc) rc = district_services(db, &sys, d);
    json_decref(net);
    static const char *const ma[] = {"MA", "SN", NULL}, *const ma_l[] = {"ar", "fr", "wo", NULL};
    static const char *const ua[] = {"UA", NULL}, *const ua_l[] = {"uk", "ru", NULL};
    static const char *const in[] = {"IN", "PK", NULL}, *const in_l[] = {"pa", "ur", "hi", NULL};
    dir_association_t a;
    if (!rc) rc = association(db, &sys, "cremona", "Donne del mondo Cremona (demo)",
                              "Incontri, corsi di cucina e di italiano per donne di ogni provenienza.", ma, ma_l,
                              "Festa dei popoli", 12, &a);
    if (!rc) rc = association_account(db, &a, creds);
    if (!rc) rc = weekly_initiative(db, &sys, &a, "cremona", "Tè e parole (demo)");
    if (!rc) rc = association(db, &sys, "luino", "Ponti sul lago (demo)",
                              "Doposcuola e sport per ragazze e ragazzi del territorio.", ua, ua_l, "Torneo di calcio interculturale", 20,
                              &a);
    if (!rc) rc = association(db, &sys, "sondrio", "Comunità del Punjab in Valtellina (demo)",
                              "Accoglienza delle famiglie appena arrivate, mediazione con le scuole.", in, in_l,
                              "Serata di musica e racconti", 30, &a);
    if (rc) fprintf(log, "directory demo: database error %d\n", rc);
    return rc ? -1 : 0;
}
