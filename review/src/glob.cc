#include "glob.h"

namespace bulwark::review {

bool GlobMatch(std::string_view p, std::string_view t) noexcept {
  // Iterative wildcard match with single backtrack point: O(|p|*|t|) worst case.
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::string_view LastSegment(std::string_view name) noexcept {
  std::size_t dot = name.find_last_of('.');
  std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
  if (last.find('*') != std::string_view::npos) return {};
  return last;
}

namespace {

bool ClassMatch(std::string_view p, std::size_t& pi, char c) {
  // p[pi] == '['; on return pi is past ']'.
  std::size_t i = pi + 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  while (i < p.size() && (first || p[i] != ']')) {
    first = false;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      if (c >= p[i] && c <= p[i + 2]) matched = true;
      i += 3;
    } else {
      if (c == p[i]) matched = true;
      ++i;
    }
  }
  pi = i < p.size() ? i + 1 : i;
  return matched != negate;
}

bool PathMatch(std::string_view p, std::string_view t, int& budget) {
  if (--budget < 0) return false;
  std::size_t pi = 0, ti = 0;
  while (pi < p.size()) {
    if (p.substr(pi).starts_with("**")) {
      std::string_view rest = p.substr(pi + 2);
      if (rest.starts_with("/")) rest.remove_prefix(1);
      if (rest.empty()) return true;
      for (std::size_t k = ti; k <= t.size(); ++k) {
        if ((k == ti || t[k - 1] == '/') && PathMatch(rest, t.substr(k), budget)) return true;
      }
      return false;
    }
    char c = p[pi];
    if (c == '*') {
      std::string_view rest = p.substr(pi + 1);
      for (std::size_t k = ti; k <= t.size(); ++k) {
        if (PathMatch(rest, t.substr(k), budget)) return true;
        if (k < t.size() && t[k] == '/') break;
      }
      return false;
    }
    if (ti >= t.size()) return false;
    if (c == '?') {
      if (t[ti] == '/') return false;
      ++pi;
      ++ti;
    } else if (c == '[') {
      if (t[ti] == '/' || !ClassMatch(p, pi, t[ti])) return false;
      ++ti;
    } else {
      if (c == '\\' && pi + 1 < p.size()) c = p[++pi];
      if (c != t[ti]) return false;
      ++pi;
      ++ti;
    }
  }
  return ti == t.size();
}

}  // namespace

bool PathGlobMatch(std::string_view pattern, std::string_view path) noexcept {
  int budget = 100000;  // bounds backtracking on hostile .gitignore patterns
  return PathMatch(pattern, path, budget);
}

}  // namespace bulwark::review
