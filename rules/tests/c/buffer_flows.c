/* The buffer is chosen in one function and written in another: the sizes
 * meet where the call is made. */
#include <stdlib.h>
#include <string.h>

#define SRC_STR "0123456789"

void copy_into(char *data) {
  char source[10 + 1] = SRC_STR;
  /* ruleid: heap-buffer-overflow */
  strcpy(data, source);
}

void copy_into_checked(char *data) {
  char source[10 + 1] = SRC_STR;
  /* Only ever given an 11-byte buffer. */
  /* ok: heap-buffer-overflow */
  memcpy(data, source, sizeof(source));
}

void flows_bad(void) {
  char *data = (char *)malloc(10 * sizeof(char));
  if (data == NULL) return;
  copy_into(data);
  free(data);
}

void flows_good(void) {
  char *data = (char *)malloc((10 + 1) * sizeof(char));
  if (data == NULL) return;
  copy_into(data);
  copy_into_checked(data);
  free(data);
}

/* The source's text is the caller's: 100 bytes into a 50-byte buffer. */
void copy_from(char *data) {
  char dest[50] = "";
  /* The unbounded-function rule judges the function alone, like here. */
  /* ruleid: stack-buffer-overflow, banned-c-function */
  strcpy(dest, data);
}

void copy_from_short(char *data) {
  char dest[50] = "";
  /* ok: stack-buffer-overflow */
  /* ruleid: banned-c-function */
  strcpy(dest, data);
}

void sources(void) {
  char big[100];
  char small[100];
  memset(big, 'A', 100 - 1);
  big[100 - 1] = '\0';
  memset(small, 'A', 50 - 1);
  small[50 - 1] = '\0';
  copy_from(big);
  copy_from_short(small);
}

/* Through a helper that only passes the buffer on. */
void pass_on(char *data) { copy_into(data); }

void nested_bad(void) {
  char *data = (char *)malloc(5);
  if (data == NULL) return;
  pass_on(data);
  free(data);
}

/* Made by a source function and returned. */
static char *make_buffer(void) { return (char *)malloc(8 * sizeof(char)); }

void returned_bad(void) {
  char *data = make_buffer();
  char source[10 + 1] = SRC_STR;
  if (data == NULL) return;
  /* ruleid: heap-buffer-overflow */
  memcpy(data, source, sizeof(source));
  free(data);
}

/* Through a global set before the call. */
static char *g_bad;
static char *g_good;
static void global_bad_sink(void) {
  char *data = g_bad;
  char source[10 + 1] = SRC_STR;
  /* ruleid: heap-buffer-overflow */
  strcpy(data, source);
}
static void global_good_sink(void) {
  char *data = g_good;
  char source[10 + 1] = SRC_STR;
  /* ok: heap-buffer-overflow */
  memcpy(data, source, sizeof(source));
}
void globals(void) {
  g_bad = (char *)malloc(10);
  global_bad_sink();
  g_good = (char *)malloc(11);
  global_good_sink();
}

/* Through a pointer to the pointer, an array of pointers, a struct. */
static void by_pointer(char **dataPtr) {
  char *data = *dataPtr;
  char source[10 + 1] = SRC_STR;
  /* ruleid: heap-buffer-overflow */
  memcpy(data, source, sizeof(source));
}
static void by_array(char *dataArray[]) {
  char *data = dataArray[2];
  char source[10 + 1] = SRC_STR;
  /* ruleid: heap-buffer-overflow */
  memmove(data, source, sizeof(source));
}
typedef struct {
  char *first;
} Holder;
static void by_struct(Holder holder) {
  char *data = holder.first;
  char source[10 + 1] = SRC_STR;
  /* ruleid: heap-buffer-overflow */
  strncpy(data, source, sizeof(source));
}
static void by_struct_good(Holder holder) {
  char *data = holder.first;
  char source[10 + 1] = SRC_STR;
  /* ok: heap-buffer-overflow */
  strncpy(data, source, sizeof(source));
}
void containers(void) {
  char *data = (char *)malloc(10);
  char *big = (char *)malloc(64);
  char *dataArray[5];
  Holder holder;
  Holder roomy;
  by_pointer(&data);
  dataArray[2] = data;
  by_array(dataArray);
  holder.first = data;
  by_struct(holder);
  roomy.first = big;
  by_struct_good(roomy);
}
