// The compiled-workflow cache of serve: LRU order, both bounds, and that a
// repeated execution is answered from it with the same result.
#include "thaiyyal/serve/compiled_cache.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "thaiyyal/check/pipeline.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/serve/handler.h"

using namespace thaiyyal;

namespace {

/// A distinct compiled workflow (one number node).
std::shared_ptr<const check::CompiledWorkflow> compiled() {
  diag::Diagnostics diags;
  auto c = check::load_and_check(
      std::make_shared<diag::SourceFile>(
          "x.json", R"({"nodes":[{"id":"a","type":"number","data":{"value":1}}]})"),
      Limits{}, {}, diags);
  REQUIRE(c != nullptr);
  return c;
}

}  // namespace

TEST_CASE("compiled cache: hits, least recently used eviction, the entry bound") {
  serve::CompiledCache cache(2, 1 << 20);
  const auto a = compiled();
  const auto b = compiled();
  CHECK(cache.find("a") == nullptr);
  cache.insert("a", a);
  cache.insert("b", b);
  CHECK(cache.find("a") == a);  // a is now the newest
  cache.insert("c", compiled());
  CHECK(cache.find("b") == nullptr);  // the oldest went
  CHECK(cache.find("a") == a);
  CHECK(cache.find("c") != nullptr);
  const auto s = cache.stats();
  CHECK(s.entries == 2);
  CHECK(s.hits == 3);
  CHECK(s.misses == 2);
  CHECK(s.bytes == 2);
}

TEST_CASE("compiled cache: the byte bound, texts too large to keep, and off") {
  serve::CompiledCache cache(100, 40);
  cache.insert(std::string(11, 'x'), compiled());  // over a quarter of 40: never kept
  CHECK(cache.stats().entries == 0);
  for (char c = 'a'; c <= 'e'; ++c) cache.insert(std::string(10, c), compiled());
  CHECK(cache.stats().entries == 4);
  CHECK(cache.stats().bytes == 40);
  CHECK(cache.find(std::string(10, 'a')) == nullptr);
  CHECK(cache.find(std::string(10, 'e')) != nullptr);

  serve::CompiledCache off(0, 1 << 20);
  off.insert("a", compiled());
  CHECK(off.find("a") == nullptr);
}

TEST_CASE("a workflow executed again is answered from the cache with the same result") {
  constexpr const char* kSum =
      R"({"nodes":[{"id":"1","data":{"value":10}},{"id":"2","data":{"value":5}},)"
      R"({"id":"3","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},)"
      R"({"source":"2","target":"3"}]})";
  serve::Handler h{serve::HandlerOptions{}};
  const auto run = [&](const std::string& body) {
    return h.handle(serve::Request{"POST", "/api/v1/workflow/execute", {}, body});
  };
  const auto first = run(kSum);
  const auto second = run(kSum);
  REQUIRE(first.status == 200);
  REQUIRE(second.status == 200);
  const Value a = parse_json(first.body);
  const Value b = parse_json(second.body);
  CHECK(to_json(*a.find("results")->find("final_output")) == "15");
  CHECK(to_json(*b.find("results")->find("final_output")) == "15");
  CHECK(to_json(*a.find("results")->find("node_results")) ==
        to_json(*b.find("results")->find("node_results")));
  // Another text is compiled on its own; an invalid one is never kept.
  std::string other = kSum;
  other.replace(other.find("10"), 2, "20");
  CHECK(to_json(*parse_json(run(other).body).find("results")->find("final_output")) == "25");
  CHECK(run(R"({"nodes":[{"id":"x","type":"nope","data":{}}]})").status == 400);
  CHECK(run(R"({"nodes":[{"id":"x","type":"nope","data":{}}]})").status == 400);
}
