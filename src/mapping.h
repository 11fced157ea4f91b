/* mapping.h - the mapping model.
 *
 * Two readers build it (yarrrml.c from YAML, rml.c from RML Turtle); the
 * evaluator (eval.c) runs it and never knows which reader built it.  The
 * model lives in the mapping's arena.  Names follow RML-Core: a mapping
 * holds triples maps; a triples map has a logical source, subject maps and
 * predicate-object maps; every term is produced by a term map. */
#ifndef KG_MAPPING_H
#define KG_MAPPING_H

#include <stdint.h>

#include "arena.h"
#include "doc.h"
#include "jsonpath.h"
#include "kg.h"

#define KG_RML_NS "http://w3id.org/rml/"
/* The constant graph term that means "the default graph" (RML-Core). */
#define KG_RML_DEFAULT_GRAPH KG_RML_NS "defaultGraph"

typedef enum {
  KG_TM_CONSTANT,  /* constant */
  KG_TM_REFERENCE, /* ref: a JSONPath evaluated on the record */
  KG_TM_TEMPLATE,  /* parts: text and references */
  KG_TM_FRESH      /* a new blank node for every record (a subject map
                      with termType BlankNode and nothing else; a YARRRML
                      mapping without subjects) */
} kg_tm_kind;

typedef enum {
  KG_TT_IRI,
  KG_TT_BLANK,
  KG_TT_LITERAL,
  KG_TT_UNSAFE_IRI, /* RML-Core rml:UnsafeIRI: no IRI-safe encoding and no
                       validity check beyond a scheme */
  KG_TT_URI /* RML-Core rml:URI: an IRI whose template values are URI-safe
               encoded (non-ASCII percent-encoded too) */
} kg_term_type;

/* Whether terms of type t are IRIs (IRI, URI or unsafe IRI). */
static inline bool kg_tt_is_iri(kg_term_type t) {
  return t == KG_TT_IRI || t == KG_TT_URI || t == KG_TT_UNSAFE_IRI;
}

/* One piece of a template: literal text (escapes already removed) or a
 * reference whose value is inserted (IRI-safe encoded when the term map
 * makes IRIs). */
typedef struct kg_tpl_part {
  bool is_ref;
  const char *text; /* literal text, or the reference as written */
  size_t len;
  kg_jsonpath *ref; /* is_ref: compiled, relative */
} kg_tpl_part;

/* Targets (YARRRML `targets`, RML-IO logical targets): where statements
 * go besides the default output.  A set is a bit mask over the mapping's
 * targets (bit i: m->targets[i]); a statement goes to the union of the
 * targets of the term maps that made it (subject, predicate, object,
 * graph) and of its predicate-object map, or to the default output when
 * that union is empty. */
typedef uint64_t kg_target_set;
#define KG_MAX_TARGETS 63
/* Not a target: the default output (-o or standard output). */
#define KG_TARGET_DEFAULT ((kg_target_set)1 << KG_MAX_TARGETS)

typedef enum { KG_TARGET_FILE, KG_TARGET_SPARQL } kg_target_type;

typedef struct kg_target {
  const char *name; /* as declared */
  kg_target_type type;
  const char *access;        /* the file (mapping-relative paths resolved)
                                or the Graph Store endpoint URL */
  const char *serialization; /* turtle, ntriples, nquads (default), trig */
  bool gzip;                 /* compression: gzip */
  const char *graph;         /* sparql: the graph that receives the default
                                graph's statements; NULL: ?default */
  const char *user_var;      /* sparql: environment variables that hold */
  const char *password_var;  /* the credentials (never the mapping) */
  unsigned index;            /* its bit in a kg_target_set */
  kg_pos pos;
} kg_target;

typedef struct kg_term_map kg_term_map;
struct kg_term_map {
  kg_tm_kind kind;
  kg_term_type type;
  bool type_explicit;   /* the mapping stated the term type */
  const char *constant; /* KG_TM_CONSTANT: IRIs absolute (prefixes
                           expanded by the reader, relative ones resolved
                           against the base at evaluation) */
  size_t constant_len;
  kg_jsonpath *ref;   /* KG_TM_REFERENCE */
  kg_tpl_part *parts; /* KG_TM_TEMPLATE */
  size_t nparts;
  kg_term_map *datatype; /* literals: datatype map (usually constant) */
  kg_term_map *language; /* literals: language map (usually constant) */
  kg_target_set targets; /* where the statements with this term go */
  kg_pos pos;
  bool valid_iris; /* an IRI template whose every IRI is absolute and
                      valid: its first text part has a scheme and its
                      text parts are IRI characters with no '%', and the
                      references are IRI-safe encoded (set by
                      kg_mapping_finish; the IRIs are then not checked
                      one by one) */
  /* Set by kg_mapping_finish for kg_term.clean: the constant is an
   * absolute clean IRI (kg_iri_is_clean); every text part of the
   * template is clean. */
  bool constant_clean;
  bool text_clean;
};

/* A join condition: the child's value must equal the parent's. */
typedef struct kg_join {
  kg_term_map *child;
  kg_term_map *parent;
} kg_join;

typedef struct kg_triples_map kg_triples_map;

/* An object map: a term map, or a referencing object map (parent set). */
typedef struct kg_object_map {
  kg_term_map *tm;
  const char *parent_name; /* set by the reader; resolved by finish */
  kg_triples_map *parent;
  kg_join *joins;
  size_t njoins;
  kg_target_set targets; /* a referencing object map's own targets */
  kg_pos pos;
} kg_object_map;

typedef struct kg_pom {
  kg_term_map **predicates;
  size_t npredicates;
  kg_object_map *objects;
  size_t nobjects;
  kg_term_map **graphs;
  size_t ngraphs;
  kg_target_set targets; /* targets of all its statements */
  kg_pos pos;
} kg_pom;

