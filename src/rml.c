/* rml.c - the RML reader (see rml.h).
 *
 * The Turtle file is parsed with raptor into triples, indexed by subject,
 * and the triples maps are read from that graph.  The shapes read (RML-Core
 * names; the legacy rr:/rml:/ql: names are accepted for the same roles):
 *
 *   TriplesMap    = node with rdf:type rml:TriplesMap, or any node with a
 *                   logicalSource, subjectMap, subject or predicateObjectMap:
 *                   rml:logicalSource LogicalSource             (exactly 1)
 *                   rml:subjectMap TermMap | rml:subject CONST   (exactly 1)
 *                   rml:predicateObjectMap POM                   (any)
 *                   rml:baseIRI IRI                              (optional)
 *   LogicalSource = rml:source (STRING | Source)                (exactly 1)
 *                   rml:iterator STRING ; rml:referenceFormulation rml:JSONPath
 *   Source        = rml:path STRING ; rml:root (rml:MappingDirectory |
 *                   rml:CurrentWorkingDirectory | STRING)     (RML-IO)
 *                 | dcat:accessURL <file:...>
 *   SubjectMap    = TermMap ; rml:class IRI* ; GraphMap*
 *   POM           = (rml:predicateMap TermMap | rml:predicate CONST)+
 *                   (rml:objectMap ObjectMap | rml:object CONST)+ GraphMap*
 *   GraphMap      = rml:graphMap TermMap | rml:graph CONST
 *   ObjectMap     = TermMap
 *                 | rml:parentTriplesMap TriplesMap ; rml:joinCondition Join*
 *   Join          = (rml:child STRING | rml:childMap TermMap)
 *                   (rml:parent STRING | rml:parentMap TermMap)
 *   TermMap       = one of rml:constant TERM | rml:reference STRING |
 *                   rml:template STRING (none: rml:termType rml:BlankNode)
 *                   rml:termType TYPE ?
 *                   (rml:datatype IRI | rml:datatypeMap TermMap |
 *                    rml:language STRING | rml:languageMap TermMap) ?
 *
 * A plain string rml:source, and rml:root rml:MappingDirectory, are read
 * relative to the mapping file's folder (as YARRRML sources are); RML-IO's
 * default root is the current working directory. */
#include "rml.h"

#include "template.h"
#include "term.h"

#include <errno.h>
#include <raptor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RML KG_RML_NS
#define RR "http://www.w3.org/ns/r2rml#"
#define LRML "http://semweb.mmlab.be/ns/rml#"
#define QL "http://semweb.mmlab.be/ns/ql#"
#define FNML "http://semweb.mmlab.be/ns/fnml#"

/* ---- the vocabulary: RML-Core name and legacy name of each term ---------- */
typedef enum {
  P_TYPE,
  P_LOGICAL_SOURCE,
  P_SOURCE,
  P_ITERATOR,
  P_REF_FORMULATION,
  P_PATH,
  P_ROOT,
  P_ACCESS_URL,
  P_SUBJECT_MAP,
  P_SUBJECT,
  P_POM,
  P_PREDICATE_MAP,
  P_PREDICATE,
  P_OBJECT_MAP,
  P_OBJECT,
  P_GRAPH_MAP,
  P_GRAPH,
  P_CONSTANT,
  P_REFERENCE,
  P_TEMPLATE,
  P_TERM_TYPE,
  P_DATATYPE,
  P_DATATYPE_MAP,
  P_LANGUAGE,
  P_LANGUAGE_MAP,
  P_CLASS,
  P_PARENT_TM,
  P_JOIN_CONDITION,
  P_CHILD,
  P_PARENT,
  P_CHILD_MAP,
  P_PARENT_MAP,
  P_BASE_IRI,
  C_TRIPLES_MAP,
  C_IRI,
  C_URI,
  C_UNSAFE_IRI,
  C_BLANK_NODE,
  C_LITERAL,
  C_JSONPATH,
  C_MAPPING_DIR,
  C_CWD,
  C_DEFAULT_GRAPH
} voc;

static const struct {
  const char *core, *legacy;
} vocab[] = {
    [P_TYPE] = {KG_RDF_TYPE, NULL},
    [P_LOGICAL_SOURCE] = {RML "logicalSource", LRML "logicalSource"},
    [P_SOURCE] = {RML "source", LRML "source"},
    [P_ITERATOR] = {RML "iterator", LRML "iterator"},
    [P_REF_FORMULATION] = {RML "referenceFormulation",
                           LRML "referenceFormulation"},
    [P_PATH] = {RML "path", NULL},
    [P_ROOT] = {RML "root", NULL},
    [P_ACCESS_URL] = {"http://www.w3.org/ns/dcat#accessURL", NULL},
    [P_SUBJECT_MAP] = {RML "subjectMap", RR "subjectMap"},
    [P_SUBJECT] = {RML "subject", RR "subject"},
    [P_POM] = {RML "predicateObjectMap", RR "predicateObjectMap"},
    [P_PREDICATE_MAP] = {RML "predicateMap", RR "predicateMap"},
    [P_PREDICATE] = {RML "predicate", RR "predicate"},
    [P_OBJECT_MAP] = {RML "objectMap", RR "objectMap"},
    [P_OBJECT] = {RML "object", RR "object"},
    [P_GRAPH_MAP] = {RML "graphMap", RR "graphMap"},
    [P_GRAPH] = {RML "graph", RR "graph"},
    [P_CONSTANT] = {RML "constant", RR "constant"},
    [P_REFERENCE] = {RML "reference", LRML "reference"},
    [P_TEMPLATE] = {RML "template", RR "template"},
    [P_TERM_TYPE] = {RML "termType", RR "termType"},
    [P_DATATYPE] = {RML "datatype", RR "datatype"},
    [P_DATATYPE_MAP] = {RML "datatypeMap", LRML "datatypeMap"},
    [P_LANGUAGE] = {RML "language", RR "language"},
    [P_LANGUAGE_MAP] = {RML "languageMap", LRML "languageMap"},
    [P_CLASS] = {RML "class", RR "class"},
    [P_PARENT_TM] = {RML "parentTriplesMap", RR "parentTriplesMap"},
    [P_JOIN_CONDITION] = {RML "joinCondition", RR "joinCondition"},
    [P_CHILD] = {RML "child", RR "child"},
    [P_PARENT] = {RML "parent", RR "parent"},
    [P_CHILD_MAP] = {RML "childMap", NULL},
    [P_PARENT_MAP] = {RML "parentMap", NULL},
    [P_BASE_IRI] = {RML "baseIRI", NULL},
    [C_TRIPLES_MAP] = {RML "TriplesMap", RR "TriplesMap"},
    [C_IRI] = {RML "IRI", RR "IRI"},
    [C_URI] = {RML "URI", NULL},
    [C_UNSAFE_IRI] = {RML "UnsafeIRI", NULL},
    [C_BLANK_NODE] = {RML "BlankNode", RR "BlankNode"},
    [C_LITERAL] = {RML "Literal", RR "Literal"},
    [C_JSONPATH] = {RML "JSONPath", QL "JSONPath"},
    [C_MAPPING_DIR] = {RML "MappingDirectory", NULL},
    [C_CWD] = {RML "CurrentWorkingDirectory", NULL},
    [C_DEFAULT_GRAPH] = {RML "defaultGraph", RR "defaultGraph"},
};

