#include "thaiyyal/diag/render.h"

#include <fmt/format.h>

namespace thaiyyal::diag {
namespace {

constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kYellow = "\x1b[1;33m";
constexpr std::string_view kCyan = "\x1b[1;36m";
constexpr std::string_view kGreen = "\x1b[1;32m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReset = "\x1b[0m";

std::string_view severity_color(Severity s) {
  switch (s) {
    case Severity::Error:
      return kRed;
    case Severity::Warning:
      return kYellow;
    case Severity::Info:
      return kCyan;
  }
  return kRed;
}

/// Length in bytes of the UTF-8 sequence starting at s[i], or 0 when invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      case '\b':
        out += "\\b";
        ++i;
        continue;
      case '\f':
        out += "\\f";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      ++i;
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const auto n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  out.push_back('"');
}

std::string render_text(const Diagnostic& d, const RenderOptions& opts) {
  const auto& w = d.where;
  std::string out;
  auto paint = [&](std::string_view color, std::string_view text) {
    if (opts.color) {
      out += color;
      out += text;
      out += kReset;
    } else {
      out += text;
    }
  };
  std::string prefix;
  if (w.file) {
    prefix = w.file->name();
    if (w.line > 0) {
      prefix += fmt::format(":{}", w.line);
      if (w.column > 0) prefix += fmt::format(":{}", w.column);
    }
    prefix += ": ";
  }
  paint(kBold, prefix);
  paint(severity_color(d.severity),
        fmt::format("{}[{}]", severity_name(d.severity), d.code.empty() ? "error" : d.code));
  out += ": ";
  paint(kBold, d.message);
  out += '\n';
  if (w.has_node) {
    out += fmt::format("  in node '{}'", w.node_id);
    if (!w.json_path.empty()) out += fmt::format(" at {}", w.json_path);
    out += '\n';
  } else if (!w.json_path.empty()) {
    out += fmt::format("  at {}\n", w.json_path);
  }
  if (opts.show_source && w.file && w.line > 0) {
    const auto line = w.file->line_text(w.line);
    // Long lines (minified JSON) are shown as a window around the column.
    constexpr std::size_t kWindow = 100;
    std::size_t col = w.column > 0 ? static_cast<std::size_t>(w.column - 1) : 0;
    std::size_t start = 0;
    if (line.size() > kWindow && col > kWindow / 2) start = col - kWindow / 2;
    std::string_view shown = line.substr(std::min(start, line.size()), kWindow);
    std::string gutter = fmt::format("{:>5} | ", w.line);
    out += gutter;
    if (start > 0) out += "...";
    for (char ch : shown) out.push_back(ch == '\t' ? ' ' : ch);
    if (start + kWindow < line.size()) out += "...";
    out += '\n';
    if (w.column > 0) {
      out += std::string(gutter.size() - 2, ' ');
      out += "| ";
      out += std::string(col - start + (start > 0 ? 3 : 0), ' ');
      const int len = std::max(1, std::min<int>(w.length, static_cast<int>(kWindow)));
      std::string carets(static_cast<std::size_t>(len), '^');
      paint(kGreen, carets);
      out += '\n';
    }
  }
  for (const auto& note : d.notes) {
    out += "  note: ";
    out += note;
    out += '\n';
  }
  return out;
}

std::string render_json(const Diagnostic& d) {
  std::string out = "{\"severity\":";
  append_json_string(out, severity_name(d.severity));
  out += ",\"code\":";
  append_json_string(out, d.code);
  out += ",\"message\":";
  append_json_string(out, d.message);
  const auto& w = d.where;
  if (w.file) {
    out += ",\"file\":";
    append_json_string(out, w.file->name());
    if (w.line > 0) out += fmt::format(",\"line\":{},\"column\":{}", w.line, w.column);
  }
  if (w.has_node) {
    out += ",\"node_id\":";
    append_json_string(out, w.node_id);
  }
  if (!w.json_path.empty()) {
    out += ",\"path\":";
    append_json_string(out, w.json_path);
  }
  if (!d.notes.empty()) {
    out += ",\"notes\":[";
    for (std::size_t i = 0; i < d.notes.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, d.notes[i]);
    }
    out += ']';
  }
  out += '}';
  return out;
}

}  // namespace thaiyyal::diag
