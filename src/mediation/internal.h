/* internal.h — what the operation files of mediation (mediation.c,
 * booking.c, statement.c, notify.c) share with each other; the pages and
 * the API include mediation.h only. */
#ifndef LI_MEDIATION_INTERNAL_H
#define LI_MEDIATION_INTERNAL_H
#include "mediation.h"
#include "store.h"

/* Maps a DB_E* code into `e` (409 conflict, 503 busy / unavailable, 500)
 * and returns -status. */
int med_fail_db(err_t *e, int rc);
/* The one not-found error (also for records out of scope): -404. */
int med_not_found(err_t *e);
/* Maps a store return: 1 (absent or out of scope) to 404, DB_E* through
 * med_fail_db; 0 stays 0. */
int med_store_result(err_t *e, int rc);
/* Loads a request the scope manages: 403 without CAP_MEDIATION_MANAGE, 404
 * when absent or out of scope. Fills `ref` with it. */
int med_managed_request(const scope_t *sc, db_t *db, int64_t id, med_request_t *r, med_ref_t *ref, err_t *e);
/* Sets `ref` to the request. */
void med_ref_request(med_ref_t *ref, const med_request_t *r);

/* E-mails: kind "offer", "assignment", "reminder", "cancellation",
 * "received" about request `r` (to the mediator when not NULL, and / or the
 * requester). A malformed address is skipped. 0 or DB_E*. */
int med_mail(db_t *db, const med_request_t *r, const med_mediator_t *m, const char *kind);
/* Asks the requester to confirm a closed-out request at its token's page. */
int med_mail_confirm(db_t *db, const med_request_t *r, const char *token);
/* Italian text of a msgid (e-mails and calendars are in Italian). */
const char *med_it(const char *msgid);

#endif
