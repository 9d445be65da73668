// Rule and model loading: YAML is read raw, then validated field by field into
// typed structures. Every problem is an error naming file:line:column; a rule
// set is either fully valid or not loaded at all.
#include "rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <functional>
#include <sstream>

namespace bulwark::review {

struct EmbeddedRuleFile {
  const char* path;
  const char* text;
};
extern const EmbeddedRuleFile kEmbeddedRuleFiles[];
extern const std::size_t kEmbeddedRuleFileCount;

namespace {

constexpr std::string_view kSourceKinds[] = {"remote", "env", "cli", "stdin", "file", "database", "caller", "random"};
// Sources a taint rule takes only when its `sources` names them: "caller" is
// the arguments of a function a JS module exports, which matter for a few
// sinks only (a package building a shell command from its caller's string);
// "random" is a number nobody chose, which matters only where any value
// can hurt (a zero divisor).
constexpr std::string_view kOptInSourceKinds[] = {"caller", "random"};

// Thrown inside the loader only; converted to an Error at the boundary.
struct LoadError {
  std::string message;
};

class Loader {
 public:
  explicit Loader(RuleSetData& data) : d_(data) {
    for (std::string_view k : kSourceKinds) d_.source_kinds.emplace_back(k);
  }

  void LoadDocument(const std::string& name, const std::string& text) {
    file_ = name;
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      throw LoadError{Where(e.mark) + "invalid YAML: " + e.msg};
    }
    if (!root.IsDefined() || root.IsNull()) return;  // empty file
    if (!root.IsMap()) Fail(root, "expected a mapping with 'rules' and/or 'models'");
    CheckKeys(root, {"rules", "models"}, "file");
    if (root["models"]) LoadModels(root["models"]);
    if (root["rules"]) {
      YAML::Node rules = root["rules"];
      if (!rules.IsSequence()) Fail(rules, "'rules' must be a list");
      for (const YAML::Node& r : rules) pending_rules_.push_back({file_, r});
    }
  }

  // Rules are validated after all models, so sink kinds are known.
  void Finish() {
    for (auto& [file, node] : pending_rules_) {
      file_ = file;
      LoadRule(node);
    }
  }

 private:
  [[noreturn]] void Fail(const YAML::Node& node, const std::string& message) {
    throw LoadError{Where(node.Mark()) + message};
  }
  std::string Where(const YAML::Mark& mark) {
    if (mark.is_null()) return file_ + ": ";
    return file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": ";
  }

