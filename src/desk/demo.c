/* demo.c — reproducible synthetic help-desk data for `labimpact demo
 * --persons N --seed S`: persons across the demo districts with countries of
 * citizenship weighted as Lombardy's third-country residents (ISTAT: Morocco,
 * Albania, Egypt, China, Ukraine, India, Pakistan, Philippines, Peru,
 * Senegal, Bangladesh, Sri Lanka, Ecuador, Nigeria, Tunisia, Moldova...),
 * realistic ages, about ten consultations each over the last two years with
 * weighted topics, and procedures with their deadlines (about one person in
 * five). The same N and S give the same data. Uses the store functions the
 * server uses, so demo data obeys the same rules. Never invents real people:
 * names are combined at random from common name lists. */
#include "core/log.h"
#include "app/org.h"
#include "desk.h"
#include "governance/governance.h"
#include "store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rng {
    uint64_t s;
} rng_t;

static uint64_t next(rng_t *r)
{
    uint64_t x = r->s; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static int pick(rng_t *r, int n)
{
    return (int)(next(r) % (uint64_t)n);
}

typedef struct origin {
    const char *cc;
    int weight;       /* per mille, roughly */
    int female;       /* percent */
    int group;        /* name list */
    const char *lang; /* first language */
} origin_t;

static const origin_t origins[] = {
    {"MA", 120, 46, 0, "ar"}, {"AL", 110, 49, 1, "sq"}, {"EG", 95, 35, 0, "ar"},  {"CN", 80, 50, 2, "zh"},
    {"UA", 70, 78, 3, "uk"},  {"IN", 60, 42, 4, "hi"},  {"PK", 55, 33, 4, "ur"},  {"PH", 50, 58, 5, "tl"},
    {"PE", 45, 58, 6, "es"},  {"SN", 40, 28, 7, "fr"},  {"BD", 35, 30, 4, "bn"},  {"LK", 35, 48, 4, "si"},
    {"EC", 30, 57, 6, "es"},  {"NG", 30, 48, 8, "en"},  {"TN", 30, 38, 0, "ar"},  {"MD", 30, 66, 3, "ro"},
    {"BR", 20, 65, 6, "pt"},  {"GH", 15, 45, 8, "en"},  {"CI", 15, 45, 7, "fr"},  {"SV", 15, 60, 6, "es"},
    {"TR", 10, 40, 0, "tr"},  {"GE", 10, 70, 3, "ka"},  {"XX", 5, 40, 0, "ar"},
};

static const char *const given_m[9][8] = {
    {"Mohamed", "Ahmed", "Youssef", "Omar", "Karim", "Hamza", "Mustafa", "Abdelkader"},
    {"Arben", "Ermal", "Besnik", "Gentian", "Ilir", "Florian", "Klodian", "Dritan"},
    {"Wei", "Jun", "Hao", "Lei", "Ming", "Jian", "Tao", "Bo"},
    {"Oleksandr", "Andriy", "Serhiy", "Ion", "Vasile", "Dmytro", "Mykola", "Giorgi"},
    {"Muhammad", "Ali", "Rahul", "Imran", "Sandeep", "Kamal", "Nuwan", "Rashid"},
    {"Jose", "Mark", "John Paul", "Ramon", "Christian", "Jerome", "Rommel", "Ariel"},
    {"Luis", "Carlos", "Jorge", "Juan", "Diego", "Miguel", "Wilson", "Edwin"},
    {"Mamadou", "Ibrahima", "Moussa", "Cheikh", "Abdoulaye", "Ousmane", "Aliou", "Souleymane"},
    {"Chinedu", "Emeka", "Kwame", "Samuel", "Daniel", "Godwin", "Kofi", "Tunde"},
};
static const char *const given_f[9][8] = {
    {"Fatima", "Khadija", "Amina", "Salma", "Nour", "Meriem", "Hanane", "Yasmine"},
    {"Elira", "Anila", "Ermira", "Blerina", "Drita", "Mirela", "Valbona", "Jonida"},
    {"Li", "Mei", "Xiu", "Ying", "Fang", "Jing", "Hui", "Lan"},
    {"Olena", "Natalia", "Iryna", "Oksana", "Svitlana", "Tetiana", "Maria", "Nino"},
    {"Ayesha", "Priya", "Sunita", "Fatima", "Nasrin", "Anjali", "Shirin", "Kumari"},
    {"Maria", "Jennifer", "Rowena", "Maricel", "Analyn", "Grace", "Joy", "Cristina"},
    {"Rosa", "Ana", "Carmen", "Gloria", "Luz", "Patricia", "Juana", "Milagros"},
    {"Aissatou", "Fatou", "Mariama", "Awa", "Ndeye", "Khady", "Coumba", "Aminata"},
    {"Blessing", "Chioma", "Ama", "Esther", "Grace", "Ngozi", "Abena", "Joy"},
};
static const char *const family[9][10] = {
    {"El Amrani", "Benali", "Haddad", "Mansour", "El Idrissi", "Bouzid", "Ben Ahmed", "Saleh", "Abdelrahman", "Farouk"},
    {"Hoxha", "Shehu", "Gjoka", "Leka", "Kola", "Dervishi", "Basha", "Muca", "Cela", "Prifti"},
    {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhou", "Wu", "Xu"},
    {"Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Rusu", "Ceban", "Tkachenko", "Popescu", "Beridze", "Lysenko"},
    {"Khan", "Singh", "Hussain", "Kumar", "Ahmed", "Rahman", "Perera", "Fernando", "Islam", "Sharma"},
    {"Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Dela Cruz", "Ramos", "Aquino", "Villanueva"},
    {"Quispe", "Rodriguez", "Flores", "Gonzalez", "Torres", "Mamani", "Vargas", "Rojas", "Castillo", "Morales"},
    {"Diop", "Ndiaye", "Fall", "Sow", "Diallo", "Ba", "Gueye", "Faye", "Kone", "Traore"},
    {"Okafor", "Adeyemi", "Mensah", "Okonkwo", "Boateng", "Eze", "Asante", "Olawale", "Nwosu", "Owusu"},
};

/* Topics weighted as a desk's year: permits and orientation dominate. */
static const struct { const char *code; int w; } topic_w[] = {
    {"permit_renewal", 22}, {"orientation", 14}, {"work", 12}, {"family_reunification", 8}, {"housing", 7},
    {"health", 6},          {"a2_test", 5},      {"language_course", 5}, {"citizenship", 5}, {"school", 4},
    {"social", 4},          {"legal", 3},        {"eu_long_term", 3}, {"training", 2}, {"family", 2},
    {"qualification_recognition", 1}, {"other", 2},
};

static const char *weighted_topic(rng_t *r)
{
    int total = 0;
    for (size_t i = 0; i < sizeof topic_w / sizeof topic_w[0]; i++) total += topic_w[i].w;
    int x = pick(r, total);
    for (size_t i = 0; i < sizeof topic_w / sizeof topic_w[0]; i++) {
        if (x < topic_w[i].w) return topic_w[i].code;
        x -= topic_w[i].w;
    }
    return "other";
}

static const origin_t *weighted_origin(rng_t *r)
{
    int total = 0;
    for (size_t i = 0; i < sizeof origins / sizeof origins[0]; i++) total += origins[i].weight;
    int x = pick(r, total);
    for (size_t i = 0; i < sizeof origins / sizeof origins[0]; i++) {
        if (x < origins[i].weight) return &origins[i];
        x -= origins[i].weight;
    }
    return &origins[0];
}

/* The demo districts (organisations of kind ambito) with their paths. */
static int districts(db_t *db, org_t *out, int max)
{
    static const char *const codes[] = {"cremona", "luino", "cittiglio", "lodi", "sondrio", "visconteo-sudmilano",
                                        "garbagnate", "dalmine", "bassa-bresciana-orientale"};
    int n = 0;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0] && n < max; i++)
        if (org_public(db, codes[i], &out[n]) == 0) n++;
    return n;
}

