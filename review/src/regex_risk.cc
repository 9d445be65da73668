#include "regex_risk.h"

#include <bitset>
#include <cstddef>
#include <string>
#include <vector>

namespace bulwark::review {
namespace {

constexpr std::size_t kMaxPattern = 4096;
constexpr int kMaxDepth = 64;

// Characters a piece of pattern can match: ASCII one by one, everything
// else as one more member.
using Chars = std::bitset<129>;
constexpr std::size_t kOther = 128;

Chars Range(unsigned from, unsigned to) {
  Chars c;
  for (unsigned k = from; k <= to && k < 128; ++k) c.set(k);
  return c;
}
Chars Digits() { return Range('0', '9'); }
Chars Word() { return Range('a', 'z') | Range('A', 'Z') | Digits() | Range('_', '_'); }
Chars Space() {
  Chars c = Range(' ', ' ') | Range('\t', '\r');
  c.set(kOther);  // Unicode spaces
  return c;
}
Chars All() { return Chars().set(); }
Chars One(unsigned char c) {
  Chars r;
  r.set(c < 128 ? c : kOther);
  return r;
}

// What a parsed piece of pattern can do, as far as backtracking goes.
struct Info {
  bool nullable = false;  // can match the empty string
  // Can match an unbounded run of one repeated thing while the rest of it
  // matches nothing, or only characters that thing matches too: (a+),
  // (\w+\s?), (a*)*, ([a-z]+.)+ (the '.' can take a letter).
  bool pumpable = false;
  Chars chars;         // what it can match
  bool single = false;  // exactly one character wide
};

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  // False when the text is not a pattern this parser understands.
  bool Run() {
    Info top;
    if (!Alternation(0, top)) return false;
    return i_ == p_.size();
  }
  bool found() const { return found_; }

 private:
  bool AtEnd() const { return i_ >= p_.size(); }
  char Peek(std::size_t ahead = 0) const { return i_ + ahead < p_.size() ? p_[i_ + ahead] : '\0'; }

  // alternation := sequence ('|' sequence)*
  bool Alternation(int depth, Info& out) {
    if (depth > kMaxDepth) return false;
    std::vector<std::string_view> branches;
    bool first = true;
    while (true) {
      const std::size_t start = i_;
      Info s;
      if (!Sequence(depth, s)) return false;
      branches.push_back(p_.substr(start, i_ - start));
      out.nullable = first ? s.nullable : (out.nullable || s.nullable);
      out.pumpable = out.pumpable || s.pumpable;
      out.single = first ? s.single : (out.single && s.single);
      out.chars |= s.chars;
      first = false;
      if (Peek() != '|') break;
      ++i_;
    }
    // The same branch twice ((a|a)+) splits every round two ways.
    for (std::size_t a = 0; a < branches.size(); ++a) {
      for (std::size_t b = a + 1; b < branches.size(); ++b) {
        if (!branches[a].empty() && branches[a] == branches[b]) duplicate_ = true;
      }
    }
    return true;
  }

  // sequence := (atom quantifier?)*
  bool Sequence(int depth, Info& out) {
    struct Term {
      bool nullable;
      bool unbounded;  // repeats without limit, on its own
      Chars chars;
      bool single;     // one character (a literal, a class, '.')
      bool charlike;   // a run of single characters: a, [a-z]+, \d{2}
    };
    std::vector<Term> terms;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      Info atom;
      bool zero_width = false;
      bool atomic = false;
      bool group_dup = false;
      if (!Atom(depth, atom, zero_width, atomic, group_dup)) return false;
      std::size_t min = 1;
      bool unbounded_max = false;
      bool quantified = false;
      bool possessive = false;
      if (!Quantifier(min, unbounded_max, quantified, possessive)) return false;
      if (quantified && zero_width) {  // x(?=y)* and the like: nothing to repeat
        terms.push_back({true, false, Chars(), false, false});
        continue;
      }
      // An unbounded repetition of something that can match its own
      // repetitions in several ways.
      if (quantified && unbounded_max && !possessive && !atomic && (atom.pumpable || group_dup)) found_ = true;
      Term t;
      t.nullable = zero_width || atom.nullable || (quantified && min == 0);
      t.unbounded = (quantified && unbounded_max && !possessive && !atomic) || (!quantified && atom.pumpable);
      t.chars = zero_width ? Chars() : atom.chars;
      t.single = !zero_width && atom.single && (!quantified || (min == 1 && !unbounded_max));
      t.charlike = !zero_width && atom.single;
      terms.push_back(t);
    }
    out.nullable = true;
    out.chars.reset();
    for (const Term& t : terms) {
      out.nullable = out.nullable && t.nullable;
      out.chars |= t.chars;
    }
    out.single = false;
    std::size_t wide = 0;
    for (const Term& t : terms) {
      if (!t.nullable) ++wide;
    }
    if (wide == 1 && terms.size() == 1) out.single = terms[0].single;
    out.pumpable = false;
    for (std::size_t k = 0; k < terms.size() && !out.pumpable; ++k) {
      if (!terms[k].unbounded) continue;
      // Every other part matches nothing, or characters the repeated part
      // can also take ((x+x+)+, ([a-z]+.)+): then a round can end in many
      // places. A separator it cannot take (([a-z]+\.)+) fixes the end.
      bool ambiguous = true;
      for (std::size_t j = 0; j < terms.size() && ambiguous; ++j) {
        if (j == k || terms[j].nullable) continue;
        ambiguous = terms[j].charlike && (terms[j].chars & terms[k].chars).any();
      }
      out.pumpable = ambiguous;
    }
    return true;
  }

