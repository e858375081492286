/* err.c — filling an err_t. */
#include "err.h"
#include <string.h>

int err_set(err_t *e, int status, const char *code, const char *field, const char *message)
{
    e->status = status;
    e->code = code;
    e->field[0] = '\0';
    if (field) {
        strncpy(e->field, field, sizeof e->field - 1);
        e->field[sizeof e->field - 1] = '\0';
    }
    e->message = message;
    e->retry_after = 0;
    return -status;
}