/* ---- the parsed graph -----------------------------------------------------
 */
typedef enum { N_IRI, N_BLANK, N_LITERAL } node_kind;

typedef struct node {
  node_kind kind;
  const char *v; /* IRI, blank label, or lexical form (NUL-terminated) */
  size_t len;
  const char *datatype; /* literals: NULL or an IRI */
  const char *lang;     /* literals: NULL or a tag */
} node;

typedef struct triple {
  node s, p, o;
  size_t seq; /* order in the file */
  unsigned line, col;
} triple;

typedef struct reader {
  kg_mapping *m;
  kg_diag *d;
  const char *file; /* in m's arena: kg_pos.file outlives the reader */
  const char *dir;  /* the mapping's folder, "" for the working one */
  kg_arena *a;      /* the triples and scratch strings */
  raptor_parser *parser;
  triple *t; /* in file order */
  size_t n;
  triple **by_s; /* sorted by subject, then file order */
  kg_status syntax;
} reader;

/* The triples of one subject. */
typedef struct range {
  triple **v;
  size_t n;
} range;

typedef enum {
  R_SUBJECT,
  R_PREDICATE,
  R_OBJECT,
  R_GRAPH,
  R_DATATYPE,
  R_LANGUAGE,
  R_JOIN
} role;

static const char *const role_name[] = {
    [R_SUBJECT] = "subject map",   [R_PREDICATE] = "predicate map",
    [R_OBJECT] = "object map",     [R_GRAPH] = "graph map",
    [R_DATATYPE] = "datatype map", [R_LANGUAGE] = "language map",
    [R_JOIN] = "join condition",
};

static bool is(const node *n, voc v) {
  return n->kind == N_IRI &&
         (strcmp(n->v, vocab[v].core) == 0 ||
          (vocab[v].legacy && strcmp(n->v, vocab[v].legacy) == 0));
}

static int cmp_node(const node *x, const node *y) {
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return strcmp(x->v, y->v);
}

static int cmp_by_subject(const void *a, const void *b) {
  const triple *x = *(triple *const *)a, *y = *(triple *const *)b;
  const int c = cmp_node(&x->s, &y->s);
  return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static range triples_of(const reader *r, const node *s) {
  size_t lo = 0, hi = r->n;
  while (lo < hi) { /* the first triple whose subject is not below s */
    const size_t mid = lo + (hi - lo) / 2;
    if (cmp_node(&r->by_s[mid]->s, s) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < r->n && cmp_node(&r->by_s[end]->s, s) == 0)
    end++;
  return (range){r->by_s + lo, end - lo};
}

/* The first line of a node's description.  Raptor reports a statement
 * when its parser reduces it, often at the end of a block, so the triples
 * of nested blank nodes (reported earlier) count too, within a budget of
 * triples (blank nodes may form cycles). */
static unsigned first_line(const reader *r, const node *s, size_t *budget) {
  const range t = triples_of(r, s);
  unsigned line = 0;
  for (size_t i = 0; i < t.n && *budget != 0; i++) {
    *budget -= 1;
    unsigned l = t.v[i]->line;
    if (t.v[i]->o.kind == N_BLANK) {
      const unsigned inner = first_line(r, &t.v[i]->o, budget);
      l = inner && inner < l ? inner : l;
    }
    line = l && (!line || l < line) ? l : line;
  }
  return line;
}

static kg_pos node_pos(const reader *r, const node *s) {
  size_t budget = 256;
  return (kg_pos){r->file, first_line(r, s, &budget), 0};
}

/* How messages name a node: <iri>, or "[]" for a blank node. */
static const char *show(const reader *r, const node *n) {
  if (n->kind == N_IRI)
    return kg_arena_printf(r->a, "<%s>", n->v);
  if (n->kind == N_BLANK)
    return "[]";
  return kg_arena_printf(r->a, "\"%s\"", n->v);
}

/* The only (s, p) triple: NULL when there is none; an error (*st set)
 * when there are several. */
static const triple *one(reader *r, const node *s, voc p, const char *ctx,
                         kg_status *st) {
  const range t = triples_of(r, s);
  const triple *found = NULL;
  for (size_t i = 0; i < t.n; i++) {
    if (!is(&t.v[i]->p, p))
      continue;
    if (found) {
      const kg_pos pos = {r->file, t.v[i]->line, t.v[i]->col};
      *st = kg_error(r->d, &pos, KG_ERR_MAPPING, "more than one <%s> (in %s)",
                     vocab[p].core, ctx);
      return NULL;
    }
    found = t.v[i];
  }
  return found;
}

static kg_pos triple_pos(const reader *r, const triple *t) {
  return (kg_pos){r->file, t->line, t->col};
}

/* t's object must be a string literal. */
static kg_status need_string(reader *r, const triple *t, const char *ctx) {
  if (t->o.kind == N_LITERAL)
    return KG_OK;
  const kg_pos pos = triple_pos(r, t);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "<%s> must be a string, not %s (in %s)", t->p.v,
                  show(r, &t->o), ctx);
}

/* ---- term maps ------------------------------------------------------------
 */
static kg_term_map *constant_map(reader *r, const char *v, kg_term_type type,
                                 const kg_pos *pos) {
  kg_term_map *tm = kg_term_map_new(r->m, KG_TM_CONSTANT, type, pos);
  kg_term_map_set_constant(r->m, tm, v, strlen(v));
  return tm;
}

static kg_status check_langtag(reader *r, const char *tag, const kg_pos *pos,
                               const char *ctx) {
  if (kg_langtag_is_valid(tag, strlen(tag)))
    return KG_OK;
  return kg_error(r->d, pos, KG_ERR_MAPPING,
                  "invalid language tag '%s' (in %s)", tag, ctx);
}

/* RML-Core: the constant is the generated term, so its kind gives the term
 * type; a literal keeps its datatype or language tag; blank nodes are not
 * allowed. */
static kg_status read_constant(reader *r, kg_term_map *tm, const triple *t,
                               const char *ctx) {
  const node *c = &t->o;
  const kg_pos pos = triple_pos(r, t);
  if (c->kind == N_BLANK)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a constant cannot be a blank node (in %s)", ctx);
  if (c->kind == N_IRI) {
    const char *v = is(c, C_DEFAULT_GRAPH) ? KG_RML_DEFAULT_GRAPH : c->v;
    kg_term_map_set_constant(r->m, tm, v, strlen(v));
    tm->type = KG_TT_IRI;
    return KG_OK;
  }
  kg_term_map_set_constant(r->m, tm, c->v, c->len);
  tm->type = KG_TT_LITERAL;
  const bool own =
      c->lang || (c->datatype && strcmp(c->datatype, KG_XSD_STRING) != 0);
  if (own && (tm->datatype || tm->language))
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "the constant has its own datatype or language tag; "
                    "rml:datatype and rml:language do not apply (in %s)",
                    ctx);
  if (c->lang) {
    tm->language = constant_map(r, c->lang, KG_TT_LITERAL, &pos);
    return check_langtag(r, c->lang, &pos, ctx);
  }
  if (c->datatype && strcmp(c->datatype, KG_XSD_STRING) != 0)
    tm->datatype = constant_map(r, c->datatype, KG_TT_IRI, &pos);
  return KG_OK;
}

