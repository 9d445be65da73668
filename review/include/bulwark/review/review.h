#pragma once
// bulwark review: a static security reviewer for backend code.
//
// Pipeline (each layer ignorant of the ones above it): tree-sitter parse ->
// lowering to a small IR -> models (sources, sinks, sanitizers, propagators;
// data in rules/models/*.yaml) -> validated rules (rules/*.yaml) -> a dataflow
// engine with constant folding, dead-branch pruning, field/collection
// awareness and function summaries across the scanned project -> reports
// (text, JSON, SARIF 2.1.0).
//
// Thread-safety: a RuleSet is immutable after LoadRules and may be shared;
// Scan() runs its own worker threads and is safe to call concurrently with
// distinct options.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::review {

enum class Severity : std::uint8_t { kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity severity) noexcept;
// "low" | "medium" | "high" | "critical"; kInvalidArgument otherwise.
Result<Severity> ParseSeverity(std::string_view name);

struct RuleSetData;  // opaque: typed rules, models and their indexes

// A validated set of rules and models. Cheap to copy (shared, immutable).
class RuleSet {
 public:
  // Built-in rule pack (embedded at build time from rules/), plus every
  // *.yaml under each of `extra_dirs`. A rule in an extra dir with the same
  // id as a built-in replaces it. Any invalid file is an error naming the
  // file, line and column; nothing is loaded partially.
  static Result<RuleSet> Load(const std::vector<std::string>& extra_dirs, bool include_builtin = true);
  // Rules and models from YAML text (one document) — for tests and fuzzing.
  // `name` is used in error messages.
  static Result<RuleSet> FromYaml(const std::vector<std::pair<std::string, std::string>>& documents);

  std::size_t rule_count() const noexcept;
  // "id" of every rule, in load order.
  std::vector<std::string> RuleIds() const;
  // Removes rules by id (config `disable = [...]`); unknown ids are ignored.
  void Disable(const std::vector<std::string>& ids);
  // Per language and CWE, how many rules apply ("python CWE-89 2").
  std::string CoverageTable() const;

  const RuleSetData& data() const { return *data_; }

 private:
  explicit RuleSet(std::shared_ptr<RuleSetData> data) : data_(std::move(data)) {}
  std::shared_ptr<RuleSetData> data_;
};

struct TraceStep {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  std::string note;  // "source: request.getParameter", "assigned to bar", "sink: executeQuery"
};

struct Finding {
  std::string rule_id;
  std::string title;
  std::string cwe;     // "CWE-89"
  std::string owasp;   // "A03:2021-Injection"
  Severity severity = Severity::kLow;
  std::string precision;  // "high" | "medium" | "low"
  std::string message;
  std::string why;
  std::string fix;     // secure alternative for this file's language
  std::vector<std::string> references;
  std::string file;
  std::uint32_t line = 0;  // 1-based
  std::uint32_t col = 0;   // 1-based
  std::uint32_t stmt_line = 0;      // the enclosing statement, for suppressions
  std::uint32_t stmt_end_line = 0;
  std::vector<TraceStep> trace;  // taint path, source first; empty for pattern rules
  std::string fingerprint;       // stable across line shifts (see docs/review.md)
  std::string snippet;           // the finding's source line
};

struct ScanOptions {
  std::vector<std::string> paths;   // files or directories
  unsigned jobs = 0;                // 0: hardware concurrency
  std::uint64_t max_file_bytes = 2 * 1024 * 1024;
  std::vector<std::string> exclude;  // gitignore-style patterns (config)
  bool respect_gitignore = true;
  // Called from the scanning thread with (done, total) now and then.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct Note {
  std::string file;
  std::string message;  // "skipped: binary file", "unparseable: ..."
};

struct ScanResult {
  std::vector<Finding> findings;  // sorted by file, line, col, rule
  std::vector<Note> notes;
  std::size_t files_scanned = 0;
  std::uint64_t lines_scanned = 0;
  std::uint64_t bytes_scanned = 0;
};

// Scans `options.paths` with `rules`. Unparseable, binary and oversized files
// become notes, never errors; an error is returned only for unusable options
// (a path that does not exist).
Result<ScanResult> Scan(const RuleSet& rules, const ScanOptions& options);

// Applies inline `bulwark-ignore: <rule-id> <reason>` comments (on the
// finding's line, the line before, or anywhere in its statement). A
// suppression without a reason does not suppress and adds a note.
void ApplySuppressions(ScanResult& result);

// Baselines: a JSON file of finding fingerprints.
Result<void> WriteBaseline(const std::string& path, const std::vector<Finding>& findings);
Result<std::vector<std::string>> ReadBaseline(const std::string& path);
void DropBaselined(ScanResult& result, const std::vector<std::string>& fingerprints);

// Keeps findings whose statement touches a line changed since `git_ref`
// (git diff against the work tree, untracked files count as changed).
Result<void> KeepChangedSince(ScanResult& result, const std::string& git_ref);

// `.bulwark-review.toml`, read from a scanned directory (or the working
// directory). All keys are optional:
//   exclude = ["build/", "third_party/**"]   # gitignore-style patterns
//   rules = ["tools/review-rules"]           # extra rule directories (relative to the file)
//   disable = ["weak-random"]                # rule ids to turn off
//   fail-on = "high"
//   max-file-size = 2097152
struct Config {
  bool found = false;
  std::string path;
  std::vector<std::string> exclude;
  std::vector<std::string> rules;
  std::vector<std::string> disable;
  std::string fail_on;  // "" when unset
  std::uint64_t max_file_bytes = 0;  // 0 when unset
};
// Looks for .bulwark-review.toml in `dir`. A missing file is not an error;
// an invalid one is (with its location).
Result<Config> LoadConfig(const std::string& dir);

enum class Format { kText, kJson, kSarif };
// `color`: ANSI colours for a terminal.
std::string FormatText(const ScanResult& result, bool color);
std::string FormatJson(const ScanResult& result);
std::string FormatSarif(const ScanResult& result, const RuleSet& rules);

// Rule tests: scans every non-YAML file under `dir` with the rules and models
// found under `dir` and checks the `ruleid:` / `ok:` annotations. Also fails
// when a rule lacks either kind of sample. `report` receives one line per
// failure and a summary.
struct RuleTestOutcome {
  std::size_t files = 0;
  std::size_t expectations = 0;
  std::size_t failures = 0;
  std::string report;
};
Result<RuleTestOutcome> RunRuleTests(const std::string& dir);

}  // namespace bulwark::review