int desk_demo_generate(db_t *db, long persons, unsigned long seed, int consultations_per_person, FILE *log)
{
    org_t dist[16];
    int nd = districts(db, dist, 16);
    if (nd == 0) {
        fprintf(log, "demo: no districts to put persons in\n");
        return -1;
    }
    rng_t r = {seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL};
    if (!r.s) r.s = 1;
    char today[11];
    date_today(today, 0);
    int64_t now = db_now();
    scope_t sys = scope_system("/");
    desk_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.scope = sys;
    ctx.db = db;
    ctx.can_read = ctx.can_write = true;
    ctx.lang = "it";
    long consultations = 0, procedures = 0;
    int rc = 0;
    for (long i = 0; i < persons && !rc; i++) {
        const origin_t *o = weighted_origin(&r);
        bool female = pick(&r, 100) < o->female;
        const char *given = female ? given_f[o->group][pick(&r, 8)] : given_m[o->group][pick(&r, 8)];
        const char *fam = family[o->group][pick(&r, 10)];
        /* Ages: mostly working age; some minors and elders. */
        int age = pick(&r, 100) < 12 ? pick(&r, 18) : pick(&r, 100) < 90 ? 18 + pick(&r, 43) : 61 + pick(&r, 20);
        char birth[11];
        date_add(today, -age, -pick(&r, 12), -pick(&r, 28), birth);
        const org_t *d = &dist[pick(&r, nd)];
        person_row_t p;
        memset(&p, 0, sizeof p);
        str_t doc = STR_INIT;
        char k1[128], k2[128], langs[8];
        snprintf(langs, sizeof langs, "%s", o->lang);
        desk_search_doc(given, fam, NULL, d->path, &doc);
        desk_dup_keys(given, fam, birth, k1, k2, sizeof k1);
        p.org_id = d->id;
        p.given_name = given;
        p.family_name = fam;
        p.sex = female ? "f" : "m";
        p.birth_date = birth;
        p.citizenship = o->cc;
        p.languages = desk_language_valid(langs) ? langs : "";
        p.age_band_first = desk_age_band(birth, today);
        p.search_doc = str_cstr(&doc);
        p.dup_key = k1;
        desk_person_ref_t person;
        rc = desk_store_person_insert(&sys, db, &p, now - pick(&r, 700) * 86400, &person);
        int64_t pid = person.id;
        str_release(&doc);
        /* Consultations: on average consultations_per_person, over two years. */
        int nc = consultations_per_person > 0 ? pick(&r, consultations_per_person * 2 + 1) : 0;
        for (int k = 0; k < nc && !rc; k++) {
            consultation_row_t c;
            memset(&c, 0, sizeof c);
            char date[11], topics[96];
            date_today(date, -pick(&r, 730));
            const char *t1 = weighted_topic(&r), *t2 = pick(&r, 3) == 0 ? weighted_topic(&r) : NULL;
            if (t2 && strcmp(t1, t2) == 0) t2 = NULL;
            snprintf(topics, sizeof topics, "%s%s%s", t1, t2 ? "," : "", t2 ? t2 : "");
            static const char *const channels[] = {"in_person", "in_person", "in_person", "phone", "online"};
            static const char *const outcomes[] = {"informed", "assisted", "referred", "procedure_opened", "follow_up", "resolved"};
            c.org_id = d->id;
            c.date = date;
            c.channel = channels[pick(&r, 5)];
            c.topics = topics;
            c.outcome = outcomes[pick(&r, 6)];
            c.duration = 10 + pick(&r, 40);
            c.citizenship = o->cc;
            c.sex = p.sex;
            c.age_band = desk_age_band(birth, date);
            desk_record_ref_t cons;
            err_t ge = {0}; /* its project, as the API would give it (governance.h) */
            rc = gov_project_of(db, c.org_id, date, 0, &c.project_id, &ge) ? DB_ERR : 0;
            if (!rc) rc = desk_store_consultation_insert(&sys, db, &person, &c, now, &cons);
            consultations++;
        }
        /* One person in five has a procedure under way. */
        if (!rc && pick(&r, 5) == 0) {
            char d1[11], d2[11];
            json_t *body = NULL;
            int kind = pick(&r, 10);
            if (kind < 6) {
                date_today(d1, -30 + pick(&r, 240));
                body = json_pack("{s:I, s:s, s:{s:s}}", "person_id", (json_int_t)pid, "type", "permit_renewal", "facts",
                                 "permit_expiry", d1);
            } else if (kind < 8) {
                date_today(d1, -pick(&r, 150));
                date_today(d2, -pick(&r, 10));
                body = json_pack("{s:I, s:s, s:{s:s}}", "person_id", (json_int_t)pid, "type", "family_reunification",
                                 "facts", "request_date", d1);
                if (pick(&r, 2)) json_object_set_new(json_object_get(body, "facts"), "entry_date", json_string(d2));
            } else if (kind < 9) {
                date_today(d1, -pick(&r, 50));
                body = json_pack("{s:I, s:s, s:{s:s}}", "person_id", (json_int_t)pid, "type", "a2_test", "facts",
                                 "booking_date", d1);
            } else {
                date_today(d1, -365 * (4 + pick(&r, 6)));
                body = json_pack("{s:I, s:s, s:{s:s}}", "person_id", (json_int_t)pid, "type", "eu_long_term", "facts",
                                 "legal_stay_since", d1);
            }
            int64_t prid, p2, o2;
            err_t e = {0};
            rc = desk_procedure_create(&ctx, body, &prid, &p2, &o2, &e);
            if (rc && e.status) {
                fprintf(log, "demo: procedure refused: %s (%s)\n", e.message, e.field);
                rc = -1;
            }
            json_decref(body);
            procedures++;
        }
        /* A few appointments today and follow-ups. */
        if (!rc && pick(&r, 40) == 0) {
            char t[6];
            snprintf(t, sizeof t, "%02d:%02d", 9 + pick(&r, 8), pick(&r, 4) * 15);
            desk_record_ref_t appt;
            rc = desk_store_appointment_insert(&sys, db, &person, d->id, today, t, 30, "Colloquio", NULL, now, &appt);
        }
        if (!rc && pick(&r, 25) == 0) {
            char due[11];
            date_today(due, -10 + pick(&r, 30));
            desk_record_ref_t fu;
            rc = desk_store_followup_insert(&sys, db, &person, due, "Richiamare per aggiornamento", now, &fu);
        }
        if (log && persons >= 10000 && (i + 1) % 10000 == 0)
            fprintf(log, "demo: %ld persons, %ld consultations...\n", i + 1, consultations);
    }
    if (!rc && log)
        fprintf(log, "demo: %ld synthetic persons, %ld consultations, %ld procedures (seed %lu)\n", persons, consultations,
                procedures, seed);
    return rc ? -1 : 0;
}
