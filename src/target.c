/* target.c - the outputs of targets (see target.h). */
#define _GNU_SOURCE /* fopencookie: a gzip stream as a FILE for the writer */
#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "gsp.h"
#include "writer.h"

/* Each graph of a sparql target is a temporary file until the upload. */
#define MAX_PARTS 512

typedef struct part {
  char *graph; /* NULL: the default graph */
  size_t len;
  FILE *f;
  kg_writer *w;
  size_t statements;
} part;

typedef struct output {
  const kg_target *t;
  kg_format fmt;
  FILE *f; /* local file: the stream being written */
  kg_writer *w;
  char *temp;  /* local file: the temporary file, NULL once renamed or
                  when written in place (a device or a pipe) */
  char *path;  /* local file: where temp goes */
  part *parts; /* sparql: one per graph, in order of appearance */
  size_t nparts, last;
  size_t statements;
  size_t loaded; /* sparql: parts uploaded */
} output;

struct kg_outputs {
  const kg_mapping *m;
  kg_diag *d;
  kg_sink_fn deflt;
  void *deflt_h;
  output *v;
  size_t n;
};

/* --- gzip as a stdio stream ------------------------------------------- */

static ssize_t gz_write(void *h, const char *buf, size_t n) {
  unsigned k = n > 1u << 30 ? 1u << 30 : (unsigned)n;
  int w = gzwrite((gzFile)h, buf, k);
  return w <= 0 ? -1 : (ssize_t)w;
}

static int gz_close(void *h) {
  return gzclose((gzFile)h) == Z_OK ? 0 : -1;
}

/* A FILE that gzip-compresses onto fd (which it owns).  zlib writes a
 * header without a time stamp: the same input gives the same bytes. */
static FILE *gzip_stream(int fd) {
  gzFile gz = gzdopen(fd, "wb");
  if (!gz) {
    close(fd);
    return NULL;
  }
  cookie_io_functions_t io = {NULL, gz_write, NULL, gz_close};
  FILE *f = fopencookie(gz, "w", io);
  if (!f)
    gzclose(gz);
  return f;
}

/* --- opening ------------------------------------------------------------ */

static kg_status open_error(kg_outputs *os, const kg_target *t,
                            const char *path, const char *what) {
  return kg_error(os->d, &t->pos, KG_ERR_IO, "target '%s': cannot %s '%s': %s",
                  t->name, what, path, strerror(errno));
}

/* The file descriptor to write a local file target to: a new temporary
 * file beside it (a symbolic link is followed, so the link stays), or the
 * file itself when it is a device or a pipe. */
static int file_fd(kg_outputs *os, output *out) {
  const char *access = out->t->access;
  struct stat sb;
  if (stat(access, &sb) == 0 && !S_ISREG(sb.st_mode))
    return open(access, O_WRONLY | O_TRUNC);
  char *real = realpath(access, NULL);
  out->path = kg_xstrndup(real ? real : access, strlen(real ? real : access));
  free(real);
  size_t n = strlen(out->path) + sizeof ".kgmap-XXXXXX";
  out->temp = kg_xmalloc(n);
  snprintf(out->temp, n, "%s.kgmap-XXXXXX", out->path);
  int fd = mkstemp(out->temp);
  if (fd < 0) {
    free(out->temp);
    out->temp = NULL;
    return -1;
  }
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  return fd;
}

static kg_status open_file(kg_outputs *os, output *out) {
  const kg_target *t = out->t;
  int fd = file_fd(os, out);
  if (fd < 0)
    return open_error(os, t, t->access, "create");
  out->f = t->gzip ? gzip_stream(fd) : fdopen(fd, "wb");
  if (!out->f) {
    if (!t->gzip)
      close(fd);
    return open_error(os, t, t->access, "write");
  }
  out->w =
      kg_writer_new(out->f, out->fmt, os->m->prefixes, os->m->nprefixes, os->d);
  return KG_OK;
}

/* Whether paths a and b name the same file, which need not exist yet:
 * the same folder (device and inode) and the same last component. */
static bool same_file(const char *a, const char *b) {
  const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
  const char *na = sa ? sa + 1 : a, *nb = sb ? sb + 1 : b;
  if (strcmp(na, nb) != 0)
    return false;
  char *da = sa ? kg_xstrndup(a, (size_t)(sa - a) + 1) : kg_xstrndup(".", 1);
  char *db = sb ? kg_xstrndup(b, (size_t)(sb - b) + 1) : kg_xstrndup(".", 1);
  struct stat x, y;
  const bool same = stat(da, &x) == 0 && stat(db, &y) == 0 &&
                    x.st_dev == y.st_dev && x.st_ino == y.st_ino;
  free(da);
  free(db);
  return same;
}

