/* eval.h - the evaluator: runs a mapping over its sources and pushes every
 * statement into a sink.  Each source file is read once, document by
 * document; every triples map over that file runs its iterator on each
 * document.  Joins are hash joins over the parent's source, built before
 * the pass. */
#ifndef KG_EVAL_H
#define KG_EVAL_H

#include "mapping.h"
#include "term.h"

typedef struct kg_eval_options {
  const char *base; /* base IRI for relative IRIs; NULL: mapping's base */
  kg_doc_limits limits;
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
} kg_eval_options;

typedef struct kg_eval_stats {
  size_t documents;
  size_t records;
  size_t statements;
  size_t skipped;         /* records skipped (skip_bad_records) */
  size_t parents_skipped; /* join parents left out of joins (the same) */
} kg_eval_stats;

/* stats may be NULL. */
kg_status kg_eval(const kg_mapping *m, const kg_eval_options *opt,
                  kg_sink_fn sink, void *sink_h, kg_eval_stats *stats,
                  kg_diag *d);

#endif
