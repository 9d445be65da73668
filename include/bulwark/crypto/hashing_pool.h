#pragma once
// HashingPool: runs expensive jobs (password hashing) on a fixed number of
// worker threads with a bounded queue. When the queue is full, or a job does
// not start within the queue timeout, the caller gets kResourceExhausted
// ("busy") at once instead of piling up memory and CPU: a login flood then
// degrades into fast 503s for the excess, not into an outage.
//
//   auto pool = HashingPool::Create({.workers = 2, .max_queue = 64});
//   Result<PasswordVerification> v = (*pool)->Verify(hasher, password, stored);
//
// Thread-safety: all methods are thread-safe. The destructor finishes
// running jobs, fails queued ones with kUnavailable, and joins the workers.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/crypto/password.h"

namespace bulwark::crypto {

struct HashingPoolOptions {
  std::size_t workers = 2;      // concurrent hashes; each argon2id uses its memory cost
  std::size_t max_queue = 64;   // waiting jobs beyond the running ones
  std::chrono::milliseconds queue_timeout{2000};  // longest wait for a worker
};

struct HashingPoolStats {
  std::uint64_t completed = 0;
  std::uint64_t rejected_full = 0;     // refused: queue full
  std::uint64_t rejected_timeout = 0;  // refused: waited too long
  std::size_t queued = 0;              // waiting now
  std::size_t running = 0;             // running now
};

class HashingPool {
 public:
  // Errors: kInvalidArgument for zero workers or a zero timeout.
  static Result<std::unique_ptr<HashingPool>> Create(HashingPoolOptions options);
  ~HashingPool();
  HashingPool(const HashingPool&) = delete;
  HashingPool& operator=(const HashingPool&) = delete;

  // Runs `job` on a worker and waits for it. The job may reference the
  // caller's stack: once it starts, Run waits for it to finish.
  // Errors: kResourceExhausted (queue full or queue timeout), kUnavailable
  // (shutting down).
  Result<void> Run(std::function<void()> job);

  Result<std::string> Hash(const PasswordHasher& hasher, const SecretString& password);
  Result<PasswordVerification> Verify(const PasswordHasher& hasher, const SecretString& password,
                                      std::string_view stored);

  HashingPoolStats stats() const;

 private:
  struct Job;
  explicit HashingPool(HashingPoolOptions options);
  void WorkerLoop();

  HashingPoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
  HashingPoolStats stats_;
};

}  // namespace bulwark::crypto
