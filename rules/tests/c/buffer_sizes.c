/* Copies into buffers whose sizes the code states: the sizes decide, not
 * the function's name. Shapes of the usual flaws: no room for the NUL, a
 * count of elements taken as bytes, a source larger than the target. */
#include <alloca.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define SRC_STRING "AAAAAAAAAA"

void no_room_for_nul_bad(void) {
  char *data;
  char *small = (char *)alloca((10) * sizeof(char));
  data = small;
  data[0] = '\0';
  {
    char source[10 + 1] = SRC_STRING;
    /* ruleid: stack-buffer-overflow */
    strcpy(data, source);
    puts(data);
  }
}

void no_room_for_nul_good(void) {
  char *data;
  char *big = (char *)alloca((10 + 1) * sizeof(char));
  data = big;
  data[0] = '\0';
  {
    char source[10 + 1] = SRC_STRING;
    /* ok: stack-buffer-overflow, banned-c-function */
    strcpy(data, source);
    puts(data);
  }
}

void elements_as_bytes_bad(void) {
  int *data = (int *)malloc(10);
  int source[10] = {0};
  if (data == NULL) exit(1);
  /* ruleid: heap-buffer-overflow */
  memcpy(data, source, 10 * sizeof(int));
  free(data);
}

void elements_as_bytes_good(void) {
  int *data = (int *)malloc(10 * sizeof(int));
  int source[10] = {0};
  if (data == NULL) exit(1);
  /* ok: heap-buffer-overflow */
  memcpy(data, source, 10 * sizeof(int));
  free(data);
}

void larger_source_bad(void) {
  char *data;
  char dataBadBuffer[50];
  data = dataBadBuffer;
  data[0] = '\0';
  {
    char source[100];
    memset(source, 'C', 100 - 1);
    source[100 - 1] = '\0';
    /* ruleid: stack-buffer-overflow */
    strncpy(data, source, 100 - 1);
    /* ruleid: stack-buffer-overflow */
    data[100 - 1] = '\0';
    /* ruleid: stack-buffer-overflow */
    memcpy(data, source, sizeof(source));
    /* ruleid: stack-buffer-overflow */
    snprintf(data, 100, "%s", source);
  }
}

void larger_source_good(void) {
  char *data;
  char dataGoodBuffer[100];
  data = dataGoodBuffer;
  data[0] = '\0';
  {
    char source[100];
    memset(source, 'C', 100 - 1);
    source[100 - 1] = '\0';
    /* ok: stack-buffer-overflow */
    strncpy(data, source, 100 - 1);
    /* ok: stack-buffer-overflow */
    memcpy(data, source, sizeof(source));
    /* ok: stack-buffer-overflow */
    snprintf(data, sizeof(dataGoodBuffer), "%s", source);
    /* ok: stack-buffer-overflow, banned-c-function */
    strcpy(data, source);
  }
}

void wide_bad(void) {
  wchar_t *data = new_wide_buffer();
  wchar_t dest[50];
  wchar_t source[100];
  wmemset(source, L'C', 100 - 1);
  source[100 - 1] = L'\0';
  /* ruleid: stack-buffer-overflow */
  wcsncpy(dest, source, 100 - 1);
  /* ruleid: stack-buffer-overflow */
  wcscpy(dest, source);
  /* ok: stack-buffer-overflow */
  wcsncpy(dest, source, 50 - 1);
  (void)data;
}

void heap_new_bad(const char *input) {
  char *data = (char *)calloc(50, sizeof(char));
  char line[100];
  if (data == NULL) return;
  /* ruleid: heap-buffer-overflow */
  fgets(data, 100, stdin);
  /* ok: heap-buffer-overflow */
  fgets(line, sizeof(line), stdin);
  /* Unknown source size: only the unbounded-function rule speaks. */
  /* ruleid: banned-c-function */
  strcpy(data, input);
  free(data);
}

/* One path with the small buffer is enough. */
void either_buffer(int flag) {
  char small[10];
  char large[100];
  char *data = flag ? small : large;
  char source[50] = "";
  /* ruleid: stack-buffer-overflow */
  memcpy(data, source, 50);
}

/* strcat writes after the text already in the destination. */
void appended_bad(void) {
  char *data;
  char dataBadBuffer[50];
  char source[100];
  data = dataBadBuffer;
  data[0] = '\0';
  memset(source, 'C', 100 - 1);
  source[100 - 1] = '\0';
  /* ruleid: stack-buffer-overflow */
  strcat(data, source);
}

void appended_count_bad(void) {
  char dest[50] = "";
  char source[100];
  memset(source, 'C', 100 - 1);
  source[100 - 1] = '\0';
  /* ruleid: stack-buffer-overflow */
  strncat(dest, source, 100);
  /* After that the text in dest is unknown: nothing more is claimed. */
  /* ok: stack-buffer-overflow */
  strncat(dest, source, 10);
}

void appended_good(void) {
  char *data;
  char dataGoodBuffer[100];
  char source[100];
  char prefix[64] = "/srv/";
  data = dataGoodBuffer;
  data[0] = '\0';
  memset(source, 'C', 100 - 1);
  source[100 - 1] = '\0';
  /* ok: stack-buffer-overflow, banned-c-function */
  strcat(data, source);
  /* "/srv/" plus a source of up to 100 bytes: 105 > 64. */
  /* ruleid: stack-buffer-overflow */
  strcat(prefix, source);
}

/* The text in a buffer ends where a NUL is written: a 100-byte buffer
 * holding 49 characters fits a 50-byte one. */
