/* main.c — `labimpact` subcommand dispatch: init, demo, user, serve, check,
 * backup. Each prints help with --help. Commands take --db (or LABIMPACT_DB). */
#include "app/auth.h"
#include "app/org.h"
#include "app/server.h"
#include "app/settings.h"
#include "app/store.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/mail.h"
#include "db/db.h"
#include "db/migrate_data.h"
#include "db/sqlite_tools.h"
#include "app/module.h"
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} command_t;

/* Finds "--name value" in argv; NULL when absent. */
static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return NULL;
}

static bool flag(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return true;
    return false;
}

/* --db or LABIMPACT_DB; prints an error when neither is given. */
static const char *db_arg(int argc, char **argv, const char *cmd)
{
    const char *db = opt(argc, argv, "--db");
    if (!db) db = getenv("LABIMPACT_DB");
    if (db && !*db) db = NULL;
    if (!db) fprintf(stderr, "%s: --db DB is required (a file path or a postgresql:// URI)\n", cmd);
    return db;
}

/* Opens and migrates the database. */
static db_t *open_migrated(const char *uri, const char *cmd)
{
    char err[256];
    db_t *db = db_open(uri, err, sizeof err);
    if (!db) {
        fprintf(stderr, "%s: %s\n", cmd, err);
        return NULL;
    }
    if (db_migrate(db, db_migrations_dir()) != 0) {
        fprintf(stderr, "%s: migrations failed\n", cmd);
        db_close(db);
        return NULL;
    }
    return db;
}

static int cmd_init(int argc, char **argv)
{
    const char *uri = db_arg(argc, argv, "init");
    if (!uri) return 2;
    db_t *db = open_migrated(uri, "init");
    if (!db) return 1;
    db_close(db);
    printf("init: schema is up to date\n");
    return 0;
}

/* The default credentials file: beside a SQLite file, else var/. */
static const char *default_credentials(const char *uri, char *buf, size_t len)
{
    if (db_uri_is_pg(uri)) {
        mkdir("var", 0700);
        snprintf(buf, len, "var/demo-credentials.txt");
    } else {
        char copy[1024];
        snprintf(copy, sizeof copy, "%s", uri);
        snprintf(buf, len, "%s/demo-credentials.txt", dirname(copy));
    }
    return buf;
}

/* Synthetic persons loaded by `demo` when --persons is not given (0: network only). */
#define DEMO_DEFAULT_PERSONS 300

static int cmd_demo(int argc, char **argv)
{
    const char *uri = db_arg(argc, argv, "demo");
    if (!uri) return 2;
    char creds[1100], data[1100];
    const char *home = getenv("LABIMPACT_HOME");
    snprintf(data, sizeof data, "%s/data/demo-network.json", home && *home ? home : ".");
    const char *credentials = opt(argc, argv, "--credentials") ? opt(argc, argv, "--credentials")
                                                               : default_credentials(uri, creds, sizeof creds);
    module_demo_t d = {.data_file = opt(argc, argv, "--data") ? opt(argc, argv, "--data") : data,
                       .persons = DEMO_DEFAULT_PERSONS, .seed = 1, .log = stdout};
    const char *persons = opt(argc, argv, "--persons"), *seed = opt(argc, argv, "--seed");
    char *end;
    if (persons && ((d.persons = strtol(persons, &end, 10)) < 0 || *end)) {
        fprintf(stderr, "demo: --persons takes a whole number >= 0\n");
        return 2;
    }
    if (seed && ((d.seed = strtoul(seed, &end, 10)), *end)) {
        fprintf(stderr, "demo: --seed takes a whole number\n");
        return 2;
    }
    db_t *db = open_migrated(uri, "demo");
    if (!db) return 1;
    int rc = modules_demo(db, &d, credentials);
    db_close(db);
    return rc ? 1 : 0;
}

