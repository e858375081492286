/* web.c — the JSON API of meetings under /api/v1/meetings, /api/v1/decisions
 * and /api/v1/library (CONTRACT.md "Governance and monitoring"): parses
 * input, calls the operations of meetings.h, audits, answers.
 *
 * Audit: every read and write of a meeting writes one entry under its
 * organisation, with the person for a case meeting (G2); writes are R_WRITE
 * routes, so their entry is in the same transaction. */
#include "web.h"
#include "app/settings.h"
#include "app/server.h"
#include "core/ical.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mtgweb_audit(http_req_t *req, const char *action, const char *kind, const mtg_ref_t *ref, const char *detail)
{
    return web_audit_id(req, action, kind, ref->id, ref->is_case ? ref->person_id : 0, ref->org_id, detail);
}

int mtgweb_fail(http_req_t *req, int rc, json_t *out)
{
    json_decref(out);
    return web_store_fail(req, rc);
}

/* Answers meeting `id`, audited as a read when `audit`. */
static int meeting_answer(http_req_t *req, http_res_t *res, int status, int64_t id, bool audit)
{
    web_t *w = web(req);
    json_t *o = NULL;
    mtg_ref_t ref = {0};
    int rc = mtg_read(&w->scope, w->db, id, &o, &ref, &w->err);
    if (rc) return mtgweb_fail(req, rc, o);
    if (audit && (rc = mtgweb_audit(req, "meeting.read", "meeting", &ref, NULL))) return mtgweb_fail(req, rc, o);
    return web_json(req, res, status, o);
}

/* The end of a write of meeting `ref` (rc: the operation's return): maps a
 * failure, audits `action` with `detail`, answers the meeting. */
static int meeting_written(http_req_t *req, http_res_t *res, int rc, int status, const char *action,
                           const mtg_ref_t *ref, const char *detail)
{
    if (rc) return web_store_fail(req, rc);
    if ((rc = mtgweb_audit(req, action, "meeting", ref, detail))) return rc;
    return meeting_answer(req, res, status, ref->id, false);
}

/* The fields of a meeting from a JSON body (`create`: all of them). */
static int meeting_input(json_t *body, bool create, mtg_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"kind", "title", "org", "start", "minutes", "place", "agenda",
                                          "series", "person_id", "project_id", NULL};
    static const char *const allowed_change[] = {"title", "start", "minutes", "place", "agenda", "series", NULL};
    memset(in, 0, sizeof *in);
    bool present;
    int rc;
    if ((rc = jin_only(body, create ? allowed : allowed_change, e)) ||
        (create && (rc = jin_str(body, "kind", true, 16, &in->kind, e))) ||
        (rc = jin_str(body, "title", create, MTG_TITLE_MAX, &in->title, e)) ||
        (create && (rc = jin_str(body, "org", false, 64, &in->org, e))) ||
        (rc = jin_str(body, "start", create, 16, &in->start, e)) ||
        (rc = jin_int(body, "minutes", false, 1, 100000, &in->minutes, &present, e)) ||
        (rc = jin_str(body, "place", false, MTG_TITLE_MAX, &in->place, e)) ||
        (rc = jin_str(body, "agenda", false, MTG_TEXT_MAX, &in->agenda, e)) ||
        (rc = jin_str(body, "series", false, MTG_TITLE_MAX, &in->series, e)) ||
        (create && (rc = jin_int(body, "person_id", false, 1, INT64_MAX, &in->person_id, NULL, e))) ||
        (create && (rc = jin_int(body, "project_id", false, 1, INT64_MAX, &in->project_id, NULL, e))))
        return rc;
    if (!present) in->minutes = -1;
    return 0;
}