/* The expression of a term map (constant, reference or template) and the
 * term type it implies (RML-Core "Default Term Types"). */
static kg_status read_expression(reader *r, kg_term_map *tm, const node *n,
                                 role ro, const char *ctx) {
  kg_status st = KG_OK;
  const triple *c = one(r, n, P_CONSTANT, ctx, &st);
  const triple *ref = one(r, n, P_REFERENCE, ctx, &st);
  const triple *tpl = one(r, n, P_TEMPLATE, ctx, &st);
  if (st != KG_OK)
    return st;
  if ((c != NULL) + (ref != NULL) + (tpl != NULL) > 1)
    return kg_error(r->d, &tm->pos, KG_ERR_MAPPING,
                    "a term map has more than one of rml:constant, "
                    "rml:reference and rml:template (in %s)",
                    ctx);
  const bool literal =
      ro == R_LANGUAGE || ro == R_JOIN ||
      (ro == R_OBJECT && (ref || tm->datatype || tm->language));
  tm->type = literal ? KG_TT_LITERAL : KG_TT_IRI;
  if (c)
    return read_constant(r, tm, c, ctx);
  if (ref) {
    TRY(need_string(r, ref, ctx));
    tm->kind = KG_TM_REFERENCE;
    return kg_mapping_compile_path(r->m, ref->o.v, ref->o.len, true, &tm->pos,
                                   &tm->ref, r->d);
  }
  if (tpl) {
    TRY(need_string(r, tpl, ctx));
    return kg_template_parse(r->m, tm, tpl->o.v, tpl->o.len, KG_TPL_RML, r->d);
  }
  /* RML-Core: a blank node term map may have no expression: a fresh blank
   * node per iteration.  Checked against rml:termType by the caller. */
  tm->kind = KG_TM_FRESH;
fail:
  return st;
}

static kg_status read_term_type(reader *r, const triple *t, const char *ctx,
                                kg_term_type *out) {
  static const struct {
    voc v;
    kg_term_type type;
  } types[] = {
      {C_IRI, KG_TT_IRI},
      {C_URI, KG_TT_URI},
      {C_UNSAFE_IRI, KG_TT_UNSAFE_IRI},
      {C_BLANK_NODE, KG_TT_BLANK},
      {C_LITERAL, KG_TT_LITERAL},
  };
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (is(&t->o, types[i].v)) {
      *out = types[i].type;
      return KG_OK;
    }
  const kg_pos pos = triple_pos(r, t);
  return kg_error(r->d, &pos, KG_ERR_MAPPING, "unknown rml:termType %s (in %s)",
                  show(r, &t->o), ctx);
}

static const char *type_name(kg_term_type t) {
  static const char *const names[] = {
      [KG_TT_IRI] = "IRIs",
      [KG_TT_BLANK] = "blank nodes",
      [KG_TT_LITERAL] = "literals",
      [KG_TT_UNSAFE_IRI] = "IRIs",
      [KG_TT_URI] = "IRIs",
  };
  return names[t];
}

/* RML-Core "IRIs, URIs, Literal, Blank Nodes": the term types each kind of
 * term map may make. */
static bool role_allows(role ro, kg_term_type t) {
  switch (ro) {
  case R_SUBJECT:
    return t != KG_TT_LITERAL;
  case R_OBJECT:
  case R_JOIN:
    return true;
  case R_LANGUAGE:
    return t == KG_TT_LITERAL;
  default:
    return kg_tt_is_iri(t);
  }
}

/* Whether a constant of type `is` may carry rml:termType `want`.
 * RML-Core: the constant alone gives the term type.  A plain string with
 * an IRI term type is read as that IRI, as R2RML processors do and as
 * yarrrml-parser writes `~iri` constants; any other disagreement (the
 * string "School" as a blank node: RMLTC0024a) is an error. */
