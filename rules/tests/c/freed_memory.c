/* Memory given back with free() (or another release) and then used or
 * released again, in one function and across functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
  struct node *next;
  int value;
};

struct record {
  char *name;
  int id;
};

static const int kAlwaysTrue = 1;

void log_line(const char *line);

void use_after_free_direct(void) {
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  strcpy(data, "hello");
  free(data);
  /* ruleid: use-after-free */
  printf("%s\n", data);
}

void use_after_free_index(void) {
  int *values = (int *)malloc(10 * sizeof(int));
  if (values == NULL) return;
  values[0] = 1;
  free(values);
  /* ruleid: use-after-free */
  values[1] = 2;
}

int use_after_free_member(struct record *r) {
  free(r);
  /* ruleid: use-after-free */
  return r->id;
}

void reassigned_after_free(void) {
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  free(data);
  data = (char *)malloc(50);
  if (data == NULL) return;
  /* ok: use-after-free */
  strcpy(data, "fresh");
  free(data);
}

void cleared_after_free(void) {
  char *data = (char *)malloc(100);
  free(data);
  data = NULL;
  /* ok: double-free */
  free(data);
}

void double_free_direct(void) {
  char *data = (char *)malloc(100);
  free(data);
  /* ruleid: double-free */
  free(data);
}

void double_free_of_copy(void) {
  char *data = (char *)malloc(100);
  free(data);
  /* A copy made after the release dangles too. */
  char *alias = data;
  /* ruleid: double-free */
  free(alias);
}

/* Released on one path only: not every path reaches the use freed. */
void freed_on_one_path(int error) {
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  if (error) {
    free(data);
    return;
  }
  /* ok: use-after-free */
  data[0] = 'x';
  free(data);
}

void freed_in_undecided_branch(int flag) {
  char *data = (char *)malloc(100);
  if (flag) free(data);
  /* ok: double-free */
  free(data);
}

/* A constant condition decides the branch: the free always runs. */
void freed_in_decided_branch(void) {
  char *data = (char *)malloc(100);
  if (kAlwaysTrue) {
    free(data);
  }
  /* ruleid: use-after-free */
  log_line(data);
}

/* A dead branch frees nothing. */
void freed_in_dead_branch(void) {
  char *data = (char *)malloc(100);
  if (!kAlwaysTrue) {
    free(data);
  }
  /* ok: use-after-free */
  log_line(data);
  free(data);
}

/* The classic list teardown that reads the next link from a freed node. */
void free_list_bad(struct node *head) {
  struct node *n;
  /* ruleid: use-after-free */
  for (n = head; n != NULL; n = n->next) {
    free(n);
  }
}

void free_list_good(struct node *head) {
  struct node *n = head;
  while (n != NULL) {
    struct node *next = n->next;
    free(n);
    /* ok: use-after-free */
    n = next;
  }
}

void free_record(struct record *r) {
  free(r->name);
  /* ok: use-after-free */
  free(r);
}

void use_freed_member_buffer(struct record *r) {
  free(r->name);
  /* ruleid: use-after-free */
  printf("%s\n", r->name);
}

/* Across functions: the sink uses or releases what the caller passes. A
 * function called from one place reports at its own use; a helper shared by
 * several callers reports at the call that passes freed memory. */
void print_sink(char *data) {
  /* ruleid: use-after-free */
  printf("%s\n", data);
}

void release_sink(char *data) {
  /* ruleid: double-free */
  free(data);
}

void pass_freed_to_sinks(void) {
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  strcpy(data, "text");
  free(data);
  print_sink(data);
  release_sink(data);
}

void show_text(const char *text) {
  /* ok: use-after-free */
  printf("%s\n", text);
}

void pass_live_to_shared_helper(void) {
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  strcpy(data, "text");
  /* ok: use-after-free */
  show_text(data);
  free(data);
}

