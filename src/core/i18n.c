/* i18n.c — gettext .po catalogues, lookups and language negotiation.
 *
 * It must never hand out a NULL or invalid-UTF-8 string to a page (a lookup
 * falls back to the msgid; a catalogue with bad bytes is refused whole), and
 * never trust the Accept-Language header: anything malformed in it is
 * skipped, never an error.
 *
 * The parser is line-oriented, as gettext writes files: a line is blank, a
 * comment (#...), a keyword with a string (msgctxt, msgid, msgid_plural,
 * msgstr, msgstr[N]) or a continuation string ("..."). An entry ends when
 * the next one begins, at a comment after its msgstr, or at the end of the
 * file. Entries flagged "#, fuzzy" are skipped, as msgfmt does; the header
 * entry (empty msgid) is not stored. */
#include "i18n.h"
#include "strtab.h"
#include "arena.h"
#include "json.h"
#include "log.h"
#include "str.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PO_MAX_STRING (64 * 1024)
#define PO_MAX_FILE (8 * 1024 * 1024)
#define PO_MAX_PLURALS 100
#define I18N_MAX_LANGS 256


struct po_catalog {
    arena_t *arena;
    strtab_t msgs; /* msgid -> msgstr ("" when untranslated), both in the arena */
    size_t translated;
};

#define I18N_MAX_PARTS 16 /* locales/<lang>.po plus one catalogue per module folder */

typedef struct i18n_lang {
    char code[8];
    po_catalog_t *cats[I18N_MAX_PARTS]; /* cats[0] is locales/<lang>.po when present */
    int ncats;
} i18n_lang_t;

struct i18n {
    i18n_lang_t *langs; /* sorted by code */
    const char **codes; /* langs[i].code, for i18n_langs */
    size_t n;
};


/* ---- catalogues ------------------------------------------------------ */

/* Adds key -> val (both copied). Returns 0, or -1 when the key exists. */
static int po_put(po_catalog_t *cat, const char *key, size_t klen, const char *val, size_t vlen)
{
    char *k = arena_strndup(cat->arena, key, klen);
    size_t i = strtab_slot(&cat->msgs, k);
    if (cat->msgs.tab[i].key) return -1;
    strtab_set(&cat->msgs, i, k, arena_strndup(cat->arena, val, vlen));
    if (vlen) cat->translated++;
    return 0;
}

/* An empty catalogue. */
static po_catalog_t *po_new(void)
{
    po_catalog_t *cat = calloc(1, sizeof *cat);
    if (!cat) log_fatal("out of memory (po catalogue)");
    cat->arena = arena_new(0);
    strtab_init(&cat->msgs);
    return cat;
}

void po_free(po_catalog_t *cat)
{
    if (!cat) return;
    arena_free(cat->arena);
    strtab_release(&cat->msgs);
    free(cat);
}

const char *po_get(const po_catalog_t *cat, const char *msgid)
{
    if (!cat || !msgid) return NULL;
    const char *val = strtab_get(&cat->msgs, msgid);
    return val && val[0] ? val : NULL;
}

size_t po_count(const po_catalog_t *cat)
{
    return cat ? cat->translated : 0;
}

/* ---- parser ------------------------------------------------------------ */

enum po_field { F_NONE, F_CTXT, F_ID, F_PLURAL, F_STR, F_OTHER };

typedef struct po_parser {
    po_catalog_t *cat;
    unsigned line;       /* of the line being read */
    unsigned entry_line; /* of the current entry's first keyword */
    enum po_field field; /* where continuation strings go */
    str_t ctxt, id, plural, str, other;
    bool has_ctxt, has_id, has_plural, has_str, fuzzy, next_fuzzy;
    int next_index; /* next msgstr[N] expected */
    char *errbuf;
    size_t errlen;
} po_parser_t;

