/* tmpl.c — the template engine: compiles mustache-like text to a tree once,
 * renders the tree many times, from many threads at once.
 *
 * It must never write a value unescaped unless the tag says so ({{{x}}} or
 * {{& x}}), never parse at render time, and never modify the set while
 * rendering (a compiled set is shared read-only by every worker thread).
 *
 * Design
 *   1. tmpl_compile copies the source into the template's own arena, then a
 *      recursive-descent parser turns it into arrays of nodes (tnode_t). Text
 *      nodes point into that copy; names are split into NUL-terminated path
 *      segments once, so a lookup is a walk of json_object_get calls.
 *   2. Every template lives in a slot of an open-addressing hash table keyed
 *      by name. Recompiling a name swaps the tree inside the same slot.
 *   3. tmpl_link walks the reference graph (partials and layouts) depth-first
 *      with colours kept in a local array, reporting missing targets and
 *      cycles; it writes nothing into the set.
 *   4. Rendering keeps all its state on the C stack: the context stack and
 *      the stack of layout overrides are linked lists of frames in the
 *      callers' activation records, so a render allocates nothing but the
 *      growth of the caller's output buffer.
 *
 * Invariants
 *   (a) Section nesting within one template is at most TMPL_MAX_NEST (64).
 *   (b) Partials and layouts nest at most TMPL_MAX_DEPTH (32) at render.
 *   (c) A block override is rendered with only the override frames outside
 *       the one it came from, so a block can never recurse into itself.
 *   (d) A render stops with -1, leaving `out` as it was, when it exceeds
 *       TMPL_MAX_STEPS node visits or TMPL_MAX_OUTPUT bytes: a template bug
 *       (or a hostile template in the fuzzer) cannot hang a worker.
 *   (e) Text outside tags is copied byte for byte: there is no special
 *       handling of "standalone" tags, so what you see is what you get. */
#include "tmpl.h"
#include "strtab.h"
#include "arena.h"
#include "log.h"
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TMPL_MAX_SIZE (1024 * 1024)
#define TMPL_MAX_NEST 64
#define TMPL_MAX_DEPTH 32
#define TMPL_MAX_STEPS 10000000L
#define TMPL_MAX_OUTPUT (64u * 1024 * 1024)
#define TMPL_MAX_DIR_DEPTH 16

enum tkind {
    T_TEXT,      /* s/len: literal bytes */
    T_VAR,       /* path: escaped value */
    T_RAW,       /* path: raw value */
    T_SECTION,   /* path + kids */
    T_INVERTED,  /* path + kids */
    T_PARTIAL,   /* s: template name */
    T_PARENT,    /* s: layout name; kids: T_BLOCK overrides only */
    T_BLOCK,     /* s: block name; kids: default content */
    T_TRANSLATE, /* s: msgid */
};

/* A dotted name split once: nseg == 0 means "." (the current context). */
typedef struct tpath {
    const char **seg;
    long *idx; /* array index for an all-digit segment, else -1 */
    unsigned nseg;
} tpath_t;

typedef struct tnode {
    unsigned char kind;
    unsigned line;
    const char *s; /* NUL-terminated except for T_TEXT */
    size_t len;
    tpath_t path;
    struct tnode *kids;
    size_t nkids;
} tnode_t;

typedef struct tmpl {
    char *name;
    arena_t *arena; /* owns the source copy and every node */
    tnode_t *root;
    size_t nroot;
} tmpl_t;

struct tmpl_set {
    strtab_t byname; /* name -> tmpl_t */
};

/* ---- errors ------------------------------------------------------------ */


/* ---- the set ----------------------------------------------------------- */

/* The template called `name`, or NULL. */
static const tmpl_t *set_find(const tmpl_set_t *set, const char *name)
{
    if (!set || !name) return NULL;
    return strtab_get(&set->byname, name);
}

tmpl_set_t *tmpl_set_new(void)
{
    tmpl_set_t *set = calloc(1, sizeof *set);
    if (!set) log_fatal("out of memory (template set)");
    strtab_init(&set->byname);
    return set;
}

