/* Unit tests for target.c and gsp.c: local file targets routed, committed
 * or abandoned (no file, no temporary left), gzip output read back with
 * zlib, and the server message taken from an HTTP error page. */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "gsp.h"
#include "target.h"

typedef struct fixture {
  char dir[64];
  kg_mapping *m;
  test_diag td;
  size_t deflt; /* statements that reached the default sink */
} fixture;

static int setup(void **state) {
  static fixture f;
  snprintf(f.dir, sizeof f.dir, "/tmp/kgmap-target-XXXXXX");
  assert_non_null(mkdtemp(f.dir));
  f.m = kg_mapping_new();
  f.deflt = 0;
  test_diag_init(&f.td);
  *state = &f;
  return 0;
}

static size_t files_in(const char *dir) {
  DIR *d = opendir(dir);
  size_t n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    n += e->d_name[0] != '.';
  if (d)
    closedir(d);
  return n;
}

static int teardown(void **state) {
  fixture *f = *state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  assert_int_equal(system(cmd), 0);
  kg_mapping_free(f->m);
  return 0;
}

static kg_status count_default(void *h, const kg_term *s, const kg_term *p,
                               const kg_term *o, const kg_term *g) {
  ((fixture *)h)->deflt++;
  return KG_OK;
}

static void add_file(fixture *f, const char *name, const char *file,
                     const char *ser, bool gzip) {
  kg_target t = {.name = name,
                 .type = KG_TARGET_FILE,
                 .serialization = ser,
                 .gzip = gzip,
                 .pos = {"m.yml", 1, 1}};
  t.access = kg_arena_printf(f->m->arena, "%s/%s", f->dir, file);
  assert_non_null(kg_mapping_add_target(f->m, &t, &f->td.diag));
}

static kg_term iri(const char *s) {
  return (kg_term){KG_TERM_IRI, s, strlen(s), NULL, NULL, false};
}

/* Send s p o to the targets in set. */
static void send(kg_outputs *o, kg_target_set set, const char *s,
                 const char *lit) {
  kg_term ts = iri(s), tp = iri("http://ex.org/p");
  kg_term to = {KG_TERM_LITERAL, lit, strlen(lit), NULL, NULL, false};
  assert_int_equal(kg_outputs_statement(o, set, &ts, &tp, &to, NULL), KG_OK);
}

static char *slurp(const char *path) {
  static char buf[4096];
  FILE *in = fopen(path, "rb");
  assert_non_null(in);
  size_t n = fread(buf, 1, sizeof buf - 1, in);
  fclose(in);
  buf[n] = '\0';
  return buf;
}

static void routes_and_commits(void **state) {
  fixture *f = *state;
  add_file(f, "a", "a.nt", "ntriples", false);
  add_file(f, "b", "b.nq.gz", "nquads", true);
  kg_outputs *o;
  assert_int_equal(kg_outputs_open(&o, f->m, count_default, f, &f->td.diag),
                   KG_OK);
  send(o, KG_TARGET_DEFAULT, "http://ex.org/d", "d");
  send(o, 1, "http://ex.org/a", "a");
  send(o, 2, "http://ex.org/b", "b");
  send(o, 1 | 2 | KG_TARGET_DEFAULT, "http://ex.org/all", "all");
  /* Before the commit, only temporary files exist. */
  char path[128];
  snprintf(path, sizeof path, "%s/a.nt", f->dir);
  assert_int_equal(access(path, F_OK), -1);
  assert_int_equal(kg_outputs_commit(o), KG_OK);
  kg_outputs_free(o);
  assert_int_equal(f->deflt, 2);
  assert_string_equal(slurp(path),
                      "<http://ex.org/a> <http://ex.org/p> \"a\" .\n"
                      "<http://ex.org/all> <http://ex.org/p> \"all\" .\n");
  snprintf(path, sizeof path, "%s/b.nq.gz", f->dir);
  gzFile gz = gzopen(path, "rb");
  assert_non_null(gz);
  char buf[512];
  int n = gzread(gz, buf, sizeof buf - 1);
  assert_true(n > 0);
  buf[n] = '\0';
  assert_int_equal(gzclose(gz), Z_OK);
  assert_string_equal(buf, "<http://ex.org/b> <http://ex.org/p> \"b\" .\n"
                           "<http://ex.org/all> <http://ex.org/p> \"all\" .\n");
  assert_int_equal(files_in(f->dir), 2);
}

static void abandoned_outputs_leave_nothing(void **state) {
  fixture *f = *state;
  char path[128];
  snprintf(path, sizeof path, "%s/keep.nt", f->dir);
  FILE *old = fopen(path, "w");
  assert_non_null(old);
  fputs("old\n", old);
  fclose(old);
  add_file(f, "keep", "keep.nt", "ntriples", false);
  add_file(f, "z", "z.nt.gz", "ntriples", true);
  kg_outputs *o;
  assert_int_equal(kg_outputs_open(&o, f->m, count_default, f, &f->td.diag),
                   KG_OK);
  send(o, 1 | 2, "http://ex.org/a", "a");
  assert_int_equal(files_in(f->dir), 3); /* keep.nt and two temporaries */
  kg_outputs_free(o);                    /* no commit: a failed run */
  assert_int_equal(files_in(f->dir), 1);
  assert_string_equal(slurp(path), "old\n");
}

static void graphs_need_a_format_with_graphs(void **state) {
  fixture *f = *state;
  add_file(f, "t", "t.ttl", "turtle", false);
  kg_outputs *o;
  assert_int_equal(kg_outputs_open(&o, f->m, count_default, f, &f->td.diag),
                   KG_OK);
  kg_term s = iri("http://ex.org/s"), p = iri("http://ex.org/p"),
          g = iri("http://ex.org/g");
  assert_int_equal(kg_outputs_statement(o, 1, &s, &p, &s, &g), KG_ERR_MAPPING);
  assert_string_equal(f->td.last,
                      "m.yml:1:1: error: target 't' is turtle, which cannot "
                      "hold the named graph <http://ex.org/g>: make it "
                      "nquads or trig");
  kg_outputs_free(o);
  assert_int_equal(files_in(f->dir), 0);
}

static void server_message_from_html(void **state) {
  (void)state;
  static const char page[] =
      "<!DOCTYPE HTML><html>\n<head><title>SPARQL Graph Protocol request "
      "failed</title><style>body { color: red }</style></head>\n"
      "<body><h1>HTTP/1.1 500 Request Failed</h1>\n  <h3>Error 22023</h3>"
      "<xmp>The &lt;default&gt; graph &amp; more</xmp></body></html>";
  char out[200];
  kg_gsp_message(page, sizeof page - 1, out, sizeof out);
  assert_string_equal(out, "HTTP/1.1 500 Request Failed Error 22023 The "
                           "<default> graph & more");
  kg_gsp_message("plain\n text ", 12, out, sizeof out);
  assert_string_equal(out, "plain text");
  kg_gsp_message(page, sizeof page - 1, out, 12);
  assert_string_equal(out, "HTTP/1.1 50");
  kg_gsp_message("<unclosed", 9, out, sizeof out);
  assert_string_equal(out, "");
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(routes_and_commits),
      T(abandoned_outputs_leave_nothing),
      T(graphs_need_a_format_with_graphs),
      T(server_message_from_html),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
