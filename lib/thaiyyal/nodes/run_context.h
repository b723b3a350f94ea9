/// What a running node may use from the engine: its identity, the run's state
/// (variables, accumulator, counter, cache, context), expression environments,
/// templates, limits, time and cancellation. Declared here and implemented by
/// the engine, so nodes never depend on engine/. One RunContext serves one
/// node execution on one thread; it is not shared.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

#include "thaiyyal/engine/observer.h"
#include "thaiyyal/expr/expr.h"
#include "thaiyyal/http/clients.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/model/limits.h"
#include "thaiyyal/model/value.h"
#include "thaiyyal/model/workflow.h"
#include "thaiyyal/nodes/guard.h"
#include "thaiyyal/nodes/text_template.h"

namespace thaiyyal::nodes {

/// A node failed; the message is the cause (the engine prefixes
/// "error executing node <id>: "). Nodes may also throw any std::exception.
class NodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A configured limit was exceeded (node executions, HTTP calls, loop
/// iterations, variables, value sizes). The run fails with a limit status.
class LimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The run must stop now: its deadline passed, the node's time budget ran
/// out, or it was cancelled. Thrown by sleep_for()/check_cancelled(); nodes
/// must let it propagate.
class Interrupted : public std::runtime_error {
 public:
  enum class Reason : std::uint8_t { Deadline, NodeTimeout, GuardTimeout, Cancelled };
  Interrupted(Reason reason, std::string message)
      : std::runtime_error(std::move(message)), reason_(reason) {}
  Reason reason() const { return reason_; }

 private:
  Reason reason_;
};

class RunContext {
 public:
  virtual ~RunContext() = default;

  // -- identity and configuration
  /// The node being run.
  virtual const NodeSpec& node() const = 0;
  virtual const Limits& limits() const = 0;

  // -- expressions (02 §5): an Env with `variables`, `context` and `node`
  // filled in and `input`/`item` bound to `input`. Valid while the node runs.
  virtual expr::Env env(const Value* input) const = 0;

  // -- workflow variables (01 §4.1)
  /// nullptr when undefined.
  virtual const Value* variable(std::string_view name) const = 0;
  /// Applies the value-limit and variable-count checks; throws LimitError with
  /// the reference's messages (`variable validation failed: ...`,
  /// `maximum variables exceeded: <n> (limit: <m>)`).
  virtual void set_variable(const std::string& name, Value v) = 0;

  // -- the run's single accumulator (initially null) and counter (initially 0)
  virtual Value& accumulator() = 0;
  virtual double& counter() = 0;

  // -- the run's cache (01 §4.4, D15): TTL and size limit enforced
  /// nullptr on a miss or an expired entry.
  virtual const Value* cache_get(const std::string& key) = 0;
  /// Stores with a time to live: nullopt means the default of 5 minutes; zero
  /// or negative stores an entry that has already expired. Evicts the least
  /// recently written entry when the cache is at max_cache_size.
  virtual void cache_set(const std::string& key, Value v, std::optional<Nanos> ttl) = 0;
  /// Returns whether the key was present.
  virtual bool cache_delete(const std::string& key) = 0;

  // -- context values (01 §4.5); expressions see constants overlaid by variables
  virtual void set_context_variable(const std::string& name, Value v) = 0;
  virtual void set_context_constant(const std::string& name, Value v) = 0;
  /// The value of context constant `name` given from outside the workflow
  /// (RunOptions::constants, `--set`), or nullptr. It wins over the value a
  /// context_constant node defines for the same name.
  virtual const Value* constant_override(std::string_view name) const = 0;

  // -- templates (D12): placeholders whose name is not defined when the node
  // runs are left as written, with a warning on the run's log
  virtual std::string interpolate(const TextTemplate& t) = 0;
  /// Throws TemplateError when two keys of an object render alike.
  virtual Value interpolate(const ValueTemplate& t) = 0;

  // -- time and cancellation (D9)
  /// Sleeps, waking early to throw Interrupted when the run's deadline, the
  /// node's time budget or a cancellation arrives.
  virtual void sleep_for(Nanos d) = 0;
  /// Throws Interrupted when the run must stop. Long loops call it regularly.
  virtual void check_cancelled() = 0;
  /// Time until the nearest deadline (run, node budget, timeout guard), or
  /// nullopt when there is none.
  virtual std::optional<Nanos> time_left() const = 0;

  // -- outbound HTTP (D13); the client applies the policy on every hop
  virtual http::HttpClient& http_client() = 0;
  virtual const http::NetworkPolicy& network_policy() const = 0;
  /// The named clients configured for the run, or nullptr when there are none.
  virtual const http::ClientRegistry* http_clients() const = 0;
  /// Observers see every request attempt: before it is sent (they may add
  /// header fields, such as trace context) and once it ended.
  virtual void before_http_request(engine::OutboundHeaders& headers) = 0;
  virtual void after_http_request(const engine::HttpCall& call) = 0;

  // -- limits
  /// The iteration cap for a loop: the node's own `max_iterations` (or its
  /// default) capped by --max-loop-iterations, the lower wins (D9).
  virtual std::uint64_t loop_limit(std::optional<std::int64_t> node_max,
                                   std::uint64_t node_default) const = 0;
  /// Counts one HTTP request attempt; throws LimitError
  /// (`maximum HTTP calls per execution exceeded: <n> (limit: <m>)`).
  virtual void count_http_call() = 0;

  // -- guards (D10)
  /// For a guard node: how the engine ran the predecessor that delivers the
  /// first input under this node's policy; nullptr when there is none.
  virtual const GuardOutcome* predecessor_outcome() const = 0;

  // -- misc
  /// The run's random generator (seeded by --seed when given).
  virtual std::mt19937_64& random() = 0;
  /// A per-run, per-node slot for state that outlives one execution of the
  /// node within the run (rate limiter windows, throttle timestamps).
  virtual std::shared_ptr<void>& node_state() = 0;
  /// Logs a warning on the run's log with the node id (stderr in the CLI).
  virtual void warn(std::string_view message) = 0;
};

}  // namespace thaiyyal::nodes
