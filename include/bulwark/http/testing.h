#pragma once
// In-memory test path: drives the server's real HTTP/1.1 protocol code (the
// same object the socket loop uses: strict head checks, body framing,
// keep-alive, limits, response serialization) with bytes instead of a
// socket. For unit tests and the fuzzer; no threads, no timers.
//
// Thread-safety: thread-safe (no shared state beyond the App).

#include <cstddef>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/http/app.h"
#include "bulwark/http/server.h"

namespace bulwark::http {

struct RawExchangeResult {
  std::string output;          // every byte the server wrote
  std::size_t responses = 0;   // complete responses written (100 Continue excluded)
  bool closed = false;         // the server closed the connection
  // Per response (rejections included): the hold the socket server would
  // apply before writing it (Response::set_delay, capped). Nothing waits here.
  std::vector<std::chrono::milliseconds> delays;
};

struct RawExchangeOptions {
  ServerLimits limits;
  std::string peer_ip = "192.0.2.1";
  bool tls = false;  // pretend the bytes arrived over TLS
  // Deliver the input in pieces of this size (0: all at once), to exercise
  // heads and bodies split across reads.
  std::size_t chunk_size = 0;
};

// Feeds `input` to a fresh connection, then end of input. The connection
// serves requests until it closes or runs out of bytes.
RawExchangeResult RawExchangeForTest(const App& app, std::string_view input,
                                     const RawExchangeOptions& options = {});

}  // namespace bulwark::http
