// Python -> IR. Classes contribute methods (self is dropped from the
// parameter list and read as kThis); decorators become calls evaluated at the
// start of the function, so pattern rules and models see them.
#include <memory>

#include "lower.h"

namespace bulwark::review {
namespace {

class PythonLowerer final : public Lowerer {
 public:
  using Lowerer::Lowerer;

 protected:
  void LowerStmt(TSNode n, std::vector<ir::Id>& out) override {
    std::string_view t = Type(n);
    if (t == "module" || t == "block") {
      LowerChildren(n, out);
    } else if (t == "expression_statement") {
      for (TSNode c : Named(n)) LowerExprStmt(c, out);
    } else if (t == "return_statement") {
      ir::Id s = NewStmt(ir::StmtKind::kReturn, n);
      auto kids = Named(n);
      ir::Id v = kids.empty() ? ir::kNone : Expr(kids[0]);
      S(s).a = v;
      out.push_back(s);
    } else if (t == "if_statement" || t == "elif_clause") {
      ir::Id s = NewStmt(ir::StmtKind::kIf, n);
      ir::Id cond = Expr(Field(n, "condition"));
      ir::Id body = LowerBlock(Field(n, "consequence"));
      S(s).a = cond;
      S(s).body = {body};
      // alternatives: elif_clause* else_clause?
      std::vector<TSNode> alts;
      std::uint32_t count = ts_node_named_child_count(n);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_named_child(n, i);
        std::string_view ct = Type(c);
        if (ct == "elif_clause" || ct == "else_clause") alts.push_back(c);
      }
      ir::Id cur = s;
      for (TSNode alt : alts) {
        if (Type(alt) == "else_clause") {
          S(cur).orelse = {LowerBlock(Field(alt, "body"))};
          break;
        }
        ir::Id e = NewStmt(ir::StmtKind::kIf, alt);
        ir::Id c2 = Expr(Field(alt, "condition"));
        ir::Id b2 = LowerBlock(Field(alt, "consequence"));
        S(e).a = c2;
        S(e).body = {b2};
        S(cur).orelse = {e};
        cur = e;
      }
      out.push_back(s);
    } else if (t == "for_statement") {
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      ir::Id iter = Expr(Field(n, "right"));
      ir::Id elem = NewExpr(ir::ExprKind::kIndex, n);
      E(elem).kids = {iter, NewExpr(ir::ExprKind::kUnknown, n)};
      std::vector<ir::Id> body;
      body.push_back(Assign(Target(Field(n, "left")), elem, n));
      Stmt(Field(n, "body"), body);
      S(loop).body = std::move(body);
      out.push_back(loop);
      if (!Null(Field(n, "alternative"))) Stmt(Field(n, "alternative"), out);
    } else if (t == "while_statement") {
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      ir::Id cond = Expr(Field(n, "condition"));
      S(loop).a = cond;
      std::vector<ir::Id> body;
      Stmt(Field(n, "body"), body);
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "try_statement") {
      ++try_depth_;
      Stmt(Field(n, "body"), out);
      --try_depth_;
      for (TSNode c : Named(n)) {
        std::string_view ct = Type(c);
        if (ct == "except_clause" || ct == "except_group_clause" || ct == "else_clause") {
          // A handler may or may not run: an if with an unknown condition.
          ir::Id s = NewStmt(ir::StmtKind::kIf, c);
          std::vector<ir::Id> body;
          for (TSNode k : Named(c)) {
            if (Type(k) == "block") Stmt(k, body);
          }
          S(s).body = std::move(body);
          out.push_back(s);
        } else if (ct == "finally_clause") {
          for (TSNode k : Named(c)) Stmt(k, out);
        }
      }
    } else if (t == "with_statement") {
      for (TSNode c : Named(n)) {
        if (Type(c) == "with_clause") {
          for (TSNode item : Named(c)) {
            TSNode v = Field(item, "value");
            if (!Null(v) && Type(v) == "as_pattern") {
              auto parts = Named(v);
              if (parts.size() >= 2) {
                TSNode alias = parts.back();
                if (Type(alias) == "as_pattern_target" && ts_node_named_child_count(alias) > 0) {
                  alias = ts_node_named_child(alias, 0);
                }
                out.push_back(Assign(Target(alias), Expr(parts[0]), item));
              }
            } else if (!Null(v)) {
              LowerExprStmt(v, out);
            }
          }
        }
      }
      Stmt(Field(n, "body"), out);
    } else if (t == "function_definition") {
      const bool nested = def_depth_ > 0;
      std::size_t index = LowerFunction(n, {}, "");
      if (nested) {
        // A def inside a function binds a local name to the function: calls
        // through it see the variables it captures.
        ir::Id fn = NewExpr(ir::ExprKind::kFunc, n);
        E(fn).i = static_cast<std::int64_t>(index);
        out.push_back(Assign(Name(m_.functions[index].name, n), fn, n));
      }
    } else if (t == "class_definition") {
      LowerClass(n, out);
    } else if (t == "decorated_definition") {
      std::vector<ir::Id> decorators;
      for (TSNode c : Named(n)) {
        if (Type(c) == "decorator") {
          auto kids = Named(c);
          if (!kids.empty()) decorators.push_back(AsCall(Expr(kids[0]), c));
        }
      }
      TSNode def = Field(n, "definition");
      if (Null(def)) return;
      if (Type(def) == "function_definition") {
        LowerFunction(def, std::move(decorators), "");
      } else if (Type(def) == "class_definition") {
        // Class decorators are evaluated where the class is defined.
        for (ir::Id d : decorators) {
          ir::Id s = NewStmt(ir::StmtKind::kExpr, n);
          S(s).a = d;
          out.push_back(s);
        }
        LowerClass(def, out);
      }
    } else if (t == "import_statement") {
      for (TSNode c : Named(n)) {
        if (Type(c) == "dotted_name") {
          std::string full(Text(c));
          std::string head = full.substr(0, full.find('.'));
          m_.imports[head] = head;
        } else if (Type(c) == "aliased_import") {
          m_.imports[std::string(Text(Field(c, "alias")))] = std::string(Text(Field(c, "name")));
        }
      }
    } else if (t == "import_from_statement") {
      std::string module(Text(Field(n, "module_name")));
      TSNode module_node = Field(n, "module_name");
      for (TSNode c : Named(n)) {
        if (ts_node_eq(c, module_node)) continue;
        if (Type(c) == "dotted_name") {
          std::string name(Text(c));
          m_.imports[name] = module + "." + name;
        } else if (Type(c) == "aliased_import") {
          m_.imports[std::string(Text(Field(c, "alias")))] =
              module + "." + std::string(Text(Field(c, "name")));
        }
      }
    } else if (t == "match_statement") {
      LowerMatch(n, out);
    } else if (t == "raise_statement" || t == "assert_statement" || t == "delete_statement" ||
               t == "print_statement" || t == "exec_statement") {
      for (TSNode c : Named(n)) LowerExprStmt(c, out);
      if (t == "raise_statement") EndPath(n, out);
    } else if (t == "continue_statement") {
      out.push_back(NewStmt(ir::StmtKind::kContinue, n));
    } else if (t == "pass_statement" || t == "break_statement" ||
               t == "global_statement" || t == "nonlocal_statement" || t == "comment" ||
               t == "future_import_statement" || t == "type_alias_statement") {
      // no data flow
    } else {
      LowerChildren(n, out);
    }
  }