  bool Atom(int depth, Info& out, bool& zero_width, bool& atomic, bool& group_dup) {
    const char c = Peek();
    if (c == '(') {
      ++i_;
      if (Peek() == '?') {
        ++i_;
        const char k = Peek();
        if (k == ':') {
          ++i_;
        } else if (k == '=' || k == '!') {
          ++i_;
          zero_width = true;
        } else if (k == '<' && (Peek(1) == '=' || Peek(1) == '!')) {
          i_ += 2;
          zero_width = true;
        } else if (k == '>') {
          ++i_;
          atomic = true;
        } else if (k == '<' || (k == 'P' && Peek(1) == '<') || k == '\'') {
          const char close = k == '\'' ? '\'' : '>';
          i_ += k == 'P' ? 2 : 1;
          while (!AtEnd() && Peek() != close) ++i_;
          if (AtEnd()) return false;
          ++i_;
        } else if (k == 'P' && Peek(1) == '=') {  // (?P=name): a backreference
          while (!AtEnd() && Peek() != ')') ++i_;
          if (AtEnd()) return false;
          ++i_;
          out.nullable = false;
          return true;
        } else if (k == '#') {  // (?#comment)
          while (!AtEnd() && Peek() != ')') ++i_;
          if (AtEnd()) return false;
          ++i_;
          zero_width = true;
          out.nullable = true;
          return true;
        } else {
          // Inline flags: (?i) alone, or (?i:...) scoped.
          while (!AtEnd() && Peek() != ')' && Peek() != ':') ++i_;
          if (AtEnd()) return false;
          if (Peek() == ')') {
            ++i_;
            zero_width = true;
            out.nullable = true;
            return true;
          }
          ++i_;
        }
      }
      const bool saved_dup = duplicate_;
      duplicate_ = false;
      Info body;
      if (!Alternation(depth + 1, body)) return false;
      group_dup = duplicate_;
      duplicate_ = saved_dup;
      if (Peek() != ')') return false;
      ++i_;
      out = body;
      if (zero_width) out.nullable = true;
      if (zero_width || atomic) out.pumpable = false;
      return true;
    }
    if (c == '[') return CharClass(out);
    if (c == '\\') return Escape(out, zero_width);
    if (c == '^' || c == '$') {
      ++i_;
      zero_width = true;
      out.nullable = true;
      return true;
    }
    if (c == '*' || c == '+' || c == '?') return false;  // a quantifier with nothing before it
    if (c == '{' && QuantifierAt(i_)) return false;
    ++i_;  // a literal character (or '.')
    out.nullable = false;
    out.single = true;
    out.chars = c == '.' ? All().reset('\n') : One(static_cast<unsigned char>(c));
    return true;
  }

  bool CharClass(Info& out) {
    ++i_;  // '['
    bool negated = false;
    if (Peek() == '^') {
      ++i_;
      negated = true;
    }
    Chars set;
    int prev = -1;  // the last single character, for a range a-z
    bool first = true;
    while (!AtEnd() && (Peek() != ']' || first)) {
      first = false;
      int ch = -1;
      if (Peek() == '\\') {
        ++i_;
        if (AtEnd()) return false;
        const char e = Peek();
        ++i_;
        switch (e) {
          case 'd': set |= Digits(); break;
          case 'w': set |= Word(); break;
          case 's': set |= Space(); break;
          case 'D': case 'W': case 'S': set |= All(); break;
          case 'n': ch = '\n'; break;
          case 't': ch = '\t'; break;
          case 'r': ch = '\r'; break;
          case 'x': case 'u': case 'p': case 'P':
            set.set(kOther);
            while (!AtEnd() && (Hex(Peek()) || Peek() == '{' || Peek() == '}' || (e == 'p' || e == 'P'))) {
              if (Peek() == ']') break;
              ++i_;
            }
            break;
          default: ch = static_cast<unsigned char>(e); break;
        }
      } else if (Peek() == '-' && prev >= 0 && Peek(1) != ']' && Peek(1) != '\0') {
        ++i_;
        const int to = static_cast<unsigned char>(Peek());
        ++i_;
        if (to >= prev) set |= Range(static_cast<unsigned>(prev), static_cast<unsigned>(to));
        if (to >= 128) set.set(kOther);
        prev = -1;
        continue;
      } else {
        ch = static_cast<unsigned char>(Peek());
        ++i_;
      }
      if (ch >= 0) set |= One(static_cast<unsigned char>(ch));
      prev = ch;
    }
    if (AtEnd()) return false;
    ++i_;
    out.nullable = false;
    out.single = true;
    out.chars = negated ? ~set | One(0x80) : set;  // a negated class takes what it does not name
    return true;
  }