/* POST /meetings (`create`) or PATCH /meetings/{id}. */
static int write_meeting(http_req_t *req, http_res_t *res, bool create)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    mtg_input_t in;
    mtg_ref_t ref = {0};
    int rc = create ? scope_require(&w->scope, CAP_MEETING_MANAGE, &w->err) : 0;
    if (!rc) rc = meeting_input(body, create, &in, &w->err);
    if (!rc)
        rc = create ? mtg_create(&w->scope, w->db, &in, &ref, &w->err)
                    : mtg_update(&w->scope, w->db, web_param_id(req, "id"), &in, &ref, &w->err);
    json_decref(body);
    return meeting_written(req, res, rc, create ? 201 : 200, create ? "meeting.create" : "meeting.update", &ref, NULL);
}

static int post_meetings(http_req_t *req, http_res_t *res) { return write_meeting(req, res, true); }

static int patch_meeting(http_req_t *req, http_res_t *res) { return write_meeting(req, res, false); }

static int get_meeting(http_req_t *req, http_res_t *res)
{
    return meeting_answer(req, res, 200, web_param_id(req, "id"), true);
}
static const resource_t res_meetings_id = {"/api/v1/meetings/{id}", .get = get_meeting, .patch = patch_meeting};

/* ?name= as an instant of a Rome local date (its midnight); 0 when absent. */
static int query_date(http_req_t *req, const char *name, int64_t *out)
{
    const char *v = http_query(req, name);
    *out = 0;
    if (!v) return 0;
    char s[20];
    snprintf(s, sizeof s, "%.10sT00:00", v);
    return strlen(v) == 10 && rome_parse(s, out) == 0 ? 0 : web_fail(req, 422, "invalid", name, "A date: YYYY-MM-DD.");
}

static int meetings_page(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    mtg_filter_t f = {http_query(req, "kind"), http_query(req, "org"), http_query(req, "series"), 0, 0, cursor, limit};
    int rc;
    if ((rc = query_date(req, "from", &f.from)) || (rc = query_date(req, "to", &f.to))) return rc;
    if ((rc = mtg_list(&w->scope, w->db, &f, items, &w->err))) return web_store_fail(req, rc);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu records", json_array_size(items));
    return web_audit(req, "meeting.list", "meeting", NULL, 0, w->scope.org_id, detail);
}

static int get_meetings(http_req_t *req, http_res_t *res)
{
    return web_list_answer(req, res, CAP_MEETING_READ, 50, 200, meetings_page);
}
static const resource_t res_meetings = {"/api/v1/meetings", .get = get_meetings, .post = post_meetings};

/* Room (zeroed) for the items of the body's only member `key`, an array of
 * at most MTG_INVITEES_MAX (else `message`): *n of `size` bytes each; *rc
 * 0 or -status, the error in the request's. */
static void *body_items(http_req_t *req, json_t *body, const char *key, const char *message, size_t size, size_t *n,
                        int *rc)
{
    web_t *w = web(req);
    const char *const allowed[] = {key, NULL};
    json_t *list = json_object_get(body, key);
    *rc = jin_only(body, allowed, &w->err);
    if (!*rc && (!json_is_array(list) || json_array_size(list) > MTG_INVITEES_MAX))
        *rc = err_set(&w->err, 422, "invalid", key, message);
    *n = *rc ? 0 : json_array_size(list);
    return arena_alloc(req->arena, (*n ? *n : 1) * size);
}

