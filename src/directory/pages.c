/* pages.c — the directory's HTML pages (inside the one layout): the
 * confirmation of an association's e-mail. Calls only directory.h. */
#include "web.h"
#include "app/server.h"
#include "core/arena.h"
#include <stdio.h>

/* The confirmation page of token `token` (confirmed: the thanks). */
static int render_confirm(http_req_t *req, http_res_t *res, const char *name, bool confirmed)
{
    json_t *vm = json_pack("{s:s, s:b, s:s, s:s}", "name", name, "confirmed", confirmed, "form_token",
                           web_form_token(req, res, "li_pub"), "token", http_param(req, "token"));
    return web_page(req, res, 200, "directory/confirm", vm);
}

static int get_confirm(http_req_t *req, http_res_t *res)
{
    char name[256];
    dir_ref_t ref;
    int rc = dir_association_confirm(web(req)->db, http_param(req, "token"), false, name, &ref, &web(req)->err);
    return rc ? rc : render_confirm(req, res, name, http_query(req, "thanks") != NULL);
}

static int post_confirm(http_req_t *req, http_res_t *res)
{
    web_t *w = web(req);
    char name[256];
    dir_ref_t ref;
    int rc = web_check_form_token(req, "li_pub");
    if (rc || (rc = dir_association_confirm(w->db, http_param(req, "token"), true, name, &ref, &w->err)) ||
        (rc = dirweb_audit(req, "association.confirm", "association", &ref)))
        return rc;
    return web_redirect(req, res, arena_printf(req->arena, "/associazioni/conferma/%s?thanks=1", http_param(req, "token")));
}

static const route_t page_routes[] = {
    {"GET", "/associazioni/conferma/{token}", get_confirm, R_PUBLIC},
    {"POST", "/associazioni/conferma/{token}", post_confirm, R_PUBLIC | R_WRITE | R_NO_CSRF},
};

const route_t *dirweb_page_routes(size_t *n)
{
    *n = sizeof page_routes / sizeof page_routes[0];
    return page_routes;
}
