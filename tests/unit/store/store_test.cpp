// The storage contract, run against every backend: SQLite in memory, SQLite
// in a file and, when THAIYYAL_TEST_DATABASE_URL names one, PostgreSQL. The
// SQLite-only cases at the end cover files: reopening, migrations, refusals.
#include "thaiyyal/store/store.h"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "thaiyyal/store/history_writer.h"

namespace fs = std::filesystem;
using namespace thaiyyal::store;

namespace {

/// A fresh directory, removed with its contents at the end of the scope.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "thaiyyal-store-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Store>()> open;
};

/// The backends under test; file databases live in `dir`.
std::vector<Backend> backends(const fs::path& dir) {
  std::vector<Backend> list;
  list.push_back({"sqlite-memory", [] { return open_sqlite(":memory:"); }});
  list.push_back({"sqlite-file", [dir] { return open_sqlite((dir / "thaiyyal.db").string()); }});
  if (const char* url = std::getenv("THAIYYAL_TEST_DATABASE_URL"); url != nullptr && *url != '\0') {
    list.push_back({"postgres", [u = std::string(url)] { return open_postgres(u); }});
  }
  return list;
}

/// Empties every table through the Store API (a shared PostgreSQL database
/// keeps the rows of earlier cases).
void clean(Store& s) {
  for (const auto& wf : s.list_workflows()) s.delete_workflow(wf.id);
  for (const auto& c : s.list_clients()) s.delete_client(c.uid);
  // Every RFC 3339 text (and "") sorts before "~".
  s.prune_executions(0, "~");
}

/// Runs `body` once per backend, each in its own subcase on a clean store.
void for_each_backend(const std::function<void(Store&)>& body) {
  TempDir dir;
  for (const auto& b : backends(dir.path)) {
    SUBCASE(b.name.c_str()) {
      auto store = b.open();
      REQUIRE(store != nullptr);
      clean(*store);
      body(*store);
    }
  }
}

StoredWorkflow workflow(const std::string& id, const std::string& created_at) {
  StoredWorkflow wf;
  wf.meta.id = id;
  wf.meta.name = "name of " + id;
  wf.meta.description = "about " + id;
  wf.meta.created_at = created_at;
  wf.meta.updated_at = created_at;
  wf.data = R"({"nodes":[],"id":")" + id + "\"}";
  return wf;
}

ExecutionRow run(const std::string& id, const std::string& workflow_id = "",
                 const std::string& status = "success",
                 const std::string& started_at = "2024-05-01T10:00:00.000Z") {
  ExecutionRow r;
  r.id = id;
  r.workflow_id = workflow_id;
  r.workflow_version = workflow_id.empty() ? 0 : 1;
  r.trigger = workflow_id.empty() ? "inline" : "stored";
  r.status = status;
  r.started_at = started_at;
  r.finished_at = started_at;
  r.duration_us = 1234;
  r.error = status == "success" ? "" : "boom";
  r.result = R"({"ok":true})";
  r.request_id = "req-" + id;
  return r;
}

/// Every row of the history, newest first, read page by page.
std::vector<std::string> all_ids(Store& s, ExecutionFilter f) {
  std::vector<std::string> ids;
  for (int pages = 0; pages < 10000; ++pages) {
    const auto page = s.list_executions(f);
    for (const auto& r : page.rows) ids.push_back(r.id);
    if (page.next_cursor.empty()) break;
    f.cursor = page.next_cursor;
  }
  return ids;
}

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Unavailable& e) {
    return e.what();
  }
  return "(no Unavailable thrown)";
}

/// Runs one statement on the SQLite file `path` outside the store.
void raw_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  const std::string message = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

