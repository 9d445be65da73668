#pragma once
// Typed rules and models, validated from YAML before anything runs.
// Internal to the reviewer (the public face is bulwark/review/review.h).

#include <re2/re2.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/review/review.h"
#include "glob.h"
#include "language.h"

namespace bulwark::review {

// A condition on a call argument or option (keyword argument, or a key of an
// object-literal argument). Values compare by their constant text ("true",
// "false", "null", "42", the string) or, for names, by their dotted path
// ("CURLOPT_URL", "ssl.CERT_NONE").
struct Cond {
  int index = -1;         // positional argument, or -1
  std::string option;     // option name, or ""
  std::vector<std::string> equals;
  std::shared_ptr<RE2> matches;  // on the constant / name text
  bool not_constant = false;     // holds when the value is not a constant
  // Holds when the value is not a constant and not made only from the
  // function's parameters (what callers pass is judged at the call sites,
  // by the taint rules).
  bool not_constant_here = false;
  // Holds when the argument's text starts with this literal ("redirect:" + url).
  std::string prefix;
  bool literal = false;  // holds when the value is a known non-empty string (a literal, or copied from one)
  // Holds when the argument is a function literal whose body does nothing or
  // only returns a constant other than false: `(host, session) -> true`.
  bool trivial_function = false;
  bool absent = false;           // holds when the argument/option is missing
  bool integer = false;          // holds for a name declared with an integer type (or an integer constant)
  // Holds when the argument's type matches: the class of `new T(...)` or a
  // variable's declared type (Java), by simple name.
  std::shared_ptr<RE2> type_matches;
  bool redos = false;            // holds for a constant regex that backtracks exponentially (regex_risk.h)
  // C buffer writes, on the destination argument: what is written is the
  // argument `buffer_source` (as many bytes as its buffer, or a literal's
  // length + 1, times `buffer_unit`) or `buffer_size` elements of
  // `buffer_unit` bytes. kOverflows holds when both sizes are known and the
  // write is larger (and the destination lives in `buffer_memory`: 0 any,
  // 1 stack, 2 heap); kFits when both are known and it is not.
  enum class BufferTest : std::uint8_t { kNone, kOverflows, kFits };
  BufferTest buffer = BufferTest::kNone;
  int buffer_source = -1;
  int buffer_size = -1;
  std::int64_t buffer_unit = 1;
  std::uint8_t buffer_memory = 0;
  bool buffer_append = false;  // written after the destination's current text (strcat)
  bool before_start = false;   // holds for a C pointer moved before its buffer's start (buf - 8)
  std::optional<std::int64_t> below;     // holds for an integer constant < this
  std::optional<std::int64_t> any_bits;  // holds for an integer constant with one of these bits set
};

struct PatternAlt {
  std::vector<std::string> calls;  // callee globs; constructors by type name
  std::vector<Cond> where;         // all must hold
  std::vector<Cond> unless;        // none may hold
  // Assignment form: a variable/field/key whose name matches, given a
  // non-empty string literal (hard-coded secrets, DEBUG = True).
  std::shared_ptr<RE2> assign_name;
  std::vector<std::string> assign_equals;  // constant text the value must equal ("" = any non-empty string)
  // Missing-call form: an object made by `calls`, stored in a variable, on
  // which no call to one of `requires_methods` with first argument in `requires_equals`
  // happens in the same function.
  std::vector<std::string> requires_methods;  // any one of them satisfies
  // Definition form: a function or method with one of these names whose body
  // does nothing or only returns a constant (a TrustManager accepting every
  // certificate, a verify() that always says yes).
  std::vector<std::string> trivial_methods;
  // Indexed-write form (C/C++): `buf[i] = v` where i (a constant, or bounded
  // by the loop or check around it) lies past the end of a buffer of known
  // size living in `index_write_memory` (0 any, 1 stack, 2 heap).
  bool index_write = false;
  std::uint8_t index_write_memory = 0;
  // Freed-memory form (C/C++): memory a release model (free, delete) gave
  // back is released again (kRelease) or used (kUse: dereferenced, indexed,
  // handed to a call that is not a release); or memory is given to a
  // release of another allocator family (kMismatch: malloc'd memory to
  // `delete`, `new[]` to `delete`) or to a heap release although it is not
  // on the heap (kNotHeap: a stack or static array, alloca, `&local`).
  // The `null-pointer` form shares it: a pointer that is NULL on every path
  // here is dereferenced (kNullDeref), or one an allocation returned (NULL
  // when it fails) is dereferenced before any check (kUncheckedNull).
  // The `uninitialized` form too: a local read before any value was
  // assigned to it on every path (kUninitRead).
  // kLeak (`freed: leak`): memory allocated into a local that no path
  // releases, returns, stores or hands to a call that may keep it.
  enum class Freed : std::uint8_t { kNone, kRelease, kUse, kMismatch, kNotHeap, kNullDeref, kUncheckedNull,
                                    kUninitRead, kLeak };
  Freed freed = Freed::kNone;
  std::vector<std::string> requires_equals;
};

enum class RuleKind : std::uint8_t { kPattern, kTaint };

struct Rule {
  std::string id, title, cwe, owasp, message, why;
  Severity severity = Severity::kMedium;
  std::string precision;
  RuleKind kind = RuleKind::kPattern;
  std::uint32_t languages = 0;  // bit per Language (RuleLanguage)
  std::map<std::string, std::string> fix;  // language name -> code
  std::vector<std::string> references;
  // taint
  std::string sink_kind;
  int sink_kind_id = -1;
  // Source kinds (bits of RuleSetData::source_kinds) the rule reports.
  std::uint32_t source_mask = 0xffffffffu;
  // pattern
  std::vector<PatternAlt> patterns;
  std::string origin;  // "file:line"
  bool disabled = false;
};

enum class CollectionOp : std::uint8_t { kNone, kGet, kSet, kAdd, kRemove, kNewList, kNewMap, kListOf };

// C/C++: where a pointer's memory comes from. The heap families must be
// given back by their own release (malloc/free, new/delete,
// new[]/delete[]); stack and static memory must not be released at all.
enum class Memory : std::uint8_t { kUnknown, kMalloc, kNew, kNewArray, kStack, kStatic };

struct CallModel {
  // kOutputType: a call (selected by `when`) that declares what the
  // function's output is, a response's Content-Type. When `type` holds (a
  // constant, non-rendering media type), later sinks of `kinds` in the
  // function are not sinks (text/plain output cannot run script); when it
  // does not, they are again.
  // kExit: the call does not return (abort(400), sys.exit): the path ends.
  // kRelease: a call that gives the memory its `args` point at back to the
  // allocator (free, g_free, sqlite3_free); `delete p` reads as a call to
  // `delete` (`delete[]` for arrays). `memory`: the allocator family it
  // belongs to, when it is one of the C/C++ heaps (free: kMalloc).
  // kAllocate: a call whose result is fresh memory of family `memory`
  // (malloc, strdup: kMalloc; alloca: kStack).
  // kDereference: a call that reads or writes the memory its `args` point
  // at (strcpy's destination, strlen's string): NULL there is a crash.
  // kValidator: a check that returns whether its argument is safe
  // (url_has_allowed_host_and_scheme(url, ...)); where a condition proves it
  // returned true, the checked argument (`args` positions, `options`
  // keywords) is safe for `kinds`.
  // kDecoder: the call undoes an encoding (URLDecoder.decode, unescapeHtml4):
  // its result carries its input, no longer safe for `kinds`.
  enum Role : std::uint8_t { kSource, kSink, kSanitizer, kPropagator, kClean, kCollection, kOutputType, kExit,
                             kValidator, kRelease, kAllocate, kDereference, kDecoder };
  Role role = kSource;
  int kind = -1;               // source kind id / sink kind id
  std::uint32_t kinds = 0;     // sanitizer / output type: sink kinds made safe (all bits = everything);
                               // source: sink kinds its values cannot harm (`safe-for`)
  std::vector<int> args;       // sink: sensitive args (-1 = all, -2 = receiver); propagator: from;
                               // release: the released pointers
  std::vector<std::string> options;  // sink: sensitive options (keywords / object keys)
  int to = -3;                 // propagator target: -2 receiver, >=0 argument; source out-arg
  std::vector<Cond> when;      // all must hold
  std::vector<Cond> unless;    // none may hold
  std::vector<Cond> type;      // output type: the declared type is safe for `kinds`
  CollectionOp op = CollectionOp::kNone;
  // Sanitizer with `normalizes: true`: the call only resolves the value
  // (a path's "..", symlinks), it does not make it safe; a later validator
  // with `after-normalize: true` (startsWith on the resolved path) does.
  bool normalizes = false;
  bool after_normalize = false;  // validator: only clears values normalized for its kinds
  Memory memory = Memory::kUnknown;  // release / allocate: the allocator family
  std::string origin;
};

struct AccessModel {  // a source read as an attribute: flask.request.args
  int kind = -1;
  std::uint32_t safe = 0;  // sink kinds its values cannot harm (`safe-for`: path parameters are strings)
};

struct StoreModel {  // a sink written as an attribute / key: session[...] = v
  int kind = -1;
};

struct ParamSource {
  std::vector<std::string> annotations;  // Java / TS parameter annotations
  std::string function;                  // or a function name + index (C main argv)
  int index = -1;
  std::vector<std::string> decorators;   // or every request-data parameter of a decorated route handler
  bool exported = false;                 // or every parameter of an exported function (ir::Function::exported)
  // or every request-data parameter after `request` of a view a URLconf
  // call names (Django path("post/<slug>/", views.show)), and of the
  // handler methods of a class routed as Class.as_view()
  std::vector<std::string> routed;
  int kind = -1;
  // Sink kinds this source reaches only once built into a larger string: a
  // package's run(cmd) that executes its caller's whole command is its API,
  // exec("git clone " + url) is the injection.
  std::uint32_t built_only = 0;
};

struct ReturnSink {  // return value of a function with a matching decorator
  std::vector<std::string> decorators;
  int kind = -1;
  std::vector<std::string> return_types;  // only functions declared to return one of these ("" = any)
  std::string prefix;                     // only values whose text starts with this literal
  std::string unless_prefix;              // not values whose text starts with this literal
  std::vector<std::string> unless_decorators;  // not in functions also decorated with one of these
  // Only in functions that themselves (not through their class) carry one
  // of these: the handler methods of a @RestController, not its helpers.
  std::vector<std::string> own_decorators;
  // Conditions on the matching decorator's own arguments:
  // @app.get("/", response_class=HTMLResponse).
  std::vector<Cond> when;
};

struct LanguageModels {
  GlobIndex<std::shared_ptr<const CallModel>> calls;
  GlobIndex<AccessModel> access;
  GlobIndex<StoreModel> stores;
  std::vector<ParamSource> param_sources;
  std::vector<ReturnSink> return_sinks;
};

struct RuleSetData {
  std::vector<Rule> rules;
  std::array<LanguageModels, kLanguageCount> models;  // indexed by RuleLanguage
  std::vector<std::string> sink_kinds;    // id -> name
  std::vector<std::string> source_kinds;  // id -> name
  // Pattern rules per language: callee glob index -> (rule index, alt index).
  std::array<GlobIndex<std::pair<int, int>>, kLanguageCount> pattern_calls;
  std::array<std::vector<std::pair<int, int>>, kLanguageCount> pattern_assigns;
  std::array<std::vector<std::pair<int, int>>, kLanguageCount> pattern_methods;
  std::array<std::vector<std::pair<int, int>>, kLanguageCount> pattern_index_writes;
  std::array<std::vector<std::pair<int, int>>, kLanguageCount> pattern_freed;
  std::array<std::vector<std::vector<int>>, kLanguageCount> taint_rules_by_sink;  // [lang][sink] -> rules

  void BuildIndexes();
};

inline constexpr std::uint32_t kAllKinds = 0xffffffffu;

}  // namespace bulwark::review
