// Objects and arrays given back with delete / delete[] and then used or
// deleted again.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

class Session {
 public:
  void Touch() { ++hits_; }
  int hits() const { return hits_; }

 private:
  int hits_ = 0;
};

void use_after_delete() {
  Session* s = new Session();
  s->Touch();
  delete s;
  // ruleid: use-after-free
  s->Touch();
}

void double_delete_array() {
  char* buf = new char[64];
  std::strcpy(buf, "x");
  delete[] buf;
  // ruleid: double-free
  delete[] buf;
}

void delete_then_reset() {
  char* buf = new char[64];
  delete[] buf;
  buf = nullptr;
  // ok: double-free
  delete[] buf;
}

void owned_by_unique_ptr() {
  auto buf = std::make_unique<char[]>(64);
  // ok: use-after-free
  std::strcpy(buf.get(), "x");
}

void sink_prints(char* data) {
  // ruleid: use-after-free
  std::printf("%s\n", data);
}

void deleted_then_passed() {
  char* data = new char[64];
  std::strcpy(data, "x");
  delete[] data;
  sink_prints(data);
}

void realloc_keeps_block_on_failure(std::size_t n) {
  char* data = static_cast<char*>(std::malloc(16));
  if (data == nullptr) return;
  char* bigger = static_cast<char*>(std::realloc(data, n));
  if (bigger == nullptr) {
    // ok: double-free
    std::free(data);
    return;
  }
  std::free(bigger);
}
