/* metrics.h — request counters and latency histograms per route, exposed in
 * the Prometheus text format. Lock-free (atomic adds); routes are identified by
 * their pattern string, registered on first use. */
#ifndef LI_METRICS_H
#define LI_METRICS_H
#include "str.h"

/* Records one request on `route` (pattern, "-" for unmatched) with its status
 * and duration in seconds. */
void metrics_observe(const char *route, const char *method, int status, double seconds);
/* Appends the exposition text. */
void metrics_render(str_t *out);

#endif
