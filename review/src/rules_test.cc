// The rule loader validates before anything runs and names the location of
// every problem.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bulwark/review/review.h"

namespace bulwark::review {
namespace {

using ::testing::HasSubstr;

const char* kModels = R"(models:
  languages: [python]
  sinks:
    - call: os.system
      args: [0]
      kind: command
)";

// A pattern rule with one match entry (its own lines, indented under `match:`).
std::string PatternRule(const std::string& match_entry) {
  return std::string(R"(rules:
  - id: p
    kind: pattern
    title: t
    languages: [python]
    cwe: CWE-1
    owasp: x
    severity: low
    precision: low
    message: m
    why: w
    fix: {python: x}
    references: [r]
    match:
)") + match_entry + "\n";
}

std::string Rule(const std::string& extra) {
  return std::string(R"(rules:
  - id: cmd
    kind: taint
    title: t
    languages: [python]
    cwe: CWE-78
    owasp: A03
    severity: high
    precision: high
    message: m
    why: w
    fix: {python: x}
    references: [r]
    sink: command
)") + extra;
}

TEST(RulesTest, BuiltinPackLoads) {
  auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok()) << rules.error().message();
  EXPECT_GT(rules->rule_count(), 10u);
}

TEST(RulesTest, ValidRuleLoads) {
  auto rules = RuleSet::FromYaml({{"m.yaml", kModels}, {"r.yaml", Rule("")}});
  ASSERT_TRUE(rules.ok()) << rules.error().message();
  EXPECT_EQ(rules->rule_count(), 1u);
}

TEST(RulesTest, UnknownKeyIsAnErrorWithLocation) {
  auto rules = RuleSet::FromYaml({{"m.yaml", kModels}, {"r.yaml", Rule("    colour: red\n")}});
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(rules.error().message(), HasSubstr("r.yaml:15:5: unknown key 'colour'"));
}

TEST(RulesTest, BadValuesAreErrors) {
  auto bad_cwe = RuleSet::FromYaml({{"m.yaml", kModels}, {"r.yaml", [] {
    std::string r = Rule("");
    r.replace(r.find("CWE-78"), 6, "78");
    return r;
  }()}});
  ASSERT_FALSE(bad_cwe.ok());
  EXPECT_THAT(bad_cwe.error().message(), HasSubstr("CWE-89"));
  auto no_model = RuleSet::FromYaml({{"r.yaml", Rule("")}});
  ASSERT_FALSE(no_model.ok());
  EXPECT_THAT(no_model.error().message(), HasSubstr("no model defines sink kind 'command'"));
  auto bad_regex = RuleSet::FromYaml({{"p.yaml", PatternRule(R"(      - assign: "(unclosed")")}});
  ASSERT_FALSE(bad_regex.ok());
  EXPECT_THAT(bad_regex.error().message(), HasSubstr("p.yaml:15:"));
  EXPECT_THAT(bad_regex.error().message(), HasSubstr("invalid regular expression"));
}

TEST(RulesTest, ConditionFlagsAreTrueOrFalse) {
  auto pattern = [](const std::string& where) { return PatternRule("      - call: [f]\n        where: " + where); };
  EXPECT_TRUE(RuleSet::FromYaml({{"p.yaml", pattern(R"({arg: 0, literal: "true"})")}}).ok());
  EXPECT_TRUE(RuleSet::FromYaml({{"p.yaml", pattern(R"({arg: 0, trivial-function: "false"})")}}).ok());
  // A typo would silently make the condition never hold.
  auto yes = RuleSet::FromYaml({{"p.yaml", pattern(R"({arg: 0, literal: "yes"})")}});
  ASSERT_FALSE(yes.ok());
  EXPECT_THAT(yes.error().message(), HasSubstr("p.yaml:16:"));
  EXPECT_THAT(yes.error().message(), HasSubstr("'literal' must be true or false"));
  auto two = RuleSet::FromYaml({{"p.yaml", pattern(R"({arg: 0, literal: "true", absent: "true"})")}});
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(two.error().message(), HasSubstr("exactly one of"));
  auto empty_prefix = RuleSet::FromYaml({{"p.yaml", pattern(R"({arg: 0, prefix: ""})")}});
  ASSERT_FALSE(empty_prefix.ok());
  EXPECT_THAT(empty_prefix.error().message(), HasSubstr("'prefix' must not be empty"));
}

TEST(RulesTest, MissingFixForALanguageIsAnError) {
  std::string r = Rule("");
  r.replace(r.find("languages: [python]"), 19, "languages: [python, java]");
  auto rules = RuleSet::FromYaml({{"m.yaml", kModels}, {"r.yaml", r}});
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(rules.error().message(), HasSubstr("no example for java"));
}

TEST(RulesTest, OutputTypesAreValidated) {
  std::string ok = std::string(kModels) + R"(  output-types:
    - call: ["*.set_type"]
      type: {arg: 0, matches: "^text/plain$"}
      kinds: [command]
)";
  auto good = RuleSet::FromYaml({{"m.yaml", ok}, {"r.yaml", Rule("")}});
  ASSERT_TRUE(good.ok()) << good.error().message();
  std::string no_type = std::string(kModels) + R"(  output-types:
    - call: ["*.set_type"]
      kinds: [command]
)";
  auto bad = RuleSet::FromYaml({{"m.yaml", no_type}, {"r.yaml", Rule("")}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message(), HasSubstr("m.yaml:8:"));
  EXPECT_THAT(bad.error().message(), HasSubstr("needs 'call', 'type' and 'kinds'"));
}