static bool constant_takes(const kg_term_map *tm, kg_term_type want) {
  if (want == tm->type)
    return true;
  if (want == KG_TT_UNSAFE_IRI || want == KG_TT_URI)
    return tm->type == KG_TT_IRI ||
           (tm->type == KG_TT_LITERAL && !tm->datatype && !tm->language);
  return want == KG_TT_IRI && tm->type == KG_TT_LITERAL && !tm->datatype &&
         !tm->language;
}

/* An explicit rml:termType: it sets the type of reference and template
 * maps; on a constant it must agree with the constant (constant_takes). */
static kg_status apply_term_type(reader *r, kg_term_map *tm, const node *n,
                                 role ro, const char *ctx) {
  kg_status st = KG_OK;
  const triple *tt = one(r, n, P_TERM_TYPE, ctx, &st);
  kg_term_type type = tm->type;
  if (tt)
    TRY(read_term_type(r, tt, ctx, &type));
  if (tm->kind == KG_TM_CONSTANT && tt && !constant_takes(tm, type))
    return kg_error(r->d, &tm->pos, KG_ERR_MAPPING,
                    "the constant '%s' is %s but rml:termType is %s (in %s)",
                    tm->constant,
                    tm->type == KG_TT_LITERAL ? "a literal" : "an IRI",
                    show(r, &tt->o), ctx);
  if (tm->kind == KG_TM_FRESH && type != KG_TT_BLANK)
    return kg_error(r->d, &tm->pos, KG_ERR_MAPPING,
                    "a term map needs rml:constant, rml:reference or "
                    "rml:template (in %s)",
                    ctx);
  tm->type = type;
  tm->type_explicit = tt != NULL;
  if (!role_allows(ro, type))
    return kg_error(r->d, &tm->pos, KG_ERR_MAPPING,
                    "a %s cannot make %s (in %s)", role_name[ro],
                    type_name(type), ctx);
fail:
  return st;
}

static kg_status read_term_map(reader *r, const node *n, role ro,
                               const char *ctx, kg_term_map **out);

/* rml:datatype / rml:datatypeMap / rml:language / rml:languageMap: at most
 * one of them (RML-Core: 0 or 1 datatype map or 0 or 1 language map). */
static kg_status read_literal_maps(reader *r, kg_term_map *tm, const node *n,
                                   const char *ctx) {
  kg_status st = KG_OK;
  const triple *dt = one(r, n, P_DATATYPE, ctx, &st);
  const triple *dtm = one(r, n, P_DATATYPE_MAP, ctx, &st);
  const triple *lang = one(r, n, P_LANGUAGE, ctx, &st);
  const triple *langm = one(r, n, P_LANGUAGE_MAP, ctx, &st);
  if (st != KG_OK)
    return st;
  if ((dt != NULL) + (dtm != NULL) + (lang != NULL) + (langm != NULL) > 1)
    return kg_error(r->d, &tm->pos, KG_ERR_MAPPING,
                    "a term map has more than one datatype or language (in %s)",
                    ctx);
  const char *sub = kg_arena_printf(
      r->a, "the %s of %s", dt || dtm ? "datatype map" : "language map", ctx);
  if (dtm)
    return read_term_map(r, &dtm->o, R_DATATYPE, sub, &tm->datatype);
  if (langm)
    return read_term_map(r, &langm->o, R_LANGUAGE, sub, &tm->language);
  const kg_pos pos = dt     ? triple_pos(r, dt)
                     : lang ? triple_pos(r, lang)
                            : tm->pos;
  if (dt && dt->o.kind != N_IRI)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "rml:datatype must be an IRI, not %s (in %s)",
                    show(r, &dt->o), ctx);
  if (dt)
    tm->datatype = constant_map(r, dt->o.v, KG_TT_IRI, &pos);
  if (lang) {
    TRY(need_string(r, lang, ctx));
    TRY(check_langtag(r, lang->o.v, &pos, ctx));
    tm->language = constant_map(r, lang->o.v, KG_TT_LITERAL, &pos);
  }
fail:
  return st;
}

/* A term map node; ctx names where it is, for messages. */
static kg_status read_term_map(reader *r, const node *n, role ro,
                               const char *ctx, kg_term_map **out) {
  kg_status st = KG_OK;
  const kg_pos pos = node_pos(r, n);
  kg_term_map *tm = kg_term_map_new(r->m, KG_TM_CONSTANT, KG_TT_IRI, &pos);
  ctx = kg_arena_printf(r->a, "the %s of %s", role_name[ro], ctx);
  if (n->kind == N_LITERAL)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "%s must be a resource, not the string %s", ctx,
                    show(r, n));
  if (ro == R_OBJECT || ro == R_JOIN)
    TRY(read_literal_maps(r, tm, n, ctx));
  const bool has_literal_map = tm->datatype || tm->language;
  TRY(read_expression(r, tm, n, ro, ctx));
  TRY(apply_term_type(r, tm, n, ro, ctx));
  if (has_literal_map && tm->type != KG_TT_LITERAL)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a datatype or language needs rml:termType rml:Literal, "
                    "not %s (in %s)",
                    type_name(tm->type), ctx);
  *out = tm;
fail:
  return st;
}

/* rml:subject / rml:predicate / rml:object / rml:graph: RML-Core reads
 * `?x rml:object ?y` as `?x rml:objectMap [ rml:constant ?y ]`. */
static kg_status read_shortcut(reader *r, const triple *t, role ro,
                               const char *ctx, kg_term_map **out) {
  kg_status st = KG_OK;
  const kg_pos pos = triple_pos(r, t);
  kg_term_map *tm = kg_term_map_new(r->m, KG_TM_CONSTANT, KG_TT_IRI, &pos);
  ctx = kg_arena_printf(r->a, "the %s of %s", role_name[ro], ctx);
  TRY(read_constant(r, tm, t, ctx));
  if (!role_allows(ro, tm->type))
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "a %s cannot make %s (in %s)",
                    role_name[ro], type_name(tm->type), ctx);
  *out = tm;
fail:
  return st;
}

