#include "thaiyyal/engine/engine.h"

#include <fmt/format.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <unordered_map>

#include "thaiyyal/engine/value_limits.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/nodes/run_context.h"

namespace thaiyyal::engine {

using Clock = std::chrono::steady_clock;
using nodes::Interrupted;
using nodes::LimitError;

void CancelToken::cancel() { cancelled_.store(true, std::memory_order_relaxed); }

std::string new_execution_id() {
  std::random_device rd;
  std::uint64_t v = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  return fmt::format("{:016x}", v);
}

Value RunResult::to_value() const {
  Object o;
  o.append_unique("execution_id", Value(execution_id));
  if (!workflow_id.empty()) o.append_unique("workflow_id", Value(workflow_id));
  o.append_unique("node_results", Value(node_results));
  o.append_unique("final_output", final_output);
  if (!errors.empty()) {
    Array errs;
    errs.reserve(errors.size());
    for (const auto& e : errors) errs.emplace_back(e);
    o.append_unique("errors", Value(std::move(errs)));
  }
  return Value(std::move(o));
}

std::string_view run_status_name(RunStatus s) {
  switch (s) {
    case RunStatus::Ok:
      return "succeeded";
    case RunStatus::Failed:
      return "failed";
    case RunStatus::LimitExceeded:
      return "limit_exceeded";
    case RunStatus::TimedOut:
      return "timed_out";
    case RunStatus::Cancelled:
      return "cancelled";
  }
  return "failed";
}

std::string_view run_error_code(RunStatus s) {
  switch (s) {
    case RunStatus::Ok:
    case RunStatus::Failed:
      return "node-failed";
    case RunStatus::LimitExceeded:
      return "limit-exceeded";
    case RunStatus::TimedOut:
      return "timeout";
    case RunStatus::Cancelled:
      return "cancelled";
  }
  return "node-failed";
}

std::string_view limit_name(const RunResult& r) {
  if (r.status != RunStatus::LimitExceeded && r.status != RunStatus::TimedOut) return {};
  const std::string_view e = r.errors.empty() ? std::string_view() : r.errors.front();
  auto has = [&](std::string_view what) { return e.find(what) != std::string_view::npos; };
  if (r.status == RunStatus::TimedOut) return has("node execution timeout") ? "node_time" : "time";
  if (has("maximum node executions")) return "node_executions";
  if (has("maximum HTTP calls")) return "http_calls";
  if (has("iterations")) return "loop_iterations";
  if (has("input too large")) return "input_size";
  return "values";
}

Value RunResult::to_document() const {
  Value base = to_value();
  Object o = base.as_object();
  auto millis = [](std::chrono::nanoseconds d) {
    return Value(std::chrono::duration<double, std::milli>(d).count());
  };
  o.append_unique("result_version", Value(kResultVersion));
  o.append_unique("status", Value(std::string(run_status_name(status))));
  o.append_unique("duration_ms", millis(elapsed));
  Object per_node;
  if (workflow) {
    // Executed nodes first, in execution order (as node_results), then the
    // others in document order.
    std::unordered_map<std::string_view, std::size_t> index_of;
    for (const auto& n : workflow->nodes) index_of.emplace(n.id, n.index);
    std::vector<std::size_t> order;
    for (const auto& [id, v] : node_results) {
      if (auto it = index_of.find(id); it != index_of.end()) order.push_back(it->second);
    }
    for (std::size_t i = 0; i < nodes.size() && i < workflow->nodes.size(); ++i) {
      if (nodes[i].state != NodeRecord::State::Succeeded) order.push_back(i);
    }
    for (const auto i : order) {
      const NodeRecord& rec = nodes[i];
      Object entry;
      switch (rec.state) {
        case NodeRecord::State::Succeeded:
          entry.append_unique("status", Value("succeeded"));
          entry.append_unique("duration_ms", millis(rec.elapsed));
          break;
        case NodeRecord::State::Failed:
          entry.append_unique("status", Value("failed"));
          entry.append_unique("duration_ms", millis(rec.elapsed));
          entry.append_unique("error", Value(rec.error));
          break;
        case NodeRecord::State::Skipped:
          entry.append_unique("status", Value("skipped"));
          break;
        case NodeRecord::State::NotReached:
          entry.append_unique("status", Value("not_run"));
          break;
      }
      per_node.append_unique(workflow->nodes[i].id, Value(std::move(entry)));
    }
  }
  o.append_unique("nodes", Value(std::move(per_node)));
  Array details;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    Object d;
    d.append_unique("code", Value(std::string(run_error_code(status))));
    const bool from_node = i == 0 && failed_node && workflow;
    d.append_unique("node_id", from_node ? Value(workflow->nodes[*failed_node].id) : Value());
    d.append_unique("message", Value(errors[i]));
    details.emplace_back(std::move(d));
  }
  o.append_unique("error_details", Value(std::move(details)));
  return Value(std::move(o));
}