  void CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, const char* what) {
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) Fail(kv.first, std::string("keys of a ") + what + " must be strings");
      std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Fail(kv.first, "unknown key '" + key + "' in " + what);
      }
    }
  }

  std::string Scalar(const YAML::Node& n, const char* what) {
    if (!n.IsScalar()) Fail(n, std::string("'") + what + "' must be a string");
    return n.Scalar();
  }
  std::string Required(const YAML::Node& map, const char* key, const char* what) {
    YAML::Node n = map[key];
    if (!n) Fail(map, std::string(what) + " is missing required key '" + key + "'");
    std::string s = Scalar(n, key);
    if (s.empty()) Fail(n, std::string("'") + key + "' must not be empty");
    return s;
  }
  // A string or a list of strings.
  std::vector<std::string> Strings(const YAML::Node& n, const char* what) {
    std::vector<std::string> out;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
    } else if (n.IsSequence()) {
      for (const YAML::Node& x : n) out.push_back(Scalar(x, what));
    } else {
      Fail(n, std::string("'") + what + "' must be a string or a list of strings");
    }
    if (out.empty()) Fail(n, std::string("'") + what + "' must not be empty");
    return out;
  }
  bool Bool(const YAML::Node& n, const char* what) {
    std::string v = Scalar(n, what);
    if (v != "true" && v != "false") Fail(n, std::string("'") + what + "' must be true or false");
    return v == "true";
  }
  int Int(const YAML::Node& n, const char* what, int lo, int hi) {
    std::string s = Scalar(n, what);
    int v = 0;
    bool neg = !s.empty() && s[0] == '-';
    std::size_t i = neg ? 1 : 0;
    if (i >= s.size()) Fail(n, std::string("'") + what + "' must be an integer");
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || v > 100000) Fail(n, std::string("'") + what + "' must be an integer");
      v = v * 10 + (s[i] - '0');
    }
    if (neg) v = -v;
    if (v < lo || v > hi) Fail(n, std::string("'") + what + "' is out of range");
    return v;
  }
  std::shared_ptr<RE2> Regex(const YAML::Node& n, const char* what) {
    std::string pattern = Scalar(n, what);
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(1 << 20);
    auto re = std::make_shared<RE2>(pattern, options);
    if (!re->ok()) Fail(n, std::string("invalid regular expression in '") + what + "': " + re->error());
    return re;
  }

  std::uint32_t Languages(const YAML::Node& n) {
    std::uint32_t mask = 0;
    for (const std::string& name : Strings(n, "languages")) {
      auto lang = LanguageFromName(name);
      if (!lang) Fail(n, "unknown language '" + name + "'");
      mask |= 1u << static_cast<unsigned>(RuleLanguage(*lang));
    }
    return mask;
  }

  int SinkKind(const YAML::Node& n) {
    std::string name = Scalar(n, "kind");
    for (char c : name) {
      if (!((c >= 'a' && c <= 'z') || c == '-' || (c >= '0' && c <= '9'))) {
        Fail(n, "sink kind '" + name + "' must be lower-case letters, digits and '-'");
      }
    }
    for (std::size_t i = 0; i < d_.sink_kinds.size(); ++i) {
      if (d_.sink_kinds[i] == name) return static_cast<int>(i);
    }
    if (d_.sink_kinds.size() >= 31) Fail(n, "too many sink kinds (at most 31)");
    d_.sink_kinds.push_back(name);
    return static_cast<int>(d_.sink_kinds.size() - 1);
  }
  int SourceKind(const YAML::Node& n) {
    std::string name = Scalar(n, "kind");
    for (std::size_t i = 0; i < d_.source_kinds.size(); ++i) {
      if (d_.source_kinds[i] == name) return static_cast<int>(i);
    }
    std::string known;
    for (auto& k : d_.source_kinds) known += (known.empty() ? "" : ", ") + k;
    Fail(n, "unknown source kind '" + name + "' (known: " + known + ")");
  }

  Cond ParseCond(const YAML::Node& n) {
    if (!n.IsMap()) Fail(n, "a condition must be a mapping");
    CheckKeys(n, {"arg", "option", "equals", "matches", "not-constant", "not-constant-here", "prefix", "literal",
                  "trivial-function", "absent", "below", "any-bits", "integer", "redos", "overflowed-by", "fits",
                  "before-start", "type-matches"},
              "condition");
    Cond c;
    if (n["arg"]) c.index = Int(n["arg"], "arg", 0, 64);
    if (n["option"]) c.option = Scalar(n["option"], "option");
    if ((c.index >= 0) == !c.option.empty()) Fail(n, "a condition needs exactly one of 'arg' or 'option'");
    int tests = 0;
    if (n["equals"]) {
      c.equals = Strings(n["equals"], "equals");
      ++tests;
    }
    if (n["matches"]) {
      c.matches = Regex(n["matches"], "matches");
      ++tests;
    }
    if (n["type-matches"]) {
      c.type_matches = Regex(n["type-matches"], "type-matches");
      ++tests;
    }
    // Flag tests: `literal: "true"` (anything but true/false is a rule error).
    auto flag = [&](const char* key, bool& out) {
      if (!n[key]) return;
      out = Bool(n[key], key);
      ++tests;
    };
    flag("not-constant", c.not_constant);
    flag("not-constant-here", c.not_constant_here);
    flag("trivial-function", c.trivial_function);
    flag("literal", c.literal);
    flag("absent", c.absent);
    flag("integer", c.integer);
    flag("redos", c.redos);
    flag("before-start", c.before_start);
    if (n["prefix"]) {
      c.prefix = Scalar(n["prefix"], "prefix");
      if (c.prefix.empty()) Fail(n["prefix"], "'prefix' must not be empty");
      ++tests;
    }
    if (n["below"]) {
      c.below = Int(n["below"], "below", 0, 1 << 30);
      ++tests;
    }
    if (n["any-bits"]) {
      c.any_bits = Int(n["any-bits"], "any-bits", 1, 1 << 30);
      ++tests;
    }
    for (const char* key : {"overflowed-by", "fits"}) {
      YAML::Node b = n[key];
      if (!b) continue;
      ++tests;
      if (!b.IsMap()) Fail(b, std::string("'") + key + "' must be a mapping with 'source' or 'size'");
      CheckKeys(b, {"source", "size", "unit", "memory", "append"}, key);
      if (b["append"]) c.buffer_append = Bool(b["append"], "append");
      c.buffer = std::string_view(key) == "fits" ? Cond::BufferTest::kFits : Cond::BufferTest::kOverflows;
      if (b["source"]) c.buffer_source = Int(b["source"], "source", 0, 64);
      if (b["size"]) c.buffer_size = Int(b["size"], "size", 0, 64);
      if ((c.buffer_source >= 0) == (c.buffer_size >= 0)) Fail(b, std::string("'") + key + "' needs exactly one of 'source' or 'size'");
      if (b["unit"]) c.buffer_unit = Int(b["unit"], "unit", 1, 16);
      if (b["memory"]) {
        const std::string m = Scalar(b["memory"], "memory");
        if (m == "stack") c.buffer_memory = 1;
        else if (m == "heap") c.buffer_memory = 2;
        else Fail(b["memory"], "'memory' must be 'stack' or 'heap'");
      }
      if (c.index < 0) Fail(n, std::string("'") + key + "' needs 'arg' (the destination)");
    }
    if (tests != 1) {
      Fail(n, "a condition needs exactly one of 'equals', 'matches', 'not-constant', 'not-constant-here', 'prefix', "
              "'literal', 'trivial-function', 'absent', 'below', 'any-bits', 'integer', 'redos', 'overflowed-by', "
              "'fits', 'before-start', 'type-matches'");
    }
    return c;
  }
  std::vector<Cond> Conds(const YAML::Node& n) {
    std::vector<Cond> out;
    if (n.IsMap()) {
      out.push_back(ParseCond(n));
      return out;
    }
    if (!n.IsSequence()) Fail(n, "conditions must be a list");
    for (const YAML::Node& c : n) out.push_back(ParseCond(c));
    return out;
  }
  // `kinds: [sql, html]` as a bit mask of sink kinds; `all` (where allowed)
  // is every kind.
  std::uint32_t KindMask(const YAML::Node& n, bool allow_all) {
    std::uint32_t mask = 0;
    for (const std::string& k : Strings(n, "kinds")) {
      if (allow_all && k == "all") {
        mask = kAllKinds;
        continue;
      }
      YAML::Node kn(k);
      mask |= 1u << static_cast<unsigned>(SinkKind(kn));
    }
    return mask;
  }

  std::vector<int> ArgList(const YAML::Node& n, const char* what) {
    std::vector<int> out;
    auto one = [&](const YAML::Node& x) {
      std::string s = Scalar(x, what);
      if (s == "all") out.push_back(-1);
      else if (s == "receiver") out.push_back(-2);
      else out.push_back(Int(x, what, 0, 64));
    };
    if (n.IsSequence()) {
      for (const YAML::Node& x : n) one(x);
    } else {
      one(n);
    }
    return out;
  }

  void ForLanguages(std::uint32_t mask, const std::function<void(LanguageModels&)>& fn) {
    for (int i = 0; i < kLanguageCount; ++i) {
      if (mask & (1u << i)) fn(d_.models[static_cast<std::size_t>(i)]);
    }
  }

  void AddCalls(std::uint32_t mask, const std::vector<std::string>& globs, const std::shared_ptr<const CallModel>& m) {
    ForLanguages(mask, [&](LanguageModels& lm) {
      for (const std::string& g : globs) lm.calls.Add(g, m);
    });
  }

  void LoadModels(const YAML::Node& n) {
    if (!n.IsMap()) Fail(n, "'models' must be a mapping");
    CheckKeys(n, {"languages", "sources", "sinks", "sanitizers", "propagators", "clean", "collections", "output-types",
                   "exits", "validators", "releases", "allocations", "dereferences", "decoders"},
              "models");
    if (!n["languages"]) Fail(n, "models need 'languages'");
    std::uint32_t mask = Languages(n["languages"]);
    auto origin = [&](const YAML::Node& x) {
      return file_ + ":" + std::to_string(x.Mark().line + 1);
    };
    auto list = [&](const char* key) {
      YAML::Node l = n[key];
      if (l && !l.IsSequence()) Fail(l, std::string("'") + key + "' must be a list");
      return l;
    };
    if (YAML::Node l = list("sources")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a source must be a mapping");
        CheckKeys(e, {"call", "access", "kind", "out-arg", "param-annotation", "param", "param-of-decorated",
                      "param-of-exported", "param-of-routed", "when", "unless", "safe-for", "built-only-for"},
                  "source");
        if (e["built-only-for"] && !e["param-of-exported"]) {
          Fail(e, "'built-only-for' belongs to a 'param-of-exported' source");
        }
        if (e["safe-for"] && !e["call"] && !e["access"]) Fail(e, "'safe-for' belongs to a 'call' or 'access' source");
        const std::uint32_t safe_for = e["safe-for"] ? KindMask(e["safe-for"], /*allow_all=*/false) : 0;
        if (!e["kind"]) Fail(e, "a source needs 'kind'");
        int kind = SourceKind(e["kind"]);
        int forms = (e["call"] ? 1 : 0) + (e["access"] ? 1 : 0) + (e["param-annotation"] ? 1 : 0) + (e["param"] ? 1 : 0) +
                    (e["param-of-decorated"] ? 1 : 0) + (e["param-of-exported"] ? 1 : 0) +
                    (e["param-of-routed"] ? 1 : 0);
        if (forms != 1) {
          Fail(e, "a source needs exactly one of 'call', 'access', 'param-annotation', 'param', 'param-of-decorated', "
                  "'param-of-exported', 'param-of-routed'");
        }
        if (e["call"]) {
          auto m = std::make_shared<CallModel>();
          m->role = CallModel::kSource;
          m->kind = kind;
          m->kinds = safe_for;
          m->origin = origin(e);
          if (e["out-arg"]) {
            // props.load(stream): the receiver is filled with input.
            m->to = e["out-arg"].IsScalar() && e["out-arg"].Scalar() == "receiver" ? -2 : Int(e["out-arg"], "out-arg", 0, 64);
          }
          if (e["when"]) m->when = Conds(e["when"]);
          if (e["unless"]) m->unless = Conds(e["unless"]);
          AddCalls(mask, Strings(e["call"], "call"), m);
        } else if (e["access"]) {
          auto globs = Strings(e["access"], "access");
          ForLanguages(mask, [&](LanguageModels& lm) {
            for (auto& g : globs) lm.access.Add(g, AccessModel{kind, safe_for});
          });
        } else if (e["param-of-exported"]) {
          if (!e["param-of-exported"].IsScalar() || e["param-of-exported"].Scalar() != "true") {
            Fail(e["param-of-exported"], "'param-of-exported' must be true");
          }
          ParamSource ps;
          ps.exported = true;
          ps.kind = kind;
          if (e["built-only-for"]) ps.built_only = KindMask(e["built-only-for"], /*allow_all=*/false);
          ForLanguages(mask, [&](LanguageModels& lm) { lm.param_sources.push_back(ps); });
        } else if (e["param-of-routed"]) {
          ParamSource ps;
          ps.routed = Strings(e["param-of-routed"], "param-of-routed");
          ps.kind = kind;
          ForLanguages(mask, [&](LanguageModels& lm) { lm.param_sources.push_back(ps); });
        } else if (e["param-of-decorated"]) {
          ParamSource ps;
          ps.decorators = Strings(e["param-of-decorated"], "param-of-decorated");
          ps.kind = kind;
          ForLanguages(mask, [&](LanguageModels& lm) { lm.param_sources.push_back(ps); });
        } else if (e["param-annotation"]) {
          ParamSource ps;
          ps.annotations = Strings(e["param-annotation"], "param-annotation");
          ps.kind = kind;
          ForLanguages(mask, [&](LanguageModels& lm) { lm.param_sources.push_back(ps); });
        } else {
          YAML::Node p = e["param"];
          if (!p.IsMap()) Fail(p, "'param' must be a mapping with 'function' and 'index'");
          CheckKeys(p, {"function", "index"}, "param");
          ParamSource ps;
          ps.function = Required(p, "function", "param");
          if (!p["index"]) Fail(p, "'param' needs 'index'");
          ps.index = Int(p["index"], "index", 0, 64);
          ps.kind = kind;
          ForLanguages(mask, [&](LanguageModels& lm) { lm.param_sources.push_back(ps); });
        }
      }
    }
    if (YAML::Node l = list("sinks")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a sink must be a mapping");
        CheckKeys(e, {"call", "store", "return-of-decorated", "kind", "args", "options", "when", "unless", "return-type",
                      "prefix", "unless-prefix", "unless-decorated", "own-decorated"},
                  "sink");
        if (!e["return-of-decorated"] && (e["return-type"] || e["prefix"] || e["unless-prefix"] ||
                                          e["unless-decorated"] || e["own-decorated"])) {
          Fail(e, "'return-type', 'prefix', 'unless-prefix', 'unless-decorated' and 'own-decorated' belong to a "
                  "'return-of-decorated' sink");
        }
        if (!e["kind"]) Fail(e, "a sink needs 'kind'");
        int kind = SinkKind(e["kind"]);
        sink_kind_defined_in_model_.insert(d_.sink_kinds[static_cast<std::size_t>(kind)]);
        int forms = (e["call"] ? 1 : 0) + (e["store"] ? 1 : 0) + (e["return-of-decorated"] ? 1 : 0);
        if (forms != 1) Fail(e, "a sink needs exactly one of 'call', 'store', 'return-of-decorated'");
        if (e["call"]) {
          auto m = std::make_shared<CallModel>();
          m->role = CallModel::kSink;
          m->kind = kind;
          m->origin = origin(e);
          if (e["args"]) m->args = ArgList(e["args"], "args");
          if (e["options"]) m->options = Strings(e["options"], "options");
          if (m->args.empty() && m->options.empty()) Fail(e, "a call sink needs 'args' and/or 'options'");
          if (e["when"]) m->when = Conds(e["when"]);
          if (e["unless"]) m->unless = Conds(e["unless"]);
          AddCalls(mask, Strings(e["call"], "call"), m);
        } else if (e["store"]) {
          auto globs = Strings(e["store"], "store");
          ForLanguages(mask, [&](LanguageModels& lm) {
            for (auto& g : globs) lm.stores.Add(g, StoreModel{kind});
          });
        } else {
          ReturnSink rs;
          rs.decorators = Strings(e["return-of-decorated"], "return-of-decorated");
          rs.kind = kind;
          if (e["return-type"]) rs.return_types = Strings(e["return-type"], "return-type");
          if (e["prefix"]) rs.prefix = Scalar(e["prefix"], "prefix");
          if (e["unless-prefix"]) rs.unless_prefix = Scalar(e["unless-prefix"], "unless-prefix");
          if (e["unless-decorated"]) rs.unless_decorators = Strings(e["unless-decorated"], "unless-decorated");
          if (e["own-decorated"]) rs.own_decorators = Strings(e["own-decorated"], "own-decorated");
          if (e["when"]) rs.when = Conds(e["when"]);
          ForLanguages(mask, [&](LanguageModels& lm) { lm.return_sinks.push_back(rs); });
        }
      }
    }
    if (YAML::Node l = list("sanitizers")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a sanitizer must be a mapping");
        CheckKeys(e, {"call", "kinds", "except", "when", "unless", "normalizes"}, "sanitizer");
        if (!e["call"] || !e["kinds"]) Fail(e, "a sanitizer needs 'call' and 'kinds'");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kSanitizer;
        m->origin = origin(e);
        m->kinds = KindMask(e["kinds"], /*allow_all=*/true);
        // `kinds: [all], except: [index]`: a number is safe for every sink but
        // the ones a number can harm.
        if (e["except"]) m->kinds &= ~KindMask(e["except"], /*allow_all=*/false);
        if (e["normalizes"]) m->normalizes = Bool(e["normalizes"], "normalizes");
        if (e["when"]) m->when = Conds(e["when"]);
        if (e["unless"]) m->unless = Conds(e["unless"]);
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("decoders")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a decoder must be a mapping");
        CheckKeys(e, {"call", "kinds"}, "decoder");
        if (!e["call"] || !e["kinds"]) Fail(e, "a decoder needs 'call' and 'kinds'");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kDecoder;
        m->origin = origin(e);
        m->kinds = KindMask(e["kinds"], /*allow_all=*/false);
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("exits")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "an exits entry must be a mapping");
        CheckKeys(e, {"call"}, "exits");
        if (!e["call"]) Fail(e, "an exits entry needs 'call'");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kExit;
        m->origin = origin(e);
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("releases")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a releases entry must be a mapping");
        CheckKeys(e, {"call", "args", "memory"}, "releases");
        if (!e["call"] || !e["args"]) Fail(e, "a releases entry needs 'call' and 'args' (the released pointers)");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kRelease;
        m->origin = origin(e);
        m->args = ArgList(e["args"], "args");
        for (int a : m->args) {
          if (a < 0) Fail(e["args"], "release args are argument positions (0, 1, ...)");
        }
        if (e["memory"]) {
          m->memory = MemoryFamily(e["memory"]);
          if (m->memory == Memory::kStack) Fail(e["memory"], "a release's 'memory' is a heap: malloc, new or new[]");
        }
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("dereferences")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a dereferences entry must be a mapping");
        CheckKeys(e, {"call", "args"}, "dereferences");
        if (!e["call"] || !e["args"]) Fail(e, "a dereferences entry needs 'call' and 'args' (the pointers read through)");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kDereference;
        m->origin = origin(e);
        m->args = ArgList(e["args"], "args");
        for (int a : m->args) {
          if (a < 0) Fail(e["args"], "dereferenced args are argument positions (0, 1, ...)");
        }
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("allocations")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "an allocations entry must be a mapping");
        CheckKeys(e, {"call", "memory"}, "allocations");
        if (!e["call"] || !e["memory"]) Fail(e, "an allocations entry needs 'call' and 'memory'");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kAllocate;
        m->origin = origin(e);
        m->memory = MemoryFamily(e["memory"]);
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("validators")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a validator must be a mapping");
        CheckKeys(e, {"call", "kinds", "args", "options", "after-normalize"}, "validator");
        if (!e["call"] || !e["kinds"]) Fail(e, "a validator needs 'call' and 'kinds'");
        if (!e["args"] && !e["options"]) Fail(e, "a validator needs 'args' and/or 'options' (what it checks)");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kValidator;
        m->origin = origin(e);
        m->kinds = KindMask(e["kinds"], /*allow_all=*/true);
        if (e["args"]) m->args = ArgList(e["args"], "args");
        for (int a : m->args) {
          if (a == -1) Fail(e["args"], "validator args are argument positions (0, 1, ...) or receiver");
        }
        if (e["options"]) m->options = Strings(e["options"], "options");
        if (e["after-normalize"]) m->after_normalize = Bool(e["after-normalize"], "after-normalize");
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("output-types")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "an output-types entry must be a mapping");
        CheckKeys(e, {"call", "kinds", "when", "type"}, "output-types");
        if (!e["call"] || !e["kinds"] || !e["type"]) Fail(e, "an output-types entry needs 'call', 'type' and 'kinds'");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kOutputType;
        m->origin = origin(e);
        m->kinds = KindMask(e["kinds"], /*allow_all=*/false);
        if (e["when"]) m->when = Conds(e["when"]);
        m->type = Conds(e["type"]);
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("propagators")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a propagator must be a mapping");
        CheckKeys(e, {"call", "from", "to"}, "propagator");
        if (!e["call"] || !e["from"] || !e["to"]) Fail(e, "a propagator needs 'call', 'from' and 'to'");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kPropagator;
        m->origin = origin(e);
        m->args = ArgList(e["from"], "from");
        std::string to = Scalar(e["to"], "to");
        if (to == "receiver") m->to = -2;
        else if (to == "return") m->to = -3;
        else m->to = Int(e["to"], "to", 0, 64);
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("clean")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a clean entry must be a mapping");
        CheckKeys(e, {"call"}, "clean");
        if (!e["call"]) Fail(e, "a clean entry needs 'call'");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kClean;
        m->origin = origin(e);
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
    if (YAML::Node l = list("collections")) {
      for (const YAML::Node& e : l) {
        if (!e.IsMap()) Fail(e, "a collection entry must be a mapping");
        CheckKeys(e, {"call", "op"}, "collection");
        if (!e["call"] || !e["op"]) Fail(e, "a collection entry needs 'call' and 'op'");
        auto m = std::make_shared<CallModel>();
        m->role = CallModel::kCollection;
        m->origin = origin(e);
        std::string op = Scalar(e["op"], "op");
        if (op == "get") m->op = CollectionOp::kGet;
        else if (op == "set") m->op = CollectionOp::kSet;
        else if (op == "add") m->op = CollectionOp::kAdd;
        else if (op == "remove") m->op = CollectionOp::kRemove;
        else if (op == "new-list") m->op = CollectionOp::kNewList;
        else if (op == "new-map") m->op = CollectionOp::kNewMap;
        else if (op == "list-of") m->op = CollectionOp::kListOf;
        else Fail(e["op"], "unknown collection op '" + op + "' (get, set, add, remove, new-list, new-map, list-of)");
        AddCalls(mask, Strings(e["call"], "call"), m);
      }
    }
  }

  void LoadRule(const YAML::Node& n) {
    if (!n.IsMap()) Fail(n, "a rule must be a mapping");
    CheckKeys(n, {"id", "kind", "title", "languages", "cwe", "owasp", "severity", "precision", "message",
                  "why", "fix", "references", "sink", "sources", "match"},
              "rule");
    Rule r;
    r.id = Required(n, "id", "rule");
    for (char c : r.id) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
        Fail(n["id"], "rule id '" + r.id + "' must be lower-case letters, digits, '-' and '.'");
      }
    }
    // A rule from --rules replaces a built-in one with the same id.
    int replace = -1;
    if (auto it = ids_.find(r.id); it != ids_.end()) {
      bool builtin_old = d_.rules[static_cast<std::size_t>(it->second)].origin.starts_with("<builtin>/");
      if (!builtin_old || file_.starts_with("<builtin>/")) Fail(n["id"], "duplicate rule id '" + r.id + "'");
      replace = it->second;
    }
    r.origin = file_ + ":" + std::to_string(n.Mark().line + 1);
    std::string kind = Required(n, "kind", "rule");
    if (kind == "taint") r.kind = RuleKind::kTaint;
    else if (kind == "pattern") r.kind = RuleKind::kPattern;
    else Fail(n["kind"], "'kind' must be 'taint' or 'pattern'");
    r.title = Required(n, "title", "rule");
    if (!n["languages"]) Fail(n, "rule is missing required key 'languages'");
    r.languages = Languages(n["languages"]);
    r.cwe = Required(n, "cwe", "rule");
    {
      bool ok = r.cwe.size() > 4 && r.cwe.starts_with("CWE-");
      for (std::size_t i = 4; ok && i < r.cwe.size(); ++i) ok = r.cwe[i] >= '0' && r.cwe[i] <= '9';
      if (!ok) Fail(n["cwe"], "'cwe' must look like CWE-89");
    }
    r.owasp = Required(n, "owasp", "rule");
    auto severity = ParseSeverity(Required(n, "severity", "rule"));
    if (!severity.ok()) Fail(n["severity"], "'severity' must be low, medium, high or critical");
    r.severity = *severity;
    r.precision = Required(n, "precision", "rule");
    if (r.precision != "low" && r.precision != "medium" && r.precision != "high") {
      Fail(n["precision"], "'precision' must be low, medium or high");
    }
    r.message = Required(n, "message", "rule");
    r.why = Required(n, "why", "rule");
    if (!n["fix"] || !n["fix"].IsMap()) Fail(n, "rule needs 'fix': a mapping from language to code");
    for (const auto& kv : n["fix"]) {
      std::string lang = Scalar(kv.first, "fix");
      if (!LanguageFromName(lang)) Fail(kv.first, "unknown language '" + lang + "' in 'fix'");
      r.fix[lang] = Scalar(kv.second, "fix");
    }
    for (int i = 0; i < kLanguageCount; ++i) {
      if (!(r.languages & (1u << i))) continue;
      std::string lang(LanguageName(static_cast<Language>(i)));
      if (!r.fix.count(lang)) Fail(n["fix"], "'fix' has no example for " + lang);
    }
    if (!n["references"]) Fail(n, "rule is missing required key 'references'");
    r.references = Strings(n["references"], "references");
    if (r.kind == RuleKind::kTaint) {
      if (n["match"]) Fail(n["match"], "taint rules take 'sink'/'sources', not 'match'");
      if (!n["sink"]) Fail(n, "a taint rule needs 'sink' (a sink kind from the models)");
      std::string sink = Scalar(n["sink"], "sink");
      auto it = std::find(d_.sink_kinds.begin(), d_.sink_kinds.end(), sink);
      if (it == d_.sink_kinds.end()) Fail(n["sink"], "no model defines sink kind '" + sink + "'");
      r.sink_kind = sink;
      r.sink_kind_id = static_cast<int>(it - d_.sink_kinds.begin());
      sink_kind_used_by_rule_.insert(sink);
      std::uint32_t defaults = 0;
      for (std::size_t i = 0; i < d_.source_kinds.size(); ++i) {
        const bool opt_in = std::find(std::begin(kOptInSourceKinds), std::end(kOptInSourceKinds),
                                      d_.source_kinds[i]) != std::end(kOptInSourceKinds);
        if (!opt_in) defaults |= 1u << i;
      }
      r.source_mask = defaults;
      if (n["sources"]) {
        r.source_mask = 0;
        for (const std::string& s : Strings(n["sources"], "sources")) {
          if (s == "default") {  // every kind that is not opt-in
            r.source_mask |= defaults;
            continue;
          }
          auto sit = std::find(d_.source_kinds.begin(), d_.source_kinds.end(), s);
          if (sit == d_.source_kinds.end()) Fail(n["sources"], "unknown source kind '" + s + "'");
          r.source_mask |= 1u << (sit - d_.source_kinds.begin());
        }
      }
    } else {
      if (n["sink"] || n["sources"]) Fail(n, "pattern rules take 'match', not 'sink'/'sources'");
      if (!n["match"] || !n["match"].IsSequence() || n["match"].size() == 0) {
        Fail(n, "a pattern rule needs 'match': a non-empty list");
      }
      for (const YAML::Node& m : n["match"]) r.patterns.push_back(ParseAlt(m));
    }
    if (replace >= 0) {
      d_.rules[static_cast<std::size_t>(replace)] = std::move(r);
    } else {
      ids_[r.id] = static_cast<int>(d_.rules.size());
      d_.rules.push_back(std::move(r));
    }
  }

  // An allocator family: malloc, new, new[] (heaps) or stack (alloca).
  Memory MemoryFamily(const YAML::Node& n) {
    const std::string v = Scalar(n, "memory");
    if (v == "malloc") return Memory::kMalloc;
    if (v == "new") return Memory::kNew;
    if (v == "new[]") return Memory::kNewArray;
    if (v == "stack") return Memory::kStack;
    Fail(n, "'memory' must be 'malloc', 'new', 'new[]' or 'stack'");
  }

  PatternAlt ParseAlt(const YAML::Node& m) {
    if (!m.IsMap()) Fail(m, "a match entry must be a mapping");
    CheckKeys(m, {"call", "where", "unless", "assign", "equals", "requires-call", "trivial-method", "index-write",
                  "freed", "null-pointer", "uninitialized"},
              "match entry");
    PatternAlt a;
    if (m["call"]) a.calls = Strings(m["call"], "call");
    if (m["assign"]) a.assign_name = Regex(m["assign"], "assign");
    if (m["trivial-method"]) a.trivial_methods = Strings(m["trivial-method"], "trivial-method");
    if (YAML::Node iw = m["index-write"]) {
      if (!iw.IsMap()) Fail(iw, "'index-write' must be a mapping ({} or {memory: stack|heap})");
      CheckKeys(iw, {"memory"}, "index-write");
      a.index_write = true;
      if (iw["memory"]) {
        const std::string mem = Scalar(iw["memory"], "memory");
        if (mem == "stack") a.index_write_memory = 1;
        else if (mem == "heap") a.index_write_memory = 2;
        else Fail(iw["memory"], "'memory' must be 'stack' or 'heap'");
      }
    }
    if (YAML::Node fd = m["freed"]) {
      const std::string what = Scalar(fd, "freed");
      if (what == "release") a.freed = PatternAlt::Freed::kRelease;
      else if (what == "use") a.freed = PatternAlt::Freed::kUse;
      else if (what == "mismatch") a.freed = PatternAlt::Freed::kMismatch;
      else if (what == "not-heap") a.freed = PatternAlt::Freed::kNotHeap;
      else if (what == "leak") a.freed = PatternAlt::Freed::kLeak;
      else {
        Fail(fd, "'freed' must be 'release' (released again), 'use' (used after release), 'mismatch' (released by "
                 "another allocator family), 'not-heap' (stack or static memory released) or 'leak' (never released)");
      }
    }
    if (YAML::Node un = m["uninitialized"]) {
      if (m["freed"] || m["null-pointer"]) Fail(un, "a match entry takes one of 'freed', 'null-pointer', 'uninitialized'");
      if (Scalar(un, "uninitialized") != "read") Fail(un, "'uninitialized' must be 'read' (a local read before any value)");
      a.freed = PatternAlt::Freed::kUninitRead;
    }
    if (YAML::Node np = m["null-pointer"]) {
      if (m["freed"]) Fail(np, "a match entry takes one of 'freed' and 'null-pointer'");
      const std::string what = Scalar(np, "null-pointer");
      if (what == "definite") a.freed = PatternAlt::Freed::kNullDeref;
      else if (what == "unchecked") a.freed = PatternAlt::Freed::kUncheckedNull;
      else Fail(np, "'null-pointer' must be 'definite' (NULL on every path) or 'unchecked' (an allocation's result "
                    "not checked)");
    }
    if ((a.calls.empty() ? 0 : 1) + (a.assign_name ? 1 : 0) + (a.trivial_methods.empty() ? 0 : 1) +
            (a.index_write ? 1 : 0) + (a.freed != PatternAlt::Freed::kNone ? 1 : 0) != 1) {
      Fail(m, "a match entry needs exactly one of 'call', 'assign', 'trivial-method', 'index-write', 'freed', "
              "'null-pointer' or 'uninitialized'");
    }
    if ((!a.trivial_methods.empty() || a.index_write || a.freed != PatternAlt::Freed::kNone) &&
        (m["where"] || m["unless"])) {
      Fail(m, "'where'/'unless' belong to 'call' entries");
    }
    if (m["where"]) a.where = Conds(m["where"]);
    if (m["unless"]) a.unless = Conds(m["unless"]);
    if (m["equals"]) {
      if (!a.assign_name) Fail(m["equals"], "'equals' belongs to 'assign' entries");
      a.assign_equals = Strings(m["equals"], "equals");
    }
    if (m["requires-call"]) {
      YAML::Node rc = m["requires-call"];
      if (!rc.IsMap() || a.calls.empty()) Fail(rc, "'requires-call' needs a mapping, on a 'call' entry");
      CheckKeys(rc, {"method", "equals"}, "requires-call");
      if (!rc["method"]) Fail(rc, "'requires-call' needs 'method'");
      a.requires_methods = Strings(rc["method"], "method");
      if (rc["equals"]) a.requires_equals = Strings(rc["equals"], "equals");
    }
    return a;
  }

  RuleSetData& d_;
  std::string file_;
  std::vector<std::pair<std::string, YAML::Node>> pending_rules_;
  std::map<std::string, int> ids_;
  std::set<std::string> sink_kind_used_by_rule_;
  std::set<std::string> sink_kind_defined_in_model_;
};

