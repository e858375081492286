/* governance.h — projects of the plan, their actions, network and budget,
 * the expenses booked on it, and the semesters a district submits to the
 * region; and, for the other modules, which project an activity belongs to
 * and whether its date lies in a locked (approved) period.
 *
 * Rules this module keeps (numbered, referred to in the code):
 *  G1 Scope: district coordinators (CAP_GOV_MANAGE) manage the projects of
 *     their subtree; the region (CAP_GOV_READ at the root) reads every
 *     project and approves (CAP_GOV_APPROVE); other roles have none. A
 *     project (or its action, line, expense, submission) out of the subtree
 *     is absent (404).
 *  G2 A project: a title, a district of the scope, a fund, an edition
 *     ("YYYY-YYYY", from the fund when it ends so, else the years of its
 *     dates), start <= end (at most
 *     ten years), budget and grant whole cents, 0 <= grant <= budget.
 *  G3 An action: a code unique in its project, a title, a macro-action 1-4
 *     and optional targets (participants, hours, materials: whole numbers).
 *  G4 The network: the lead is the project's organisation; partners are
 *     organisations below it, each once (409).
 *  G5 Budget lines: a category of gov_categories(), optionally one action
 *     of the project, planned whole cents; the lines' total never exceeds
 *     the project's budget (422 on planned_cents).
 *  G6 An expense: on a line of a managed project, dated inside the
 *     project, a positive amount, a description and (the pages require
 *     it; the contract's API leaves it optional) a supplier; its
 *     document (PDF, PNG or JPEG) is kept in the one documents folder.
 *  G7 Approval: a coordinator submits a semester ("YYYY-S1" 1 Jan - 30 Jun,
 *     "YYYY-S2" 1 Jul - 31 Dec) that overlaps the project and has begun;
 *     the region approves or returns it with a comment; a returned one is
 *     submitted again. Approved, the period is locked: an activity or
 *     expense of the project dated inside it can no longer be created or
 *     changed (409 period_locked).
 *  G8 Late corrections: the region may reopen an approved period with a
 *     reason; until it approves it again, changes dated inside it are
 *     allowed and each is recorded as a late correction of that
 *     submission (expenses are marked late), listed on its page.
 *
 * Operations load through the scope, validate, write inside the caller's
 * transaction and return 0, 1 for "absent or out of scope", -status with
 * `e` filled, or a DB_E* code: handlers map every non-zero result once with
 * web_store_fail. An operation on one record hands back a gov_ref_t (its id
 * and organisation) for the handler's audit entry.
 *
 * For the other modules: every module that writes an activity (consultation,
 * procedure, course enrolment, mediation request, meeting, event, material)
 * calls gov_project_for (or gov_project_of) when it creates one and
 * gov_period_open before it creates or changes one, in the same transaction
 * as the write.
 *
 * Returns: 0, or -status with `e` filled (422 naming the field, 409, 503/500
 * when the database fails). */
#ifndef LI_GOVERNANCE_H
#define LI_GOVERNANCE_H
#include "app/scope.h"
#include "core/err.h"
#include "core/router.h"
#include "core/str.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
/* The project of an activity of the organisation at `org_path` dated `date`
 * (YYYY-MM-DD), into *project_id:
 * - `given` > 0: that project, when its organisation is `org_path` or one of
 *   its ancestors (else 422 unknown_project on "project_id");
 * - `given` == 0: the project of the activity's district (or an ancestor)
 *   whose start and end dates hold `date`, the latest started first; 0 when
 *   none does (the activity then counts for no project). */
int gov_project_for(db_t *db, const char *org_path, const char *date, int64_t given, int64_t *project_id, err_t *e);
/* gov_project_for for the organisation with id `org_id`. */
int gov_project_of(db_t *db, int64_t org_id, const char *date, int64_t given, int64_t *project_id, err_t *e);

/* 0 when `date` of project `project_id` lies in no approved period; 409
 * period_locked (on `field`) when it does. A project id of 0 is never
 * locked. Call it for the old and the new date of a change. */
int gov_period_open(db_t *db, int64_t project_id, const char *date, const char *field, err_t *e);
/* gov_period_open, and *late true when the date lies in a reopened period
 * (G8: the late correction is then recorded). */
int gov_period_check(db_t *db, int64_t project_id, const char *date, const char *field, bool *late, err_t *e);

/* ---- the module's own operations -------------------------------------------------- */

extern const capability_t cap_gov_manage, cap_gov_read, cap_gov_approve;
#define CAP_GOV_MANAGE (&cap_gov_manage)   /* G1: projects, budget, expenses, submissions of the subtree */
#define CAP_GOV_READ (&cap_gov_read)       /* G1: read projects and budgets of the subtree */
#define CAP_GOV_APPROVE (&cap_gov_approve) /* G1: approve, return and reopen submissions */

#define GOV_TITLE_MAX 200
#define GOV_TEXT_MAX 1000
#define GOV_MONEY_MAX 100000000000LL /* a billion euro, in cents */
#define GOV_TARGET_MAX 10000000
#define GOV_FILE_MAX ROUTE_BODY_UPLOAD /* core/router.h: the upload routes' body cap */

/* What an operation read or changed, for the handler's audit entry. */
typedef struct gov_ref {
    int64_t id;     /* the record's id */
    int64_t org_id; /* its project's organisation */
} gov_ref_t;