void tmpl_set_free(tmpl_set_t *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->byname.cap; i++) {
        tmpl_t *t = set->byname.tab[i].val;
        if (!t) continue;
        arena_free(t->arena);
        free(t->name);
        free(t);
    }
    strtab_release(&set->byname);
    free(set);
}

bool tmpl_exists(const tmpl_set_t *set, const char *name)
{
    return set_find(set, name) != NULL;
}

/* ---- parser ------------------------------------------------------------ */

typedef struct parser {
    const char *src; /* the arena copy */
    size_t len, pos;
    unsigned line;
    arena_t *arena;
    const char *tname;
    char *errbuf;
    size_t errlen;
} parser_t;

/* One tag as read from the source: sigil ('\0' for a variable) and body. */
typedef struct tag {
    char sigil;
    const char *body;
    size_t blen;
    unsigned line;
} tag_t;

/* A growable array of nodes used while one list is being parsed. */
typedef struct nodevec {
    tnode_t *v;
    size_t n, cap;
} nodevec_t;

/* Appends a copy of `node` to `nv`. */
static void nodevec_push(nodevec_t *nv, const tnode_t *node)
{
    if (nv->n == nv->cap) {
        size_t ncap = nv->cap ? nv->cap * 2 : 8;
        tnode_t *p = realloc(nv->v, ncap * sizeof *p);
        if (!p) log_fatal("out of memory (template nodes)");
        nv->v = p;
        nv->cap = ncap;
    }
    nv->v[nv->n++] = *node;
}

/* Formats "template:line: message" into the parser's errbuf. Returns -1. */
static int perr(parser_t *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(parser_t *p, unsigned line, const char *fmt, ...)
{
    char where[160];
    snprintf(where, sizeof where, "%s:%u: ", p->tname, line);
    va_list ap;
    va_start(ap, fmt);
    str_verrf(p->errbuf, p->errlen, where, fmt, ap);
    va_end(ap);
    return -1;
}

/* Counts newlines in s[0..n). */
static unsigned count_lines(const char *s, size_t n)
{
    unsigned k = 0;
    const char *end = s + n;
    while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) k++, s++;
    return k;
}

/* True for ASCII whitespace. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims whitespace on both ends of the span (*s, *n) in place. */
static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s)) (*s)++, (*n)--;
    while (*n && is_space((*s)[*n - 1])) (*n)--;
}

/* True when c may appear in a name; '/' only in template names. */
static bool name_char(char c, bool slash)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || (slash && c == '/');
}

/* Checks and copies a (trimmed) name. Returns it NUL-terminated, or NULL
 * with an error naming the tag. */
static const char *parse_name(parser_t *p, const tag_t *t, const char *s, size_t n, bool slash)
{
    trim(&s, &n);
    if (n == 0) {
        perr(p, t->line, "empty name in tag");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!name_char(s[i], slash)) {
            perr(p, t->line, "bad character in name '%.*s'", (int)(n > 64 ? 64 : n), s);
            return NULL;
        }
    }
    return arena_strndup(p->arena, s, n);
}

/* Splits a checked dotted name into path segments ("." gives no segment). */
static int split_path(parser_t *p, const tag_t *t, const char *name, tpath_t *path)
{
    path->nseg = 0;
    path->seg = NULL;
    path->idx = NULL;
    if (strcmp(name, ".") == 0) return 0;
    unsigned nseg = 1;
    for (const char *c = name; *c; c++)
        if (*c == '.') nseg++;
    path->seg = arena_alloc(p->arena, nseg * sizeof *path->seg);
    path->idx = arena_alloc(p->arena, nseg * sizeof *path->idx);
    const char *start = name;
    for (unsigned k = 0; k < nseg; k++) {
        const char *dot = strchr(start, '.');
        size_t n = dot ? (size_t)(dot - start) : strlen(start);
        if (n == 0) return perr(p, t->line, "empty segment in name '%s'", name);
        path->seg[k] = arena_strndup(p->arena, start, n);
        long idx = -1;
        if (n <= 9 && strspn(path->seg[k], "0123456789") == n) idx = strtol(path->seg[k], NULL, 10);
        path->idx[k] = idx;
        start = dot ? dot + 1 : start + n;
    }
    path->nseg = nseg;
    return 0;
}