/* Records "line N: message" and returns -1. */
static int po_err(po_parser_t *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int po_err(po_parser_t *p, unsigned line, const char *fmt, ...)
{
    char where[32];
    snprintf(where, sizeof where, "line %u: ", line);
    va_list ap;
    va_start(ap, fmt);
    str_verrf(p->errbuf, p->errlen, where, fmt, ap);
    va_end(ap);
    return -1;
}

/* The buffer receiving strings for `f`. */
static str_t *field_buf(po_parser_t *p, enum po_field f)
{
    switch (f) {
    case F_CTXT: return &p->ctxt;
    case F_ID: return &p->id;
    case F_PLURAL: return &p->plural;
    case F_STR: return &p->str;
    default: return &p->other;
    }
}

/* Forgets the current entry. */
static void entry_reset(po_parser_t *p)
{
    str_reset(&p->ctxt);
    str_reset(&p->id);
    str_reset(&p->plural);
    str_reset(&p->str);
    str_reset(&p->other);
    p->has_ctxt = p->has_id = p->has_plural = p->has_str = p->fuzzy = false;
    p->next_index = 0;
    p->field = F_NONE;
}

/* Stores the current entry (if any) and starts afresh. */
static int entry_finish(po_parser_t *p)
{
    if (!p->has_ctxt && !p->has_id) return 0;
    if (!p->has_id) return po_err(p, p->entry_line, "msgctxt without msgid");
    if (!p->has_str) return po_err(p, p->entry_line, "msgid without msgstr");
    if (!p->fuzzy && (p->has_ctxt || p->id.len)) {
        str_t key = STR_INIT;
        if (p->has_ctxt) {
            str_add(&key, p->ctxt.buf, p->ctxt.len);
            str_addc(&key, '\004');
        }
        str_add(&key, p->id.buf, p->id.len);
        int rc = po_put(p->cat, key.buf, key.len, str_cstr(&p->str), p->str.len);
        str_release(&key);
        if (rc < 0) return po_err(p, p->entry_line, "duplicate message");
    }
    entry_reset(p);
    return 0;
}

/* Decodes the quoted string at s[0..n) (s[0] == '"') into `dst`; only
 * whitespace may follow it on the line. */
static int parse_string(po_parser_t *p, const char *s, size_t n, str_t *dst)
{
    size_t i = 1;
    for (;;) {
        if (i >= n) return po_err(p, p->line, "unterminated string");
        char c = s[i++];
        if (c == '"') break;
        if (c == '\\') {
            if (i >= n) return po_err(p, p->line, "unterminated string");
            char e = s[i++];
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            default:
                if ((unsigned char)e < 0x20 || e == 0x7f)
                    return po_err(p, p->line, "unknown escape sequence");
                return po_err(p, p->line, "unknown escape sequence \\%c", e);
            }
        }
        if (dst->len >= PO_MAX_STRING)
            return po_err(p, p->line, "string longer than %d bytes", PO_MAX_STRING);
        str_addc(dst, c);
    }
    for (; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t') return po_err(p, p->line, "unexpected text after string");
    return 0;
}

/* Reads "#, flags" and notes a fuzzy flag for the next entry. */
static void parse_flags(po_parser_t *p, const char *s, size_t n)
{
    for (size_t i = 2; i + 5 <= n; i++) {
        if (memcmp(s + i, "fuzzy", 5) != 0) continue;
        bool left = s[i - 1] == ',' || s[i - 1] == ' ' || s[i - 1] == '\t';
        bool right = i + 5 == n || s[i + 5] == ',' || s[i + 5] == ' ' || s[i + 5] == '\t';
        if (left && right) p->next_fuzzy = true;
    }
}

/* A comment line: ends a complete entry; "#," may flag the next fuzzy. */
static int parse_comment(po_parser_t *p, const char *s, size_t n)
{
    if (p->has_str && entry_finish(p) < 0) return -1;
    if (n >= 2 && s[1] == ',') parse_flags(p, s, n);
    return 0;
}

/* Starts a new entry at a msgctxt or a msgid without msgctxt. */
static int entry_begin(po_parser_t *p)
{
    if (entry_finish(p) < 0) return -1;
    p->entry_line = p->line;
    p->fuzzy = p->next_fuzzy;
    p->next_fuzzy = false;
    return 0;
}

/* Checks that keyword `kw` (with index `idx` for msgstr[N], else -1) may
 * come now, and selects the field its string goes to. */
static int keyword_field(po_parser_t *p, const char *kw, size_t kl, long idx, enum po_field *f)
{
    if (kl == 7 && memcmp(kw, "msgctxt", 7) == 0 && idx < 0) {
        if (p->has_ctxt && !p->has_id) return po_err(p, p->line, "msgctxt twice");
        if (p->has_id && !p->has_str) return po_err(p, p->line, "msgctxt after msgid");
        if (entry_begin(p) < 0) return -1;
        p->has_ctxt = true;
        *f = F_CTXT;
    } else if (kl == 5 && memcmp(kw, "msgid", 5) == 0 && idx < 0) {
        if (p->has_id && !p->has_str) return po_err(p, p->line, "msgid twice without msgstr");
        if (p->has_str || !p->has_ctxt) {
            if (entry_begin(p) < 0) return -1;
        }
        p->has_id = true;
        *f = F_ID;
    } else if (kl == 12 && memcmp(kw, "msgid_plural", 12) == 0 && idx < 0) {
        if (!p->has_id || p->has_plural || p->has_str)
            return po_err(p, p->line, "msgid_plural out of place");
        p->has_plural = true;
        *f = F_PLURAL;
    } else if (kl == 6 && memcmp(kw, "msgstr", 6) == 0) {
        if (!p->has_id) return po_err(p, p->line, "msgstr without msgid");
        if (idx < 0 && (p->has_plural || p->has_str)) return po_err(p, p->line, "msgstr out of place");
        if (idx >= 0 && !p->has_plural) return po_err(p, p->line, "msgstr[%ld] without msgid_plural", idx);
        if (idx >= 0 && idx != p->next_index)
            return po_err(p, p->line, "msgstr[%ld] out of order", idx);
        if (idx >= 0) p->next_index++;
        *f = idx <= 0 ? F_STR : F_OTHER;
        p->has_str = true;
        str_reset(&p->other);
    } else {
        return po_err(p, p->line, "unknown keyword '%.*s'", (int)(kl > 20 ? 20 : kl), kw);
    }
    return 0;
}

/* A keyword line: keyword, optional [N], whitespace, string. */
static int parse_keyword(po_parser_t *p, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (islower((unsigned char)s[i]) || s[i] == '_')) i++;
    size_t kl = i;
    long idx = -1;
    if (i < n && s[i] == '[') {
        idx = 0;
        size_t d = ++i;
        while (i < n && isdigit((unsigned char)s[i]) && idx < PO_MAX_PLURALS) idx = idx * 10 + (s[i++] - '0');
        if (i == d || i >= n || s[i] != ']' || idx >= PO_MAX_PLURALS)
            return po_err(p, p->line, "bad plural index");
        i++;
    }
    if (kl == 0) return po_err(p, p->line, "expected a keyword or a string");
    size_t sp = i;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i == sp || i >= n || s[i] != '"')
        return po_err(p, p->line, "expected a string after '%.*s'", (int)(kl > 20 ? 20 : kl), s);
    enum po_field f = F_NONE;
    if (keyword_field(p, s, kl, idx, &f) < 0) return -1;
    p->field = f;
    return parse_string(p, s + i, n - i, field_buf(p, f));
}

