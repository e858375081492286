/* arena.c — bump allocator over a chain of blocks. Large requests get a block
 * of their own so a big body never wastes the rest of a normal block. */
#include "arena.h"
#include "log.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_DEFAULT_BLOCK (16 * 1024)

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
    struct block *head;
    size_t block_size, total;
};

static struct block *block_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(struct block)) log_fatal("arena allocation overflow");
    struct block *b = malloc(sizeof *b + size);
    if (!b) log_fatal("out of memory (arena block of %zu bytes)", size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

arena_t *arena_new(size_t block_size)
{
    arena_t *a = calloc(1, sizeof *a);
    if (!a) log_fatal("out of memory (arena)");
    a->block_size = block_size ? block_size : ARENA_DEFAULT_BLOCK;
    return a;
}

void arena_free(arena_t *a)
{
    if (!a) return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *arena_alloc(arena_t *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n) log_fatal("arena allocation overflow");
    if (need == 0) need = ARENA_ALIGN;
    struct block *b = a->head;
    if (!b || b->size - b->used < need) {
        if (need > a->block_size / 4) {
            /* A large piece gets its own block, kept behind the current one. */
            struct block *big = block_new(need);
            big->used = need;
            a->total += need;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            memset(big->data, 0, need);
            return big->data;
        }
        b = block_new(a->block_size);
        b->next = a->head;
        a->head = b;
        a->total += a->block_size;
    }
    void *p = b->data + b->used;
    b->used += need;
    memset(p, 0, need);
    return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena_t *a, const char *fmt, va_list ap)
{
    /* Also keeps GCC's -Wformat-truncation quiet under -fsanitize=undefined. */
    if (!fmt) return arena_strdup(a, "");
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_size(const arena_t *a)
{
    return a->total;
}
