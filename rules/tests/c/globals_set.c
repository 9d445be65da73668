/* A global written in one file and read in another (globals_use.c). */
#include <stdlib.h>
#include <string.h>

char *g_spool_dir;
char g_tool[64] = "lpr";
const char *g_printer = "default";

void load_spool_dir(void) {
    g_spool_dir = getenv("SPOOL_DIR");
}

void load_tool(void) {
    strcpy(g_tool, "lpr");
}