/* Parses one line (without its newline). */
static int parse_line(po_parser_t *p, const char *s, size_t n)
{
    if (n && s[n - 1] == '\r') n--;
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    if (n == 0) return 0;
    if (*s == '#') return parse_comment(p, s, n);
    if (*s == '"') {
        if (p->field == F_NONE) return po_err(p, p->line, "string without a keyword");
        return parse_string(p, s, n, field_buf(p, p->field));
    }
    return parse_keyword(p, s, n);
}

po_catalog_t *po_parse(const char *src, size_t len, char *errbuf, size_t errlen)
{
    if (!src && len) return str_errf(errbuf, errlen, NULL, "line 1: no input"), NULL;
    if (len > PO_MAX_FILE) return str_errf(errbuf, errlen, NULL, "line 1: file larger than 8 MiB"), NULL;
    const char *nul = len ? memchr(src, '\0', len) : NULL;
    size_t ok = len ? utf8_valid_len(src, len) : 0;
    size_t bad = nul && (size_t)(nul - src) < ok ? (size_t)(nul - src) : ok;
    if (bad < len) {
        unsigned line = 1;
        for (size_t i = 0; i < bad; i++) line += src[i] == '\n';
        str_errf(errbuf, errlen, NULL, "line %u: %s", line, bad == ok ? "invalid UTF-8" : "NUL byte");
        return NULL;
    }
    po_parser_t p = {.cat = po_new(), .errbuf = errbuf, .errlen = errlen};
    size_t pos = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) pos = 3;
    while (pos < len) {
        const char *eol = memchr(src + pos, '\n', len - pos);
        size_t n = eol ? (size_t)(eol - (src + pos)) : len - pos;
        p.line++;
        if (parse_line(&p, src + pos, n) < 0) goto err;
        pos += n + 1;
    }
    p.line++;
    if (entry_finish(&p) < 0) goto err;
    entry_reset(&p);
    str_release(&p.ctxt), str_release(&p.id), str_release(&p.plural);
    str_release(&p.str), str_release(&p.other);
    return p.cat;
