#include "thaiyyal/engine/engine.h"

#include <fmt/format.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <random>

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
    rng_.seed(opts.seed ? *opts.seed : std::random_device{}());
    for (const auto& [name, value] : opts.constants) {
      constants_.set(name, value);
      context_.set(name, value);
    }
  }

  RunResult execute();

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
  Clock::time_point started_;
  std::optional<Clock::time_point> deadline_;
  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;
};

/// The RunContext handed to one node execution.
class NodeContext final : public nodes::RunContext {
 public:
  NodeContext(Run& run, std::size_t index, Clock::time_point started)
      : run_(run), index_(index), node_(run.doc_.nodes[index]) {
    deadline_ = run.deadline_;
    const auto budget = run.limits_.max_node_execution_time;
    if (budget.count() > 0) {
      node_deadline_ = started + budget;
      if (!deadline_ || *node_deadline_ < *deadline_) {
        deadline_ = node_deadline_;
      } else {
        node_deadline_.reset();
      }
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

  const Value* variable(std::string_view name) const override {
    return run_.variables_.find(name);
  }

  void set_variable(const std::string& name, Value v) override {
    if (auto err = check_value_limits(v, run_.limits_)) {
      throw LimitError("variable validation failed: " + *err);
    }
    const auto max = run_.limits_.max_variables;
    if (max > 0 && !run_.variables_.contains(name) && run_.variables_.size() >= max) {
      throw LimitError(fmt::format("maximum variables exceeded: {} (limit: {})",
                                   run_.variables_.size(), max));
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

  void cache_set(const std::string& key, Value v, Nanos ttl) override {
    if (ttl.count() <= 0) ttl = kDefaultCacheTtl;
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
    entry.expires = Clock::now() + ttl;
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

  std::string interpolate(const nodes::TextTemplate& t) const override {
    return t.render(&run_.constants_, &run_.context_variables_);
  }

  void sleep_for(Nanos d) override {
    check_cancelled();
    if (d.count() <= 0) return;
    const auto wake = Clock::now() + d;
    const auto until = deadline_ && *deadline_ < wake ? *deadline_ : wake;
    std::unique_lock<std::mutex> lock(run_.sleep_mu_);
    const auto* cancel = run_.opts_.cancel.get();
    // Wake every 50 ms to notice cancellation from other threads.
    while (Clock::now() < until) {
      if (cancel && cancel->cancelled()) break;
      const auto step = std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(50));
      run_.sleep_cv_.wait_for(lock, step);
    }
    lock.unlock();
    check_cancelled();
  }

  void check_cancelled() override {
    if (run_.opts_.cancel && run_.opts_.cancel->cancelled()) {
      throw Interrupted(Interrupted::Reason::Cancelled, "workflow execution cancelled");
    }
    if (deadline_ && Clock::now() >= *deadline_) {
      if (node_deadline_ && *deadline_ == *node_deadline_) {
        throw Interrupted(Interrupted::Reason::NodeTimeout,
                          fmt::format("node execution timeout: exceeded {}",
                                      format_go_duration(run_.limits_.max_node_execution_time)));
      }
      throw Interrupted(Interrupted::Reason::Deadline,
                        fmt::format("workflow execution timeout: exceeded {}",
                                    format_go_duration(run_.limits_.max_execution_time)));
    }
  }

  std::uint64_t loop_limit(std::optional<std::int64_t> node_max,
                           std::uint64_t node_default) const override {
    std::uint64_t limit = node_default;
    if (node_max && *node_max > 0) limit = static_cast<std::uint64_t>(*node_max);
    const auto global = run_.limits_.max_loop_iterations;
    if (global > 0 && global < limit) limit = global;
    return limit;
  }

  void count_http_call() override {
    ++run_.http_calls_;
    const auto max = run_.limits_.max_http_calls;
    if (max > 0 && run_.http_calls_ > max) {
      throw LimitError(fmt::format("maximum HTTP calls per execution exceeded: {} (limit: {})",
                                   run_.http_calls_, max));
    }
  }

  std::mt19937_64& random() override { return run_.rng_; }
  std::shared_ptr<void>& node_state() override { return run_.node_states_[index_]; }

  void warn(std::string_view message) override {
    if (run_.opts_.warn) run_.opts_.warn(node_.id, message);
  }

 private:
  Run& run_;
  std::size_t index_;
  const NodeSpec& node_;
  std::optional<Clock::time_point> deadline_;
  std::optional<Clock::time_point> node_deadline_;
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

RunResult Run::execute() {
  RunResult res;
  res.execution_id = new_execution_id();
  res.workflow_id = doc_.workflow_id;
  started_ = Clock::now();
  if (limits_.max_execution_time.count() > 0) deadline_ = started_ + limits_.max_execution_time;
  const RunInfo info{res.execution_id, res.workflow_id, std::chrono::system_clock::now()};
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
      const auto src = dag.edge_source(e);
      if (!results_[src]) continue;
      const auto& handle = doc_.edges[e].handle;
      if (!handle || handle_satisfied(*results_[src], *handle)) runs = true;
    }
    if (!runs) {
      records_[idx].state = NodeRecord::State::Skipped;
      notify(obs, [&](Observer& o) { o.on_node_skipped(info, node.id); });
      continue;
    }

    const auto node_start = Clock::now();
    const NodeInfo ninfo{node.id, node.type, std::chrono::system_clock::now()};
    notify(obs, [&](Observer& o) { o.on_node_start(info, ninfo); });
    std::string failure;
    RunStatus failure_status = RunStatus::Failed;
    try {
      ++node_executions_;
      if (limits_.max_node_executions > 0 && node_executions_ > limits_.max_node_executions) {
        throw LimitError(fmt::format("maximum node executions exceeded: {} (limit: {})",
                                     node_executions_, limits_.max_node_executions));
      }
      // Inputs: every incoming edge whose source executed, in edge order (01 §3.5).
      std::vector<Value> inputs;
      inputs.reserve(incoming.size());
      for (const auto e : incoming) {
        const auto src = dag.edge_source(e);
        if (results_[src]) inputs.push_back(*results_[src]);
      }
      NodeContext ctx(*this, idx, node_start);
      Value result = wf_.kinds[idx]->run(*wf_.configs[idx], ctx, inputs);
      if (auto err = check_value_limits(result, limits_)) {
        throw LimitError("node result validation failed: " + *err);
      }
      const auto elapsed = Clock::now() - node_start;
      records_[idx] = {NodeRecord::State::Succeeded, elapsed};
      result_object_.append_unique(node.id, result);
      notify(obs, [&](Observer& o) { o.on_node_success(info, ninfo, elapsed, result); });
      results_[idx] = std::move(result);
      continue;
    } catch (const Interrupted& e) {
      switch (e.reason()) {
        case Interrupted::Reason::Deadline:
          failure_status = RunStatus::TimedOut;
          failure = e.what();
          break;
        case Interrupted::Reason::NodeTimeout:
          failure_status = RunStatus::TimedOut;
          failure = fmt::format("error executing node {}: {}", node.id, e.what());
          break;
        case Interrupted::Reason::Cancelled:
          failure_status = RunStatus::Cancelled;
          failure = e.what();
          break;
      }
    } catch (const LimitError& e) {
      failure_status = RunStatus::LimitExceeded;
      failure = fmt::format("error executing node {}: {}", node.id, e.what());
    } catch (const std::exception& e) {
      failure = fmt::format("error executing node {}: {}", node.id, e.what());
    }
    const auto elapsed = Clock::now() - node_start;
    records_[idx] = {NodeRecord::State::Failed, elapsed};
    notify(obs, [&](Observer& o) { o.on_node_failure(info, ninfo, elapsed, failure); });
    res.status = failure_status;
    res.errors.push_back(std::move(failure));
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
  const std::string first_error = res.errors.empty() ? std::string() : res.errors.front();
  notify(obs, [&](Observer& o) {
    o.on_workflow_end(info, res.elapsed, res.ok(), res.final_output, first_error);
  });
  return res;
}

}  // namespace

RunResult run_workflow(const check::CompiledWorkflow& wf, const RunOptions& options) {
  Run run(wf, options);
  return run.execute();
}

}  // namespace thaiyyal::engine