Result<std::shared_ptr<RuleSetData>> LoadAll(const std::vector<std::pair<std::string, std::string>>& docs) {
  auto data = std::make_shared<RuleSetData>();
  try {
    Loader loader(*data);
    for (const auto& [name, text] : docs) loader.LoadDocument(name, text);
    loader.Finish();
  } catch (const LoadError& e) {
    return Error(ErrorCode::kInvalidArgument, e.message);
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::kInvalidArgument, "invalid rule file: " + e.msg);
  }
  data->BuildIndexes();
  return data;
}

}  // namespace

std::string_view SeverityName(Severity severity) noexcept {
  switch (severity) {
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "low";
}

Result<Severity> ParseSeverity(std::string_view name) {
  if (name == "low") return Severity::kLow;
  if (name == "medium") return Severity::kMedium;
  if (name == "high") return Severity::kHigh;
  if (name == "critical") return Severity::kCritical;
  return Error(ErrorCode::kInvalidArgument, "severity must be low, medium, high or critical");
}

void RuleSetData::BuildIndexes() {
  for (int lang = 0; lang < kLanguageCount; ++lang) {
    auto l = static_cast<std::size_t>(lang);
    pattern_calls[l] = {};
    pattern_assigns[l].clear();
    pattern_methods[l].clear();
    pattern_index_writes[l].clear();
    pattern_freed[l].clear();
    taint_rules_by_sink[l].assign(sink_kinds.size(), {});
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (r.disabled) continue;
    for (int lang = 0; lang < kLanguageCount; ++lang) {
      if (!(r.languages & (1u << lang))) continue;
      auto l = static_cast<std::size_t>(lang);
      if (r.kind == RuleKind::kTaint) {
        taint_rules_by_sink[l][static_cast<std::size_t>(r.sink_kind_id)].push_back(static_cast<int>(i));
        continue;
      }
      for (std::size_t a = 0; a < r.patterns.size(); ++a) {
        const PatternAlt& alt = r.patterns[a];
        if (alt.assign_name) {
          pattern_assigns[l].push_back({static_cast<int>(i), static_cast<int>(a)});
        }
        if (!alt.trivial_methods.empty()) {
          pattern_methods[l].push_back({static_cast<int>(i), static_cast<int>(a)});
        }
        if (alt.index_write) pattern_index_writes[l].push_back({static_cast<int>(i), static_cast<int>(a)});
        if (alt.freed != PatternAlt::Freed::kNone) pattern_freed[l].push_back({static_cast<int>(i), static_cast<int>(a)});
        for (const std::string& g : alt.calls) {
          pattern_calls[l].Add(g, {static_cast<int>(i), static_cast<int>(a)});
        }
      }
    }
  }
}

Result<RuleSet> RuleSet::FromYaml(const std::vector<std::pair<std::string, std::string>>& documents) {
  auto data = LoadAll(documents);
  if (!data.ok()) return data.error();
  return RuleSet(std::move(*data));
}

Result<RuleSet> RuleSet::Load(const std::vector<std::string>& extra_dirs, bool include_builtin) {
  std::vector<std::pair<std::string, std::string>> docs;
  if (include_builtin) {
    for (std::size_t i = 0; i < kEmbeddedRuleFileCount; ++i) {
      docs.emplace_back(std::string("<builtin>/") + kEmbeddedRuleFiles[i].path, kEmbeddedRuleFiles[i].text);
    }
  }
  std::vector<std::pair<std::string, std::string>> extra;
  for (const std::string& dir : extra_dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      return Error(ErrorCode::kNotFound, "rules directory not found: " + dir);
    }
    std::vector<std::string> files;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string p = it->path().string();
      if (p.ends_with(".yaml") || p.ends_with(".yml")) files.push_back(p);
    }
    if (ec) return Error(ErrorCode::kUnavailable, "cannot read rules directory: " + dir);
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      std::ifstream in(f, std::ios::binary);
      if (!in) return Error(ErrorCode::kUnavailable, "cannot read rule file: " + f);
      std::ostringstream ss;
      ss << in.rdbuf();
      if (ss.str().size() > (8u << 20)) return Error(ErrorCode::kInvalidArgument, "rule file too large: " + f);
      extra.emplace_back(f, ss.str());
    }
  }
  docs.insert(docs.end(), extra.begin(), extra.end());
  auto data = LoadAll(docs);
  if (!data.ok()) return data.error();
  return RuleSet(std::move(*data));
}

