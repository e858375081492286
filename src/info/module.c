/* module.c — qualified information as the app sees it (app/module.h): its
 * routes, the editor's and translator's menu entries, its capabilities, its
 * demo loader and catalogues. */
#include "app/module.h"
#include "info.h"
#include "web.h"

const capability_t cap_material_edit = {"material.edit", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_COORDINATOR) |
                                                             ROLE_BIT(ROLE_EDITOR)};
const capability_t cap_material_translate = {"material.translate", ROLE_BIT(ROLE_TRANSLATOR)};
const capability_t cap_material_read = {"material.read", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_COORDINATOR) |
                                                             ROLE_BIT(ROLE_EDITOR) | ROLE_BIT(ROLE_TRANSLATOR)};
const capability_t cap_notice_manage = {"notice.manage", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_COORDINATOR) |
                                                             ROLE_BIT(ROLE_EDITOR)};

/* Materials, translations and notices of a fresh demo network. */
static int demo(db_t *db, module_demo_t *d)
{
    return d->fresh ? info_demo(db, d) : 0;
}

static const module_routes_fn routes[] = {infoweb_api_routes,       infoweb_more_routes,   infoweb_page_routes,
                                          infoweb_workspace_routes, infoweb_compose_routes, NULL};
static const module_nav_t nav[] = {
    {"/info/editor", "Information materials", CAP_MATERIAL_EDIT, 80},
    {"/info/translate", "Translations", CAP_MATERIAL_TRANSLATE, 81},
    {NULL, NULL, NULL, 0},
};
static const cap_t caps[] = {CAP_MATERIAL_EDIT, CAP_MATERIAL_TRANSLATE, CAP_NOTICE_MANAGE, CAP_MATERIAL_READ,
                             CAP_CONTACT_EDIT, NULL};

const module_t info_module = {"info", routes, nav, caps, demo, "info"};