TEST(RulesTest, ValidatorsAreValidated) {
  std::string ok = std::string(kModels) + R"(  validators:
    - call: [is_safe]
      args: [0]
      options: [url]
      kinds: [command]
)";
  auto good = RuleSet::FromYaml({{"m.yaml", ok}, {"r.yaml", Rule("")}});
  ASSERT_TRUE(good.ok()) << good.error().message();
  std::string nothing_checked = std::string(kModels) + R"(  validators:
    - call: [is_safe]
      kinds: [command]
)";
  auto bad = RuleSet::FromYaml({{"m.yaml", nothing_checked}, {"r.yaml", Rule("")}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message(), HasSubstr("m.yaml:8:"));
  EXPECT_THAT(bad.error().message(), HasSubstr("needs 'args' and/or 'options'"));
  std::string receiver = std::string(kModels) + R"(  validators:
    - call: ["*.is_clean"]
      args: [receiver]
      kinds: [all]
)";
  auto good_receiver = RuleSet::FromYaml({{"m.yaml", receiver}, {"r.yaml", Rule("")}});
  EXPECT_TRUE(good_receiver.ok()) << good_receiver.error().message();
  std::string all_args = std::string(kModels) + R"(  validators:
    - call: [is_safe]
      args: [all]
      kinds: [command]
)";
  auto bad_arg = RuleSet::FromYaml({{"m.yaml", all_args}, {"r.yaml", Rule("")}});
  ASSERT_FALSE(bad_arg.ok());
  EXPECT_THAT(bad_arg.error().message(), HasSubstr("argument positions"));
}

TEST(RulesTest, ReturnSinkKeysBelongToReturnSinks) {
  std::string ok = std::string(kModels) + R"(    - return-of-decorated: [RestController]
      own-decorated: [GetMapping]
      kind: command
)";
  auto good = RuleSet::FromYaml({{"m.yaml", ok}, {"r.yaml", Rule("")}});
  ASSERT_TRUE(good.ok()) << good.error().message();
  std::string on_call = std::string(kModels) + R"(    - call: [run]
      args: [0]
      own-decorated: [GetMapping]
      kind: command
)";
  auto bad = RuleSet::FromYaml({{"m.yaml", on_call}, {"r.yaml", Rule("")}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message(), HasSubstr("m.yaml:7:"));
  EXPECT_THAT(bad.error().message(), HasSubstr("belong to a 'return-of-decorated' sink"));
}

TEST(RulesTest, ExportedParameterSourcesAreValidated) {
  const std::string sources = R"(  sources:
    - param-of-exported: true
      kind: caller
      built-only-for: [command]
)";
  // `caller` is opt-in: a rule must name it, alone or next to `default`.
  for (const char* extra : {"", "    sources: [default, caller]\n", "    sources: [caller]\n"}) {
    auto good = RuleSet::FromYaml({{"m.yaml", std::string(kModels) + sources}, {"r.yaml", Rule(extra)}});
    ASSERT_TRUE(good.ok()) << good.error().message();
  }
  auto unknown = RuleSet::FromYaml({{"m.yaml", kModels}, {"r.yaml", Rule("    sources: [defaults]\n")}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message(), HasSubstr("unknown source kind 'defaults'"));
  auto misplaced = RuleSet::FromYaml({{"m.yaml", std::string(kModels) + R"(  sources:
    - call: [read]
      kind: remote
      built-only-for: [command]
)"},
                                      {"r.yaml", Rule("")}});
  ASSERT_FALSE(misplaced.ok());
  EXPECT_THAT(misplaced.error().message(), HasSubstr("m.yaml:8:"));
  EXPECT_THAT(misplaced.error().message(), HasSubstr("'built-only-for' belongs to a 'param-of-exported' source"));
  auto not_true = RuleSet::FromYaml({{"m.yaml", std::string(kModels) + R"(  sources:
    - param-of-exported: yes please
      kind: caller
)"},
                                     {"r.yaml", Rule("")}});
  ASSERT_FALSE(not_true.ok());
  EXPECT_THAT(not_true.error().message(), HasSubstr("'param-of-exported' must be true"));
}