/* Reads the tag starting at p->pos (which points at "{{"). Advances past it. */
static int read_tag(parser_t *p, tag_t *t)
{
    const char *s = p->src + p->pos + 2;
    size_t rest = p->len - p->pos - 2;
    t->line = p->line;
    bool triple = rest > 0 && s[0] == '{';
    const char *close = triple ? "}}}" : "}}";
    size_t clen = triple ? 3 : 2;
    const char *end = memmem(s, rest, close, clen);
    if (!end) return perr(p, t->line, "unterminated tag");
    size_t blen = (size_t)(end - s);
    p->line += count_lines(s, blen);
    p->pos += 2 + blen + clen;
    if (triple) {
        t->sigil = '{';
        t->body = s + 1;
        t->blen = blen - 1;
        return 0;
    }
    t->sigil = '\0';
    t->body = s;
    t->blen = blen;
    if (blen && strchr("#^/>!<$&={", s[0])) t->sigil = s[0];
    else if (blen >= 2 && s[0] == '_' && is_space(s[1])) t->sigil = '_';
    if (t->sigil) t->body++, t->blen--;
    return 0;
}

/* Makes the msgid of a {{_ text}} tag: trimmed, whitespace runs collapsed. */
static const char *make_msgid(parser_t *p, const tag_t *t)
{
    const char *s = t->body;
    size_t n = t->blen;
    trim(&s, &n);
    if (n == 0) {
        perr(p, t->line, "empty text in {{_ }} tag");
        return NULL;
    }
    char *out = arena_alloc(p->arena, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_space(s[i])) {
            if (o && out[o - 1] == ' ') continue;
            out[o++] = ' ';
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

static int parse_list(parser_t *p, int depth, const tnode_t *open, nodevec_t *nv);

/* The sigil that opens a node of this kind (for messages). */
static char kind_sigil(unsigned char kind)
{
    switch (kind) {
    case T_SECTION: return '#';
    case T_INVERTED: return '^';
    case T_PARENT: return '<';
    case T_BLOCK: return '$';
    default: return '?';
    }
}

/* Parses the children of a section-like node `n` up to its closing tag. */
static int parse_children(parser_t *p, int depth, tnode_t *n)
{
    if (depth + 1 > TMPL_MAX_NEST) return perr(p, n->line, "sections nested deeper than %d", TMPL_MAX_NEST);
    nodevec_t kids = {0};
    if (parse_list(p, depth + 1, n, &kids) < 0) {
        free(kids.v);
        return -1;
    }
    n->nkids = kids.n;
    if (kids.n) {
        n->kids = arena_alloc(p->arena, kids.n * sizeof *n->kids);
        memcpy(n->kids, kids.v, kids.n * sizeof *n->kids);
    }
    free(kids.v);
    return 0;
}

/* Checks the content of a {{<layout}} tag: only blocks, comments and
 * whitespace; drops the whitespace so rendering sees blocks only. */
static int check_parent(parser_t *p, tnode_t *n)
{
    size_t o = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        tnode_t *k = &n->kids[i];
        if (k->kind == T_BLOCK) {
            n->kids[o++] = *k;
            continue;
        }
        const char *s = k->s;
        size_t len = k->len;
        if (k->kind == T_TEXT) trim(&s, &len);
        if (k->kind != T_TEXT || len)
            return perr(p, k->line, "only {{$block}} tags may appear inside {{<%s}}", n->s);
    }
    n->nkids = o;
    return 0;
}

/* Turns one tag into a node appended to nv (or nothing, for comments), or
 * reports that it closes `open` (returns 1). */
static int parse_tag(parser_t *p, int depth, const tnode_t *open, const tag_t *t, nodevec_t *nv)
{
    tnode_t n = {.line = t->line};
    const char *name;
    switch (t->sigil) {
    case '!': return 0;
    case '=': return perr(p, t->line, "changing delimiters is not supported");
    case '/':
        if (!(name = parse_name(p, t, t->body, t->blen, true))) return -1;
        if (!open) return perr(p, t->line, "{{/%s}} closes nothing", name);
        if (strcmp(name, open->s) != 0)
            return perr(p, t->line, "{{/%s}} does not match {{%c%s}} opened on line %u", name,
                        kind_sigil(open->kind), open->s, open->line);
        return 1;
    case '_':
        n.kind = T_TRANSLATE;
        if (!(n.s = make_msgid(p, t))) return -1;
        n.len = strlen(n.s);
        break;
    case '>':
    case '<':
        n.kind = t->sigil == '>' ? T_PARTIAL : T_PARENT;
        if (!(n.s = parse_name(p, t, t->body, t->blen, true))) return -1;
        n.len = strlen(n.s);
        if (n.kind == T_PARENT && (parse_children(p, depth, &n) < 0 || check_parent(p, &n) < 0))
            return -1;
        break;
    case '$':
        n.kind = T_BLOCK;
        if (!(n.s = parse_name(p, t, t->body, t->blen, false))) return -1;
        n.len = strlen(n.s);
        if (parse_children(p, depth, &n) < 0) return -1;
        break;
    default: /* variables and sections */
        n.kind = t->sigil == '#' ? T_SECTION
                 : t->sigil == '^' ? T_INVERTED
                 : (t->sigil == '{' || t->sigil == '&') ? T_RAW
                                                        : T_VAR;
        if (!(n.s = parse_name(p, t, t->body, t->blen, false))) return -1;
        n.len = strlen(n.s);
        if (split_path(p, t, n.s, &n.path) < 0) return -1;
        if ((n.kind == T_SECTION || n.kind == T_INVERTED) && parse_children(p, depth, &n) < 0)
            return -1;
    }
    nodevec_push(nv, &n);
    return 0;
}

/* Parses nodes into `nv` until the tag closing `open` (or the end of the
 * source when open is NULL). Returns 0 or -1 with the error written. */
static int parse_list(parser_t *p, int depth, const tnode_t *open, nodevec_t *nv)
{
    while (p->pos < p->len) {
        const char *s = p->src + p->pos;
        size_t rest = p->len - p->pos;
        const char *tag = memmem(s, rest, "{{", 2);
        size_t tlen = tag ? (size_t)(tag - s) : rest;
        if (tlen) {
            tnode_t n = {.kind = T_TEXT, .line = p->line, .s = s, .len = tlen};
            nodevec_push(nv, &n);
            p->line += count_lines(s, tlen);
            p->pos += tlen;
        }
        if (!tag) break;
        tag_t t = {0};
        if (read_tag(p, &t) < 0) return -1;
        int rc = parse_tag(p, depth, open, &t, nv);
        if (rc < 0) return -1;
        if (rc == 1) return 0;
    }
    if (open) return perr(p, open->line, "{{%c%s}} is not closed", kind_sigil(open->kind), open->s);
    return 0;
}

/* Installs a compiled template under `name`, replacing an older one. */
static void set_put(tmpl_set_t *set, const char *name, arena_t *arena, tnode_t *root, size_t nroot)
{
    size_t i = strtab_slot(&set->byname, name);
    tmpl_t *t = set->byname.tab[i].val;
    if (t) {
        arena_free(t->arena);
    } else {
        t = calloc(1, sizeof *t);
        if (!t || !(t->name = strdup(name))) log_fatal("out of memory (template)");
    }
    t->arena = arena;
    t->root = root;
    t->nroot = nroot;
    strtab_set(&set->byname, i, t->name, t);
}

int tmpl_compile(tmpl_set_t *set, const char *name, const char *src, size_t len, char *errbuf,
                 size_t errlen)
{
    if (!set || !name || !*name || (!src && len)) return str_errf(errbuf, errlen, NULL, "bad arguments");
    if (len > TMPL_MAX_SIZE)
        return str_errf(errbuf, errlen, NULL, "%s: template larger than %d bytes", name, TMPL_MAX_SIZE);
    arena_t *arena = arena_new(4096);
    parser_t p = {.src = arena_strndup(arena, src ? src : "", len), .len = len, .line = 1,
                  .arena = arena, .tname = name, .errbuf = errbuf, .errlen = errlen};
    nodevec_t nv = {0};
    if (parse_list(&p, 0, NULL, &nv) < 0) goto err;
    tnode_t *root = NULL;
    if (nv.n) {
        root = arena_alloc(arena, nv.n * sizeof *root);
        memcpy(root, nv.v, nv.n * sizeof *root);
    }
    set_put(set, name, arena, root, nv.n);
    free(nv.v);
    return 0;
err:
    free(nv.v);
    arena_free(arena);
    return -1;
}

/* ---- linking ----------------------------------------------------------- */

typedef struct linker {
    const tmpl_set_t *set;
    unsigned char *colour; /* per slot: 0 new, 1 on the DFS path, 2 done */
    char *errbuf;
    size_t errlen;
    int depth;
} linker_t;

static int link_tmpl(linker_t *lk, size_t slot);

/* Checks every partial and layout referenced by nodes[0..n) of `from`. */
static int link_nodes(linker_t *lk, const tmpl_t *from, const tnode_t *nodes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const tnode_t *k = &nodes[i];
        if (k->kind == T_PARTIAL || k->kind == T_PARENT) {
            const char *what = k->kind == T_PARTIAL ? "partial" : "layout";
            size_t slot = strtab_slot(&lk->set->byname, k->s);
            if (!lk->set->byname.tab[slot].val)
                return str_errf(lk->errbuf, lk->errlen, NULL, "%s:%u: %s '%s' does not exist", from->name,
                            k->line, what, k->s);
            if (lk->colour[slot] == 1)
                return str_errf(lk->errbuf, lk->errlen, NULL, "%s:%u: %s '%s' includes itself (cycle)",
                            from->name, k->line, what, k->s);
            if (link_tmpl(lk, slot) < 0) return -1;
        }
        if (link_nodes(lk, from, k->kids, k->nkids) < 0) return -1;
    }
    return 0;
}