/* POST /meetings/{id}/invitations {"invitees":[{"user_id"} | {"org","email","name"?}]}. */
static int post_invitations(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const item_allowed[] = {"user_id", "org", "email", "name", NULL};
    mtg_ref_t ref = {0};
    int rc, added = 0, mailed = 0;
    size_t n, i;
    mtg_invitee_input_t *in = body_items(req, body, "invitees", "Give from 1 to 100 invitees.", sizeof *in, &n, &rc);
    json_t *it;
    json_array_foreach(json_object_get(body, "invitees"), i, it) {
        if (rc) break;
        if (!json_is_object(it)) rc = err_set(&w->err, 422, "invalid", "invitees", "Each invitee is an object.");
        else if (!(rc = jin_only(it, item_allowed, &w->err)) &&
                 !(rc = jin_int(it, "user_id", false, 1, INT64_MAX, &in[i].user_id, NULL, &w->err)) &&
                 !(rc = jin_str(it, "org", false, 64, &in[i].org, &w->err)) &&
                 !(rc = jin_str(it, "email", false, 254, &in[i].email, &w->err)))
            rc = jin_str(it, "name", false, MTG_TITLE_MAX, &in[i].name, &w->err);
    }
    if (!rc)
        rc = mtg_invite(&w->scope, w->db, web_param_id(req, "id"), in, n, settings_public_url(), &ref, &added, &mailed,
                        &w->err);
    json_decref(body);
    char detail[48];
    snprintf(detail, sizeof detail, "%d invited, %d mailed", added, mailed);
    return meeting_written(req, res, rc, 200, "meeting.invite", &ref, detail);
}
static const resource_t res_meetings_id_invitations = {"/api/v1/meetings/{id}/invitations", .post = post_invitations};

static int get_calendar(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    mtg_ref_t ref = {0};
    str_t ics = STR_INIT;
    int rc = mtg_calendar(&w->scope, w->db, web_param_id(req, "id"), &ics, &ref, &w->err);
    if (!rc) rc = mtgweb_audit(req, "meeting.calendar", "meeting", &ref, NULL);
    if (rc) {
        str_release(&ics);
        return web_store_fail(req, rc);
    }
    str_reset(&res->body);
    str_add(&res->body, ics.buf, ics.len);
    str_release(&ics);
    return web_download(req, res, 0, "text/calendar; charset=utf-8", "riunione.ics");
}
static const resource_t res_meetings_id_calendar_ics = {"/api/v1/meetings/{id}/calendar.ics", .get = get_calendar};

/* PUT /meetings/{id}/attendance {"marks":[{"invitee_id","status"}]}: all or nothing (G5). */
static int put_attendance(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const item_allowed[] = {"invitee_id", "status", NULL};
    mtg_ref_t ref = {0};
    int rc;
    size_t n, i;
    mtg_mark_t *in = body_items(req, body, "marks", "Give from 1 to 100 marks.", sizeof *in, &n, &rc);
    json_t *it;
    json_array_foreach(json_object_get(body, "marks"), i, it) {
        if (rc) break;
        char field[48];
        snprintf(field, sizeof field, "marks[%zu]", i);
        if (!json_is_object(it) || (rc = jin_only(it, item_allowed, &w->err)) ||
            (rc = jin_int(it, "invitee_id", true, 1, INT64_MAX, &in[i].invitee_id, NULL, &w->err)) ||
            (rc = jin_str(it, "status", true, 16, &in[i].status, &w->err)))
            rc = rc ? rc : err_set(&w->err, 422, "invalid", field, "Each mark is an object.");
    }
    if (!rc) rc = mtg_attendance(&w->scope, w->db, web_param_id(req, "id"), in, n, &ref, &w->err);
    json_decref(body);
    char detail[32];
    snprintf(detail, sizeof detail, "%zu marks", n);
    return meeting_written(req, res, rc, 200, "meeting.attendance", &ref, detail);
}
static const resource_t res_meetings_id_attendance = {"/api/v1/meetings/{id}/attendance", .put = put_attendance};

static int post_minutes(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    static const char *const allowed[] = {"text", NULL};
    const char *text = NULL;
    mtg_ref_t ref = {0};
    int rc = jin_only(body, allowed, &w->err);
    if (!rc) rc = jin_str(body, "text", true, MTG_MINUTES_MAX, &text, &w->err);
    if (!rc) rc = mtg_minutes(&w->scope, w->db, web_param_id(req, "id"), text, &ref, &w->err);
    json_decref(body);
    return meeting_written(req, res, rc, 200, "meeting.minutes", &ref, NULL);
}
static const resource_t res_meetings_id_minutes = {"/api/v1/meetings/{id}/minutes", .post = post_minutes};

