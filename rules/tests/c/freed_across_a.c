/* Freed memory handed to a function of another file (freed_across_b.c):
 * the finding names the call that passes the dangling pointer. */
#include <stdlib.h>
#include <string.h>

void print_record(char *data);
void drop_record(char *data);

void report_after_free(void) {
  char *data = (char *)malloc(64);
  if (data == NULL) return;
  strcpy(data, "record");
  free(data);
  /* ruleid: use-after-free */
  print_record(data);
}

void drop_twice(void) {
  char *data = (char *)malloc(64);
  if (data == NULL) return;
  drop_record(data);
  /* ruleid: double-free */
  drop_record(data);
}

void report_then_drop(void) {
  char *data = (char *)malloc(64);
  if (data == NULL) return;
  strcpy(data, "record");
  /* ok: use-after-free */
  print_record(data);
  /* ok: double-free */
  drop_record(data);
}
