/* static_files.c — in-memory static files with ETags. */
#include "static_files.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/str.h"
#include "server.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STATIC_MAX_TOTAL (64u * 1024 * 1024)

typedef struct sfile {
    char *path;  /* relative, "css/app.css" */
    char *data;
    size_t len;
    char etag[24];
    const char *type;
} sfile_t;

static sfile_t *files;
static size_t nfiles, capfiles, total;

static const char *mime_for(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},           {".png", "image/png"},
        {".ico", "image/x-icon"},            {".woff2", "font/woff2"},
        {".woff", "font/woff"},              {".ttf", "font/ttf"},
        {".json", "application/json"},       {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static int add_file(const char *full, const char *rel)
{
    str_t s = STR_INIT;
    if (str_read_file(&s, full) != 0) {
        str_release(&s);
        return -1;
    }
    if (total + s.len > STATIC_MAX_TOTAL) {
        str_release(&s);
        log_error("static files exceed %u bytes", STATIC_MAX_TOTAL);
        return -1;
    }
    if (nfiles == capfiles) {
        capfiles = capfiles ? capfiles * 2 : 256;
        files = realloc(files, capfiles * sizeof *files);
        if (!files) log_fatal("out of memory (static files)");
    }
    sfile_t *sf = &files[nfiles++];
    sf->path = strdup(rel);
    sf->len = s.len;
    sf->data = str_detach(&s, NULL);
    char hex[CRYPTO_HASH_HEX];
    crypto_sha256_hex(sf->data, sf->len, hex);
    snprintf(sf->etag, sizeof sf->etag, "\"%.16s\"", hex);
    sf->type = mime_for(rel);
    total += sf->len;
    return 0;
}

static int walk(const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    if (!d) return 0; /* no static folder: nothing to serve */
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char full[2048], sub[1024];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        struct stat st;
        if (lstat(full, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) rc = walk(full, sub);
        else if (S_ISREG(st.st_mode)) rc = add_file(full, sub);
    }
    closedir(d);
    return rc;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const sfile_t *)a)->path, ((const sfile_t *)b)->path);
}

int static_files_load(const char *dir)
{
    if (walk(dir, "") != 0) return -1;
    qsort(files, nfiles, sizeof *files, cmp_file);
    return 0;
}

void static_files_free(void)
{
    for (size_t i = 0; i < nfiles; i++) {
        free(files[i].path);
        free(files[i].data);
    }
    free(files);
    files = NULL;
    nfiles = capfiles = total = 0;
}

int static_files_serve(http_req_t *req, http_res_t *res)
{
    const char *rel = http_param(req, "*");
    if (!rel || strstr(rel, "..")) return web_not_found(req);
    sfile_t key = {.path = (char *)rel};
    sfile_t *sf = bsearch(&key, files, nfiles, sizeof *files, cmp_file);
    if (!sf) return web_not_found(req);
    http_res_header(res, "ETag", sf->etag);
    res->cache_control = strncmp(rel, "vendor/", 7) == 0 ? "public, max-age=604800" : "public, max-age=3600";
    res->content_type = sf->type;
    /* A service worker of our own static folder may control the site's pages (static/info/sw.js: /info). */
    size_t n = strlen(rel);
    if (n >= 5 && strcmp(rel + n - 5, "sw.js") == 0) http_res_header(res, "Service-Worker-Allowed", "/");
    const char *inm = http_header(req, "If-None-Match");
    if (inm && strcmp(inm, sf->etag) == 0) {
        res->status = 304;
        return 0;
    }
    res->status = 200;
    res->static_body = sf->data;
    res->static_len = sf->len;
    return 0;
}