/* The upload of a document: the body is the file; X-Title, X-Filename (or
 * Content-Disposition's filename), X-Visibility, X-Series, X-Org headers,
 * percent-encoded when not ASCII (never in the address). */
static mtg_doc_input_t doc_input(http_req_t *req)
{
    mtg_doc_input_t in = {web_header(req, "X-Title"), web_upload_filename(req),
                          web_header(req, "X-Visibility"), web_header(req, "X-Series"),
                          web_header(req, "X-Org"), req->body, req->body_len};
    return in;
}

static int post_file(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    mtg_doc_input_t in = doc_input(req);
    mtg_ref_t ref = {0};
    int64_t doc_id = 0;
    int rc = mtg_file_add(&w->scope, w->db, web_param_id(req, "id"), &in, &doc_id, &ref, &w->err);
    if (rc) return web_store_fail(req, rc);
    char detail[32];
    snprintf(detail, sizeof detail, "document %lld", (long long)doc_id);
    if ((rc = mtgweb_audit(req, "meeting.file.create", "meeting", &ref, detail))) return rc;
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)doc_id));
}
static const resource_t res_meetings_id_files = {"/api/v1/meetings/{id}/files", .post = post_file, .max_body = ROUTE_BODY_UPLOAD};

/* The fields of a decision from a JSON body (`create`: its text and due
 * date required, no status yet). */
static int decision_input(json_t *body, bool create, mtg_decision_input_t *in, err_t *e)
{
    static const char *const allowed[] = {"text", "owner_user_id", "owner_name", "due", NULL};
    static const char *const allowed_change[] = {"text", "owner_user_id", "owner_name", "due", "status", NULL};
    int rc;
    if ((rc = jin_only(body, create ? allowed : allowed_change, e)) ||
        (rc = jin_str(body, "text", create, MTG_TEXT_MAX, &in->text, e)) ||
        (rc = jin_int(body, "owner_user_id", false, 1, INT64_MAX, &in->owner_user_id, NULL, e)) ||
        (rc = jin_str(body, "owner_name", false, MTG_TITLE_MAX, &in->owner_name, e)) ||
        (rc = jin_str(body, "due", create, 10, &in->due, e)) ||
        (!create && (rc = jin_str(body, "status", false, 8, &in->status, e))))
        return rc;
    return 0;
}

/* POST /meetings/{id}/decisions (`create`) or PATCH /decisions/{id}. */
static int write_decision(http_req_t *req, http_res_t *res, bool create)
{
    web_t *w = web(req);
    json_t *body = web_body(req);
    if (!body) return -w->err.status;
    mtg_decision_input_t in = {0};
    mtg_ref_t ref = {0};
    json_t *out = NULL;
    int64_t id = web_param_id(req, "id"), did = id; /* a new decision: its id once added */
    int rc = decision_input(body, create, &in, &w->err);
    if (!rc)
        rc = create ? mtg_decision_add(&w->scope, w->db, id, &in, &did, &ref, &w->err)
                    : mtg_decision_update(&w->scope, w->db, id, &in, &ref, &out, &w->err);
    json_decref(body);
    char detail[32];
    snprintf(detail, sizeof detail, "decision %lld", (long long)did);
    if (!rc) rc = mtgweb_audit(req, create ? "meeting.decision.create" : "meeting.decision.update", "meeting", &ref, detail);
    if (rc) return mtgweb_fail(req, rc, out);
    if (create) out = json_pack("{s:I,s:I}", "id", (json_int_t)did, "meeting_id", (json_int_t)ref.id);
    return web_json(req, res, create ? 201 : 200, out);
}

static int post_decision(http_req_t *req, http_res_t *res) { return write_decision(req, res, true); }
static const resource_t res_meetings_id_decisions = {"/api/v1/meetings/{id}/decisions", .post = post_decision};

