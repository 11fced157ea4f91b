/* main.c - the kgmap command: reads mappings, runs them, writes RDF.
 * Only wiring: every stage lives in the library. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "eval.h"
#include "kg.h"
#include "mapping.h"
#include "parallel.h"
#include "progress.h"
#include "rml.h"
#include "target.h"
#include "viz.h"
#include "vizwrite.h"
#include "writer.h"
#include "yarrrml.h"

#define KG_VERSION "0.1.0"

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

typedef struct options {
  const char *out;
  const char *format;
  const char *base;
  const char *mapping_format;
  const char *lang;
  const char **externals;
  size_t nexternals;
  const char **overrides;
  size_t noverrides;
  bool quiet, verbose, merge_graphs, literal_nodes, progress,
      skip_bad;
  kg_parallel_options par;
} options;

static const char usage_text[] =
    "Usage: kgmap [OPTIONS] MAPPING...\n"
    "Turn JSON and YAML data into RDF with YARRRML or RML mappings.\n"
    "Several mapping files are merged into one mapping.\n"
    "\n"
    "  -o, --output FILE         write to FILE (atomically; default stdout)\n"
    "  -f, --format FORMAT       turtle (default), ntriples, nquads, trig;\n"
    "                            dot, graphml, cytoscape (a drawing: named\n"
    "                            graphs merged); default: from the -o "
    "extension\n"
    "      --base IRI            base IRI for relative IRIs\n"
    "  -e, --external NAME=VALUE value of the YARRRML reference $(_NAME)\n"
    "  -s, --source NAME=PATH    read the source named NAME from PATH\n"
    "      --mapping-format FMT  yarrrml or rml (default: by extension or "
    "content)\n"
    "      --merge-graphs        write every statement in the default graph\n"
    "                            (a mapping with graphs as Turtle or "
    "N-Triples)\n"
    "      --lang LANG           dot, graphml, cytoscape: label nodes in LANG\n"
    "      --literal-nodes       dot, graphml, cytoscape: literals as nodes,\n"
    "                            not node attributes\n"
    "  -j, --jobs N              map documents in N worker processes (same\n"
    "                            output as -j 1; RDF formats, no targets)\n"
    "      --shard K/N           map only the documents K, K+N, K+2N, ...\n"
    "      --skip-bad-records    skip (and count) records with data errors\n"
    "                            instead of stopping\n"
    "  -q, --quiet               no warnings\n"
    "      --progress            a progress line on stderr (default: when\n"
    "                            stderr is a terminal, unless -q)\n"
    "  -v, --verbose             a summary on stderr when done: triples per\n"
    "                            mapping, records skipped and why\n"
    "  -h, --help                this help\n"
    "  -V, --version             the version\n"
    "\n"
    "Exit status: 0 success, 1 data or mapping error, 2 usage error.\n";

/* The temporary output file, removed on error or signal (SIGINT, SIGTERM,
 * SIGHUP).  SIGKILL cannot be caught: it leaves FILE.kgmap-XXXXXX beside
 * the -o path, but never a partial file at the path itself. */
static char *volatile temp_path;
static char *out_path; /* where temp_path is renamed to */
static kg_outputs *live_outputs; /* the targets' temporary files */

static void on_signal(int sig) {
  if (temp_path)
    unlink(temp_path);
  kg_outputs_unlink(live_outputs);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void print_diag(void *h, kg_severity sev, const kg_pos *pos,
                       const char *msg) {
  const options *o = h;
  if (sev != KG_SEV_ERROR && o->quiet)
    return;
  char line[4096];
  kg_diag_format(line, sizeof line, sev, pos, msg);
  fprintf(stderr, "%s\n", line);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "kgmap: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nTry 'kgmap --help' for more information.\n");
  va_end(ap);
  return EXIT_USAGE;
}

