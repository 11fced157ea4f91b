/* window.h - a bounded window of statements, handed on with each
 * subject's statements together.
 *
 * Turtle and TriG write a subject's statements as one block only when they
 * come together, which they do not when several triples maps describe one
 * subject (an event's type from one map, its participants from another,
 * its mentions from a third).  The writer holds a document's statements in
 * a window and hands them on at the end of the document, grouped by graph
 * and subject: groups in the order their first statement came, a group's
 * statements in the order they came.  Memory
 * stays bounded by the limit: a document with more statements than the
 * window holds is handed on in several windows, and a subject that spans
 * two gets two blocks (the same graph).  Nothing is dropped, and a
 * window whose groups came together goes on as it came. */
#ifndef KG_WINDOW_H
#define KG_WINDOW_H

#include "term.h"

typedef struct kg_window kg_window;

/* The window's size in the writer: 4 MiB holds some 12,000 statements. */
#define KG_WINDOW_BYTES ((size_t)4 << 20)

/* A window of about `limit` bytes in front of sink(h, ...). */
kg_window *kg_window_new(size_t limit, kg_sink_fn sink, void *h);
void kg_window_free(kg_window *w);

/* A kg_sink_fn: adds the statement to the window; hands the window on when
 * it is full. */
kg_status kg_window_statement(void *w, const kg_term *s, const kg_term *p,
                              const kg_term *o, const kg_term *g);

/* Hands on what the window holds (at the end of a document), in order;
 * the first error of the sink stops it and is returned. */
kg_status kg_window_flush(kg_window *w);

#endif
