/* writer.h - the output stage: statement sinks that stream Turtle, TriG,
 * N-Triples and N-Quads.  Nothing collects triples: each statement is
 * written when it arrives (house style 3).  The escaping is our own:
 * raptor 2.0.15's loses text after a NUL and breaks Turtle strings (see
 * writer.c). */
#ifndef KG_WRITER_H
#define KG_WRITER_H

#include <stdio.h>

#include "kg.h"
#include "mapping.h"
#include "term.h"

typedef enum {
  KG_FMT_TURTLE,
  KG_FMT_NTRIPLES,
  KG_FMT_NQUADS,
  KG_FMT_TRIG
} kg_format;

/* "turtle"/"ttl", "ntriples"/"nt", "nquads"/"nq", "trig"; false if none. */
bool kg_format_from_name(const char *name, kg_format *fmt);
/* From a file name's extension (.ttl .nt .nq .trig); false if none. */
bool kg_format_from_path(const char *path, kg_format *fmt);
const char *kg_format_name(kg_format fmt);
/* N-Quads and TriG can hold named graphs. */
bool kg_format_has_graphs(kg_format fmt);

typedef struct kg_writer kg_writer;

/* out is borrowed.  prefixes (may be NULL) are written as @prefix lines by
 * Turtle and TriG and used for prefixed names; they are copied.
/// Returns a new writer; the caller frees it with kg_writer_free().
 */
kg_writer *kg_writer_new(FILE *out, kg_format fmt, const kg_prefix *prefixes,
                         size_t nprefixes, kg_diag *d);

/* The sink (kg_sink_fn): h is the kg_writer.  A statement in a named graph
 * given to a Turtle or N-Triples writer is an error (KG_ERR_USAGE).  A term
 * that no syntax can hold is KG_ERR_DATA: invalid UTF-8, a literal subject
 * or graph name, a predicate that is not an IRI, a blank node label outside
 * [A-Za-z0-9_-].  KG_ERR_IO as soon as a buffered write fails.  After an
 * error the output is incomplete: the caller discards it.
 * Blank node labels matching b*-.* are written with one more 'b' in front
 * (BLANK_NODE_LABEL cannot start with '-'), the same in every format. */
kg_status kg_writer_statement(void *h, const kg_term *s, const kg_term *p,
                              const kg_term *o, const kg_term *g);

/* End the statements of a document: close the open statement (and TriG
 * block), so that the next statement starts a new subject block.  The
 * evaluation calls it after every document, so that Turtle and TriG are
 * the same however the documents are divided among workers (-j).  Turtle
 * and TriG write the document's statements here, grouped by subject
 * (window.h): an error writing them is returned. */
kg_status kg_writer_break(kg_writer *w);

/* Bodies: a worker writes its chunks of documents with a body writer,
 * and the main writer splices them in document order; the result is
 * byte-identical to one writer seeing every statement.  A body writer has
 * the format and prefixes of `like` (borrowed: like outlives it) and
 * writes no @prefix lines.  kg_writer_end_body() ends a body: the
 * statements so far are closed and flushed to out, and the next body
 * starts afresh.  kg_writer_splice() appends one body (n bytes; nothing
 * when n is 0) at a document boundary, or, when `continued`, more bytes
 * of the body it appended last (a body can come in pieces).
/// Returns a new writer; the caller frees it with kg_writer_free().
 */
kg_writer *kg_writer_new_body(FILE *out, const kg_writer *like);
kg_status kg_writer_end_body(kg_writer *w);
kg_status kg_writer_splice(kg_writer *w, const char *body, size_t n,
                           bool continued);

/* Close the last statement, flush, and check the stream: KG_ERR_IO if any
 * write failed (full disk, closed pipe). */
kg_status kg_writer_finish(kg_writer *w);

void kg_writer_free(kg_writer *w);

#endif
