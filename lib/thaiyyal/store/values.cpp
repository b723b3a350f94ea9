#include "thaiyyal/store/values.h"

#include <exception>

#include "thaiyyal/model/value_json.h"

namespace thaiyyal::store {

Value to_value(const WorkflowMeta& meta) {
  Object o;
  o.append_unique("id", Value(meta.id));
  o.append_unique("name", Value(meta.name));
  if (!meta.description.empty()) o.append_unique("description", Value(meta.description));
  o.append_unique("version", Value(meta.version));
  o.append_unique("created_at", Value(meta.created_at));
  o.append_unique("updated_at", Value(meta.updated_at));
  return Value(std::move(o));
}

Value to_value(const ExecutionRow& row, bool with_result) {
  Object o;
  o.append_unique("id", Value(row.id));
  o.append_unique("workflow_id", row.workflow_id.empty() ? Value() : Value(row.workflow_id));
  o.append_unique("workflow_version",
                  row.workflow_version > 0 ? Value(row.workflow_version) : Value());
  o.append_unique("trigger", Value(row.trigger));
  o.append_unique("status", Value(row.status));
  o.append_unique("started_at", Value(row.started_at));
  o.append_unique("finished_at", Value(row.finished_at));
  o.append_unique("duration_ms", Value(static_cast<double>(row.duration_us) / 1000.0));
  if (!row.error.empty()) o.append_unique("error", Value(row.error));
  if (!row.request_id.empty()) o.append_unique("request_id", Value(row.request_id));
  o.append_unique("result_truncated", Value(row.result_truncated));
  if (with_result) {
    Value result;
    if (!row.result.empty()) {
      try {
        result = parse_json(row.result);
      } catch (const std::exception&) {
        // A row another version wrote in a form this one cannot read.
      }
    }
    o.append_unique("result", std::move(result));
  }
  return Value(std::move(o));
}

}  // namespace thaiyyal::store
