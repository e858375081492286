/* persons_store.c — the SQL of persons: load, write, search, duplicates,
 * erasure, merge and the access log (see store.h). Every read joins org and
 * filters `o.path LIKE <scope subtree>`; never remove that filter. */
#include "store.h"
#include "core/json.h"
#include "db/row_json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERSON_SELECT                                                                                          \
    "SELECT p.id AS id, o.code AS org, p.org_id AS org_id, o.path AS org_path,"                                  \
    " COALESCE(p.given_name, '') AS given_name, COALESCE(p.family_name, '') AS family_name, p.sex AS sex,"        \
    " p.birth_date AS birth_date, p.citizenship AS citizenship, p.codice_fiscale AS codice_fiscale,"              \
    " p.phone AS phone, p.email AS email, COALESCE(p.languages, '') AS languages,"                               \
    " p.preferred_language AS preferred_language, p.age_band_first AS age_band_first, p.status AS status,"        \
    " p.merged_into AS merged_into, p.last_contact_at AS last_contact_at, p.created_at AS created_at,"           \
    " p.updated_at AS updated_at FROM person p JOIN org o ON o.id = p.org_id "
#define PERSON_TYPES "itit" "tttttttttttt" "iiii"

int desk_store_person_load(const scope_t *sc, db_t *db, int64_t id, desk_person_ref_t *ref, json_t **out)
{
    int rc;
    json_t *p = NULL;
    db_stmt_t *st = desk_store_query_id(sc, db, PERSON_SELECT "WHERE p.id = ? AND o.path LIKE ?", id, &rc);
    if ((rc = db_one_json(st, rc, PERSON_TYPES, &p))) return rc;
    ref->id = id;
    ref->org_id = json_integer_value(json_object_get(p, "org_id"));
    ref->active = strcmp(jstr_or_empty(p, "status"), "active") == 0;
    if (!out) {
        json_decref(p);
        return 0;
    }
    json_t *one = json_pack("[O]", p);
    desk_store_split_list(one, "languages");
    json_decref(one);
    *out = p;
    return 0;
}

/* Replaces the search keys of a person by the district-prefixed tokens of
 * `doc` ("4xmohamed": digits, 'x', the rest). */
static int write_keys(db_t *db, int64_t id, const char *doc)
{
    int rc = db_run(db, "DELETE FROM person_key WHERE person_id = ?", "i", id);
    char tok[160];
    for (const char *p = doc ? doc : ""; !rc && *p;) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (n && n < sizeof tok) {
            size_t d = 0;
            while (d < n && p[d] >= '0' && p[d] <= '9') d++;
            if (d > 0 && d < n && p[d] == 'x') {
                memcpy(tok, p, n);
                tok[n] = '\0';
                rc = db_run(db, "INSERT INTO person_key (k, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING", "ti", tok, id);
            }
        }
        p += n;
    }
    return rc;
}

int desk_store_person_insert(const scope_t *sc, db_t *db, const person_row_t *p, int64_t now, desk_person_ref_t *out)
{
    out->org_id = p->org_id;
    out->active = true;
    int rc = db_insert_id(db, &out->id,
                         "INSERT INTO person (org_id, given_name, family_name, sex, birth_date, citizenship,"
                         " codice_fiscale, phone, email, languages, preferred_language, age_band_first, search_doc,"
                         " dup_key, last_contact_at, created_by, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
                         "i" "ttttttttttttt" "iiii", p->org_id, p->given_name, p->family_name, p->sex, p->birth_date,
                         p->citizenship, p->codice_fiscale, p->phone, p->email, p->languages ? p->languages : "",
                         p->preferred_language, p->age_band_first, p->search_doc, p->dup_key, now, sc->user_id, now, now);
    return rc ? rc : write_keys(db, out->id, p->search_doc);
}

int desk_store_person_update(db_t *db, const desk_person_ref_t *ref, const person_row_t *p, int64_t now)
{
    int64_t id = ref->id;
    int rc = db_run(db,
                  "UPDATE person SET given_name = ?, family_name = ?, sex = ?, birth_date = ?, citizenship = ?,"
                  " codice_fiscale = ?, phone = ?, email = ?, languages = ?, preferred_language = ?, search_doc = ?,"
                  " dup_key = ?, updated_at = ? WHERE id = ?",
                  "ttttttttttttii", p->given_name, p->family_name, p->sex, p->birth_date, p->citizenship,
                  p->codice_fiscale, p->phone, p->email, p->languages ? p->languages : "", p->preferred_language,
                  p->search_doc, p->dup_key, now, id);
    return rc ? rc : write_keys(db, id, p->search_doc);
}

