/* store.h — the only SQL of monitoring: aggregates over the activity records
 * of a set of projects. Every function takes the target set `t`, which only
 * mon_target (monitoring.c) fills after checking the caller's scope, and
 * answers counts only: no query here returns a person's record.
 *
 * An activity counts for its project_id, or, when that is NULL, for the
 * project of its district whose dates hold the activity's date, the latest
 * started first (the rule of governance's gov_project_for, applied at the
 * time of the query, so figures are right before and after the wiring).
 *
 * Returns: 0, or a negative DB_E* code. */
#ifndef LI_MON_STORE_H
#define LI_MON_STORE_H
#include "db/db.h"
#include "monitoring.h"
#include <jansson.h>

/* Per-person figures grouped by sex and age band: appends to `rows` arrays
 * [sex, band, any, lang, civic, job, fr, gain, eult, train]; band is "<18",
 * "18-60", ">60" or "" (no birth date and no recorded band). */
int mon_store_persons(db_t *db, const mon_target_t *t, json_t *rows);
/* O.2.2 (districts and comuni in the network of each project, summed) and
 * O.2.7 (projects led by a local or regional authority), over the projects
 * whose dates meet the window; and the plan's budget: planned (every budget
 * line of the target's projects, for their whole life) and spent (their
 * expenses dated in the window), in cents. One query. */
int mon_store_entities_budget(db_t *db, const mon_target_t *t, int64_t *o22, int64_t *o27, int64_t *planned,
                              int64_t *spent);
/* Consultations in the window (anonymous included): total, and per topic
 * into `by` {topic: n}. */
int mon_store_consultations(db_t *db, const mon_target_t *t, int64_t *total, json_t *by);
/* Mediation requests done in the window: minutes worked in total, per
 * domain and per language into {code: minutes}. */
int mon_store_mediation(db_t *db, const mon_target_t *t, int64_t *minutes, json_t *by_domain, json_t *by_lang);
/* Translations published in the window: total and per language. */
int mon_store_translations(db_t *db, const mon_target_t *t, int64_t *total, json_t *by_lang);
/* Meetings held (started before `now`, Unix seconds) in the window, per
 * kind into `held` {kind: n}; persons marked present per kind into
 * `persons`; organisations present, each once per meeting, into `orgs`.
 * Counts only: nothing of a meeting (case meetings included) but its kind. */
int mon_store_meetings(db_t *db, const mon_target_t *t, int64_t now, json_t *held, json_t *persons, json_t *orgs);
/* Brings the summaries (migration 0015) up to date with the records for
 * what the triggers marked; a no-op when nothing is (store_summary.c). */
int mon_store_refresh(db_t *db);
/* mon_store_persons and mon_store_consultations read from the summaries,
 * for `period` '' (the whole life of the projects) or one semester
 * 'YYYY-S1|S2'. Call mon_store_refresh first. */
int mon_store_persons_summary(db_t *db, const mon_target_t *t, const char *period, json_t *rows);
int mon_store_consultations_summary(db_t *db, const mon_target_t *t, const char *period, int64_t *total, json_t *by);
int mon_store_mediation_summary(db_t *db, const mon_target_t *t, const char *period, int64_t *minutes, json_t *by_domain,
                                json_t *by_lang);
/* The districts (kind ambito) in the subtree `path_like`: [{code, name}]. */
int mon_store_districts(db_t *db, const char *path_like, json_t *items);
/* The organisation `code` inside `path_like`: its id and path; 1 when absent. */
int mon_store_org(db_t *db, const char *path_like, const char *code, int64_t *id, char *path, size_t len);
/* The project `id` inside `path_like`: its organisation's id and path; 1 when absent. */
int mon_store_project(db_t *db, const char *path_like, int64_t id, int64_t *org_id, char *path, size_t len);

#endif
