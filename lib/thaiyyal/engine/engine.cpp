#include "thaiyyal/engine/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>

#include "thaiyyal/engine/value_limits.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/nodes/node_kind.h"
#include "thaiyyal/nodes/run_context.h"
#include "thaiyyal/support/random.h"

namespace thaiyyal::engine {

using Clock = std::chrono::steady_clock;
using nodes::Interrupted;
using nodes::LimitError;

void CancelToken::cancel() { cancelled_.store(true, std::memory_order_relaxed); }

std::string new_execution_id() { return fmt::format("{:016x}", support::random_u64()); }

Value RunResult::to_value() const { return Value(fields_with(Value(node_results))); }

Object RunResult::fields_with(Value results) const {
  Object o;
  o.reserve(5);
  o.append_unique("execution_id", Value(execution_id));
  if (!workflow_id.empty()) o.append_unique("workflow_id", Value(workflow_id));
  o.append_unique("node_results", std::move(results));
  o.append_unique("final_output", final_output);
  if (!errors.empty()) {
    Array errs;
    errs.reserve(errors.size());
    for (const auto& e : errors) errs.emplace_back(e);
    o.append_unique("errors", Value(std::move(errs)));
  }
  return o;
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

Value RunResult::to_document() const { return document_with(Value(node_results)); }

Value RunResult::take_document() {
  Value results(std::move(node_results));
  node_results = Object();
  return document_with(std::move(results));
}

Value RunResult::document_with(Value results) const {
  const Object& executed = results.as_object();
  // The order of the executed nodes, read before `results` moves into the
  // document.
  std::vector<std::size_t> order;
  if (workflow) {
    // Executed nodes first, in execution order (as node_results), then the
    // others in document order.
    std::unordered_map<std::string_view, std::size_t> index_of;
    index_of.reserve(workflow->nodes.size());
    for (const auto& n : workflow->nodes) index_of.emplace(n.id, n.index);
    order.reserve(nodes.size());
    for (const auto& [id, v] : executed) {
      if (auto it = index_of.find(id); it != index_of.end()) order.push_back(it->second);
    }
    for (std::size_t i = 0; i < nodes.size() && i < workflow->nodes.size(); ++i) {
      if (nodes[i].state != NodeRecord::State::Succeeded) order.push_back(i);
    }
  }
  Object o = fields_with(std::move(results));
  auto millis = [](std::chrono::nanoseconds d) {
    return Value(std::chrono::duration<double, std::milli>(d).count());
  };
  o.append_unique("result_version", Value(kResultVersion));
  o.append_unique("status", Value(std::string(run_status_name(status))));
  o.append_unique("duration_ms", millis(elapsed));
  Object per_node;
  per_node.reserve(order.size());
  if (workflow) {
    for (const auto i : order) {
      const NodeRecord& rec = nodes[i];
      Object entry;
      entry.reserve(rec.state == NodeRecord::State::Failed ? 3 : 2);
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

/// How one node's execution ended.
struct Attempt {
  std::optional<Value> result;  ///< set on success
  bool caught = false;          ///< failed, but a guard node continues the run
  RunStatus status = RunStatus::Failed;
  std::string message;  ///< the error as listed in the result
};

/// The guard nodes (D10) after a node, as they apply to its execution.
struct GuardPlan {
  const nodes::GuardPolicy* retry = nullptr;
  std::optional<Nanos> timeout;
  bool guarded = false;
  bool catches = false;
  /// The most executions the node may take (its retry guard's attempts).
  std::uint32_t max_attempts() const {
    return retry ? std::max<std::uint32_t>(1, retry->max_attempts) : 1;
  }
};

/// Sends one request at a time through a client that is not known to allow
/// concurrent send() (the run's shared client, when workers have no clients
/// of their own).
class SerializedClient final : public http::HttpClient {
 public:
  explicit SerializedClient(std::shared_ptr<http::HttpClient> inner) : inner_(std::move(inner)) {}
  http::Response send(const http::Request& request, const http::NetworkPolicy& policy) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (request.should_abort && request.should_abort()) {
      throw http::HttpError("request aborted", false, true);
    }
    return inner_->send(request, policy);
  }

 private:
  std::shared_ptr<http::HttpClient> inner_;
  std::mutex mu_;
};

struct Worker;

/// One execution of a node out of its turn: on a pool worker (Waiting kinds)
/// or on the engine's thread (Pure kinds). What an in-turn execution
/// delivers at once (events, warnings) is kept here and delivered when the
/// node's turn comes.
struct Exec {
  std::size_t idx = 0;
  std::size_t pos = 0;  ///< in the order
  std::vector<Value> inputs;
  Clock::time_point started;
  NodeInfo info;
  /// Set when an earlier node ended the run: the execution stops as if
  /// cancelled, and nothing of it is kept.
  std::atomic<bool> abort{false};
  std::vector<std::string> warnings;
  std::uint64_t executions = 0;  ///< node-execution counter increments
  std::uint64_t http_calls = 0;  ///< HTTP-call counter increments
  Attempt outcome;
  Clock::duration elapsed{};
  Worker* worker = nullptr;  ///< the pool worker running it, if any
};

/// A thread of the run's pool, with the HTTP client of the nodes it runs.
struct Worker {
  std::thread thread;
  std::shared_ptr<http::HttpClient> http;
};

/// One run's state. Lives for the duration of run_workflow().
class Run final : public expr::NodeResults {
 public:
  Run(const check::CompiledWorkflow& wf, const RunOptions& opts)
      : wf_(wf), doc_(*wf.workflow), opts_(opts), limits_(opts.limits) {
    results_.resize(doc_.nodes.size());
    result_object_.reserve(doc_.nodes.size());
    records_.resize(doc_.nodes.size());
    node_states_.resize(doc_.nodes.size());
    outcomes_.resize(doc_.nodes.size());
    error_values_.resize(doc_.nodes.size());
    rng_.seed(opts.seed ? *opts.seed : support::random_u64());
    http_ = opts.http;
    for (const auto& [name, value] : opts.constants) {
      constants_.set(name, value);
      context_.set(name, value);
    }
  }

  ~Run() override { stop_workers(); }
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  RunResult execute();

  GuardPlan guard_plan(std::size_t idx) const;
  Value run_once(std::size_t idx, Clock::time_point started, std::optional<Nanos> guard_timeout,
                 Exec* exec);
  Attempt run_guarded(std::size_t idx, Clock::time_point started, Exec* exec);
  void backoff(std::size_t idx, Nanos delay, Exec* exec);
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
  /// The skip decision (01 §3.3): whether node `idx` runs.
  bool runs(std::size_t idx) const;
  /// Its inputs: every incoming edge whose source delivers a value, in edge
  /// order (01 §3.5).
  std::vector<Value> gather_inputs(std::size_t idx) const;
  /// "Nothing starts after the deadline or a cancellation" (D9): the error
  /// that stops the run before its next node, if any.
  std::optional<std::pair<RunStatus, std::string>> stop_reason() const;

  /// One node at its turn: checks, skip decision, execution, recording.
  /// False when the run ends here.
  bool run_in_turn(std::size_t idx, RunResult& res);
  /// Records a finished execution at its turn, as run_in_turn does. False
  /// when the run ends here.
  bool record(std::size_t idx, Attempt& outcome, Clock::duration elapsed, const NodeInfo& ninfo,
              RunResult& res);
  /// The scheduler of concurrent runs (D7); see the comment at its definition.
  void execute_concurrent(RunResult& res, std::size_t parallelism);

  // The pool.
  void enqueue(Exec& e, std::size_t parallelism);
  void work(Worker& w);
  void perform(Exec& e);
  void stop_workers();
  http::HttpClient& worker_http(Exec& e);
  /// Wakes every sleeping node so that it notices an abort at once.
  void wake_sleepers() {
    std::lock_guard<std::mutex> lock(sleep_mu_);
    sleep_cv_.notify_all();
  }

  /// Calls the observer, one event at a time, swallowing its exceptions
  /// (01 §7.1).
  template <typename F>
  void emit(F&& f) {
    Observer* obs = opts_.observer;
    if (!obs) return;
    std::lock_guard<std::mutex> lock(observer_mu_);
    try {
      f(*obs);
    } catch (...) {
    }
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
  std::atomic<std::uint64_t> node_executions_{0};
  std::atomic<std::uint64_t> http_calls_{0};
  std::mt19937_64 rng_;
  std::shared_ptr<http::HttpClient> http_;
  Clock::time_point started_;
  std::optional<Clock::time_point> deadline_;
  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;
  std::mutex observer_mu_;
  /// The run and the node running at its turn now, as observers see them.
  RunInfo info_;
  NodeInfo node_info_;

  // The pool (concurrent runs only): the queue of executions to start, the
  // finished ones the scheduler has not collected yet.
  std::mutex pool_mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<Exec*> queue_;
  std::vector<Exec*> finished_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::size_t dispatched_ = 0;  ///< executions queued or running on the pool
  bool stopping_ = false;
  /// The client workers share when they have none of their own.
  std::shared_ptr<http::HttpClient> shared_http_;
};

/// The RunContext handed to one node execution.
class NodeContext final : public nodes::RunContext {
 public:
  /// `guard_timeout`: the budget a timeout guard gives this execution.
  /// `exec`: set for an execution out of turn.
  NodeContext(Run& run, std::size_t index, Clock::time_point started,
              std::optional<Nanos> guard_timeout = std::nullopt, Exec* exec = nullptr)
      : run_(run), index_(index), node_(run.doc_.nodes[index]), exec_(exec) {
    const auto budget = run.limits_.max_node_execution_time;
    if (budget.count() > 0) node_deadline_ = started + budget;
    if (guard_timeout) {
      guard_deadline_ = started + std::chrono::duration_cast<Clock::duration>(*guard_timeout);
    }
  }

  const NodeSpec& node() const override { return node_; }
  const Limits& limits() const override { return run_.limits_; }

  expr::Env env(const Value* input) const override {
    in_turn_only("expressions");
    expr::Env e;
    e.input = input;
    e.variables = &run_.variables_;
    e.context = &run_.context_;
    e.nodes = &run_;
    return e;
  }

  const Value* variable(std::string_view name) const override {
    in_turn_only("variables");
    return run_.variables_.find(name);
  }

  void set_variable(const std::string& name, Value v) override {
    in_turn_only("variables");
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

  Value& accumulator() override {
    in_turn_only("the accumulator");
    return run_.accumulator_;
  }
  double& counter() override {
    in_turn_only("the counter");
    return run_.counter_;
  }

  const Value* cache_get(const std::string& key) override {
    in_turn_only("the cache");
    auto it = run_.cache_.find(key);
    if (it == run_.cache_.end()) return nullptr;
    if (Clock::now() >= it->second.expires) return nullptr;
    return &it->second.value;
  }

  void cache_set(const std::string& key, Value v, std::optional<Nanos> ttl) override {
    in_turn_only("the cache");
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

  bool cache_delete(const std::string& key) override {
    in_turn_only("the cache");
    return run_.cache_.erase(key) > 0;
  }

  void set_context_variable(const std::string& name, Value v) override {
    in_turn_only("context values");
    if (auto err = check_value_limits(v, run_.limits_)) {
      throw LimitError(fmt::format("context variable validation failed: {}", *err));
    }
    run_.context_variables_.set(name, v);
    run_.context_.set(name, std::move(v));
  }

  void set_context_constant(const std::string& name, Value v) override {
    in_turn_only("context values");
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

  // Templates read context values, which only nodes at their turn write, and
  // no node runs out of turn while one of those runs.
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
    // Wake every 50 ms to notice cancellation from other threads; an abort
    // wakes every sleeper at once.
    while (Clock::now() < until) {
      if (cancel && cancel->cancelled()) break;
      if (exec_ && exec_->abort.load(std::memory_order_relaxed)) break;
      const auto step =
          std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(50));
      run_.sleep_cv_.wait_for(lock, step);
    }
    lock.unlock();
    check_cancelled();
  }

  void check_cancelled() override {
    if ((run_.opts_.cancel && run_.opts_.cancel->cancelled()) ||
        (exec_ && exec_->abort.load(std::memory_order_relaxed))) {
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
    if (exec_ && exec_->worker) return run_.worker_http(*exec_);
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
    const NodeInfo& ninfo = exec_ ? exec_->info : run_.node_info_;
    run_.emit([&](Observer& o) { o.on_http_request(run_.info_, ninfo, headers); });
  }
  void after_http_request(const HttpCall& call) override {
    const NodeInfo& ninfo = exec_ ? exec_->info : run_.node_info_;
    run_.emit([&](Observer& o) { o.on_http_call(run_.info_, ninfo, call); });
  }

  void count_http_call() override {
    const auto count = run_.http_calls_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (exec_) ++exec_->http_calls;
    const auto max = run_.limits_.max_http_calls;
    if (max > 0 && count > max) {
      throw LimitError(
          fmt::format("maximum HTTP calls per execution exceeded: {} (limit: {})", count, max));
    }
  }

  const nodes::GuardOutcome* predecessor_outcome() const override {
    in_turn_only("a guarded node's outcome");
    const auto& dag = run_.wf_.dag;
    for (const auto e : dag.incoming(index_)) {
      const auto src = dag.edge_source(e);
      if (!run_.delivered(src, index_)) continue;
      return run_.outcomes_[src] ? &*run_.outcomes_[src] : nullptr;
    }
    return nullptr;
  }

  std::mt19937_64& random() override {
    in_turn_only("the random generator");
    return run_.rng_;
  }
  std::shared_ptr<void>& node_state() override { return run_.node_states_[index_]; }

  /// The first kMaxWarnings warnings of an execution are passed on; the rest
  /// are counted and summarised once it ends (a million failing elements
  /// must not mean a million log lines).
  void warn(std::string_view message) override {
    if (!run_.opts_.warn) return;
    if (++warnings_ <= kMaxWarnings) pass_on(message);
  }

  ~NodeContext() override {
    if (warnings_ <= kMaxWarnings || !run_.opts_.warn) return;
    try {
      pass_on(fmt::format("{} more warnings like these not shown", warnings_ - kMaxWarnings));
    } catch (...) {
      // A failing log sink must not turn into a failing run.
    }
  }

  NodeContext(const NodeContext&) = delete;
  NodeContext& operator=(const NodeContext&) = delete;

 private:
  /// Run state belongs to nodes at their turn (nodes::Scheduling): a kind
  /// that leaves its turn and reaches for it is misclassified, and fails
  /// loudly rather than race.
  void in_turn_only(const char* what) const {
    if (exec_) {
      throw std::logic_error(
          fmt::format("{} nodes run out of turn and must not use {}", node_.type, what));
    }
  }
  /// Warnings of an execution out of turn wait for its turn.
  void pass_on(std::string_view message) {
    if (exec_) {
      exec_->warnings.emplace_back(message);
    } else {
      run_.opts_.warn(node_.id, message);
    }
  }

  static constexpr std::size_t kMaxWarnings = 20;
  std::size_t warnings_ = 0;
  Run& run_;
  std::size_t index_;
  const NodeSpec& node_;
  Exec* exec_;
  std::optional<Clock::time_point> node_deadline_;
  std::optional<Clock::time_point> guard_deadline_;
};

bool Run::runs(std::size_t idx) const {
  const auto& dag = wf_.dag;
  const auto& incoming = dag.incoming(idx);
  if (incoming.empty()) return true;
  for (const auto e : incoming) {
    const Value* delivered_value = delivered(dag.edge_source(e), idx);
    if (!delivered_value) continue;
    const auto& handle = doc_.edges[e].handle;
    if (!handle || handle_satisfied(*delivered_value, *handle)) return true;
  }
  return false;
}

std::vector<Value> Run::gather_inputs(std::size_t idx) const {
  const auto& dag = wf_.dag;
  std::vector<Value> inputs;
  inputs.reserve(dag.incoming(idx).size());
  for (const auto e : dag.incoming(idx)) {
    if (const Value* v = delivered(dag.edge_source(e), idx)) inputs.push_back(*v);
  }
  return inputs;
}

std::optional<std::pair<RunStatus, std::string>> Run::stop_reason() const {
  if (opts_.cancel && opts_.cancel->cancelled()) {
    return std::make_pair(RunStatus::Cancelled, std::string("workflow execution cancelled"));
  }
  if (deadline_ && Clock::now() >= *deadline_) {
    return std::make_pair(RunStatus::TimedOut,
                          fmt::format("workflow execution timeout: exceeded {}",
                                      format_go_duration(limits_.max_execution_time)));
  }
  return std::nullopt;
}

GuardPlan Run::guard_plan(std::size_t idx) const {
  GuardPlan plan;
  for (const auto e : wf_.dag.outgoing(idx)) {
    const auto t = wf_.dag.edge_target(e);
    const nodes::GuardFn guard_fn = wf_.kinds[t]->guard;
    const nodes::GuardPolicy* policy = guard_fn ? guard_fn(*wf_.configs[t]) : nullptr;
    if (!policy) continue;
    plan.guarded = true;
    if (policy->type == nodes::GuardPolicy::Type::Retry && !plan.retry) plan.retry = policy;
    if (policy->type == nodes::GuardPolicy::Type::Catch) plan.catches = true;
    if (policy->type == nodes::GuardPolicy::Type::Timeout &&
        (!plan.timeout || policy->timeout < *plan.timeout)) {
      plan.timeout = policy->timeout;
    }
  }
  return plan;
}

/// One execution of a node (no guards): its result, or an exception.
Value Run::run_once(std::size_t idx, Clock::time_point started, std::optional<Nanos> guard_timeout,
                    Exec* exec) {
  const auto count = node_executions_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (exec) ++exec->executions;
  if (limits_.max_node_executions > 0 && count > limits_.max_node_executions) {
    throw LimitError(fmt::format("maximum node executions exceeded: {} (limit: {})", count,
                                 limits_.max_node_executions));
  }
  // An execution out of turn got its inputs when it started (its sources
  // had finished); the others gather them now.
  std::vector<Value> gathered;
  if (!exec) gathered = gather_inputs(idx);
  const std::vector<Value>& inputs = exec ? exec->inputs : gathered;
  if (limits_.max_input_size > 0) {
    for (const Value& v : inputs) {
      const auto size = approximate_json_size(v, limits_.max_input_size);
      if (size > limits_.max_input_size) {
        throw LimitError(fmt::format("input too large: more than {} bytes (limit: {})",
                                     limits_.max_input_size, limits_.max_input_size));
      }
    }
  }
  NodeContext ctx(*this, idx, started, guard_timeout, exec);
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
Attempt Run::run_guarded(std::size_t idx, Clock::time_point started, Exec* exec) {
  const NodeSpec& node = doc_.nodes[idx];
  const GuardPlan plan = guard_plan(idx);
  const nodes::GuardPolicy* retry = plan.retry;
  const std::optional<Nanos> timeout = plan.timeout;
  const bool guarded = plan.guarded;
  const bool catches = plan.catches;
  const std::uint32_t max_attempts = plan.max_attempts();
  nodes::GuardOutcome outcome;
  Attempt attempt;
  for (std::uint32_t k = 1;; ++k) {
    outcome = nodes::GuardOutcome{};
    outcome.attempts = k;
    const auto attempt_start = k == 1 ? started : Clock::now();
    std::string error;
    try {
      Value result = run_once(idx, attempt_start, timeout, exec);
      outcome.elapsed = Clock::now() - attempt_start;
      // A soft-error object counts as a failure for a retry guard.
      const Value* soft = retry ? result.find("error") : nullptr;
      if (soft && k < max_attempts) {
        const std::string text = soft->is_string() ? soft->as_string() : std::string();
        if (retry->retries(text)) {
          backoff(idx, retry->delay_after(k), exec);
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
        backoff(idx, retry->delay_after(k), exec);
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

void Run::backoff(std::size_t idx, Nanos delay, Exec* exec) {
  NodeContext ctx(*this, idx, Clock::now(), std::nullopt, exec);
  ctx.sleep_for(delay);
}

bool Run::record(std::size_t idx, Attempt& outcome, Clock::duration elapsed, const NodeInfo& ninfo,
                 RunResult& res) {
  const NodeSpec& node = doc_.nodes[idx];
  if (outcome.result) {
    records_[idx] = {NodeRecord::State::Succeeded, elapsed, {}};
    result_object_.append_unique(node.id, *outcome.result);
    emit([&](Observer& o) { o.on_node_success(info_, ninfo, elapsed, *outcome.result); });
    results_[idx] = std::move(outcome.result);
    return true;
  }
  records_[idx] = {NodeRecord::State::Failed, elapsed, outcome.message};
  emit([&](Observer& o) { o.on_node_failure(info_, ninfo, elapsed, outcome.message); });
  if (outcome.caught) return true;  // a guard node takes over (D10)
  res.status = outcome.status;
  res.failed_node = idx;
  res.errors.push_back(std::move(outcome.message));
  return false;
}

bool Run::run_in_turn(std::size_t idx, RunResult& res) {
  const NodeSpec& node = doc_.nodes[idx];
  // Nothing starts after the deadline or a cancellation (D9).
  if (auto stop = stop_reason()) {
    res.status = stop->first;
    res.errors.push_back(std::move(stop->second));
    return false;
  }
  if (!runs(idx)) {
    records_[idx].state = NodeRecord::State::Skipped;
    emit([&](Observer& o) { o.on_node_skipped(info_, node.id); });
    return true;
  }
  const auto node_start = Clock::now();
  node_info_ = NodeInfo{node.id, node.type, std::chrono::system_clock::now()};
  emit([&](Observer& o) { o.on_node_start(info_, node_info_); });
  Attempt outcome = run_guarded(idx, node_start, nullptr);
  return record(idx, outcome, Clock::now() - node_start, node_info_, res);
}

void Run::perform(Exec& e) {
  try {
    e.outcome = run_guarded(e.idx, e.started, &e);
  } catch (const std::exception& ex) {
    Attempt a;
    e.outcome = fail(a, RunStatus::Failed, doc_.nodes[e.idx], ex.what());
  } catch (...) {
    Attempt a;
    e.outcome = fail(a, RunStatus::Failed, doc_.nodes[e.idx], "unknown error");
  }
  e.elapsed = Clock::now() - e.started;
}

void Run::enqueue(Exec& e, std::size_t parallelism) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  queue_.push_back(&e);
  ++dispatched_;
  // One worker per execution in flight, at most `parallelism`: a worker that
  // finishes one takes the next from the queue.
  if (workers_.size() < std::min(dispatched_, parallelism)) {
    auto w = std::make_unique<Worker>();
    Worker& ref = *w;
    workers_.push_back(std::move(w));
    ref.thread = std::thread([this, &ref] { work(ref); });
  }
  work_cv_.notify_one();
}

void Run::work(Worker& w) {
  std::unique_lock<std::mutex> lock(pool_mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    Exec* e = queue_.front();
    queue_.pop_front();
    lock.unlock();
    e->worker = &w;
    perform(*e);
    lock.lock();
    finished_.push_back(e);
    done_cv_.notify_one();
  }
}

void Run::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
  workers_.clear();
}

http::HttpClient& Run::worker_http(Exec& e) {
  // Only the worker itself touches its client.
  Worker& w = *e.worker;
  if (!w.http) {
    if (opts_.make_http) {
      w.http = opts_.make_http();
    } else if (shared_http_) {
      w.http = shared_http_;
    }
    if (!w.http) w.http = http::make_curl_client();
  }
  return *w.http;
}

/// The scheduler of a run whose nodes may overlap (D7). It walks the
/// topological order with a commit cursor `head`: everything before `head`
/// has been recorded, in order, exactly as a sequential run records it, and
/// the window [head, scan) holds the nodes that are being decided or run
/// ahead of their turn. A node enters the window only if its kind leaves its
/// turn (nodes::Scheduling Pure or Waiting); an in-turn node stops the window
/// and runs alone, once everything before it is recorded. Within the window:
///  - a node is decided (skip or run, 01 §3.3) and given its inputs once all
///    its sources have finished, so both are those of the sequential run;
///  - it starts only if the node-execution and HTTP-call counters cannot pass
///    their limits before it in any interleaving: the counts recorded so far
///    plus the most every window node up to it may add (its retry guard's
///    attempts; one HTTP call per attempt of a waiting node). Otherwise it
///    waits until it is at `head` with nothing running, where its counts are
///    exactly the sequential ones, so the same node fails with the same text;
///  - a failure (not taken over by a guard) aborts every node after it, which
///    is then never recorded, and nothing after it starts;
///  - nothing starts after the deadline or a cancellation; running nodes see
///    them themselves.
/// Recording a node at its turn delivers its events, its warnings and its
/// result, so node_results, errors and node events come in sequential order.
void Run::execute_concurrent(RunResult& res, std::size_t parallelism) {
  const auto& dag = wf_.dag;
  const auto& order = dag.order();
  const std::size_t n = order.size();
  enum class State : std::uint8_t { Unseen, Blocked, Ready, Running, Done, Skipped };
  struct Slot {
    State state = State::Unseen;
    nodes::Scheduling scheduling = nodes::Scheduling::InTurn;
    std::uint64_t max_executions = 0;  ///< most node executions it may add
    std::uint64_t max_http = 0;        ///< most HTTP calls it may add
    std::unique_ptr<Exec> exec;
  };
  std::vector<Slot> slots(n);
  std::vector<std::size_t> pos_of(doc_.nodes.size());
  for (std::size_t p = 0; p < n; ++p) pos_of[order[p]] = p;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  const std::size_t window_cap = 4 * parallelism + 64;
  std::size_t head = 0;
  std::size_t scan = 0;
  std::size_t running = 0;
  std::size_t failed_at = kNone;  ///< earliest finished failure that ends the run
  std::size_t stop_at = kNone;    ///< where a deadline or cancellation stops the run
  std::pair<RunStatus, std::string> stop;
  std::uint64_t recorded_executions = node_executions_.load();
  std::uint64_t recorded_http = http_calls_.load();
  if (opts_.http && !opts_.make_http) shared_http_ = std::make_shared<SerializedClient>(opts_.http);

  auto abort_after = [&](std::size_t p) {
    for (std::size_t q = p + 1; q < scan; ++q) {
      if (slots[q].exec) slots[q].exec->abort.store(true, std::memory_order_relaxed);
    }
    wake_sleepers();
  };
  auto finished = [&](std::size_t p) {
    Slot& s = slots[p];
    s.state = State::Done;
    Exec& e = *s.exec;
    if (e.outcome.result) {
      results_[e.idx] = *e.outcome.result;  // visible to its successors' decisions
    } else if (!e.outcome.caught && p < failed_at) {
      failed_at = p;
      abort_after(p);
    }
  };
  auto collect = [&](bool wait) {
    std::vector<Exec*> done;
    {
      std::unique_lock<std::mutex> lock(pool_mu_);
      if (wait && finished_.empty()) {
        done_cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return !finished_.empty(); });
      }
      done.swap(finished_);
      dispatched_ -= done.size();
    }
    for (Exec* e : done) {
      --running;
      finished(e->pos);
    }
  };
  auto set_stop = [&](std::size_t p) {
    if (stop_at != kNone && stop_at <= p) return;
    if (auto reason = stop_reason()) {
      stop_at = p;
      stop = std::move(*reason);
    }
  };
  // Everything still running stops and is waited for: nothing outlives the
  // run (D9), and nothing not yet recorded is kept.
  auto drain = [&] {
    for (std::size_t q = head; q < scan; ++q) {
      if (slots[q].exec) slots[q].exec->abort.store(true, std::memory_order_relaxed);
    }
    wake_sleepers();
    while (running > 0) collect(true);
    for (std::size_t q = head; q < scan; ++q) {
      if (slots[q].state != State::Done || !slots[q].exec) continue;
      const auto idx = order[q];
      results_[idx].reset();
      outcomes_[idx].reset();
      error_values_[idx].reset();
    }
  };
  struct Drain {
    std::function<void()> f;
    ~Drain() { f(); }
  } drain_guard{drain};

  for (;;) {
    collect(false);
    // 1. Record, in order, what has finished at the head.
    bool ended = false;
    while (head < scan &&
           (slots[head].state == State::Done || slots[head].state == State::Skipped)) {
      Slot& s = slots[head];
      const auto idx = order[head];
      if (s.state == State::Skipped) {
        // Its turn: a sequential run checks for a stop before every node.
        if (auto reason = stop_reason()) {
          res.status = reason->first;
          res.errors.push_back(std::move(reason->second));
          ended = true;
          break;
        }
        records_[idx].state = NodeRecord::State::Skipped;
        emit([&](Observer& o) { o.on_node_skipped(info_, doc_.nodes[idx].id); });
      } else {
        Exec& e = *s.exec;
        emit([&](Observer& o) { o.on_node_start(info_, e.info); });
        if (opts_.warn) {
          for (const auto& w : e.warnings) opts_.warn(doc_.nodes[idx].id, w);
        }
        recorded_executions += e.executions;
        recorded_http += e.http_calls;
        if (!record(idx, e.outcome, e.elapsed, e.info, res)) {
          ended = true;
          break;
        }
        s.exec.reset();
      }
      ++head;
    }
    if (ended || head == n) return;
    if (head == stop_at) {
      res.status = stop.first;
      res.errors.push_back(stop.second);
      return;
    }
    // 2. An empty window: the head runs at its turn unless it waits (then it
    // goes to the pool, and the window opens behind it).
    if (head == scan) {
      recorded_executions = node_executions_.load();
      recorded_http = http_calls_.load();
      const auto idx = order[head];
      if (nodes::scheduling(*wf_.kinds[idx]) != nodes::Scheduling::Waiting) {
        if (!run_in_turn(idx, res)) return;
        ++head;
        ++scan;
        continue;
      }
    }
    // 3. Open the window further; decide, start or run what can be.
    bool progressed = false;
    std::uint64_t executions = recorded_executions;
    std::uint64_t calls = recorded_http;
    const std::size_t end = std::min(n, head + window_cap);
    for (std::size_t p = head; p < end; ++p) {
      if (p >= failed_at || p >= stop_at) break;
      Slot& s = slots[p];
      const auto idx = order[p];
      if (p == scan) {
        s.scheduling = nodes::scheduling(*wf_.kinds[idx]);
        if (s.scheduling == nodes::Scheduling::InTurn) break;  // it waits for its turn
        const std::uint64_t attempts = guard_plan(idx).max_attempts();
        s.max_executions = attempts;
        s.max_http = s.scheduling == nodes::Scheduling::Waiting ? attempts : 0;
        s.state = State::Blocked;
        ++scan;
        progressed = true;
      }
      if (s.state == State::Blocked) {
        bool ready = true;
        for (const auto e : dag.incoming(idx)) {
          const auto q = pos_of[dag.edge_source(e)];
          if (q >= head && slots[q].state != State::Done && slots[q].state != State::Skipped) {
            ready = false;
            break;
          }
        }
        if (ready) {
          if (runs(idx)) {
            s.state = State::Ready;
          } else {
            s.state = State::Skipped;
            s.max_executions = 0;
            s.max_http = 0;
          }
          progressed = true;
        }
      }
      if (s.state == State::Done) {
        executions += s.exec->executions;
        calls += s.exec->http_calls;
      } else {
        executions += s.max_executions;
        calls += s.max_http;
      }
      if (s.state != State::Ready) continue;
      const bool alone = p == head && running == 0;
      const bool fits =
          (limits_.max_node_executions == 0 || executions <= limits_.max_node_executions) &&
          (limits_.max_http_calls == 0 || calls <= limits_.max_http_calls);
      if (!fits && !alone) break;  // nothing after it fits either
      const bool waits = s.scheduling == nodes::Scheduling::Waiting;
      if (waits && running >= parallelism) continue;
      set_stop(p);
      if (p >= stop_at) break;
      auto e = std::make_unique<Exec>();
      e->idx = idx;
      e->pos = p;
      e->inputs = gather_inputs(idx);
      e->started = Clock::now();
      e->info =
          NodeInfo{doc_.nodes[idx].id, doc_.nodes[idx].type, std::chrono::system_clock::now()};
      s.exec = std::move(e);
      progressed = true;
      if (waits) {
        s.state = State::Running;
        ++running;
        enqueue(*s.exec, parallelism);
      } else {
        perform(*s.exec);
        finished(p);
      }
    }
    if (progressed) continue;
    // 4. Wait for a node to finish; notice a deadline or cancellation.
    if (running == 0) {
      // Nothing runs and nothing can start: only a stop can be pending.
      set_stop(scan);
      if (stop_at == kNone) set_stop(head);
      if (stop_at == kNone) throw std::logic_error("engine scheduler made no progress");
      continue;
    }
    collect(true);
    set_stop(scan);
  }
}

RunResult Run::execute() {
  RunResult res;
  res.execution_id = new_execution_id();
  res.workflow_id = doc_.workflow_id;
  started_ = Clock::now();
  if (limits_.max_execution_time.count() > 0) deadline_ = started_ + limits_.max_execution_time;
  info_ = RunInfo{res.execution_id, res.workflow_id, std::chrono::system_clock::now(),
                  opts_.request_id};
  emit([&](Observer& o) { o.on_workflow_start(info_); });

  const auto& dag = wf_.dag;
  // Nodes overlap only when one of them waits, the pool has room for more
  // than one, and the observer can follow (D7).
  const std::size_t parallelism = effective_parallelism(limits_);
  bool concurrent =
      parallelism > 1 && (!opts_.observer || opts_.observer->accepts_concurrent_nodes());
  if (concurrent) {
    concurrent = false;
    for (const auto* kind : wf_.kinds) {
      if (nodes::scheduling(*kind) == nodes::Scheduling::Waiting) {
        concurrent = true;
        break;
      }
    }
  }
  if (concurrent) {
    execute_concurrent(res, parallelism);
    stop_workers();
  } else {
    for (const auto idx : dag.order()) {
      if (!run_in_turn(idx, res)) break;
    }
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
  emit([&](Observer& o) { o.on_workflow_end(info_, end); });
  return res;
}

}  // namespace

std::size_t effective_parallelism(const Limits& limits) {
  if (limits.parallelism > 0) return static_cast<std::size_t>(limits.parallelism);
  const unsigned cpus = std::thread::hardware_concurrency();
  return 4 * static_cast<std::size_t>(cpus == 0 ? 1 : cpus);
}

RunResult run_workflow(const check::CompiledWorkflow& wf, const RunOptions& options) {
  Run run(wf, options);
  RunResult result = run.execute();
  result.workflow = wf.workflow;
  return result;
}

}  // namespace thaiyyal::engine
