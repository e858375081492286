/* internal.h — what the operation files of meetings (meetings.c, invite.c,
 * decisions.c, docs.c) share; the pages and the API include meetings.h only. */
#ifndef LI_MEETINGS_INTERNAL_H
#define LI_MEETINGS_INTERNAL_H
#include "meetings.h"
#include "store.h"

/* Maps a DB_E* code into `e` (409, 503, 500) and returns -status. */
int mtg_fail_db(err_t *e, int rc);
/* Maps a store return: 1 (absent or out of scope) to the one 404, DB_E*
 * through mtg_fail_db; 0 stays 0. */
int mtg_store_result(err_t *e, int rc);
/* Loads a meeting the scope reads (G1, G2): 403 without CAP_MEETING_READ,
 * 404 when absent or hidden. Fills `ref`. */
int mtg_load(const scope_t *sc, db_t *db, int64_t id, mtg_meeting_t *m, mtg_ref_t *ref, err_t *e);
/* Loads a meeting the scope runs: CAP_MEETING_MANAGE (403), in its own
 * subtree (a laboratory of the region seen from a district: 403); with
 * `locked_check`, 409 period_locked inside an approved period (G4). */
int mtg_managed(const scope_t *sc, db_t *db, int64_t id, bool locked_check, mtg_meeting_t *m, mtg_ref_t *ref,
                err_t *e);
/* The Rome date (YYYY-MM-DD) of an instant into out[11]. */
void mtg_rome_date(int64_t t, char out[11]);
/* Adds "start" and "end" (Rome local) to an object with start_at and minutes. */
void mtg_add_times(json_t *o);

#endif
