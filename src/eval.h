/* eval.h - the evaluator: runs a mapping over its sources and pushes every
 * statement into a sink.  Each source file is read once, document by
 * document; every triples map over that file runs its iterator on each
 * document.  Joins are hash joins over the parent's source, built before
 * the pass. */
#ifndef KG_EVAL_H
#define KG_EVAL_H

#include "mapping.h"
#include "term.h"

/* By default one record makes at most this many statements (duplicates
 * included); more is KG_ERR_LIMIT.  The per-record duplicate filter holds
 * them all, so this bounds memory and time when term maps multiply (every
 * subject with every object). */
#define KG_MAX_RECORD_STATEMENTS 1000000

typedef struct kg_eval_options {
  const char *base; /* base IRI for relative IRIs; NULL: mapping's base */
  kg_doc_limits limits;
  size_t max_record_statements; /* 0: KG_MAX_RECORD_STATEMENTS */
  size_t max_template_values;   /* 0: KG_MAX_TEMPLATE_VALUES (termgen.h) */
} kg_eval_options;

typedef struct kg_eval_stats {
  size_t documents;
  size_t records;
  size_t statements;
} kg_eval_stats;

/* stats may be NULL. */
kg_status kg_eval(const kg_mapping *m, const kg_eval_options *opt,
                  kg_sink_fn sink, void *sink_h, kg_eval_stats *stats,
                  kg_diag *d);

#endif
