// Scan orchestration: collect files, parse + lower in parallel, index the
// program, analyze in parallel (one Engine per worker), then turn raw
// findings into reported ones. Also suppressions, baselines and diff filters.
#include <boost/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "engine.h"
#include "files.h"
#include "lower.h"
#include "rules.h"

namespace bulwark::review {
namespace {

constexpr std::size_t kSnippetWidth = 240;  // bytes of a long source line kept in a finding's snippet

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    std::string line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = nl + 1;
  }
  return lines;
}

std::string Trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::uint64_t Fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string Hex(std::uint64_t v) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kDigits[v & 0xf];
    v >>= 4;
  }
  return out;
}

// Whitespace-insensitive text of a line, so reformatting keeps fingerprints.
std::string Squash(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

unsigned Workers(unsigned jobs, std::size_t items) {
  unsigned n = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(items, 1)));
}

template <class Fn>
void ParallelFor(unsigned workers, std::size_t n, Fn&& fn) {
  std::atomic<std::size_t> next{0};
  auto run = [&](unsigned w) {
    for (std::size_t i = next++; i < n; i = next++) fn(w, i);
  };
  if (workers <= 1) {
    run(0);
    return;
  }
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(run, w);
  run(0);
  for (std::thread& t : threads) t.join();
}

}  // namespace

