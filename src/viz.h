/* viz.h - the graph-building sink behind the visual formats (DOT, GraphML,
 * Cytoscape.js JSON; see vizwrite.h).
 *
 * These formats cannot be streamed statement by statement: a node's label
 * and type may arrive after the edges that use it.  So this sink is the one
 * stage that collects: it keeps one node per distinct subject or object and
 * one edge per distinct (subject, predicate, object), in an arena.  Memory is
 * proportional to the graph (not to the largest record, house style 11):
 * these formats are meant for graphs a person looks at.
 *
 * The graph it builds:
 * - rdf:type does not make an edge: the class becomes one of the node's
 *   types (types[0], the first one seen, is the node's type);
 * - a literal object is folded into the subject's attributes, or becomes a
 *   node of its own with literal_nodes;
 * - the label is the node's rdfs:label, schema:name or skos:prefLabel
 *   literal in the chosen language (exact tag, then the same primary
 *   language, then no tag, then any other), else the node's short name;
 * - graph names are ignored: the named graphs are merged;
 * - order is the order of first appearance, so the same input gives the
 *   same output, byte for byte. */
#ifndef KG_VIZ_H
#define KG_VIZ_H

#include "arena.h"
#include "kg.h"
#include "mapping.h"
#include "term.h"

typedef struct kg_viz_options {
  const char *lang;   /* preferred label language, e.g. "fr"; may be NULL */
  bool literal_nodes; /* literals as nodes rather than attributes */
} kg_viz_options;

/* A literal folded into a node. */
typedef struct kg_viz_attr {
  const char *pred;     /* the predicate's short name (prefixed if it can) */
  const char *pred_iri; /* the predicate IRI */
  size_t pred_index;    /* the predicate's number, < kg_viz_npreds() */
  const char *value;    /* lexical form; len bytes, may hold NUL bytes */
  size_t len;
  const char *datatype; /* absolute IRI or NULL */
  const char *language; /* tag or NULL */
} kg_viz_attr;

typedef struct kg_viz_node {
  kg_term_kind kind;
  const char *value; /* IRI, blank node label or literal lexical form */
  size_t len;
  const char *datatype, *language; /* of a literal node */
  const char *name;                /* short name: prefixed IRI, _:b, ... */
  const char *label; /* the best label literal, or NULL; label_len bytes */
  size_t label_len;
  unsigned label_rank;
  const char **types; /* short names of the node's classes */
  const char **type_iris;
  size_t ntypes;
  kg_viz_attr *attrs;
  size_t nattrs;
} kg_viz_node;

typedef struct kg_viz_edge {
  size_t source, target; /* node indexes */
  const char *pred, *pred_iri;
} kg_viz_edge;

typedef struct kg_viz kg_viz;

/* prefixes (may be NULL) give the short names; they are copied.
/// Returns a new graph builder; the caller frees it with kg_viz_free().
 */
kg_viz *kg_viz_new(const kg_viz_options *opt, const kg_prefix *prefixes,
                   size_t nprefixes, kg_diag *d);
void kg_viz_free(kg_viz *v);

/* The sink (kg_sink_fn): h is the kg_viz.  KG_ERR_DATA for a term that is
 * not valid UTF-8 or a predicate that is not an IRI. */
kg_status kg_viz_statement(void *h, const kg_term *s, const kg_term *p,
                           const kg_term *o, const kg_term *g);

/* The graph so far; the arrays stay valid until the next statement. */
const kg_viz_node *kg_viz_nodes(const kg_viz *v, size_t *n);
const kg_viz_edge *kg_viz_edges(const kg_viz *v, size_t *n);

/* How many distinct predicates the graph has (edges and attributes). */
size_t kg_viz_npreds(const kg_viz *v);

/* The node's label to show: its label literal or its short name. */
const char *kg_viz_node_label(const kg_viz_node *node, size_t *len);

/* The short name of an IRI with the builder's prefixes: the longest
 * namespace that the IRI starts with, as prefix:rest, else the IRI. */
const char *kg_viz_short_name(kg_viz *v, const char *iri, size_t len);

#endif