static int patch_decision(http_req_t *req, http_res_t *res) { return write_decision(req, res, false); }
static const resource_t res_decisions_id = {"/api/v1/decisions/{id}", .patch = patch_decision};

/* GET /decisions?mine=true&overdue=true: open decisions of the scope. */
static int get_decisions(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    const char *mine = http_query(req, "mine"), *overdue = http_query(req, "overdue");
    char today[11];
    date_today(today, 0);
    json_t *items = json_array();
    int rc = mtg_decision_list(&w->scope, w->db, mine && strcmp(mine, "true") == 0,
                               overdue && strcmp(overdue, "true") == 0, today, items, &w->err);
    return rc ? mtgweb_fail(req, rc, items) : web_list(req, res, items, json_null());
}
static const resource_t res_decisions = {"/api/v1/decisions", .get = get_decisions};

static int library_page(http_req_t *req, int64_t cursor, int limit, json_t *items)
{
    web_t *w = web(req);
    int rc = mtg_doc_list(&w->scope, w->db, cursor, limit, items, &w->err);
    return rc ? web_store_fail(req, rc) : 0;
}

/* GET /library: anonymous visitors see the public documents. */
static int get_library(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    if (w->scope.role != ROLE_NONE) return web_list_answer(req, res, CAP_MEETING_READ, 50, 200, library_page);
    int limit;
    int64_t cursor;
    int rc = web_list_params(req, 50, 200, &limit, &cursor);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = library_page(req, cursor, limit + 1, items))) return mtgweb_fail(req, rc, items);
    return web_list(req, res, items, web_next_cursor(items, limit));
}
static const resource_t res_library = {"/api/v1/library", .get = get_library, .flags = R_PUBLIC};

static int post_library(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    mtg_doc_input_t in = doc_input(req);
    mtg_ref_t ref = {0};
    int64_t doc_id = 0;
    int rc = mtg_doc_add(&w->scope, w->db, &in, &doc_id, &ref, &w->err);
    if (rc) return web_store_fail(req, rc);
    if ((rc = mtgweb_audit(req, "document.create", "meeting_document", &ref, NULL))) return rc;
    if (in.visibility && strcmp(in.visibility, "public") == 0) web_public_changed(req);
    return web_json(req, res, 201, json_pack("{s:I}", "id", (json_int_t)doc_id));
}
static const resource_t res_library_post = {"/api/v1/library", .post = post_library, .max_body = ROUTE_BODY_UPLOAD};

int mtgweb_document(http_req_t *req, http_res_t *res, int64_t id)
{
    web_t *w = web(req);
    json_t *row = NULL;
    mtg_ref_t ref = {0};
    str_reset(&res->body);
    int rc = mtg_doc_open(&w->scope, w->db, id, &row, &res->body, &ref, &w->err);
    if (!rc && w->scope.role != ROLE_NONE) rc = mtgweb_audit(req, "document.read", "meeting_document", &ref, NULL);
    if (rc) {
        str_reset(&res->body);
        return mtgweb_fail(req, rc, row);
    }
    rc = web_download(req, res, 0, arena_strdup(req->arena, jstr(row, "content_type")), jstr(row, "filename"));
    json_decref(row);
    return rc;
}

static int get_document(http_req_t *req, http_res_t *res)
{
    return mtgweb_document(req, res, web_param_id(req, "id"));
}
static const resource_t res_library_id = {"/api/v1/library/{id}", .get = get_document, .flags = R_PUBLIC};

static const resource_t *const routes[] = {&res_meetings, &res_meetings_id, &res_meetings_id_invitations,
    &res_meetings_id_calendar_ics, &res_meetings_id_attendance, &res_meetings_id_minutes, &res_meetings_id_files,
    &res_meetings_id_decisions, &res_decisions, &res_decisions_id, &res_library, &res_library_post,
    &res_library_id};

ROUTE_TABLE(mtgweb_api_routes, routes)
