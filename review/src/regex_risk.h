// Static check of a regular expression's text for exponential backtracking
// (ReDoS, CWE-1333) in backtracking engines (JavaScript, Python re, Java).
#pragma once

#include <string_view>

namespace bulwark::review {

// True when `pattern` has a repetition whose body can match the same text in
// many ways: an unbounded quantifier (*, +, {n,}) over a group whose body is
// itself an unbounded repetition next to parts that can be empty, or whose
// alternatives are the same: (a+)+, (\w+\s?)*, (a*)*, ((ab)+)*, (x|x)+. A
// failing match then tries exponentially many splits of the input.
// Separated repetitions such as ([a-z]+\.)+ or (\d+,)* are not reported:
// the separator fixes where each round ends. Atomic groups and possessive
// quantifiers (no backtracking) are not reported either.
//
// The text is parsed, never run; malformed patterns and patterns longer than
// 4 KiB give false. Thread-safe (no state).
bool ExponentialBacktracking(std::string_view pattern);

}  // namespace bulwark::review