namespace {

constexpr auto kDefaultCacheTtl = std::chrono::minutes(5);

/// Whether a conditional edge with handle `h` is satisfied by result `r`
/// (spec 01 §3.4).
bool handle_satisfied(const Value& r, const std::string& h) {
  const Object* o = r.if_object();
  if (!o) return false;
  if (const Value* p = o->find("path"); p && p->is_string() && p->as_string() == h) return true;
  if (const Value* p = o->find("output_path"); p && p->is_string() && p->as_string() == h) {
    return true;
  }
  if (h == "true" || h == "false") {
    const Value* direct = o->find(h == "true" ? "true_path" : "false_path");
    if (direct && direct->is_bool()) return direct->as_bool();
    const Value* met = o->find("condition_met");
    if (met && met->is_bool()) return h == "true" ? met->as_bool() : !met->as_bool();
  }
  return false;
}

struct CacheEntry {
  Value value;
  Clock::time_point expires;
  std::uint64_t written = 0;
};

/// One run's state. Lives for the duration of run_workflow().
class Run final : public expr::NodeResults {
 public:
  Run(const check::CompiledWorkflow& wf, const RunOptions& opts)
      : wf_(wf), doc_(*wf.workflow), opts_(opts), limits_(opts.limits) {
    results_.resize(doc_.nodes.size());
    records_.resize(doc_.nodes.size());
    node_states_.resize(doc_.nodes.size());
    outcomes_.resize(doc_.nodes.size());
    error_values_.resize(doc_.nodes.size());
    rng_.seed(opts.seed ? *opts.seed : std::random_device{}());
    http_ = opts.http;
    for (const auto& [name, value] : opts.constants) {
      constants_.set(name, value);
      context_.set(name, value);
    }
  }

  RunResult execute();

  /// How one node's execution ended.
  struct Attempt {
    std::optional<Value> result;  ///< set on success
    bool caught = false;          ///< failed, but a guard node continues the run
    RunStatus status = RunStatus::Failed;
    std::string message;  ///< the error as listed in the result
  };
  Value run_once(std::size_t idx, Clock::time_point started, std::optional<Nanos> guard_timeout);
  Attempt run_guarded(std::size_t idx, Clock::time_point started);
  void backoff(std::size_t idx, Nanos delay);
  static Attempt fail(Attempt& a, RunStatus status, std::string message) {
    a.status = status;
    a.message = std::move(message);
    return a;
  }
  static Attempt fail(Attempt& a, RunStatus status, const NodeSpec& node, std::string_view cause) {
    return fail(a, status, fmt::format("error executing node {}: {}", node.id, cause));
  }

  /// The result a source delivers to `target`: its own result, or for a guard
  /// node the error value of a guarded failure. nullptr when none.
  const Value* delivered(std::size_t source, std::size_t target) const {
    if (results_[source]) return &*results_[source];
    if (error_values_[source] && wf_.kinds[target]->guard) return &*error_values_[source];
    return nullptr;
  }

  // expr::NodeResults
  const Value* find(std::string_view id) const override {
    const auto idx = wf_.dag.index_of(id);
    if (!idx || !results_[*idx]) return nullptr;
    return &*results_[*idx];
  }
  Value all() const override { return Value(result_object_); }