  bool Escape(Info& out, bool& zero_width) {
    ++i_;  // '\\'
    if (AtEnd()) return false;
    const char e = Peek();
    ++i_;
    out.nullable = false;
    out.single = true;
    switch (e) {
      case 'd': out.chars = Digits(); break;
      case 'w': out.chars = Word(); break;
      case 's': out.chars = Space(); break;
      case 'D': out.chars = ~Digits(); break;
      case 'W': out.chars = ~Word(); break;
      case 'S': out.chars = ~Space() | One(0x80); break;
      case 'n': out.chars = One('\n'); break;
      case 't': out.chars = One('\t'); break;
      case 'r': out.chars = One('\r'); break;
      case 'x': case 'u': case 'p': case 'P': out.chars = All(); break;  // judged loosely
      default:
        if (e >= '1' && e <= '9') {  // a backreference: any text
          out.chars = All();
          out.single = false;
        } else {
          out.chars = One(static_cast<unsigned char>(e));
        }
        break;
    }
    if (e == 'b' || e == 'B' || e == 'A' || e == 'Z' || e == 'z' || e == 'G') {
      zero_width = true;
      out.nullable = true;
      out.single = false;
      out.chars.reset();
    } else if (e == 'x' || e == 'u') {  // \xHH, \uHHHH, \x{...}, \u{...}
      if (Peek() == '{') {
        while (!AtEnd() && Peek() != '}') ++i_;
        if (!AtEnd()) ++i_;
      } else {
        for (int k = 0; k < (e == 'x' ? 2 : 4) && Hex(Peek()); ++k) ++i_;
      }
    } else if ((e == 'p' || e == 'P') && Peek() == '{') {
      while (!AtEnd() && Peek() != '}') ++i_;
      if (!AtEnd()) ++i_;
    } else if (e == 'c' && !AtEnd()) {
      ++i_;
    }
    return true;
  }

  static bool Hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
  static bool Digit(char c) { return c >= '0' && c <= '9'; }

  // {n}, {n,}, {n,m} at `at` (otherwise '{' is a literal).
  bool QuantifierAt(std::size_t at) const {
    if (at >= p_.size() || p_[at] != '{') return false;
    std::size_t k = at + 1;
    if (k >= p_.size() || !Digit(p_[k])) return false;
    while (k < p_.size() && Digit(p_[k])) ++k;
    if (k < p_.size() && p_[k] == ',') {
      ++k;
      while (k < p_.size() && Digit(p_[k])) ++k;
    }
    return k < p_.size() && p_[k] == '}';
  }

  bool Quantifier(std::size_t& min, bool& unbounded, bool& quantified, bool& possessive) {
    const char c = Peek();
    if (c == '*' || c == '+' || c == '?') {
      ++i_;
      quantified = true;
      min = c == '+' ? 1 : 0;
      unbounded = c != '?';
    } else if (c == '{' && QuantifierAt(i_)) {
      ++i_;
      std::size_t n = 0;
      while (Digit(Peek())) {
        n = n * 10 + static_cast<std::size_t>(Peek() - '0');
        if (n > 100000) n = 100000;
        ++i_;
      }
      quantified = true;
      min = n;
      unbounded = false;
      if (Peek() == ',') {
        ++i_;
        unbounded = !Digit(Peek());
        while (Digit(Peek())) ++i_;
      }
      ++i_;  // '}'
    } else {
      return true;
    }
    if (Peek() == '?') {
      ++i_;  // lazy: still backtracks
    } else if (Peek() == '+') {
      ++i_;
      possessive = true;
    }
    if (Peek() == '*' || Peek() == '+') return false;  // a*+* is malformed
    return true;
  }

  std::string_view p_;
  std::size_t i_ = 0;
  bool found_ = false;
  bool duplicate_ = false;
};

}  // namespace

bool ExponentialBacktracking(std::string_view pattern) {
  if (pattern.empty() || pattern.size() > kMaxPattern) return false;
  Parser parser(pattern);
  if (!parser.Run()) return false;
  return parser.found();
}

}  // namespace bulwark::review
