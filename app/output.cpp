#include "output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common.h"
#include "thaiyyal/diag/render.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::app {
namespace {

bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  static const char* kReserved[] = {"true", "false", "True", "False", "TRUE", "FALSE",
                                    "null", "Null",  "NULL", "~",     "yes",  "no",
                                    "on",   "off",   "y",    "n"};
  for (const char* r : kReserved) {
    if (s == r) return true;
  }
  const char c = s.front();
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`. ").find(c) != std::string_view::npos) return true;
  if ((c >= '0' && c <= '9') || c == '+') return true;
  if (s.back() == ' ' || s.back() == ':') return true;
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return s.find(": ") != std::string::npos || s.find(" #") != std::string::npos;
}

void scalar(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      out += "null";
      break;
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Kind::Number:
      append_number(out, v.as_number());
      break;
    case Kind::String:
      if (needs_quotes(v.as_string())) {
        diag::append_json_string(out, v.as_string());
      } else {
        out += v.as_string();
      }
      break;
    default:
      break;
  }
}

bool is_empty_container(const Value& v) {
  if (const auto* a = v.if_array()) return a->empty();
  if (const auto* o = v.if_object()) return o->empty();
  return false;
}

/// Text being written: flushed to `file` in chunks when one is set.
struct Out {
  std::string text;
  std::FILE* file = nullptr;
  void maybe_flush() {
    if (file && text.size() >= (64u << 10)) {
      std::fwrite(text.data(), 1, text.size(), file);
      text.clear();
    }
  }
};

void emit(Out& out, const Value& v, int indent);

void emit_child(Out& out, const Value& v, int indent) {
  if ((v.is_array() || v.is_object()) && !is_empty_container(v)) {
    out.text += '\n';
    emit(out, v, indent);
  } else {
    out.text += ' ';
    if (v.is_array()) {
      out.text += "[]";
    } else if (v.is_object()) {
      out.text += "{}";
    } else {
      scalar(out.text, v);
    }
    out.text += '\n';
  }
}

void emit(Out& out, const Value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (const auto* a = v.if_array()) {
    for (const auto& e : *a) {
      out.maybe_flush();
      out.text += pad;
      out.text += '-';
      emit_child(out, e, indent + 2);
    }
  } else if (const auto* o = v.if_object()) {
    for (const auto& [k, e] : *o) {
      out.maybe_flush();
      out.text += pad;
      if (needs_quotes(k)) {
        diag::append_json_string(out.text, k);
      } else {
        out.text += k;
      }
      out.text += ':';
      emit_child(out, e, indent + 2);
    }
  }
}

void write_yaml_to(Out& out, const Value& v) {
  if ((v.is_array() || v.is_object()) && !is_empty_container(v)) {
    emit(out, v, 0);
  } else {
    if (v.is_array()) {
      out.text += "[]";
    } else if (v.is_object()) {
      out.text += "{}";
    } else {
      scalar(out.text, v);
    }
    out.text += '\n';
  }
}

/// The start of a value's JSON text, computed without writing all of it.
std::string preview(const Value& v) {
  constexpr std::size_t kShown = 60;
  if (const auto* s = v.if_string(); s && s->size() > kShown) {
    std::size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>((*s)[cut]) & 0xC0) == 0x80) --cut;
    std::string text;
    diag::append_json_string(text, std::string_view(*s).substr(0, cut));
    return text;
  }
  JsonWriteOptions opts;
  opts.stop_after = kShown;
  try {
    return to_json(v, opts);
  } catch (const JsonWriteError&) {
    return std::string(1, '?');
  }
}

std::string ms(std::chrono::nanoseconds d) { return human_duration(d); }

}  // namespace

/// Whether JSON can encode `v` (no NaN or infinity anywhere in it).
bool encodable(const Value& v) {
  if (const auto* n = v.if_number()) return std::isfinite(*n);
  if (const auto* a = v.if_array()) {
    return std::all_of(a->begin(), a->end(), [](const Value& e) { return encodable(e); });
  }
  if (const auto* o = v.if_object()) {
    for (const auto& [k, e] : *o) {
      if (!encodable(e)) return false;
    }
  }
  return true;
}

std::string to_yaml(const Value& v) {
  Out out;
  write_yaml_to(out, v);
  return std::move(out.text);
}

void write_yaml(std::FILE* file, const Value& v) {
  Out out;
  out.file = file;
  write_yaml_to(out, v);
  std::fwrite(out.text.data(), 1, out.text.size(), file);
}

void write_json(std::FILE* file, const Value& v, int indent) {
  JsonWriteOptions opts;
  opts.indent = indent;
  opts.flush = [file](std::string& text) {
    std::fwrite(text.data(), 1, text.size(), file);
    text.clear();
  };
  std::string text;
  append_json(text, v, opts);
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), file);
}

void write_run_text(std::FILE* file, const check::CompiledWorkflow& wf, const engine::RunResult& r,
                    bool color) {
  auto paint = [&](const char* code, const std::string& s) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  };
  std::string out;
  std::string status;
  switch (r.status) {
    case engine::RunStatus::Ok:
      status = paint("1;32", "succeeded");
      break;
    case engine::RunStatus::Failed:
      status = paint("1;31", "failed");
      break;
    case engine::RunStatus::LimitExceeded:
      status = paint("1;31", "stopped by a limit");
      break;
    case engine::RunStatus::TimedOut:
      status = paint("1;31", "timed out");
      break;
    case engine::RunStatus::Cancelled:
      status = paint("1;33", "cancelled");
      break;
  }
  const auto& doc = *wf.workflow;
  out += fmt::format("workflow {}{} in {} (execution {})\n",
                     doc.workflow_id.empty() ? "" : "'" + doc.workflow_id + "' ", status,
                     ms(r.elapsed), r.execution_id);
  std::size_t id_width = 4, type_width = 4;
  for (const auto& n : doc.nodes) {
    id_width = std::max(id_width, std::min<std::size_t>(n.id.size(), 24));
    type_width = std::max(type_width, n.type.size());
  }
  out += "nodes:\n";
  for (const auto idx : wf.dag.order()) {
    const auto& n = doc.nodes[idx];
    const auto& rec = r.nodes[idx];
    std::string state, detail;
    switch (rec.state) {
      case engine::NodeRecord::State::Succeeded: {
        state = paint("32", "ok     ");
        std::string json = preview(*r.node_results.find(n.id));
        if (json.size() > 60) json = json.substr(0, 57) + "...";
        detail = fmt::format("{:>10}  {}", ms(rec.elapsed), json);
        break;
      }
      case engine::NodeRecord::State::Failed:
        state = paint("31", "failed ");
        detail = fmt::format("{:>10}", ms(rec.elapsed));
        break;
      case engine::NodeRecord::State::Skipped:
        state = paint("90", "skipped");
        break;
      case engine::NodeRecord::State::NotReached:
        state = paint("90", "not run");
        break;
    }
    out += fmt::format("  {:<{}}  {:<{}}  {}  {}\n", n.id, id_width, n.type, type_width, state,
                       detail);
    while (!out.empty() && out[out.size() - 2] == ' ' && out.back() == '\n') {
      out.erase(out.size() - 2, 1);
    }
  }
  if (r.ok()) {
    out += "final output: ";
    if (encodable(r.final_output)) {
      std::fwrite(out.data(), 1, out.size(), file);
      out.clear();
      write_json(file, r.final_output, 2);
    } else {
      out += "(not shown: a number is not finite)\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), file);
}

}  // namespace thaiyyal::app