/// The first column of the first row of `sql` on the SQLite file `path`.
std::string raw_value(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    out = p != nullptr ? p : "";
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("store: workflows are created, read, listed and deleted") {
  for_each_backend([](Store& s) {
    CHECK(s.schema_version() == 1);
    CHECK_NOTHROW(s.ping());
    CHECK(s.count_workflows() == 0);
    CHECK(s.create_workflow(workflow("b", "2024-01-01T00:00:02.000Z"), 0) == SaveOutcome::Saved);
    CHECK(s.create_workflow(workflow("a", "2024-01-01T00:00:02.000Z"), 0) == SaveOutcome::Saved);
    CHECK(s.create_workflow(workflow("c", "2024-01-01T00:00:01.000Z"), 0) == SaveOutcome::Saved);
    CHECK(s.count_workflows() == 3);

    const auto got = s.get_workflow("a");
    REQUIRE(got.has_value());
    CHECK(got->meta.id == "a");
    CHECK(got->meta.name == "name of a");
    CHECK(got->meta.description == "about a");
    CHECK(got->meta.version == 1);
    CHECK(got->meta.created_at == "2024-01-01T00:00:02.000Z");
    CHECK(got->meta.updated_at == "2024-01-01T00:00:02.000Z");
    CHECK(got->data == R"({"nodes":[],"id":"a"})");

    // Oldest first, then by id.
    const auto list = s.list_workflows();
    REQUIRE(list.size() == 3);
    CHECK(list[0].id == "c");
    CHECK(list[1].id == "a");
    CHECK(list[2].id == "b");

    // An existing id is a conflict and leaves the saved one alone.
    auto again = workflow("a", "2024-02-02T00:00:00.000Z");
    again.data = "{}";
    CHECK(s.create_workflow(again, 0) == SaveOutcome::Conflict);
    CHECK(s.get_workflow("a")->data == R"({"nodes":[],"id":"a"})");

    CHECK(s.delete_workflow("a"));
    CHECK_FALSE(s.delete_workflow("a"));
    CHECK_FALSE(s.get_workflow("a").has_value());
    CHECK(s.count_workflows() == 2);
  });
}

TEST_CASE("store: the workflow bound gives Full, and a conflict wins over Full") {
  for_each_backend([](Store& s) {
    CHECK(s.create_workflow(workflow("w1", "2024-01-01T00:00:00.000Z"), 2) == SaveOutcome::Saved);
    CHECK(s.create_workflow(workflow("w2", "2024-01-01T00:00:00.000Z"), 2) == SaveOutcome::Saved);
    CHECK(s.create_workflow(workflow("w3", "2024-01-01T00:00:00.000Z"), 2) == SaveOutcome::Full);
    CHECK(s.create_workflow(workflow("w1", "2024-01-01T00:00:00.000Z"), 2) ==
          SaveOutcome::Conflict);
    CHECK_FALSE(s.get_workflow("w3").has_value());
    CHECK(s.count_workflows() == 2);
    CHECK(s.create_workflow(workflow("w3", "2024-01-01T00:00:00.000Z"), 3) == SaveOutcome::Saved);
    CHECK(s.create_workflow(workflow("w4", "2024-01-01T00:00:00.000Z"), 0) == SaveOutcome::Saved);
  });
}

TEST_CASE("store: updates save versions 1..n") {
  for_each_backend([](Store& s) {
    REQUIRE(s.create_workflow(workflow("w", "2024-01-01T00:00:00.000Z"), 0) == SaveOutcome::Saved);
    for (int v = 2; v <= 5; ++v) {
      const std::string now = "2024-01-01T00:00:0" + std::to_string(v) + ".000Z";
      const auto meta =
          s.update_workflow("w", "name " + std::to_string(v), "desc " + std::to_string(v),
                            "{\"v\":" + std::to_string(v) + "}", now);
      REQUIRE(meta.has_value());
      CHECK(meta->id == "w");
      CHECK(meta->version == v);
      CHECK(meta->name == "name " + std::to_string(v));
      CHECK(meta->created_at == "2024-01-01T00:00:00.000Z");
      CHECK(meta->updated_at == now);
    }
    const auto latest = s.get_workflow("w");
    REQUIRE(latest.has_value());
    CHECK(latest->meta.version == 5);
    CHECK(latest->meta.name == "name 5");
    CHECK(latest->meta.description == "desc 5");
    CHECK(latest->meta.updated_at == "2024-01-01T00:00:05.000Z");
    CHECK(latest->data == "{\"v\":5}");
    CHECK(s.list_workflows().at(0).version == 5);

    const auto versions = s.list_versions("w");
    REQUIRE(versions.has_value());
    REQUIRE(versions->size() == 5);
    for (std::size_t i = 0; i < versions->size(); ++i) {
      CHECK((*versions)[i].version == static_cast<std::int64_t>(i + 1));
    }
    CHECK((*versions)[0].name == "name of w");
    CHECK((*versions)[0].created_at == "2024-01-01T00:00:00.000Z");
    CHECK((*versions)[2].name == "name 3");
    CHECK((*versions)[2].description == "desc 3");
    CHECK((*versions)[2].created_at == "2024-01-01T00:00:03.000Z");

    const auto v1 = s.get_version("w", 1);
    REQUIRE(v1.has_value());
    CHECK(v1->workflow_id == "w");
    CHECK(v1->meta.version == 1);
    CHECK(v1->data == R"({"nodes":[],"id":"w"})");
    const auto v4 = s.get_version("w", 4);
    REQUIRE(v4.has_value());
    CHECK(v4->data == "{\"v\":4}");
    CHECK(v4->meta.name == "name 4");
    CHECK_FALSE(s.get_version("w", 6).has_value());
    CHECK_FALSE(s.get_version("w", 0).has_value());
  });
}

TEST_CASE("store: unknown workflow ids, and deleting removes the versions") {
  for_each_backend([](Store& s) {
    CHECK_FALSE(s.get_workflow("nope").has_value());
    CHECK_FALSE(s.update_workflow("nope", "n", "d", "{}", "2024-01-01T00:00:00.000Z").has_value());
    CHECK_FALSE(s.list_versions("nope").has_value());
    CHECK_FALSE(s.get_version("nope", 1).has_value());
    CHECK_FALSE(s.delete_workflow("nope"));
    CHECK(s.count_workflows() == 0);

    REQUIRE(s.create_workflow(workflow("w", "2024-01-01T00:00:00.000Z"), 0) == SaveOutcome::Saved);
    REQUIRE(s.update_workflow("w", "n", "d", "{}", "2024-01-01T00:00:01.000Z").has_value());
    REQUIRE(s.list_versions("w")->size() == 2);
    // History rows of the workflow stay when it is deleted.
    s.record_execution(run("r1", "w"));
    CHECK(s.delete_workflow("w"));
    CHECK_FALSE(s.list_versions("w").has_value());
    CHECK_FALSE(s.get_version("w", 1).has_value());
    CHECK_FALSE(s.get_version("w", 2).has_value());
    CHECK(s.get_execution("r1").has_value());

    // The id can be used again and starts at version 1.
    REQUIRE(s.create_workflow(workflow("w", "2024-01-02T00:00:00.000Z"), 0) == SaveOutcome::Saved);
    CHECK(s.get_workflow("w")->meta.version == 1);
    CHECK(s.list_versions("w")->size() == 1);
  });
}

TEST_CASE("store: HTTP clients") {
  for_each_backend([](Store& s) {
    CHECK(s.list_clients().empty());
    CHECK(s.add_client({"zeta", R"({"base_url":"http://z"})", "2024-01-01T00:00:00.000Z"}, 2) ==
          SaveOutcome::Saved);
    CHECK(s.add_client({"alpha", R"({"base_url":"http://a"})", "2024-01-01T00:00:01.000Z"}, 2) ==
          SaveOutcome::Saved);
    CHECK(s.add_client({"alpha", "{}", "2024-01-01T00:00:02.000Z"}, 0) == SaveOutcome::Conflict);
    CHECK(s.add_client({"mid", "{}", "2024-01-01T00:00:02.000Z"}, 2) == SaveOutcome::Full);

    const auto list = s.list_clients();
    REQUIRE(list.size() == 2);
    CHECK(list[0].uid == "alpha");
    CHECK(list[1].uid == "zeta");

    const auto a = s.get_client("alpha");
    REQUIRE(a.has_value());
    CHECK(a->config == R"({"base_url":"http://a"})");
    CHECK(a->created_at == "2024-01-01T00:00:01.000Z");
    CHECK_FALSE(s.get_client("mid").has_value());

    CHECK(s.delete_client("alpha"));
    CHECK_FALSE(s.delete_client("alpha"));
    CHECK_FALSE(s.get_client("alpha").has_value());
    CHECK(s.add_client({"mid", "{}", "2024-01-01T00:00:03.000Z"}, 2) == SaveOutcome::Saved);
    CHECK(s.list_clients().size() == 2);
    CHECK(s.count_clients() == 2);
  });
}

TEST_CASE("store: recording a run is idempotent and keeps every field") {
  for_each_backend([](Store& s) {
    ExecutionRow r = run("e1", "wf", "failed", "2024-05-01T10:00:00.123Z");
    r.workflow_version = 7;
    r.finished_at = "2024-05-01T10:00:01.456Z";
    r.duration_us = 1333000;
    r.error = "node x: it broke";
    r.result = "";
    r.result_truncated = true;
    r.request_id = "rq-9";
    s.record_execution(r);

    ExecutionRow changed = r;
    changed.status = "success";
    changed.error = "";
    s.record_execution(changed);

    const auto got = s.get_execution("e1");
    REQUIRE(got.has_value());
    CHECK(got->id == "e1");
    CHECK(got->workflow_id == "wf");
    CHECK(got->workflow_version == 7);
    CHECK(got->trigger == "stored");
    CHECK(got->status == "failed");
    CHECK(got->started_at == "2024-05-01T10:00:00.123Z");
    CHECK(got->finished_at == "2024-05-01T10:00:01.456Z");
    CHECK(got->duration_us == 1333000);
    CHECK(got->error == "node x: it broke");
    CHECK(got->result == "");
    CHECK(got->result_truncated);
    CHECK(got->request_id == "rq-9");
    CHECK(s.list_executions({}).rows.size() == 1);
    CHECK_FALSE(s.get_execution("e2").has_value());

    s.record_execution(run("e2"));
    const auto inline_run = s.get_execution("e2");
    REQUIRE(inline_run.has_value());
    CHECK(inline_run->workflow_id == "");
    CHECK(inline_run->workflow_version == 0);
    CHECK(inline_run->trigger == "inline");
    CHECK(inline_run->result == R"({"ok":true})");
    CHECK_FALSE(inline_run->result_truncated);
  });
}

TEST_CASE("store: the history is listed newest first with filters") {
  for_each_backend([](Store& s) {
    s.record_execution(run("r1", "a", "success"));
    s.record_execution(run("r2", "b", "failed"));
    s.record_execution(run("r3", "a", "failed"));
    s.record_execution(run("r4", "", "timeout"));
    s.record_execution(run("r5", "a", "success"));

    const auto ids = [&](const std::string& wf, const std::string& status) {
      ExecutionFilter f;
      f.workflow_id = wf;
      f.status = status;
      return all_ids(s, f);
    };
    CHECK(ids("", "") == std::vector<std::string>{"r5", "r4", "r3", "r2", "r1"});
    CHECK(ids("a", "") == std::vector<std::string>{"r5", "r3", "r1"});
    CHECK(ids("", "failed") == std::vector<std::string>{"r3", "r2"});
    CHECK(ids("a", "failed") == std::vector<std::string>{"r3"});
    CHECK(ids("a", "timeout").empty());
    CHECK(ids("zzz", "").empty());

    // A limit of 0 is read as 1.
    ExecutionFilter one;
    one.limit = 0;
    const auto page = s.list_executions(one);
    REQUIRE(page.rows.size() == 1);
    CHECK(page.rows[0].id == "r5");
    CHECK_FALSE(page.next_cursor.empty());
  });
}

TEST_CASE("store: paging loses and repeats no row") {
  for_each_backend([](Store& s) {
    std::vector<std::string> expected;
    for (int i = 0; i < 25; ++i) {
      const std::string id = "p" + std::to_string(i);
      s.record_execution(run(id, i % 2 == 0 ? "even" : "odd"));
      expected.insert(expected.begin(), id);
    }
    ExecutionFilter f;
    f.limit = 10;
    const auto p1 = s.list_executions(f);
    REQUIRE(p1.rows.size() == 10);
    REQUIRE_FALSE(p1.next_cursor.empty());
    f.cursor = p1.next_cursor;
    const auto p2 = s.list_executions(f);
    REQUIRE(p2.rows.size() == 10);
    REQUIRE_FALSE(p2.next_cursor.empty());
    f.cursor = p2.next_cursor;
    const auto p3 = s.list_executions(f);
    REQUIRE(p3.rows.size() == 5);
    CHECK(p3.next_cursor.empty());

    std::vector<std::string> seen;
    for (const auto* p : {&p1, &p2, &p3}) {
      for (const auto& r : p->rows) seen.push_back(r.id);
    }
    CHECK(seen == expected);

    // Rows recorded while paging do not shift the pages already handed out.
    s.record_execution(run("late"));
    f.cursor = p1.next_cursor;
    const auto p2_again = s.list_executions(f);
    REQUIRE(p2_again.rows.size() == 10);
    CHECK(p2_again.rows.front().id == p2.rows.front().id);

    // A page that ends exactly at the last row says so.
    ExecutionFilter odd;
    odd.workflow_id = "odd";
    odd.limit = 4;
    const auto o1 = s.list_executions(odd);
    REQUIRE(o1.rows.size() == 4);
    odd.cursor = o1.next_cursor;
    const auto o2 = s.list_executions(odd);
    REQUIRE(o2.rows.size() == 4);
    odd.cursor = o2.next_cursor;
    const auto o3 = s.list_executions(odd);
    REQUIRE(o3.rows.size() == 4);
    CHECK(o3.next_cursor.empty());
    CHECK(o3.rows.back().id == "p1");
  });
}

TEST_CASE("store: a malformed cursor is refused") {
  for_each_backend([](Store& s) {
    s.record_execution(run("r1"));
    for (const char* cursor :
         {"abc", "-1", "0", "12x", " 5", "+5", "1.5", "99999999999999999999999"}) {
      CAPTURE(cursor);
      ExecutionFilter f;
      f.cursor = cursor;
      try {
        s.list_executions(f);
        FAIL("accepted the cursor");
      } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) == "invalid cursor");
      }
    }
  });
}

TEST_CASE("store: pruning by count and by age") {
  for_each_backend([](Store& s) {
    for (int i = 0; i < 10; ++i) {
      s.record_execution(run("r" + std::to_string(i), "", "success",
                             "2024-01-01T00:00:0" + std::to_string(i) + ".000Z"));
    }
    CHECK(s.prune_executions(0, "") == 0);
    CHECK(s.prune_executions(20, "") == 0);
    CHECK(s.prune_executions(7, "") == 3);
    CHECK(all_ids(s, {}) == std::vector<std::string>{"r9", "r8", "r7", "r6", "r5", "r4", "r3"});
    CHECK(s.prune_executions(0, "2024-01-01T00:00:05.000Z") == 2);
    CHECK(all_ids(s, {}) == std::vector<std::string>{"r9", "r8", "r7", "r6", "r5"});
    // Both at once: r5 is too old, and of the rest only the newest 2 stay.
    CHECK(s.prune_executions(2, "2024-01-01T00:00:06.000Z") == 3);
    CHECK(all_ids(s, {}) == std::vector<std::string>{"r9", "r8"});
    CHECK(s.prune_executions(1, "") == 1);
    CHECK(all_ids(s, {}) == std::vector<std::string>{"r9"});
  });
}

TEST_CASE("store: 8 threads record 1600 runs concurrently") {
  for_each_backend([](Store& s) {
    REQUIRE(s.create_workflow(workflow("w", "2024-01-01T00:00:00.000Z"), 0) == SaveOutcome::Saved);
    std::atomic<int> errors{0};
    std::atomic<int> missing{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          try {
            const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
            s.record_execution(run(id, t % 2 == 0 ? "w" : ""));
            if (!s.get_execution(id).has_value()) ++missing;
            if (i % 50 == 0) {
              s.list_executions({});
              if (!s.get_workflow("w").has_value()) ++missing;
            }
          } catch (const std::exception&) {
            ++errors;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    CHECK(errors.load() == 0);
    CHECK(missing.load() == 0);

    ExecutionFilter f;
    f.limit = 5000;  // read as 1000
    const auto first = s.list_executions(f);
    CHECK(first.rows.size() == 1000);
    CHECK_FALSE(first.next_cursor.empty());
    const auto ids = all_ids(s, f);
    CHECK(ids.size() == 1600);
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 1600);
    ExecutionFilter by_wf;
    by_wf.workflow_id = "w";
    by_wf.limit = 1000;
    CHECK(all_ids(s, by_wf).size() == 800);
  });
}

TEST_CASE("store: a batch of runs is recorded in one call, duplicates left as they are") {
  for_each_backend([](Store& s) {
    s.record_execution(run("b1", "", "failed"));
    std::vector<ExecutionRow> batch;
    for (int i = 0; i < 1200; ++i) batch.push_back(run("b" + std::to_string(i)));
    batch.push_back(run("b7", "", "failed"));  // twice in one batch: the first one stays
    s.record_executions(batch);
    s.record_executions({});
    CHECK(all_ids(s, {}).size() == 1200);
    const auto kept = s.get_execution("b1");
    REQUIRE(kept.has_value());
    CHECK(kept->status == "failed");  // the first recording of b1 stays
    CHECK(s.get_execution("b7")->status == "success");
  });
}

TEST_CASE("history writer: every submitted run is written, in batches, and flush waits for them") {
  for_each_backend([](Store& st) {
    // The writer shares the store; this one is owned by the subcase.
    std::shared_ptr<Store> s(&st, [](Store*) {});
    std::atomic<std::size_t> batches{0};
    std::atomic<std::size_t> written{0};
    std::atomic<std::size_t> dropped{0};
    HistoryWriterOptions options;
    options.max_batch = 64;
    options.on_rows = [&](std::size_t w, std::size_t failed, std::size_t d) {
      CHECK(failed == 0);
      CHECK(w <= 64);
      written += w;
      dropped += d;
      if (w > 0) ++batches;
    };
    HistoryWriter writer(s, options);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 250; ++i) {
          writer.submit(run("h" + std::to_string(t) + "-" + std::to_string(i)));
        }
      });
    }
    for (auto& th : threads) th.join();
    REQUIRE(writer.flush(std::chrono::seconds(30)));
    CHECK(all_ids(st, {}).size() == 1000);
    CHECK(written.load() == 1000);  // before the record() calls below
    CHECK(batches.load() >= 1000 / 64);
    const auto stats = writer.stats();
    CHECK(stats.written == 1000);
    CHECK(stats.failed == 0);
    CHECK(stats.dropped == 0);
    CHECK(stats.queued == 0);

    // record() returns once its row is written.
    for (int i = 0; i < 20; ++i) {
      const std::string id = "r" + std::to_string(i);
      writer.record(run(id));
      CHECK(st.get_execution(id).has_value());
    }
    CHECK(all_ids(st, {}).size() == 1020);

    // close() writes what is still queued; later runs are dropped.
    for (int i = 0; i < 100; ++i) writer.submit(run("c" + std::to_string(i)));
    writer.close();
    CHECK(all_ids(st, {}).size() == 1120);
    writer.submit(run("late"));
    CHECK(writer.stats().dropped == 1);
    CHECK(dropped.load() == 1);
    CHECK_FALSE(st.get_execution("late").has_value());
  });
}

