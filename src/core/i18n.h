/* i18n.h — UI languages from gettext .po files, and language negotiation.
 *
 * Message ids are the English source texts. locales/<lang>.po holds one
 * catalogue per language (it.po, en.po, ar.po, ...). Lookups never fail: a
 * missing or empty translation falls back to the msgid.
 *
 * The .po parser reads what gettext tools write: comments (#...), msgctxt
 * (kept as part of the key: "ctxt\004msgid"), msgid, msgid_plural, msgstr and
 * msgstr[N] (the singular form is used), multi-line strings and the C escapes
 * \n \t \" \\. It rejects malformed input with a line number, and refuses
 * strings longer than 64 KiB and files longer than 8 MiB. It also refuses
 * invalid UTF-8, NUL bytes and duplicate messages, accepts CRLF line ends
 * and a byte order mark, skips entries flagged "#, fuzzy" (as msgfmt does)
 * and does not store the header entry (empty msgid). */
#ifndef LI_I18N_H
#define LI_I18N_H
#include <stdbool.h>
#include <stddef.h>

typedef struct po_catalog po_catalog_t;
typedef struct i18n i18n_t;

/* Parses .po text. NULL with "line N: message" in errbuf on malformed input. */
po_catalog_t *po_parse(const char *src, size_t len, char *errbuf, size_t errlen);
void po_free(po_catalog_t *cat);
/* Translation of msgid in one catalogue, NULL when absent or empty. */
const char *po_get(const po_catalog_t *cat, const char *msgid);
/* Number of entries with a non-empty translation. */
size_t po_count(const po_catalog_t *cat);

/* Loads every <lang>.po file directly in `dir` (the locales directory:
 * i18n_load_dir("locales", ...)), then those of each folder named in the
 * NULL-terminated `modules` below it (locales/desk/it.po, ...; NULL: none);
 * the main catalogue of a language wins on conflicts. <lang> must be 2-3 lowercase letters,
 * optionally "_" and a 2-letter uppercase region (it, ckb, pt_BR); another
 * *.po name is an error; hidden files and other extensions are ignored.
 * NULL with "path: line N: message" (or "path: message") on error. */
i18n_t *i18n_load_dir(const char *dir, const char *const *modules, char *errbuf, size_t errlen);
void i18n_free(i18n_t *in);
/* Translation of msgid in `lang`, falling back to msgid. Never NULL. */
const char *i18n_get(const i18n_t *in, const char *lang, const char *msgid);
/* True when a catalogue for `lang` was loaded. */
bool i18n_has(const i18n_t *in, const char *lang);
/* Chooses the language: `explicit_choice` (a cookie or ?lang=) when loaded,
 * else the best loaded match of an Accept-Language header (q-values, and
 * "fr-CH" matching "fr"), else `fallback`. Returns a string owned by `in`
 * (or `fallback`). Matching ignores case and '-' vs '_' ("pt-BR" is pt_BR)
 * and tries the whole tag before its primary subtag. In the header, q=0
 * excludes, ties go to the earlier item, "*" stands for `fallback`, and
 * malformed items are skipped. */
const char *i18n_negotiate(const i18n_t *in, const char *explicit_choice,
                           const char *accept_language, const char *fallback);
/* The loaded language codes, sorted; *n receives the count. */
const char *const *i18n_langs(const i18n_t *in, size_t *n);
/* True for right-to-left scripts (ar, fa, he, ps, ur, ckb, yi, dv, sd, ug);
 * a region is ignored ("ar_EG", "fa-IR"). */
bool i18n_is_rtl(const char *lang);
/* The language's own name ("Italiano", "العربية"), or the code when unknown
 * ("" for NULL). A region is ignored: "pt_BR" gives "Português". */
const char *i18n_native_name(const char *lang);

#endif
