/// `{{ const.name }}` / `{{ variable.name }}` placeholders in string
/// configuration values (decisions D12, D20). A template is parsed once at
/// load and rendered per run from the context constants and context variables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/model/value.h"

namespace thaiyyal::nodes {

class TextTemplate {
 public:
  TextTemplate() = default;
  /// Splits `text` into literal runs and placeholders matching
  /// `{{ <ws>* (variable|const) . <word-chars> <ws>* }}` (spec 01 §4.6).
  explicit TextTemplate(std::string text);

  const std::string& text() const { return text_; }
  bool has_placeholders() const { return !parts_.empty(); }

  /// Substitutes each placeholder whose name exists in the map it names;
  /// unknown names are left as written. Strings are inserted raw, numbers as
  /// JavaScript would print them, other values as compact JSON.
  std::string render(const Object* constants, const Object* variables) const;

 private:
  struct Part {
    std::size_t begin = 0, end = 0;  ///< placeholder span in text_
    bool is_const = false;
    std::string name;
  };
  std::string text_;
  std::vector<Part> parts_;
};

/// Value -> text as templates insert it (see TextTemplate::render).
std::string template_text(const Value& v);

}  // namespace thaiyyal::nodes