  // `match` as an if/elif chain: a case of literals (`case 'A' | 'B':`) tests
  // `subject == literal`, so constant folding picks the case a constant
  // subject takes; `case _:` and a bare capture (`case x:`, which binds x)
  // match anything; any other pattern or a guard is an unknown condition.
  // Cases are tried in order and none falls through.
  void LowerMatch(TSNode n, std::vector<ir::Id>& out) {
    std::vector<TSNode> subjects;
    for (TSNode c : Named(n)) {
      if (Type(c) != "block" && Type(c) != "comment") subjects.push_back(c);
    }
    ir::Id subject = ir::kNone;
    if (subjects.size() == 1) {
      subject = Expr(subjects[0]);
    } else {
      for (TSNode c : subjects) LowerExprStmt(c, out);
    }
    auto literal = [](std::string_view type) {
      return type == "string" || type == "concatenated_string" || type == "integer" ||
             type == "float" || type == "true" || type == "false" || type == "none";
    };
    ir::Id first = ir::kNone, last = ir::kNone;
    bool closed = false;  // an irrefutable case was seen: later cases never run
    TSNode body = Field(n, "body");
    if (Null(body)) return;
    for (TSNode cs : Named(body)) {
      if (Type(cs) != "case_clause" || closed) continue;
      std::vector<ir::Id> arm;
      bool known = subject != ir::kNone && Null(Field(cs, "guard"));
      bool irrefutable = false;
      std::vector<TSNode> labels;
      for (TSNode pat : Named(cs)) {
        if (Type(pat) != "case_pattern") continue;
        if (ts_node_named_child_count(pat) == 0) {  // `_`
          irrefutable = true;
          continue;
        }
        TSNode inner = ts_node_named_child(pat, 0);
        std::string_view it = Type(inner);
        if (literal(it)) {
          labels.push_back(inner);
        } else if (it == "union_pattern") {
          for (TSNode alt : Named(inner)) {
            if (literal(Type(alt))) labels.push_back(alt);
            else known = false;
          }
        } else if (it == "dotted_name" && ts_node_named_child_count(inner) == 1) {
          // A bare name captures the subject.
          irrefutable = true;
          if (subject != ir::kNone) arm.push_back(Assign(Target(inner), subject, inner));
        } else {
          known = false;
        }
      }
      TSNode cons = Field(cs, "consequence");
      if (!Null(cons)) Stmt(cons, arm);
      ir::Id cond = ir::kNone;
      if (known && !irrefutable) {
        std::vector<std::pair<ir::Id, TSNode>> tests;
        for (TSNode l : labels) tests.emplace_back(Binary("==", subject, Expr(l), l), l);
        cond = AnyOf(tests, 0, tests.size());
      }
      if (known && irrefutable) {
        closed = true;
        if (first == ir::kNone) {
          out.insert(out.end(), arm.begin(), arm.end());
          return;
        }
        S(last).orelse = std::move(arm);
        break;
      }
      ir::Id s = NewStmt(ir::StmtKind::kIf, cs);
      S(s).a = cond;
      S(s).body = std::move(arm);
      if (first == ir::kNone) first = s;
      else S(last).orelse = {s};
      last = s;
    }
    if (first != ir::kNone) out.push_back(first);
  }

