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

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

/// Appends a source line for display: tabs become spaces, other control
/// characters and invalid UTF-8 bytes become U+FFFD, so that each character
/// takes one column and nothing reaches the terminal as a control sequence.
void append_source_text(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\t') {
      out.push_back(' ');
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      out += kReplacement;
      ++i;
    } else if (const std::size_t n = utf8_sequence_length(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += kReplacement;
      ++i;
    }
  }
}

/// Columns `s` takes once shown by append_source_text.
std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size(); ++w) {
    i += std::max<std::size_t>(1, utf8_sequence_length(s, i));
  }
  return w;
}

/// Appends message text (which quotes user input: ids, keys, values) with
/// control characters written as escapes (`\n`, `\t`, `\x1B`) and invalid
/// UTF-8 as U+FFFD, so a message is one line and cannot drive the terminal.
void append_visible(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
      ++i;
    } else if (c == '\t') {
      out += "\\t";
      ++i;
    } else if (c == '\r') {
      out += "\\r";
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      ++i;
    } else if (const std::size_t n = utf8_sequence_length(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += kReplacement;
      ++i;
    }
  }
}

}  // namespace

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

void append_utf8(std::string& out, char32_t cp) {
  const auto c = static_cast<std::uint32_t>(cp);
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

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
    if (c < 0x20) {
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
    append_visible(prefix, w.file->name());
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
  std::string message;
  append_visible(message, d.message);
  paint(kBold, message);
  out += '\n';
  if (w.has_node) {
    out += "  in node '";
    append_visible(out, w.node_id);
    out += "'";
    if (!w.json_path.empty()) {
      out += " at ";
      append_visible(out, w.json_path);
    }
    out += '\n';
  } else if (!w.json_path.empty()) {
    out += "  at ";
    append_visible(out, w.json_path);
    out += '\n';
  }
  if (opts.show_source && w.file && w.line > 0) {
    auto line = w.file->line_text(w.line);
    std::size_t col = w.column > 0 ? static_cast<std::size_t>(w.column - 1) : 0;
    // A byte order mark is not shown and takes no column.
    if (w.line == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") {
      line.remove_prefix(3);
      col = col >= 3 ? col - 3 : 0;
    }
    // Long lines (minified JSON) are shown as a window around the column,
    // cut at character boundaries.
    constexpr std::size_t kWindow = 100;
    std::size_t start = 0;
    if (line.size() > kWindow && col > kWindow / 2) {
      start = std::min(col - kWindow / 2, line.size());
    }
    std::size_t end = std::min(line.size(), start + kWindow);
    while (start > 0 && start < end && is_continuation(line[start])) ++start;
    while (end > start && end < line.size() && is_continuation(line[end])) --end;
    std::string gutter = fmt::format("{:>5} | ", w.line);
    out += gutter;
    if (start > 0) out += "...";
    append_source_text(out, line.substr(start, end - start));
    if (end < line.size()) out += "...";
    out += '\n';
    if (w.column > 0 && col >= start) {
      // Carets go under characters, not bytes.
      std::size_t pad = start > 0 ? 3 : 0;
      std::size_t width =
          static_cast<std::size_t>(std::max(1, std::min(w.length, static_cast<int>(kWindow))));
      if (col < end) {
        pad += display_width(line.substr(start, col - start));
        const std::size_t span = std::min(width, end - col);
        width = std::max<std::size_t>(1, display_width(line.substr(col, span)));
      } else {
        pad += display_width(line.substr(start, end - start)) + (col - end);
      }
      out += std::string(gutter.size() - 2, ' ');
      out += "| ";
      out += std::string(pad, ' ');
      paint(kGreen, std::string(width, '^'));
      out += '\n';
    }
  }
  for (const auto& note : d.notes) {
    out += "  note: ";
    append_visible(out, note);
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
  if (!d.reference.empty()) {
    out += ",\"reference_message\":";
    append_json_string(out, d.reference);
  }
  if (d.deferred) out += ",\"fails_at_run_time\":true";
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
