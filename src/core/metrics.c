/* metrics.c — per-route counters and latency histograms (Prometheus text).
 * Slots are claimed once per route pattern with a compare-and-swap; after
 * that every observation is a handful of relaxed atomic adds. */
#include "metrics.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#define METRICS_SLOTS 256
#define METRICS_BUCKETS 10

static const double bucket_le[METRICS_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                  0.05,  0.1,    0.25,  0.5,  1.0};

typedef struct slot {
    _Atomic(const char *) route;
    const char *method;
    atomic_uint_fast64_t by_class[6]; /* 1xx..5xx by index status/100 */
    atomic_uint_fast64_t buckets[METRICS_BUCKETS];
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t micros;
} slot_t;

static slot_t slots[METRICS_SLOTS];

/* The slot for route+method, claiming a free one the first time (under a
 * lock, rare); NULL when all slots are taken. */
static slot_t *slot_for(const char *route, const char *method)
{
    static pthread_mutex_t claim = PTHREAD_MUTEX_INITIALIZER;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < METRICS_SLOTS; i++) {
            const char *cur = atomic_load(&slots[i].route);
            if (!cur) {
                if (pass == 0) break;
                slots[i].method = method;
                atomic_store(&slots[i].route, route);
                pthread_mutex_unlock(&claim);
                return &slots[i];
            }
            if (slots[i].method == method && strcmp(cur, route) == 0) {
                if (pass == 1) pthread_mutex_unlock(&claim);
                return &slots[i];
            }
        }
        if (pass == 0) pthread_mutex_lock(&claim);
    }
    pthread_mutex_unlock(&claim);
    return NULL;
}

void metrics_observe(const char *route, const char *method, int status, double seconds)
{
    /* Route patterns are static strings; methods are interned to static ones. */
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "OTHER"};
    const char *m = methods[5];
    for (int i = 0; i < 5; i++)
        if (strcmp(method, methods[i]) == 0) m = methods[i];
    slot_t *s = slot_for(route, m);
    if (!s) return;
    int cls = status / 100;
    if (cls < 1 || cls > 5) cls = 5;
    atomic_fetch_add_explicit(&s->by_class[cls], 1, memory_order_relaxed);
    for (int b = 0; b < METRICS_BUCKETS; b++)
        if (seconds <= bucket_le[b]) atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->micros, (uint_fast64_t)(seconds * 1e6), memory_order_relaxed);
}

void metrics_render(str_t *out)
{
    str_adds(out, "# HELP labimpact_http_requests_total HTTP requests by route, method and status class.\n"
                  "# TYPE labimpact_http_requests_total counter\n");
    for (int i = 0; i < METRICS_SLOTS; i++) {
        const char *route = atomic_load(&slots[i].route);
        if (!route) break;
        for (int c = 1; c <= 5; c++) {
            uint64_t v = atomic_load(&slots[i].by_class[c]);
            if (v)
                str_addf(out, "labimpact_http_requests_total{route=\"%s\",method=\"%s\",status=\"%dxx\"} %llu\n",
                         route, slots[i].method, c, (unsigned long long)v);
        }
    }
    str_adds(out, "# HELP labimpact_http_request_duration_seconds Time to answer, by route.\n"
                  "# TYPE labimpact_http_request_duration_seconds histogram\n");
    for (int i = 0; i < METRICS_SLOTS; i++) {
        const char *route = atomic_load(&slots[i].route);
        if (!route) break;
        const char *m = slots[i].method;
        for (int b = 0; b < METRICS_BUCKETS; b++)
            str_addf(out, "labimpact_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le=\"%g\"} %llu\n",
                     route, m, bucket_le[b], (unsigned long long)atomic_load(&slots[i].buckets[b]));
        uint64_t count = atomic_load(&slots[i].count);
        str_addf(out, "labimpact_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le=\"+Inf\"} %llu\n",
                 route, m, (unsigned long long)count);
        str_addf(out, "labimpact_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n", route, m,
                 (double)atomic_load(&slots[i].micros) / 1e6);
        str_addf(out, "labimpact_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %llu\n", route,
                 m, (unsigned long long)count);
    }
}
