/* monitoring.h — the AMIF indicators and the plan's own, computed from the
 * records at the time of the request, for one project or for every project
 * of an organisation's subtree, over an optional window of dates.
 *
 * Rules it keeps (the contract's counting rules, data/monitoring/indicators.json):
 * 1. A participant is an identified person: anonymous consultations are
 *    contacts, never participants.
 * 2. A person counts once per project; over several projects the figures
 *    are the sum of the projects' figures.
 * 3. The age band is the age at the person's first activity in the project
 *    (over all its dates, not only the window's); a person without a birth
 *    date falls back on the band recorded at first registration.
 * 4. Course enrolments count when `enrolled` (never `waiting` or
 *    `withdrawn`), dated by the course's start date.
 * 5. R.2.8: a language course whose exit level is at least one CEFR level
 *    above the entry level (pre-A1 < A1 < A2 < B1 < B2 < C1 < C2).
 * 6. An activity without project_id counts for the project of its district
 *    whose dates hold its date (governance's rule).
 * 7. Scope: a coordinator reads its own subtree (another answers 404); the
 *    region and admins every district; figures are aggregates only.
 * 8. Budget (the plan's own P.BUDGET*): planned is every budget line of the
 *    target's projects, spent their expenses dated in the window, in cents;
 *    the percentage spent / planned (null without a plan).
 * 9. Meetings (P.MEET, P.ATT, P.ATT.ORG): meetings started before now in the
 *    window, by kind; persons marked present; organisations present once per
 *    meeting. Counts only, nothing of a case meeting but its kind.
 *
 * Returns: 0, or -status with `e` filled (401/403/404/422, 503/500). */
#ifndef LI_MONITORING_H
#define LI_MONITORING_H
#include "app/scope.h"
#include "core/err.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

extern const capability_t cap_monitoring_read;
#define CAP_MONITORING_READ (&cap_monitoring_read) /* indicators, dashboards, exports */

/* What the figures are computed over: filled by mon_target only. */
typedef struct mon_target {
    int64_t project_id;      /* > 0: that project alone */
    char path_like[280];     /* else every project whose organisation matches */
    int64_t org_id;          /* the organisation the figures belong to (audit) */
    char from[11], to[11];   /* the window, "0000-01-01" .. "9999-12-31" when open */
    int64_t from_ts, to_ts;  /* the same as Unix seconds, [from_ts, to_ts) */
} mon_target_t;

/* Resolves ?project_id / ?org / ?from / ?to against the scope: a project or
 * organisation outside it answers 404; neither given: the scope's subtree.
 * `project_id` 0 and `org` NULL or "" mean not given. */
int mon_target(const scope_t *sc, db_t *db, int64_t project_id, const char *org, const char *from, const char *to,
               mon_target_t *t, err_t *e);
/* Sets the window of `t` (NULL or "" leave that end open); 0 or -422. */
int mon_window(mon_target_t *t, const char *from, const char *to, err_t *e);
/* The indicators of `t` into *out: {"items":[{code, value, unit, by_sex,
 * by_age, (by_topic|by_domain|by_language)}]}. */
int mon_indicators(db_t *db, const mon_target_t *t, json_t **out, err_t *e);
/* The definitions (data/monitoring/indicators.json "indicators"), borrowed;
 * NULL when the file cannot be read. */
const json_t *mon_definitions(void);
/* The label of `code` in `lang` ("it" or "en"; the code when unknown). */
const char *mon_label(const char *code, const char *lang);

/* Statistical disclosure control of a table of counts (suppress.c).
 * cells: rows x cols counts, row-major; the totals are the sums of the
 * cells. Marks in `out` (same shape) every cell to hide: the primary cells
 * (0 < n < threshold) and, so that no hidden cell can be recovered from its
 * row, its column or the totals, complementary cells, the smallest first.
 * `row_hide` / `col_hide` / `grand_hide` (each may be NULL) get the totals
 * to hide (a total under the threshold is itself primary). On input, every
 * flag already true stays hidden (a total another table of the same
 * figures hides): zero them for a table alone. Returns the number of
 * entries hidden (cells and totals), -1 without memory. */
int mon_suppress(const long *cells, int rows, int cols, long threshold, bool *out, bool *row_hide, bool *col_hide,
                 bool *grand_hide);

/* The semesters ("YYYY-S1") from `first` to `last` (both YYYY-MM-DD)
 * into `items` as [{period, from, to}], at most `max`. */
void mon_semesters(const char *first, const char *last, int max, json_t *items);

#endif