/* A term map given either way: a *Map property or its constant shortcut. */
static kg_status read_either(reader *r, const triple *t, role ro,
                             const char *ctx, kg_term_map **out) {
  static const voc shortcut[] = {[R_SUBJECT] = P_SUBJECT,
                                 [R_PREDICATE] = P_PREDICATE,
                                 [R_OBJECT] = P_OBJECT,
                                 [R_GRAPH] = P_GRAPH};
  if (is(&t->p, shortcut[ro]))
    return read_shortcut(r, t, ro, ctx, out);
  return read_term_map(r, &t->o, ro, ctx, out);
}

/* ---- object maps, predicate-object maps, subject maps ---------------------
 */

/* How a triples map is named in the model and in messages. */
static const char *map_name(reader *r, const node *n) {
  return n->kind == N_BLANK ? kg_arena_printf(r->a, "_:%s", n->v) : n->v;
}

/* One side of a join condition: rml:child "ref" or rml:childMap TermMap. */
static kg_status read_join_side(reader *r, const node *jc, voc short_p,
                                voc map_p, const char *ctx, kg_term_map **out) {
  kg_status st = KG_OK;
  const triple *s = one(r, jc, short_p, ctx, &st);
  const triple *mp = one(r, jc, map_p, ctx, &st);
  if (st != KG_OK)
    return st;
  const kg_pos pos = node_pos(r, jc);
  if ((s != NULL) == (mp != NULL))
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a join condition needs exactly one of <%s> and <%s> "
                    "(in %s)",
                    vocab[short_p].core, vocab[map_p].core, ctx);
  if (mp)
    return read_term_map(r, &mp->o, R_JOIN, ctx, out);
  TRY(need_string(r, s, ctx));
  kg_term_map *tm = kg_term_map_new(r->m, KG_TM_REFERENCE, KG_TT_LITERAL, &pos);
  TRY(kg_mapping_compile_path(r->m, s->o.v, s->o.len, true, &pos, &tm->ref,
                              r->d));
  *out = tm;
fail:
  return st;
}

/* A referencing object map: rml:parentTriplesMap and its join conditions. */
static kg_status read_ref_object_map(reader *r, kg_object_map *om,
                                     const node *n, const triple *parent,
                                     const char *ctx) {
  kg_status st = KG_OK;
  if (parent->o.kind == N_LITERAL)
    return kg_error(r->d, &om->pos, KG_ERR_MAPPING,
                    "rml:parentTriplesMap must name a triples map, not %s "
                    "(in %s)",
                    show(r, &parent->o), ctx);
  om->parent_name = kg_arena_strdup(r->m->arena, map_name(r, &parent->o));
  const range t = triples_of(r, n);
  for (size_t i = 0; i < t.n; i++) {
    if (!is(&t.v[i]->p, P_JOIN_CONDITION))
      continue;
    const node *jc = &t.v[i]->o;
    const char *jctx = kg_arena_printf(r->a, "a join condition of %s", ctx);
    kg_join *j = kg_object_add_join(r->m, om);
    TRY(read_join_side(r, jc, P_CHILD, P_CHILD_MAP, jctx, &j->child));
    TRY(read_join_side(r, jc, P_PARENT, P_PARENT_MAP, jctx, &j->parent));
  }
fail:
  return st;
}

static kg_status read_object(reader *r, kg_pom *pom, const triple *t,
                             const char *ctx) {
  kg_status st = KG_OK;
  const kg_pos pos = is(&t->p, P_OBJECT) || t->o.kind == N_LITERAL
                         ? triple_pos(r, t)
                         : node_pos(r, &t->o);
  kg_object_map *om = kg_pom_add_object(r->m, pom, &pos);
  const triple *parent = NULL;
  if (is(&t->p, P_OBJECT_MAP) && t->o.kind != N_LITERAL) {
    const char *octx = kg_arena_printf(r->a, "the object map of %s", ctx);
    parent = one(r, &t->o, P_PARENT_TM, octx, &st);
    if (st != KG_OK)
      return st;
    if (parent)
      return read_ref_object_map(r, om, &t->o, parent, octx);
  }
  return read_either(r, t, R_OBJECT, ctx, &om->tm);
}

static kg_status read_pom(reader *r, kg_triples_map *map, const node *n,
                          const char *ctx) {
  kg_status st = KG_OK;
  const kg_pos pos = node_pos(r, n);
  kg_pom *pom = kg_map_add_pom(r->m, map, &pos);
  const char *pctx = kg_arena_printf(r->a, "a predicate-object map of %s", ctx);
  const range t = triples_of(r, n);
  for (size_t i = 0; i < t.n; i++) {
    const triple *tr = t.v[i];
    kg_term_map *tm = NULL;
    if (is(&tr->p, P_PREDICATE_MAP) || is(&tr->p, P_PREDICATE)) {
      TRY(read_either(r, tr, R_PREDICATE, pctx, &tm));
      kg_pom_add_predicate(r->m, pom, tm);
    } else if (is(&tr->p, P_GRAPH_MAP) || is(&tr->p, P_GRAPH)) {
      TRY(read_either(r, tr, R_GRAPH, pctx, &tm));
      kg_pom_add_graph(r->m, pom, tm);
    } else if (is(&tr->p, P_OBJECT_MAP) || is(&tr->p, P_OBJECT)) {
      TRY(read_object(r, pom, tr, pctx));
    }
  }
  if (pom->npredicates == 0 || pom->nobjects == 0)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a predicate-object map needs a predicate and an object "
                    "(in %s)",
                    ctx);
fail:
  return st;
}