  ir::Id LowerExpr(TSNode n) override {
    std::string_view t = Type(n);
    if (t == "identifier") return Name(std::string(Text(n)), n);
    if (t == "string") return LowerString(n);
    if (t == "concatenated_string") {
      ir::Id id = NewExpr(ir::ExprKind::kFormat, n);
      for (TSNode c : Named(n)) {
        ir::Id k = Expr(c);
        E(id).kids.push_back(k);
      }
      return id;
    }
    if (t == "integer") {
      std::int64_t v = 0;
      bool ok = false;
      ParseInt(Text(n), v, ok);
      if (ok) return Int(v, n);
      return NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "float") return NewExpr(ir::ExprKind::kUnknown, n);
    if (t == "true") return Bool(true, n);
    if (t == "false") return Bool(false, n);
    if (t == "none") return NullConst(n);
    if (t == "attribute") {
      TSNode obj = Field(n, "object");
      ir::Id o = Expr(obj);
      return Attr(o, std::string(Text(Field(n, "attribute"))), n);
    }
    if (t == "subscript") {
      ir::Id id = NewExpr(ir::ExprKind::kIndex, n);
      ir::Id v = Expr(Field(n, "value"));
      ir::Id k = Expr(Field(n, "subscript"));
      E(id).kids = {v, k == ir::kNone ? NewExpr(ir::ExprKind::kUnknown, n) : k};
      return id;
    }
    if (t == "call") {
      ir::Id id = NewExpr(ir::ExprKind::kCall, n);
      ir::Id callee = Expr(Field(n, "function"));
      std::vector<ir::Id> kids{callee};
      std::vector<std::string> keys;
      TSNode args = Field(n, "arguments");
      if (!Null(args)) {
        if (Type(args) == "generator_expression") {
          kids.push_back(Expr(args));
          keys.emplace_back();
        } else {
          for (TSNode a : Named(args)) {
            if (Type(a) == "keyword_argument") {
              kids.push_back(Expr(Field(a, "value")));
              keys.emplace_back(Text(Field(a, "name")));
            } else {
              kids.push_back(Expr(a));
              keys.emplace_back();
            }
          }
        }
      }
      E(id).kids = std::move(kids);
      E(id).keys = std::move(keys);
      return id;
    }
    if (t == "binary_operator" || t == "boolean_operator") {
      ir::Id l = Expr(Field(n, "left"));
      ir::Id r = Expr(Field(n, "right"));
      std::string op(Text(Field(n, "operator")));
      return Binary(op, l, r, n);
    }
    if (t == "comparison_operator") {
      auto kids = Named(n);
      if (kids.size() == 2 && ts_node_child_count(n) == 3) {
        std::string op(Type(ts_node_child(n, 1)));
        return Binary(op, Expr(kids[0]), Expr(kids[1]), n);
      }
      return Unknown(n);
    }
    if (t == "not_operator") return Unary("not", Expr(Field(n, "argument")), n);
    if (t == "unary_operator") {
      return Unary(std::string(Text(Field(n, "operator"))), Expr(Field(n, "argument")), n);
    }
    if (t == "conditional_expression") {
      auto kids = Named(n);
      if (kids.size() == 3) {
        ir::Id id = NewExpr(ir::ExprKind::kCond, n);
        ir::Id a = Expr(kids[0]);
        ir::Id c = Expr(kids[1]);
        ir::Id b = Expr(kids[2]);
        E(id).kids = {c, a, b};
        return id;
      }
      return Unknown(n);
    }
    if (t == "list" || t == "tuple" || t == "set" || t == "expression_list") {
      ir::Id id = NewExpr(ir::ExprKind::kList, n);
      for (TSNode c : Named(n)) {
        ir::Id k = Expr(c);
        E(id).kids.push_back(k);
      }
      return id;
    }
    if (t == "dictionary") {
      ir::Id id = NewExpr(ir::ExprKind::kDict, n);
      for (TSNode c : Named(n)) {
        if (Type(c) == "pair") {
          ir::Id k = Expr(Field(c, "key"));
          ir::Id v = Expr(Field(c, "value"));
          std::string key;
          if (k != ir::kNone && E(k).kind == ir::ExprKind::kConst &&
              E(k).const_kind == ir::ConstKind::kString) {
            key = E(k).s;
          }
          E(id).kids.push_back(v);
          E(id).keys.push_back(key);
        } else {
          ir::Id v = Expr(c);
          E(id).kids.push_back(v);
          E(id).keys.emplace_back();
        }
      }
      return id;
    }
    if (t == "parenthesized_expression" || t == "await" || t == "list_splat" ||
        t == "dictionary_splat" || t == "parenthesized_list_splat") {
      return Unknown(n);
    }
    if (t == "named_expression") {  // walrus: (x := v)
      ir::Id target = Name(std::string(Text(Field(n, "name"))), n);
      EmitPre(Assign(target, Expr(Field(n, "value")), n));
      return Name(std::string(Text(Field(n, "name"))), n);
    }
    if (t == "lambda") {
      ir::Function f;
      f.is_lambda = true;
      f.line = ts_node_start_point(n).row + 1;
      Params(Field(n, "parameters"), f, false);
      std::size_t index = AddFunction(std::move(f));
      ir::Id ret = NewStmt(ir::StmtKind::kReturn, n);
      ir::Id v = Expr(Field(n, "body"));
      S(ret).a = v;
      m_.functions[index].body = Block(n, {ret});
      ir::Id id = NewExpr(ir::ExprKind::kFunc, n);
      E(id).i = static_cast<std::int64_t>(index);
      return id;
    }
    if (t == "list_comprehension" || t == "generator_expression" || t == "set_comprehension" ||
        t == "dictionary_comprehension") {
      // [body for x in it if c]: taint flows from the iterable to the result;
      // the `if` clauses run too (a sink can sit in a filter).
      ir::Id id = NewExpr(ir::ExprKind::kList, n);
      TSNode body = Field(n, "body");
      std::vector<ir::Id> filters;
      for (TSNode c : Named(n)) {
        if (Type(c) == "for_in_clause") {
          ir::Id it = Expr(Field(c, "right"));
          ir::Id elem = NewExpr(ir::ExprKind::kIndex, c);
          E(elem).kids = {it, NewExpr(ir::ExprKind::kUnknown, c)};
          EmitPre(Assign(Target(Field(c, "left")), elem, c));
        } else if (Type(c) == "if_clause") {
          for (TSNode cond : Named(c)) filters.push_back(Expr(cond));
        }
      }
      if (!Null(body) && Type(body) == "pair") {  // {k: v for ...}
        for (ir::Id f : filters) {
          ir::Id check = NewStmt(ir::StmtKind::kExpr, n);
          S(check).a = f;
          EmitPre(check);
        }
        ir::Id k = Expr(Field(body, "key"));
        ir::Id v = Expr(Field(body, "value"));
        E(id).kids.push_back(k);
        E(id).kids.push_back(v);
      } else if (!filters.empty()) {
        // [c for c in s if c.isdigit()]: an element is the body where the
        // filters held (they refine the loop variable), kept in a temporary.
        const std::string tmp = "<comprehension " + std::to_string(id) + ">";
        EmitPre(Assign(Name(tmp, n), Str("", n), n));
        std::vector<ir::Id> inner;
        ir::Id b = Expr(body);
        inner.push_back(Assign(Name(tmp, n), b, n));
        for (auto f = filters.rbegin(); f != filters.rend(); ++f) {
          ir::Id guard = NewStmt(ir::StmtKind::kIf, n);
          S(guard).a = *f;
          S(guard).body = {Block(n, std::move(inner))};
          inner = {guard};
        }
        EmitPre(inner.front());
        ir::Id elem = Name(tmp, n);
        E(id).kids.push_back(elem);
      } else {
        ir::Id b = Expr(body);  // may grow m_.exprs: take E(id) after
        E(id).kids.push_back(b);
      }
      ir::Id wrap = NewExpr(ir::ExprKind::kUnknown, n);
      E(wrap).kids.push_back(id);
      return wrap;
    }
    if (t == "keyword_argument") return Expr(Field(n, "value"));
    return Unknown(n);
  }

