/* test_ical.c — unit tests of the iCalendar writer and the Europe/Rome local
 * time (src/core/ical.c).
 *
 * The arithmetic Rome time is compared with the system tz database hour by
 * hour over 1996-2060 (and minute by minute around every change of the
 * clocks): a mediator who is sent to a school an hour early is the failure
 * these tests exist to prevent. The API tests read the feeds back with a
 * real parser (ical.js); here the octet rules are pinned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ical.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void use_rome_tz(void)
{
    setenv("TZ", "Europe/Rome", 1); /* single-threaded test: allowed here */
    tzset();
}

static int tzdb_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    return (int)tm.tm_gmtoff;
}

static void test_offsets_match_tzdb(void **state)
{
    (void)state;
    use_rome_tz();
    int64_t from = 820454400;  /* 1996-01-01 */
    int64_t to = 2871763200;   /* 2061-01-01 */
    long changes = 0;
    int prev = tzdb_offset(from);
    for (int64_t t = from; t < to; t += 3600) {
        int want = tzdb_offset(t);
        if (rome_offset(t) != want) fail_msg("offset at %lld: %d, tz database %d", (long long)t, rome_offset(t), want);
        if (want != prev) {
            changes++;
            /* Minute by minute around the change. */
            for (int64_t u = t - 7200; u < t + 7200; u += 60)
                if (rome_offset(u) != tzdb_offset(u)) fail_msg("offset at %lld", (long long)u);
        }
        prev = want;
    }
    assert_int_equal(changes, 65 * 2);
}

static void test_local_round_trip(void **state)
{
    (void)state;
    use_rome_tz();
    /* Every local hour of 2024-2027 converts as mktime does, except the skipped hour. */
    int skipped = 0, ambiguous = 0;
    for (int y = 2024; y <= 2027; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d++)
                for (int h = 0; h < 24; h++) {
                    int64_t utc;
                    int rc = rome_to_utc(y, m, d, h, 30, &utc);
                    if (rc == -1) continue; /* 31 April, ... */
                    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h, .tm_min = 30,
                                    .tm_isdst = -1};
                    if (rc == 1) {
                        skipped++;
                        assert_int_equal(h, 2);
                        assert_int_equal(m, 3);
                        continue;
                    }
                    rome_tm_t back;
                    rome_from_utc(utc, &back);
                    assert_int_equal(back.year, y);
                    assert_int_equal(back.month, m);
                    assert_int_equal(back.day, d);
                    assert_int_equal(back.hour, h);
                    assert_int_equal(back.minute, 30);
                    /* The tz database agrees (for the ambiguous hour, with the summer-time reading). */
                    if (rome_offset(utc) == 7200 && rome_offset(utc + 3600) == 3600) {
                        ambiguous++;
                        tm.tm_isdst = 1;
                    }
                    time_t want = mktime(&tm);
                    assert_int_equal((int64_t)want, utc);
                    assert_int_equal(back.wday, tm.tm_wday == 0 ? 7 : tm.tm_wday);
                }
    assert_int_equal(skipped, 4);
    assert_true(ambiguous >= 4);
}

static void test_known_instants(void **state)
{
    (void)state;
    int64_t t;
    /* 2026-03-29 (last Sunday of March): 01:59 CET, 02:30 does not exist, 03:00 CEST. */
    assert_int_equal(rome_parse("2026-03-29T01:59", &t), 0);
    assert_int_equal(t, 1774745940); /* 00:59 UTC */
    assert_int_equal(rome_parse("2026-03-29T02:30", &t), 1);
    assert_int_equal(rome_parse("2026-03-29T03:00", &t), 0);
    assert_int_equal(t, 1774746000); /* 01:00 UTC */
    /* 2026-10-25 02:30 happens twice: the earlier (CEST) instant is taken. */
    assert_int_equal(rome_parse("2026-10-25T02:30", &t), 0);
    assert_int_equal(t, 1792888200); /* 00:30 UTC */
    char buf[17];
    rome_format(1792888200, buf);
    assert_string_equal(buf, "2026-10-25T02:30");
    rome_format(1792888200 + 3600, buf);
    assert_string_equal(buf, "2026-10-25T02:30");
    rome_format(1792888200 + 7200, buf);
    assert_string_equal(buf, "2026-10-25T03:30");
    /* Winter and summer. */
    assert_int_equal(rome_parse("2026-01-15 09:00", &t), 0);
    assert_int_equal(t, 1768464000);
    assert_int_equal(rome_parse("2026-07-15T09:00", &t), 0);
    assert_int_equal(t, 1784098800);
    /* Bad input. */
    const char *bad[] = {"", "2026-07-15", "2026-07-15T9:00", "2026-13-01T10:00", "2026-02-29T10:00",
                         "2026-07-15T24:00", "2026-07-15T10:60", "2026/07/15T10:00", "1990-07-15T10:00",
                         "2026-07-15T10:00Z", "2026-07-1aT10:00", NULL};
    for (int i = 0; bad[i]; i++) assert_int_equal(rome_parse(bad[i], &t), -1);
    assert_int_equal(rome_parse("2028-02-29T10:00", &t), 0);
}

