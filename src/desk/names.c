/* names.c — folding names and keys for tolerant search and duplicate
 * warnings. Pure functions (no database, no allocation beyond the caller's
 * buffers). The phonetic key is deliberately coarse: a desk operator types
 * what they hear, and names reach Italy through French, English, German or
 * Italian transliterations of Arabic, Cyrillic, Chinese... so the key keeps
 * the consonant skeleton and merges letters that transliterations swap:
 *   - digraphs: sch/sh/ch -> s, kh -> h, gh -> g, ph -> f, th -> t, dh -> d,
 *     dj -> j, ck/q/c -> k, x -> ks, z -> s
 *   - voiced/voiceless pairs that transliterations swap: t -> d, p -> b, v/w -> f
 *   - vowels (and y, j) are dropped except a leading one, written 'a'
 *   - runs of the same letter collapse.
 * Mohamed, Mohammed, Muhammad, Mouhamed, Mehmet -> "mhmd". */
#include "desk.h"
#include <stdio.h>
#include <string.h>

/* Latin letters with diacritics (U+00C0..U+017F) to ASCII; "" drops. */
static const char *latin_fold(unsigned cp)
{
    static const char *const l1[64] = {
        /* C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        /* D0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
        /* E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        /* F0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
    };
    if (cp >= 0xC0 && cp <= 0xFF) return l1[cp - 0xC0];
    /* Latin Extended-A: pairs of upper/lower case, by ranges. */
    static const struct { unsigned from, to; const char *s; } ext[] = {
        {0x100, 0x105, "a"}, {0x106, 0x10D, "c"}, {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
        {0x11C, 0x123, "g"}, {0x124, 0x127, "h"}, {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
        {0x134, 0x135, "j"}, {0x136, 0x138, "k"}, {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
        {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
        {0x162, 0x167, "t"}, {0x168, 0x173, "u"}, {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
        {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"}, {0x218, 0x219, "s"}, {0x21A, 0x21B, "t"},
    };
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (cp >= ext[i].from && cp <= ext[i].to) return ext[i].s;
    /* Cyrillic (Russian and Ukrainian letters), common passport transliteration. */
    if (cp >= 0x410 && cp <= 0x44F) {
        static const char *const cyr[32] = {"a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k",
                                            "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh",
                                            "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"};
        return cyr[(cp - 0x410) % 32];
    }
    switch (cp) {
    case 0x401: case 0x451: return "e";   /* Ё ё */
    case 0x404: case 0x454: return "ie";  /* Є є */
    case 0x406: case 0x456: return "i";   /* І і */
    case 0x407: case 0x457: return "i";   /* Ї ї */
    case 0x490: case 0x491: return "g";   /* Ґ ґ */
    case 0x2019: case 0x2018: case 0x2BC: return ""; /* apostrophes inside names */
    }
    return NULL;
}

/* Decodes one UTF-8 sequence; returns its length (1 for a bad byte, cp = 0). */
static size_t utf8_next(const unsigned char *p, unsigned *cp)
{
    if (p[0] < 0x80) { *cp = p[0]; return 1; }
    if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) { *cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu); return 2; }
    if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        return 3;
    }
    if ((p[0] & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
        *cp = 0x10000;
        return 4;
    }
    *cp = 0;
    return 1;
}

size_t desk_fold(const char *in, char *out, size_t outlen)
{
    size_t o = 0;
    bool space = true; /* no leading space */
    if (!outlen) return 0;
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    while (*p && o + 5 < outlen) {
        unsigned cp;
        p += utf8_next(p, &cp);
        const char *s = NULL;
        char one[2] = {0, 0};
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) one[0] = (char)cp, s = one;
        else if (cp >= 'A' && cp <= 'Z') one[0] = (char)(cp - 'A' + 'a'), s = one;
        else if (cp == '\'' || cp == '`') s = "";
        else s = latin_fold(cp);
        if (!s) { /* a separator */
            if (!space) out[o++] = ' ';
            space = true;
            continue;
        }
        size_t before = o;
        for (; *s && o + 1 < outlen; s++) out[o++] = *s;
        if (o > before) space = false;
    }
    while (o > 0 && out[o - 1] == ' ') o--;
    out[o] = '\0';
    return o;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'j';
}

void desk_phonetic(const char *w, char *out, size_t outlen)
{
    char tmp[DESK_KEY_MAX * 2];
    size_t t = 0, n = strlen(w);
    /* Pass 1: digraphs and letter merges. */
    for (size_t i = 0; i < n && t + 3 < sizeof tmp; i++) {
        char c = w[i], d = i + 1 < n ? w[i + 1] : '\0', e = i + 2 < n ? w[i + 2] : '\0';
        if (c < 'a' || c > 'z') continue;
        if (c == 's' && d == 'c' && e == 'h') { tmp[t++] = 's'; i += 2; continue; }
        if (d == 'h' && strchr("scktgpd", c)) {
            /* sh ch -> s, kh -> h, th -> d, gh -> g, ph -> f, dh -> d */
            static const char from[] = "scktgpd", to[] = "sshdgfd";
            tmp[t++] = to[strchr(from, c) - from];
            i++;
            continue;
        }
        if (c == 'd' && d == 'j') { tmp[t++] = 'j'; i++; continue; }
        if (c == 'c' && d == 'k') { tmp[t++] = 'k'; i++; continue; }
        switch (c) {
        case 'q': case 'c': tmp[t++] = 'k'; break;
        case 'x': tmp[t++] = 'k'; tmp[t++] = 's'; break;
        case 'z': tmp[t++] = 's'; break;
        case 't': tmp[t++] = 'd'; break;
        case 'p': tmp[t++] = 'b'; break;
        case 'v': case 'w': tmp[t++] = 'f'; break;
        default: tmp[t++] = c;
        }
    }
    tmp[t] = '\0';
    /* Pass 2: the consonant skeleton. */
    size_t o = 0;
    if (!outlen) return;
    for (size_t i = 0; i < t && o + 1 < outlen; i++) {
        char c = tmp[i];
        if (is_vowel(c)) {
            if (i == 0) out[o++] = 'a';
            continue;
        }
        if (o > 0 && out[o - 1] == c) continue;
        out[o++] = c;
    }
    if (o == 0 && outlen > 1) out[o++] = 'a';
    out[o] = '\0';
}

/* Appends `tok` and, for every organisation id on `org_path`, "<id>x<tok>":
 * district-prefixed tokens let PostgreSQL's GIN index answer a scoped prefix
 * query with one small posting list (no intersection with the district's). */
static void add_token(str_t *out, const char *tok, const char *org_path)
{
    str_adds(out, tok);
    str_addc(out, ' ');
    for (const char *p = org_path ? org_path : ""; *p; p++) {
        if (*p >= '0' && *p <= '9' && (p == org_path || p[-1] == '/')) {
            while (*p >= '0' && *p <= '9') str_addc(out, *p++);
            str_addc(out, 'x');
            str_adds(out, tok);
            str_addc(out, ' ');
            p--;
        }
    }
}

void desk_search_doc(const char *given, const char *family, const char *cf, const char *org_path, str_t *out)
{
    char ptok[DESK_KEY_MAX + 2];
    char folded[512], joined[512], key[DESK_KEY_MAX];
    const char *parts[2] = {given, family};
    for (int k = 0; k < 2; k++) {
        desk_fold(parts[k], folded, sizeof folded);
        size_t j = 0;
        for (char *sv = NULL, *w = strtok_r(folded, " ", &sv); w; w = strtok_r(NULL, " ", &sv)) {
            add_token(out, w, org_path);
            desk_phonetic(w, key, sizeof key);
            snprintf(ptok, sizeof ptok, "p%s", key);
            add_token(out, ptok, org_path);
            for (char *q = w; *q && j + 1 < sizeof joined; q++) joined[j++] = *q;
        }
        joined[j] = '\0';
        /* "El Amrani" also as "elamrani", "Abd al Rahman" as "abdalrahman". */
        if (j && strchr(parts[k] ? parts[k] : "", ' ')) {
            add_token(out, joined, org_path);
            desk_phonetic(joined, key, sizeof key);
            snprintf(ptok, sizeof ptok, "p%s", key);
            add_token(out, ptok, org_path);
        }
    }
    if (cf && *cf) {
        desk_fold(cf, folded, sizeof folded);
        add_token(out, folded, org_path);
    }
    /* The organisation and its ancestors: "/1/5/23/" -> o1 o5 o23. */
    for (const char *p = org_path ? org_path : ""; *p; p++) {
        if (*p >= '0' && *p <= '9' && (p == org_path || p[-1] == '/')) {
            str_addc(out, 'o');
            while (*p >= '0' && *p <= '9') str_addc(out, *p++);
            str_addc(out, ' ');
            p--;
        }
    }
    while (out->len && out->buf[out->len - 1] == ' ') out->buf[--out->len] = '\0';
}

int desk_search_query(const char *q, db_kind_t kind, int64_t scope_org_id, str_t *out)
{
    char folded[256], key[DESK_KEY_MAX];
    desk_fold(q, folded, sizeof folded);
    int words = 0;
    bool pg = kind == DB_PG;
    /* PostgreSQL: key ranges over the district-prefixed keys (person_key);
     * SQLite: an FTS5 query with the district token ANDed. */
    if (!pg) str_addf(out, "o%lld", (long long)scope_org_id);
    for (char *sv = NULL, *w = strtok_r(folded, " ", &sv); w && words < 6; w = strtok_r(NULL, " ", &sv)) {
        if (strlen(w) < 2 && !(w[0] >= '0' && w[0] <= '9')) continue;
        desk_phonetic(w, key, sizeof key);
        /* Phonetic prefixes of one letter match too much: use them from 3 letters typed. */
        bool phon = strlen(w) >= 3;
        if (pg) {
            /* One line per word: key ranges "lo hi" (hi = lo with its last
             * byte raised: every key starting with lo sorts in [lo, hi)). */
            char lo[DESK_KEY_MAX + 40], hi[DESK_KEY_MAX + 40];
            long long o = (long long)scope_org_id;
            snprintf(lo, sizeof lo, "%lldx%s", o, w);
            snprintf(hi, sizeof hi, "%s", lo);
            hi[strlen(hi) - 1]++;
            str_addf(out, "%s%s %s", words ? "\n" : "", lo, hi);
            if (phon) {
                snprintf(lo, sizeof lo, "%lldxp%s", o, key);
                snprintf(hi, sizeof hi, "%s", lo);
                hi[strlen(hi) - 1]++;
                str_addf(out, " %s %s", lo, hi);
            }
        } else {
            str_addf(out, " AND (%s*", w);
            if (phon) str_addf(out, " OR p%s*", key);
            str_addc(out, ')');
        }
        words++;
    }
    return words;
}

void desk_dup_keys(const char *given, const char *family, const char *birth_date, char *k1, char *k2, size_t len)
{
    char fg[256], ff[256], kg[DESK_KEY_MAX], kf[DESK_KEY_MAX];
    desk_fold(given, fg, sizeof fg);
    desk_fold(family, ff, sizeof ff);
    /* Whole names without spaces: "El Amrani" = "Elamrani". */
    char *d = fg;
    for (char *s = fg; *s; s++) if (*s != ' ') *d++ = *s;
    *d = '\0';
    d = ff;
    for (char *s = ff; *s; s++) if (*s != ' ') *d++ = *s;
    *d = '\0';
    desk_phonetic(fg, kg, sizeof kg);
    desk_phonetic(ff, kf, sizeof kf);
    snprintf(k1, len, "%s|%s|%s", kf, kg, birth_date ? birth_date : "");
    snprintf(k2, len, "%s|%s|%s", kg, kf, birth_date ? birth_date : "");
}
