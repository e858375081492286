/* test_mail_attach.c — an e-mail with one attachment (mail_format_with in
 * src/core/mail.c): multipart/mixed with the text first and the file second,
 * both base64; refused header parameters; without an attachment exactly the
 * plain message of mail_format. And the invitation's calendar pieces of
 * src/core/ical.c: METHOD, ORGANIZER and ATTENDEE lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "core/ical.h"
#include "core/mail.h"

/* Decodes the base64 lines from `p` up to the next "\r\n--" into out. */
static size_t decode_part(const char *p, unsigned char *out, size_t cap)
{
    const char *end = strstr(p, "\r\n--");
    assert_non_null(end);
    size_t n = 0;
    assert_int_equal(sodium_base642bin(out, cap, p, (size_t)(end - p), "\r\n", &n, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    return n;
}

static void test_multipart_with_calendar(void **state)
{
    (void)state;
    const char *ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
    mail_attachment_t att = {"text/calendar; charset=UTF-8; method=REQUEST", "invito.ics", ics, strlen(ics)};
    str_t out = STR_INIT;
    assert_int_equal(mail_format_with(&out, "from@example.org", "to@example.org", "Invito: tavolo", "Gentile ente,\nè invitato.", &att), 0);
    const char *m = str_cstr(&out);
    const char *b = strstr(m, "Content-Type: multipart/mixed; boundary=\"");
    assert_non_null(b);
    char boundary[64] = "";
    sscanf(b + strlen("Content-Type: multipart/mixed; boundary=\""), "%63[^\"]", boundary);
    assert_true(strlen(boundary) > 8);
    char sep[80];
    snprintf(sep, sizeof sep, "\r\n--%s\r\n", boundary);
    const char *p1 = strstr(m, sep);
    assert_non_null(p1);
    assert_non_null(strstr(p1, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
    unsigned char buf[512];
    size_t n = decode_part(strstr(p1, "\r\n\r\n") + 4, buf, sizeof buf);
    assert_int_equal(n, strlen("Gentile ente,\nè invitato."));
    assert_memory_equal(buf, "Gentile ente,\nè invitato.", n);
    const char *p2 = strstr(p1 + 1, sep);
    assert_non_null(p2);
    assert_non_null(strstr(p2, "Content-Type: text/calendar; charset=UTF-8; method=REQUEST; name=\"invito.ics\"\r\n"));
    assert_non_null(strstr(p2, "Content-Disposition: attachment; filename=\"invito.ics\"\r\n"));
    n = decode_part(strstr(p2, "\r\n\r\n") + 4, buf, sizeof buf);
    assert_int_equal(n, strlen(ics));
    assert_memory_equal(buf, ics, n);
    char last[80];
    snprintf(last, sizeof last, "\r\n--%s--\r\n", boundary);
    assert_non_null(strstr(m, last));
    str_release(&out);
}

static void test_refused_parameters(void **state)
{
    (void)state;
    str_t out = STR_INIT;
    const char *bad[][2] = {{"text/calendar\r\nBcc: x@example.org", "a.ics"}, {"text/calendar", "a\".ics"},
                            {"text/calendar", ""}, {"text/calendar", "a\\b.ics"}, {"text/calendar", "caf\xc3\xa9.ics"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mail_attachment_t att = {bad[i][0], bad[i][1], "x", 1};
        assert_int_equal(mail_format_with(&out, "from@example.org", "to@example.org", "s", "b", &att), -1);
    }
    str_release(&out);
}

static void test_without_attachment_is_plain(void **state)
{
    (void)state;
    str_t a = STR_INIT;
    assert_int_equal(mail_format_with(&a, "from@example.org", "to@example.org", "s", "body", NULL), 0);
    assert_non_null(strstr(str_cstr(&a), "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_null(strstr(str_cstr(&a), "multipart"));
    str_release(&a);
}

static void test_ical_request(void **state)
{
    (void)state;
    str_t out = STR_INIT;
    const char *att[] = {"ente@example.org", "bad address@example.org", NULL};
    ical_event_t ev = {.uid = "meeting-1@labimpact", .start = 1800000000, .end = 1800003600, .stamp = 1790000000,
                       .summary = "Tavolo", .organizer = "noreply@example.org", .attendees = att};
    ical_begin_method(&out, "-//labimpact//test//IT", NULL, "REQUEST");
    assert_int_equal(ical_event(&out, &ev), 0);
    ical_end(&out);
    /* Unfolded (lines are folded at 75 octets with CRLF + space). */
    char s[4096];
    size_t k = 0;
    for (const char *p = str_cstr(&out); *p && k < sizeof s - 1; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        s[k++] = *p;
    }
    s[k] = '\0';
    assert_non_null(strstr(s, "\r\nMETHOD:REQUEST\r\n"));
    assert_null(strstr(s, "METHOD:PUBLISH"));
    assert_non_null(strstr(s, "\r\nORGANIZER:mailto:noreply@example.org\r\n"));
    assert_non_null(strstr(s, "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:ente@example.org\r\n"));
    assert_null(strstr(s, "bad address")); /* not one plain address: left out */
    str_release(&out);
    ical_begin(&out, NULL, NULL);
    assert_non_null(strstr(str_cstr(&out), "\r\nMETHOD:PUBLISH\r\n"));
    str_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multipart_with_calendar),
        cmocka_unit_test(test_refused_parameters),
        cmocka_unit_test(test_without_attachment_is_plain),
        cmocka_unit_test(test_ical_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
