#include "buffer_members.h"

#include <cstring>

SmallCopy::SmallCopy(char *initial) {
  data = initial;
  data = new char[10];
}

SmallCopy::~SmallCopy() {
  char source[10 + 1] = "0123456789";
  // ruleid: heap-buffer-overflow
  strcpy(data, source);
  delete[] data;
}

RoomyCopy::RoomyCopy(char *initial) {
  data = initial;
  data = new char[10 + 1];
}

RoomyCopy::~RoomyCopy() {
  char source[10 + 1] = "0123456789";
  // ok: heap-buffer-overflow, banned-c-function
  strcpy(data, source);
  delete[] data;
}
