/* demo.c — synthetic, reproducible mediation data for `labimpact demo`:
 * mediators with the languages of Lombardy's main communities in the demo
 * districts, requesting bodies, and a season of requests (the last four
 * months and the next one) assigned, closed out, cancelled or still open.
 * Goes through the store and the pay arithmetic like the server does (the
 * slots' key still refuses any double booking), but sends no e-mail.
 * Names are invented; any likeness to real people is chance. */
#include "demo.h"
#include "core/crypto.h"
#include "core/ical.h"
#include "mediation.h"
#include "governance/governance.h"
#include "store.h"
#include <stdio.h>
#include <string.h>

typedef struct rng {
    uint64_t s;
} rng_t;

static uint64_t next(rng_t *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static int pick(rng_t *r, int n)
{
    return (int)(next(r) % (uint64_t)n);
}

/* A community: its languages and typical names. Weight ~ its size in Lombardy. */
static const struct community {
    const char *langs[3];
    const char *given[4], *family[4];
    int weight;
} communities[] = {
    {{"ro", NULL}, {"Elena", "Ioana", "Mihai", "Andrei"}, {"Popescu", "Ionescu", "Stan", "Dumitru"}, 14},
    {{"ar", "fr", NULL}, {"Amina", "Youssef", "Fatima", "Karim"}, {"El Idrissi", "Benali", "Haddad", "Mansouri"}, 16},
    {{"sq", "it", NULL}, {"Arta", "Besnik", "Elira", "Gent"}, {"Hoxha", "Krasniqi", "Shehu", "Leka"}, 10},
    {{"zh", NULL}, {"Wei", "Li", "Mei", "Jun"}, {"Chen", "Hu", "Zhou", "Wang"}, 8},
    {{"ur", "pa", "en"}, {"Ayesha", "Imran", "Sana", "Bilal"}, {"Khan", "Malik", "Iqbal", "Butt"}, 8},
    {{"pa", "hi", "en"}, {"Harpreet", "Gurpreet", "Manjit", "Jasvir"}, {"Singh", "Kaur", "Gill", "Sandhu"}, 6},
    {{"bn", "en", NULL}, {"Rahim", "Nusrat", "Tanvir", "Farzana"}, {"Hossain", "Rahman", "Ahmed", "Islam"}, 5},
    {{"uk", "ru", NULL}, {"Olena", "Oksana", "Taras", "Iryna"}, {"Kovalenko", "Shevchenko", "Bondar", "Melnyk"}, 7},
    {{"es", NULL}, {"Lucía", "Carlos", "María", "José"}, {"Quispe", "Mendoza", "Rojas", "Vargas"}, 7},
    {{"wo", "fr", NULL}, {"Fatou", "Moussa", "Aminata", "Cheikh"}, {"Diop", "Ndiaye", "Fall", "Sow"}, 5},
    {{"ti", "ar", "en"}, {"Senait", "Yonas", "Helen", "Dawit"}, {"Tesfay", "Gebremedhin", "Haile", "Berhane"}, 3},
    {{"fr", "en", NULL}, {"Grace", "Emmanuel", "Blessing", "Joseph"}, {"Okafor", "Mensah", "Kouassi", "Traoré"}, 5},
};
#define NCOMM (sizeof communities / sizeof communities[0])

static const char *const domains[] = {"school", "health", "social", "legal"};

static const struct {
    const char *name, *kind, *place;
} bodies[] = {
    {"Istituto comprensivo", "school", "via Roma 1"},
    {"Consultorio familiare", "health", "via Dante 12"},
    {"Ospedale - Pediatria", "health", "viale Concordia 1"},
    {"Servizi sociali del Comune", "social", "piazza del Comune 1"},
    {"CPIA - sede", "school", "via Brescia 5"},
    {"Sportello tutela minori", "legal", "via Verdi 3"},
};

static int weighted_community(rng_t *r)
{
    int total = 0;
    for (size_t i = 0; i < NCOMM; i++) total += communities[i].weight;
    int x = pick(r, total);
    for (size_t i = 0; i < NCOMM; i++) {
        if (x < communities[i].weight) return (int)i;
        x -= communities[i].weight;
    }
    return 0;
}

/* Mediators of one district; ids into `ids` (at most max). */
static int add_mediators(db_t *db, rng_t *r, const med_district_t *dist, int n, int64_t *ids, int max,
                         const med_account_t *link, int *count)
{
    int rc = 0;
    for (int i = 0; i < n && i < max && rc == 0; i++) {
        const struct community *c = &communities[i < (int)NCOMM ? i : weighted_community(r)];
        med_mediator_input_t in;
        memset(&in, 0, sizeof in);
        char email[128];
        in.given_name = c->given[pick(r, 4)];
        in.family_name = c->family[pick(r, 4)];
        snprintf(email, sizeof email, "mediatore.%s.%d@example.org", dist->code, i + 1);
        in.email = email;
        in.languages = json_array();
        for (int k = 0; k < 3 && c->langs[k]; k++) json_array_append_new(in.languages, json_string(c->langs[k]));
        in.domains = json_array();
        for (int d = 0; d < 4; d++)
            if (d == 0 || pick(r, 3) > 0) json_array_append_new(in.domains, json_string(domains[d]));
        in.qualifications = json_pack("[s]", pick(r, 2) ? "Mediatore interculturale - qualifica regionale"
                                                        : "Laurea in mediazione linguistica e culturale");
        in.training = json_pack("[s, s]", "Formazione Lab'Impact: mediazione in ambito sanitario (2024)",
                                "Tirocinio presso i servizi del territorio");
        in.remote = pick(r, 4) ? 1 : 0;
        in.active = 1;
        /* Most work weekdays; some only mornings or afternoons. */
        in.availability = json_array();
        int shape = pick(r, 4);
        for (int d = 1; d <= 5; d++) {
            if (shape == 0) continue; /* any time */
            json_array_append_new(in.availability, json_pack("{s:i, s:s, s:s}", "weekday", d, "from",
                                                             shape == 2 ? "13:00" : "08:00", "to",
                                                             shape == 1 ? "13:00" : "19:00"));
        }
        if (json_array_size(in.availability) == 0) {
            json_decref(in.availability);
            in.availability = NULL;
        }
        char token[CRYPTO_TOKEN_LEN + 1];
        crypto_token(token);
        int64_t id;
        rc = med_store_mediator_insert(db, dist, &in, i == 0 ? link : NULL, token, db_now(), &id);
        json_decref(in.languages);
        json_decref(in.domains);
        json_decref(in.qualifications);
        json_decref(in.training);
        json_decref(in.availability);
        if (!rc) ids[(*count)++] = id;
    }
    return rc;
}

/* One request of the season; assigned / closed / cancelled by its date. */
static int add_request(db_t *db, rng_t *r, const med_district_t *d, const med_body_t *bodies_made, int nbodies,
                       int64_t start, int64_t now, int *made)
{
    const struct community *c = &communities[weighted_community(r)];
    int b = pick(r, nbodies);
    med_request_input_t in;
    memset(&in, 0, sizeof in);
    in.language = c->langs[0];
    in.domain = bodies[b % (int)(sizeof bodies / sizeof bodies[0])].kind;
    if (strcmp(in.domain, "school") != 0 && strcmp(in.domain, "health") != 0 && strcmp(in.domain, "legal") != 0)
        in.domain = "social";
    in.minutes = 30 + 15 * pick(r, 7);
    in.remote = pick(r, 6) == 0;
    in.place = in.remote ? NULL : bodies[b % (int)(sizeof bodies / sizeof bodies[0])].place;
    in.requester_name = "Referente del servizio";
    int64_t id;
    scope_t sys = scope_system("/");
    char day[17];
    err_t ge = {0};
    rome_format(start, day); /* its project: the district's on the local date (governance.h) */
    day[10] = '\0';
    if (gov_project_of(db, d->org_id, day, 0, &in.project_id, &ge)) return DB_ERR;
    int rc = med_store_request_insert(&sys, db, d, &bodies_made[b], NULL, &in, start, start - 86400 * (2 + pick(r, 10)), &id);
    if (rc) return rc;
    (*made)++;
    med_request_t req;
    if ((rc = med_store_request_get(&sys, db, id, &req))) return rc < 0 ? rc : DB_ERR;
    /* Some requests are still open (future ones, mostly). */
    if (start > now && pick(r, 3) == 0) return 0;
    json_t *rows = json_array();
    rc = med_candidate_rows(db, &req, rows);
    int64_t chosen_id = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        if (chosen_id || !json_is_true(json_object_get(row, "active")) || !json_is_true(json_object_get(row, "domain_ok")) ||
            !json_is_true(json_object_get(row, "available")) || json_is_true(json_object_get(row, "busy")) ||
            (req.remote && !json_is_true(json_object_get(row, "takes_remote"))))
            continue;
        chosen_id = json_integer_value(json_object_get(row, "id"));
    }
    json_decref(rows);
    if (rc) return rc;
    if (!chosen_id) { /* nobody was free: a past request ends void */
        med_pay_t none;
        memset(&none, 0, sizeof none);
        return start > now ? 0 : med_store_request_cancel(db, &req, "void", "Nessun mediatore disponibile", NULL, &none, start - 86400);
    }
    med_mediator_t chosen;
    if ((rc = med_store_mediator_get(&sys, db, chosen_id, &chosen))) return rc < 0 ? rc : DB_ERR;
    int64_t first, last;
    med_slots(req.start_at, req.end_at, &first, &last);
    if ((rc = med_store_slots_book(db, &req, &chosen, first, last))) return rc == DB_ECONSTRAINT ? 0 : rc;
    int64_t assigned_at = start - 86400 * (1 + pick(r, 2));
    if ((rc = med_store_request_assign(db, &req, &chosen, assigned_at)) != 0) return rc < 0 ? rc : 0;
    if (start > now) return 0;
    med_tariff_t t;
    if (med_tariff_for(d->code, start, &t) != 0) return 0;
    med_pay_t pay;
    int outcome = pick(r, 20);
    if (outcome == 0) { /* void */
        memset(&pay, 0, sizeof pay);
        if ((rc = med_store_slots_free(db, &req))) return rc;
        return med_store_request_cancel(db, &req, "void", "Annullata dal servizio", NULL, &pay, start - 86400 * 3);
    }
    if (outcome == 1) { /* late */
        med_pay_compute(&t, MED_LATE, start, req.minutes, 0, req.remote, 0, &pay);
        if ((rc = med_store_slots_free(db, &req))) return rc;
        return med_store_request_cancel(db, &req, "late", "L'utente non si è presentato", t.ref, &pay, start - 3600 * 5);
    }
    int worked = req.minutes - 15 + 15 * pick(r, 3);
    if (worked < 15) worked = 15;
    int64_t hm = req.remote ? 0 : 20 + pick(r, 300);
    med_pay_compute(&t, MED_DONE, start, req.minutes, worked, req.remote, hm, &pay);
    char token[CRYPTO_TOKEN_LEN + 1];
    crypto_token(token);
    rc = med_store_request_close(db, &req, worked, hm, t.ref, &pay, token, start + req.minutes * 60 + 3600);
    if (!rc && pick(r, 2)) rc = med_store_request_confirm(db, &req, 3 + pick(r, 3), start + 86400);
    return rc;
}