kg_status kg_outputs_check_path(const kg_outputs *os, const char *path) {
  for (size_t i = 0; path && i < os->n; i++) {
    const output *o = &os->v[i];
    if (o->path && same_file(o->path, path))
      return kg_error(os->d, &o->t->pos, KG_ERR_USAGE,
                      "target '%s' writes '%s', which is also the -o output: "
                      "one would replace the other",
                      o->t->name, o->t->access);
  }
  return KG_OK;
}

kg_status kg_outputs_open(kg_outputs **out, const kg_mapping *m,
                          kg_sink_fn deflt, void *deflt_h, kg_diag *d) {
  kg_status st = KG_OK;
  kg_outputs *os = kg_xcalloc(1, sizeof *os);
  *os = (kg_outputs){m, d, deflt, deflt_h, NULL, 0};
  os->v = kg_xcalloc(m->ntargets ? m->ntargets : 1, sizeof *os->v);
  for (size_t i = 0; i < m->ntargets; i++) {
    output *o = &os->v[os->n++];
    o->t = m->targets[i];
    if (!kg_format_from_name(o->t->serialization, &o->fmt))
      o->fmt = KG_FMT_NQUADS;
    if (o->t->type == KG_TARGET_SPARQL)
      o->fmt = o->fmt == KG_FMT_TURTLE || o->fmt == KG_FMT_TRIG
                   ? KG_FMT_TURTLE
                   : KG_FMT_NTRIPLES;
    else
      TRY(open_file(os, o));
    for (size_t k = 0; o->path && k + 1 < os->n; k++)
      if (os->v[k].path && same_file(os->v[k].path, o->path)) {
        st = kg_error(d, &o->t->pos, KG_ERR_MAPPING,
                      "targets '%s' and '%s' write the same file '%s': one "
                      "would replace the other",
                      os->v[k].t->name, o->t->name, o->t->access);
        goto fail;
      }
  }
  *out = os;
  return KG_OK;
fail:
  kg_outputs_free(os);
  *out = NULL;
  return st;
}

/* --- statements --------------------------------------------------------- */

/* The part of a sparql target for graph g (NULL: the default graph). */
static kg_status find_part(kg_outputs *os, output *out, const kg_term *g,
                           part **p) {
  const char *name = g ? g->value : NULL;
  size_t len = g ? g->len : 0;
  for (size_t k = 0; k < out->nparts; k++) {
    size_t i = (out->last + k) % out->nparts;
    part *c = &out->parts[i];
    if ((!c->graph && !name) ||
        (c->graph && name && c->len == len && !memcmp(c->graph, name, len))) {
      out->last = i;
      *p = c;
      return KG_OK;
    }
  }
  if (out->nparts == MAX_PARTS)
    return kg_error(os->d, &out->t->pos, KG_ERR_LIMIT,
                    "sparql target '%s': more than %d graphs", out->t->name,
                    MAX_PARTS);
  FILE *f = tmpfile();
  if (!f)
    return open_error(os, out->t, "a temporary file", "create");
  out->parts = kg_xrealloc(out->parts, (out->nparts + 1) * sizeof *out->parts);
  part *c = &out->parts[out->last = out->nparts++];
  *c = (part){
      name ? kg_xstrndup(name, len) : NULL, len, f,
      kg_writer_new(f, out->fmt, os->m->prefixes, os->m->nprefixes, os->d), 0};
  *p = c;
  return KG_OK;
}

static kg_status to_target(kg_outputs *os, output *out, const kg_term *s,
                           const kg_term *p, const kg_term *o,
                           const kg_term *g) {
  out->statements++;
  if (out->t->type == KG_TARGET_FILE) {
    if (g && !kg_format_has_graphs(out->fmt))
      return kg_error(os->d, &out->t->pos, KG_ERR_MAPPING,
                      "target '%s' is %s, which cannot hold the named graph "
                      "<%.*s>: make it nquads or trig",
                      out->t->name, kg_format_name(out->fmt), (int)g->len,
                      g->value);
    return kg_writer_statement(out->w, s, p, o, g);
  }
  part *pt = NULL;
  kg_status st = find_part(os, out, g, &pt);
  if (st != KG_OK)
    return st;
  pt->statements++;
  return kg_writer_statement(pt->w, s, p, o, NULL);
}

kg_status kg_outputs_statement(void *h, kg_target_set set, const kg_term *s,
                               const kg_term *p, const kg_term *o,
                               const kg_term *g) {
  kg_outputs *os = h;
  kg_status st = KG_OK;
  if (set & KG_TARGET_DEFAULT)
    TRY(os->deflt(os->deflt_h, s, p, o, g));
  for (size_t i = 0; i < os->n; i++)
    if (set & ((kg_target_set)1 << i))
      TRY(to_target(os, &os->v[i], s, p, o, g));
fail:
  return st;
}

/* --- commit --------------------------------------------------------------- */