/* Depth-first visit of the template in `slot`. */
static int link_tmpl(linker_t *lk, size_t slot)
{
    if (lk->colour[slot] == 2) return 0;
    const tmpl_t *t = lk->set->byname.tab[slot].val;
    lk->colour[slot] = 1;
    int rc = link_nodes(lk, t, t->root, t->nroot);
    lk->colour[slot] = 2;
    return rc;
}

int tmpl_link(tmpl_set_t *set, char *errbuf, size_t errlen)
{
    if (!set) return str_errf(errbuf, errlen, NULL, "no template set");
    linker_t lk = {.set = set, .errbuf = errbuf, .errlen = errlen};
    lk.colour = calloc(set->byname.cap, 1);
    if (!lk.colour) log_fatal("out of memory (template link)");
    int rc = 0;
    for (size_t i = 0; i < set->byname.cap && rc == 0; i++)
        if (set->byname.tab[i].val) rc = link_tmpl(&lk, i);
    free(lk.colour);
    return rc;
}

/* ---- loading a directory ----------------------------------------------- */

/* Reads a whole regular file of at most TMPL_MAX_SIZE bytes. */
static char *read_file(const char *path, size_t *len, char *errbuf, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (!f) {
        str_errf(errbuf, errlen, NULL, "%s: %s", path, strerror(errno));
        return NULL;
    }
    buf = malloc(TMPL_MAX_SIZE + 1);
    if (!buf) log_fatal("out of memory (template file)");
    size_t n = fread(buf, 1, TMPL_MAX_SIZE + 1, f);
    if (ferror(f)) {
        str_errf(errbuf, errlen, NULL, "%s: read error", path);
        goto err;
    }
    if (n > TMPL_MAX_SIZE) {
        str_errf(errbuf, errlen, NULL, "%s: larger than %d bytes", path, TMPL_MAX_SIZE);
        goto err;
    }
    fclose(f);
    *len = n;
    return buf;
err:
    fclose(f);
    free(buf);
    return NULL;
}

