/* accounts.h — accounts: the admin's management of them (API and the
 * /admin/users page) and the owner's change of password (API and the
 * /account/password page).
 *
 * A password an admin sets, creating an account or resetting one, is
 * one-time: the owner must replace it at the first login, and is told by
 * e-mail (through the outbox) when the account has an address. Creating an
 * account with a role that reads personal data, or resetting the password of
 * one, is recorded for the district's coordinators to see in their audit log. */
#ifndef LI_ACCOUNTS_H
#define LI_ACCOUNTS_H
#include "server.h"

/* The account routes, for the app's entry in the registry (web.c). */
const resource_t *const *account_routes(size_t *n);

#endif