typedef struct kg_source {
  const char *name; /* YARRRML source name, or the access path as written */
  const char *path; /* the file to open (mapping-relative paths resolved) */
  kg_doc_format format;
  kg_pos pos;
  /* When set, the source is read from these bytes (borrowed; they outlive
   * the evaluation) instead of path: for tests and the fuzz targets. */
  const char *data;
  size_t data_len;
} kg_source;

struct kg_triples_map {
  const char *name;
  kg_pos pos;
  kg_source *source;
  const char *iterator;   /* as written; NULL means "$" (the document) */
  kg_jsonpath *iter;      /* compiled, absolute; NULL means "$" */
  kg_term_map **subjects; /* at least one after kg_mapping_finish */
  size_t nsubjects;
  const char **classes; /* rml:class IRIs (rdf:type of every subject) */
  size_t nclasses;
  bool classes_clean;   /* every class is clean (kg_iri_is_clean): finish */
  kg_term_map **graphs; /* graph maps of the subject map */
  size_t ngraphs;
  kg_pom *poms;
  size_t npoms;
  const char *base; /* base IRI for this map (rml:baseIRI), or NULL */
  /* A reference that selects an array yields one term per item (YARRRML's
   * convenience); false: it is an error, as RML-Core requires. */
  bool arrays_expand;
};

typedef struct kg_prefix {
  const char *prefix;
  const char *iri;
} kg_prefix;

typedef struct kg_mapping {
  kg_arena *arena;
  kg_prefix *prefixes; /* in order of declaration, later ones win */
  size_t nprefixes;
  const char *base; /* the mapping's base IRI, or NULL */
  kg_source **sources;
  size_t nsources;
  kg_triples_map **maps;
  size_t nmaps;
  kg_target **targets; /* at most KG_MAX_TARGETS */
  size_t ntargets;
  /* External references for YARRRML `$(_name)`: NAME=VALUE strings set by
   * the caller before reading (command line -e). */
  const char *const *externals;
  size_t nexternals;
  /* Compiled JSONPaths owned by the mapping (freed with it). */
  kg_jsonpath **paths;
  size_t npaths;
} kg_mapping;

/// Returns a new, empty mapping; the caller frees it with kg_mapping_free().
kg_mapping *kg_mapping_new(void);
void kg_mapping_free(kg_mapping *m);

/* Declare (or redefine) a prefix; strings are copied. */
void kg_mapping_add_prefix(kg_mapping *m, const char *prefix, const char *iri);
/* The namespace IRI of prefix (n bytes), or NULL. */
const char *kg_mapping_prefix_iri(const kg_mapping *m, const char *prefix,
                                  size_t n);

/* A new triples map; NULL (with an error reported) if the name is taken. */
kg_triples_map *kg_mapping_add_map(kg_mapping *m, const char *name,
                                   const kg_pos *pos, kg_diag *d);
kg_triples_map *kg_mapping_find_map(const kg_mapping *m, const char *name);

/* The source for (path, format), shared by every map that names it. */
kg_source *kg_mapping_add_source(kg_mapping *m, const char *name,
                                 const char *path, kg_doc_format fmt,
                                 const kg_pos *pos);
/* Point every source named `name` at another file (command line -s);
 * returns the number of sources changed. */
size_t kg_mapping_override_source(kg_mapping *m, const char *name,
                                  const char *path);

kg_term_map *kg_term_map_new(kg_mapping *m, kg_tm_kind kind, kg_term_type type,
                             const kg_pos *pos);
void kg_term_map_set_constant(kg_mapping *m, kg_term_map *tm, const char *s,
                              size_t n);

/* Compile a JSONPath owned by the mapping; on a syntax error reports
 * "pos: error: invalid JSONPath 'expr': msg" and returns KG_ERR_SYNTAX. */
kg_status kg_mapping_compile_path(kg_mapping *m, const char *expr, size_t len,
                                  bool relative, const kg_pos *pos,
                                  kg_jsonpath **out, kg_diag *d);

/* Append helpers (elements are zeroed). */
kg_pom *kg_map_add_pom(kg_mapping *m, kg_triples_map *tm, const kg_pos *pos);
kg_object_map *kg_pom_add_object(kg_mapping *m, kg_pom *pom, const kg_pos *pos);
void kg_pom_add_predicate(kg_mapping *m, kg_pom *pom, kg_term_map *tm);
void kg_pom_add_graph(kg_mapping *m, kg_pom *pom, kg_term_map *tm);
void kg_map_add_subject(kg_mapping *m, kg_triples_map *tm, kg_term_map *s);
void kg_map_add_graph(kg_mapping *m, kg_triples_map *tm, kg_term_map *g);
void kg_map_add_class(kg_mapping *m, kg_triples_map *tm, const char *iri);
kg_join *kg_object_add_join(kg_mapping *m, kg_object_map *om);

/* A new target named t->name (copied into the arena, index set); NULL
 * with an error if the name is taken, the file is another file target's,
 * or there are more than KG_MAX_TARGETS. */
kg_target *kg_mapping_add_target(kg_mapping *m, const kg_target *t, kg_diag *d);
kg_target *kg_mapping_find_target(const kg_mapping *m, const char *name);

/* Resolve parent maps by name and check the model (every map has a source
 * and a subject, no literal subjects or predicates, graph maps make IRIs,
 * joins name existing maps).  Call once after all readers ran. */
kg_status kg_mapping_finish(kg_mapping *m, kg_diag *d);

/* True if any map or pom has a graph map (output needs N-Quads/TriG). */
bool kg_mapping_has_graphs(const kg_mapping *m);

#endif