/* Compiles every *.html below dir/rel (rel "" at the top) into `set`. */
static int load_tree(tmpl_set_t *set, const char *dir, const char *rel, int depth, char *errbuf,
                     size_t errlen)
{
    if (depth > TMPL_MAX_DIR_DEPTH) return str_errf(errbuf, errlen, NULL, "%s/%s: too deep", dir, rel);
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) return str_errf(errbuf, errlen, NULL, "%s: %s", path, strerror(errno));
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue; /* ., .. and hidden files */
        char sub[4096], full[4096];
        int n1 = snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        int n2 = snprintf(full, sizeof full, "%s/%s", path, de->d_name);
        if (n1 >= (int)sizeof sub || n2 >= (int)sizeof full) {
            rc = str_errf(errbuf, errlen, NULL, "%s: path too long", path);
            break;
        }
        struct stat st;
        if (stat(full, &st) != 0) continue; /* dangling link */
        if (S_ISDIR(st.st_mode)) {
            rc = load_tree(set, dir, sub, depth + 1, errbuf, errlen);
            continue;
        }
        size_t nl = strlen(sub);
        if (!S_ISREG(st.st_mode) || nl <= 5 || strcmp(sub + nl - 5, ".html") != 0) continue;
        size_t len;
        char *src = read_file(full, &len, errbuf, errlen);
        if (!src) {
            rc = -1;
            break;
        }
        sub[nl - 5] = '\0';
        rc = tmpl_compile(set, sub, src, len, errbuf, errlen);
        free(src);
    }
    closedir(d);
    return rc;
}

