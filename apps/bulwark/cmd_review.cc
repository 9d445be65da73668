// `bulwark review`: static security review of backend code. See
// docs/review.md. Exit codes: 0 nothing at or above --fail-on, 1 findings,
// 2 usage or internal error.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bulwark/review/review.h"
#include "commands.h"

namespace {

namespace review = bulwark::review;

struct ReviewArgs {
  std::string format = "text";
  std::string output;
  std::string fail_on;
  std::string baseline;
  std::string write_baseline;
  std::string changed_since;
  std::vector<std::string> rules;
  unsigned jobs = 0;
  std::vector<std::string> paths;
  std::string test_dir;
  bool list_rules = false;
  bool no_gitignore = false;
  std::vector<std::string> exclude;
};

[[noreturn]] void Fail(const std::string& message) {
  bulwark::cli::PrintError("review: " + message);
  throw bulwark::cli::Exit{bulwark::cli::kExitUsage};
}

void Run(const ReviewArgs& a) {
  if (!a.test_dir.empty()) {
    auto outcome = review::RunRuleTests(a.test_dir);
    if (!outcome.ok()) Fail(outcome.error().message());
    std::cout << outcome->report;
    throw bulwark::cli::Exit{outcome->failures ? bulwark::cli::kExitFindings : bulwark::cli::kExitOk};
  }
  // Configuration: the first path that is a directory, else the working dir.
  std::string config_dir = ".";
  for (const std::string& p : a.paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      config_dir = p;
      break;
    }
  }
  auto config = review::LoadConfig(config_dir);
  if (!config.ok()) Fail(config.error().message());
  std::vector<std::string> rule_dirs = config->rules;
  rule_dirs.insert(rule_dirs.end(), a.rules.begin(), a.rules.end());
  auto rules = review::RuleSet::Load(rule_dirs);
  if (!rules.ok()) Fail(rules.error().message());
  if (!config->disable.empty()) rules->Disable(config->disable);
  if (a.list_rules) {
    for (const std::string& id : rules->RuleIds()) std::cout << id << "\n";
    std::cout << "\n" << rules->CoverageTable();
    throw bulwark::cli::Exit{bulwark::cli::kExitOk};
  }
  if (a.paths.empty()) Fail("no PATH given (try: bulwark review .)");
  std::string fail_on_name = !a.fail_on.empty() ? a.fail_on : !config->fail_on.empty() ? config->fail_on : "low";
  auto fail_on = review::ParseSeverity(fail_on_name);
  if (!fail_on.ok()) Fail("--fail-on must be low, medium, high or critical");

  review::ScanOptions options;
  options.paths = a.paths;
  options.jobs = a.jobs;
  options.exclude = config->exclude;
  options.exclude.insert(options.exclude.end(), a.exclude.begin(), a.exclude.end());
  options.respect_gitignore = !a.no_gitignore;
  if (config->max_file_bytes) options.max_file_bytes = config->max_file_bytes;
  const bool tty = isatty(STDERR_FILENO) != 0;
  if (tty) {
    options.progress = [](std::size_t done, std::size_t total) {
      if (done % 16 == 0 || done == total) std::fprintf(stderr, "\rreviewing: %zu/%zu", done, total);
    };
  }
  auto result = review::Scan(*rules, options);
  if (tty) std::fprintf(stderr, "\r\x1b[K");
  if (!result.ok()) Fail(result.error().message());
  review::ApplySuppressions(*result);
  if (!a.changed_since.empty()) {
    auto r = review::KeepChangedSince(*result, a.changed_since);
    if (!r.ok()) Fail(r.error().message());
  }
  if (!a.write_baseline.empty()) {
    auto r = review::WriteBaseline(a.write_baseline, result->findings);
    if (!r.ok()) Fail(r.error().message());
  }
  if (!a.baseline.empty()) {
    auto known = review::ReadBaseline(a.baseline);
    if (!known.ok()) Fail(known.error().message());
    review::DropBaselined(*result, *known);
  }
  std::string text;
  if (a.format == "json") {
    text = review::FormatJson(*result);
  } else if (a.format == "sarif") {
    text = review::FormatSarif(*result, *rules);
  } else {
    bool color = a.output.empty() && isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
    text = review::FormatText(*result, color);
  }
  if (a.output.empty()) {
    std::cout << text;
  } else {
    std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) Fail("cannot write " + a.output);
  }
  bool failing = false;
  for (const review::Finding& f : result->findings) failing |= f.severity >= *fail_on;
  throw bulwark::cli::Exit{failing ? bulwark::cli::kExitFindings : bulwark::cli::kExitOk};
}

bulwark::cli::CommandRegistration kReviewCommand("review", [](CLI::App& app) {
  auto args = std::make_shared<ReviewArgs>();
  CLI::App* cmd = app.add_subcommand("review", "Static security review of source code (taint and pattern rules)");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("--output,-o", args->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--fail-on", args->fail_on, "Exit 1 when a finding has at least this severity (default: low)")
      ->check(CLI::IsMember({"low", "medium", "high", "critical"}));
  cmd->add_option("--baseline", args->baseline, "Ignore findings recorded in this baseline file");
  cmd->add_option("--write-baseline", args->write_baseline, "Record current findings in FILE");
  cmd->add_option("--changed-since", args->changed_since, "Only report findings on lines changed since GIT_REF");
  cmd->add_option("--rules", args->rules, "Extra rule directory (repeatable)")->allow_extra_args(false);
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default: all cores)")->check(CLI::Range(0u, 1024u));
  cmd->add_option("--test", args->test_dir, "Run the annotated rule samples under DIR and exit");
  cmd->add_flag("--list-rules", args->list_rules, "Print rule ids and per-language/CWE counts");
  cmd->add_option("--exclude", args->exclude, "Skip paths matching this gitignore-style pattern (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--no-gitignore", args->no_gitignore, "Scan files even if .gitignore excludes them");
  cmd->add_option("PATH", args->paths, "Files or directories to review");
  cmd->callback([args] { Run(*args); });
});

}  // namespace