void source_text_bad(void) {
  char dataBuffer[100];
  char *data = dataBuffer;
  memset(data, 'A', 100 - 1);
  data[100 - 1] = '\0';
  {
    char dest[50] = "";
    /* ruleid: stack-buffer-overflow */
    strcpy(dest, data);
    /* ruleid: stack-buffer-overflow */
    memcpy(dest, data, strlen(data) * sizeof(char));
  }
}

void source_text_good(void) {
  char dataBuffer[100];
  char *data = dataBuffer;
  memset(data, 'A', 50 - 1);
  data[50 - 1] = '\0';
  {
    char dest[50] = "";
    /* ok: stack-buffer-overflow, banned-c-function */
    strcpy(dest, data);
    /* ok: stack-buffer-overflow */
    memcpy(dest, data, strlen(data) * sizeof(char));
  }
}

void length_of_literal(void) {
  char *data = (char *)malloc(10 * sizeof(char));
  char source[10 + 1] = SRC_STRING;
  if (data == NULL) return;
  /* strlen(source) is 10: the NUL is the 11th byte. */
  /* ruleid: heap-buffer-overflow */
  strncpy(data, source, strlen(source) + 1);
  free(data);
}

/* sizeof a pointer is not the size of what it points to. */
void pointer_size(void) {
  char buffer[100];
  char *p = buffer;
  char small[16];
  /* sizeof(buffer) is 100: too much for small. */
  /* ruleid: stack-buffer-overflow */
  memcpy(small, buffer, sizeof(buffer));
  /* sizeof(p) is a pointer's size, not 100: nothing is known. */
  /* ok: stack-buffer-overflow */
  memcpy(small, p, sizeof(p));
}

/* Counts taken from the wrong buffer read past the source. */
void overread_bad(void) {
  char *data;
  char *small = (char *)alloca(50 * sizeof(char));
  memset(small, 'A', 50 - 1);
  small[50 - 1] = '\0';
  data = small;
  {
    char dest[100];
    memset(dest, 'C', 100 - 1);
    dest[100 - 1] = '\0';
    /* ruleid: buffer-overread */
    memcpy(dest, data, strlen(dest) * sizeof(char));
    /* ok: buffer-overread */
    memcpy(dest, data, strlen(data) * sizeof(char));
  }
}

void overread_good(void) {
  char *data;
  char *large = (char *)alloca(100 * sizeof(char));
  memset(large, 'A', 100 - 1);
  large[100 - 1] = '\0';
  data = large;
  {
    char dest[100];
    memset(dest, 'C', 100 - 1);
    dest[100 - 1] = '\0';
    /* ok: buffer-overread */
    memcpy(dest, data, strlen(dest) * sizeof(char));
  }
}

/* A pointer set before its buffer. */
void before_start_bad(void) {
  char *data;
  char dataBuffer[100];
  memset(dataBuffer, 'A', 100 - 1);
  dataBuffer[100 - 1] = '\0';
  data = dataBuffer - 8;
  {
    char source[100];
    char dest[100];
    memset(source, 'C', 100 - 1);
    source[100 - 1] = '\0';
    /* ruleid: buffer-underwrite */
    strcpy(data, source);
    /* ruleid: buffer-underwrite */
    memmove(data, source, 100 * sizeof(char));
    /* ruleid: buffer-underread */
    memcpy(dest, data, 100 * sizeof(char));
  }
}

void before_start_good(void) {
  char *data;
  char dataBuffer[100];
  memset(dataBuffer, 'A', 100 - 1);
  dataBuffer[100 - 1] = '\0';
  data = dataBuffer;
  {
    char source[100];
    char dest[100];
    memset(source, 'C', 100 - 1);
    source[100 - 1] = '\0';
    /* ok: buffer-underwrite, banned-c-function */
    strcpy(data, source);
    /* ok: buffer-underread */
    memcpy(dest, data, 100 * sizeof(char));
    /* A pointer into the middle, moved back: not before the start as far as we know. */
    char *mid = dataBuffer + 50;
    /* ok: buffer-underwrite */
    memset(mid, 0, 10);
  }
}

/* Element by element: the loop's bound against the buffer's size. */
void loop_bad(void) {
  int i;
  char *data;
  char dataBadBuffer[50];
  char source[100];
  data = dataBadBuffer;
  memset(source, 'C', 100 - 1);
  source[100 - 1] = '\0';
  for (i = 0; i < 100; i++) {
    /* ruleid: stack-buffer-overflow */
    data[i] = source[i];
  }
  int *ints = (int *)malloc(10);
  if (ints == NULL) return;
  for (i = 0; i < 10; i++) {
    /* Ten ints need 40 bytes: 10 were allocated. */
    /* ruleid: heap-buffer-overflow */
    ints[i] = 0;
  }
  /* ruleid: stack-buffer-overflow */
  dataBadBuffer[50] = '\0';
  free(ints);
}

void loop_good(void) {
  int i;
  char *data;
  char dataGoodBuffer[100];
  char source[100];
  data = dataGoodBuffer;
  memset(source, 'C', 100 - 1);
  source[100 - 1] = '\0';
  for (i = 0; i < 100; i++) {
    /* ok: stack-buffer-overflow */
    data[i] = source[i];
  }
  int *ints = (int *)malloc(10 * sizeof(int));
  if (ints == NULL) return;
  for (i = 0; i < 10; i++) {
    /* ok: heap-buffer-overflow */
    ints[i] = 0;
  }
  /* ok: stack-buffer-overflow */
  dataGoodBuffer[100 - 1] = '\0';
  free(ints);
}