/* The subject map with its classes and graph maps. */
static kg_status read_subject(reader *r, kg_triples_map *map, const triple *t,
                              const char *ctx) {
  kg_status st = KG_OK;
  kg_term_map *tm = NULL;
  TRY(read_either(r, t, R_SUBJECT, ctx, &tm));
  kg_map_add_subject(r->m, map, tm);
  if (!is(&t->p, P_SUBJECT_MAP))
    return KG_OK;
  const char *sctx = kg_arena_printf(r->a, "the subject map of %s", ctx);
  const range s = triples_of(r, &t->o);
  for (size_t i = 0; i < s.n; i++) {
    const triple *tr = s.v[i];
    if (is(&tr->p, P_CLASS)) {
      if (tr->o.kind != N_IRI) {
        const kg_pos pos = triple_pos(r, tr);
        return kg_error(r->d, &pos, KG_ERR_MAPPING,
                        "rml:class must be an IRI, not %s (in %s)",
                        show(r, &tr->o), sctx);
      }
      kg_map_add_class(r->m, map, tr->o.v);
    } else if (is(&tr->p, P_GRAPH_MAP) || is(&tr->p, P_GRAPH)) {
      TRY(read_either(r, tr, R_GRAPH, sctx, &tm));
      kg_map_add_graph(r->m, map, tm);
    }
  }
fail:
  return st;
}

/* ---- logical sources and triples maps ------------------------------------ */

/* dir + "/" + path, unless path is absolute or dir is empty. */
static const char *join_path(reader *r, const char *dir, const char *path) {
  if (path[0] == '/' || !dir || !dir[0])
    return path;
  return kg_arena_printf(r->a, "%s/%s", dir, path);
}

/* The file a source names, resolved (RML-IO rml:RelativePathSource). */
static kg_status read_source_path(reader *r, const triple *src, const char *ctx,
                                  const char **written, const char **path) {
  kg_status st = KG_OK;
  const kg_pos pos = triple_pos(r, src);
  if (src->o.kind == N_LITERAL) {
    *written = src->o.v;
    *path = join_path(r, r->dir, src->o.v);
    return KG_OK;
  }
  const triple *p = one(r, &src->o, P_PATH, ctx, &st);
  const triple *root = one(r, &src->o, P_ROOT, ctx, &st);
  const triple *url = one(r, &src->o, P_ACCESS_URL, ctx, &st);
  if (st != KG_OK)
    return st;
  if (!p && url && url->o.kind == N_IRI &&
      strncmp(url->o.v, "file://", 7) == 0) {
    *written = url->o.v;
    *path = strchr(url->o.v + 7, '/');
    return *path ? KG_OK
                 : kg_error(r->d, &pos, KG_ERR_MAPPING,
                            "unsupported file IRI <%s> (in %s)", url->o.v, ctx);
  }
  if (!p)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "unsupported rml:source %s: kgmap reads files given by "
                    "rml:path or a string (in %s)",
                    show(r, &src->o), ctx);
  TRY(need_string(r, p, ctx));
  const char *dir = NULL; /* RML-IO: the working directory by default */
  if (root && is(&root->o, C_MAPPING_DIR))
    dir = r->dir;
  else if (root && root->o.kind == N_LITERAL)
    dir = root->o.v;
  else if (root && !is(&root->o, C_CWD))
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "unknown rml:root %s (in %s)",
                    show(r, &root->o), ctx);
  *written = p->o.v;
  *path = join_path(r, dir, p->o.v);
fail:
  return st;
}

static kg_status read_logical_source(reader *r, kg_triples_map *map,
                                     const triple *ls, const char *ctx) {
  kg_status st = KG_OK;
  const kg_pos pos = triple_pos(r, ls);
  ctx = kg_arena_printf(r->a, "the logical source of %s", ctx);
  const triple *src = one(r, &ls->o, P_SOURCE, ctx, &st);
  const triple *it = one(r, &ls->o, P_ITERATOR, ctx, &st);
  const triple *rf = one(r, &ls->o, P_REF_FORMULATION, ctx, &st);
  if (st != KG_OK)
    return st;
  if (!src)
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "no rml:source (in %s)", ctx);
  if (rf && !is(&rf->o, C_JSONPATH))
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "unsupported reference formulation %s: kgmap reads JSON "
                    "and YAML with rml:JSONPath (in %s)",
                    show(r, &rf->o), ctx);
  const char *written = NULL, *path = NULL;
  TRY(read_source_path(r, src, ctx, &written, &path));
  map->source = kg_mapping_add_source(r->m, written, path, KG_DOC_AUTO, &pos);
  if (!it)
    return KG_OK;
  TRY(need_string(r, it, ctx));
  const kg_pos ipos = triple_pos(r, it);
  map->iterator = kg_arena_strdup(r->m->arena, it->o.v);
  TRY(kg_mapping_compile_path(r->m, it->o.v, it->o.len, false, &ipos,
                              &map->iter, r->d));
fail:
  return st;
}

/* Exactly one subject map (RML-Core), given either way. */
static kg_status read_subject_of(reader *r, kg_triples_map *map, const node *n,
                                 const char *ctx) {
  const range t = triples_of(r, n);
  const triple *subject = NULL;
  for (size_t i = 0; i < t.n; i++) {
    if (!is(&t.v[i]->p, P_SUBJECT_MAP) && !is(&t.v[i]->p, P_SUBJECT))
      continue;
    if (subject) {
      const kg_pos pos = triple_pos(r, t.v[i]);
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "%s has more than one subject map", ctx);
    }
    subject = t.v[i];
  }
  if (!subject)
    return kg_error(r->d, &map->pos, KG_ERR_MAPPING, "%s has no subject map",
                    ctx);
  return read_subject(r, map, subject, ctx);
}

static kg_status read_triples_map(reader *r, const node *n) {
  kg_status st = KG_OK;
  const kg_pos pos = node_pos(r, n);
  const char *ctx = kg_arena_printf(r->a, "triples map %s", show(r, n));
  kg_triples_map *map = kg_mapping_add_map(r->m, map_name(r, n), &pos, r->d);
  if (!map)
    return KG_ERR_MAPPING;
  const triple *ls = one(r, n, P_LOGICAL_SOURCE, ctx, &st);
  const triple *base = one(r, n, P_BASE_IRI, ctx, &st);
  if (st != KG_OK)
    return st;
  if (!ls)
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "%s has no logical source",
                    ctx);
  TRY(read_logical_source(r, map, ls, ctx));
  if (base && base->o.kind != N_IRI)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "rml:baseIRI must be an IRI, not %s (in %s)",
                    show(r, &base->o), ctx);
  if (base)
    map->base = kg_arena_strdup(r->m->arena, base->o.v);
  TRY(read_subject_of(r, map, n, ctx));
  const range t = triples_of(r, n);
  for (size_t i = 0; i < t.n; i++)
    if (is(&t.v[i]->p, P_POM))
      TRY(read_pom(r, map, &t.v[i]->o, ctx));