int desk_store_person_touch(db_t *db, const desk_person_ref_t *ref, int64_t now)
{
    return db_run(db, "UPDATE person SET last_contact_at = ? WHERE id = ? AND last_contact_at < ?", "iii", now, ref->id,
                  now);
}

#define SUMMARY_SELECT                                                                                   \
    "SELECT p.id AS id, o.code AS org, COALESCE(p.given_name, '') AS given_name,"                         \
    " COALESCE(p.family_name, '') AS family_name, p.sex AS sex, p.birth_date AS birth_date,"              \
    " p.citizenship AS citizenship, p.status AS status FROM person p JOIN org o ON o.id = p.org_id "
#define SUMMARY_TYPES "itttttt" "t"

int desk_store_person_search(const scope_t *sc, db_t *db, const char *match, int64_t cursor, int limit, json_t *items)
{
    int rc;
    db_stmt_t *st;
    if (!match) {
        st = db_query(db, &rc,
                      SUMMARY_SELECT "WHERE o.path LIKE ? AND p.status <> 'merged' AND (? = 0 OR p.id < ?)"
                                     " ORDER BY p.id DESC LIMIT ?",
                      "tiii", scope_subtree_like(sc), cursor, cursor, (int64_t)limit);
    } else if (db_kind(db) == DB_PG) {
        /* `match` holds one line per typed word: "lo hi [lo2 hi2]", key
         * ranges [lo, hi) of the district-prefixed keys (b-tree, byte order);
         * the words' person sets are intersected. Built from constants, with
         * every key bound. */
        str_t sql = STR_INIT;
        const char *vals[24];
        int nv = 0;
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", match);
        str_adds(&sql, SUMMARY_SELECT "WHERE p.id IN (SELECT x.id FROM (");
        int words = 0;
        for (char *sv = NULL, *line = strtok_r(buf, "\n", &sv); line && nv < 20; line = strtok_r(NULL, "\n", &sv)) {
            /* UNION of range scans (index-only on the primary key), not OR. */
            if (words++) str_adds(&sql, " INTERSECT ");
            str_adds(&sql, "SELECT id FROM (");
            int ranges = 0;
            for (char *sv2 = NULL, *t = strtok_r(line, " ", &sv2); t && nv < 20; t = strtok_r(NULL, " ", &sv2)) {
                char *hi = strtok_r(NULL, " ", &sv2);
                if (!hi) break;
                str_adds(&sql, ranges++ ? " UNION SELECT person_id FROM person_key WHERE k >= ? AND k < ?"
                                        : "SELECT person_id AS id FROM person_key WHERE k >= ? AND k < ?");
                vals[nv++] = t;
                vals[nv++] = hi;
            }
            str_addf(&sql, ") w%d", words);
        }
        str_adds(&sql, ") x WHERE (? = 0 OR x.id < ?) ORDER BY x.id DESC LIMIT ?)"
                       " AND o.path LIKE ? AND p.status = 'active' ORDER BY p.id DESC");
        st = db_prepare(db, str_cstr(&sql));
        str_release(&sql);
        if (!st) return DB_ERR;
        int i = 1;
        rc = 0;
        for (int k = 0; k < nv && !rc; k++) rc = db_bind_text(st, i++, vals[k]);
        if (!rc) rc = db_bind_int(st, i++, cursor);
        if (!rc) rc = db_bind_int(st, i++, cursor);
        if (!rc) rc = db_bind_int(st, i++, limit);
        if (!rc) rc = db_bind_text(st, i++, scope_subtree_like(sc));
        if (rc) {
            db_reset(st);
            return rc;
        }
        rc = db_step(st);
    } else {
        st = db_query(db, &rc,
                      SUMMARY_SELECT "WHERE p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?)"
                                     " AND o.path LIKE ? AND p.status = 'active' AND (? = 0 OR p.id < ?)"
                                     " ORDER BY p.id DESC LIMIT ?",
                      "ttiii", match, scope_subtree_like(sc), cursor, cursor, (int64_t)limit);
    }
    return db_rows_json(st, rc, SUMMARY_TYPES, items);
}

int desk_store_person_dups(const scope_t *sc, db_t *db, const char *k1, const char *k2, const char *cf,
                           const desk_person_ref_t *except, json_t *items)
{
    return db_list_json(db, items, SUMMARY_TYPES,
                        SUMMARY_SELECT "WHERE (p.dup_key = ? OR p.dup_key = ? OR (CAST(? AS TEXT) IS NOT NULL"
                                       " AND p.codice_fiscale = ?)) AND o.path LIKE ? AND p.status = 'active'"
                                       " AND p.id <> ? ORDER BY p.id LIMIT 10",
                        "ttttti", k1, k2, cf, cf, scope_subtree_like(sc), except ? except->id : 0);
}

