/* Numbers from input used as array indices and allocation sizes
 * (Juliet-style CWE-129 / CWE-789 shapes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 100

void index_lower_bound_only(void) {
  int data = -1;
  int buffer[10] = {0};
  if (fscanf(stdin, "%d", &data) != 1) return;
  if (data >= 0) {
    /* ruleid: unchecked-array-index */
    buffer[data] = 1;
  }
}

void index_upper_bound_only(void) {
  int data = -1;
  int buffer[10] = {0};
  if (fscanf(stdin, "%d", &data) != 1) return;
  if (data < 10) {
    /* A signed index below 10 can still be -1. */
    /* ruleid: unchecked-array-index */
    buffer[data] = 1;
  }
}

void index_unsigned_upper_bound(void) {
  size_t data = 0;
  int buffer[10] = {0};
  if (fscanf(stdin, "%zu", &data) != 1) return;
  if (data < 10) {
    /* ok: unchecked-array-index */
    buffer[data] = 1;
  }
}

void index_rejected_outside(void) {
  int data = -1;
  int buffer[10] = {0};
  if (fscanf(stdin, "%d", &data) != 1) return;
  if (data < 0 || data >= 10) return;
  /* ok: unchecked-array-index */
  buffer[data] = 1;
}

void index_both_bounds(void) {
  int data = -1;
  int buffer[10] = {0};
  if (fscanf(stdin, "%d", &data) != 1) return;
  if (data >= 0 && data < 10) {
    /* ok: unchecked-array-index */
    buffer[data] = 1;
  }
}

int index_read_from_text(void) {
  char input[32] = "";
  int buffer[10] = {0};
  int data;
  if (fgets(input, sizeof input, stdin) == NULL) return 0;
  data = atoi(input);
  /* ruleid: unchecked-array-index */
  return buffer[data];
}

int index_constant(void) {
  int buffer[10] = {0};
  int data = 7;
  /* ok: unchecked-array-index */
  return buffer[data];
}

void allocation_unchecked(void) {
  char input[32] = "";
  size_t count;
  if (fgets(input, sizeof input, stdin) == NULL) return;
  count = strtoul(input, NULL, 10);
  /* ruleid: uncontrolled-allocation */
  char *items = malloc(count * sizeof(char));
  free(items);
}

void allocation_limited(void) {
  char input[32] = "";
  size_t count;
  if (fgets(input, sizeof input, stdin) == NULL) return;
  count = strtoul(input, NULL, 10);
  if (count > 0 && count < MAX_ITEMS) {
    /* ok: uncontrolled-allocation */
    char *items = calloc(count, 1);
    free(items);
  }
  /* The length of a string is not an attacker's number. */
  /* ok: uncontrolled-allocation */
  char *copy = malloc(strlen(input) + 1);
  free(copy);
}
