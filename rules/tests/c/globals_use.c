/* Reads the globals set in globals_set.c. */
#include <stdio.h>
#include <stdlib.h>

extern char *g_spool_dir;
extern char g_tool[64];
extern const char *g_printer;

void print_job(void) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s", g_spool_dir);
    /* ruleid: command-injection */
    system(cmd);
    /* ok: command-injection */
    system(g_tool);
    /* ok: command-injection */
    system(g_printer);
}

void local_shadow(void) {
    const char *g_spool_dir = "/var/spool";
    /* ok: command-injection */
    system(g_spool_dir);
}
