#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class CacheOp : std::uint8_t { Get, Set, Delete };

constexpr Choice<CacheOp> kCacheOps[] = {
    {"get", CacheOp::Get},
    {"set", CacheOp::Set},
    {"delete", CacheOp::Delete},
};

struct Config final : NodeConfig {
  std::string op_name;
  /// nullopt: `unsupported cache operation: <op> (use get, set, or delete)` at run time.
  std::optional<CacheOp> op;
  std::string key;  ///< used verbatim; "" allowed
  /// For `set`; absent means the default of 5 minutes. A text that does not
  /// parse fails the `set` at run time (`invalid TTL format: ...`).
  std::optional<DurationSetting> ttl;
  std::optional<std::int64_t> max_size;  ///< accepted; the run's cache limit applies
  std::optional<std::string> eviction;   ///< accepted, no effect
  std::optional<std::string> storage;    ///< accepted, no effect
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto op = r.string("cache_op", Presence::Required);
  auto key = r.string("cache_key", Presence::Required);
  c->ttl = r.duration("ttl");
  c->max_size = r.integer("max_size");
  c->eviction = r.string("eviction");
  c->storage = r.string("storage");
  if (!op || !key || !r.ok()) return nullptr;
  c->key = std::move(*key);
  c->op = find_choice(*op, kCacheOps);
  if (!c->op) {
    r.unknown_option("cache_op", *op, choice_names(kCacheOps),
                     ConfigReader::RunEffect::fails(fmt::format(
                         "unsupported cache operation: {} (use get, set, or delete)", *op)));
  } else if (*c->op == CacheOp::Set && c->ttl && !c->ttl->value) {
    r.invalid_duration("ttl", c->ttl->text,
                       ConfigReader::RunEffect::fails(fmt::format(
                           "invalid TTL format: invalid duration format: {} (use formats like "
                           "'5s', '10m', '1h')",
                           c->ttl->text)));
  }
  c->op_name = std::move(*op);
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (!c.op) {
    throw NodeError(
        fmt::format("unsupported cache operation: {} (use get, set, or delete)", c.op_name));
  }
  switch (*c.op) {
    case CacheOp::Set: {
      if (inputs.empty()) throw NodeError("cache set operation requires an input value");
      std::optional<Nanos> ttl;  // the run's default (5 minutes)
      if (c.ttl) {
        if (!c.ttl->value) {
          throw NodeError(fmt::format(
              "invalid TTL format: invalid duration format: {} (use formats like '5s', '10m', "
              "'1h')",
              c.ttl->text));
        }
        // A zero or negative TTL stores an entry that is already expired
        // (spec 03 §5.4).
        ttl = *c.ttl->value;
      }
      ctx.cache_set(c.key, inputs.front(), ttl);
      return Value(Object{{"operation", Value("set")},
                          {"key", Value(c.key)},
                          {"value", inputs.front()},
                          {"ttl", c.ttl ? Value(c.ttl->text) : Value()}});
    }
    case CacheOp::Get: {
      const Value* hit = ctx.cache_get(c.key);
      return Value(Object{{"operation", Value("get")},
                          {"key", Value(c.key)},
                          {"found", Value(hit != nullptr)},
                          {"value", hit ? *hit : Value()}});
    }
    case CacheOp::Delete:
      ctx.cache_delete(c.key);  // really deletes (D15); the output keeps the reference's shape
      return Value(
          Object{{"operation", Value("delete")}, {"key", Value(c.key)}, {"deleted", Value(true)}});
  }
  return Value();
}

NodeTraits describe(const NodeConfig& cfg) {
  const auto& c = static_cast<const Config&>(cfg);
  NodeTraits t;
  if (c.op == CacheOp::Set) {
    t.min_inputs = 1;
    t.too_few_inputs = [](std::size_t) {
      return std::string("cache set operation requires an input value");
    };
  }
  return t;
}

}  // namespace

extern const KindInfo kCacheKind{
    "cache",
    Category::State,
    "Stores its first input in the run's cache under a key, reads it back, or deletes it.",
    R"({"cache_op": "set", "cache_key": "user:7", "ttl": "90s"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