tmpl_set_t *tmpl_load_dir(const char *dir, char *errbuf, size_t errlen)
{
    tmpl_set_t *set = tmpl_set_new();
    if (load_tree(set, dir, "", 0, errbuf, errlen) < 0 || tmpl_link(set, errbuf, errlen) < 0) {
        tmpl_set_free(set);
        return NULL;
    }
    return set;
}

/* ---- rendering --------------------------------------------------------- */

/* A context frame; the innermost is the head. */
typedef struct rctx {
    const json_t *v;
    const struct rctx *up;
} rctx_t;

/* A layout-override frame: the {{<layout}} node whose blocks override. The
 * head is the innermost (most recent) one; the outermost wins. */
typedef struct rblk {
    const tnode_t *parent;
    const struct rblk *up;
} rblk_t;

typedef struct rstate {
    const tmpl_set_t *set;
    tmpl_translate_fn tr;
    void *tr_ctx;
    str_t *out;
    size_t start; /* out->len when the render began */
    long steps;
    int depth;
} rstate_t;

/* Resolves `path` against the context stack: the first segment is looked
 * up from the innermost object outwards, the others walk from what it found. */
static const json_t *lookup(const rctx_t *c, const tpath_t *path)
{
    if (path->nseg == 0) return c ? c->v : NULL;
    const json_t *v = NULL;
    for (; c && !v; c = c->up)
        if (json_is_object(c->v)) v = json_object_get(c->v, path->seg[0]);
    for (unsigned k = 1; v && k < path->nseg; k++) {
        if (json_is_object(v)) v = json_object_get(v, path->seg[k]);
        else if (json_is_array(v) && path->idx[k] >= 0) v = json_array_get(v, (size_t)path->idx[k]);
        else v = NULL;
    }
    return v;
}

/* Mustache truthiness: false, null, missing, "", 0 and [] are false. */
static bool truthy(const json_t *v)
{
    if (!v) return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT: return true;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0;
    case JSON_TRUE: return true;
    default: return false;
    }
}

/* Appends a decimal integer without going through printf. */
static void write_int(str_t *out, json_int_t v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do *--p = (char)('0' + u % 10); while (u /= 10);
    if (v < 0) *--p = '-';
    str_add(out, p, (size_t)(buf + sizeof buf - p));
}

/* Appends a real number: integral values as integers, others in the
 * shortest of %.15g / %.17g that reads back exactly. */
