// C++: pointers a call or a lambda sets before they are read.
#include <cstdio>

struct Shape {
  int columns;
};

bool Lookup(int key, Shape*& out);
template <typename F>
void Each(F f);

int through_reference_parameter(int key) {
  Shape* shape = nullptr;
  if (!Lookup(key, shape)) return -1;
  // ok: null-dereference
  return shape->columns;
}

void captured_by_reference() {
  Shape* shape = nullptr;
  Each([&]() {
    // ok: null-dereference
    std::printf("%d\n", shape->columns);
  });
}

int null_object() {
  Shape* shape = nullptr;
  // ruleid: null-dereference
  return shape->columns;
}