TEST_CASE(
    "history writer: a storage failure loses the batch (counted, logged); a full queue "
    "drops") {
  TempDir dir;
  const std::string path = (dir.path / "thaiyyal.db").string();
  OpenOptions open_options;
  open_options.busy_timeout = std::chrono::milliseconds(300);
  std::shared_ptr<Store> s = open_sqlite(path, open_options);
  std::vector<std::string> log;
  std::mutex log_mu;
  HistoryWriterOptions options;
  options.max_queue = 1;
  options.log_error = [&](std::string_view line) {
    std::lock_guard lock(log_mu);
    log.emplace_back(line);
  };
  HistoryWriter writer(s, options);

  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  writer.submit(run("x1"));
  // Once the writer holds x1 (waiting on the lock), x2 fills the queue and
  // x3 finds it full.
  for (int i = 0; i < 2000 && writer.stats().queued != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  writer.submit(run("x2"));
  writer.submit(run("x3"));
  REQUIRE(writer.flush(std::chrono::seconds(10)));
  REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(other);

  auto stats = writer.stats();
  CHECK(stats.failed == 2);
  CHECK(stats.dropped == 1);
  CHECK(stats.written == 0);
  {
    std::lock_guard lock(log_mu);
    REQUIRE(log.size() == 3);
    CHECK(log[0] ==
          "history: the write queue is full (1 rows); execution x3 and later ones are not "
          "recorded until the store catches up");
    CHECK(log[1] == "history: execution x1 not recorded: database " + path + " is locked");
    CHECK(log[2] == "history: execution x2 not recorded: database " + path + " is locked");
  }

  // The store is back: new runs are written again.
  writer.submit(run("x4"));
  REQUIRE(writer.flush(std::chrono::seconds(10)));
  stats = writer.stats();
  CHECK(stats.written == 1);
  CHECK(s->get_execution("x4").has_value());
  CHECK_FALSE(s->get_execution("x1").has_value());
}

TEST_CASE("store: backend names and locations") {
  TempDir dir;
  const auto memory = open_sqlite(":memory:");
  CHECK(memory->backend() == "sqlite");
  CHECK(memory->location() == ":memory:");
  const std::string path = (dir.path / "thaiyyal.db").string();
  const auto file = open_sqlite(path);
  CHECK(file->backend() == "sqlite");
  CHECK(file->location() == path);
  if (const char* url = std::getenv("THAIYYAL_TEST_DATABASE_URL"); url != nullptr && *url != '\0') {
    const auto pg = open_postgres(url);
    CHECK(pg->backend() == "postgres");
    CHECK(pg->location() == redact_url(url));
  }
}

TEST_CASE("sqlite: a file database is created in WAL mode and keeps its data") {
  TempDir dir;
  const std::string path = (dir.path / "deep" / "er" / "thaiyyal.db").string();
  std::string applied_at;
  {
    const auto s = open_sqlite(path);
    REQUIRE(s->create_workflow(workflow("kept", "2024-01-01T00:00:00.000Z"), 0) ==
            SaveOutcome::Saved);
    REQUIRE(s->update_workflow("kept", "n2", "d2", "{\"v\":2}", "2024-01-01T00:00:01.000Z"));
    REQUIRE(s->add_client({"c", "{}", "2024-01-01T00:00:00.000Z"}, 0) == SaveOutcome::Saved);
    s->record_execution(run("r1", "kept"));
    applied_at = raw_value(path, "SELECT applied_at FROM thaiyyal_schema WHERE version = 1");
  }
  // The directories were created for the owner only.
  struct stat st {};
  REQUIRE(::stat((dir.path / "deep").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat((dir.path / "deep" / "er").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(raw_value(path, "PRAGMA journal_mode") == "wal");
  CHECK(applied_at.size() == 24);  // 2024-01-01T00:00:00.000Z

  const auto s = open_sqlite(path);
  CHECK(s->schema_version() == 1);
  CHECK(raw_value(path, "SELECT COUNT(*) FROM thaiyyal_schema") == "1");
  CHECK(raw_value(path, "SELECT applied_at FROM thaiyyal_schema WHERE version = 1") == applied_at);
  const auto wf = s->get_workflow("kept");
  REQUIRE(wf.has_value());
  CHECK(wf->meta.version == 2);
  CHECK(wf->data == "{\"v\":2}");
  CHECK(s->list_versions("kept")->size() == 2);
  CHECK(s->get_client("c").has_value());
  CHECK(s->get_execution("r1").has_value());
}

TEST_CASE("sqlite: two stores on one file (as two processes) share it") {
  TempDir dir;
  const std::string path = (dir.path / "thaiyyal.db").string();
  const auto a = open_sqlite(path);
  const auto b = open_sqlite(path);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Store& s = t % 2 == 0 ? *a : *b;
      for (int i = 0; i < 100; ++i) {
        try {
          s.record_execution(run("x" + std::to_string(t) + "-" + std::to_string(i)));
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(errors.load() == 0);
  CHECK(all_ids(*a, {}).size() == 400);
  CHECK(all_ids(*b, {}).size() == 400);
  REQUIRE(a->create_workflow(workflow("w", "2024-01-01T00:00:00.000Z"), 0) == SaveOutcome::Saved);
  CHECK(b->get_workflow("w").has_value());
  CHECK(b->create_workflow(workflow("w", "2024-01-01T00:00:00.000Z"), 0) == SaveOutcome::Conflict);
}

TEST_CASE("sqlite: a database from a newer thaiyyal is refused") {
  TempDir dir;
  const std::string path = (dir.path / "thaiyyal.db").string();
  open_sqlite(path).reset();
  raw_sql(path, "INSERT INTO thaiyyal_schema (version, applied_at) VALUES (5, 'later')");
  CHECK(message_of([&] { open_sqlite(path); }) ==
        "the database " + path + " has schema version 5; this thaiyyal knows up to 1");
}

TEST_CASE("sqlite: a file that is not a database is refused") {
  TempDir dir;
  const std::string path = (dir.path / "thaiyyal.db").string();
  {
    std::ofstream out(path);
    for (int i = 0; i < 100; ++i) out << "this is not a database, only some text\n";
  }
  CHECK(message_of([&] { open_sqlite(path); }) == "database " + path + ": file is not a database");
}

TEST_CASE("sqlite: a place where no database can be created is refused") {
  TempDir dir;
  const fs::path file = dir.path / "plain-file";
  { std::ofstream(file) << "x"; }

  // The parent "directory" is a regular file.
  const std::string in_file = (file / "thaiyyal.db").string();
  CHECK(message_of([&] { open_sqlite(in_file); }) ==
        "database " + in_file + ": unable to open database file");
  // A directory to create under a regular file.
  const std::string under_file = (file / "sub" / "thaiyyal.db").string();
  CHECK(message_of([&] { open_sqlite(under_file); }) ==
        "cannot create the directory " + (file / "sub").string() + ": Not a directory");

  if (::geteuid() == 0) {
    // root may write anywhere on a writable file system; /proc is not one.
    const std::string in_proc = "/proc/thaiyyal-store-test/thaiyyal.db";
    const std::string message = message_of([&] { open_sqlite(in_proc); });
    CHECK(message.rfind("cannot create the directory /proc/thaiyyal-store-test: ", 0) == 0);
  } else {
    const fs::path ro = dir.path / "read-only";
    fs::create_directory(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    const std::string in_ro = (ro / "thaiyyal.db").string();
    CHECK(message_of([&] { open_sqlite(in_ro); }) ==
          "database " + in_ro + ": unable to open database file");
    const std::string under_ro = (ro / "sub" / "thaiyyal.db").string();
    CHECK(message_of([&] { open_sqlite(under_ro); }) ==
          "cannot create the directory " + (ro / "sub").string() + ": Permission denied");
  }
}

TEST_CASE("sqlite: a write lock held elsewhere gives Unavailable, then the store recovers") {
  TempDir dir;
  const std::string path = (dir.path / "thaiyyal.db").string();
  OpenOptions options;
  options.busy_timeout = std::chrono::milliseconds(50);
  const auto s = open_sqlite(path, options);

  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  CHECK(message_of([&] { s->create_workflow(workflow("w", "2024-01-01T00:00:00.000Z"), 0); }) ==
        "database " + path + " is locked");
  CHECK(message_of([&] { s->record_execution(run("r")); }) == "database " + path + " is locked");
  // Readers are not blocked by a writer.
  CHECK(s->count_workflows() == 0);
  REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(other);

  CHECK(s->create_workflow(workflow("w", "2024-01-01T00:00:00.000Z"), 0) == SaveOutcome::Saved);
  CHECK(s->count_workflows() == 1);
}

TEST_CASE("sqlite: an empty path is refused") {
  CHECK(message_of([] { open_sqlite(""); }) == "no SQLite database path given");
}

TEST_CASE("redact_url hides passwords") {
  CHECK(redact_url("postgres://app:s3cret@db:5432/thaiyyal") ==
        "postgres://app:***@db:5432/thaiyyal");
  CHECK(redact_url("postgresql://app:s3cret@db") == "postgresql://app:***@db");
  CHECK(redact_url("postgres://app:p%40ss@db/x") == "postgres://app:***@db/x");
  CHECK(redact_url("postgres://app@db:5432/thaiyyal") == "postgres://app@db:5432/thaiyyal");
  CHECK(redact_url("postgres://db/thaiyyal") == "postgres://db/thaiyyal");
  CHECK(redact_url("postgres://db/x?password=s3cret&sslmode=require") ==
        "postgres://db/x?password=***&sslmode=require");
  CHECK(redact_url("postgres://app:a@db/x?sslmode=disable&password=b") ==
        "postgres://app:***@db/x?sslmode=disable&password=***");
  CHECK(redact_url("postgres://db/x?mypassword=visible") == "postgres://db/x?mypassword=visible");
  CHECK(redact_url("host=db password=s3cret dbname=x") == "host=db password=*** dbname=x");
  CHECK(redact_url("host=db password='a b' dbname=x") == "host=db password=*** dbname=x");
  CHECK(redact_url("/var/lib/thaiyyal/thaiyyal.db") == "/var/lib/thaiyyal/thaiyyal.db");
  CHECK(redact_url("") == "");
}

TEST_CASE("default data directory and database file") {
  const auto saved = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
  };
  const auto xdg = saved("XDG_DATA_HOME");
  const auto home = saved("HOME");

  ::setenv("XDG_DATA_HOME", "/xdg/data", 1);
  ::setenv("HOME", "/home/u", 1);
  CHECK(default_data_dir() == "/xdg/data/thaiyyal");
  ::setenv("XDG_DATA_HOME", "", 1);
  CHECK(default_data_dir() == "/home/u/.local/share/thaiyyal");
  ::unsetenv("XDG_DATA_HOME");
  CHECK(default_data_dir() == "/home/u/.local/share/thaiyyal");
  ::unsetenv("HOME");
  CHECK(default_data_dir() == "");

  if (xdg) ::setenv("XDG_DATA_HOME", xdg->c_str(), 1);
  if (home) ::setenv("HOME", home->c_str(), 1);

  CHECK(sqlite_path("/var/lib/thaiyyal") == "/var/lib/thaiyyal/thaiyyal.db");
  CHECK(sqlite_path("/var/lib/thaiyyal/") == "/var/lib/thaiyyal/thaiyyal.db");
}
