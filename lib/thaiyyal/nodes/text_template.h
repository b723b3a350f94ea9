/// `{{ const.name }}` / `{{ variable.name }}` placeholders in string
/// configuration values (decisions D12, D20). A template is parsed once at
/// load and rendered per run from the context constants and context variables.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thaiyyal/model/value.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::nodes {

/// One placeholder of a template: `[begin, end)` is its span in the text.
struct Placeholder {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool is_const = false;  ///< `const.` (a context constant), else `variable.`
  std::string name;
};

class TextTemplate {
 public:
  TextTemplate() = default;
  /// Splits `text` into literal runs and placeholders matching
  /// `{{ <ws>* (variable|const) . <word-chars> <ws>* }}` (spec 01 §4.6),
  /// found leftmost first as a regular expression would find them.
  explicit TextTemplate(std::string text);

  const std::string& text() const { return text_; }
  bool has_placeholders() const { return !parts_.empty(); }
  /// In text order.
  const std::vector<Placeholder>& placeholders() const { return parts_; }
  /// The placeholder as written (`{{ const.x }}`).
  std::string_view spelling(const Placeholder& p) const {
    return std::string_view(text_).substr(p.begin, p.end - p.begin);
  }

  /// Substitutes each placeholder whose name exists in the map it names
  /// (`const.` reads `constants`, `variable.` reads `variables`; either may
  /// be null). A placeholder whose name is not defined is left as written
  /// and, when `missing` is given, appended to it. Strings are inserted raw,
  /// numbers as JavaScript would print them, other values as compact JSON.
  std::string render(const Object* constants, const Object* variables,
                     std::vector<const Placeholder*>* missing = nullptr) const;

 private:
  std::string text_;
  std::vector<Placeholder> parts_;
};

/// Value -> text as templates insert it (see TextTemplate::render).
std::string template_text(const Value& v);

/// A render that cannot produce a valid value (two object keys that render to
/// the same text).
class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A JSON value whose strings are templates at any depth: array elements,
/// object member values and object keys. Parts without placeholders are kept
/// as written and shared, so rendering a mostly literal value is cheap.
class ValueTemplate {
 public:
  /// Called for each string (member value, element or key) that contains
  /// `{{`, with its path below the value and whether it is an object key.
  using SiteFn =
      std::function<void(const std::vector<PathStep>& path, bool at_key, const TextTemplate& text)>;

  ValueTemplate() = default;
  explicit ValueTemplate(const Value& value, const SiteFn& on_site = {});

  const Value& value() const { return value_; }
  bool has_placeholders() const { return templated_; }

  /// The value with every placeholder substituted as TextTemplate::render
  /// does. Throws TemplateError when two keys of one object render to the
  /// same text (nothing is silently dropped).
  Value render(const Object* constants, const Object* variables,
               std::vector<const Placeholder*>* missing = nullptr) const;

 private:
  void build(const SiteFn& on_site, std::vector<PathStep>& path);

  Value value_;
  bool templated_ = false;
  std::optional<TextTemplate> text_;          ///< a string with placeholders
  std::vector<ValueTemplate> items_;          ///< array elements (when templated)
  std::vector<TextTemplate> keys_;            ///< object keys (when templated)
  std::vector<ValueTemplate> member_values_;  ///< object values (when templated)
};

/// A `{{` in template text that does not begin a placeholder: what is wrong
/// and how to write it. `[begin, end)` is the span shown to the user.
struct TemplateIssue {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string reason;  ///< "unknown namespace 'cnst'"
  std::string hint;    ///< "did you mean '{{ const.x }}'?"
};

/// Every `{{` of `text` that is not the start of a placeholder (and not
/// inside one), diagnosed: unknown namespace (`{{ cnst.x }}`), missing name
/// (`{{ const. }}`), missing namespace (`{{ x }}`), not closed (`{{const.x}`),
/// nested or invalid names (`{{ const.a.b }}`, `{{ const.a-b }}`).
std::vector<TemplateIssue> malformed_placeholders(std::string_view text);

}  // namespace thaiyyal::nodes
