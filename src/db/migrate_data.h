/* migrate_data.h — copying a whole labimpact database from one engine to another
 * (`labimpact migrate-data --from DB --to DB`): a district moving from its
 * SQLite file to the regional PostgreSQL service, or back.
 *
 * Never overwrites data: a target whose application tables hold any row is
 * refused. Never writes to the source. The copy is one transaction on the
 * target, committed only after row counts and per-table checksums of source
 * and target agree. */
#ifndef LI_DB_MIGRATE_DATA_H
#define LI_DB_MIGRATE_DATA_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "db.h"

/* Copies every application table of `from_uri` into `to_uri` (file paths or
 * postgresql:// URIs, as db_open takes them):
 *   1. the source must carry the labimpact schema; the target is migrated
 *      (db_migrate with db_migrations_dir()) and must then be at exactly the
 *      source's schema version (else: upgrade the source with `labimpact init`);
 *   2. refuses when any application table of the target has rows;
 *   3. reads the source in one snapshot and copies the tables (discovered from
 *      the source catalog, schema_migrations excluded) in dependency order,
 *      in batched multi-row INSERTs, all in one target transaction;
 *   4. on PostgreSQL, moves each identity/serial sequence past max(column);
 *   5. compares row count and SHA-256 checksum of every table on both sides
 *      (rows in primary-key order, values in a canonical engine-neutral form)
 *      and commits only if all agree.
 * Writes one progress line per step to `progress` (may be NULL). Returns 0, or
 * a negative DB_E* code with a message (never a password) in errbuf. */
int db_migrate_data(const char *from_uri, const char *to_uri, FILE *progress, char *errbuf,
                    size_t errlen);

/* Row count and SHA-256 (hex, 64 chars + NUL into hex) of `table` in `db`,
 * computed as db_migrate_data verifies them: the same data gives the same
 * checksum on SQLite and PostgreSQL. For `labimpact check` and tests.
 * Returns 0 or a negative DB_E* code with a message in errbuf. */
int db_table_checksum(db_t *db, const char *table, int64_t *rows, char hex[65], char *errbuf,
                      size_t errlen);

#endif
