// new T[n] is a heap buffer of n elements.
#include <cstring>
#include <cwchar>

void heap_array_bad() {
  char *data = new char[10];
  // ruleid: heap-buffer-overflow
  strcpy(data, "0123456789");
  wchar_t *wide = new wchar_t[50];
  wchar_t source[100];
  wmemset(source, L'C', 100 - 1);
  source[100 - 1] = L'\0';
  // ruleid: heap-buffer-overflow
  wcsncpy(wide, source, 100 - 1);
  delete[] wide;
  delete[] data;
}

void heap_array_good() {
  char *data = new char[11];
  // ok: heap-buffer-overflow, banned-c-function
  strcpy(data, "0123456789");
  wchar_t *wide = new wchar_t[100];
  wchar_t source[100];
  wmemset(source, L'C', 100 - 1);
  source[100 - 1] = L'\0';
  // ok: heap-buffer-overflow
  wcsncpy(wide, source, 100 - 1);
  // ok: heap-buffer-overflow, banned-c-function
  wcscpy(wide, source);
  delete[] wide;
  delete[] data;
}
