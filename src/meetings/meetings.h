/* meetings.h — the meetings of the network and their follow-up: the tavolo
 * territoriale (monthly, operators of public and private bodies), ANCI
 * Lombardia's laboratories (a series of meetings), case meetings about a
 * person of the help desk, school contacts' meetings; invitations by e-mail
 * with an iCalendar file, attendance of people and organisations, minutes
 * with files, decisions with an owner and a due date; and the documents
 * library (the laboratories' e-books), network-only or public.
 *
 * Rules this module keeps (numbered, referred to in the code):
 *  G1 Scope: a meeting belongs to an organisation (a district, or the region
 *     for laboratories); the scope's subtree sees it, other districts get 404.
 *  G2 A case meeting concerns a person of the help desk (personal data): only
 *     roles with CAP_MEETING_CASE (coordinators and operators) of the
 *     person's district see it; everyone else gets 404, and it never shows in
 *     their lists. Every read and write of one is audited with the person.
 *  G3 Times are Rome local "YYYY-MM-DDTHH:MM", stored as UTC instants; a
 *     meeting lasts 15 to 720 minutes.
 *  G4 A meeting belongs to a project (governance.h: given, or by district and
 *     date); inside an approved period it cannot be created or changed (409
 *     period_locked).
 *  G5 Attendance is written all or nothing: every mark names an invitee of
 *     the meeting and a status present / absent / excused, or nothing is kept.
 *     Organisations present are counted once each.
 *  G6 Decisions have a text, an owner (an account of the scope, or a name)
 *     and a due date; open ones past it are overdue.
 *  G7 Documents are PDF, EPUB, ODT or DOCX, recognised by their bytes (not by
 *     their name), at most MTG_FILE_MAX bytes; a library document is
 *     network-only (any logged-in account of the scope) or public (anyone,
 *     without a session); a minutes file is seen as its meeting is.
 *
 * Each operation checks the scope, loads through it (store.h), validates,
 * writes inside the caller's transaction and returns 0 or -status with `e`
 * filled; it hands back an mtg_ref_t naming the record, its organisation and
 * (case meetings) its person, for the handler's audit entry. */
#ifndef LI_MEETINGS_H
#define LI_MEETINGS_H
#include "app/module.h"
#include "app/scope.h"
#include "core/err.h"
#include "core/router.h"
#include "core/str.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

extern const capability_t cap_meeting_read, cap_meeting_manage, cap_meeting_case;
#define CAP_MEETING_READ (&cap_meeting_read)     /* read the meetings and library of the scope */
#define CAP_MEETING_MANAGE (&cap_meeting_manage) /* create meetings, invite, take attendance, minutes, decisions */
#define CAP_MEETING_CASE (&cap_meeting_case)     /* see and run case meetings (G2) */

#define MTG_TITLE_MAX 200
#define MTG_TEXT_MAX 4000
#define MTG_MINUTES_MAX 50000
#define MTG_INVITEES_MAX 100
#define MTG_FILE_MAX ROUTE_BODY_UPLOAD /* the upload routes' body cap (core/router.h) */

/* What an operation touched, for the audit entry. */
typedef struct mtg_ref {
    int64_t id, org_id, person_id; /* person_id: case meetings only, else 0 */
    bool is_case;
} mtg_ref_t;

/* The kinds, NULL-terminated: tavolo, lab, case, school. */
const char *const *mtg_kinds(void);

/* ---- meetings (meetings.c) ---- */

typedef struct mtg_input {
    const char *kind, *title, *org, *start, *place, *agenda, *series;
    int64_t minutes;    /* -1: not given (a change keeps it) */
    int64_t person_id;  /* case meetings */
    int64_t project_id; /* 0: by district and date */
} mtg_input_t;

/* Creates a meeting (CAP_MEETING_MANAGE; case: CAP_MEETING_CASE). */
int mtg_create(const scope_t *sc, db_t *db, const mtg_input_t *in, mtg_ref_t *ref, err_t *e);
/* Changes title, start, minutes, place, agenda, series (NULL: kept). */
int mtg_update(const scope_t *sc, db_t *db, int64_t id, const mtg_input_t *in, mtg_ref_t *ref, err_t *e);
/* The meeting as JSON with invitees, attendance counts, decisions, files. */
int mtg_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, mtg_ref_t *ref, err_t *e);

typedef struct mtg_filter {
    const char *kind, *org, *series;
    int64_t from, to; /* instants; 0: open */
    int64_t cursor;
    int limit;
} mtg_filter_t;
/* Meetings of the scope (G1, G2) by id after the cursor. */
int mtg_list(const scope_t *sc, db_t *db, const mtg_filter_t *f, json_t *items, err_t *e);