static void test_civil(void **state)
{
    (void)state;
    assert_int_equal(civil_to_days(1970, 1, 1), 0);
    assert_int_equal(civil_to_days(2000, 3, 1), 11017);
    for (int64_t z = -1000; z < 60000; z += 7) {
        int y, m, d;
        civil_from_days(z, &y, &m, &d);
        assert_int_equal(civil_to_days(y, m, d), z);
    }
}

/* Every line ends with CRLF and holds at most 75 octets; no UTF-8 sequence is split. */
static void assert_octet_rules(const char *s)
{
    const char *line = s;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        assert_non_null(crlf);
        size_t n = (size_t)(crlf - line);
        if (n > 75) fail_msg("line of %zu octets: %.*s", n, (int)n, line);
        for (const char *p = line; p < crlf; p++) assert_true(*p != '\n' && *p != '\r');
        /* A continuation line must not start with a UTF-8 continuation byte. */
        if (line[0] == ' ') assert_true(((unsigned char)line[1] & 0xC0) != 0x80);
        line = crlf + 2;
    }
}

static void test_feed(void **state)
{
    (void)state;
    str_t out = STR_INIT;
    ical_begin(&out, "-//labimpact//test//IT", "Mediazione — Amina Diallo");
    int64_t start;
    assert_int_equal(rome_parse("2026-07-15T09:00", &start), 0);
    ical_event_t ev = {
        .uid = "mediation-request-42@labimpact",
        .start = start,
        .end = start + 90 * 60,
        .stamp = 1767225600,
        .sequence = 2,
        .summary = "Mediazione: arabo; scuola, colloquio \\ genitori",
        .location = "IC Marconi, via Roma 1, Casalmaggiore",
        .description = "Richiesta n. 42\nReferente: prof.ssa Bianchi — tel. 0375 000000. "
                       "Testo lungo con caratteri accentati àèìòù e simboli €€€€€€€€€€€€€€€€€€€€€€€€€€€€",
        .status = "CONFIRMED",
    };
    assert_int_equal(ical_event(&out, &ev), 0);
    ical_event_t bad = ev;
    bad.end = bad.start;
    size_t before = out.len;
    assert_int_equal(ical_event(&out, &bad), -1);
    bad = ev;
    bad.uid = NULL;
    assert_int_equal(ical_event(&out, &bad), -1);
    assert_int_equal(out.len, before);
    ical_end(&out);
    const char *s = str_cstr(&out);
    assert_octet_rules(s);
    assert_non_null(strstr(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert_non_null(strstr(s, "BEGIN:VTIMEZONE\r\nTZID:Europe/Rome\r\n"));
    assert_non_null(strstr(s, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"));
    assert_non_null(strstr(s, "DTSTART;TZID=Europe/Rome:20260715T090000\r\n"));
    assert_non_null(strstr(s, "DTEND;TZID=Europe/Rome:20260715T103000\r\n"));
    assert_non_null(strstr(s, "DTSTAMP:20260101T000000Z\r\n"));
    assert_non_null(strstr(s, "SEQUENCE:2\r\n"));
    assert_non_null(strstr(s, "SUMMARY:Mediazione: arabo\\; scuola\\, colloquio \\\\ genitori\r\n"));
    assert_non_null(strstr(s, "STATUS:CONFIRMED\r\n"));
    assert_non_null(strstr(s, "END:VEVENT\r\nEND:VCALENDAR\r\n"));
    /* The description was escaped and folded; unfolding gives it back. */
    str_t unfolded = STR_INIT;
    for (const char *p = s; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        str_addc(&unfolded, *p);
    }
    assert_non_null(strstr(str_cstr(&unfolded), "DESCRIPTION:Richiesta n. 42\\nReferente: prof.ssa Bianchi — tel. "
                                                 "0375 000000. Testo lungo con caratteri accentati àèìòù e simboli "
                                                 "€€€€€€€€€€€€€€€€€€€€€€€€€€€€\r\n"));
    str_release(&unfolded);
    str_release(&out);
}

static void test_escape_bad_bytes(void **state)
{
    (void)state;
    str_t out = STR_INIT;
    ical_escape(&out, "a\xff" "b\x01" "c\r\nd");
    assert_string_equal(str_cstr(&out), "a\xEF\xBF\xBD" "b c\\nd");
    str_release(&out);
    /* A long line of 3-byte characters folds between characters. */
    str_t line = STR_INIT;
    char value[3 * 100 + 1];
    for (int i = 0; i < 100; i++) memcpy(value + 3 * i, "\xE2\x82\xAC", 3);
    value[300] = '\0';
    ical_line(&line, "X-TEST", value);
    assert_octet_rules(str_cstr(&line));
    str_release(&line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offsets_match_tzdb), cmocka_unit_test(test_local_round_trip),
        cmocka_unit_test(test_known_instants),     cmocka_unit_test(test_civil),
        cmocka_unit_test(test_feed),               cmocka_unit_test(test_escape_bad_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
