/// Internal to nodes/: the JSON Schema validator behind `schema_validator`
/// (spec 03 §8). A schema is compiled once, at load, from the keywords of
/// drafts 4, 6 and 7 (type, enum, const, numeric and length bounds, pattern,
/// format, items/additionalItems, uniqueItems, contains, properties,
/// patternProperties, additionalProperties, required, property counts,
/// propertyNames, dependencies, allOf/anyOf/oneOf/not, if/then/else, and
/// `$ref` into the schema itself), then validates any number of instances.
/// Errors use the reference's keyword codes, description templates and
/// dotted field paths.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "thaiyyal/model/value.h"

namespace thaiyyal::nodes {

/// A schema that cannot be used, or a `$ref` cycle too deep to follow. The
/// message is what follows `schema validation failed: `.
class JsonSchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One failed keyword, as the node reports it.
struct SchemaViolation {
  std::string field;        ///< "(root)" or a dotted path ("age", "o.z", "tags.1")
  std::string type;         ///< keyword code ("required", "invalid_type", ...)
  std::string description;  ///< "name is required", "Must be less than 5", ...
  Value value;              ///< the offending instance value
};

/// A compiled schema: immutable, cheap to copy, safe to share between threads.
class JsonSchema {
 public:
  /// Compiles `schema` (an object, or true/false). Throws JsonSchemaError.
  static JsonSchema compile(const Value& schema);

  /// Every violation of `instance`, in the reference's order (required,
  /// additional properties, then members by name, items before the array's
  /// own keywords). `tick` is called now and then (cancellation); it may
  /// throw. Throws JsonSchemaError when `$ref`s recurse too deep.
  std::vector<SchemaViolation> validate(const Value& instance,
                                        const std::function<void()>& tick = {}) const;

  struct Impl;

 private:
  explicit JsonSchema(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace thaiyyal::nodes
