/* module.c — courses as the app sees it (app/module.h): its routes, menu
 * entries, capabilities, demo loader and catalogues. */
#include "app/module.h"
#include "courses.h"
#include "web.h"

#define TEACHER ROLE_BIT(ROLE_TEACHER)
#define COORDINATOR ROLE_BIT(ROLE_COORDINATOR)
const capability_t cap_course_manage = {"course.manage", ROLE_BIT(ROLE_ADMIN) | COORDINATOR | TEACHER};
const capability_t cap_course_read = {"course.read", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_REGION) | COORDINATOR |
                                                         TEACHER | ROLE_BIT(ROLE_OPERATOR)};
const capability_t cap_course_assign = {"course.assign", ROLE_BIT(ROLE_ADMIN) | COORDINATOR};
const capability_t cap_course_region = {"course.region", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_REGION)};

/* A season of courses for the synthetic persons of a fresh demo network. */
static int demo(db_t *db, module_demo_t *d)
{
    if (!d->fresh || d->persons <= 0) return 0;
    return crs_demo(db, d->seed, d->log);
}

static const module_routes_fn routes[] = {crsweb_api_routes, crsweb_page_routes, crsweb_more_routes, NULL};
static const module_nav_t nav[] = {
    {"/courses", "Courses", CAP_COURSE_MANAGE, 40},
    {"/courses/region", "Courses in the region", CAP_COURSE_REGION, 41},
    {NULL, NULL, NULL, 0},
};
static const cap_t caps[] = {CAP_COURSE_MANAGE, CAP_COURSE_READ, CAP_COURSE_ASSIGN, CAP_COURSE_REGION, NULL};

const module_t courses_module = {"courses", routes, nav, caps, demo, "courses"};
