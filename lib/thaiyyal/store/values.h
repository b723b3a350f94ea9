#pragma once
// The stored records as documents: the shape serve's responses and the
// `workflows` / `history` commands print.

#include "thaiyyal/model/value.h"
#include "thaiyyal/store/store.h"

namespace thaiyyal::store {

/// {id, name, description?, version, created_at, updated_at}.
Value to_value(const WorkflowMeta& meta);

/// {id, workflow_id, workflow_version, trigger, status, started_at,
/// finished_at, duration_ms, error?, request_id?, result_truncated, result?};
/// `result` only when `with_result` (null when the row holds none).
Value to_value(const ExecutionRow& row, bool with_result);

}  // namespace thaiyyal::store
