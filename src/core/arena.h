/* arena.h — one memory pool per request (nginx's ngx_pool idea, our code).
 *
 * Everything a request handler allocates comes from its arena and is freed at
 * once when the request ends: handlers never free piecemeal. An arena must
 * never be shared between threads. Allocation failure aborts the process
 * (there is no sane partial state to return to), like Redis' zmalloc. */
#ifndef LI_ARENA_H
#define LI_ARENA_H
#include <stddef.h>
#include <stdarg.h>

typedef struct arena arena_t;

/* Creates an arena whose blocks are at least `block_size` bytes (0: 16 KiB). */
arena_t *arena_new(size_t block_size);
/* Frees the arena and everything allocated from it. NULL is a no-op. */
void arena_free(arena_t *a);
/* Returns `n` bytes aligned for any type, zeroed. n == 0 returns a valid pointer. */
void *arena_alloc(arena_t *a, size_t n);
/* Copies the NUL-terminated `s` (NULL gives NULL). */
char *arena_strdup(arena_t *a, const char *s);
/* Copies `n` bytes of `s` and adds a NUL. */
char *arena_strndup(arena_t *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena_t *a, const char *fmt, va_list ap);
/* Total bytes reserved by the arena's blocks (for tests and limits). */
size_t arena_size(const arena_t *a);

#endif