Result<ScanResult> Scan(const RuleSet& rules, const ScanOptions& options) {
  ScanResult result;
  std::vector<std::string> config;
  auto files = CollectFiles(options, result.notes, &config);
  if (!files.ok()) return files.error();
  const RuleSetData& data = rules.data();

  Program program;
  for (const std::string& path : config) {
    std::string text, why;
    if (ReadSource(path, std::min<std::uint64_t>(options.max_file_bytes, 1u << 20), text, why)) {
      program.AddProperties(path, text);
    }
  }
  program.modules.resize(files->size());
  std::vector<std::optional<Note>> file_notes(files->size());
  std::atomic<std::size_t> done{0};
  std::atomic<std::uint64_t> lines{0}, bytes{0};
  unsigned workers = Workers(options.jobs, files->size());
  std::mutex progress_mu;
  const std::size_t total_steps = files->size() * 2;

  ParallelFor(workers, files->size(), [&](unsigned w, std::size_t i) {
    const SourceFile& f = (*files)[i];
    std::string text, why;
    if (ReadSource(f.path, options.max_file_bytes, text, why)) {
      auto m = std::make_unique<ir::Module>();
      m->path = f.path;
      if (ParseAndLower(f.language, text, *m)) {
        lines += m->lines;
        bytes += text.size();
        program.modules[i] = std::move(m);
      } else {
        file_notes[i] = Note{f.path, "unparseable: not valid " + std::string(LanguageName(f.language)) + " (skipped)"};
      }
    } else {
      file_notes[i] = Note{f.path, why};
    }
    std::size_t d = ++done;
    if (options.progress && w == 0) {
      std::lock_guard<std::mutex> lock(progress_mu);
      options.progress(d, total_steps);
    }
  });
  for (auto& n : file_notes) {
    if (n) result.notes.push_back(std::move(*n));
  }
  program.Index();

  std::vector<std::unique_ptr<Engine>> engines;
  for (unsigned w = 0; w < workers; ++w) engines.push_back(std::make_unique<Engine>(data, program));
  ParallelFor(workers, program.modules.size(), [&](unsigned w, std::size_t i) {
    engines[w]->AnalyzeModule(static_cast<std::uint32_t>(i));
    std::size_t d = ++done;
    if (options.progress && w == 0) {
      std::lock_guard<std::mutex> lock(progress_mu);
      options.progress(d, total_steps);
    }
  });

  // One finding per rule and place; the same trace whichever worker found it.
  std::map<std::tuple<int, std::uint32_t, std::uint32_t, std::uint32_t>, RawFinding> best;
  for (auto& engine : engines) {
    for (RawFinding& raw : engine->TakeFindings()) {
      auto [at, fresh] = best.try_emplace({raw.rule, raw.module, raw.line, raw.col}, raw);
      if (!fresh && PreferredTrace(raw, at->second)) at->second = std::move(raw);
    }
  }
  std::map<std::uint32_t, std::vector<std::string>> file_lines;
  {
    for (auto& [key, raw] : best) {
      const Rule& rule = data.rules[static_cast<std::size_t>(raw.rule)];
      const ir::Module& m = *program.modules[raw.module];
      Finding f;
      f.rule_id = rule.id;
      f.title = rule.title;
      f.cwe = rule.cwe;
      f.owasp = rule.owasp;
      f.severity = rule.severity;
      f.precision = rule.precision;
      f.message = rule.message;
      f.why = rule.why;
      auto fix = rule.fix.find(std::string(LanguageName(RuleLanguage(m.language))));
      if (fix != rule.fix.end()) f.fix = fix->second;
      f.references = rule.references;
      f.file = m.path;
      f.line = raw.line;
      f.col = raw.col;
      f.stmt_line = raw.stmt_line;
      f.stmt_end_line = raw.stmt_end_line;
      for (std::size_t k = 0; k < raw.trace.size(); ++k) {
        TraceStep s = raw.trace[k];
        s.file = program.modules[raw.trace_modules[k]]->path;
        f.trace.push_back(std::move(s));
      }
      result.findings.push_back(std::move(f));
      file_lines.try_emplace(raw.module);
    }
  }
  // Snippets and fingerprints need the text of files with findings only.
  for (auto& [module, lines_of] : file_lines) {
    std::string text, why;
    if (ReadSource(program.modules[module]->path, options.max_file_bytes, text, why)) lines_of = SplitLines(text);
  }
  std::sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line, a.col, a.rule_id) < std::tie(b.file, b.line, b.col, b.rule_id);
  });
  // A pattern rule's "this is not a literal" guess says less than a taint
  // rule's proof of the same weakness at the same place: keep the proof.
  {
    std::vector<Finding> kept;
    kept.reserve(result.findings.size());
    for (std::size_t i = 0; i < result.findings.size();) {
      std::size_t end = i;
      const Finding& at = result.findings[i];
      while (end < result.findings.size() && result.findings[end].file == at.file &&
             result.findings[end].line == at.line && result.findings[end].col == at.col) {
        ++end;
      }
      std::set<std::string> proven;  // CWEs a taint finding here shows
      for (std::size_t k = i; k < end; ++k) {
        if (!result.findings[k].trace.empty()) proven.insert(result.findings[k].cwe);
      }
      for (std::size_t k = i; k < end; ++k) {
        Finding& f = result.findings[k];
        if (f.trace.empty() && proven.contains(f.cwe)) continue;
        kept.push_back(std::move(f));
      }
      i = end;
    }
    result.findings = std::move(kept);
  }
  std::map<std::string, std::uint32_t> module_of;
  for (std::uint32_t i = 0; i < program.modules.size(); ++i) {
    if (program.modules[i]) module_of[program.modules[i]->path] = i;
  }
  std::map<std::string, int> occurrences;
  for (Finding& f : result.findings) {
    const auto& ls = file_lines[module_of[f.file]];
    if (f.line >= 1 && f.line <= ls.size()) f.snippet = ls[f.line - 1];
    // rule + file + squashed line text + occurrence: survives line shifts.
    std::string base = f.rule_id + "\n" + f.file + "\n" + Squash(f.snippet);
    int n = occurrences[base]++;
    f.fingerprint = Hex(Fnv1a(base + "\n" + std::to_string(n)));
    f.snippet = ClipLine(f.snippet, f.col, kSnippetWidth);  // after the fingerprint: baselines see whole lines
  }
  result.files_scanned = files->size();
  result.lines_scanned = lines;
  result.bytes_scanned = bytes;
  return result;
}

