/* err.h — the error a request answers with: HTTP status, a stable code, the
 * field at fault (if one) and a message id translated for the reader.
 *
 * Validation and store functions fill an err_t and return its negated status,
 * so a handler can `return err_set(...)` and the web layer renders it. */
#ifndef LI_ERR_H
#define LI_ERR_H

typedef struct err {
    int status;          /* 400, 401, 403, 404, 409, 413, 422, 429, 500, 503 */
    const char *code;    /* stable machine code, e.g. "invalid", "not_found" */
    char field[64];      /* JSON field at fault, "" when none */
    const char *message; /* English msgid (static string), translated on output */
    int retry_after;     /* seconds for 429/503, 0 when not set */
} err_t;

/* Fills `e` and returns -status (negative), for `return err_set(...)`. */
int err_set(err_t *e, int status, const char *code, const char *field, const char *message);

#endif