static void push_arg(const char ***arr, size_t *n, const char *arg) {
  *arr = kg_xrealloc((void *)*arr, (*n + 1) * sizeof **arr);
  (*arr)[(*n)++] = arg;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, options *o) {
  enum { OPT_BASE = 256, OPT_MAPFMT, OPT_MERGE, OPT_LANG, OPT_LITNODES,
         OPT_PROGRESS, OPT_SHARD, OPT_SKIP };
  static const struct option longs[] = {
      {"output", required_argument, 0, 'o'},
      {"format", required_argument, 0, 'f'},
      {"base", required_argument, 0, OPT_BASE},
      {"external", required_argument, 0, 'e'},
      {"source", required_argument, 0, 's'},
      {"mapping-format", required_argument, 0, OPT_MAPFMT},
      {"merge-graphs", no_argument, 0, OPT_MERGE},
      {"lang", required_argument, 0, OPT_LANG},
      {"literal-nodes", no_argument, 0, OPT_LITNODES},
      {"progress", no_argument, 0, OPT_PROGRESS},
      {"jobs", required_argument, 0, 'j'},
      {"shard", required_argument, 0, OPT_SHARD},
      {"skip-bad-records", no_argument, 0, OPT_SKIP},
      {"quiet", no_argument, 0, 'q'},
      {"verbose", no_argument, 0, 'v'},
      {"help", no_argument, 0, 'h'},
      {"version", no_argument, 0, 'V'},
      {0, 0, 0, 0}};
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:f:e:s:j:qvhV", longs, NULL)) != -1) {
    switch (c) {
    case 'o': o->out = optarg; break;
    case 'f': o->format = optarg; break;
    case OPT_BASE: o->base = optarg; break;
    case OPT_MAPFMT: o->mapping_format = optarg; break;
    case OPT_MERGE: o->merge_graphs = true; break;
    case OPT_LANG: o->lang = optarg; break;
    case OPT_LITNODES: o->literal_nodes = true; break;
    case OPT_PROGRESS: o->progress = true; break;
    case 'j':
      if (!kg_parallel_parse_jobs(optarg, &o->par.jobs))
        return usage_error("-j needs a number of jobs from 1 to %d",
                           KG_PARALLEL_MAX_JOBS);
      break;
    case OPT_SHARD:
      if (!kg_parallel_parse_shard(optarg, &o->par.shard_k, &o->par.shard_n))
        return usage_error("--shard needs K/N with 0 <= K < N, not '%s'",
                           optarg);
      break;
    case OPT_SKIP:
      o->skip_bad = true;
      break;
    case 'e':
    case 's':
      if (!strchr(optarg, '=') || optarg[0] == '=')
        return usage_error("-%s needs NAME=VALUE", c == 'e' ? "e" : "s");
      if (c == 'e')
        push_arg(&o->externals, &o->nexternals, optarg);
      else
        push_arg(&o->overrides, &o->noverrides, optarg);
      break;
    case 'q': o->quiet = true; break;
    case 'v': o->verbose = true; break;
    case 'h': fputs(usage_text, stdout); return 0;
    case 'V': printf("kgmap %s\n", KG_VERSION); return 0;
    case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
    default: return usage_error("unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return usage_error("%s", "no mapping file given");
  kg_format fmt;
  kg_viz_format vf;
  if (o->format && !kg_format_from_name(o->format, &fmt) &&
      !kg_viz_format_from_name(o->format, &vf))
    return usage_error("unknown format '%s' (turtle, ntriples, nquads, trig, "
                       "dot, graphml, cytoscape)",
                       o->format);
  if (o->mapping_format && strcmp(o->mapping_format, "yarrrml") != 0 &&
      strcmp(o->mapping_format, "rml") != 0)
    return usage_error("unknown mapping format '%s' (yarrrml or rml)",
                       o->mapping_format);
  return -1;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* YARRRML or RML: forced, by extension, or by looking at the text. */
static bool is_rml_file(const options *o, const char *path) {
  if (o->mapping_format)
    return strcmp(o->mapping_format, "rml") == 0;
  if (ends_with(path, ".yml") || ends_with(path, ".yaml"))
    return false;
  if (ends_with(path, ".ttl") || ends_with(path, ".rml"))
    return true;
  char head[4096];
  FILE *f = fopen(path, "rb");
  if (!f)
    return false; /* the YARRRML reader reports the missing file */
  size_t n = fread(head, 1, sizeof head, f);
  fclose(f);
  return kg_rml_sniff(head, n);
}

static kg_status read_mappings(kg_mapping *m, int argc, char **argv,
                               const options *o, kg_diag *d) {
  kg_status st = KG_OK;
  for (int i = optind; i < argc; i++) {
    size_t before = m->nmaps;
    bool rml = is_rml_file(o, argv[i]);
    TRY(rml ? kg_rml_read(m, argv[i], d) : kg_yarrrml_read(m, argv[i], d));
    for (size_t k = before; k < m->nmaps; k++)
      m->maps[k]->arrays_expand = !rml;
  }
  for (size_t i = 0; i < o->noverrides; i++) {
    const char *eq = strchr(o->overrides[i], '=');
    char *name = kg_xstrndup(o->overrides[i], (size_t)(eq - o->overrides[i]));
    size_t n = kg_mapping_override_source(m, name, eq + 1);
    if (n == 0)
      st = kg_error(d, NULL, KG_ERR_USAGE, "-s %s: the mapping has no source "
                    "named '%s'", o->overrides[i], name);
    free(name);
    if (st != KG_OK)
      goto fail;
  }
  TRY(kg_mapping_finish(m, d));
fail:
  return st;
}

/* The output format: an RDF syntax (*viz < 0) or a drawing (*viz is a
 * kg_viz_format). */
static kg_status choose_format(const options *o, const kg_mapping *m,
                               kg_format *fmt, int *viz, kg_diag *d) {
  *fmt = KG_FMT_TURTLE;
  *viz = -1;
  kg_viz_format vf;
  if (o->format && kg_viz_format_from_name(o->format, &vf))
    *viz = (int)vf;
  else if (o->format && !kg_format_from_name(o->format, fmt))
    return kg_error(d, NULL, KG_ERR_USAGE,
                    "unknown format '%s' (turtle, ntriples, nquads, trig, "
                    "dot, graphml, cytoscape)",
                    o->format);
  if (!o->format && o->out && kg_viz_format_from_path(o->out, &vf))
    *viz = (int)vf;
  else if (!o->format && o->out)
    kg_format_from_path(o->out, fmt);
  if (*viz < 0 && kg_mapping_has_graphs(m) && !kg_format_has_graphs(*fmt) &&
      !o->merge_graphs)
    return kg_error(d, NULL, KG_ERR_MAPPING,
                    "the mapping puts statements in named graphs, which %s "
                    "cannot hold: use -f nquads or -f trig, or "
                    "--merge-graphs",
                    kg_format_name(*fmt));
  return KG_OK;
}

/* Open the output: stdout, or a temporary file beside -o's path. */
static FILE *open_output(const options *o, kg_diag *d) {
  if (!o->out)
    return stdout;
  struct stat sb;
  if (stat(o->out, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    /* A device or a pipe (/dev/stdout, a FIFO): rename would replace it,
     * so write to it in place; atomicity means nothing there. */
    FILE *f = fopen(o->out, "wb");
    if (!f)
      kg_error(d, &(kg_pos){o->out, 0, 0}, KG_ERR_IO, "cannot open: %s",
               strerror(errno));
    return f;
  }
  /* A symbolic link to a file: replace the file, keep the link. */
  char *real = realpath(o->out, NULL);
  const char *target = real ? real : o->out;
  size_t n = strlen(target) + sizeof ".kgmap-XXXXXX";
  temp_path = kg_xmalloc(n);
  snprintf(temp_path, n, "%s.kgmap-XXXXXX", target);
  free(out_path);
  out_path = kg_xmalloc(strlen(target) + 1);
  strcpy(out_path, target);
  free(real);
  int fd = mkstemp(temp_path);
  if (fd < 0) {
    kg_error(d, &(kg_pos){o->out, 0, 0}, KG_ERR_IO, "cannot create: %s",
             strerror(errno));
    char *tmp = temp_path;
    temp_path = NULL;
    free(tmp);
    free(out_path);
    out_path = NULL;
    return NULL;
  }
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  return fdopen(fd, "wb");
}

static kg_status close_output(FILE *f, const options *o, kg_status st,
                              kg_diag *d) {
  if (f == stdout) {
    if ((fflush(stdout) != 0 || ferror(stdout)) && st == KG_OK)
      st = kg_error(d, NULL, KG_ERR_IO, "cannot write to standard output: %s",
                    strerror(errno));
    return st;
  }
  if (fclose(f) != 0 && st == KG_OK)
    st = kg_error(d, &(kg_pos){o->out, 0, 0}, KG_ERR_IO, "write error: %s",
                  strerror(errno));
  if (!temp_path)
    return st; /* written in place */
  if (st == KG_OK && rename(temp_path, out_path) != 0)
    st = kg_error(d, &(kg_pos){o->out, 0, 0}, KG_ERR_IO,
                  "cannot rename the output into place: %s", strerror(errno));
  /* the signal handler must never see a freed temp_path */
  char *tmp = temp_path;
  temp_path = NULL;
  if (st != KG_OK)
    unlink(tmp);
  free(tmp);
  free(out_path);
  out_path = NULL;
  return st;
}

/* --merge-graphs: the writer sees every statement in the default graph. */
static kg_status default_graph_statement(void *w, const kg_term *s,
                                         const kg_term *p, const kg_term *obj,
                                         const kg_term *g) {
  return kg_writer_statement(w, s, p, obj, NULL);
}

static void print_line(void *h, const char *line) {
  fprintf(stderr, "kgmap: %s\n", line);
}

/* An RDF syntax, streamed: each statement is written as it comes. */
static kg_status write_rdf(const options *o, const kg_mapping *m,
                           kg_eval_options *eo, kg_format fmt, FILE *f,
                           kg_eval_stats *stats, kg_diag *d) {
  kg_writer *w = kg_writer_new(f, fmt, m->prefixes, m->nprefixes, d);
  kg_sink_fn sink =
      o->merge_graphs ? default_graph_statement : kg_writer_statement;
  kg_status st = kg_outputs_open(&live_outputs, m, sink, w, d);
  if (st == KG_OK)
    st = kg_outputs_check_path(live_outputs, out_path);
  if (m->ntargets) { /* (run: then there is one process) */
    eo->route = kg_outputs_statement;
    eo->route_h = live_outputs;
  }
  if (st == KG_OK)
    st = kg_parallel_eval(m, eo, &o->par, w, sink, stats, d);
  if (st == KG_OK)
    st = kg_writer_finish(w);
  if (st == KG_OK)
    st = kg_outputs_commit(live_outputs);
  kg_writer_free(w);
  return st;
}

/* A drawing: the graph is built in memory, then written (viz.h). */
static kg_status write_viz(const options *o, const kg_mapping *m,
                           kg_eval_options *eo, kg_viz_format fmt,
                           FILE *f, kg_eval_stats *stats, kg_diag *d) {
  kg_viz_options vo = {.lang = o->lang, .literal_nodes = o->literal_nodes};
  kg_viz *v = kg_viz_new(&vo, m->prefixes, m->nprefixes, d);
  /* One process: the drawing is built in memory, not streamed (-j has no
   * effect); --shard still selects the documents. */
  eo->select.shard_k = o->par.shard_k;
  eo->select.shard_n = o->par.shard_n;
  kg_status st = kg_outputs_open(&live_outputs, m, kg_viz_statement, v, d);
  if (st == KG_OK)
    st = kg_outputs_check_path(live_outputs, out_path);
  eo->route = kg_outputs_statement;
  eo->route_h = live_outputs;
  if (st == KG_OK)
    st = kg_eval(m, eo, kg_viz_statement, v, stats, d);
  if (st == KG_OK)
    st = kg_viz_write(v, fmt, f, d);
  if (st == KG_OK)
    st = kg_outputs_commit(live_outputs);
  kg_viz_free(v);
  return st;
}

/* The progress line (progress.h): rewritten in place on a terminal and
 * cleared at the end; otherwise a line a second and the final counts. */
typedef struct meter {
  kg_progress p;
  bool tty, shown;
} meter;

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void show_progress(void *h, const kg_eval_stats *s) {
  meter *mt = h;
  char line[256];
  if (!kg_progress_due(&mt->p, s, seconds(), line, sizeof line))
    return;
  fprintf(stderr, mt->tty ? "\r%s\033[K" : "%s\n", line);
  mt->shown = true;
}

static void verbose_summary(const kg_mapping *m, const kg_eval_stats *s,
                            const kg_eval_options *eo) {
  kg_buf b = {0};
  kg_progress_summary(&b, m, s, eo->map_statements, eo->map_no_subject);
  fprintf(stderr, "%s\n", kg_buf_cstr(&b));
  kg_buf_free(&b);
}

/* Skipped records are never silent, even with -q. */
static void report_skipped(const kg_mapping *m, const size_t *by_map,
                           const kg_eval_stats *stats) {
  if (stats->parents_skipped)
    fprintf(stderr, "kgmap: %zu join parent record%s left out of joins\n",
            stats->parents_skipped, stats->parents_skipped == 1 ? "" : "s");
  if (stats->skipped == 0)
    return;
  fprintf(stderr,
          "kgmap: skipped %zu record%s with data errors%s", stats->skipped,
          stats->skipped == 1 ? "" : "s", by_map ? ":" : "");
  const char *sep = " ";
  for (size_t i = 0; by_map && i < m->nmaps; i++)
    if (by_map[i]) {
      fprintf(stderr, "%smapping '%s' %zu", sep, m->maps[i]->name, by_map[i]);
      sep = ", ";
    }
  fputc('\n', stderr);
}

static kg_status run(const options *o, const kg_mapping *m, kg_diag *d) {
  kg_status st = KG_OK;
  kg_format fmt;
  int viz;
  kg_eval_stats stats = {0};
  meter mt = {.tty = isatty(STDERR_FILENO) == 1};
  kg_eval_options eo = {.base = o->base};
  TRY(choose_format(o, m, &fmt, &viz, d));
  /* Workers are other processes: they cannot share the targets' files,
   * and their counts reach the parent only at their end (no progress
   * line; the summaries are the same as with -j 1). */
  const bool workers = o->par.jobs > 1 && viz < 0;
  if (workers && m->ntargets)
    return kg_error(d, NULL, KG_ERR_USAGE,
                    "-j %zu: a mapping with targets runs with -j 1",
                    o->par.jobs);
  FILE *f = open_output(o, d);
  if (!f)
    return KG_ERR_IO;
  if (!workers && (o->progress || (mt.tty && !o->quiet))) {
    kg_progress_start(&mt.p, seconds(), mt.tty ? 0.25 : 1.0);
    eo.progress = show_progress;
    eo.progress_h = &mt;
  }
  if (o->verbose) {
    eo.map_statements = kg_xcalloc(m->nmaps + 1, sizeof(size_t));
    eo.map_no_subject = kg_xcalloc(m->nmaps + 1, sizeof(size_t));
  }
  eo.skip_bad_records = o->skip_bad;
  if (o->skip_bad)
    eo.skipped_by_map = kg_xcalloc(m->nmaps + 1, sizeof(size_t));
  st = viz < 0 ? write_rdf(o, m, &eo, fmt, f, &stats, d)
               : write_viz(o, m, &eo, (kg_viz_format)viz, f, &stats, d);
  if (mt.shown && mt.tty)
    fputs("\r\033[K", stderr); /* clear the progress line */
  if (eo.progress && !mt.tty) { /* a log gets the final counts too */
    char line[256];
    kg_progress_format(&mt.p, &stats, seconds(), line, sizeof line);
    fprintf(stderr, "%s\n", line);
  }
  report_skipped(m, eo.skipped_by_map, &stats);
  st = close_output(f, o, st, d);
  if (st == KG_OK && o->verbose) {
    verbose_summary(m, &stats, &eo);
    kg_outputs_describe(live_outputs, print_line, NULL);
  }
  free(eo.map_statements);
  free(eo.map_no_subject);
  free(eo.skipped_by_map);
  kg_outputs *outs = live_outputs;
  live_outputs = NULL;
  kg_outputs_free(outs);
fail:
  return st;
}

int main(int argc, char **argv) {
  options o = {0};
  int rc = parse_args(argc, argv, &o);
  if (rc >= 0)
    goto done;
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGHUP, on_signal);
  signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error, reported */
  signal(SIGXFSZ, SIG_IGN); /* so is a file size limit (EFBIG) */
  kg_diag d = {print_diag, &o, 0, 0};
  kg_mapping *m = kg_mapping_new();
  m->externals = o.externals;
  m->nexternals = o.nexternals;
  kg_status st = read_mappings(m, argc, argv, &o, &d);
  if (st == KG_OK)
    st = run(&o, m, &d);
  kg_mapping_free(m);
  rc = st == KG_OK ? 0 : st == KG_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
  if (rc == 0 && o.out == NULL && fclose(stdout) != 0) {
    fprintf(stderr, "kgmap: error: cannot write to standard output: %s\n",
            strerror(errno));
    rc = EXIT_DATA;
  }
done:
  free((void *)o.externals);
  free((void *)o.overrides);
  return rc;
}
