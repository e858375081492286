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
 * strings longer than 64 KiB and files longer than 8 MiB. */
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

/* Loads every locales/<lang>.po below `dir`. NULL with a message on error. */
i18n_t *i18n_load_dir(const char *dir, char *errbuf, size_t errlen);
void i18n_free(i18n_t *in);
/* Translation of msgid in `lang`, falling back to msgid. Never NULL. */
const char *i18n_get(const i18n_t *in, const char *lang, const char *msgid);
/* True when a catalogue for `lang` was loaded. */
bool i18n_has(const i18n_t *in, const char *lang);
/* Chooses the language: `explicit_choice` (a cookie or ?lang=) when loaded,
 * else the best loaded match of an Accept-Language header (q-values, and
 * "fr-CH" matching "fr"), else `fallback`. Returns a string owned by `in`
 * (or `fallback`). */
const char *i18n_negotiate(const i18n_t *in, const char *explicit_choice,
                           const char *accept_language, const char *fallback);
/* The loaded language codes, sorted; *n receives the count. */
const char *const *i18n_langs(const i18n_t *in, size_t *n);
/* True for right-to-left scripts (ar, fa, he, ps, ur, ...). */
bool i18n_is_rtl(const char *lang);
/* The language's own name ("Italiano", "العربية"), or the code when unknown. */
const char *i18n_native_name(const char *lang);

#endif