int mediation_demo(db_t *db, unsigned long seed, long scale, FILE *log)
{
    static const char *const districts[] = {"cremona", "luino", "lodi", "sondrio", NULL};
    rng_t r = {seed * 2654435761u + 0x9E3779B97F4A7C15ull};
    scope_t sys = scope_system("/");
    int64_t now = db_now();
    int nmed = 0, nreq = 0, rc = 0;
    /* The demo mediator account is linked to Cremona's first mediator. */
    med_account_t link = {0};
    med_store_account(&sys, db, "demo-mediator", &link);
    scope_t linked = sys; /* the scope of that account: its mediator record, if any */
    linked.user_id = link.user_id;
    int64_t existing = 0;
    if ((rc = med_store_self_id(&linked, db, &existing))) return rc;
    if (link.user_id && existing) {
        fprintf(log, "demo: mediation data already present, left as it is\n");
        return 0;
    }
    for (const char *const *d = districts; *d && rc == 0; d++) {
        med_district_t dist;
        if (med_store_district(&sys, db, *d, &dist) != 0) continue;
        int64_t ids[64];
        med_body_t body_made[8];
        int n = 0, per = strcmp(*d, "cremona") == 0 ? 24 : 14;
        bool cremona = strcmp(*d, "cremona") == 0;
        if ((rc = add_mediators(db, &r, &dist, per, ids, 64, cremona && link.user_id ? &link : NULL, &n))) break;
        nmed += n;
        int nb = (int)(sizeof bodies / sizeof bodies[0]);
        for (int b = 0; b < nb && rc == 0; b++) {
            char name[160], token[CRYPTO_TOKEN_LEN + 1];
            snprintf(name, sizeof name, "%s - %s", bodies[b].name, dist.code);
            crypto_token(token);
            med_body_input_t in = {name, bodies[b].kind, NULL, NULL};
            rc = med_store_body_insert(db, &dist, &in, token, now, &body_made[b]);
        }
        /* A season: 120 days back, 30 ahead; a few requests per working day. */
        long per_day = scale > 400 ? 6 : strcmp(*d, "cremona") == 0 ? 3 : 1;
        rome_tm_t today;
        rome_from_utc(now, &today);
        int64_t day0 = civil_to_days(today.year, today.month, today.day);
        for (int64_t day = day0 - 120; day <= day0 + 30 && rc == 0; day++) {
            int y, m, dd;
            civil_from_days(day, &y, &m, &dd);
            int64_t noon;
            if (rome_to_utc(y, m, dd, 12, 0, &noon) != 0) continue;
            rome_tm_t t;
            rome_from_utc(noon, &t);
            if (t.wday >= 6) continue;
            long k = per_day + pick(&r, 2);
            for (long j = 0; j < k && rc == 0; j++) {
                int64_t start;
                int hour = 8 + pick(&r, 10), minute = 15 * pick(&r, 4);
                if (pick(&r, 15) == 0) hour = 20; /* an evening now and then */
                if (rome_to_utc(y, m, dd, hour, minute, &start) != 0) continue;
                rc = add_request(db, &r, &dist, body_made, nb, start, now, &nreq);
            }
        }
    }
    if (!rc) fprintf(log, "demo: mediation: %d mediators, %d requests (seed %lu)\n", nmed, nreq, seed);
    return rc;
}