std::size_t RuleSet::rule_count() const noexcept {
  std::size_t n = 0;
  for (const Rule& r : data_->rules) n += r.disabled ? 0 : 1;
  return n;
}

std::vector<std::string> RuleSet::RuleIds() const {
  std::vector<std::string> ids;
  for (const Rule& r : data_->rules) {
    if (!r.disabled) ids.push_back(r.id);
  }
  return ids;
}

void RuleSet::Disable(const std::vector<std::string>& ids) {
  auto copy = std::make_shared<RuleSetData>(*data_);
  for (Rule& r : copy->rules) {
    if (std::find(ids.begin(), ids.end(), r.id) != ids.end()) r.disabled = true;
  }
  copy->BuildIndexes();
  data_ = std::move(copy);
}

std::string RuleSet::CoverageTable() const {
  std::map<std::pair<std::string, std::string>, int> counts;
  std::map<std::string, int> per_language;
  for (const Rule& r : data_->rules) {
    if (r.disabled) continue;
    for (int i = 0; i < kLanguageCount; ++i) {
      if (i == static_cast<int>(Language::kTsx) || !(r.languages & (1u << i))) continue;
      std::string lang(LanguageName(static_cast<Language>(i)));
      ++counts[{lang, r.cwe}];
      ++per_language[lang];
    }
  }
  std::ostringstream out;
  out << "language     rules  by CWE\n";
  for (const auto& [lang, total] : per_language) {
    out << lang << std::string(lang.size() < 12 ? 12 - lang.size() : 1, ' ') << " " << total << "    ";
    bool first = true;
    for (const auto& [key, count] : counts) {
      if (key.first != lang) continue;
      out << (first ? "" : ", ") << key.second << " x" << count;
      first = false;
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace bulwark::review
