/* log.h — one line per event on stderr: time, level, request id, message.
 *
 * Never pass personal data (names, birth dates, search terms, bodies) or
 * secrets (passwords, tokens, cookies) to these functions: log the route
 * pattern, ids and status codes only. */
#ifndef LI_LOG_H
#define LI_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level_t;

/* Minimum level written (default LOG_INFO; LABIMPACT_LOG=debug|info|warn|error). */
void log_set_level(log_level_t level);
void log_from_env(void);
/* `rid` is the request id or NULL outside a request. */
void log_msg(log_level_t level, const char *rid, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define log_info(...) log_msg(LOG_INFO, NULL, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, NULL, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, NULL, __VA_ARGS__)
/* Logs and aborts: for states the program cannot continue from (out of memory). */
_Noreturn void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