fail:
  return st;
}

/* A triples map is typed rml:TriplesMap or uses a triples map property. */
static bool marks_triples_map(const triple *t) {
  return (is(&t->p, P_TYPE) && is(&t->o, C_TRIPLES_MAP)) ||
         is(&t->p, P_LOGICAL_SOURCE) || is(&t->p, P_SUBJECT_MAP) ||
         is(&t->p, P_SUBJECT) || is(&t->p, P_POM);
}

/* Every triples map, in the order of its first triple in the file. */
static kg_status read_triples_maps(reader *r) {
  kg_status st = KG_OK;
  const node **done = NULL;
  size_t ndone = 0;
  for (size_t i = 0; i < r->n; i++) {
    const triple *t = &r->t[i];
    if (!marks_triples_map(t))
      continue;
    bool seen = false;
    for (size_t k = 0; k < ndone && !seen; k++)
      seen = cmp_node(done[k], &t->s) == 0;
    if (seen)
      continue;
    *(const node **)kg_arena_push(r->a, &done, &ndone, sizeof *done) = &t->s;
    TRY(read_triples_map(r, &t->s));
  }
fail:
  return st;
}

/* ---- parsing the Turtle with raptor ---------------------------------------
 */
static node copy_term(reader *r, const raptor_term *t) {
  node n = {N_IRI, "", 0, NULL, NULL};
  size_t len = 0;
  const unsigned char *s;
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI:
    s = raptor_uri_as_counted_string(t->value.uri, &len);
    n.v = kg_arena_strndup(r->a, (const char *)s, len);
    break;
  case RAPTOR_TERM_TYPE_BLANK:
    n.kind = N_BLANK;
    len = t->value.blank.string_len;
    n.v = kg_arena_strndup(r->a, (const char *)t->value.blank.string, len);
    break;
  case RAPTOR_TERM_TYPE_LITERAL:
    n.kind = N_LITERAL;
    len = t->value.literal.string_len;
    n.v = kg_arena_strndup(r->a, (const char *)t->value.literal.string, len);
    if (t->value.literal.language)
      n.lang = kg_arena_strdup(r->a, (const char *)t->value.literal.language);
    if (t->value.literal.datatype)
      n.datatype = kg_arena_strdup(
          r->a, (const char *)raptor_uri_as_string(t->value.literal.datatype));
    break;
  default:
    break;
  }
  n.len = len;
  return n;
}

static void on_statement(void *h, raptor_statement *s) {
  reader *r = h;
  const raptor_locator *loc = raptor_parser_get_locator(r->parser);
  triple *t = kg_arena_push(r->a, &r->t, &r->n, sizeof *t);
  t->s = copy_term(r, s->subject);
  t->p = copy_term(r, s->predicate);
  t->o = copy_term(r, s->object);
  t->seq = r->n - 1;
  t->line = loc && loc->line > 0 ? (unsigned)loc->line : 0;
  t->col = loc && loc->column > 0 ? (unsigned)loc->column : 0;
}

/* Raptor's messages become ours: errors are Turtle syntax errors. */
static void on_log(void *h, raptor_log_message *msg) {
  reader *r = h;
  /* some of raptor's Turtle errors come without a locator; the parser's
   * own holds where it is */
  const raptor_locator *loc =
      msg->locator || !r->parser ? msg->locator
                                 : raptor_parser_get_locator(r->parser);
  const kg_pos pos = {r->file, loc && loc->line > 0 ? (unsigned)loc->line : 0,
                      loc && loc->column > 0 ? (unsigned)loc->column : 0};
  if (msg->level >= RAPTOR_LOG_LEVEL_ERROR) {
    /* bison's stack overflow: raptor's parser has a depth limit */
    const bool deep = strcmp(msg->text, "memory exhausted") == 0;
    if (r->syntax == KG_OK) /* the first error; raptor's later ones follow
                               from it */
      kg_error(r->d, &pos, deep ? KG_ERR_LIMIT : KG_ERR_SYNTAX, "%s",
               deep ? "Turtle nested too deeply for the parser (raptor: "
                      "memory exhausted)"
                    : msg->text);
    r->syntax = KG_ERR_SYNTAX;
  } else if (msg->level == RAPTOR_LOG_LEVEL_WARN) {
    kg_warn(r->d, &pos, "%s", msg->text);
  }
}

static kg_status read_file(reader *r, kg_buf *out) {
  FILE *f = fopen(r->file, "rb");
  if (!f)
    return kg_error(r->d, &(kg_pos){r->file, 0, 0}, KG_ERR_IO,
                    "cannot open the mapping: %s", strerror(errno));
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    kg_buf_append(out, chunk, n);
  const bool bad = ferror(f) != 0;
  fclose(f);
  if (bad)
    return kg_error(r->d, &(kg_pos){r->file, 0, 0}, KG_ERR_IO,
                    "cannot read the mapping: %s", strerror(errno));
  return KG_OK;
}

/* Parse text (len bytes) into r->t; the base IRI is the file's own URI. */
static kg_status parse_turtle(reader *r, const char *text, size_t len) {
  raptor_world *w = raptor_new_world();
  if (!w || raptor_world_open(w) != 0)
    abort(); /* only fails when out of memory */
  raptor_world_set_log_handler(w, r, on_log);
  r->parser = raptor_new_parser(w, "turtle");
  unsigned char *file_uri = raptor_uri_filename_to_uri_string(r->file);
  raptor_uri *base = raptor_new_uri(w, file_uri);
  if (!r->parser || !base)
    abort();
  raptor_parser_set_statement_handler(r->parser, r, on_statement);
  if (raptor_parser_parse_start(r->parser, base) == 0)
    raptor_parser_parse_chunk(r->parser, (const unsigned char *)text, len, 1);
  raptor_free_uri(base);
  raptor_free_memory(file_uri);
  raptor_free_parser(r->parser);
  raptor_free_world(w);
  r->parser = NULL;
  return r->syntax;
}

