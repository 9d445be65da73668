// Memory given back to an allocator it did not come from (malloc/free,
// new/delete, new[]/delete[] mixed), or memory that is not on the heap
// given to free/delete at all.
#include <cstdlib>
#include <cstring>

struct Point {
  int x;
  int y;
};

class Buffer {
 public:
  char data[32];
};

void malloc_then_delete() {
  int* values = static_cast<int*>(std::malloc(16 * sizeof(int)));
  if (values == nullptr) return;
  values[0] = 1;
  // ruleid: mismatched-memory-release
  delete values;
}

void array_new_then_delete() {
  Point* points = new Point[8];
  points[0].x = 1;
  // ruleid: mismatched-memory-release
  delete points;
}

void object_new_then_free() {
  Buffer* b = new Buffer;
  // ruleid: mismatched-memory-release
  free(b);
}

void object_new_then_array_delete() {
  Point* p = new Point;
  // ruleid: mismatched-memory-release
  delete[] p;
}

void strdup_then_array_delete(const char* name) {
  char* copy = strdup(name);
  // ruleid: mismatched-memory-release
  delete[] copy;
}

void pointer_array_then_free(int n) {
  Point** table = new Point*[n];
  table[0] = nullptr;
  // ruleid: mismatched-memory-release
  free(table);
}

void matched_pairs(int n) {
  char* text = static_cast<char*>(calloc(static_cast<size_t>(n) + 1, 1));
  // ok: mismatched-memory-release
  free(text);
  Point* points = new Point[4];
  // ok: mismatched-memory-release
  delete[] points;
  Buffer* b = new Buffer;
  // ok: mismatched-memory-release
  delete b;
  Point** table = new Point*[n];
  // ok: mismatched-memory-release
  delete[] table;
}

void either_allocator(bool small) {
  int* p;
  if (small) {
    p = static_cast<int*>(std::malloc(sizeof(int)));
  } else {
    p = new int;
  }
  // ok: mismatched-memory-release
  delete p;  // not known to come from one allocator on every path
}

static void release_object(Point* p) {
  // ruleid: mismatched-memory-release
  delete p;
}

void hands_malloc_to_deleter() {
  Point* p = static_cast<Point*>(std::malloc(sizeof(Point)));
  release_object(p);
}

static void release_array(Point* p) { delete[] p; }

void hands_arrays_to_shared_deleter() {
  // ruleid: mismatched-memory-release
  release_array(new Point);
  // ok: mismatched-memory-release
  release_array(new Point[2]);
}

static Point* make_points() { return new Point[4]; }

void returned_array_deleted_as_object() {
  Point* p = make_points();
  // ruleid: mismatched-memory-release
  delete p;
}

void stack_array_freed() {
  char local[64];
  std::memset(local, 'a', sizeof(local) - 1);
  local[63] = '\0';
  char* data = local;
  // ruleid: release-of-non-heap
  free(data);
}

void address_of_local_deleted() {
  Point origin;
  origin.x = 0;
  Point* p = &origin;
  // ruleid: release-of-non-heap
  delete p;
}

void alloca_freed(size_t n) {
  char* scratch = static_cast<char*>(alloca(64));
  scratch[0] = '\0';
  (void)n;
  // ruleid: release-of-non-heap
  free(scratch);
}

static char g_names[128];

void static_array_freed() {
  char* names = g_names;
  // ruleid: release-of-non-heap
  free(names);
}

void static_local_deleted() {
  static long counters[16];
  long* c = counters;
  // ruleid: release-of-non-heap
  delete[] c;
}

void heap_copy_freed() {
  char local[64] = "seed";
  char* data = static_cast<char*>(std::malloc(sizeof(local)));
  if (data == nullptr) return;
  std::memcpy(data, local, sizeof(local));
  // ok: release-of-non-heap
  free(data);
}

void released_only_when_grown(bool big) {
  char small[256];
  char* base = small;
  if (big) base = new char[4096];
  base[0] = '\0';
  if (base != small) {
    // ok: release-of-non-heap
    delete[] base;
  }
}

void reference_to_heap_object() {
  Point& p = *new Point;
  p.x = 1;
  // ok: release-of-non-heap
  delete &p;
}

struct Range {
  Range(int a, int b) : lo(a), hi(b) {}
  int lo;
  int hi;
};

void constructed_objects() {
  Range* heap = new Range(1, 2);
  // ok: mismatched-memory-release, release-of-non-heap
  delete heap;
  Range local(3, 4);
  Range* p = &local;
  // ruleid: release-of-non-heap
  delete p;
}
