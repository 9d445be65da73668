#pragma once
// The webhook delivery worker: a few threads, off the HTTP I/O threads, that
// take due deliveries from the database queue (webhook_deliveries), sign
// them and send them through the service's net::Client.
//
// Outcome of one attempt:
//   2xx                                   -> succeeded
//   destination refused / malformed       -> failed at once (no retry)
//   other status, timeout, connect error  -> retried after
//                                            retry_base * 2^(attempt-1) (capped),
//                                            failed after max_attempts
// A final failure is written to the audit trail (webhook.delivery_failed,
// at most one a second with the number left out). Each webhook keeps its
// newest 100 finished deliveries.
// Response bodies are never stored.
//
// Thread-safety: Start/Stop from one thread; Wake from any.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "internal.h"

namespace bulwark::service {

class WebhookWorker {
 public:
  explicit WebhookWorker(const Service::Impl& impl) : impl_(impl) {}
  ~WebhookWorker() { Stop(); }
  WebhookWorker(const WebhookWorker&) = delete;
  WebhookWorker& operator=(const WebhookWorker&) = delete;

  void Start(std::size_t threads);
  // Lets in-flight deliveries finish (each bounded by the client's timeout).
  void Stop();
  // A delivery was queued: look now rather than at the next poll.
  void Wake();

 private:
  void Loop();
  // Claims and attempts one due delivery; false when none was due.
  bool RunOne();
  void Attempt(const std::string& id, std::int64_t attempt);
  // Deletes the webhook's finished deliveries beyond the newest kept ones.
  void TrimFinished(const std::string& hook_id);

  const Service::Impl& impl_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t wakes_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace bulwark::service
