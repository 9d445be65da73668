#pragma once
// Internal: the HTTP/1.1 protocol of one connection, without I/O ("sans-IO").
// The server's socket loop, the in-memory test path and the fuzzer all drive
// this same object, so what the tests and the fuzzer exercise is exactly
// what runs on the network.
//
// Not thread-safe; one per connection.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bulwark/http/app.h"
#include "bulwark/http/request.h"
#include "bulwark/http/response.h"
#include "bulwark/http/server.h"

namespace bulwark::http::internal {

class Http1Connection {
 public:
  // `app`, when given, lowers the body limit to the matched route's own.
  explicit Http1Connection(const ServerLimits& limits, const App* app = nullptr);
  ~Http1Connection();
  Http1Connection(const Http1Connection&) = delete;
  Http1Connection& operator=(const Http1Connection&) = delete;

  // Where the connection is, for choosing the read timeout.
  enum class Phase { kIdle, kHead, kBody };
  Phase phase() const noexcept;

  // Bytes received from the peer.
  void Append(std::string_view bytes);
  // True if unparsed bytes are buffered (for the pipelining limit and for
  // deciding whether to read before parsing).
  bool HasBufferedInput() const noexcept { return !buffer_.empty(); }

  struct Outcome {
    enum class Kind { kNeedMore, kRequest, kReject };
    Kind kind = Kind::kNeedMore;
    std::optional<Request> request;  // kRequest
    int status = 0;                  // kReject: the 4xx/5xx to answer with
    // Send "100 Continue" now (the client waits for it before the body).
    bool send_continue = false;
  };
  // Parses as far as the buffered bytes allow.
  Outcome Parse();

  // Serializes `response` to the request it answers (HEAD drops the body)
  // into `out`, replacing what it held (its capacity is kept for reuse).
  // Sets `keep_alive` to whether the connection may carry another request.
  // `request_keep_alive` is what the request asked for. An invalid header
  // in `response` turns it into a generic 500.
  static void Serialize(const Response& response, Method method, bool request_keep_alive,
                        bool& keep_alive, std::string& out);
  // Whether Serialize sends `response` as it is (a valid status and header
  // fields), rather than its generic 500.
  static bool Sendable(const Response& response);
  // Serialize for a response the caller found Sendable (ServeRequest checks
  // every handler's answer): the same bytes without validating it again.
  // Precondition: Sendable(response).
  static void SerializeSendable(const Response& response, Method method, bool request_keep_alive,
                                bool& keep_alive, std::string& out);

  // Whether the request just returned by Parse() wants keep-alive.
  bool last_request_keep_alive() const noexcept { return keep_alive_; }

 private:
  Outcome ParseHead();
  Outcome ParseBody();
  Outcome Reject(int status);

  const ServerLimits limits_;
  const App* app_ = nullptr;
  std::string buffer_;
  Phase phase_ = Phase::kIdle;
  bool keep_alive_ = true;
  std::size_t pipelined_ = 0;
  struct BodyParser;
  std::unique_ptr<BodyParser> body_;
  bool body_need_more_ = false;
  std::optional<Request> pending_;
};

// Validates the request head `head` (request line + fields, ending with the
// empty line) strictly; fills `request` or returns the status to reject with.
// Exposed for the tests.
struct HeadInfo {
  std::optional<Request> request;
  int version_minor = 1;
  bool chunked = false;
  std::optional<std::uint64_t> content_length;
  bool expect_continue = false;
  bool keep_alive = true;
};
// Returns 0 on success, else the status to reject with.
int ParseHeadStrict(std::string_view head, const ServerLimits& limits, HeadInfo& info);

}  // namespace bulwark::http::internal
