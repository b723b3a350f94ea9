#include "thaiyyal/check/template_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/model/walk.h"
#include "thaiyyal/nodes/config_reader.h"
#include "thaiyyal/nodes/text_template.h"

namespace thaiyyal::check {
namespace {

/// How messages name a string of the data: `text`, `headers.Accept`,
/// `body.items[0]`; an object key gets " (key)".
std::string label_of(const std::vector<PathStep>& path, bool at_key) {
  std::string s;
  for (const auto& step : path) {
    if (step.index) {
      s += fmt::format("[{}]", *step.index);
    } else {
      if (!s.empty()) s += '.';
      s += step.key;
    }
  }
  if (at_key) s += " (key)";
  return s;
}

/// At most ~48 bytes of `s`, cut at a character boundary.
std::string shorten(std::string_view s) {
  constexpr std::size_t kMax = 48;
  if (s.size() <= kMax) return std::string(s);
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

std::string site_key(const std::vector<PathStep>& path, bool at_key) {
  return format_json_path(path) + (at_key ? "#key" : "");
}

class TemplateChecker {
 public:
  TemplateChecker(const Workflow& wf, const std::vector<nodes::ConfigFacts>& facts,
                  const CheckOptions& options, diag::Diagnostics& diags)
      : wf_(wf), facts_(facts), options_(options), diags_(diags) {
    for (const auto& f : facts_) {
      for (const auto& d : f.context_values) (d.constant ? constants_ : variables_).insert(d.name);
    }
    if (options_.constants)
      constants_.insert(options_.constants->begin(), options_.constants->end());
  }

  void run() {
    for (std::size_t i = 0; i < wf_.nodes.size() && i < facts_.size(); ++i) {
      const NodeSpec& node = wf_.nodes[i];
      diag::Diagnostics found;
      out_ = &found;
      nodes::ConfigReader where(wf_, node, found);  // only locates
      const nodes::ConfigFacts& f = facts_[i];
      for (const auto& site : f.templates) check_template(where, site);
      for (const auto& site : f.expressions) check_expression(where, site);
      if (f.complete) check_other_strings(where, node, f);
      // In document order, whatever order the kind parsed its keys in.
      std::vector<diag::Diagnostic> items = found.all();
      std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
      });
      for (auto& d : items) diags_.add(std::move(d));
    }
  }

 private:
  void check_template(const nodes::ConfigReader& where, const nodes::TemplateSite& site) {
    const std::string label = label_of(site.path, site.at_key);
    for (const auto& p : site.text.placeholders()) {
      const bool known = (p.is_const ? constants_ : variables_).count(p.name) > 0;
      if (!known) unknown(where, site, label, p);
    }
    for (const auto& issue : nodes::malformed_placeholders(site.text.text())) {
      const std::string_view text = site.text.text();
      auto& d = out_->warning(
          "malformed-placeholder",
          fmt::format("{}: '{}' is not a placeholder and is left as written: {}", label,
                      shorten(text.substr(issue.begin, issue.end - issue.begin)), issue.reason),
          where.location_in_string(site.path, issue.begin, issue.end - issue.begin, site.at_key));
      d.notes.push_back(issue.hint);
    }
  }

  void unknown(const nodes::ConfigReader& where, const nodes::TemplateSite& site,
               const std::string& label, const nodes::Placeholder& p) {
    const std::string message = p.is_const
                                    ? fmt::format(
                                          "{}: {}: no context constant '{}' is defined (by a "
                                          "context_constant node or --set)",
                                          label, site.text.spelling(p), p.name)
                                    : fmt::format(
                                          "{}: {}: no context variable '{}' is defined (by a "
                                          "context_variable node)",
                                          label, site.text.spelling(p), p.name);
    auto loc = where.location_in_string(site.path, p.begin, p.end - p.begin, site.at_key);
    // Without the caller's list of outside constants, a constant may still
    // be given when the workflow runs.
    const bool certain = !p.is_const || options_.constants.has_value();
    auto& d = certain ? out_->error("unknown-placeholder", message, std::move(loc))
                      : out_->warning("unknown-placeholder", message, std::move(loc));
    const auto& defined = p.is_const ? constants_ : variables_;
    const auto& other = p.is_const ? variables_ : constants_;
    std::vector<std::string_view> names(defined.begin(), defined.end());
    if (auto near = diag::spellcheck(p.name, names)) {
      d.notes.push_back(fmt::format("did you mean '{}'?", *near));
    } else if (other.count(p.name)) {
      d.notes.push_back(fmt::format("'{}' is a context {}: write {{{{ {}.{} }}}}", p.name,
                                    p.is_const ? "variable" : "constant",
                                    p.is_const ? "variable" : "const", p.name));
    } else if (!p.is_const) {
      d.notes.push_back(
          "{{ variable.<name> }} reads context variables (context_variable nodes); workflow "
          "variables set by variable nodes are read in expressions as variables.<name>");
    } else if (!certain) {
      d.notes.push_back(
          fmt::format("it is left as written unless the run defines it (--set {}=...)", p.name));
    }
  }

  void check_expression(const nodes::ConfigReader& where, const nodes::ExpressionSite& site) {
    if (site.text.find("{{") == std::string::npos) return;
    const nodes::TextTemplate t(site.text);
    for (const auto& p : t.placeholders()) {
      auto& d = out_->warning(
          "template-in-expression",
          fmt::format("{}: the placeholder {} is left as written", site.label, t.spelling(p)),
          where.location_in_string(site.path, p.begin, p.end - p.begin));
      d.notes.push_back(
          fmt::format("templates are not expanded in expressions; use context.{}", p.name));
    }
  }

  /// Placeholders in strings that are neither templates nor expressions.
  void check_other_strings(const nodes::ConfigReader& where, const NodeSpec& node,
                           const nodes::ConfigFacts& f) {
    std::set<std::string> sites;
    bool sites_built = false;
    auto is_site = [&](const std::vector<PathStep>& path, bool at_key) {
      if (!sites_built) {
        for (const auto& s : f.templates) sites.insert(site_key(s.path, s.at_key));
        for (const auto& s : f.expressions) sites.insert(site_key(s.path, false));
        sites_built = true;
      }
      return sites.count(site_key(path, at_key)) > 0;
    };
    auto check = [&](const std::string& text, const std::vector<PathStep>& path, bool at_key) {
      if (text.find("{{") == std::string::npos) return;
      const nodes::TextTemplate t(text);
      if (!t.has_placeholders() || is_site(path, at_key)) return;
      for (const auto& p : t.placeholders()) {
        auto& d = out_->warning(
            "placeholder-not-expanded",
            fmt::format("{}: the placeholder {} is left as written: this field of a {} node is not "
                        "a template",
                        label_of(path, at_key), t.spelling(p), node.type),
            where.location_in_string(path, p.begin, p.end - p.begin, at_key));
        d.notes.push_back(
            "placeholders are expanded only in template fields, such as text_input's text or "
            "http's url, headers, body and query");
      }
    };
    for_each_string(node.data, check);
  }

  const Workflow& wf_;
  const std::vector<nodes::ConfigFacts>& facts_;
  const CheckOptions& options_;
  diag::Diagnostics& diags_;
  diag::Diagnostics* out_ = nullptr;  ///< the current node's findings
  std::set<std::string, std::less<>> constants_;
  std::set<std::string, std::less<>> variables_;
};

}  // namespace

void check_templates(const Workflow& wf, const std::vector<nodes::ConfigFacts>& facts,
                     const CheckOptions& options, diag::Diagnostics& diags) {
  TemplateChecker(wf, facts, options, diags).run();
}

}  // namespace thaiyyal::check
