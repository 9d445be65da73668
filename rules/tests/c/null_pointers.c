/* Pointers read through while NULL, and allocation results used before a
 * NULL check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <assert.h>

struct record {
  int id;
  char name[32];
};

void null_struct_read(void) {
  struct record *r = NULL;
  /* ruleid: null-dereference */
  printf("%d\n", r->id);
}

void null_int_write(void) {
  int *count = NULL;
  /* ruleid: null-dereference */
  *count = 5;
}

void null_array_read(void) {
  long *values = NULL;
  /* ruleid: null-dereference */
  printf("%ld\n", values[0]);
}

void null_string_copy(void) {
  char *dst = NULL;
  /* ruleid: null-dereference */
  strcpy(dst, "text");
}

void used_after_null_check(struct record *r) {
  if (r == NULL) {
    /* ruleid: null-dereference */
    printf("missing record %d\n", r->id);
    return;
  }
  /* ok: null-dereference */
  printf("%d\n", r->id);
}

void pointed_elsewhere_first(void) {
  struct record local;
  struct record *r = NULL;
  local.id = 1;
  r = &local;
  /* ok: null-dereference */
  printf("%d\n", r->id);
}

void null_on_one_path(int have) {
  static int storage;
  int *p = NULL;
  if (have) p = &storage;
  /* ok: null-dereference */
  if (p) *p = 1;
}

static void print_id(struct record *r) {
  /* ruleid: null-dereference */
  printf("%d\n", r->id);
}

void passes_null_to_reader(void) {
  struct record *r = NULL;
  print_id(r);
}

void unchecked_malloc_copy(const char *src) {
  char *data = (char *)malloc(100);
  /* ruleid: unchecked-allocation */
  strcpy(data, "initial");
  printf("%s %s\n", data, src);
  free(data);
}

void unchecked_calloc_index(void) {
  int *values = (int *)calloc(10, sizeof(int));
  /* ruleid: unchecked-allocation */
  values[0] = 5;
  free(values);
}

void unchecked_struct(void) {
  struct record *r = (struct record *)malloc(sizeof(struct record));
  /* ruleid: unchecked-allocation */
  r->id = 3;
  free(r);
}

void checked_with_exit(void) {
  char *data = (char *)malloc(100);
  if (data == NULL) exit(-1);
  /* ok: unchecked-allocation */
  strcpy(data, "initial");
  free(data);
}

void checked_in_condition(void) {
  int *values;
  if ((values = (int *)malloc(10 * sizeof(int))) == NULL) return;
  /* ok: unchecked-allocation */
  values[0] = 1;
  free(values);
}

void checked_positively(void) {
  struct record *r = (struct record *)malloc(sizeof *r);
  if (r != NULL) {
    /* ok: unchecked-allocation */
    r->id = 1;
    free(r);
  }
}

void checked_by_negation(size_t n) {
  char *buf = (char *)malloc(n + 1);
  if (!buf) return;
  /* ok: unchecked-allocation */
  memset(buf, 0, n + 1);
  free(buf);
}

static char *make_name(void) {
  char *name = (char *)malloc(32);
  return name;
}

void unchecked_from_helper(void) {
  char *name = make_name();
  /* ruleid: unchecked-allocation */
  name[0] = '\0';
  free(name);
}

static void fill(char *out) {
  /* ruleid: unchecked-allocation */
  strcpy(out, "filled");
}

void hands_unchecked_to_writer(void) {
  char *out = (char *)malloc(16);
  fill(out);
  free(out);
}

void free_accepts_null(void) {
  char *data = (char *)malloc(8);
  /* ok: unchecked-allocation */
  free(data);
}

void sized_by_its_own_type(void) {
  struct record *r = NULL;
  /* ok: null-dereference */
  r = (struct record *)malloc(sizeof(*r));
  if (r == NULL) return;
  r->id = 2;
  free(r);
}

void guarded_in_condition(struct record *r) {
  /* ok: null-dereference */
  if (r != NULL && r->id > 0) printf("%d\n", r->id);
  /* ok: null-dereference */
  if (r == NULL || r->id == 0) return;
}

static int id_or_zero(struct record *r) {
  if (r == NULL) return 0;
  /* ok: null-dereference */
  return r->id;
}

static int id_when_set(struct record *r, int set) {
  if (set) {
    /* ok: null-dereference */
    return r->id;  /* only on some calls: a caller's NULL is not proven to get here */
  }
  return 0;
}

void optional_record(void) {
  printf("%d %d\n", id_or_zero(NULL), id_when_set(NULL, 0));
}

#define CHECK_OR_RETURN(p) if ((p) == NULL) return

void checked_by_macro(void) {
  char *buf = (char *)malloc(64);
  CHECK_OR_RETURN(buf);
  /* ok: unchecked-allocation */
  buf[0] = '\0';
  free(buf);
}

void checked_by_assert(void) {
  int *n = (int *)malloc(sizeof(int));
  assert(n != NULL);
  /* ok: unchecked-allocation */
  *n = 1;
  free(n);
}

struct holder {
  char *text;
};

void fill_holder(struct holder *h);

void set_through_out_parameter(void) {
  struct holder h;
  h.text = NULL;
  fill_holder(&h);
  /* ok: null-dereference */
  printf("%c\n", h.text[0]);
}

static void reset(char **out) {
  /* ok: null-dereference */
  *out = NULL;
  /* ok: null-dereference */
  *out = (char *)"x";
}

void resets(void) {
  char *p = NULL;
  reset(&p);
}