TEST(RulesTest, BufferConditionsAreValidated) {
  auto load = [](const std::string& cond) {
    return RuleSet::FromYaml({{"m.yaml", kModels}, {"r.yaml", PatternRule("      - call: [memcpy]\n        where: " + cond)}});
  };
  for (const char* good : {"{arg: 0, overflowed-by: {size: 2}}", "{arg: 0, overflowed-by: {size: 2, unit: 4, memory: stack}}",
                           "{arg: 0, fits: {source: 1, append: true}}"}) {
    auto r = load(good);
    EXPECT_TRUE(r.ok()) << good << ": " << r.error().message();
  }
  const std::pair<const char*, const char*> bad[] = {
      {"{arg: 0, overflowed-by: {size: 2, source: 1}}", "exactly one of 'source' or 'size'"},
      {"{arg: 0, overflowed-by: {}}", "exactly one of 'source' or 'size'"},
      {"{arg: 0, overflowed-by: 3}", "must be a mapping"},
      {"{arg: 0, fits: {size: 2, memory: disk}}", "'memory' must be 'stack' or 'heap'"},
      {"{arg: 0, fits: {size: 2, unit: 0}}", "unit"},
      {"{arg: 0, fits: {size: 2, bytes: 4}}", "bytes"},
      {"{option: dst, fits: {size: 2}}", "needs 'arg'"},
  };
  for (const auto& [cond, message] : bad) {
    auto r = load(cond);
    ASSERT_FALSE(r.ok()) << cond;
    EXPECT_THAT(r.error().message(), HasSubstr(message)) << cond;
    EXPECT_THAT(r.error().message(), HasSubstr("r.yaml:")) << cond;
  }
}

TEST(RulesTest, IndexWriteEntriesAreValidated) {
  auto load = [](const std::string& entry) {
    return RuleSet::FromYaml({{"m.yaml", kModels}, {"r.yaml", PatternRule(entry)}});
  };
  for (const char* good : {"      - index-write: {}", "      - index-write: {memory: heap}"}) {
    auto r = load(good);
    EXPECT_TRUE(r.ok()) << good << ": " << r.error().message();
  }
  const std::pair<const char*, const char*> bad[] = {
      {"      - index-write: true", "must be a mapping"},
      {"      - index-write: {memory: disk}", "'memory' must be 'stack' or 'heap'"},
      {"      - index-write: {size: 2}", "size"},
      {"      - index-write: {}\n        where: {arg: 0, literal: \"true\"}", "belong to 'call' entries"},
      {"      - index-write: {}\n        call: [memcpy]", "exactly one of"},
  };
  for (const auto& [entry, message] : bad) {
    auto r = load(entry);
    ASSERT_FALSE(r.ok()) << entry;
    EXPECT_THAT(r.error().message(), HasSubstr(message)) << entry;
  }
}

TEST(RulesTest, FreedEntriesAndReleasesAreValidated) {
  auto load = [](const std::string& entry) {
    return RuleSet::FromYaml({{"m.yaml", kModels}, {"r.yaml", PatternRule(entry)}});
  };
  for (const char* good : {"      - freed: use", "      - freed: release"}) {
    auto r = load(good);
    EXPECT_TRUE(r.ok()) << good << ": " << r.error().message();
  }
  const std::pair<const char*, const char*> bad[] = {
      {"      - freed: twice", "'freed' must be 'release'"},
      {"      - freed: use\n        call: [free]", "exactly one of"},
      {"      - freed: use\n        where: {arg: 0, literal: \"true\"}", "belong to 'call' entries"},
  };
  for (const auto& [entry, message] : bad) {
    auto r = load(entry);
    ASSERT_FALSE(r.ok()) << entry;
    EXPECT_THAT(r.error().message(), HasSubstr(message)) << entry;
  }
  std::string releases = std::string(kModels) + R"(  releases:
    - call: [free_all]
      args: [0, 1]
)";
  auto good = RuleSet::FromYaml({{"m.yaml", releases}, {"r.yaml", Rule("")}});
  EXPECT_TRUE(good.ok()) << good.error().message();
  for (const auto& [model, message] : std::vector<std::pair<std::string, std::string>>{
           {"    - call: [free]\n", "needs 'call' and 'args'"},
           {"    - call: [free]\n      args: [all]\n", "argument positions"},
           {"    - call: [free]\n      args: [receiver]\n", "argument positions"},
           {"    - call: [free]\n      args: [0]\n      kind: memory\n", "kind"},
       }) {
    auto r = RuleSet::FromYaml({{"m.yaml", std::string(kModels) + "  releases:\n" + model}, {"r.yaml", Rule("")}});
    ASSERT_FALSE(r.ok()) << model;
    EXPECT_THAT(r.error().message(), HasSubstr(message)) << model;
    EXPECT_THAT(r.error().message(), HasSubstr("m.yaml:")) << model;
  }
}

TEST(RulesTest, GarbageYamlIsAnError) {
  for (const char* text : {"[[[{{{", "rules: 7", "models: [1, 2]", "rules:\n  - 5\n", "\t\x01\x02"}) {
    auto rules = RuleSet::FromYaml({{"g.yaml", text}});
    EXPECT_FALSE(rules.ok()) << text;
  }
}

}  // namespace
}  // namespace bulwark::review
