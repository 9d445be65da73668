#pragma once
// Lowering: tree-sitter syntax tree -> ir::Module. One Lowerer subclass per
// language (lower_<lang>.cc); the shared machinery (arenas, text, the generic
// fallback for unknown syntax, a recursion bound) lives in the base class.

#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ir.h"

namespace bulwark::review {

class Lowerer {
 public:
  Lowerer(std::string_view source, ir::Module& module) : src_(source), m_(module) {}
  virtual ~Lowerer();
  Lowerer(const Lowerer&) = delete;
  Lowerer& operator=(const Lowerer&) = delete;

  // Lowers the whole tree: top-level code becomes the module-body function.
  void Run(TSNode root);

 protected:
  // Appends the IR for statement `n` to `out`.
  virtual void LowerStmt(TSNode n, std::vector<ir::Id>& out) = 0;
  virtual ir::Id LowerExpr(TSNode n) = 0;

  // --- helpers for subclasses ---
  // Both take a null node (a missing field): "" (ts_node_type would crash).
  std::string_view Text(TSNode n) const;
  static std::string_view Type(TSNode n) { return Null(n) ? std::string_view() : ts_node_type(n); }
  static TSNode Field(TSNode n, const char* name);
  static bool Null(TSNode n) { return ts_node_is_null(n); }
  std::vector<TSNode> Named(TSNode n);

  ir::Id NewExpr(ir::ExprKind kind, TSNode at);
  ir::Id NewStmt(ir::StmtKind kind, TSNode at);
  ir::Expr& E(ir::Id id) { return m_.exprs[id]; }
  ir::Stmt& S(ir::Id id) { return m_.stmts[id]; }
  ir::Id Str(std::string value, TSNode at);
  ir::Id Int(std::int64_t value, TSNode at);
  ir::Id Bool(bool value, TSNode at);
  ir::Id NullConst(TSNode at);
  ir::Id Name(std::string name, TSNode at);
  ir::Id Attr(ir::Id object, std::string field, TSNode at);
  ir::Id Unary(std::string op, ir::Id operand, TSNode at);
  ir::Id Binary(std::string op, ir::Id l, ir::Id r, TSNode at);
  // Lowers every named child as an expression and joins them (taint flows
  // from any of them): the fallback for syntax the lowerer does not model.
  ir::Id Unknown(TSNode n);
  ir::Id Expr(TSNode n);  // LowerExpr with a depth bound; null node -> kNone
  void Stmt(TSNode n, std::vector<ir::Id>& out);  // LowerStmt with pre-statements and bound
  ir::Id Block(TSNode at, std::vector<ir::Id> body);
  ir::Id LowerBlock(TSNode n);  // a statement or block -> kBlock
  ir::Id Assign(ir::Id target, ir::Id value, TSNode at, std::string type = {});
  // Statements produced while lowering an expression (an assignment inside a
  // condition, say) are placed before the statement being lowered.
  void EmitPre(ir::Id stmt) { pre_.push_back(stmt); }
  // Runs `lower`, which appends statements to `out`, keeping the statements
  // it places before itself (EmitPre) in `out` too rather than before the
  // enclosing statement: a for loop's update `i++` runs in the loop body.
  template <class F>
  void WithOwnPre(std::vector<ir::Id>& out, F&& lower) {
    std::vector<ir::Id> saved;
    saved.swap(pre_);
    std::vector<ir::Id> produced;
    lower(produced);
    out.insert(out.end(), pre_.begin(), pre_.end());
    out.insert(out.end(), produced.begin(), produced.end());
    pre_.swap(saved);
  }
  // `x++` / `--x` (node `n`, operand `operand`): an assignment placed before
  // the statement, then x, so a counter is never taken for a constant.
  ir::Id UpdateExpr(TSNode n, TSNode operand);
  // An assignment used as a value (`while ((line = r.readLine()) != null)`):
  // `assigns` are the statements the assignment lowered to, already placed
  // before the statement; the value is a copy of the target they wrote (or,
  // for a destructuring, of all of them joined).
  ir::Id AssignedValue(const std::vector<ir::Id>& assigns, TSNode at);
  // A deep copy of an expression tree. The operand of `x++` and the left side
  // of an assignment used as a value are lowered once and copied, never
  // lowered twice: nested inside each other (`a[b[c[i++]++]++]++`), lowering
  // twice doubles the work at every level.
  ir::Id CopyExpr(ir::Id id);
  // Begins a function; returns its index. Lower its body with `LowerBlock`
  // between Begin/EndFunction so nested lambdas are numbered correctly.
  std::size_t AddFunction(ir::Function f);
  static std::string ParseInt(std::string_view text, std::int64_t& out, bool& ok);
  // Unescapes the common backslash escapes of C-family / Python literals.
  static std::string Unescape(std::string_view raw);
  // "java.util.List<String>" -> "List"; "const std::string&" -> "string".
  static std::string SimpleType(std::string_view type);
  // Generic statement fallback: lower children that look like statements.
  void LowerChildren(TSNode n, std::vector<ir::Id>& out);
  // One arm of a switch: its case labels (none for default) and statements.
  struct SwitchArm {
    TSNode at;
    std::vector<ir::Id> labels;
    bool is_default = false;
    std::vector<ir::Id> body;
  };
  // A switch as an if/else-if chain on `subject <eq> label`, default last. An
  // arm without statements falls through: its labels join the next arm's
  // (`case 'C': case 'D': ...`).
  void SwitchChain(ir::Id subject, const char* eq, std::vector<SwitchArm> arms, std::vector<ir::Id>& out);
  // `tests[0] || tests[1] || ...` (each test with its node), left-nested as
  // written. A longer list than kMaxChain (thousands of case labels falling
  // into one arm) is split in halves instead: the engine walks conditions
  // recursively, and a chain as deep as the list overflowed its stack.
  // kNone for an empty range.
  ir::Id AnyOf(const std::vector<std::pair<ir::Id, TSNode>>& tests, std::size_t begin, std::size_t end);
  static constexpr std::size_t kMaxChain = 64;
  // After a throw/raise (already lowered as expression statements): the path
  // ends, unless inside a try body, where a handler may catch it (a try body
  // is lowered as straight-line code, its handlers as branches after it).
  void EndPath(TSNode at, std::vector<ir::Id>& out);
  int try_depth_ = 0;  // lowering a try body

  std::string_view src_;
  ir::Module& m_;
  TSTreeCursor cursor_{};  // Named's, reset to each node it walks
  bool has_cursor_ = false;
  int depth_ = 0;
  std::vector<ir::Id> pre_;
  static constexpr int kMaxDepth = 256;
};

// Builds a module for `language` from an already parsed tree.
void LowerTree(Language language, std::string_view source, TSNode root, ir::Module& module);

// Parses and lowers `source`. Returns false when the parser gave up (timeout
// or a tree that is mostly errors); the module then holds what could be lowered.
bool ParseAndLower(Language language, std::string_view source, ir::Module& module);

}  // namespace bulwark::review