  // State used by NodeContext.
  const check::CompiledWorkflow& wf_;
  const Workflow& doc_;
  const RunOptions& opts_;
  const Limits& limits_;
  std::vector<std::optional<Value>> results_;
  std::vector<NodeRecord> records_;
  std::vector<std::shared_ptr<void>> node_states_;
  /// How guarded nodes ran (D10), and the `{"error": ...}` value a guarded
  /// failure delivers to its guard nodes.
  std::vector<std::optional<nodes::GuardOutcome>> outcomes_;
  std::vector<std::optional<Value>> error_values_;
  Object result_object_;  ///< node results in execution order
  Object variables_;
  Object constants_;
  Object context_variables_;
  Object context_;  ///< constants overlaid by context variables
  Value accumulator_;
  double counter_ = 0;
  std::map<std::string, CacheEntry, std::less<>> cache_;
  std::uint64_t cache_writes_ = 0;
  std::uint64_t node_executions_ = 0;
  std::uint64_t http_calls_ = 0;
  std::mt19937_64 rng_;
  std::shared_ptr<http::HttpClient> http_;
  Clock::time_point started_;
  std::optional<Clock::time_point> deadline_;
  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;
  /// The run and the node running now, as observers see them.
  RunInfo info_;
  NodeInfo node_info_;
};

/// Calls an observer method, swallowing its exceptions (01 §7.1).
template <typename F>
void notify(Observer* obs, F&& f) {
  if (!obs) return;
  try {
    f(*obs);
  } catch (...) {
  }
}

/// The RunContext handed to one node execution.
class NodeContext final : public nodes::RunContext {
 public:
  /// `guard_timeout`: the budget a timeout guard gives this execution.
  NodeContext(Run& run, std::size_t index, Clock::time_point started,
              std::optional<Nanos> guard_timeout = std::nullopt)
      : run_(run), index_(index), node_(run.doc_.nodes[index]) {
    const auto budget = run.limits_.max_node_execution_time;
    if (budget.count() > 0) node_deadline_ = started + budget;
    if (guard_timeout) {
      guard_deadline_ = started + std::chrono::duration_cast<Clock::duration>(*guard_timeout);
    }
  }

  const NodeSpec& node() const override { return node_; }
  const Limits& limits() const override { return run_.limits_; }

  expr::Env env(const Value* input) const override {
    expr::Env e;
    e.input = input;
    e.variables = &run_.variables_;
    e.context = &run_.context_;
    e.nodes = &run_;
    return e;
  }

  const Value* variable(std::string_view name) const override { return run_.variables_.find(name); }

  void set_variable(const std::string& name, Value v) override {
    if (auto err = check_value_limits(v, run_.limits_)) {
      throw LimitError("variable validation failed: " + *err);
    }
    const auto max = run_.limits_.max_variables;
    if (max > 0 && !run_.variables_.contains(name) && run_.variables_.size() >= max) {
      throw LimitError(
          fmt::format("maximum variables exceeded: {} (limit: {})", run_.variables_.size(), max));
    }
    run_.variables_.set(name, std::move(v));
  }

  Value& accumulator() override { return run_.accumulator_; }
  double& counter() override { return run_.counter_; }

  const Value* cache_get(const std::string& key) override {
    auto it = run_.cache_.find(key);
    if (it == run_.cache_.end()) return nullptr;
    if (Clock::now() >= it->second.expires) return nullptr;
    return &it->second.value;
  }

  void cache_set(const std::string& key, Value v, std::optional<Nanos> ttl) override {
    auto& cache = run_.cache_;
    const auto max = run_.limits_.max_cache_size;
    if (max > 0 && cache.size() >= max && cache.find(key) == cache.end()) {
      // Drop expired entries first, then the least recently written one.
      const auto now = Clock::now();
      for (auto it = cache.begin(); it != cache.end();) {
        it = it->second.expires <= now ? cache.erase(it) : std::next(it);
      }
      if (cache.size() >= max) {
        auto oldest = cache.begin();
        for (auto it = cache.begin(); it != cache.end(); ++it) {
          if (it->second.written < oldest->second.written) oldest = it;
        }
        cache.erase(oldest);
      }
    }
    auto& entry = cache[key];
    entry.value = std::move(v);
    const auto now = Clock::now();
    const Nanos lifetime = ttl.value_or(kDefaultCacheTtl);
    entry.expires = lifetime.count() > 0 ? now + lifetime : now;
    entry.written = ++run_.cache_writes_;
  }

  bool cache_delete(const std::string& key) override { return run_.cache_.erase(key) > 0; }

  void set_context_variable(const std::string& name, Value v) override {
    if (auto err = check_value_limits(v, run_.limits_)) {
      throw LimitError(fmt::format("context variable validation failed: {}", *err));
    }
    run_.context_variables_.set(name, v);
    run_.context_.set(name, std::move(v));
  }