static void write_real(str_t *out, double d)
{
    if (isfinite(d) && d == trunc(d) && fabs(d) < 1e18) {
        write_int(out, (json_int_t)d);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", d);
    if (strtod(buf, NULL) != d) snprintf(buf, sizeof buf, "%.17g", d);
    str_adds(out, buf);
}

/* Appends a scalar value; objects, arrays, null and missing give nothing. */
static void write_value(str_t *out, const json_t *v, bool escape)
{
    if (!v) return;
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (escape) str_add_html(out, json_string_value(v), json_string_length(v));
        else str_add(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: write_int(out, json_integer_value(v)); break;
    case JSON_REAL: write_real(out, json_real_value(v)); break;
    case JSON_TRUE: str_add(out, "true", 4); break;
    case JSON_FALSE: str_add(out, "false", 5); break;
    default: break;
    }
}

static int render_list(rstate_t *st, const tnode_t *n, size_t cnt, const rctx_t *c, const rblk_t *b);

/* Finds the outermost override of block `name`; *frame gets its frame. */
static const tnode_t *find_override(const rblk_t *b, const char *name, const rblk_t **frame)
{
    const tnode_t *found = NULL;
    for (; b; b = b->up) {
        for (size_t i = 0; i < b->parent->nkids; i++) {
            if (strcmp(b->parent->kids[i].s, name) == 0) {
                found = &b->parent->kids[i];
                *frame = b;
                break;
            }
        }
    }
    return found;
}

/* Renders the template called `name` (partial or layout) one level deeper. */
static int render_named(rstate_t *st, const char *name, const rctx_t *c, const rblk_t *b)
{
    const tmpl_t *t = set_find(st->set, name);
    if (!t || st->depth >= TMPL_MAX_DEPTH) return -1;
    st->depth++;
    int rc = render_list(st, t->root, t->nroot, c, b);
    st->depth--;
    return rc;
}

/* Renders a section node: once per array element, or once when truthy. */
static int render_section(rstate_t *st, const tnode_t *n, const rctx_t *c, const rblk_t *b)
{
    const json_t *v = lookup(c, &n->path);
    if (json_is_array(v)) {
        size_t i;
        const json_t *el;
        json_array_foreach(v, i, el) {
            rctx_t f = {el, c};
            if (render_list(st, n->kids, n->nkids, &f, b) < 0) return -1;
        }
        return 0;
    }
    if (!truthy(v)) return 0;
    rctx_t f = {v, c};
    return render_list(st, n->kids, n->nkids, &f, b);
}

/* Renders one node. */
static int render_node(rstate_t *st, const tnode_t *n, const rctx_t *c, const rblk_t *b)
{
    switch (n->kind) {
    case T_TEXT: str_add(st->out, n->s, n->len); return 0;
    case T_VAR: write_value(st->out, lookup(c, &n->path), true); return 0;
    case T_RAW: write_value(st->out, lookup(c, &n->path), false); return 0;
    case T_SECTION: return render_section(st, n, c, b);
    case T_INVERTED:
        if (truthy(lookup(c, &n->path))) return 0;
        return render_list(st, n->kids, n->nkids, c, b);
    case T_PARTIAL: return render_named(st, n->s, c, b);
    case T_PARENT: {
        rblk_t f = {n, b};
        return render_named(st, n->s, c, &f);
    }
    case T_BLOCK: {
        const rblk_t *frame = NULL;
        const tnode_t *o = find_override(b, n->s, &frame);
        if (o) return render_list(st, o->kids, o->nkids, c, frame->up);
        return render_list(st, n->kids, n->nkids, c, b);
    }
    case T_TRANSLATE: {
        const char *s = st->tr ? st->tr(st->tr_ctx, n->s) : n->s;
        if (!s) s = n->s;
        str_add_html(st->out, s, strlen(s));
        return 0;
    }
    }
    return -1;
}

/* Renders nodes[0..cnt) within the step and output budgets. */
static int render_list(rstate_t *st, const tnode_t *n, size_t cnt, const rctx_t *c, const rblk_t *b)
{
    for (size_t i = 0; i < cnt; i++) {
        if (++st->steps > TMPL_MAX_STEPS || st->out->len - st->start > TMPL_MAX_OUTPUT) return -1;
        if (render_node(st, &n[i], c, b) < 0) return -1;
    }
    return 0;
}

int tmpl_render(const tmpl_set_t *set, const char *name, const json_t *ctx, tmpl_translate_fn tr,
                void *tr_ctx, str_t *out)
{
    const tmpl_t *t = set_find(set, name);
    if (!t || !out) return -1;
    rstate_t st = {.set = set, .tr = tr, .tr_ctx = tr_ctx, .out = out, .start = out->len};
    rctx_t root = {ctx, NULL};
    if (render_list(&st, t->root, t->nroot, &root, NULL) < 0) {
        out->len = st.start; /* leave no half page behind */
        if (out->buf) out->buf[out->len] = '\0';
        return -1;
    }
    return 0;
}