 private:
  ir::Id AsCall(ir::Id callee_or_call, TSNode at) {
    if (callee_or_call != ir::kNone && E(callee_or_call).kind == ir::ExprKind::kCall) {
      return callee_or_call;
    }
    ir::Id id = NewExpr(ir::ExprKind::kCall, at);
    E(id).kids = {callee_or_call};
    return id;
  }

  ir::Id Target(TSNode n) {
    if (Null(n)) return ir::kNone;
    std::string_view t = Type(n);
    if (t == "pattern_list" || t == "tuple_pattern" || t == "list_pattern") {
      ir::Id id = NewExpr(ir::ExprKind::kList, n);
      for (TSNode c : Named(n)) {
        ir::Id k = Target(c);
        E(id).kids.push_back(k);
      }
      return id;
    }
    return Expr(n);
  }

  void LowerExprStmt(TSNode n, std::vector<ir::Id>& out) {
    if (Null(n)) return;
    std::string_view t = Type(n);
    if (t == "assignment") {
      TSNode right = Field(n, "right");
      std::string type;
      if (!Null(Field(n, "type"))) type = SimpleType(Text(Field(n, "type")));
      ir::Id target = Target(Field(n, "left"));
      if (!Null(right) && Type(right) == "assignment") {
        // a = b = value: lower the inner one first, then copy.
        LowerExprStmt(right, out);
        ir::Id inner_target = Target(Field(right, "left"));
        out.push_back(Assign(target, inner_target, n, type));
        return;
      }
      ir::Id value = Null(right) ? ir::kNone : Expr(right);
      out.push_back(Assign(target, value, n, type));
    } else if (t == "augmented_assignment") {
      ir::Id target = Target(Field(n, "left"));
      ir::Id value = Expr(Field(n, "right"));
      ir::Id s = Assign(target, value, n);
      std::string op(Text(Field(n, "operator")));
      if (!op.empty() && op.back() == '=') op.pop_back();
      S(s).op = op;
      out.push_back(s);
    } else {
      ir::Id s = NewStmt(ir::StmtKind::kExpr, n);
      ir::Id e = Expr(n);
      S(s).a = e;
      out.push_back(s);
    }
  }

