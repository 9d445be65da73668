#include "bulwark/crypto/hashing_pool.h"

namespace bulwark::crypto {

struct HashingPool::Job {
  std::function<void()> work;
  enum class State { kQueued, kRunning, kDone, kCancelled } state = State::kQueued;
  std::condition_variable done_cv;
};

Result<std::unique_ptr<HashingPool>> HashingPool::Create(HashingPoolOptions options) {
  if (options.workers == 0 || options.workers > 256) {
    return Error(ErrorCode::kInvalidArgument, "workers must be in [1, 256]");
  }
  if (options.queue_timeout.count() <= 0) {
    return Error(ErrorCode::kInvalidArgument, "queue_timeout must be positive");
  }
  return std::unique_ptr<HashingPool>(new HashingPool(options));
}

HashingPool::HashingPool(HashingPoolOptions options) : options_(options) {
  workers_.reserve(options_.workers);
  for (std::size_t i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

HashingPool::~HashingPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& job : queue_) {
      job->state = Job::State::kCancelled;
      job->done_cv.notify_all();
    }
    queue_.clear();
    stats_.queued = 0;
  }
  work_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void HashingPool::WorkerLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::shared_ptr<Job> job = std::move(queue_.front());
    queue_.pop_front();
    --stats_.queued;
    job->state = Job::State::kRunning;
    ++stats_.running;
    lock.unlock();
    job->work();
    lock.lock();
    --stats_.running;
    ++stats_.completed;
    job->state = Job::State::kDone;
    job->done_cv.notify_all();
  }
}

Result<void> HashingPool::Run(std::function<void()> work) {
  auto job = std::make_shared<Job>();
  job->work = std::move(work);
  std::unique_lock lock(mu_);
  if (stopping_) return Error(ErrorCode::kUnavailable, "hashing pool is shutting down");
  if (queue_.size() >= options_.max_queue) {
    ++stats_.rejected_full;
    return Error(ErrorCode::kResourceExhausted, "too many concurrent password checks; retry later");
  }
  queue_.push_back(job);
  ++stats_.queued;
  work_cv_.notify_one();

  // Wait for a worker to pick the job up, at most queue_timeout.
  const bool started = job->done_cv.wait_for(lock, options_.queue_timeout, [&] {
    return job->state != Job::State::kQueued;
  });
  if (!started) {
    // Still queued: withdraw it so no worker runs it after we return.
    std::erase(queue_, job);
    --stats_.queued;
    ++stats_.rejected_timeout;
    return Error(ErrorCode::kResourceExhausted, "too many concurrent password checks; retry later");
  }
  // Once running, the job may use the caller's stack: wait until it is done.
  job->done_cv.wait(lock, [&] {
    return job->state == Job::State::kDone || job->state == Job::State::kCancelled;
  });
  if (job->state == Job::State::kCancelled) {
    return Error(ErrorCode::kUnavailable, "hashing pool is shutting down");
  }
  return Ok();
}

Result<std::string> HashingPool::Hash(const PasswordHasher& hasher, const SecretString& password) {
  Result<std::string> result = Error(ErrorCode::kInternal, "hash job did not run");
  BULWARK_RETURN_IF_ERROR(Run([&] { result = hasher.Hash(password); }));
  return result;
}

Result<PasswordVerification> HashingPool::Verify(const PasswordHasher& hasher,
                                                 const SecretString& password,
                                                 std::string_view stored) {
  Result<PasswordVerification> result = Error(ErrorCode::kInternal, "verify job did not run");
  BULWARK_RETURN_IF_ERROR(Run([&] { result = hasher.Verify(password, stored); }));
  return result;
}

HashingPoolStats HashingPool::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace bulwark::crypto
