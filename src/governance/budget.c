/* budget.c — the operations on budget lines and expenses (governance.h,
 * G5, G6, and the locks of G7 / G8 on an expense's date), and the budget of
 * a project: planned and spent per line, per action and in total. An
 * expense's document is kept like the help desk's documents, in the one
 * documents folder (desk_file_keep). No SQL here, no HTTP here. */
#include "internal.h"
#include "core/date.h"
#include "core/json.h"
#include "desk/desk.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const categories[] = {"staff",     "external_services", "travel", "equipment", "materials",
                                         "translation", "mediation",       "overheads", "other",   NULL};

const char *const *gov_categories(void)
{
    return categories;
}

bool gov_category_valid(const char *c)
{
    for (int i = 0; c && categories[i]; i++)
        if (!strcmp(categories[i], c)) return true;
    return false;
}

int gov_line_add(const scope_t *sc, db_t *db, int64_t project_id, const gov_line_input_t *in, gov_ref_t *ref,
                 err_t *e)
{
    gov_project_t p;
    int rc = gov_project_load(sc, db, CAP_GOV_MANAGE, project_id, &p, ref, e);
    if (rc) return rc;
    if (!gov_category_valid(in->category))
        return err_set(e, 422, "invalid", "category", "Choose one of the listed values.");
    if (in->planned_cents < 0 || in->planned_cents > GOV_MONEY_MAX)
        return err_set(e, 422, "invalid", "planned_cents", "Give a whole number of cents, not negative.");
    if (in->action_id && (rc = gov_store_action_of(db, &p, in->action_id)))
        return rc == 1 ? err_set(e, 422, "unknown_action", "action_id", "No such action in this project.") : rc;
    int64_t planned = 0;
    if ((rc = gov_store_planned_total(db, &p, &planned))) return rc;
    if (p.budget_cents >= 0 && planned + in->planned_cents > p.budget_cents)
        return err_set(e, 422, "over_budget", "planned_cents", "The lines would plan more than the project's budget.");
    return gov_store_line_insert(db, &p, in, db_now(), &ref->id);
}

/* Keeps `file` in the documents folder: its row into *doc (names in `kept`). */
static int keep_file(const gov_file_t *file, desk_file_t *kept, gov_doc_t *doc, err_t *e)
{
    if (file->len > GOV_FILE_MAX) return err_set(e, 413, "too_large", "file", "The file is too large.");
    int rc = desk_file_keep(file->data, file->len, file->title, file->filename, kept);
    if (rc == -415) return err_set(e, 415, "unsupported_media_type", "file", "Only PDF, PNG and JPEG files are accepted.");
    if (rc) return err_set(e, 500, "internal", NULL, "Something went wrong on our side.");
    *doc = (gov_doc_t){kept->title, kept->filename, kept->type, kept->sha256, kept->storage, (int64_t)file->len};
    return 0;
}

/* Removes a kept file whose row was not written. */
static void drop_file(const char *storage)
{
    char path[1200];
    if (storage && *storage && desk_document_path(storage, path, sizeof path) == 0) unlink(path);
}

/* G6 on an expense's fields for line `l`. */
static int expense_check(const gov_line_t *l, const gov_expense_input_t *in, err_t *e)
{
    if (!date_valid(in->date)) return err_set(e, 422, "invalid", "date", "Give a date as YYYY-MM-DD.");
    if ((l->project.start[0] && strcmp(in->date, l->project.start) < 0) ||
        (l->project.end[0] && strcmp(in->date, l->project.end) > 0))
        return err_set(e, 422, "outside_project", "date", "The date is outside the project's dates.");
    if (in->amount_cents < 1 || in->amount_cents > GOV_MONEY_MAX)
        return err_set(e, 422, "invalid", "amount_cents", "Give a whole number of cents, more than zero.");
    if (!in->description || !*in->description) return err_set(e, 422, "required", "description", "This field is required.");
    if (in->supplier && !*in->supplier) return err_set(e, 422, "required", "supplier", "Give the supplier, or leave the field out.");
    return 0;
}

