/* store.h — the meetings module's SQL, and nothing else; only the operations
 * (meetings.c, invite.c, decisions.c, docs.c) and the demo loader call it.
 *
 * No function here takes a bare record id: each one takes the caller's
 * scope first and sees only its subtree (G1) and, without CAP_MEETING_CASE,
 * no case meeting (G2); or it takes an mtg_meeting_t that only a scoped load
 * fills, and touches that meeting and its children only. The public
 * document lookups are the one exception: they see public library documents
 * only. Returns 0, 1 for "absent or out of scope" where said, or DB_E*. */
#ifndef LI_MEETINGS_STORE_H
#define LI_MEETINGS_STORE_H
#include "meetings.h"
#include "app/org.h"

/* A meeting as loaded through the scope. */
typedef struct mtg_meeting {
    int64_t id, org_id, start_at, minutes, person_id, project_id, sequence;
    char kind[8], org_path[256], org_code[64], org_name[256], title[256], place[256];
    char start_date[11];
} mtg_meeting_t;

/* An account of the scope's subtree that can be invited or own a decision. */
typedef struct mtg_account {
    int64_t id, org_id;
    char name[256], email[256];
} mtg_account_t;

/* ---- meetings (store.c) ---- */
int mtg_store_meeting_insert(const scope_t *sc, db_t *db, const org_t *org, const mtg_input_t *in, int64_t start_at,
                             int64_t project_id, int64_t now, int64_t *id);
/* A meeting of the scope (G1, G2): 0 or 1. */
int mtg_store_meeting_get(const scope_t *sc, db_t *db, int64_t id, mtg_meeting_t *out);
int mtg_store_meeting_update(db_t *db, const mtg_meeting_t *m, const mtg_input_t *in, int64_t start_at, int64_t now);
int mtg_store_meeting_minutes(db_t *db, const mtg_meeting_t *m, const char *text, int64_t now);
/* The meeting's JSON (without its children). */
int mtg_store_meeting_json(db_t *db, const mtg_meeting_t *m, json_t **out);
int mtg_store_meeting_list(const scope_t *sc, db_t *db, const mtg_filter_t *f, json_t *items);
/* Upcoming meetings of the scope from `from` (`past`: those before it, the
 * latest first), at most `limit`. */
int mtg_store_meeting_upcoming(const scope_t *sc, db_t *db, int64_t from, bool past, int limit, json_t *items);
/* A person of the help desk visible to the scope: 0 or 1; *org_id its org. */
int mtg_store_person_get(const scope_t *sc, db_t *db, int64_t id, int64_t *org_id);
/* An active account whose role lies in the scope's subtree: 0 or 1. */
int mtg_store_account_get(const scope_t *sc, db_t *db, int64_t id, mtg_account_t *out);

/* Organisations of the scope's subtree ({code, name}), for the pages' pickers. */
int mtg_store_orgs(const scope_t *sc, db_t *db, json_t *items);
/* Active accounts of the scope's subtree ({id, name}), for the pickers. */
int mtg_store_accounts(const scope_t *sc, db_t *db, json_t *items);

/* ---- invitees (store.c) ---- */
/* Inserts an invitee; 1 when `ikey` is already invited. */
int mtg_store_invitee_insert(db_t *db, const mtg_meeting_t *m, const char *ikey, int64_t user_id, int64_t org_id,
                             const char *name, const char *email, int64_t now);
int mtg_store_invitees(db_t *db, const mtg_meeting_t *m, json_t *items);
/* Marks invitee `invitee_id` of the meeting: 1 when it is not one of its invitees. */
int mtg_store_mark(db_t *db, const mtg_meeting_t *m, int64_t invitee_id, const char *status, int64_t user_id,
                   int64_t now);
/* {"present","absent","excused","unmarked","organisations_present"}. */
int mtg_store_attendance_counts(db_t *db, const mtg_meeting_t *m, json_t **out);

/* ---- decisions (store.c) ---- */
int mtg_store_decision_insert(db_t *db, const mtg_meeting_t *m, const mtg_decision_input_t *in, int64_t user_id,
                              int64_t now, int64_t *id);
int mtg_store_decisions(db_t *db, const mtg_meeting_t *m, json_t *items);
/* The meeting id of a decision visible to the scope: 0 or 1. */
int mtg_store_decision_meeting(const scope_t *sc, db_t *db, int64_t decision_id, int64_t *meeting_id);
int mtg_store_decision_update(db_t *db, const mtg_meeting_t *m, int64_t decision_id, const mtg_decision_input_t *in,
                              int64_t now);
int mtg_store_decision_json(db_t *db, const mtg_meeting_t *m, int64_t decision_id, json_t **out);
/* Open decisions of the scope (G1, G2): owned by `owner` (0: anyone), due
 * before `before` (NULL: any date). */
int mtg_store_decision_open(const scope_t *sc, db_t *db, int64_t owner, const char *before, json_t *items);

/* ---- documents (store_docs.c) ---- */
int mtg_store_doc_insert(const scope_t *sc, db_t *db, int64_t org_id, const mtg_meeting_t *m, const mtg_doc_input_t *in,
                         const char *filename, const char *type, const char *sha, const char *storage, int64_t now,
                         int64_t *id);
int mtg_store_meeting_files(db_t *db, const mtg_meeting_t *m, json_t *items);
/* Library documents of the scope, or (anonymous) public ones, after the cursor. */
int mtg_store_doc_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items);
/* A document with its storage name and meeting id: of the scope's subtree or
 * of an ancestor (a minutes file: the caller then checks its meeting is
 * seen, G2), a public library one, or (anonymous) only a public library
 * one. 0 or 1. */
int mtg_store_doc_get(const scope_t *sc, db_t *db, int64_t id, json_t **row);

/* ---- demo ---- */
/* Any demo meeting already there (so a rerun adds none): 0 with *n. */
int mtg_store_count(db_t *db, int64_t *n);

#endif