  void set_context_constant(const std::string& name, Value v) override {
    if (auto err = check_value_limits(v, run_.limits_)) {
      throw LimitError(fmt::format("context constant validation failed: {}", *err));
    }
    run_.constants_.set(name, v);
    // Context variables shadow constants of the same name (01 §4.5).
    if (!run_.context_variables_.contains(name)) run_.context_.set(name, std::move(v));
  }

  const Value* constant_override(std::string_view name) const override {
    return run_.opts_.constants.find(name);
  }

  std::string interpolate(const nodes::TextTemplate& t) override {
    std::vector<const nodes::Placeholder*> missing;
    std::string out = t.render(&run_.constants_, &run_.context_variables_, &missing);
    warn_missing(missing);
    return out;
  }

  Value interpolate(const nodes::ValueTemplate& t) override {
    std::vector<const nodes::Placeholder*> missing;
    Value out = t.render(&run_.constants_, &run_.context_variables_, &missing);
    warn_missing(missing);
    return out;
  }

  /// Validation reports undefined names; at run time a name can still be
  /// missing when its context node has not run yet (orphans run in id
  /// order) or was skipped, and that is never silent.
  void warn_missing(const std::vector<const nodes::Placeholder*>& missing) {
    for (const auto* p : missing) {
      warn(
          fmt::format("{{{{ {}.{} }}}} is left as written: no context {} '{}' is defined when "
                      "this node runs",
                      p->is_const ? "const" : "variable", p->name,
                      p->is_const ? "constant" : "variable", p->name));
    }
  }

  void sleep_for(Nanos d) override {
    check_cancelled();
    if (d.count() <= 0) return;
    auto until = Clock::now() + d;
    for (const auto& limit : {run_.deadline_, node_deadline_, guard_deadline_}) {
      if (limit && *limit < until) until = *limit;
    }
    std::unique_lock<std::mutex> lock(run_.sleep_mu_);
    const auto* cancel = run_.opts_.cancel.get();
    // Wake every 50 ms to notice cancellation from other threads.
    while (Clock::now() < until) {
      if (cancel && cancel->cancelled()) break;
      const auto step =
          std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(50));
      run_.sleep_cv_.wait_for(lock, step);
    }
    lock.unlock();
    check_cancelled();
  }

  void check_cancelled() override {
    if (run_.opts_.cancel && run_.opts_.cancel->cancelled()) {
      throw Interrupted(Interrupted::Reason::Cancelled, "workflow execution cancelled");
    }
    const auto now = Clock::now();
    if (run_.deadline_ && now >= *run_.deadline_) {
      throw Interrupted(Interrupted::Reason::Deadline,
                        fmt::format("workflow execution timeout: exceeded {}",
                                    format_go_duration(run_.limits_.max_execution_time)));
    }
    if (guard_deadline_ && now >= *guard_deadline_) {
      throw Interrupted(Interrupted::Reason::GuardTimeout, "timed out");
    }
    if (node_deadline_ && now >= *node_deadline_) {
      throw Interrupted(Interrupted::Reason::NodeTimeout,
                        fmt::format("node execution timeout: exceeded {}",
                                    format_go_duration(run_.limits_.max_node_execution_time)));
    }
  }

  std::optional<Nanos> time_left() const override {
    std::optional<Clock::time_point> nearest;
    for (const auto& limit : {run_.deadline_, node_deadline_, guard_deadline_}) {
      if (limit && (!nearest || *limit < *nearest)) nearest = limit;
    }
    if (!nearest) return std::nullopt;
    const auto left = *nearest - Clock::now();
    return std::chrono::duration_cast<Nanos>(std::max(left, Clock::duration::zero()));
  }

  http::HttpClient& http_client() override {
    if (!run_.http_) run_.http_ = http::make_curl_client();
    return *run_.http_;
  }
  const http::NetworkPolicy& network_policy() const override { return run_.opts_.network; }
  const http::ClientRegistry* http_clients() const override {
    return run_.opts_.http_clients.get();
  }

  std::uint64_t loop_limit(std::optional<std::int64_t> node_max,
                           std::uint64_t node_default) const override {
    std::uint64_t limit = node_default;
    if (node_max && *node_max > 0) limit = static_cast<std::uint64_t>(*node_max);
    const auto global = run_.limits_.max_loop_iterations;
    if (global > 0 && global < limit) limit = global;
    return limit;
  }