  ir::Id LowerString(TSNode n) {
    // Plain strings fold to constants; f-strings become kFormat.
    bool interpolated = false;
    std::string value;
    std::vector<ir::Id> parts;
    std::string_view prefix;
    for (TSNode c : Named(n)) {
      std::string_view ct = Type(c);
      if (ct == "string_start") prefix = Text(c);
      if (ct == "string_content") {
        std::string piece = prefix.find_first_of("rR") != std::string_view::npos
                                ? std::string(Text(c))
                                : Unescape(Text(c));
        value += piece;
        parts.push_back(Str(piece, c));
      } else if (ct == "interpolation") {
        interpolated = true;
        ir::Id e = Expr(Field(c, "expression"));
        parts.push_back(e);
      }
    }
    if (!interpolated) return Str(value, n);
    ir::Id id = NewExpr(ir::ExprKind::kFormat, n);
    E(id).kids = std::move(parts);
    return id;
  }

  void Params(TSNode params, ir::Function& f, bool drop_first) {
    if (Null(params)) return;
    bool first = true;
    for (TSNode p : Named(params)) {
      std::string_view t = Type(p);
      ir::Param param;
      if (t == "identifier") {
        param.name = std::string(Text(p));
      } else if (t == "typed_parameter") {
        auto kids = Named(p);
        if (!kids.empty()) param.name = std::string(Text(kids[0]));
        if (!Null(Field(p, "type"))) param.type = SimpleType(Text(Field(p, "type")));
      } else if (t == "default_parameter" || t == "typed_default_parameter") {
        param.name = std::string(Text(Field(p, "name")));
        if (!Null(Field(p, "type"))) param.type = SimpleType(Text(Field(p, "type")));
        // FastAPI-style declarations: q: str = Query(None), db = Depends(get_db).
        TSNode value = Field(p, "value");
        if (!Null(value) && Type(value) == "call") {
          TSNode fn = Field(value, "function");
          if (!Null(fn)) param.annotations.emplace_back(Text(fn));
        }
      } else if (t == "list_splat_pattern" || t == "dictionary_splat_pattern") {
        auto kids = Named(p);
        if (!kids.empty()) param.name = std::string(Text(kids[0]));
      } else {
        continue;
      }
      if (first && drop_first) {
        first = false;
        self_name_ = param.name;
        continue;
      }
      first = false;
      f.params.push_back(std::move(param));
    }
  }

