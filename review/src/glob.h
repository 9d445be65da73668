#pragma once
// Name globs for models and rules: '*' matches any run of characters
// (dots included), everything else matches itself. Linear-time enough for
// the short names involved; never a regex engine on input.

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bulwark::review {

bool GlobMatch(std::string_view pattern, std::string_view text) noexcept;

// The text after the last '.', or "" when that part contains '*'.
std::string_view LastSegment(std::string_view name) noexcept;

// Gitignore-style path match: '*' and '?' stop at '/', '**' spans
// directories, [abc] classes. `path` is relative, '/'-separated.
bool PathGlobMatch(std::string_view pattern, std::string_view path) noexcept;

// Entries keyed by the last segment of their glob, so a lookup only tries the
// globs that can match a call's method name (plus the few wildcard ones).
template <class T>
class GlobIndex {
 public:
  void Add(const std::string& glob, T value) {
    std::string_view last = LastSegment(glob);
    if (last.empty()) wild_.push_back({glob, std::move(value)});
    else by_last_[std::string(last)].push_back({glob, std::move(value)});
  }
  // Calls fn(value) for each entry whose glob matches any of `names`. Each
  // entry at most once.
  template <class Fn>
  void Match(const std::vector<std::string>& names, Fn&& fn) const {
    auto visit = [&](const Entry& e) {
      for (const std::string& n : names) {
        if (GlobMatch(e.glob, n)) {
          fn(e.value);
          return;
        }
      }
    };
    std::vector<std::string_view> lasts;
    for (const std::string& n : names) {
      std::size_t dot = n.find_last_of('.');
      std::string_view last = dot == std::string::npos ? std::string_view(n) : std::string_view(n).substr(dot + 1);
      if (std::find(lasts.begin(), lasts.end(), last) != lasts.end()) continue;
      lasts.push_back(last);
      if (auto it = by_last_.find(std::string(last)); it != by_last_.end()) {
        for (const Entry& e : it->second) visit(e);
      }
    }
    for (const Entry& e : wild_) visit(e);
  }
  bool empty() const { return by_last_.empty() && wild_.empty(); }

 private:
  struct Entry {
    std::string glob;
    T value;
  };
  std::unordered_map<std::string, std::vector<Entry>> by_last_;
  std::vector<Entry> wild_;
};

}  // namespace bulwark::review
