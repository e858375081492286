/* settings.c — start-up loading of templates, catalogues, password lists. */
#include "settings.h"
#include "module.h"
#include "core/log.h"
#include "static_files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static settings_t cfg;

const settings_t *settings(void)
{
    return &cfg;
}

const char *settings_path(const char *rel)
{
    static _Thread_local char buf[2048];
    snprintf(buf, sizeof buf, "%s/%s", cfg.home, rel);
    return buf;
}

const char *settings_public_url(void)
{
    const char *u = getenv("LABIMPACT_PUBLIC_URL");
    return u && *u ? u : "http://127.0.0.1:8080";
}

static int64_t env_seconds(const char *name, int64_t def)
{
    const char *v = getenv(name);
    if (!v || !*v) return def;
    char *end;
    long long x = strtoll(v, &end, 10);
    return (*end || x <= 0) ? def : x;
}

int settings_load(void)
{
    const char *home = getenv("LABIMPACT_HOME");
    snprintf(cfg.home, sizeof cfg.home, "%s", home && *home ? home : ".");
    cfg.default_lang = "it";
    cfg.limits.idle_seconds = env_seconds("LABIMPACT_SESSION_IDLE", 1800);
    cfg.limits.absolute_seconds = env_seconds("LABIMPACT_SESSION_MAX", 43200);
    const char *tp = getenv("LABIMPACT_TRUST_PROXY");
    cfg.trust_proxy = tp && strcmp(tp, "1") == 0;
    char err[512];
    const char *catalogues[64];
    size_t nc = 0;
    for (const module_t *const *m = modules; *m && nc + 1 < sizeof catalogues / sizeof *catalogues; m++)
        if ((*m)->locales) catalogues[nc++] = (*m)->locales;
    catalogues[nc] = NULL;
    cfg.i18n = i18n_load_dir(settings_path("locales"), catalogues, err, sizeof err);
    if (!cfg.i18n) {
        log_error("locales: %s", err);
        return -1;
    }
    cfg.tmpl = tmpl_load_dir(settings_path("templates"), err, sizeof err);
    if (!cfg.tmpl) {
        log_error("templates: %s", err);
        return -1;
    }
    char common_own[2048];
    snprintf(common_own, sizeof common_own, "%s", settings_path("data/common-passwords.txt"));
    const char *lists[] = {common_own, "/usr/share/john/password.lst", NULL};
    size_t n = auth_load_common_passwords(lists);
    if (n == 0) log_warn("no common-password list found");
    if (static_files_load(settings_path("static")) != 0) return -1;
    return 0;
}

void settings_free(void)
{
    i18n_free(cfg.i18n);
    tmpl_set_free(cfg.tmpl);
    static_files_free();
    cfg.i18n = NULL;
    cfg.tmpl = NULL;
}