/* Reads the password from standard input (one line, newline removed). */
static int read_password(char *buf, size_t len)
{
    if (!fgets(buf, (int)len, stdin)) return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

static int cmd_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        fprintf(stderr, "user: the only action is `add` (see labimpact user --help)\n");
        return 2;
    }
    const char *uri = db_arg(argc, argv, "user add"), *username = opt(argc, argv, "--username"),
               *role = opt(argc, argv, "--role"), *org_code = opt(argc, argv, "--org");
    if (!uri) return 2;
    if (!username || !role || !flag(argc, argv, "--password-stdin")) {
        fprintf(stderr, "user add: --username, --role and --password-stdin are required\n");
        return 2;
    }
    if (role_parse(role) == ROLE_NONE) {
        fprintf(stderr, "user add: unknown role %s\n", role);
        return 2;
    }
    char password[512];
    if (read_password(password, sizeof password) != 0) {
        fprintf(stderr, "user add: no password on standard input\n");
        return 2;
    }
    const char *lists[] = {"data/common-passwords.txt", "/usr/share/john/password.lst", NULL};
    auth_load_common_passwords(lists);
    err_t e = {0};
    if (auth_check_password(password, username, &e) != 0) {
        fprintf(stderr, "user add: password: %s\n", e.message);
        return 1;
    }
    db_t *db = open_migrated(uri, "user add");
    if (!db) return 1;
    org_t org;
    int rc = org_code ? org_public(db, org_code, &org) : org_root(db, &org);
    if (rc != 0) {
        fprintf(stderr, "user add: unknown organisation %s\n", org_code ? org_code : "(root)");
        db_close(db);
        return 1;
    }
    char hash[CRYPTO_PWHASH_LEN];
    int64_t id = 0;
    rc = crypto_password_hash(password, hash);
    if (!rc) rc = db_begin(db, true);
    if (!rc) rc = store_user_create(db, username, hash, NULL, NULL, role_parse(role), org.id, db_now(), &id);
    if (!rc) {
        scope_t sys = scope_system(org.path);
        audit_row_t row = {.at = db_now(), .username = sys.username, .action = "user.create", .object_kind = "user",
                           .object_id = username, .org_id = org.id, .detail = role};
        rc = store_audit_insert(db, &row);
    }
    if (!rc) rc = db_commit(db);
    else db_rollback(db);
    db_close(db);
    if (rc == DB_ECONSTRAINT) fprintf(stderr, "user add: the username %s is taken\n", username);
    else if (rc) fprintf(stderr, "user add: failed\n");
    else printf("user add: %s (%s, %s) created\n", username, role, org.code);
    return rc ? 1 : 0;
}

static int cmd_check(int argc, char **argv)
{
    const char *uri = db_arg(argc, argv, "check");
    if (!uri) return 2;
    char err[256];
    db_t *db = db_open(uri, err, sizeof err);
    if (!db) {
        fprintf(stderr, "check: %s\n", err);
        return 1;
    }
    int problems = 0, rc;
    if (db_kind(db) == DB_SQLITE) {
        db_stmt_t *st = db_query(db, &rc, "PRAGMA integrity_check", NULL);
        for (; st && rc == DB_ROW; rc = db_step(st))
            if (strcmp(db_col_text(st, 0), "ok") != 0) {
                printf("integrity: %s\n", db_col_text(st, 0));
                problems++;
            }
        db_reset(st);
        st = db_query(db, &rc, "PRAGMA foreign_key_check", NULL);
        for (; st && rc == DB_ROW; rc = db_step(st)) {
            printf("foreign key: table %s row %lld refers to a missing %s\n", db_col_text(st, 0),
                   (long long)db_col_int(st, 1), db_col_text(st, 2));
            problems++;
        }
        db_reset(st);
    }
    /* Both engines: every organisation's path must end with its own id under its parent's path. */
    db_stmt_t *st = db_query(db, &rc,
                             "SELECT o.code FROM org o LEFT JOIN org p ON p.id = o.parent_id"
                             " WHERE (p.id IS NULL AND o.path <> '/' || CAST(o.id AS TEXT) || '/')"
                             " OR (p.id IS NOT NULL AND o.path <> p.path || CAST(o.id AS TEXT) || '/')",
                             NULL);
    if (!st && rc != DB_DONE) {
        printf("check: the schema is missing or unreadable\n");
        problems++;
    }
    for (; st && rc == DB_ROW; rc = db_step(st)) {
        printf("organisation %s: tree path is inconsistent\n", db_col_text(st, 0));
        problems++;
    }
    db_reset(st);
    db_close(db);
    printf("check: %s (%d problem%s)\n", problems ? "PROBLEMS FOUND" : "sound", problems, problems == 1 ? "" : "s");
    return problems ? 1 : 0;
}

static int cmd_backup(int argc, char **argv)
{
    const char *uri = db_arg(argc, argv, "backup"), *out = opt(argc, argv, "--out");
    if (!uri) return 2;
    if (!out) {
        fprintf(stderr, "backup: --out FILE is required\n");
        return 2;
    }
    if (db_uri_is_pg(uri)) {
        fprintf(stderr, "backup: for PostgreSQL use pg_basebackup / WAL archiving (docs/deploy.md)\n");
        return 2;
    }
    char err[256];
    db_t *db = db_open(uri, err, sizeof err);
    if (!db) {
        fprintf(stderr, "backup: %s\n", err);
        return 1;
    }
    int rc = db_sqlite_backup(db, out, err, sizeof err);
    db_close(db);
    if (rc) fprintf(stderr, "backup: %s\n", err);
    else printf("backup: %s written\n", out);
    return rc ? 1 : 0;
}