/* A project to create or change: strings NULL and numbers -1 when absent. */
typedef struct gov_project_input {
    const char *title, *org, *fund, *start, *end, *edition, *code, *description;
    int64_t budget_cents, grant_cents;
} gov_project_input_t;

/* An action to add (G3): targets -1 when absent. */
typedef struct gov_action_input {
    const char *code, *title, *description;
    int64_t macro_action, participants, hours, materials;
} gov_action_input_t;

/* A budget line to add (G5). */
typedef struct gov_line_input {
    int64_t action_id; /* 0: none */
    const char *category, *label;
    int64_t planned_cents;
} gov_line_input_t;

/* An expense to add (G6). */
typedef struct gov_expense_input {
    int64_t budget_line_id, amount_cents;
    const char *date, *description, *supplier;
} gov_expense_input_t;

/* An uploaded document (the request's body and its headers). */
typedef struct gov_file {
    const char *title, *filename, *data;
    size_t len;
} gov_file_t;

/* The budget categories (G5), NULL-terminated, and the check. */
const char *const *gov_categories(void);
bool gov_category_valid(const char *c);
/* "YYYY-S1" / "YYYY-S2" into its first and last day; false when malformed. */
bool gov_period_parse(const char *period, char from[11], char to[11]);

/* ---- projects, actions, network (projects.c) ---- */
int gov_project_create(const scope_t *sc, db_t *db, const gov_project_input_t *in, gov_ref_t *ref, err_t *e);
/* Changes the fields `in` gives (G2 checked on the result). */
int gov_project_update(const scope_t *sc, db_t *db, int64_t id, const gov_project_input_t *in, gov_ref_t *ref,
                       err_t *e);
/* The visible projects by id after `cursor`, at most `limit` (JSON objects
 * with budget and spent totals). */
int gov_project_list(const scope_t *sc, db_t *db, int64_t cursor, int limit, json_t *items, err_t *e);
/* One visible project with its actions and network. */
int gov_project_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, gov_ref_t *ref, err_t *e);
/* Adds an action (G3); `ref` names it. */
int gov_action_add(const scope_t *sc, db_t *db, int64_t project_id, const gov_action_input_t *in, gov_ref_t *ref,
                   err_t *e);
/* Adds (or removes: 1 when it was no partner) the organisation `org` as a partner (G4). */
int gov_partner_add(const scope_t *sc, db_t *db, int64_t project_id, const char *org, gov_ref_t *ref, err_t *e);
int gov_partner_remove(const scope_t *sc, db_t *db, int64_t project_id, const char *org, gov_ref_t *ref, err_t *e);
/* The organisations that may become partners (below the project's), not yet partners. */
int gov_partner_candidates(const scope_t *sc, db_t *db, int64_t project_id, json_t *items, err_t *e);

/* ---- budget and expenses (budget.c) ---- */
int gov_line_add(const scope_t *sc, db_t *db, int64_t project_id, const gov_line_input_t *in, gov_ref_t *ref,
                 err_t *e);
/* An expense (G6, G7, G8) with its document (file->len 0: none yet). */
int gov_expense_add(const scope_t *sc, db_t *db, const gov_expense_input_t *in, const gov_file_t *file,
                    gov_ref_t *ref, err_t *e);
/* Attaches (or replaces) the document of an expense of a managed project. */
int gov_expense_document(const scope_t *sc, db_t *db, int64_t id, const gov_file_t *file, gov_ref_t *ref,
                         err_t *e);
/* The document of a visible expense: its row {title, filename, content_type}
 * and the file appended to `content`; 1 when absent. */
int gov_expense_file(const scope_t *sc, db_t *db, int64_t id, json_t **row, str_t *content, gov_ref_t *ref,
                     err_t *e);
/* The budget of a visible project: {"project_id", "total": {planned_cents,
 * spent_cents}, "lines": [...], "actions": [...]} (planned and spent). */
int gov_budget(const scope_t *sc, db_t *db, int64_t project_id, json_t **out, gov_ref_t *ref, err_t *e);
/* The expenses of a visible project dated in [from, to] (NULL: open), by date. */
int gov_expense_list(const scope_t *sc, db_t *db, int64_t project_id, const char *from, const char *to,
                     json_t *items, gov_ref_t *ref, err_t *e);

/* ---- submissions (submissions.c) ---- */
/* G7: submits (or submits again after a return) a period of a managed
 * project; `ref` names the submission. */
int gov_submit(const scope_t *sc, db_t *db, int64_t project_id, const char *period, gov_ref_t *ref, err_t *e);
/* G7, G8: the region approves, returns (comment required) or reopens
 * (reason required) a submission. action: "approve", "return", "reopen". */
int gov_decide(const scope_t *sc, db_t *db, int64_t id, const char *action, const char *comment, gov_ref_t *ref,
               err_t *e);
/* Visible submissions (of one project when > 0; of one status when not
 * NULL), newest first. */
int gov_submission_list(const scope_t *sc, db_t *db, int64_t project_id, const char *status, json_t *items, err_t *e);
/* One visible submission with its history and late corrections. */
int gov_submission_read(const scope_t *sc, db_t *db, int64_t id, json_t **out, gov_ref_t *ref, err_t *e);

/* ---- demo (demo.c) ---- */
/* The projects of the demo network (data file) with their actions, budget
 * lines and a year of expenses; inside the caller's transaction. */
int gov_demo(db_t *db, const char *data_file, unsigned long seed, FILE *log);

#endif