/* The pickers of the pages: organisations and accounts of the scope's subtree
 * (CAP_MEETING_MANAGE). */
int mtg_pickers(const scope_t *sc, db_t *db, json_t *orgs, json_t *accounts, err_t *e);

/* ---- invitations and attendance (invite.c) ---- */

/* One invitee: an account (user_id) or an organisation's e-mail (org + email,
 * name optional). */
typedef struct mtg_invitee_input {
    int64_t user_id;
    const char *org, *email, *name;
} mtg_invitee_input_t;
/* Invites, and queues an e-mail with the iCalendar file (METHOD:REQUEST) to
 * each new invitee with an address; those already invited are skipped.
 * `base_url` (or NULL) makes the link in the e-mail. *added, *mailed counts. */
int mtg_invite(const scope_t *sc, db_t *db, int64_t id, const mtg_invitee_input_t *list, size_t n,
               const char *base_url, mtg_ref_t *ref, int *added, int *mailed, err_t *e);
/* The meeting's .ics (METHOD:PUBLISH) into `out`. */
int mtg_calendar(const scope_t *sc, db_t *db, int64_t id, str_t *out, mtg_ref_t *ref, err_t *e);

typedef struct mtg_mark {
    int64_t invitee_id;
    const char *status;
} mtg_mark_t;
/* Writes the marks all or nothing (G5). */
int mtg_attendance(const scope_t *sc, db_t *db, int64_t id, const mtg_mark_t *marks, size_t n, mtg_ref_t *ref,
                   err_t *e);

/* ---- minutes and decisions (decisions.c) ---- */

/* Sets the minutes' text (empty clears them). */
int mtg_minutes(const scope_t *sc, db_t *db, int64_t id, const char *text, mtg_ref_t *ref, err_t *e);

typedef struct mtg_decision_input {
    const char *text, *owner_name, *due, *status;
    int64_t owner_user_id; /* 0: none */
} mtg_decision_input_t;
/* A new decision of meeting `id` (G6); *decision_id receives it. */
int mtg_decision_add(const scope_t *sc, db_t *db, int64_t id, const mtg_decision_input_t *in, int64_t *decision_id,
                     mtg_ref_t *ref, err_t *e);
/* Changes a decision: status open / done, due, text, owner (NULL / 0 kept). */
int mtg_decision_update(const scope_t *sc, db_t *db, int64_t decision_id, const mtg_decision_input_t *in,
                        mtg_ref_t *ref, json_t **out, err_t *e);
/* Open decisions of the scope: `mine` the caller's own, `overdue` past due. */
int mtg_decision_list(const scope_t *sc, db_t *db, bool mine, bool overdue, const char *today, json_t *items,
                      err_t *e);
/* The workspace: upcoming meetings, the latest past ones, my decisions due,
 * overdue follow-ups. */
int mtg_workspace(const scope_t *sc, db_t *db, const char *today, json_t **out, err_t *e);

/* ---- documents (docs.c) ---- */

typedef struct mtg_doc_input {
    const char *title, *filename, *visibility, *series, *org;
    const char *data;
    size_t len;
} mtg_doc_input_t;
/* A minutes file of meeting `id` (seen as the meeting is). */
int mtg_file_add(const scope_t *sc, db_t *db, int64_t id, const mtg_doc_input_t *in, int64_t *doc_id,
                 mtg_ref_t *ref, err_t *e);
/* A library document (CAP_MEETING_MANAGE), network or public (G7). */
int mtg_doc_add(const scope_t *sc, db_t *db, const mtg_doc_input_t *in, int64_t *doc_id, mtg_ref_t *ref, err_t *e);
/* Library documents: the scope's (network and public) or, for an anonymous
 * scope, the public ones of every district. */
int mtg_doc_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* Opens document `id` for download: its row (filename, content_type) and
 * the file's bytes. Anonymous: public library documents only (else 401). */
int mtg_doc_open(const scope_t *sc, db_t *db, int64_t id, json_t **row, str_t *content, mtg_ref_t *ref, err_t *e);
/* The type of a file by its bytes (G7): sets *ext ("pdf", "epub", "odt",
 * "docx") and returns the media type, or NULL when it is none of those. */
const char *mtg_sniff(const unsigned char *p, size_t n, const char **ext);

/* ---- demo (demo.c) ---- */
/* The meetings of a fresh demo network, from meetings/demo.json beside the
 * network's file, unless some exist. 0 or -1 with a line on d->log. */
int mtg_demo(db_t *db, module_demo_t *d);

#endif
