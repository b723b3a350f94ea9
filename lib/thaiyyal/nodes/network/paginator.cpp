#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

/// The reference declares this schema but has no executor (spec 03 §9): the
/// node loads its data and never runs.
struct Config final : NodeConfig {
  std::string strategy;
  std::optional<std::string> offset_param, limit_param, page_param, per_page_param, cursor_param,
      next_cursor_path, link_header, total_count_path, results_path;
  std::optional<std::int64_t> page_size, max_pages;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto strategy = r.string("pagination_strategy", Presence::Required);
  c->offset_param = r.string("offset_param");
  c->limit_param = r.string("limit_param");
  c->page_param = r.string("page_param");
  c->per_page_param = r.string("per_page_param");
  c->cursor_param = r.string("cursor_param");
  c->next_cursor_path = r.string("next_cursor_path");
  c->link_header = r.string("link_header");
  c->total_count_path = r.string("total_count_path");
  c->results_path = r.string("results_path");
  c->page_size = r.integer("page_size");
  c->max_pages = r.integer("max_pages");
  if (!strategy || !r.ok()) return nullptr;
  c->strategy = std::move(*strategy);
  return c;
}

}  // namespace

extern const KindInfo kPaginatorKind{
    "paginator",
    Category::Network,
    "Declared by the reference for paginated HTTP fetching; it loads but cannot be executed.",
    R"({"pagination_strategy": "page", "page_param": "page", "page_size": 50})",
    parse,
    run_not_implemented,
    /*declared_only=*/true,
};

}  // namespace thaiyyal::nodes