  void before_http_request(OutboundHeaders& headers) override {
    notify(run_.opts_.observer,
           [&](Observer& o) { o.on_http_request(run_.info_, run_.node_info_, headers); });
  }
  void after_http_request(const HttpCall& call) override {
    notify(run_.opts_.observer,
           [&](Observer& o) { o.on_http_call(run_.info_, run_.node_info_, call); });
  }

  void count_http_call() override {
    ++run_.http_calls_;
    const auto max = run_.limits_.max_http_calls;
    if (max > 0 && run_.http_calls_ > max) {
      throw LimitError(fmt::format("maximum HTTP calls per execution exceeded: {} (limit: {})",
                                   run_.http_calls_, max));
    }
  }

  const nodes::GuardOutcome* predecessor_outcome() const override {
    const auto& dag = run_.wf_.dag;
    for (const auto e : dag.incoming(index_)) {
      const auto src = dag.edge_source(e);
      if (!run_.delivered(src, index_)) continue;
      return run_.outcomes_[src] ? &*run_.outcomes_[src] : nullptr;
    }
    return nullptr;
  }

  std::mt19937_64& random() override { return run_.rng_; }
  std::shared_ptr<void>& node_state() override { return run_.node_states_[index_]; }

  /// The first kMaxWarnings warnings of an execution are passed on; the rest
  /// are counted and summarised once it ends (a million failing elements
  /// must not mean a million log lines).
  void warn(std::string_view message) override {
    if (!run_.opts_.warn) return;
    if (++warnings_ <= kMaxWarnings) run_.opts_.warn(node_.id, message);
  }

  ~NodeContext() override {
    if (warnings_ <= kMaxWarnings || !run_.opts_.warn) return;
    try {
      run_.opts_.warn(
          node_.id, fmt::format("{} more warnings like these not shown", warnings_ - kMaxWarnings));
    } catch (...) {
      // A failing log sink must not turn into a failing run.
    }
  }

  NodeContext(const NodeContext&) = delete;
  NodeContext& operator=(const NodeContext&) = delete;

 private:
  static constexpr std::size_t kMaxWarnings = 20;
  std::size_t warnings_ = 0;
  Run& run_;
  std::size_t index_;
  const NodeSpec& node_;
  std::optional<Clock::time_point> node_deadline_;
  std::optional<Clock::time_point> guard_deadline_;
};

/// One execution of a node (no guards): its result, or an exception.
Value Run::run_once(std::size_t idx, Clock::time_point started,
                    std::optional<Nanos> guard_timeout) {
  ++node_executions_;
  if (limits_.max_node_executions > 0 && node_executions_ > limits_.max_node_executions) {
    throw LimitError(fmt::format("maximum node executions exceeded: {} (limit: {})",
                                 node_executions_, limits_.max_node_executions));
  }
  // Inputs: every incoming edge whose source delivers a value, in edge order (01 §3.5).
  const auto& dag = wf_.dag;
  std::vector<Value> inputs;
  inputs.reserve(dag.incoming(idx).size());
  for (const auto e : dag.incoming(idx)) {
    if (const Value* v = delivered(dag.edge_source(e), idx)) {
      if (limits_.max_input_size > 0) {
        const auto size = approximate_json_size(*v, limits_.max_input_size);
        if (size > limits_.max_input_size) {
          throw LimitError(fmt::format("input too large: more than {} bytes (limit: {})",
                                       limits_.max_input_size, limits_.max_input_size));
        }
      }
      inputs.push_back(*v);
    }
  }
  NodeContext ctx(*this, idx, started, guard_timeout);
  Value result = wf_.kinds[idx]->run(*wf_.configs[idx], ctx, inputs);
  if (auto err = check_value_limits(result, limits_)) {
    throw LimitError("node result validation failed: " + *err);
  }
  return result;
}