  std::size_t LowerFunction(TSNode n, std::vector<ir::Id> decorators, const std::string& cls) {
    ir::Function f;
    f.name = std::string(Text(Field(n, "name")));
    f.cls = cls;
    f.line = ts_node_start_point(n).row + 1;
    f.decorators = std::move(decorators);
    bool is_static = false;
    for (ir::Id d : f.decorators) {
      const ir::Expr& call = E(d);
      if (!call.kids.empty() && call.kids[0] != ir::kNone && E(call.kids[0]).kind == ir::ExprKind::kName &&
          E(call.kids[0]).s == "staticmethod") {
        is_static = true;
      }
    }
    std::string saved_self = self_name_;
    self_name_.clear();
    Params(Field(n, "parameters"), f, !cls.empty() && !is_static);
    std::size_t index = AddFunction(std::move(f));
    std::string saved_cls = cls_;
    cls_ = "";  // nested functions are free functions
    ++def_depth_;
    ir::Id body = LowerBlock(Field(n, "body"));
    --def_depth_;
    cls_ = saved_cls;
    m_.functions[index].body = body;
    if (!self_name_.empty()) RenameSelf(body);
    self_name_ = saved_self;
    return index;
  }

  // `self` is a parameter like any other in Python; the engine wants kThis.
  void RenameSelf(ir::Id /*body*/) {
    for (std::size_t i = self_scan_from_; i < m_.exprs.size(); ++i) {
      ir::Expr& e = m_.exprs[i];
      if (e.kind == ir::ExprKind::kName && e.s == self_name_) e.kind = ir::ExprKind::kThis;
    }
  }