/* `labimpact migrate-data --from DB --to DB`: copies a whole database into an
 * empty one (SQLite <-> PostgreSQL), verified by row counts and checksums. */
static int cmd_migrate_data(int argc, char **argv)
{
    const char *from = opt(argc, argv, "--from"), *to = opt(argc, argv, "--to");
    if (!from || !to) {
        fprintf(stderr, "migrate-data: --from DB and --to DB are required\n");
        return 2;
    }
    char err[512];
    if (db_migrate_data(from, to, stdout, err, sizeof err) != 0) {
        fprintf(stderr, "migrate-data: %s\n", err);
        return 1;
    }
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    return server_main(argc, argv);
}

/* Prints every route the server answers, one a line: method, pattern, and
 * the flags it runs with (public, write, no-csrf, no-db, password, and the
 * body cap in bytes when it lifts the default). */
static int cmd_routes(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static const struct { unsigned bit; const char *name; } names[] = {
        {R_PUBLIC, "public"}, {R_WRITE, "write"}, {R_NO_CSRF, "no-csrf"}, {R_NO_DB, "no-db"}, {R_PASSWORD, "password"}};
    size_t n;
    const route_t *r = modules_routes(&n);
    for (size_t i = 0; i < n; i++) {
        printf("%s %s", r[i].method, r[i].pattern);
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (r[i].flags & names[k].bit) printf(" %s", names[k].name);
        if (r[i].max_body) printf(" body=%zu", r[i].max_body);
        putchar('\n');
    }
    return 0;
}

static const command_t commands[] = {
    {"init", cmd_init, "init --db DB\n  Creates or migrates the schema (idempotent).\n"},
    {"demo", cmd_demo,
     "demo --db DB [--persons N] [--seed S] [--data FILE] [--credentials FILE]\n"
     "  Loads the demo network (Regione Lombardia, its districts and partners), one\n"
     "  account per role with a random password, printed once and written (mode 0600)\n"
     "  beside the database (var/demo-credentials.txt for PostgreSQL) or to FILE, and\n"
     "  reproducible synthetic casework and mediation for N persons (default 300; 0 for\n"
     "  the network only; seed S, default 1). On a database that already holds the\n"
     "  network, only missing demo accounts are added.\n"},
    {"user", cmd_user,
     "user add --db DB --username U --role ROLE [--org CODE] --password-stdin\n"
     "  Creates an account. ROLE: admin, region, coordinator, operator, mediator,\n"
     "  teacher, editor, translator. CODE: an organisation code (default: the region).\n"
     "  The password (12+ characters, not a common one) is read from standard input.\n"},
    {"serve", cmd_serve,
     "serve --db DB [--listen HOST:PORT]\n"
     "  Serves the web application and the API (default 127.0.0.1:8080). Stops cleanly on\n"
     "  SIGTERM. Environment: LABIMPACT_HOME, LABIMPACT_SESSION_IDLE, LABIMPACT_SESSION_MAX,\n"
     "  LABIMPACT_TRUST_PROXY, LABIMPACT_LOG.\n"},
    {"check", cmd_check, "check --db DB\n  Verifies integrity; exit 0 when sound.\n"},
    {"migrate-data", cmd_migrate_data,
     "migrate-data --from DB --to DB\n  Copies a whole database into an empty one (SQLite <-> PostgreSQL), verifying\n"
     "  row counts and checksums of every table; refuses a target that holds data.\n"},
    {"routes", cmd_routes,
     "routes\n  Lists the routes the server answers: method, path and flags, one a line.\n"},
    {"backup", cmd_backup, "backup --db DB --out FILE\n  Online backup of a SQLite database (consistent while serving).\n"},
};

static void usage(FILE *f)
{
    fprintf(f, "labimpact — the information system of the Lab'Impact plan\n\nUsage: labimpact COMMAND [options]\n\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) fprintf(f, "  %s", commands[i].usage);
    fprintf(f, "\nDB is a SQLite file path or a postgresql:// URI; LABIMPACT_DB and LABIMPACT_LISTEN\n"
               "stand for --db and --listen.\n");
}

int main(int argc, char **argv)
{
    log_from_env();
    if (crypto_init() != 0 || mail_init() != 0) {
        fprintf(stderr, "labimpact: libsodium or libcurl failed to initialise\n");
        return 1;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0) continue;
        if (flag(argc - 1, argv + 1, "--help")) {
            printf("labimpact %s", commands[i].usage);
            return 0;
        }
        return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "labimpact: unknown command %s\n\n", argv[1]);
    usage(stderr);
    return 2;
}