/// Runs a node under the policies of the guard nodes that follow it (D10):
/// a timeout guard bounds each attempt, a retry guard re-executes failures
/// (and soft-error results) with backoff, and any guard lets the run go on
/// past the failure so that the guard node can report it.
Run::Attempt Run::run_guarded(std::size_t idx, Clock::time_point started) {
  const auto& dag = wf_.dag;
  const NodeSpec& node = doc_.nodes[idx];
  const nodes::GuardPolicy* retry = nullptr;
  std::optional<Nanos> timeout;
  bool guarded = false;
  bool catches = false;
  for (const auto e : dag.outgoing(idx)) {
    const auto t = dag.edge_target(e);
    const nodes::GuardFn guard_fn = wf_.kinds[t]->guard;
    const nodes::GuardPolicy* policy = guard_fn ? guard_fn(*wf_.configs[t]) : nullptr;
    if (!policy) continue;
    guarded = true;
    if (policy->type == nodes::GuardPolicy::Type::Retry && !retry) retry = policy;
    if (policy->type == nodes::GuardPolicy::Type::Catch) catches = true;
    if (policy->type == nodes::GuardPolicy::Type::Timeout &&
        (!timeout || policy->timeout < *timeout)) {
      timeout = policy->timeout;
    }
  }
  const std::uint32_t max_attempts = retry ? std::max<std::uint32_t>(1, retry->max_attempts) : 1;
  nodes::GuardOutcome outcome;
  Attempt attempt;
  for (std::uint32_t k = 1;; ++k) {
    outcome = nodes::GuardOutcome{};
    outcome.attempts = k;
    const auto attempt_start = k == 1 ? started : Clock::now();
    std::string error;
    try {
      Value result = run_once(idx, attempt_start, timeout);
      outcome.elapsed = Clock::now() - attempt_start;
      // A soft-error object counts as a failure for a retry guard.
      const Value* soft = retry ? result.find("error") : nullptr;
      if (soft && k < max_attempts) {
        const std::string text = soft->is_string() ? soft->as_string() : std::string();
        if (retry->retries(text)) {
          backoff(idx, retry->delay_after(k));
          continue;
        }
      }
      if (guarded) outcomes_[idx] = outcome;
      attempt.result = std::move(result);
      return attempt;
    } catch (const Interrupted& e) {
      switch (e.reason()) {
        case Interrupted::Reason::GuardTimeout:
          outcome.timed_out = true;
          outcome.elapsed = Clock::now() - attempt_start;
          error =
              fmt::format("operation timed out after {} (limit: {})",
                          format_go_duration(std::chrono::duration_cast<Nanos>(outcome.elapsed)),
                          format_go_duration(*timeout));
          break;
        case Interrupted::Reason::NodeTimeout:
          if (!retry && !catches) return fail(attempt, RunStatus::TimedOut, node, e.what());
          error = e.what();
          break;
        case Interrupted::Reason::Deadline:
          return fail(attempt, RunStatus::TimedOut, e.what());
        case Interrupted::Reason::Cancelled:
          return fail(attempt, RunStatus::Cancelled, e.what());
      }
    } catch (const LimitError& e) {
      return fail(attempt, RunStatus::LimitExceeded, node, e.what());
    } catch (const std::exception& e) {
      error = e.what();
    }
    outcome.failed = true;
    outcome.error = error;
    if (retry && k < max_attempts && retry->retries(error)) {
      try {
        backoff(idx, retry->delay_after(k));
      } catch (const Interrupted& e) {
        return fail(attempt,
                    e.reason() == Interrupted::Reason::Cancelled ? RunStatus::Cancelled
                                                                 : RunStatus::TimedOut,
                    e.what());
      }
      continue;
    }
    if (retry && !retry->retries(error)) outcome.retry_refused = true;
    // A timeout guard takes over only its own timeouts; retry and try_catch
    // take over every failure.
    if (!retry && !catches && !(outcome.timed_out && timeout)) {
      return fail(attempt, RunStatus::Failed, node, error);
    }
    // The run goes on: the guard nodes see {"error": ...} and the outcome.
    outcomes_[idx] = outcome;
    error_values_[idx] = Value(Object{{"error", Value(error)}});
    attempt.caught = true;
    attempt.message = fmt::format("error executing node {}: {}", node.id, error);
    return attempt;
  }
}

void Run::backoff(std::size_t idx, Nanos delay) {
  NodeContext ctx(*this, idx, Clock::now());
  ctx.sleep_for(delay);
}

