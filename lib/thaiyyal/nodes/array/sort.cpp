#include <algorithm>
#include <cstdint>
#include <limits>

#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string field;          ///< top-level key of each element; "" sorts the elements
  std::string order = "asc";  ///< lower-cased, echoed in the output
  bool descending = false;    ///< only the exact text "desc" (after lower-casing)
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->field = r.string("field").value_or("");
  if (auto order = r.string("order")) {
    // Any other text sorts ascending and is still echoed (spec 03-control §9).
    std::transform(order->begin(), order->end(), order->begin(), [](char ch) {
      return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    c->order = std::move(*order);
    // The reference sorts ascending for any other text (spec 03-control §9).
    if (c->order != "asc" && c->order != "desc") {
      r.unknown_option("order", c->order, {"asc", "desc"},
                       ConfigReader::RunEffect::ignored(
                           "the Go engine silently sorts in ascending order for any other value"),
                       /*ignore_case=*/true);
    }
  }
  c->descending = c->order == "desc";
  if (!r.ok()) return nullptr;
  return c;
}

/// One element's sort key: 16 bytes, so the merge passes move little memory.
struct Key {
  union {
    double number;       ///< Number, or Bool as 0/1
    const Value* value;  ///< any other kind: the key itself
  };
  std::uint32_t index;  ///< position in the input
  Kind kind;
};

/// The comparator of spec 03-control §9(d): null first, numbers by value,
/// strings byte-wise, false before true, any other pair by GoText (D2
/// numbers). The GoText forms are computed once per element, on demand.
class Less {
 public:
  explicit Less(std::size_t n) : n_(n) {}

  bool operator()(const Key& a, const Key& b) {
    if (a.kind == Kind::Null) return b.kind != Kind::Null;
    if (b.kind == Kind::Null) return false;
    if (a.kind == b.kind) {
      switch (a.kind) {
        case Kind::Number:
        case Kind::Bool:
          return a.number < b.number;
        case Kind::String:
          return a.value->as_string() < b.value->as_string();
        default:
          break;
      }
    }
    return text(a) < text(b);
  }

 private:
  const std::string& text(const Key& k) {
    if (texts_.empty()) {
      texts_.resize(n_);
      known_.assign(n_, false);
    }
    if (!known_[k.index]) {
      switch (k.kind) {
        case Kind::Number:
          texts_[k.index] = number_to_string(k.number);
          break;
        case Kind::Bool:
          texts_[k.index] = k.number != 0 ? "true" : "false";
          break;
        default:
          texts_[k.index] = go_text(*k.value);
      }
      known_[k.index] = true;
    }
    return texts_[k.index];
  }

  std::size_t n_;
  std::vector<std::string> texts_;
  std::vector<bool> known_;
};

/// A stable merge sort that stays within bounds whatever the comparator does
/// (the text fallback is not transitive for some mixes of numbers and
/// numeric strings, spec 03-control §9(h), which std::stable_sort does not
/// allow). Checks for cancellation between passes.
void stable_sort_keys(std::vector<Key>& keys, Less& less, RunContext& ctx) {
  constexpr std::size_t kRun = 32;
  const std::size_t n = keys.size();
  for (std::size_t lo = 0; lo < n; lo += kRun) {
    const std::size_t hi = std::min(lo + kRun, n);
    for (std::size_t i = lo + 1; i < hi; ++i) {
      const Key x = keys[i];
      std::size_t j = i;
      for (; j > lo && less(x, keys[j - 1]); --j) keys[j] = keys[j - 1];
      keys[j] = x;
    }
  }
  if (n <= kRun) return;
  std::vector<Key> buffer(n);
  for (std::size_t width = kRun; width < n; width *= 2) {
    ctx.check_cancelled();
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      const std::size_t mid = std::min(lo + width, n);
      const std::size_t hi = std::min(lo + 2 * width, n);
      std::size_t i = lo, j = mid, k = lo;
      if (mid < hi && less(keys[mid], keys[mid - 1])) {
        // Take from the right run only when strictly less: stable.
        while (i < mid && j < hi) buffer[k++] = less(keys[j], keys[i]) ? keys[j++] : keys[i++];
      }
      while (i < mid) buffer[k++] = keys[i++];
      while (j < hi) buffer[k++] = keys[j++];
    }
    keys.swap(buffer);
  }
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "sort");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const Array& elements = *items;
  const std::size_t n = elements.size();

  if (n > std::numeric_limits<std::uint32_t>::max()) {
    throw NodeError(fmt::format("sort: too many elements: {}", n));
  }
  std::vector<Key> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Value* key = &elements[i];
    if (!c.field.empty()) key = elements[i].find(c.field);  // null for a non-object or no key
    Key& k = keys[i];
    k.index = static_cast<std::uint32_t>(i);
    k.kind = key ? key->kind() : Kind::Null;
    if (k.kind == Kind::Number) {
      k.number = key->as_number();
    } else if (k.kind == Kind::Bool) {
      k.number = key->as_bool() ? 1 : 0;
    } else {
      k.value = key;
    }
  }
  Less less(n);
  stable_sort_keys(keys, less, ctx);
  // Descending is the stable ascending order reversed (spec 03-control §9(d)).
  if (c.descending) std::reverse(keys.begin(), keys.end());

  Array sorted;
  if (c.field.empty()) {
    // The keys are the elements: scalars are rebuilt from the key records,
    // so only strings and containers are read from the input again.
    sorted.reserve(n);
    for (const Key& k : keys) {
      switch (k.kind) {
        case Kind::Null:
          sorted.emplace_back();
          break;
        case Kind::Number:
          sorted.emplace_back(k.number);
          break;
        case Kind::Bool:
          sorted.emplace_back(k.number != 0);
          break;
        default:
          sorted.push_back(*k.value);
      }
    }
  } else {
    // Copied in input order, so the elements and their reference counts are
    // read sequentially and only the stores land in sorted order (measured
    // faster than a gather for large arrays of objects).
    std::vector<std::uint32_t> place(n);
    for (std::size_t k = 0; k < n; ++k) place[keys[k].index] = static_cast<std::uint32_t>(k);
    keys = {};
    sorted.resize(n);
    for (std::size_t i = 0; i < n; ++i) sorted[place[i]] = elements[i];
  }
  return Value(Object{{"sorted", Value(std::move(sorted))},
                      {"count", Value(n)},
                      {"field", Value(c.field)},
                      {"order", Value(c.order)}});
}

}  // namespace

extern const KindInfo kSortKind{
    "sort",
    Category::Array,
    "Sorts its array input stably, by the elements or by one field, ascending or descending.",
    R"({"field": "price", "order": "desc"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
