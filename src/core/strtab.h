/* strtab.h — a table from strings to pointers (open addressing, linear
 * probing, power-of-two size, grown at half full): the one hash table of
 * the message catalogues and the template sets. The table keeps the key
 * pointers it is given (the caller owns the strings, and the values). A
 * slot index stays valid until the next strtab_put. */
#ifndef LI_STRTAB_H
#define LI_STRTAB_H
#include <stddef.h>
#include <stdint.h>

typedef struct strtab_entry {
    uint64_t hash;
    const char *key; /* NULL: an empty slot */
    void *val;
} strtab_entry_t;

typedef struct strtab {
    strtab_entry_t *tab;
    size_t cap, used;
} strtab_t;

/* An empty table of 64 slots (stops the program when out of memory). */
void strtab_init(strtab_t *t);
/* Frees the slots (not the keys or values). */
void strtab_release(strtab_t *t);
/* The slot holding `key`, or the empty slot where it would go. */
size_t strtab_slot(const strtab_t *t, const char *key);
/* The value under `key`, or NULL. */
void *strtab_get(const strtab_t *t, const char *key);
/* Sets key -> val in `slot` (strtab_slot's answer for key, no put since),
 * growing the table when it is half full. */
void strtab_set(strtab_t *t, size_t slot, const char *key, void *val);

#endif
