/* settings.h — what the server loads once at start-up: the folders it reads
 * (templates, locales, static files, data), the compiled templates and
 * catalogues, and the limits from the environment:
 *   LABIMPACT_HOME            folder holding templates/, locales/, static/,
 *                             migrations/, data/ (default: the current folder)
 *   LABIMPACT_SESSION_IDLE    idle session limit in seconds (default 1800)
 *   LABIMPACT_SESSION_MAX     absolute session limit in seconds (default 43200)
 *   LABIMPACT_TRUST_PROXY=1   behind nginx: take the client address from
 *                             X-Real-IP and TLS from X-Forwarded-Proto
 *   LABIMPACT_PUBLIC_URL      the site's address in e-mails, feeds and QR codes
 *                             (default http://127.0.0.1:8080)
 * Read-only after settings_load(), so every thread may read it freely. */
#ifndef LI_SETTINGS_H
#define LI_SETTINGS_H
#include "auth.h"
#include "core/i18n.h"
#include "core/tmpl.h"
#include <stdbool.h>

typedef struct settings {
    char home[1024];
    const char *default_lang;
    i18n_t *i18n;
    tmpl_set_t *tmpl;
    auth_limits_t limits;
    bool trust_proxy;
} settings_t;

/* Loads everything; 0, or -1 after printing what is wrong. */
int settings_load(void);
void settings_free(void);
const settings_t *settings(void);
/* home + "/" + rel into a static-per-thread buffer. */
const char *settings_path(const char *rel);
/* LABIMPACT_PUBLIC_URL, or http://127.0.0.1:8080: the address links outside
 * the site (e-mails, feeds, QR codes) start with. Needs no settings_load(). */
const char *settings_public_url(void);

#endif
