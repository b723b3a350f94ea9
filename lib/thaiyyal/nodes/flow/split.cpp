#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::vector<std::string> paths;  ///< non-empty; duplicates kept in `paths`
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto paths = r.string_list("paths");
  if (paths && paths->empty()) r.missing("paths");  // must be non-empty (spec 01 §6.1)
  if (!paths && !r.has("paths")) r.missing("paths");
  if (!paths || !r.ok()) return nullptr;
  c->paths = std::move(*paths);
  return c;
}

}  // namespace

extern const KindInfo kSplitKind{
    "split",
    Category::Flow,
    "Copies its first input under each of the named paths, for fan-out.",
    R"({"paths": ["audit", "notify"]})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