// --------------------------------------------------------------- suppressions
void ApplySuppressions(ScanResult& result) {
  std::map<std::string, std::vector<std::string>> cache;
  std::vector<Finding> kept;
  std::set<std::pair<std::string, std::uint32_t>> warned;
  for (Finding& f : result.findings) {
    auto it = cache.find(f.file);
    if (it == cache.end()) {
      std::string text, why;
      std::vector<std::string> ls;
      if (ReadSource(f.file, 64u << 20, text, why)) ls = SplitLines(text);
      it = cache.emplace(f.file, std::move(ls)).first;
    }
    const auto& ls = it->second;
    std::uint32_t from = std::min(f.line, f.stmt_line ? f.stmt_line : f.line);
    std::uint32_t to = std::max(f.line, f.stmt_end_line);
    if (from > 1) --from;  // the line before the statement
    bool suppressed = false;
    for (std::uint32_t l = from; l <= to && l <= ls.size() && l >= 1; ++l) {
      const std::string& line = ls[l - 1];
      std::size_t at = line.find("bulwark-ignore:");
      if (at == std::string::npos) continue;
      std::istringstream rest(line.substr(at + std::strlen("bulwark-ignore:")));
      std::string id;
      rest >> id;
      std::string reason;
      std::getline(rest, reason);
      reason = Trim(reason);
      // strip a comment terminator left on the line
      for (const char* end : {"*/", "-->"}) {
        std::size_t e = reason.rfind(end);
        if (e != std::string::npos) reason = Trim(reason.substr(0, e));
      }
      if (id != f.rule_id) continue;
      if (reason.empty()) {
        if (warned.insert({f.file, l}).second) {
          result.notes.push_back({f.file + ":" + std::to_string(l),
                                  "bulwark-ignore for " + id + " has no reason; the finding is kept"});
        }
        continue;
      }
      suppressed = true;
      break;
    }
    if (!suppressed) kept.push_back(std::move(f));
  }
  result.findings = std::move(kept);
}

// ------------------------------------------------------------------ baselines
Result<void> WriteBaseline(const std::string& path, const std::vector<Finding>& findings) {
  boost::json::array items;
  for (const Finding& f : findings) {
    items.push_back(boost::json::object{{"fingerprint", f.fingerprint},
                                        {"rule", f.rule_id},
                                        {"file", f.file},
                                        {"line", f.line}});
  }
  boost::json::object root{{"version", 1}, {"tool", "bulwark review"}, {"findings", std::move(items)}};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error(ErrorCode::kUnavailable, "cannot write baseline file: " + path);
  out << boost::json::serialize(root) << "\n";
  if (!out) return Error(ErrorCode::kUnavailable, "cannot write baseline file: " + path);
  return Ok();
}

Result<std::vector<std::string>> ReadBaseline(const std::string& path) {
  std::string text, why;
  if (!ReadSource(path, 256u << 20, text, why)) {
    return Error(ErrorCode::kNotFound, "cannot read baseline file: " + path);
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Error(ErrorCode::kInvalidArgument, "baseline is not a JSON object: " + path);
  const boost::json::value* items = v.as_object().if_contains("findings");
  if (!items || !items->is_array()) return Error(ErrorCode::kInvalidArgument, "baseline has no 'findings' array: " + path);
  std::vector<std::string> out;
  for (const boost::json::value& item : items->as_array()) {
    const boost::json::value* fp = item.is_object() ? item.as_object().if_contains("fingerprint") : nullptr;
    if (!fp || !fp->is_string()) {
      return Error(ErrorCode::kInvalidArgument, "baseline entry without a 'fingerprint' string: " + path);
    }
    out.emplace_back(fp->as_string().c_str());
  }
  return out;
}

void DropBaselined(ScanResult& result, const std::vector<std::string>& fingerprints) {
  std::set<std::string> known(fingerprints.begin(), fingerprints.end());
  std::erase_if(result.findings, [&](const Finding& f) { return known.count(f.fingerprint) > 0; });
}

// ------------------------------------------------------------- changed lines
namespace {

// Runs git with fixed arguments (no shell) and returns its stdout.
Result<std::string> RunGit(const std::vector<std::string>& args, const std::string& cwd) {
  int pipefd[2];
  if (pipe(pipefd) != 0) return Error(ErrorCode::kInternal, "pipe failed");
  pid_t pid = fork();
  if (pid < 0) {
    close(pipefd[0]);
    close(pipefd[1]);
    return Error(ErrorCode::kInternal, "fork failed");
  }
  if (pid == 0) {
    dup2(pipefd[1], 1);
    close(pipefd[0]);
    close(pipefd[1]);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    std::vector<char*> argv;
    std::vector<std::string> copy = args;
    std::string git = "git";
    argv.push_back(git.data());
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("git", argv.data());
    _exit(127);
  }
  close(pipefd[1]);
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error(ErrorCode::kFailedPrecondition, "git " + (args.empty() ? std::string() : args[0]) + " failed");
  }
  return out;
}

}  // namespace

