#pragma once
// Error: what went wrong, as a stable code plus a message that is safe to show
// to an operator. The message never contains a secret or echoes raw input;
// callers pass fixed text or text built only from program-owned names.
//
// Thread-safety: a value type; distinct objects may be used concurrently.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace bulwark {

enum class ErrorCode : std::uint8_t {
  kInvalidArgument,     // bad input from outside (malformed, out of range)
  kNotFound,            // a named thing does not exist
  kAlreadyExists,       // it exists and must not
  kPermissionDenied,    // authenticated, but not allowed
  kUnauthenticated,     // credentials missing or wrong
  kFailedPrecondition,  // the system is not in a state that allows this
  kResourceExhausted,   // a limit was hit (size, count, a busy pool)
  kUnavailable,         // a dependency (database, store) cannot be reached
  kDeadlineExceeded,    // a timeout expired
  kDataLoss,            // stored data is corrupt or was tampered with
  kInternal,            // a bug or an unexpected library failure
};

// A stable, lower-case name for the code ("invalid_argument").
std::string_view ErrorCodeName(ErrorCode code) noexcept;

class Error {
 public:
  // REQUIRES: `safe_message` holds no secret and no unvalidated input.
  Error(ErrorCode code, std::string safe_message)
      : code_(code), message_(std::move(safe_message)) {}

  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }

  // "invalid_argument: <message>"
  std::string ToString() const;

  friend bool operator==(const Error&, const Error&) = default;

 private:
  ErrorCode code_;
  std::string message_;
};

}  // namespace bulwark
