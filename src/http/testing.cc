#include "bulwark/http/testing.h"

#include "exchange.h"
#include "http1.h"

namespace bulwark::http {

RawExchangeResult RawExchangeForTest(const App& app, std::string_view input,
                                     const RawExchangeOptions& options) {
  RawExchangeResult result;
  internal::Http1Connection conn(options.limits, &app);
  internal::PeerInfo peer{options.peer_ip, 40000, options.tls};
  std::size_t offset = 0;
  std::size_t served = 0;
  internal::Served answer;  // reused, as the server does
  while (true) {
    internal::Http1Connection::Outcome out = conn.Parse();
    if (out.kind == internal::Http1Connection::Outcome::Kind::kNeedMore) {
      if (out.send_continue) result.output += "HTTP/1.1 100 Continue\r\n\r\n";
      if (offset >= input.size()) return result;  // peer finished sending; we wait
      std::size_t n = input.size() - offset;
      if (options.chunk_size > 0 && n > options.chunk_size) n = options.chunk_size;
      conn.Append(input.substr(offset, n));
      offset += n;
      continue;
    }
    bool keep_alive = false;
    if (out.kind == internal::Http1Connection::Outcome::Kind::kReject) {
      result.output += internal::RejectRequest(app, out.status, options.tls);
      result.delays.emplace_back(0);
    } else {
      ++served;
      bool allow = served < options.limits.max_requests_per_connection;
      internal::ServeRequest(app, options.limits, peer, std::move(*out.request),
                             conn.last_request_keep_alive(), allow, nullptr, keep_alive, answer);
      result.output += answer.bytes;
      result.delays.push_back(answer.delay);
    }
    ++result.responses;
    if (!keep_alive) {
      result.closed = true;
      return result;
    }
  }
}

}  // namespace bulwark::http
