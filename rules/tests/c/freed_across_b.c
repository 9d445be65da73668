/* Helpers used by freed_across_a.c. */
#include <stdio.h>
#include <stdlib.h>

void print_record(char *data) {
  /* ok: use-after-free */
  printf("%s\n", data);
}

void drop_record(char *data) {
  /* ok: double-free */
  free(data);
}
