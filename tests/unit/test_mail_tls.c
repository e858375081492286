/* test_mail_tls.c — which SMTP relays must be reached over TLS
 * (mail_tls_required in src/core/mail.c): every one but a loopback relay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/mail.h"

static void test_remote_relays_need_tls(void **state)
{
    (void)state;
    const char *remote[] = {
        "smtp://mail.example.org:587",
        "smtp://mail.example.org",
        "smtps://mail.example.org:465",
        "smtp://user:secret@mail.example.org:25/",
        "smtp://10.0.0.5:25",
        "smtp://128.0.0.1:25",
        "smtp://[2001:db8::1]:25",
        "smtp://localhost.example.org:25",
        "smtp://127.0.0.1.evil.example:25",
        "smtp://[::2]:25",
        "mail.example.org:25",
        "",
        NULL,
    };
    for (int i = 0; i < (int)(sizeof remote / sizeof remote[0]); i++) {
        if (mail_tls_required(remote[i]) != 1) fail_msg("TLS not required for %s", remote[i] ? remote[i] : "(null)");
    }
}

static void test_loopback_relays_may_be_plain(void **state)
{
    (void)state;
    const char *local[] = {
        "smtp://127.0.0.1:2525",
        "smtp://127.1.2.3:25",
        "smtp://localhost:25",
        "smtp://LOCALHOST",
        "smtp://[::1]:2525",
        "smtp://user@127.0.0.1:25/",
    };
    for (int i = 0; i < (int)(sizeof local / sizeof local[0]); i++) {
        if (mail_tls_required(local[i]) != 0) fail_msg("TLS required for %s", local[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remote_relays_need_tls),
        cmocka_unit_test(test_loopback_relays_may_be_plain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
