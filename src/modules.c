/* modules.c — the registry (app/module.h): every module of labimpact, in
 * load order. The app's own routes come first; the network before the
 * modules whose demo data hangs on it; governance (the projects) before the
 * modules whose activities belong to a project. A new module adds one line
 * here. */
#include "app/module.h"

extern const module_t app_module, network_module, governance_module, desk_module, mediation_module, courses_module,
    info_module, directory_module, meetings_module, monitoring_module;

const module_t *const modules[] = {&app_module,       &network_module, &governance_module, &desk_module,
                                   &mediation_module, &courses_module, &info_module,       &directory_module,
                                   &meetings_module,  &monitoring_module, NULL};
