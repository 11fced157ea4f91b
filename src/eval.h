/* eval.h - the evaluator: runs a mapping over its sources and pushes every
 * statement into a sink.  Each source file is read once, document by
 * document; every triples map over that file runs its iterator on each
 * document.  Joins are hash joins over the parent's source, built before
 * the pass. */
#ifndef KG_EVAL_H
#define KG_EVAL_H

#include "mapping.h"
#include "term.h"

/* A sink that is told where each statement goes: to the targets in set
 * (bit i: the mapping's targets[i]) and, with KG_TARGET_DEFAULT, to the
 * default output.  A statement reaches each place once per record. */
typedef kg_status (*kg_route_fn)(void *h, kg_target_set set, const kg_term *s,
                                 const kg_term *p, const kg_term *o,
                                 const kg_term *g);

/* -j N: gives the worker the next chunk number that no worker has
 * claimed (the workers share one counter: every chunk is claimed once, in
 * increasing order).  h is the options' cb_h. */
typedef kg_status (*kg_eval_claim_fn)(void *h, size_t *chunk);

/* Which documents a run maps.  Documents are numbered 0, 1, ... in the
 * order pass 2 reads them, over all sources (source by source, in mapping
 * order); the numbering is the same in every run, whatever is selected.
 * A run maps document g when g % shard_n == shard_k (--shard K/N; every
 * document when shard_n <= 1) and, when workers > 1, when its chunk
 * g / chunk_docs is the one the worker holds.  A worker claims a chunk
 * (claim, required when workers > 1) at its first document, and the next
 * one at the first document after the end of each chunk it holds, so a
 * faster worker maps more chunks.  The other documents are skipped (JSON
 * Lines: without parsing them), and pass 1 (join indexes) always reads
 * every document of a parent source, so a join finds its parents whatever
 * the selection. */
typedef struct kg_eval_select {
  size_t shard_k, shard_n;
  size_t workers, chunk_docs;
  kg_eval_claim_fn claim;
} kg_eval_select;

/* Called after every document that was mapped (h is the options' cb_h),
 * and, with workers > 1, at the end of each chunk the worker holds, the
 * last one included (it may hold fewer documents); not for a chunk
 * claimed after the last document. */
typedef kg_status (*kg_eval_doc_fn)(void *h);
typedef kg_status (*kg_eval_chunk_fn)(void *h, size_t chunk);

typedef struct kg_eval_stats {
  size_t documents; /* mapped (not skipped) */
  size_t records;
  size_t statements;
  size_t no_subject; /* records whose subject map gave no term (a null or
                        missing reference): RML-Core makes no triple of them */
  size_t skipped;         /* records skipped (skip_bad_records) */
  size_t parents_skipped; /* join parents left out of joins (the same) */
} kg_eval_stats;

/* Called every KG_EVAL_PROGRESS_EVERY records with the counts so far. */
typedef void (*kg_eval_progress_fn)(void *h, const kg_eval_stats *stats);
#define KG_EVAL_PROGRESS_EVERY 256

typedef struct kg_eval_options {
  const char *base; /* base IRI for relative IRIs; NULL: mapping's base */
  kg_doc_limits limits;
  kg_eval_select select;
  kg_eval_doc_fn doc_done;     /* may be NULL */
  kg_eval_chunk_fn chunk_done; /* may be NULL */
  void *cb_h;
  kg_route_fn route; /* if set, receives every statement instead of the
                        sink of kg_eval (targets, target.h) */
  void *route_h;
  kg_eval_progress_fn progress; /* may be NULL */
  void *progress_h;
  /* Each NULL or an array of m->nmaps counters, zeroed by the caller: the
   * statements each triples map wrote and its records without a subject. */
  size_t *map_statements;
  size_t *map_no_subject;
  /* A record whose terms fail (KG_ERR_DATA, or a per-record limit:
   * KG_ERR_LIMIT) is skipped whole instead of stopping the run: none of its
   * statements is written (they wait until the record is done), its error
   * is reported as a warning ending in "(record skipped)", and it is
   * counted in stats->skipped and skipped_by_map.  A record that fails as a
   * join parent is left out of the join index, with a warning ending in
   * "(record left out of joins)", and counted in stats->parents_skipped
   * (its own map counts it again if it fails there too).  Errors
   * of whole documents (syntax, I/O) still stop the run. */
  bool skip_bad_records;
  size_t *skipped_by_map; /* NULL, or m->nmaps counters, zeroed by the
                             caller, indexed like m->maps */
  /* Per-record limits, 0: the defaults (termgen.h): statements from one
   * record (KG_MAX_RECORD_STATEMENTS), values of one template
   * (KG_MAX_TERMS), steps of one JSONPath evaluation (an iterator over a
   * document, a reference over a record: KG_JSONPATH_MAX_STEPS).  Smaller
   * ones let the fuzz targets run fast. */
  size_t max_record_statements;
  size_t max_template_values;
  size_t max_path_steps;
} kg_eval_options;

typedef struct kg_eval kg_eval_t;

/* Pass 1: build the join indexes.  opt (may be NULL) and m are borrowed
 * until kg_eval_free().
/// Returns a new evaluator in *out; the caller frees it with kg_eval_free().
 */
kg_status kg_eval_new(kg_eval_t **out, const kg_mapping *m,
                      const kg_eval_options *opt, kg_diag *d);

/* Pass 2: map the selected documents into sink.  The selection and the
 * callbacks are read from opt here, so that a forked worker may change
 * them after kg_eval_new().  stats may be NULL. */
kg_status kg_eval_run(kg_eval_t *e, const kg_eval_options *opt, kg_sink_fn sink,
                      void *sink_h, kg_eval_stats *stats, kg_diag *d);

void kg_eval_free(kg_eval_t *e);

/* Both passes.  stats may be NULL. */
kg_status kg_eval(const kg_mapping *m, const kg_eval_options *opt,
                  kg_sink_fn sink, void *sink_h, kg_eval_stats *stats,
                  kg_diag *d);

#endif
