/* test_arena.c — unit tests of the request arena (src/core/arena.c).
 *
 * Checks alignment, zeroing, non-overlap of allocations, the large-block
 * path, the string helpers and that impossible sizes abort instead of
 * returning a short block. Must never rely on allocator internals beyond
 * what arena.h promises (arena_size is "at least what was asked"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_alloc_aligned_and_zeroed(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    assert_int_equal(arena_size(a), 0);
    for (size_t n = 0; n < 200; n++) {
        unsigned char *p = arena_alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < n; i++) assert_int_equal(p[i], 0);
        memset(p, 0xAB, n); /* dirty it: later blocks must still come zeroed */
    }
    assert_true(arena_size(a) >= 200 * 199 / 2);
    arena_free(a);
    arena_free(NULL);
}

static void test_zero_size_distinct(void **state)
{
    (void)state;
    arena_t *a = arena_new(64);
    void *p = arena_alloc(a, 0), *q = arena_alloc(a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    arena_free(a);
}

static void test_no_overlap(void **state)
{
    (void)state;
    /* Small block size so allocations span many blocks, with a mix of large
     * pieces (own block) and small ones. */
    arena_t *a = arena_new(256);
    enum { N = 500 };
    unsigned char *ptr[N];
    size_t len[N];
    for (int i = 0; i < N; i++) {
        len[i] = (size_t)((i * 37) % 300) + 1;
        ptr[i] = arena_alloc(a, len[i]);
        memset(ptr[i], i & 0xFF, len[i]);
    }
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < len[i]; k++)
            if (ptr[i][k] != (unsigned char)(i & 0xFF)) fail_msg("allocation %d was overwritten", i);
    arena_free(a);
}

static void test_large_allocations(void **state)
{
    (void)state;
    arena_t *a = arena_new(1024);
    char *small1 = arena_alloc(a, 16);
    size_t before = arena_size(a);
    char *big = arena_alloc(a, 1 << 20);
    assert_true(arena_size(a) >= before + (1 << 20));
    memset(big, 'x', 1 << 20);
    /* The current block is kept for small pieces after a large one. */
    char *small2 = arena_alloc(a, 16);
    assert_true(small2 > small1 && small2 < small1 + 1024);
    assert_int_equal(small1[0], 0);
    /* A large first allocation on a fresh arena. */
    arena_t *b = arena_new(1024);
    char *first = arena_alloc(b, 5000);
    memset(first, 1, 5000);
    char *next = arena_alloc(b, 8);
    assert_int_equal(next[0], 0);
    arena_free(b);
    arena_free(a);
}

static void test_strings(void **state)
{
    (void)state;
    arena_t *a = arena_new(0);
    char *s = arena_strdup(a, "città");
    assert_string_equal(s, "città");
    assert_null(arena_strdup(a, NULL));
    char *n = arena_strndup(a, "abcdef", 3);
    assert_string_equal(n, "abc");
    char *e = arena_strndup(a, "", 0);
    assert_string_equal(e, "");
    char *f = arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159);
    assert_string_equal(f, "x-42-003.1");
    char *empty = arena_printf(a, "%s", "");
    assert_string_equal(empty, "");
    char longer[3000];
    memset(longer, 'q', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    char *g = arena_printf(a, "<%s>", longer);
    assert_int_equal(strlen(g), sizeof longer + 1);
    assert_int_equal(g[0], '<');
    assert_int_equal(g[sizeof longer], '>');
    arena_free(a);
}

/* Runs arena_alloc(a, n) in a child; returns how the child ended. */
static int alloc_in_child(size_t n)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Keep stderr quiet: log_fatal writes a line before aborting. */
        FILE *devnull = freopen("/dev/null", "w", stderr);
        (void)devnull;
        /* cmocka catches crash signals; the child must die of them. */
        int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], SIG_DFL);
        arena_t *a = arena_new(0);
        volatile char *p = arena_alloc(a, n);
        p[0] = 1;
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void test_overflow_aborts(void **state)
{
    (void)state;
    /* Sizes whose rounding or block header would wrap around must abort
     * (log_fatal), never hand out a short block. */
    size_t sizes[] = {SIZE_MAX, SIZE_MAX - 8, SIZE_MAX - 20, SIZE_MAX - 40};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int st = alloc_in_child(sizes[i]);
        if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGABRT)
            fail_msg("arena_alloc(SIZE_MAX - %zu) did not abort (status %d)", SIZE_MAX - sizes[i], st);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_aligned_and_zeroed),
        cmocka_unit_test(test_zero_size_distinct),
        cmocka_unit_test(test_no_overlap),
        cmocka_unit_test(test_large_allocations),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_overflow_aborts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