Result<void> KeepChangedSince(ScanResult& result, const std::string& git_ref) {
  if (git_ref.empty() || git_ref[0] == '-') return Error(ErrorCode::kInvalidArgument, "invalid git ref");
  BULWARK_ASSIGN_OR_RETURN(std::string top, RunGit({"rev-parse", "--show-toplevel"}, ""));
  top = Trim(top);
  while (!top.empty() && (top.back() == '\n' || top.back() == '\r')) top.pop_back();
  BULWARK_ASSIGN_OR_RETURN(std::string diff, RunGit({"diff", "--unified=0", "--no-color", "--no-ext-diff", git_ref, "--"}, top));
  BULWARK_ASSIGN_OR_RETURN(std::string untracked, RunGit({"ls-files", "--others", "--exclude-standard"}, top));
  namespace fs = std::filesystem;
  std::map<std::string, std::vector<std::pair<std::uint32_t, std::uint32_t>>> changed;
  std::set<std::string> whole;
  std::string current;
  for (const std::string& line : SplitLines(diff)) {
    if (line.starts_with("+++ ")) {
      current = line.substr(4);
      if (current.starts_with("b/")) current = current.substr(2);
      if (current == "/dev/null") current.clear();
      else current = fs::weakly_canonical(fs::path(top) / current).string();
    } else if (line.starts_with("@@") && !current.empty()) {
      std::size_t plus = line.find(" +");
      if (plus == std::string::npos) continue;
      std::uint32_t start = 0, count = 1;
      std::size_t k = plus + 2;
      while (k < line.size() && line[k] >= '0' && line[k] <= '9') start = start * 10 + static_cast<std::uint32_t>(line[k++] - '0');
      if (k < line.size() && line[k] == ',') {
        count = 0;
        ++k;
        while (k < line.size() && line[k] >= '0' && line[k] <= '9') count = count * 10 + static_cast<std::uint32_t>(line[k++] - '0');
      }
      if (count > 0) changed[current].push_back({start, start + count - 1});
    }
  }
  for (const std::string& f : SplitLines(untracked)) {
    if (!f.empty()) whole.insert(fs::weakly_canonical(fs::path(top) / f).string());
  }
  std::erase_if(result.findings, [&](const Finding& f) {
    std::string path = fs::weakly_canonical(fs::absolute(f.file)).string();
    if (whole.count(path)) return false;
    auto it = changed.find(path);
    if (it == changed.end()) return true;
    std::uint32_t lo = std::min(f.line, f.stmt_line ? f.stmt_line : f.line);
    std::uint32_t hi = std::max(f.line, f.stmt_end_line);
    for (const auto& [a, b] : it->second) {
      if (a <= hi && lo <= b) return false;
    }
    return true;
  });
  return Ok();
}

}  // namespace bulwark::review

// ---------------------------------------------------------------- test hooks
#include "bulwark/review/testing.h"

namespace bulwark::review {

std::vector<std::string> ReviewSourcesForTest(const RuleSet& rules,
                                              const std::vector<std::pair<std::string, std::string>>& files) {
  Program program;
  for (const auto& [name, text] : files) {
    if (name.ends_with(".properties")) {
      program.AddProperties(name, text);
      continue;
    }
    auto lang = DetectLanguage(name);
    if (!lang) continue;
    auto m = std::make_unique<ir::Module>();
    m->path = name;
    if (!ParseAndLower(*lang, text, *m)) continue;
    program.modules.push_back(std::move(m));
  }
  program.Index();
  Engine engine(rules.data(), program);
  for (std::uint32_t i = 0; i < program.modules.size(); ++i) engine.AnalyzeModule(i);
  std::vector<std::string> out;
  for (const RawFinding& f : engine.TakeFindings()) {
    out.push_back(rules.data().rules[static_cast<std::size_t>(f.rule)].id + ":" + std::to_string(f.line));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> ReviewSourceForTest(const std::string& name, const std::string& text) {
  static const Result<RuleSet> rules = RuleSet::Load({});
  if (!rules.ok()) return {};
  return ReviewSourcesForTest(*rules, {{name, text}});
}

}  // namespace bulwark::review