int gov_expense_add(const scope_t *sc, db_t *db, const gov_expense_input_t *in, const gov_file_t *file,
                    gov_ref_t *ref, err_t *e)
{
    gov_line_t l;
    int rc = scope_require(sc, CAP_GOV_MANAGE, e);
    if (rc) return rc;
    if (in->budget_line_id <= 0) return err_set(e, 422, "required", "budget_line_id", "This field is required.");
    if ((rc = gov_store_line_get(sc, db, in->budget_line_id, &l)))
        return rc == 1 ? err_set(e, 422, "unknown_line", "budget_line_id", "No such budget line in your area.") : rc;
    bool late = false;
    if ((rc = expense_check(&l, in, e)) || (rc = gov_period_check(db, l.project.id, in->date, "date", &late, e)))
        return rc;
    desk_file_t kept;
    gov_doc_t doc;
    bool has_file = file && file->len > 0;
    if (has_file && (rc = keep_file(file, &kept, &doc, e))) return rc;
    rc = gov_store_expense_insert(sc, db, &l, in, has_file ? &doc : NULL, late, db_now(), &ref->id);
    if (rc && has_file) drop_file(kept.storage);
    ref->org_id = l.project.org_id;
    return rc;
}

int gov_expense_document(const scope_t *sc, db_t *db, int64_t id, const gov_file_t *file, gov_ref_t *ref, err_t *e)
{
    gov_expense_t x;
    int rc = scope_require(sc, CAP_GOV_MANAGE, e);
    if (rc || (rc = gov_store_expense_get(sc, db, id, &x))) return rc;
    ref->id = x.id;
    ref->org_id = x.project.org_id;
    if (!file->len) return err_set(e, 422, "required", "file", "This field is required.");
    bool late = false;
    if ((rc = gov_period_check(db, x.project.id, x.date, "date", &late, e))) return rc;
    desk_file_t kept;
    gov_doc_t doc;
    if ((rc = keep_file(file, &kept, &doc, e))) return rc;
    if ((rc = gov_store_expense_set_doc(db, &x, &doc, late, db_now()))) {
        drop_file(kept.storage);
        return rc;
    }
    drop_file(x.storage); /* the replaced file; the row now names the new one */
    return 0;
}

int gov_expense_file(const scope_t *sc, db_t *db, int64_t id, json_t **row, str_t *content, gov_ref_t *ref, err_t *e)
{
    gov_expense_t x;
    int rc = scope_require(sc, CAP_GOV_READ, e);
    if (rc || (rc = gov_store_expense_get(sc, db, id, &x)) || (rc = gov_store_expense_doc(db, &x, row))) return rc;
    ref->id = x.id;
    ref->org_id = x.project.org_id;
    return desk_document_row_read(row, content);
}

int gov_budget(const scope_t *sc, db_t *db, int64_t project_id, json_t **out, gov_ref_t *ref, err_t *e)
{
    gov_project_t p;
    int rc = gov_project_load(sc, db, CAP_GOV_READ, project_id, &p, ref, e);
    if (rc) return rc;
    *out = json_pack("{s:I,s:s,s:s}", "project_id", (json_int_t)p.id, "code", p.code, "title", p.title);
    json_object_set_new(*out, "budget_cents", p.budget_cents >= 0 ? json_integer(p.budget_cents) : json_null());
    json_object_set_new(*out, "grant_cents", p.grant_cents >= 0 ? json_integer(p.grant_cents) : json_null());
    return gov_store_budget(db, &p, *out);
}

int gov_expense_list(const scope_t *sc, db_t *db, int64_t project_id, const char *from, const char *to,
                     json_t *items, gov_ref_t *ref, err_t *e)
{
    gov_project_t p;
    int rc = gov_project_load(sc, db, CAP_GOV_READ, project_id, &p, ref, e);
    if (rc) return rc;
    if (from && !date_valid(from)) return err_set(e, 422, "invalid", "from", "Give a date as YYYY-MM-DD.");
    if (to && !date_valid(to)) return err_set(e, 422, "invalid", "to", "Give a date as YYYY-MM-DD.");
    return gov_store_expenses(db, &p, from, to, items);
}