static const char *dir_of(kg_arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? kg_arena_strndup(a, path,
                                  (size_t)(slash - path + (slash == path)))
               : "";
}

/* Turtle is UTF-8 (RDF 1.1 Turtle 6.2), but raptor passes invalid bytes
 * through into IRIs and literals: reject them at their line and column. */
static kg_status check_utf8(reader *r, const char *text, size_t len) {
  const size_t ok = kg_utf8_valid_prefix(text, len);
  if (ok == len)
    return KG_OK;
  kg_pos pos = {r->file, 1, 1};
  for (size_t i = 0; i < ok; i++) {
    if (text[i] == '\n')
      pos.line++, pos.col = 1;
    else if (((unsigned char)text[i] & 0xC0) != 0x80)
      pos.col++;
  }
  return kg_error(r->d, &pos, KG_ERR_SYNTAX, "invalid UTF-8 (byte 0x%02X)",
                  (unsigned char)text[ok]);
}

/* A predicate of the RML, R2RML or FnO namespaces that this reader does
 * not read (RML-IO targets, rml:null, RML-FNML functions, RML-CC
 * collections, R2RML's SQL tables...) would be dropped with its meaning:
 * it is an error at its place. */
static const char *unread_ns(const node *p) {
  static const char *const ns[] = {RML, RR, LRML, FNML};
  if (p->kind != N_IRI)
    return NULL;
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
    if (strncmp(p->v, ns[i], strlen(ns[i])) == 0) {
      for (size_t v = 0; v < C_TRIPLES_MAP; v++) /* the properties */
        if (is(p, (voc)v))
          return NULL;
      return ns[i];
    }
  return NULL;
}

/* Why a property is not read, when there is more to say. */
static const char *unread_why(const char *ns, const char *name) {
  if (strcmp(name, "logicalTarget") == 0)
    return ": write with -o, or use a YARRRML mapping's targets";
  if (strcmp(ns, FNML) == 0 ||
      strcmp(name, "functionExecution") == 0)
    return ": kgmap has no RML functions (FnO)";
  return NULL;
}

/* The first unread property, or the first with a reason (an
 * rml:logicalTarget before the rml:target inside it). */
static kg_status check_predicates(reader *r) {
  const triple *bad = NULL;
  const char *why = NULL;
  for (size_t i = 0; i < r->n && !why; i++) {
    const triple *t = &r->t[i];
    const char *ns = unread_ns(&t->p);
    if (!ns)
      continue;
    why = unread_why(ns, t->p.v + strlen(ns));
    if (!bad || why)
      bad = t;
  }
  if (!bad)
    return KG_OK;
  const kg_pos pos = triple_pos(r, bad);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "<%s> is not supported (kgmap reads RML-Core, and would "
                  "drop what this says)%s",
                  bad->p.v, why ? why : "");
}

/* Parse text and read the triples maps out of its triples. */
static kg_status read_text(reader *r, const char *text, size_t len) {
  kg_status st = KG_OK;
  TRY(check_utf8(r, text, len));
  TRY(parse_turtle(r, text, len));
  TRY(check_predicates(r));
  r->by_s = kg_arena_alloc(r->a, (r->n + 1) * sizeof *r->by_s);
  for (size_t i = 0; i < r->n; i++)
    r->by_s[i] = &r->t[i];
  qsort(r->by_s, r->n, sizeof *r->by_s, cmp_by_subject);
  const size_t before = r->m->nmaps;
  TRY(read_triples_maps(r));
  if (r->m->nmaps == before) /* a wrong file, not an empty graph to write */
    st = kg_error(r->d, &(kg_pos){r->file, 1, 1}, KG_ERR_MAPPING,
                  "no triples maps in this RML file (no rml:TriplesMap, "
                  "and no node with rml:logicalSource or rml:subjectMap)");
fail:
  return st;
}

kg_status kg_rml_read(kg_mapping *m, const char *path, kg_diag *d) {
  kg_status st = KG_OK;
  kg_buf text = {0};
  reader r = {.m = m, .d = d, .a = kg_arena_new()};
  r.file = kg_arena_strdup(m->arena, path);
  r.dir = dir_of(r.a, path);
  TRY(read_file(&r, &text));
  TRY(read_text(&r, kg_buf_cstr(&text), text.len));
fail:
  kg_buf_free(&text);
  kg_arena_free(r.a);
  return st;
}

kg_status kg_rml_read_mem(kg_mapping *m, const char *name, const char *dir,
                          const char *data, size_t len, kg_diag *d) {
  reader r = {.m = m, .d = d, .a = kg_arena_new()};
  r.file = kg_arena_strdup(m->arena, name);
  r.dir = dir ? kg_arena_strdup(r.a, dir) : "";
  const kg_status st = read_text(&r, data, len);
  kg_arena_free(r.a);
  return st;
}

/* ---- sniffing --------------------------------------------------------------
 */

/* Turtle starts with a directive or an IRI; YAML mappings never do.  A
 * file without either is RML only if it names an RML namespace. */
bool kg_rml_sniff(const char *data, size_t len) {
  size_t i = 0;
  for (;;) { /* skip blank and comment lines */
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                       data[i] == '\n'))
      i++;
    if (i >= len || data[i] != '#')
      break;
    while (i < len && data[i] != '\n')
      i++;
  }
  static const char *const starts[] = {"@prefix", "@base",  "PREFIX",
                                       "BASE",    "prefix", "base"};
  for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
    const size_t n = strlen(starts[k]);
    if (len - i > n && memcmp(data + i, starts[k], n) == 0 &&
        (data[i + n] == ' ' || data[i + n] == '\t'))
      return true;
  }
  if (i < len && data[i] == '<')
    return true;
  static const char *const ns[] = {"<" RML, "<" RR, "<" LRML};
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    const size_t n = strlen(ns[k]);
    for (size_t j = 0; j + n <= len; j++)
      if (memcmp(data + j, ns[k], n) == 0)
        return true;
  }
  return false;
}
