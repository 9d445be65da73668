#include "properties.h"

#include <algorithm>
#include <cstdint>

#include "bulwark/core/utf8.h"

namespace bulwark::review {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Joins a logical line: natural lines ending in an odd number of
// backslashes continue on the next one, whose leading blanks are dropped.
// `pos` moves past the logical line.
std::string LogicalLine(std::string_view text, std::size_t& pos) {
  std::string line;
  bool continuation = false;
  bool first = true;
  while (pos < text.size()) {
    std::size_t start = pos;
    if (continuation) {
      while (start < text.size() && IsBlank(text[start])) ++start;
    }
    std::size_t end = start;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
    std::string_view natural = text.substr(start, end - start);
    // Past the terminator: \r\n counts as one.
    pos = end;
    if (pos < text.size() && text[pos] == '\r') {
      ++pos;
      if (pos < text.size() && text[pos] == '\n') ++pos;
    } else if (pos < text.size() && text[pos] == '\n') {
      ++pos;
    }
    // A comment line is never continued: the next line is its own.
    if (first) {
      const std::size_t lead = natural.find_first_not_of(" \t\f");
      if (lead != std::string_view::npos && (natural[lead] == '#' || natural[lead] == '!')) {
        line.append(natural);
        break;
      }
      first = false;
    }
    std::size_t slashes = 0;
    while (slashes < natural.size() && natural[natural.size() - 1 - slashes] == '\\') ++slashes;
    const bool more = slashes % 2 == 1;
    line.append(natural.substr(0, more ? natural.size() - 1 : natural.size()));
    if (!more || pos >= text.size()) break;
    continuation = true;
  }
  return line;
}

// Unescapes [begin, end) of `s` into `out`; false on a malformed \u escape.
bool Unescape(const std::string& s, std::size_t begin, std::size_t end, std::string& out) {
  for (std::size_t i = begin; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c != '\\') {
      AppendUtf8(out, c);  // ISO-8859-1: each byte is its own code point
      continue;
    }
    if (++i >= end) break;  // a trailing lone backslash is dropped
    const char e = s[i];
    switch (e) {
      case 't': out.push_back('\t'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        if (end - i < 5) return false;
        char32_t cp = 0;
        for (std::size_t k = 1; k <= 4; ++k) {
          const int d = HexDigit(s[i + k]);
          if (d < 0) return false;
          cp = cp * 16 + static_cast<char32_t>(d);
        }
        AppendUtf8(out, cp);  // a lone surrogate becomes U+FFFD
        i += 4;
        break;
      }
      default: AppendUtf8(out, static_cast<unsigned char>(e)); break;
    }
  }
  return true;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseProperties(std::string_view text, std::size_t max_entries) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos < text.size() && out.size() < max_entries) {
    const std::size_t before = pos;
    std::string line = LogicalLine(text, pos);
    if (pos == before) break;  // no progress: cannot happen, but never loop
    std::size_t i = 0;
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i == line.size() || line[i] == '#' || line[i] == '!') continue;
    const std::size_t key_begin = i;
    while (i < line.size()) {
      const char c = line[i];
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '=' || c == ':' || IsBlank(c)) break;
      ++i;
    }
    const std::size_t key_end = std::min(i, line.size());
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i < line.size() && (line[i] == '=' || line[i] == ':')) ++i;
    while (i < line.size() && IsBlank(line[i])) ++i;
    std::string key, value;
    if (!Unescape(line, key_begin, key_end, key) || !Unescape(line, i, line.size(), value)) continue;
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace bulwark::review
