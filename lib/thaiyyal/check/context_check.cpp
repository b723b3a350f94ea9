#include "thaiyyal/check/context_check.h"

#include <fmt/format.h>

#include <set>
#include <string_view>

#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/expr/reads.h"

namespace thaiyyal::check {

void check_context_reads(const CompiledWorkflow& wf, const std::vector<std::string>& set_names,
                         diag::Diagnostics& diags) {
  if (set_names.empty()) return;
  std::set<std::string, std::less<>> read;
  for (const auto& f : wf.facts) {
    for (const auto& site : f.templates) {
      for (const auto& p : site.text.placeholders()) {
        if (p.is_const) read.insert(p.name);
      }
    }
    for (const auto& site : f.expressions) {
      if (!site.program) continue;
      for (const auto& r : expr::reads(*site.program)) {
        if (r.root != expr::detail::RootKind::Context) continue;
        if (!r.member) return;  // any name may be read
        read.insert(*r.member);
      }
    }
  }
  std::vector<std::string_view> candidates;
  for (const auto& name : read) candidates.push_back(name);
  std::set<std::string_view> reported;
  for (const auto& name : set_names) {
    if (read.count(name) || !reported.insert(name).second) continue;
    auto& d = diags.warning(
        "unused-set",
        fmt::format("--set {}: no node reads this constant ({{{{ const.{} }}}} or context.{})",
                    name, name, name));
    if (auto near = diag::spellcheck(name, candidates)) {
      d.notes.push_back(fmt::format("did you mean '{}'?", *near));
    }
  }
}

}  // namespace thaiyyal::check
