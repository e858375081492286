/* page_cache.c — see page_cache.h. A fixed table of slots chosen by the
 * key's hash; a collision replaces the older page (a miss, never a wrong
 * page: the key is compared in full). */
#include "page_cache.h"
#include "server.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 256

typedef struct slot {
    char *key, *body;
    size_t len;
    unsigned long generation;
    time_t built;
} slot_t;

static slot_t slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

bool page_cache_get(const char *key, str_t *out)
{
    slot_t *s = &slots[str_hash(key) % SLOTS];
    bool hit = false;
    pthread_mutex_lock(&lock);
    if (s->body && strcmp(s->key, key) == 0 && s->generation == web_public_generation() &&
        time(NULL) - s->built < PAGE_CACHE_TTL) {
        str_add(out, s->body, s->len);
        hit = true;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void page_cache_put(const char *key, const str_t *body)
{
    char *k = strdup(key), *b = malloc(body->len + 1);
    if (!k || !b) {
        free(k);
        free(b);
        return;
    }
    memcpy(b, str_cstr(body), body->len + 1);
    slot_t *s = &slots[str_hash(key) % SLOTS];
    pthread_mutex_lock(&lock);
    free(s->key);
    free(s->body);
    *s = (slot_t){k, b, body->len, web_public_generation(), time(NULL)};
    pthread_mutex_unlock(&lock);
}