void pass_freed_to_shared_helper(void) {
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  strcpy(data, "text");
  free(data);
  /* ruleid: use-after-free */
  show_text(data);
}

/* A function that releases its argument on every path: the caller's
 * pointer dangles after the call. */
void destroy(char *data) {
  free(data);
}

void use_after_destroy(void) {
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  destroy(data);
  /* ruleid: use-after-free */
  data[0] = 'a';
}

/* One that releases only sometimes leaves the caller's pointer alone. */
void maybe_destroy(char *data, int now) {
  if (now) free(data);
}

void use_after_maybe_destroy(int now) {
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  maybe_destroy(data, now);
  /* ok: use-after-free */
  data[0] = 'a';
}

/* A source function that hands back memory it already released. */
char *released_source(void) {
  char *data = (char *)malloc(100);
  free(data);
  return data;
}

void free_released_source(void) {
  char *data = released_source();
  /* ruleid: double-free */
  free(data);
}

void closed_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return;
  fclose(f);
  /* ruleid: use-after-free */
  fgetc(f);
}

/* A release wrapper with a NULL guard still releases on every path that
 * has something to release. */
struct buffer {
  char *bytes;
  int refs;
};

void buffer_free(struct buffer *b) {
  if (b == NULL) return;
  free(b->bytes);
  free(b);
}

void use_after_buffer_free(struct buffer *b) {
  buffer_free(b);
  /* ruleid: use-after-free */
  b->refs = 0;
}

/* A reference-counted release returns early while others hold it. */
void buffer_unref(struct buffer *b) {
  if (b == NULL) return;
  if (--b->refs > 0) return;
  free(b->bytes);
  free(b);
}

void use_after_unref(struct buffer *b) {
  buffer_unref(b);
  /* ok: use-after-free */
  b->refs = 1;
}

/* Out-parameters give the pointer a new value. */
int make_text(char **out);

void reused_out_parameter(void) {
  char *text = NULL;
  if (make_text(&text) != 0) return;
  free(text);
  if (make_text(&text) != 0) return;
  /* ok: use-after-free */
  printf("%s\n", text);
  /* ok: double-free */
  free(text);
}

/* Preprocessor alternatives: the build keeps one of them. */
void close_either(FILE *f, int fd) {
#ifdef HAVE_POSIX
  (void)f;
  close(fd);
#else
  (void)fd;
  /* ok: double-free */
  fclose(f);
#endif
#ifdef HAVE_POSIX
  close(fd);
#else
  /* ok: double-free */
  fclose(f);
#endif
}

void error_path_reads_freed_name(char *uri) {
  char *copy = strdup(uri);
  if (copy == NULL) return;
  free(copy);
  /* ruleid: use-after-free */
  fprintf(stderr, "invalid URI %s\n", copy);
}

/* Loops that run exactly once: left by `break`, or by a bound that stops
 * after the first pass. */
void freed_in_loop_once(void) {
  char *data = (char *)malloc(100);
  while (1) {
    free(data);
    break;
  }
  while (1) {
    /* ruleid: use-after-free */
    log_line(data);
    break;
  }
}

void freed_in_counted_loop(void) {
  int i;
  char *data = (char *)malloc(100);
  for (i = 0; i < 1; i++) {
    free(data);
  }
  /* ruleid: double-free */
  free(data);
}

/* A `break` inside a switch leaves the switch, not the loop around it. */
void switch_break_is_not_a_loop_break(int kind) {
  char *data = (char *)malloc(100);
  while (1) {
    switch (kind) {
      case 1:
        break;
      default:
        break;
    }
    free(data);
    break;
  }
  /* ruleid: use-after-free */
  data[0] = 'x';
}

void freed_in_loop_maybe(int n) {
  int i;
  char *data = (char *)malloc(100);
  if (data == NULL) return;
  for (i = 0; i < n; i++) {
    if (i == 3) {
      free(data);
      break;
    }
  }
  /* ok: use-after-free */
  data[0] = 'x';
  free(data);
}