err:
    str_release(&p.ctxt), str_release(&p.id), str_release(&p.plural);
    str_release(&p.str), str_release(&p.other);
    po_free(p.cat);
    return NULL;
}

/* ---- languages --------------------------------------------------------- */

/* True for "xx", "xxx", "xx_YY", "xxx_YY" (lowercase language, uppercase region). */
static bool valid_code(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] >= 'a' && s[i] <= 'z') i++;
    if (i < 2 || i > 3) return false;
    if (i == n) return true;
    return n == i + 3 && s[i] == '_' && s[i + 1] >= 'A' && s[i + 1] <= 'Z' && s[i + 2] >= 'A' &&
           s[i + 2] <= 'Z';
}

/* Reads a whole file of at most PO_MAX_FILE bytes. */
static char *slurp(const char *path, size_t *len, char *errbuf, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        str_errf(errbuf, errlen, NULL, "%s: %s", path, strerror(errno));
        return NULL;
    }
    str_t s = STR_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        str_add(&s, buf, n);
        if (s.len > PO_MAX_FILE) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad || s.len > PO_MAX_FILE) {
        str_errf(errbuf, errlen, NULL, "%s: %s", path, bad ? "read error" : "larger than 8 MiB");
        str_release(&s);
        return NULL;
    }
    return str_detach(&s, len);
}

/* Orders languages by code. */
static int lang_cmp(const void *a, const void *b)
{
    return strcmp(((const i18n_lang_t *)a)->code, ((const i18n_lang_t *)b)->code);
}

/* Loads dir/name (a .po file already checked) as language `code`. */
/* qsort comparator for an array of C strings. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parses dir/name and adds it to its language (creating the language the
 * first time it is seen). -1 with a message on error. */
static int load_one(i18n_t *in, const char *dir, const char *name, size_t codelen, char *errbuf,
                    size_t errlen)
{
    char path[4096], perr[256];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        str_errf(errbuf, errlen, NULL, "%s: path too long", dir);
        return -1;
    }
    i18n_lang_t *l = NULL;
    for (size_t i = 0; i < in->n && !l; i++)
        if (strlen(in->langs[i].code) == codelen && memcmp(in->langs[i].code, name, codelen) == 0) l = &in->langs[i];
    if (!l && in->n == I18N_MAX_LANGS) {
        str_errf(errbuf, errlen, NULL, "%s: more than %d languages", dir, I18N_MAX_LANGS);
        return -1;
    }
    if (l && l->ncats == I18N_MAX_PARTS) {
        str_errf(errbuf, errlen, NULL, "%s: more than %d catalogues for one language", path, I18N_MAX_PARTS);
        return -1;
    }
    size_t len;
    char *src = slurp(path, &len, errbuf, errlen);
    if (!src) return -1;
    po_catalog_t *cat = po_parse(src, len, perr, sizeof perr);
    free(src);
    if (!cat) {
        str_errf(errbuf, errlen, NULL, "%s: %s", path, perr);
        return -1;
    }
    if (!l) {
        l = &in->langs[in->n++];
        memcpy(l->code, name, codelen);
        l->code[codelen] = '\0';
    }
    l->cats[l->ncats++] = cat;
    return 0;
}

/* Loads the <lang>.po files of one folder (sub-folders are passed over).
 * -1 with a message. */
static int load_folder(i18n_t *in, const char *dir, char *errbuf, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        str_errf(errbuf, errlen, NULL, "%s: %s", dir, strerror(errno));
        return -1;
    }
    /* Sorted names, so that catalogues are merged in a stable order. */
    char *names[256];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && nn < 256)
        if (de->d_name[0] != '.') names[nn++] = strdup(de->d_name);
    closedir(d);
    qsort(names, nn, sizeof names[0], cmp_names);
    int rc = 0;
    for (size_t i = 0; i < nn && rc == 0; i++) {
        size_t nl = strlen(names[i]);
        char sub[4096];
        struct stat st;
        snprintf(sub, sizeof sub, "%s/%s", dir, names[i]);
        bool is_dir = stat(sub, &st) == 0 && S_ISDIR(st.st_mode);
        if (is_dir || nl <= 3 || strcmp(names[i] + nl - 3, ".po") != 0) continue;
        if (!valid_code(names[i], nl - 3)) {
            str_errf(errbuf, errlen, NULL, "%s/%s: file name is not a language code (like it.po or pt_BR.po)", dir, names[i]);
            rc = -1;
            break;
        }
        rc = load_one(in, dir, names[i], nl - 3, errbuf, errlen);
    }
    for (size_t i = 0; i < nn; i++) free(names[i]);
    return rc;
}

