#include "files.h"

#include <fcntl.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "glob.h"

namespace bulwark::review {
namespace fs = std::filesystem;
namespace {

struct IgnorePattern {
  std::string glob;
  bool negate = false;
  bool dir_only = false;
  bool anchored = false;  // contains a '/': matched against the relative path
};

struct IgnoreFile {
  std::string base;  // directory of the .gitignore, relative to the walk root ("" = root)
  std::vector<IgnorePattern> patterns;
};

IgnorePattern ParsePattern(std::string line) {
  IgnorePattern p;
  if (!line.empty() && line[0] == '!') {
    p.negate = true;
    line.erase(0, 1);
  }
  if (!line.empty() && line.back() == '/') {
    p.dir_only = true;
    line.pop_back();
  }
  if (line.find('/') != std::string::npos) {
    p.anchored = true;
    if (line[0] == '/') line.erase(0, 1);
  }
  p.glob = line;
  return p;
}

std::vector<IgnorePattern> ParseIgnoreText(const std::string& text) {
  std::vector<IgnorePattern> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // trailing spaces are ignored unless escaped
    while (!line.empty() && line.back() == ' ' && (line.size() < 2 || line[line.size() - 2] != '\\')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (line.size() > 4096) continue;
    out.push_back(ParsePattern(line));
  }
  return out;
}

// Last matching pattern wins, across files from outer to inner.
bool Ignored(const std::vector<IgnoreFile>& stack, const std::string& rel, bool is_dir) {
  bool ignored = false;
  for (const IgnoreFile& f : stack) {
    std::string local = rel;
    if (!f.base.empty()) {
      if (rel.size() <= f.base.size() || rel.compare(0, f.base.size(), f.base) != 0 || rel[f.base.size()] != '/') {
        continue;
      }
      local = rel.substr(f.base.size() + 1);
    }
    std::string base = local.substr(local.find_last_of('/') == std::string::npos ? 0 : local.find_last_of('/') + 1);
    for (const IgnorePattern& p : f.patterns) {
      if (p.dir_only && !is_dir) continue;
      bool m = p.anchored ? PathGlobMatch(p.glob, local) : PathGlobMatch(p.glob, base);
      if (m) ignored = !p.negate;
    }
  }
  return ignored;
}

std::string ReadSmallFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > (1u << 20)) s.resize(1u << 20);
  return s;
}

bool IsPropertiesFile(std::string_view name) { return name.size() > 11 && name.ends_with(".properties"); }

void Walk(const fs::path& dir, const std::string& rel, std::vector<IgnoreFile>& stack, const ScanOptions& options,
          std::vector<SourceFile>& out, std::vector<std::string>* config, std::vector<Note>& notes, int depth) {
  if (depth > 64) {
    notes.push_back({dir.string(), "skipped: directory nesting too deep"});
    return;
  }
  std::error_code ec;
  bool pushed = false;
  if (options.respect_gitignore) {
    fs::path gi = dir / ".gitignore";
    if (fs::is_regular_file(gi, ec)) {
      stack.push_back({rel, ParseIgnoreText(ReadSmallFile(gi))});
      pushed = true;
    }
  }
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec) notes.push_back({dir.string(), "skipped: cannot read directory"});
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
  for (const fs::directory_entry& e : entries) {
    std::string name = e.path().filename().string();
    std::string child_rel = rel.empty() ? name : rel + "/" + name;
    std::error_code sec;
    if (e.is_symlink(sec)) continue;  // never leave the tree or loop
    bool is_dir = e.is_directory(sec);
    if (is_dir && (name == ".git" || name == ".hg" || name == ".svn")) continue;
    if (Ignored(stack, child_rel, is_dir)) continue;
    if (is_dir) {
      Walk(e.path(), child_rel, stack, options, out, config, notes, depth + 1);
    } else if (e.is_regular_file(sec)) {
      if (auto lang = DetectLanguage(name)) out.push_back({e.path().string(), *lang});
      else if (config && IsPropertiesFile(name)) config->push_back(e.path().string());
    }
  }
  if (pushed) stack.pop_back();
}

}  // namespace

Result<std::vector<SourceFile>> CollectFiles(const ScanOptions& options, std::vector<Note>& notes,
                                             std::vector<std::string>* config) {
  std::vector<SourceFile> out;
  for (const std::string& path : options.paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return Error(ErrorCode::kNotFound, "no such file or directory: " + path);
    if (fs::is_directory(st)) {
      std::vector<IgnoreFile> stack;
      if (!options.exclude.empty()) {
        IgnoreFile f;
        for (const std::string& p : options.exclude) f.patterns.push_back(ParsePattern(p));
        stack.push_back(std::move(f));
      }
      std::string root = path;
      while (root.size() > 1 && root.back() == '/') root.pop_back();
      Walk(root, "", stack, options, out, config, notes, 0);
    } else if (auto lang = DetectLanguage(path)) {
      out.push_back({path, *lang});
    } else if (config && IsPropertiesFile(fs::path(path).filename().string())) {
      config->push_back(path);
    } else {
      notes.push_back({path, "skipped: unknown language (by file extension)"});
    }
  }
  // A file named twice (a dir and a file inside it) is scanned once.
  std::sort(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.path == b.path; }),
            out.end());
  if (config) {
    std::sort(config->begin(), config->end());
    config->erase(std::unique(config->begin(), config->end()), config->end());
  }
  return out;
}

