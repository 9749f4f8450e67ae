// ATT&CK layer: a MITRE ATT&CK Navigator layer (layer format 4.5, enterprise domain) of a hunt's coverage — the
// techniques of the rules that ran (score 1) and that fired (1 + the number of rules that raised alerts for it).
// It describes rule coverage only, not the alerts themselves.
#pragma once
#include <string>

#include "rules/hunt.h"
#include "rules/layer.h"

namespace kql::rules {

/// Renders the hunt's Navigator layer as JSON; techniques sorted by id.
std::string AttackLayerJson(const HuntReport& report, const std::string& layer_name = "kqlite hunt");

}  // namespace kql::rules