i18n_t *i18n_load_dir(const char *dir, const char *const *modules, char *errbuf, size_t errlen)
{
    i18n_t *in = calloc(1, sizeof *in);
    if (!in || !(in->langs = calloc(I18N_MAX_LANGS, sizeof *in->langs)))
        log_fatal("out of memory (i18n)");
    /* The main catalogues first, so that they win on conflicts. */
    int rc = load_folder(in, dir, errbuf, errlen);
    for (const char *const *m = modules; !rc && m && *m; m++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", dir, *m);
        rc = load_folder(in, sub, errbuf, errlen);
    }
    if (rc != 0) {
        i18n_free(in);
        return NULL;
    }
    qsort(in->langs, in->n, sizeof *in->langs, lang_cmp);
    in->codes = calloc(in->n + 1, sizeof *in->codes);
    if (!in->codes) log_fatal("out of memory (i18n)");
    for (size_t i = 0; i < in->n; i++) in->codes[i] = in->langs[i].code;
    return in;
}

void i18n_free(i18n_t *in)
{
    if (!in) return;
    for (size_t i = 0; i < in->n; i++)
        for (int k = 0; k < in->langs[i].ncats; k++) po_free(in->langs[i].cats[k]);
    free(in->langs);
    free(in->codes);
    free(in);
}

/* The loaded language whose code is exactly `lang`, or NULL. */
static const i18n_lang_t *find_lang(const i18n_t *in, const char *lang)
{
    if (!in || !lang) return NULL;
    for (size_t i = 0; i < in->n; i++)
        if (strcmp(in->langs[i].code, lang) == 0) return &in->langs[i];
    return NULL;
}

const char *i18n_get(const i18n_t *in, const char *lang, const char *msgid)
{
    if (!msgid) return "";
    const i18n_lang_t *l = find_lang(in, lang);
    const char *s = NULL;
    for (int k = 0; l && !s && k < l->ncats; k++) s = po_get(l->cats[k], msgid);
    return s ? s : msgid;
}

bool i18n_has(const i18n_t *in, const char *lang)
{
    return find_lang(in, lang) != NULL;
}

const char *const *i18n_langs(const i18n_t *in, size_t *n)
{
    static const char *const none[] = {NULL};
    if (n) *n = in ? in->n : 0;
    return in ? in->codes : none;
}

/* True when tag[0..n) names `code`, ignoring case and '-' vs '_'. */
static bool tag_equals(const char *tag, size_t n, const char *code)
{
    size_t i = 0;
    for (; i < n && code[i]; i++) {
        char a = (char)tolower((unsigned char)tag[i]), b = (char)tolower((unsigned char)code[i]);
        if (a == '-') a = '_';
        if (a != b) return false;
    }
    return i == n && code[i] == '\0';
}

/* The loaded code best matching language tag[0..n): the whole tag, else
 * its primary subtag ("fr-CH" -> "fr"). NULL when none. */
static const char *match_tag(const i18n_t *in, const char *tag, size_t n)
{
    if (!in || n == 0) return NULL;
    for (size_t i = 0; i < in->n; i++)
        if (tag_equals(tag, n, in->langs[i].code)) return in->langs[i].code;
    size_t pn = 0;
    while (pn < n && tag[pn] != '-' && tag[pn] != '_') pn++;
    if (pn == n) return NULL;
    for (size_t i = 0; i < in->n; i++)
        if (tag_equals(tag, pn, in->langs[i].code)) return in->langs[i].code;
    return NULL;
}

/* Parses a q-value ("1", "0.8", "1.000") into thousandths; -1 if malformed. */
static int parse_q(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '0' && s[0] != '1')) return -1;
    int q = (s[0] - '0') * 1000, scale = 100;
    if (n == 1) return q;
    if (s[1] != '.' || n > 5) return -1;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (!isdigit((unsigned char)s[i])) return -1;
        q += (s[i] - '0') * scale;
    }
    return q > 1000 ? -1 : q;
}

/* Trims blanks on both ends of s[0..*n), returning the new start. */
static const char *trim_blank(const char *s, size_t *n)
{
    while (*n && (*s == ' ' || *s == '\t')) s++, (*n)--;
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t')) (*n)--;
    return s;
}