  void LowerClass(TSNode n, std::vector<ir::Id>& out) {
    std::string name(Text(Field(n, "name")));
    TSNode supers = Field(n, "superclasses");
    if (!Null(supers)) {
      std::vector<std::string>& bases = m_.class_bases[name];
      for (TSNode b : Named(supers)) {
        std::string_view bt = Type(b);
        if (bt != "identifier" && bt != "attribute") continue;  // not metaclass=..., *args
        std::string base(Text(b));
        // Qualify the first component through the imports seen so far.
        const std::size_t dot = base.find('.');
        auto imp = m_.imports.find(base.substr(0, dot));
        if (imp != m_.imports.end()) base = imp->second + (dot == std::string::npos ? "" : base.substr(dot));
        if (base != name && bases.size() < 8) bases.push_back(std::move(base));
      }
    }
    TSNode body = Field(n, "body");
    if (Null(body)) return;
    for (TSNode c : Named(body)) {
      std::string_view t = Type(c);
      if (t == "function_definition") {
        self_scan_from_ = m_.exprs.size();
        LowerFunction(c, {}, name);
      } else if (t == "decorated_definition") {
        std::vector<ir::Id> decorators;
        self_scan_from_ = m_.exprs.size();
        for (TSNode d : Named(c)) {
          if (Type(d) == "decorator") {
            auto kids = Named(d);
            if (!kids.empty()) decorators.push_back(AsCall(Expr(kids[0]), d));
          }
        }
        TSNode def = Field(c, "definition");
        if (!Null(def) && Type(def) == "function_definition") {
          LowerFunction(def, std::move(decorators), name);
        } else if (!Null(def) && Type(def) == "class_definition") {
          LowerClass(def, out);
        }
      } else if (t == "class_definition") {
        LowerClass(c, out);
      } else {
        // Class-level statements (attributes) run once, like module code.
        Stmt(c, out);
      }
    }
  }

 private:
  std::string self_name_;
  int def_depth_ = 0;  // lowering the body of a def (a nested def binds a local name)
  std::string cls_;
  std::size_t self_scan_from_ = 0;
};

}  // namespace

std::unique_ptr<Lowerer> MakePythonLowerer(std::string_view source, ir::Module& module) {
  return std::make_unique<PythonLowerer>(source, module);
}

}  // namespace bulwark::review
