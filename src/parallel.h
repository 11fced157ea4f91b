/* parallel.h - the run stage: maps documents into a writer with one
 * process (-j 1) or N worker processes (-j N), and selects a shard of the
 * documents (--shard K/N).
 *
 * -j N forks N workers after pass 1 (the join indexes, shared copy-on-
 * write).  Documents go out in chunks of KG_PARALLEL_CHUNK, which the
 * workers claim from a shared counter as they end their last one (a
 * faster worker maps more chunks).  A worker maps its chunk into a ring
 * of memory shared with the parent, and its messages into a pipe; the
 * parent splices the chunks into the writer in document order (see
 * parallel.c).  The
 * output, and the messages, are byte-identical to -j 1: the writer ends
 * each document's statements (kg_writer_break) whatever the number of
 * workers.  Memory: each worker holds one document and its ring
 * (RING_BYTES in parallel.c).  On the first error (in document order)
 * the parent reports it and stops the workers.
 *
 * --shard K/N maps the documents g with g % N == K (see kg_eval_select);
 * IRIs and blank node labels come from the data and the document number,
 * never from the run, so the N-Triples or N-Quads of the N shards,
 * concatenated, are the graph of one run over everything. */
#ifndef KG_PARALLEL_H
#define KG_PARALLEL_H

#include "eval.h"
#include "writer.h"

enum { KG_PARALLEL_CHUNK = 64, KG_PARALLEL_MAX_JOBS = 256 };

typedef struct kg_parallel_options {
  size_t jobs;             /* 0 or 1: this process alone */
  size_t shard_k, shard_n; /* shard_n 0 or 1: every document */
} kg_parallel_options;

/* Map m into w through sink (kg_writer_statement, or a wrapper that calls
 * it with the writer it is given).  eo gives the base and limits. */
kg_status kg_parallel_eval(const kg_mapping *m, const kg_eval_options *eo,
                           const kg_parallel_options *po, kg_writer *w,
                           kg_sink_fn sink, kg_eval_stats *stats, kg_diag *d);

/* "K/N" with 0 <= K < N, or a count for -j (1..KG_PARALLEL_MAX_JOBS):
 * false if the text is not one. */
bool kg_parallel_parse_shard(const char *s, size_t *k, size_t *n);
bool kg_parallel_parse_jobs(const char *s, size_t *jobs);

#endif