/* The q-value of one Accept-Language item's parameters (after the tag):
 * 1000 when absent, -1 when malformed. */
static int item_q(const char *s, size_t n)
{
    int q = 1000;
    while (n) {
        const char *semi = memchr(s, ';', n);
        size_t pl = semi ? (size_t)(semi - s) : n;
        size_t tl = pl;
        const char *param = trim_blank(s, &tl);
        if (tl >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            size_t vl = tl - 2;
            const char *v = trim_blank(param + 2, &vl);
            q = parse_q(v, vl);
            if (q < 0) return -1;
        }
        if (!semi) break;
        s = semi + 1;
        n -= pl + 1;
    }
    return q;
}

/* True when tag[0..n) looks like a language range: letters, digits, '-'. */
static bool valid_tag(const char *tag, size_t n)
{
    if (n == 0 || n > 35 || !isalpha((unsigned char)tag[0])) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)tag[i]) && tag[i] != '-' && tag[i] != '_') return false;
    return true;
}

/* The best loaded match of an Accept-Language header, or NULL; `*` stands
 * for `fallback`. Ties go to the earlier item. */
static const char *negotiate_header(const i18n_t *in, const char *h, const char *fallback)
{
    const char *best = NULL;
    int best_q = 0;
    while (*h) {
        const char *comma = strchr(h, ',');
        size_t n = comma ? (size_t)(comma - h) : strlen(h);
        const char *semi = memchr(h, ';', n);
        size_t tl = semi ? (size_t)(semi - h) : n;
        const char *tag = trim_blank(h, &tl);
        int q = semi ? item_q(semi + 1, n - (size_t)(semi - h) - 1) : 1000;
        const char *cand = NULL;
        if (tl == 1 && tag[0] == '*') cand = fallback;
        else if (valid_tag(tag, tl)) cand = match_tag(in, tag, tl);
        if (cand && q > best_q) best = cand, best_q = q;
        if (!comma) break;
        h = comma + 1;
    }
    return best;
}

const char *i18n_negotiate(const i18n_t *in, const char *explicit_choice,
                           const char *accept_language, const char *fallback)
{
    if (explicit_choice) {
        size_t n = strlen(explicit_choice);
        if (valid_tag(explicit_choice, n)) {
            const char *m = match_tag(in, explicit_choice, n);
            if (m) return m;
        }
    }
    if (accept_language) {
        const char *m = negotiate_header(in, accept_language, fallback);
        if (m) {
            const i18n_lang_t *l = find_lang(in, m);
            return l ? l->code : m;
        }
    }
    const i18n_lang_t *l = find_lang(in, fallback);
    return l ? l->code : fallback;
}

/* Copies the primary subtag of `lang`, lowercased, into buf (size 8). */
static const char *primary(const char *lang, char buf[8])
{
    size_t i = 0;
    for (; lang && lang[i] && lang[i] != '-' && lang[i] != '_' && i < 7; i++)
        buf[i] = (char)tolower((unsigned char)lang[i]);
    buf[i] = '\0';
    return buf;
}

bool i18n_is_rtl(const char *lang)
{
    static const char *const rtl[] = {"ar", "fa", "he", "ps", "ur", "ckb", "yi", "dv", "sd", "ug", NULL};
    char buf[8];
    primary(lang, buf);
    for (const char *const *r = rtl; *r; r++)
        if (strcmp(buf, *r) == 0) return true;
    return false;
}

const char *i18n_native_name(const char *lang)
{
    static const char *const names[][2] = {
        {"am", "አማርኛ"},      {"ar", "العربية"},  {"bn", "বাংলা"},     {"de", "Deutsch"},
        {"en", "English"},   {"es", "Español"},  {"fa", "فارسی"},    {"fr", "Français"},
        {"he", "עברית"},     {"hi", "हिन्दी"},     {"it", "Italiano"}, {"pa", "ਪੰਜਾਬੀ"},
        {"pl", "Polski"},    {"ps", "پښتو"},     {"pt", "Português"}, {"ro", "Română"},
        {"ru", "Русский"},   {"si", "සිංහල"},    {"so", "Soomaali"}, {"sq", "Shqip"},
        {"ti", "ትግርኛ"},      {"tl", "Tagalog"},  {"tr", "Türkçe"},   {"uk", "Українська"},
        {"ur", "اردو"},      {"wo", "Wolof"},    {"zh", "中文"},
    };
    char buf[8];
    primary(lang, buf);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(buf, names[i][0]) == 0) return names[i][1];
    return lang ? lang : "";
}