RunResult Run::execute() {
  RunResult res;
  res.execution_id = new_execution_id();
  res.workflow_id = doc_.workflow_id;
  started_ = Clock::now();
  if (limits_.max_execution_time.count() > 0) deadline_ = started_ + limits_.max_execution_time;
  info_ = RunInfo{res.execution_id, res.workflow_id, std::chrono::system_clock::now(),
                  opts_.request_id};
  const RunInfo& info = info_;
  Observer* obs = opts_.observer;
  notify(obs, [&](Observer& o) { o.on_workflow_start(info); });

  const auto& dag = wf_.dag;
  for (const auto idx : dag.order()) {
    const NodeSpec& node = doc_.nodes[idx];
    // Nothing starts after the deadline or a cancellation (D9).
    if (opts_.cancel && opts_.cancel->cancelled()) {
      res.status = RunStatus::Cancelled;
      res.errors.push_back("workflow execution cancelled");
      break;
    }
    if (deadline_ && Clock::now() >= *deadline_) {
      res.status = RunStatus::TimedOut;
      res.errors.push_back(fmt::format("workflow execution timeout: exceeded {}",
                                       format_go_duration(limits_.max_execution_time)));
      break;
    }
    // Skip decision (01 §3.3).
    const auto& incoming = dag.incoming(idx);
    bool runs = incoming.empty();
    for (const auto e : incoming) {
      if (runs) break;
      const Value* delivered_value = delivered(dag.edge_source(e), idx);
      if (!delivered_value) continue;
      const auto& handle = doc_.edges[e].handle;
      if (!handle || handle_satisfied(*delivered_value, *handle)) runs = true;
    }
    if (!runs) {
      records_[idx].state = NodeRecord::State::Skipped;
      notify(obs, [&](Observer& o) { o.on_node_skipped(info, node.id); });
      continue;
    }

    const auto node_start = Clock::now();
    node_info_ = NodeInfo{node.id, node.type, std::chrono::system_clock::now()};
    const NodeInfo& ninfo = node_info_;
    notify(obs, [&](Observer& o) { o.on_node_start(info, ninfo); });
    Attempt outcome = run_guarded(idx, node_start);
    const auto elapsed = Clock::now() - node_start;
    if (outcome.result) {
      records_[idx] = {NodeRecord::State::Succeeded, elapsed, {}};
      result_object_.append_unique(node.id, *outcome.result);
      notify(obs, [&](Observer& o) { o.on_node_success(info, ninfo, elapsed, *outcome.result); });
      results_[idx] = std::move(outcome.result);
      continue;
    }
    records_[idx] = {NodeRecord::State::Failed, elapsed, outcome.message};
    notify(obs, [&](Observer& o) { o.on_node_failure(info, ninfo, elapsed, outcome.message); });
    if (outcome.caught) continue;  // a guard node takes over (D10)
    res.status = outcome.status;
    res.failed_node = idx;
    res.errors.push_back(std::move(outcome.message));
    break;
  }

  // A node that overran the deadline without noticing still fails the run.
  if (res.status == RunStatus::Ok && deadline_ && Clock::now() > *deadline_) {
    res.status = RunStatus::TimedOut;
    res.errors.push_back(fmt::format("workflow execution timeout: exceeded {}",
                                     format_go_duration(limits_.max_execution_time)));
  }

  if (res.status == RunStatus::Ok) {
    // Final output (D5): the first executed terminal node in document order,
    // context nodes only when nothing else qualifies.
    auto pick = [&](bool allow_context) -> const Value* {
      for (std::size_t i = 0; i < doc_.nodes.size(); ++i) {
        if (!dag.is_terminal(i) || !results_[i]) continue;
        if (allow_context || !wf_.kinds[i]->context_node) return &*results_[i];
      }
      return nullptr;
    };
    const Value* chosen = pick(false);
    if (!chosen) chosen = pick(true);
    if (chosen) res.final_output = *chosen;
  }
  res.node_results = std::move(result_object_);
  res.nodes = std::move(records_);
  res.elapsed = Clock::now() - started_;
  RunEnd end;
  end.elapsed = res.elapsed;
  end.success = res.ok();
  end.status = run_status_name(res.status);
  end.limit = limit_name(res);
  for (const auto& r : res.nodes) {
    if (r.state == NodeRecord::State::Succeeded || r.state == NodeRecord::State::Failed) {
      ++end.nodes_executed;
    }
  }
  if (res.ok()) end.final_output = &res.final_output;
  if (!res.errors.empty()) end.error = res.errors.front();
  notify(obs, [&](Observer& o) { o.on_workflow_end(info, end); });
  return res;
}

}  // namespace

RunResult run_workflow(const check::CompiledWorkflow& wf, const RunOptions& options) {
  Run run(wf, options);
  RunResult result = run.execute();
  result.workflow = wf.workflow;
  return result;
}

}  // namespace thaiyyal::engine
