/* log.c — thread-safe single-line logging (one write(2) per line). */
#include "log.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static log_level_t min_level = LOG_INFO;
static const char *level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(log_level_t level)
{
    min_level = level;
}

void log_from_env(void)
{
    const char *v = getenv("LABIMPACT_LOG");
    if (!v) return;
    for (int i = 0; i < 4; i++)
        if (strcasecmp(v, level_names[i]) == 0) min_level = (log_level_t)i;
}

static void log_write(log_level_t level, const char *rid, const char *fmt, va_list ap)
{
    char line[2048];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s%s%s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, level_names[level], rid ? " rid=" : "",
                     rid ? rid : "");
    if (n < 0) return;
    if ((size_t)n > sizeof line / 2) n = (int)(sizeof line / 2); /* an overlong prefix is cut */
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2) len = sizeof line - 2;
    /* Control characters would let a value forge log lines: replace them. */
    for (size_t i = (size_t)n; i < len; i++)
        if ((unsigned char)line[i] < 0x20) line[i] = ' ';
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

void log_msg(log_level_t level, const char *rid, const char *fmt, ...)
{
    if (level < min_level) return;
    va_list ap;
    va_start(ap, fmt);
    log_write(level, rid, fmt, ap);
    va_end(ap);
}

void log_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_write(LOG_ERROR, NULL, fmt, ap);
    va_end(ap);
    abort();
}
