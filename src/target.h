/* target.h - the output stage for targets (YARRRML `targets`, mapping.h):
 * every target of a mapping is a statement sink opened before the run and
 * committed only when the whole run succeeded.
 *
 *  - a local file is written to a temporary file beside it (gzip-
 *    compressed with `compression: gzip`) and renamed into place on
 *    commit; on failure it is removed and an existing file is untouched;
 *  - a sparql target writes each graph's statements to its own unlinked
 *    temporary file, and on commit POSTs each to the Graph Store endpoint
 *    (gsp.h) with the credentials named by the target, or
 *    KGMAP_SPARQL_USER and KGMAP_SPARQL_PASSWORD.
 *
 * Commit order: every writer is finished and every file closed, then the
 * uploads run, then the files are renamed: a failed upload leaves no file
 * of the run behind.  Uploads are not transactions: a target loaded before
 * another failed stays loaded, and the failure says so. */
#ifndef KG_TARGET_H
#define KG_TARGET_H

#include "eval.h"
#include "mapping.h"
#include "term.h"

/* The environment variables of sparql targets without their own. */
#define KG_SPARQL_USER_VAR "KGMAP_SPARQL_USER"
#define KG_SPARQL_PASSWORD_VAR "KGMAP_SPARQL_PASSWORD"

typedef struct kg_outputs kg_outputs;

/* Open every target of m (none is fine).  Statements for the default
 * output go to deflt(deflt_h, ...).  m and d are borrowed and must outlive
 * the outputs.  On failure *out is NULL and nothing is left on disk.
/// Returns new outputs in *out; the caller frees them with kg_outputs_free().
 */
kg_status kg_outputs_open(kg_outputs **out, const kg_mapping *m,
                          kg_sink_fn deflt, void *deflt_h, kg_diag *d);

/* KG_ERR_USAGE when a file target writes path (the -o file, which need
 * not exist yet): the two renames would leave one of them. */
kg_status kg_outputs_check_path(const kg_outputs *os, const char *path);

/* The routing sink (kg_route_fn): h is the kg_outputs. */
kg_status kg_outputs_statement(void *h, kg_target_set set, const kg_term *s,
                               const kg_term *p, const kg_term *o,
                               const kg_term *g);

/* Finish, upload, rename (see above).  Call once, after a successful run. */
kg_status kg_outputs_commit(kg_outputs *o);

/* After a commit: one line per target ("target 'x': 12 statements written
 * to out/x.nq" or "... loaded into URL (2 graphs)") to fn. */
void kg_outputs_describe(const kg_outputs *o,
                         void (*fn)(void *h, const char *line), void *h);

/* Remove the temporary files; only unlink(2): safe in a signal handler. */
void kg_outputs_unlink(const kg_outputs *o);

/* Remove what was not committed and free.  NULL is a no-op. */
void kg_outputs_free(kg_outputs *o);

#endif