int desk_store_person_anonymise(db_t *db, const desk_person_ref_t *ref, int64_t now, json_t *files)
{
    int64_t id = ref->id;
    int rc;
    db_stmt_t *st = db_query(db, &rc, "SELECT storage FROM person_document WHERE person_id = ?", "i", id);
    if (!st) return rc;
    for (; rc == DB_ROW; rc = db_step(st)) json_array_append_new(files, json_text(db_col_text(st, 0)));
    db_reset(st);
    if (rc < 0) return rc;
    static const char *const sql[] = {
        "DELETE FROM person_document WHERE person_id = ?",
        "DELETE FROM person_key WHERE person_id = ?",
        "DELETE FROM consent WHERE person_id = ?",
        "DELETE FROM household_link WHERE person_id = ? OR other_id = ?",
        "DELETE FROM permit WHERE person_id = ?",
        "UPDATE consultation SET notes = NULL WHERE person_id = ?",
        "UPDATE desk_procedure SET facts = '{}' WHERE person_id = ?",
        "UPDATE referral SET reason = NULL, outcome = NULL, answer_note = NULL WHERE person_id = ?",
        "UPDATE appointment SET purpose = NULL, place = NULL WHERE person_id = ?",
        "UPDATE followup SET note = NULL WHERE person_id = ?",
        NULL,
    };
    for (int i = 0; sql[i]; i++) {
        rc = strstr(sql[i], "OR other_id") ? db_run(db, sql[i], "ii", id, id) : db_run(db, sql[i], "i", id);
        if (rc) return rc;
    }
    /* Statistics stay: sex, citizenship, age band at first registration, and
     * every consultation's own country/sex/age band and topics. */
    return db_run(db,
                  "UPDATE person SET given_name = '', family_name = '', birth_date = NULL, codice_fiscale = NULL,"
                  " phone = NULL, email = NULL, languages = '', preferred_language = NULL, search_doc = '',"
                  " dup_key = '', status = 'anonymised', anonymised_at = ?, updated_at = ? WHERE id = ?",
                  "iii", now, now, id);
}

int desk_store_persons_stale(const scope_t *sc, db_t *db, int64_t before, int limit, json_t *items)
{
    return db_list_json(db, items, "itii",
                        "SELECT p.id AS id, o.code AS org, p.org_id AS org_id, p.last_contact_at AS last_contact_at"
                        " FROM person p JOIN org o ON o.id = p.org_id"
                        " WHERE p.last_contact_at < ? AND p.status = 'active' AND o.path LIKE ?"
                        " ORDER BY p.last_contact_at, p.id LIMIT ?",
                        "iti", before, scope_subtree_like(sc), (int64_t)limit);
}

int desk_store_person_merge(db_t *db, const desk_person_ref_t *keep_ref, const desk_person_ref_t *gone_ref, int64_t now)
{
    int64_t keep = keep_ref->id, gone = gone_ref->id;
    static const char *const sql[] = {
        "UPDATE consultation SET person_id = ? WHERE person_id = ?",
        "UPDATE desk_procedure SET person_id = ? WHERE person_id = ?",
        "UPDATE procedure_deadline SET person_id = ? WHERE person_id = ?",
        "UPDATE referral SET person_id = ? WHERE person_id = ?",
        "UPDATE appointment SET person_id = ? WHERE person_id = ?",
        "UPDATE followup SET person_id = ? WHERE person_id = ?",
        "UPDATE consent SET person_id = ? WHERE person_id = ?",
        "UPDATE permit SET person_id = ? WHERE person_id = ?",
        "UPDATE person_document SET person_id = ? WHERE person_id = ?",
        NULL,
    };
    int rc;
    for (int i = 0; sql[i]; i++)
        if ((rc = db_run(db, sql[i], "ii", keep, gone))) return rc;
    if ((rc = db_run(db, "DELETE FROM household_link WHERE person_id = ? OR other_id = ?", "ii", gone, gone)) ||
        (rc = db_run(db, "DELETE FROM person_key WHERE person_id = ?", "i", gone)))
        return rc;
    return db_run(db,
                  "UPDATE person SET status = 'merged', merged_into = ?, search_doc = '', dup_key = '',"
                  " updated_at = ? WHERE id = ?",
                  "iii", keep, now, gone);
}

int desk_store_person_access_log(db_t *db, const desk_person_ref_t *ref, int limit, json_t *items)
{
    return db_list_json(db, items, "iitttttt",
                        "SELECT a.id AS id, a.at AS at, a.username AS username, a.action AS action,"
                        " a.object_kind AS object_kind, a.object_id AS object_id, a.reason AS reason,"
                        " a.detail AS detail FROM audit a WHERE a.person_id = ? ORDER BY a.id DESC LIMIT ?",
                        "ii", ref->id, (int64_t)limit);
}
