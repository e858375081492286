/* strtab.c — strings to pointers (see strtab.h). */
#include "strtab.h"
#include "log.h"
#include "str.h"
#include <stdlib.h>
#include <string.h>

void strtab_init(strtab_t *t)
{
    t->cap = 64;
    t->used = 0;
    t->tab = calloc(t->cap, sizeof *t->tab);
    if (!t->tab) log_fatal("out of memory (string table)");
}

void strtab_release(strtab_t *t)
{
    free(t->tab);
    t->tab = NULL;
    t->cap = t->used = 0;
}

/* The slot of `key` with hash `h`, or the empty one where it would go. */
static size_t slot_of(const strtab_t *t, const char *key, uint64_t h)
{
    size_t mask = t->cap - 1, i = (size_t)h & mask;
    while (t->tab[i].key && (t->tab[i].hash != h || strcmp(t->tab[i].key, key) != 0)) i = (i + 1) & mask;
    return i;
}

size_t strtab_slot(const strtab_t *t, const char *key)
{
    return slot_of(t, key, str_hash(key));
}

void *strtab_get(const strtab_t *t, const char *key)
{
    return t->tab ? t->tab[strtab_slot(t, key)].val : NULL;
}

/* Doubles the table, rehashing every entry. */
static void grow(strtab_t *t)
{
    strtab_entry_t *old = t->tab;
    size_t ocap = t->cap;
    t->cap *= 2;
    t->tab = calloc(t->cap, sizeof *t->tab);
    if (!t->tab) log_fatal("out of memory (string table)");
    for (size_t i = 0; i < ocap; i++)
        if (old[i].key) t->tab[slot_of(t, old[i].key, old[i].hash)] = old[i];
    free(old);
}

void strtab_set(strtab_t *t, size_t slot, const char *key, void *val)
{
    strtab_entry_t *e = &t->tab[slot];
    if (!e->key) {
        e->key = key;
        e->hash = str_hash(key);
        t->used++;
    }
    e->val = val;
    if (t->used * 2 > t->cap) grow(t);
}