bool ReadSource(const std::string& path, std::uint64_t max_bytes, std::string& out, std::string& why) {
  std::error_code ec;
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec) {
    why = "skipped: cannot read file";
    return false;
  }
  if (size > max_bytes) {
    why = "skipped: larger than " + std::to_string(max_bytes) + " bytes";
    return false;
  }
  // open/read rather than an ifstream, whose construction (locale, buffer)
  // cost more than reading a typical header.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = "skipped: cannot open file";
    return false;
  }
  out.assign(static_cast<std::size_t>(size), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of file (it shrank) or an error: keep what was read
    got += static_cast<std::size_t>(n);
  }
  close(fd);
  out.resize(got);
  // Binary: a NUL byte in the first 8 KiB (the heuristic git uses).
  if (std::string_view(out).substr(0, 8192).find('\0') != std::string_view::npos) {
    why = "skipped: binary file";
    return false;
  }
  return true;
}

Result<Config> LoadConfig(const std::string& dir) {
  Config c;
  fs::path p = fs::path(dir) / ".bulwark-review.toml";
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return c;
  c.found = true;
  c.path = p.string();
  toml::table t;
  try {
    t = toml::parse_file(c.path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return Error(ErrorCode::kInvalidArgument, c.path + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) +
                                                  ": invalid TOML: " + std::string(e.description()));
  }
  auto strings = [&](const char* key, std::vector<std::string>& out) -> Result<void> {
    const toml::node* n = t.get(key);
    if (!n) return Ok();
    const toml::array* arr = n->as_array();
    if (!arr) return Error(ErrorCode::kInvalidArgument, c.path + ": '" + key + "' must be an array of strings");
    for (const toml::node& x : *arr) {
      auto s = x.value<std::string>();
      if (!s) return Error(ErrorCode::kInvalidArgument, c.path + ": '" + key + "' must be an array of strings");
      out.push_back(*s);
    }
    return Ok();
  };
  for (auto&& [k, v] : t) {
    std::string key(k.str());
    if (key != "exclude" && key != "rules" && key != "disable" && key != "fail-on" && key != "max-file-size") {
      return Error(ErrorCode::kInvalidArgument, c.path + ": unknown key '" + key + "'");
    }
  }
  BULWARK_RETURN_IF_ERROR(strings("exclude", c.exclude));
  BULWARK_RETURN_IF_ERROR(strings("rules", c.rules));
  BULWARK_RETURN_IF_ERROR(strings("disable", c.disable));
  for (std::string& r : c.rules) {
    if (!r.empty() && r[0] != '/') r = (fs::path(dir) / r).string();
  }
  if (const toml::node* n = t.get("fail-on")) {
    auto s = n->value<std::string>();
    if (!s || !ParseSeverity(*s).ok()) {
      return Error(ErrorCode::kInvalidArgument, c.path + ": 'fail-on' must be low, medium, high or critical");
    }
    c.fail_on = *s;
  }
  if (const toml::node* n = t.get("max-file-size")) {
    auto v = n->value<std::int64_t>();
    if (!v || *v <= 0) return Error(ErrorCode::kInvalidArgument, c.path + ": 'max-file-size' must be a positive integer");
    c.max_file_bytes = static_cast<std::uint64_t>(*v);
  }
  return c;
}

std::string ClipLine(const std::string& line, std::uint32_t col, std::size_t width, std::size_t* caret) {
  const std::size_t at = std::min<std::size_t>(col > 0 ? col - 1 : 0, line.size());
  if (line.size() <= width) {
    if (caret) *caret = at;
    return line;
  }
  auto boundary = [&](std::size_t i) {  // back to the start of a UTF-8 character
    while (i > 0 && i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) --i;
    return i;
  };
  std::size_t begin = boundary(at > width / 3 ? at - width / 3 : 0);
  std::size_t end = boundary(std::min(line.size(), begin + width));
  if (end <= at) end = boundary(std::min(line.size(), at + 1 + width / 3));
  std::string out;
  if (begin > 0) out = "...";
  if (caret) *caret = out.size() + (at - begin);
  out.append(line, begin, end - begin);
  if (end < line.size()) out += "...";
  return out;
}

}  // namespace bulwark::review