static kg_status finish_output(kg_outputs *os, output *out) {
  kg_status st = KG_OK;
  for (size_t i = 0; i < out->nparts; i++)
    TRY(kg_writer_finish(out->parts[i].w));
  if (!out->f)
    return KG_OK;
  st = kg_writer_finish(out->w);
  FILE *f = out->f;
  out->f = NULL;
  if (fclose(f) != 0 && st == KG_OK)
    st = kg_error(os->d, &out->t->pos, KG_ERR_IO,
                  "target '%s': write error on '%s': %s", out->t->name,
                  out->t->access, strerror(errno ? errno : EIO));
fail:
  return st;
}

/* The value of the environment variable the target names, or of the
 * default one; a variable the mapping names must be set. */
static kg_status credential(kg_outputs *os, const kg_target *t, const char *own,
                            const char *deflt, const char **value) {
  *value = getenv(own ? own : deflt);
  if (own && !*value)
    return kg_error(os->d, &t->pos, KG_ERR_MAPPING,
                    "target '%s': the environment variable %s is not set",
                    t->name, own);
  return KG_OK;
}

/* Say what was loaded before a failure: it is not rolled back. */
static void loaded_before(kg_outputs *os) {
  for (size_t i = 0; i < os->n; i++)
    if (os->v[i].loaded)
      kg_warn(os->d, &os->v[i].t->pos,
              "target '%s': %zu of %zu graphs were loaded into %s before the "
              "failure; they stay there",
              os->v[i].t->name, os->v[i].loaded, os->v[i].nparts,
              os->v[i].t->access);
}

static kg_status upload(kg_outputs *os, output *out) {
  kg_status st = KG_OK;
  const kg_target *t = out->t;
  const char *user, *password;
  char what[300];
  TRY(credential(os, t, t->user_var, KG_SPARQL_USER_VAR, &user));
  TRY(credential(os, t, t->password_var, KG_SPARQL_PASSWORD_VAR, &password));
  snprintf(what, sizeof what, "target '%s'", t->name);
  for (size_t i = 0; i < out->nparts; i++) {
    const part *p = &out->parts[i];
    kg_gsp_request rq = {t->access,
                         p->graph ? p->graph : t->graph,
                         out->fmt == KG_FMT_TURTLE ? "text/turtle"
                                                   : "application/n-triples",
                         p->f,
                         user,
                         password,
                         what};
    TRY(kg_gsp_post(&rq, &t->pos, os->d));
    out->loaded++;
  }
fail:
  return st;
}

static kg_status upload_all(kg_outputs *os) {
  kg_status st = KG_OK;
  bool any = false;
  for (size_t i = 0; i < os->n; i++)
    any = any || os->v[i].t->type == KG_TARGET_SPARQL;
  if (!any)
    return KG_OK;
  kg_gsp_init();
  for (size_t i = 0; i < os->n && st == KG_OK; i++)
    if (os->v[i].t->type == KG_TARGET_SPARQL)
      st = upload(os, &os->v[i]);
  kg_gsp_cleanup();
  if (st != KG_OK)
    loaded_before(os);
  return st;
}

kg_status kg_outputs_commit(kg_outputs *os) {
  kg_status st = KG_OK;
  for (size_t i = 0; i < os->n; i++)
    TRY(finish_output(os, &os->v[i]));
  TRY(upload_all(os));
  for (size_t i = 0; i < os->n; i++) {
    output *out = &os->v[i];
    if (!out->temp)
      continue;
    if (rename(out->temp, out->path) != 0)
      return open_error(os, out->t, out->t->access, "rename the output to");
    free(out->temp);
    out->temp = NULL;
  }
fail:
  return st;
}

void kg_outputs_describe(const kg_outputs *os,
                         void (*fn)(void *h, const char *line), void *h) {
  char line[1200];
  for (size_t i = 0; i < os->n; i++) {
    const output *o = &os->v[i];
    if (o->t->type == KG_TARGET_SPARQL)
      snprintf(line, sizeof line,
               "target '%s': %zu statements loaded into %s (%zu graphs)",
               o->t->name, o->statements, o->t->access, o->loaded);
    else
      snprintf(line, sizeof line, "target '%s': %zu statements written to %s",
               o->t->name, o->statements, o->t->access);
    fn(h, line);
  }
}

/* --- cleanup -------------------------------------------------------------- */

void kg_outputs_unlink(const kg_outputs *os) {
  for (size_t i = 0; os && i < os->n; i++)
    if (os->v[i].temp)
      unlink(os->v[i].temp);
}

void kg_outputs_free(kg_outputs *os) {
  if (!os)
    return;
  for (size_t i = 0; i < os->n; i++) {
    output *o = &os->v[i];
    kg_writer_free(o->w);
    if (o->f)
      fclose(o->f);
    if (o->temp)
      unlink(o->temp);
    free(o->temp);
    free(o->path);
    for (size_t k = 0; k < o->nparts; k++) {
      kg_writer_free(o->parts[k].w);
      fclose(o->parts[k].f);
      free(o->parts[k].graph);
    }
    free(o->parts);
  }
  free(os->v);
  free(os);
}
