/* yarrrml.c - the YARRRML reader (see yarrrml.h and docs/yarrrml.md).
 *
 * Grammar read here (YARRRML spec, kg-construct CG, with the shortcuts of
 * its "Shortcuts" section and those of the reference parser):
 *
 *   document   = { prefixes, base, external, sources, targets, mappings }
 *   prefixes   = { NAME: IRI ... }
 *   external   = { NAME: VALUE ... }              values of $(_NAME)
 *   sources    = { NAME: source ... }
 *   source     = [ ACCESS~FORMULATION, ITERATOR? ]
 *              | { access, referenceFormulation, iterator, type, encoding }
 *   mappings   = { NAME: mapping ... }
 *   mapping    = { sources, subjects, predicateobjects, graphs }
 *   msources   = NAME | source | [ (NAME | source) ... ]
 *   subjects   = null | term | [ (term | { value, type, targets }) ... ]
 *   graphs     = graph | [ graph ... ]
 *   graph      = term | { value, targets }
 *   predicateobjects = [ po ... ]
 *   po         = [ predicates, objects, DATATYPE | LANG~lang ]
 *              | { predicates, objects, graphs, datatype, language,
 *                  targets }
 *   predicates = pred | [ pred ... ]
 *   pred       = term | { value, targets }           "a" is rdf:type
 *   objects    = object | [ object ... ]
 *   object     = term[~iri] | [ term[~iri], DATATYPE | LANG~lang ]
 *              | { value, type, datatype, language, targets }
 *              | { mapping, condition, targets }    a join
 *   targets    = NAME | [ NAME ... ]   declared under the top-level
 *                                      `targets` (yarrrml_target.c)
 *   condition  = cond | [ cond ... ]
 *   cond       = { function: equal, parameters: [ param, param ] }
 *   param      = [ str1|str2, term, s|o ] | { parameter, value, from }
 *   term       = a template (template.h); where an IRI is expected, a
 *                leading prefixed name is expanded: ex:person/$(id)
 *
 * Every key has its long name and shortcuts in one table per context;
 * a key that is not in the table is an error, and so is a YARRRML key
 * that kgmap does not implement (never silently ignored). */
#include "yarrrml.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "template.h"
#include "yarrrml_target.h"

#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

/* YARRRML 4: the predefined prefixes are those of the RDFa 1.1 initial
 * context; rml and ql are added as by the reference parser. */
static const kg_prefix predefined[] = {
    {"as", "https://www.w3.org/ns/activitystreams#"},
    {"cc", "http://creativecommons.org/ns#"},
    {"cnt", "http://www.w3.org/2008/content#"},
    {"ctag", "http://commontag.org/ns#"},
    {"dc", "http://purl.org/dc/terms/"},
    {"dc11", "http://purl.org/dc/elements/1.1/"},
    {"dcat", "http://www.w3.org/ns/dcat#"},
    {"dcterms", "http://purl.org/dc/terms/"},
    {"dqv", "http://www.w3.org/ns/dqv#"},
    {"duv", "https://www.w3.org/TR/vocab-duv#"},
    {"earl", "http://www.w3.org/ns/earl#"},
    {"foaf", "http://xmlns.com/foaf/0.1/"},
    {"gldp", "http://www.w3.org/ns/people#"},
    {"gr", "http://purl.org/goodrelations/v1#"},
    {"grddl", "http://www.w3.org/2003/g/data-view#"},
    {"ht", "http://www.w3.org/2006/http#"},
    {"ical", "http://www.w3.org/2002/12/cal/icaltzd#"},
    {"ldp", "http://www.w3.org/ns/ldp#"},
    {"ma", "http://www.w3.org/ns/ma-ont#"},
    {"oa", "http://www.w3.org/ns/oa#"},
    {"og", "http://ogp.me/ns#"},
    {"org", "http://www.w3.org/ns/org#"},
    {"owl", "http://www.w3.org/2002/07/owl#"},
    {"prov", "http://www.w3.org/ns/prov#"},
    {"ptr", "http://www.w3.org/2009/pointers#"},
    {"qb", "http://purl.org/linked-data/cube#"},
    {"ql", "http://semweb.mmlab.be/ns/ql#"},
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"rdfa", "http://www.w3.org/ns/rdfa#"},
    {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
    {"rev", "http://purl.org/stuff/rev#"},
    {"rif", "http://www.w3.org/2007/rif#"},
    {"rml", "http://semweb.mmlab.be/ns/rml#"},
    {"rr", "http://www.w3.org/ns/r2rml#"},
    {"schema", "http://schema.org/"},
    {"sd", "http://www.w3.org/ns/sparql-service-description#"},
    {"sioc", "http://rdfs.org/sioc/ns#"},
    {"skos", "http://www.w3.org/2004/02/skos/core#"},
    {"skosxl", "http://www.w3.org/2008/05/skos-xl#"},
    {"sosa", "http://www.w3.org/ns/sosa/"},
    {"ssn", "http://www.w3.org/ns/ssn/"},
    {"time", "http://www.w3.org/2006/time#"},
    {"v", "http://rdf.data-vocabulary.org/#"},
    {"vcard", "http://www.w3.org/2006/vcard/ns#"},
    {"void", "http://rdfs.org/ns/void#"},
    {"wdr", "http://www.w3.org/2007/05/powder#"},
    {"wdrs", "http://www.w3.org/2007/05/powder-s#"},
    {"xhv", "http://www.w3.org/1999/xhtml/vocab#"},
    {"xml", "http://www.w3.org/XML/1998/namespace"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
};

/* URI schemes that are not prefixes: "urn:isbn:1" stays as written. */
static const char *const schemes[] = {"urn", "mailto", "tag", "tel", "data"};

/* Graph IRIs that all mean "the default graph". */
static const char *const default_graphs[] = {
    KG_RML_DEFAULT_GRAPH, "http://www.w3.org/ns/r2rml#defaultGraph",
    "http://semweb.mmlab.be/ns/rml#defaultGraph"};

/* --- Keys: one table per context (YARRRML "Shortcuts: Keys") ---------- */

typedef enum {
  K_PREFIXES,
  K_BASE,
  K_EXTERNAL,
  K_SOURCES,
  K_MAPPINGS,
  K_SUBJECTS,
  K_PO,
  K_GRAPHS,
  K_PREDICATES,
  K_OBJECTS,
  K_VALUE,
  K_TYPE,
  K_DATATYPE,
  K_LANGUAGE,
  K_MAPPING,
  K_CONDITION,
  K_FUNCTION,
  K_PARAMETERS,
  K_PARAMETER,
  K_FROM,
  K_ACCESS,
  K_FORMULATION,
  K_ITERATOR,
  K_ENCODING,
  K_TARGETS,
  K_COUNT,
  K_UNSUPPORTED = -1
} key_id;

typedef struct key_spec {
  const char *names[5]; /* the key, then its shortcuts */
  key_id id;
  const char *feature; /* K_UNSUPPORTED: "YARRRML <feature> not supported" */
} key_spec;

#define FUNCTIONS "'functions' are"
static const key_spec root_keys[] = {
    {{"prefixes"}, K_PREFIXES, NULL},
    {{"base"}, K_BASE, NULL},
    {{"external"}, K_EXTERNAL, NULL},
    {{"sources"}, K_SOURCES, NULL},
    {{"mappings", "mapping", "m"}, K_MAPPINGS, NULL},
    {{"targets"}, K_TARGETS, NULL},
    {{"authors", "author", "a"}, K_UNSUPPORTED, "'authors' are"},
};
static const key_spec mapping_keys[] = {
    {{"sources", "source"}, K_SOURCES, NULL},
    {{"subjects", "subject", "s"}, K_SUBJECTS, NULL},
    {{"predicateobjects", "predicateobject", "po"}, K_PO, NULL},
    {{"graphs", "graph", "g"}, K_GRAPHS, NULL},
    {{"conditions", "condition", "c"},
     K_UNSUPPORTED,
     "'conditions' on mappings are"},
    {{"targets"},
     K_UNSUPPORTED,
     "'targets' on a whole mapping (put them on its subjects) are"},
    {{"function", "fn", "f"}, K_UNSUPPORTED, FUNCTIONS},
};
static const key_spec po_keys[] = {
    {{"predicates", "predicate", "p"}, K_PREDICATES, NULL},
    {{"objects", "object", "o"}, K_OBJECTS, NULL},
    {{"graphs", "graph", "g"}, K_GRAPHS, NULL},
    {{"datatype"}, K_DATATYPE, NULL},
    {{"language"}, K_LANGUAGE, NULL},
    {{"inversepredicates", "inversepredicate", "i", "iv"},
     K_UNSUPPORTED,
     "'inversepredicates' are"},
    {{"conditions", "condition", "c"},
     K_UNSUPPORTED,
     "'conditions' on predicate-objects are"},
    {{"targets"}, K_TARGETS, NULL},
};
static const key_spec object_keys[] = {
    {{"value", "v"}, K_VALUE, NULL},
    {{"type"}, K_TYPE, NULL},
    {{"datatype"}, K_DATATYPE, NULL},
    {{"language"}, K_LANGUAGE, NULL},
    {{"mapping"}, K_MAPPING, NULL},
    {{"conditions", "condition", "c"}, K_CONDITION, NULL},
    {{"function", "fn", "f"}, K_UNSUPPORTED, FUNCTIONS},
    {{"parameters", "pms"}, K_UNSUPPORTED, FUNCTIONS},
    {{"inversepredicates", "inversepredicate", "i", "iv"},
     K_UNSUPPORTED,
     "'inversepredicates' are"},
    {{"targets"}, K_TARGETS, NULL},
};
static const key_spec subject_keys[] = {
    {{"value", "v"}, K_VALUE, NULL},
    {{"type"}, K_TYPE, NULL},
    {{"function", "fn", "f"}, K_UNSUPPORTED, FUNCTIONS},
    {{"parameters", "pms"}, K_UNSUPPORTED, FUNCTIONS},
    {{"targets"}, K_TARGETS, NULL},
};
/* A predicate or a graph written as a map. */
static const key_spec term_keys[] = {
    {{"value", "v"}, K_VALUE, NULL},
    {{"targets"}, K_TARGETS, NULL},
    {{"function", "fn", "f"}, K_UNSUPPORTED, FUNCTIONS},
    {{"parameters", "pms"}, K_UNSUPPORTED, FUNCTIONS},
};
static const key_spec condition_keys[] = {
    {{"function", "fn", "f"}, K_FUNCTION, NULL},
    {{"parameters", "pms"}, K_PARAMETERS, NULL},
};
static const key_spec parameter_keys[] = {
    {{"parameter", "pm"}, K_PARAMETER, NULL},
    {{"value", "v"}, K_VALUE, NULL},
    {{"from"}, K_FROM, NULL},
};
#define SRC_ONLY(k)                                                            \
  { {k}, K_UNSUPPORTED, "'" k "' in sources is" }
static const key_spec source_keys[] = {
    {{"access"}, K_ACCESS, NULL},
    {{"referenceFormulation"}, K_FORMULATION, NULL},
    {{"iterator"}, K_ITERATOR, NULL},
    {{"type"}, K_TYPE, NULL},
    {{"encoding"}, K_ENCODING, NULL},
    SRC_ONLY("query"),
    SRC_ONLY("queryFormulation"),
    SRC_ONLY("credentials"),
    SRC_ONLY("delimiter"),
    SRC_ONLY("contentType"),
    SRC_ONLY("operationType"),
    SRC_ONLY("security"),
    SRC_ONLY("driver"),
};
#define KEYS(t) t, sizeof t / sizeof t[0]

/* Object term types (YARRRML "type"). */
static const struct {
  const char *name;
  kg_term_type type;
} term_types[] = {
    {"iri", KG_TT_IRI}, {"literal", KG_TT_LITERAL}, {"blanknode", KG_TT_BLANK}};

/* Reference formulations: JSONPath over JSON, JSON Lines or YAML (the
 * document format is then chosen by extension or content). */
static const struct {
  const char *name;
  kg_doc_format format;
} formulations[] = {{"jsonpath", KG_DOC_AUTO}};

/* --- The reader ------------------------------------------------------- */

/* A source as declared, before a mapping uses it. */
typedef struct src_def {
  const char *name; /* root key, or the access as written */
  const char *path; /* resolved against the mapping file's directory */
  kg_doc_format format;
  const char *iter; /* NULL: "$" */
  kg_pos pos, iter_pos;
} src_def;

typedef struct reader {
  kg_mapping *m;
  kg_diag *d;
  const char *file;        /* in m's arena: term maps keep it for messages */
  const char *dir;         /* NULL: the current directory */
  const kg_node *prefixes; /* the document's own, or NULL */
  const char *base;
  src_def *sources; /* the document's named sources */
  size_t nsources;
  const char *map; /* the mapping being read, for messages */
} reader;

typedef struct keyed {
  const kg_node *v[K_COUNT]; /* values by key_id */
  const kg_node *k[K_COUNT]; /* the keys as written */
} keyed;

static kg_pos pos_of(const reader *r, const kg_node *n) {
  return (kg_pos){r->file, n->line, n->col};
}

static bool is_scalar(const kg_node *n) {
  return n->kind != KG_NODE_SEQ && n->kind != KG_NODE_MAP &&
         n->kind != KG_NODE_NULL;
}

static const char *kind_name(const kg_node *n) {
  switch (n->kind) {
  case KG_NODE_SEQ:
    return "a list";
  case KG_NODE_MAP:
    return "a map";
  case KG_NODE_NULL:
    return "empty";
  default:
    return "a scalar";
  }
}

static kg_status bad_kind(reader *r, const kg_node *n, const char *what,
                          const char *expected) {
  kg_pos pos = pos_of(r, n);
  return kg_error(r->d, &pos, KG_ERR_MAPPING, "%s must be %s, not %s", what,
                  expected, kind_name(n));
}

/* " in mapping 'x'" or "" at the top level, for messages. */
static const char *where(const reader *r, char *buf, size_t size) {
  if (r->map)
    snprintf(buf, size, " in mapping '%s'", r->map);
  else
    buf[0] = '\0';
  return buf;
}

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b), row[64];
  if (la >= 64 || lb >= 64)
    return SIZE_MAX;
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

/* Close enough to suggest: one edit for short words, two for longer. */
static bool is_near(const char *word, const char *cand, size_t *best) {
  size_t d = edit_distance(word, cand);
  bool near = d <= (strlen(word) > 4 ? 2u : 1u) && d < strlen(cand);
  if (near && d < *best) {
    *best = d;
    return true;
  }
  return false;
}

static kg_status unknown_key(reader *r, const kg_node *key,
                             const key_spec *keys, size_t n, const char *ctx) {
  const char *hint = NULL;
  size_t best = SIZE_MAX;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < 5 && keys[i].names[j]; j++)
      if (is_near(key->text, keys[i].names[j], &best))
        hint = keys[i].names[0];
  kg_pos pos = pos_of(r, key);
  if (hint)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "unknown key '%s' %s (did you mean '%s'?)", key->text, ctx,
                    hint);
  return kg_error(r->d, &pos, KG_ERR_MAPPING, "unknown key '%s' %s", key->text,
                  ctx);
}

static const key_spec *find_key(const char *name, const key_spec *keys,
                                size_t n) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < 5 && keys[i].names[j]; j++)
      if (strcmp(name, keys[i].names[j]) == 0)
        return &keys[i];
  return NULL;
}

/* Sort the pairs of map into out by key id; unknown, repeated and
 * unsupported keys are errors.  ctx ends messages ("in mapping 'x'"). */
static kg_status read_keys(reader *r, const kg_node *map, const key_spec *keys,
                           size_t n, const char *ctx, keyed *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < map->n; i++) {
    const kg_node *key = map->keys[i];
    const key_spec *spec = find_key(key->text, keys, n);
    kg_pos pos = pos_of(r, key);
    if (!spec)
      return unknown_key(r, key, keys, n, ctx);
    if (spec->id == K_UNSUPPORTED)
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "YARRRML %s not supported yet (key '%s' %s)",
                      spec->feature, key->text, ctx);
    if (out->k[spec->id])
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "key '%s' repeats '%s' %s (both are '%s')", key->text,
                      out->k[spec->id]->text, ctx, spec->names[0]);
    out->k[spec->id] = key;
    out->v[spec->id] = map->items[i];
  }
  return KG_OK;
}

/* The targets named by the key `targets` of k, if any, into *out. */
static kg_status read_target_refs(reader *r, const keyed *k,
                                  kg_target_set *out) {
  if (!k->v[K_TARGETS])
    return KG_OK;
  return kg_yarrrml_target_refs(r->m, r->file, k->v[K_TARGETS], out, r->d);
}

/* --- Terms ------------------------------------------------------------ */

static bool ends_with(const char *s, size_t len, const char *suffix) {
  size_t k = strlen(suffix);
  return len >= k && memcmp(s + len - k, suffix, k) == 0;
}

static bool is_pn_char(char c) {
  return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' ||
         (unsigned char)c >= 0x80;
}

static const char *lookup_prefix(reader *r, const char *p, size_t n) {
  for (size_t i = 0; r->prefixes && i < r->prefixes->n; i++) {
    const kg_node *k = r->prefixes->keys[i];
    if (k->len == n && memcmp(k->text, p, n) == 0)
      return r->prefixes->items[i]->text;
  }
  for (size_t i = 0; i < sizeof predefined / sizeof predefined[0]; i++)
    if (strlen(predefined[i].prefix) == n &&
        memcmp(predefined[i].prefix, p, n) == 0) {
      /* Used, so the writer may abbreviate with it too. */
      if (!kg_mapping_prefix_iri(r->m, p, n))
        kg_mapping_add_prefix(r->m, predefined[i].prefix, predefined[i].iri);
      return predefined[i].iri;
    }
  return NULL;
}

static bool is_scheme(const char *p, size_t n) {
  for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
    if (strlen(schemes[i]) == n && memcmp(schemes[i], p, n) == 0)
      return true;
  return false;
}

/* Expand the prefixed name that starts an IRI template into out:
 * "ex:person/$(id)" -> "http://example.org/person/$(id)".  Absolute IRIs
 * ("http://...", "urn:..."), relative ones and references are copied. */
static kg_status expand_iri(reader *r, const kg_pos *pos, const char *s,
                            size_t n, kg_buf *out) {
  size_t i = 0;
  while (i < n && is_pn_char(s[i]))
    i++;
  bool prefixed = i < n && s[i] == ':' &&
                  (i == 0 || isalpha((unsigned char)s[0])) &&
                  !(i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/');
  if (!prefixed || is_scheme(s, i)) {
    kg_buf_append(out, s, n);
    return KG_OK;
  }
  const char *ns = lookup_prefix(r, s, i);
  if (!ns)
    return kg_error(r->d, pos, KG_ERR_MAPPING,
                    "unknown prefix '%.*s' in '%.*s'%s", (int)i, s, (int)n, s,
                    " (declare it under 'prefixes')");
  kg_buf_puts(out, ns);
  kg_buf_append(out, s + i + 1, n - i - 1);
  return KG_OK;
}

/* A template of one reference is a reference; one without references
 * (externals substituted) is a constant. */
static void simplify(kg_mapping *m, kg_term_map *tm) {
  if (tm->nparts == 1 && tm->parts[0].is_ref) {
    tm->kind = KG_TM_REFERENCE;
    tm->ref = tm->parts[0].ref;
  } else {
    for (size_t i = 0; i < tm->nparts; i++)
      if (tm->parts[i].is_ref)
        return;
    const char *text = tm->nparts ? tm->parts[0].text : "";
    kg_term_map_set_constant(m, tm, text, strlen(text));
  }
  tm->parts = NULL;
  tm->nparts = 0;
}

/* A term map from text (n bytes) written at node at: a reference when it
 * is exactly "$(ref)", a template when it has references, else a
 * constant.  Where an IRI is made, a leading prefixed name is expanded. */
static kg_status make_term(reader *r, const kg_node *at, const char *s,
                           size_t n, kg_term_type type, kg_term_map **out) {
  kg_status st = KG_OK;
  kg_pos pos = pos_of(r, at);
  kg_buf text = {0};
  if (type == KG_TT_IRI)
    TRY(expand_iri(r, &pos, s, n, &text));
  else
    kg_buf_append(&text, s, n);
  kg_term_map *tm = kg_term_map_new(r->m, KG_TM_TEMPLATE, type, &pos);
  TRY(kg_template_parse(r->m, tm, kg_buf_cstr(&text), text.len, KG_TPL_YARRRML,
                        r->d));
  simplify(r->m, tm);
  *out = tm;
fail:
  kg_buf_free(&text);
  return st;
}

static kg_status scalar_term(reader *r, const kg_node *n, const char *what,
                             kg_term_type type, kg_term_map **out) {
  if (!is_scalar(n))
    return bad_kind(r, n, what, "a string");
  return make_term(r, n, n->text, n->len, type, out);
}

/* An IRI term: predicates, classes, graphs, datatypes; "~iri" allowed. */
static kg_status iri_term(reader *r, const kg_node *n, const char *what,
                          kg_term_map **out) {
  if (!is_scalar(n))
    return bad_kind(r, n, what, "a string");
  size_t len = n->len;
  if (ends_with(n->text, len, "~iri"))
    len -= 4;
  return make_term(r, n, n->text, len, KG_TT_IRI, out);
}

static kg_status graph_term(reader *r, const kg_node *n, kg_term_map **out) {
  kg_status st = iri_term(r, n, "a graph", out);
  if (st == KG_OK && (*out)->kind == KG_TM_CONSTANT)
    for (size_t i = 0; i < sizeof default_graphs / sizeof *default_graphs; i++)
      if (strcmp((*out)->constant, default_graphs[i]) == 0)
        kg_term_map_set_constant(r->m, *out, KG_RML_DEFAULT_GRAPH,
                                 strlen(KG_RML_DEFAULT_GRAPH));
  return st;
}

/* BCP 47 shape (RDF 1.1 language tags): letters, then -alphanumerics. */
static bool is_language_tag(const char *s) {
  size_t run = 0, i = 0;
  for (; isalpha((unsigned char)s[i]); i++)
    run++;
  if (run < 1 || run > 8)
    return false;
  while (s[i] == '-') {
    for (run = 0, i++; isalnum((unsigned char)s[i]); i++)
      run++;
    if (run < 1 || run > 8)
      return false;
  }
  return s[i] == '\0';
}

static kg_status language_term(reader *r, const kg_node *n, size_t len,
                               kg_term_map **out) {
  kg_status st = KG_OK;
  TRY(make_term(r, n, n->text, len, KG_TT_LITERAL, out));
  if ((*out)->kind == KG_TM_CONSTANT && !is_language_tag((*out)->constant)) {
    kg_pos pos = pos_of(r, n);
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "invalid language tag '%s'",
                    (*out)->constant);
  }
fail:
  return st;
}

/* "xsd:date" is a datatype and "fr~lang" a language for the literal tm. */
static kg_status literal_meta(reader *r, const kg_node *n, kg_term_map *tm) {
  kg_status st = KG_OK;
  if (!is_scalar(n))
    return bad_kind(r, n, "a datatype or language", "a string");
  if (tm->type != KG_TT_LITERAL) {
    kg_pos pos = pos_of(r, n);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "'%s': only literal objects have a datatype or language",
                    n->text);
  }
  if (ends_with(n->text, n->len, "~lang"))
    TRY(language_term(r, n, n->len - 5, &tm->language));
  else
    TRY(make_term(r, n, n->text, n->len, KG_TT_IRI, &tm->datatype));
fail:
  return st;
}

/* --- Objects ---------------------------------------------------------- */

/* What a predicate-object gives all its objects: a datatype or language
 * (third element or po keys), and IRIs for the objects of "a". */
typedef struct obj_defaults {
  const kg_node *meta;     /* "xsd:date" or "fr~lang" */
  const kg_node *datatype; /* po key datatype */
  const kg_node *language; /* po key language */
  bool iri;
} obj_defaults;

static kg_status apply_defaults(reader *r, kg_term_map *tm,
                                const obj_defaults *df) {
  kg_status st = KG_OK;
  const kg_node *dl = df->datatype ? df->datatype : df->language;
  if (tm->datatype || tm->language)
    return KG_OK; /* the object's own win */
  if (df->meta)
    TRY(literal_meta(r, df->meta, tm));
  if (dl && tm->type != KG_TT_LITERAL) {
    kg_pos pos = pos_of(r, dl);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "'%s': only literal objects have a datatype or language",
                    is_scalar(dl) ? dl->text : kind_name(dl));
  }
  if (df->datatype && df->language) {
    kg_pos pos = pos_of(r, df->language);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a literal has a datatype or a language, not both");
  }
  if (df->datatype)
    TRY(iri_term(r, df->datatype, "'datatype'", &tm->datatype));
  if (df->language)
    TRY(language_term(r, df->language, df->language->len, &tm->language));
fail:
  return st;
}

/* An object written as a string, "...~iri" for an IRI. */
static kg_status short_object(reader *r, const kg_node *n,
                              const obj_defaults *df, kg_term_map **out) {
  if (!is_scalar(n))
    return bad_kind(r, n, "an object value", "a string");
  size_t len = n->len;
  bool iri = ends_with(n->text, len, "~iri");
  if (iri)
    len -= 4;
  return make_term(r, n, n->text, len,
                   iri || df->iri ? KG_TT_IRI : KG_TT_LITERAL, out);
}

static kg_status read_side(reader *r, const kg_node *n, int *side) {
  static const struct {
    const char *name;
    int side;
  } sides[] = {{"s", 0}, {"subject", 0}, {"o", 1}, {"object", 1}};
  for (size_t i = 0; is_scalar(n) && i < sizeof sides / sizeof *sides; i++)
    if (strcmp(n->text, sides[i].name) == 0) {
      *side = sides[i].side;
      return KG_OK;
    }
  kg_pos pos = pos_of(r, n);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "a parameter comes from 's' (the subject) or 'o' (the "
                  "object), not '%s'",
                  is_scalar(n) ? n->text : kind_name(n));
}

/* One parameter of equal: [name, value, side?] or {parameter, value,
 * from}; side is -1 when not given. */
static kg_status read_parameter(reader *r, const kg_node *n, int *which,
                                kg_term_map **value, int *side) {
  kg_status st = KG_OK;
  const kg_node *name = NULL, *val = NULL, *from = NULL;
  char ctx[300];
  if (n->kind == KG_NODE_SEQ && (n->n == 2 || n->n == 3)) {
    name = n->items[0], val = n->items[1], from = n->n == 3 ? n->items[2] : 0;
  } else if (n->kind == KG_NODE_MAP) {
    keyed k;
    char w[200];
    snprintf(ctx, sizeof ctx, "in a join parameter%s", where(r, w, sizeof w));
    TRY(read_keys(r, n, KEYS(parameter_keys), ctx, &k));
    name = k.v[K_PARAMETER], val = k.v[K_VALUE], from = k.v[K_FROM];
  }
  if (!name || !val)
    return bad_kind(r, n, "a parameter of 'equal'",
                    "[str1|str2, value, s|o] or a map with 'parameter' and "
                    "'value'");
  *which = is_scalar(name) ? !strcmp(name->text, "str1")   ? 1
                             : !strcmp(name->text, "str2") ? 2
                                                           : 0
                           : 0;
  if (!*which) {
    kg_pos pos = pos_of(r, name);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "'equal' has the parameters 'str1' and 'str2', not '%s'",
                    is_scalar(name) ? name->text : kind_name(name));
  }
  *side = -1;
  if (from)
    TRY(read_side(r, from, side));
  TRY(scalar_term(r, val, "a parameter value", KG_TT_LITERAL, value));
fail:
  return st;
}

static bool is_equal_function(const char *s) {
  return !strcmp(s, "equal") || !strcmp(s, "idlab-fn:equal") ||
         !strcmp(s, "http://example.com/idlab/function/equal");
}

/* The join of equal(str1, str2) given where each value comes from (-1:
 * not said): str1 is the subject's (child) value unless told otherwise. */
static kg_status add_join(reader *r, const kg_node *params,
                          kg_term_map *const val[2], int side[2],
                          kg_object_map *om) {
  if (side[0] < 0)
    side[0] = side[1] < 0 ? 0 : !side[1];
  if (side[1] < 0)
    side[1] = !side[0];
  if (side[0] == side[1]) {
    kg_pos pos = pos_of(r, params);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "both parameters of 'equal' come from the %s: one must "
                    "come from the subject ('s'), one from the object ('o')",
                    side[0] ? "object" : "subject");
  }
  kg_join *j = kg_object_add_join(r->m, om);
  j->child = val[side[0] == 0 ? 0 : 1];
  j->parent = val[side[0] == 0 ? 1 : 0];
  return KG_OK;
}

/* A join condition: equal(str1, str2), one side from the child (the
 * subject, "s") and one from the parent (the object, "o").  Without
 * sides, str1 is the child's and str2 the parent's. */
static kg_status read_condition(reader *r, const kg_node *n,
                                kg_object_map *om) {
  kg_status st = KG_OK;
  keyed k;
  char ctx[300], w[200];
  kg_term_map *val[2] = {0};
  int side[2] = {-1, -1};
  if (n->kind != KG_NODE_MAP)
    return bad_kind(r, n, "a condition", "a map");
  snprintf(ctx, sizeof ctx, "in a condition%s", where(r, w, sizeof w));
  TRY(read_keys(r, n, KEYS(condition_keys), ctx, &k));
  const kg_node *fn = k.v[K_FUNCTION], *params = k.v[K_PARAMETERS];
  kg_pos pos = pos_of(r, n);
  if (!fn || !params)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a condition needs 'function' and 'parameters'");
  if (!is_scalar(fn) || !is_equal_function(fn->text)) {
    pos = pos_of(r, fn);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "YARRRML condition function '%s' is not supported yet "
                    "(only 'equal', a join)",
                    is_scalar(fn) ? fn->text : kind_name(fn));
  }
  if (params->kind != KG_NODE_SEQ || params->n != 2)
    return bad_kind(r, params, "the parameters of 'equal'",
                    "a list of two parameters");
  for (size_t i = 0; i < 2; i++) {
    int which, s;
    kg_term_map *tm;
    TRY(read_parameter(r, params->items[i], &which, &tm, &s));
    if (val[which - 1])
      return bad_kind(r, params, "the parameters of 'equal'",
                      "one 'str1' and one 'str2'");
    val[which - 1] = tm;
    side[which - 1] = s;
  }
  TRY(add_join(r, params, val, side, om));
fail:
  return st;
}

/* { mapping: NAME | [NAME...], condition: cond | [cond...] } */
static kg_status read_join(reader *r, kg_pom *pom, const keyed *k) {
  kg_status st = KG_OK;
  const kg_node *names = k->v[K_MAPPING], *cond = k->v[K_CONDITION];
  for (int i = K_VALUE; i <= K_LANGUAGE; i++)
    if (k->k[i]) {
      kg_pos pos = pos_of(r, k->k[i]);
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "an object that refers to a mapping has no '%s'",
                      k->k[i]->text);
    }
  kg_target_set targets = 0;
  TRY(read_target_refs(r, k, &targets));
  size_t nn = names->kind == KG_NODE_SEQ ? names->n : 1;
  for (size_t i = 0; i < nn; i++) {
    const kg_node *name = names->kind == KG_NODE_SEQ ? names->items[i] : names;
    if (!is_scalar(name))
      return bad_kind(r, name, "'mapping'", "a mapping name");
    kg_pos pos = pos_of(r, name);
    kg_object_map *om = kg_pom_add_object(r->m, pom, &pos);
    om->parent_name = kg_arena_strdup(r->m->arena, name->text);
    om->targets = targets;
    size_t nc = !cond ? 0 : cond->kind == KG_NODE_SEQ ? cond->n : 1;
    for (size_t c = 0; c < nc; c++)
      TRY(read_condition(r, cond->kind == KG_NODE_SEQ ? cond->items[c] : cond,
                         om));
  }
fail:
  return st;
}

static kg_status read_term_type(reader *r, const kg_node *n,
                                kg_term_type *type) {
  for (size_t i = 0; is_scalar(n) && i < sizeof term_types / sizeof *term_types;
       i++)
    if (strcmp(n->text, term_types[i].name) == 0) {
      *type = term_types[i].type;
      return KG_OK;
    }
  kg_pos pos = pos_of(r, n);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "unknown term type '%s' (iri, literal or blanknode)",
                  is_scalar(n) ? n->text : kind_name(n));
}

/* RML-Core: a constant term map gives its constant, an IRI or a literal;
 * a blank node needs a template with a reference, or no value at all. */
static kg_status check_blank(reader *r, const kg_term_map *tm) {
  if (tm->type != KG_TT_BLANK || tm->kind != KG_TM_CONSTANT)
    return KG_OK;
  return kg_error(r->d, &tm->pos, KG_ERR_MAPPING,
                  "a blank node cannot be the constant '%s' (give 'value' a "
                  "reference, or no 'value' for a new blank node per record)",
                  tm->constant);
}

/* { value, type, datatype, language } */
static kg_status long_object(reader *r, const kg_node *n, const keyed *k,
                             const obj_defaults *df, kg_term_map **out) {
  kg_status st = KG_OK;
  const kg_node *v = k->v[K_VALUE];
  kg_term_type type = df->iri ? KG_TT_IRI : KG_TT_LITERAL;
  bool iri = v && is_scalar(v) && ends_with(v->text, v->len, "~iri");
  if (iri)
    type = KG_TT_IRI;
  if (k->v[K_TYPE])
    TRY(read_term_type(r, k->v[K_TYPE], &type));
  kg_pos pos = pos_of(r, n);
  if (iri && type != KG_TT_IRI)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "'~iri' contradicts the type '%s'", k->v[K_TYPE]->text);
  if (!v && type != KG_TT_BLANK)
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "an object needs a 'value'");
  if (!v) {
    *out = kg_term_map_new(r->m, KG_TM_FRESH, KG_TT_BLANK, &pos);
  } else {
    if (!is_scalar(v))
      return bad_kind(r, v, "'value'", "a string");
    TRY(make_term(r, v, v->text, v->len - (iri ? 4 : 0), type, out));
    TRY(check_blank(r, *out));
  }
  (*out)->type_explicit = k->v[K_TYPE] != NULL;
  if (k->v[K_DATATYPE])
    TRY(literal_meta(r, k->v[K_DATATYPE], *out));
  if (k->v[K_LANGUAGE]) {
    if ((*out)->datatype)
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "an object has a datatype or a language, not both");
    TRY(scalar_term(r, k->v[K_LANGUAGE], "'language'", KG_TT_LITERAL,
                    &(*out)->language));
    if ((*out)->language->kind == KG_TM_CONSTANT &&
        !is_language_tag((*out)->language->constant))
      return kg_error(r->d, &(*out)->language->pos, KG_ERR_MAPPING,
                      "invalid language tag '%s'", (*out)->language->constant);
  }
fail:
  return st;
}

static kg_status read_object(reader *r, kg_pom *pom, const kg_node *n,
                             const obj_defaults *df) {
  kg_status st = KG_OK;
  kg_term_map *tm = NULL;
  kg_pos pos = pos_of(r, n);
  char ctx[300], w[200];
  if (n->kind == KG_NODE_MAP) {
    keyed k;
    snprintf(ctx, sizeof ctx, "in an object%s", where(r, w, sizeof w));
    TRY(read_keys(r, n, KEYS(object_keys), ctx, &k));
    if (k.v[K_MAPPING])
      return read_join(r, pom, &k);
    if (k.v[K_CONDITION])
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "YARRRML 'conditions' on objects are not supported yet "
                      "(only with 'mapping', as a join)");
    TRY(long_object(r, n, &k, df, &tm));
    TRY(read_target_refs(r, &k, &tm->targets));
  } else if (n->kind == KG_NODE_SEQ) {
    if (n->n < 1 || n->n > 2)
      return bad_kind(r, n, "an object", "[value] or [value, datatype]");
    TRY(short_object(r, n->items[0], df, &tm));
    if (n->n == 2)
      TRY(literal_meta(r, n->items[1], tm));
  } else {
    TRY(short_object(r, n, df, &tm));
  }
  TRY(apply_defaults(r, tm, df));
  kg_pom_add_object(r->m, pom, &pos)->tm = tm;
fail:
  return st;
}

/* --- Predicate-objects ------------------------------------------------ */

/* A predicate or graph written as { value, targets }: its keys into k and
 * its value into *value. */
static kg_status read_term_keys(reader *r, const kg_node *n, const char *what,
                                keyed *k, const kg_node **value) {
  kg_status st = KG_OK;
  char ctx[300], w[200];
  snprintf(ctx, sizeof ctx, "in %s%s", what, where(r, w, sizeof w));
  TRY(read_keys(r, n, KEYS(term_keys), ctx, k));
  if (!k->v[K_VALUE]) {
    kg_pos pos = pos_of(r, n);
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "%s needs a 'value'", what);
  }
  *value = k->v[K_VALUE];
fail:
  return st;
}

static kg_status read_predicates(reader *r, kg_pom *pom, const kg_node *n,
                                 bool *is_type) {
  kg_status st = KG_OK;
  size_t count = n->kind == KG_NODE_SEQ ? n->n : 1;
  for (size_t i = 0; i < count; i++) {
    const kg_node *p = n->kind == KG_NODE_SEQ ? n->items[i] : n;
    kg_term_map *tm;
    keyed k = {0};
    if (p->kind == KG_NODE_MAP)
      TRY(read_term_keys(r, p, "a predicate", &k, &p));
    if (is_scalar(p) && strcmp(p->text, "a") == 0) {
      kg_pos pos = pos_of(r, p);
      tm = kg_term_map_new(r->m, KG_TM_CONSTANT, KG_TT_IRI, &pos);
      kg_term_map_set_constant(r->m, tm, RDF_TYPE, strlen(RDF_TYPE));
      *is_type = true;
    } else {
      TRY(iri_term(r, p, "a predicate", &tm));
    }
    TRY(read_target_refs(r, &k, &tm->targets));
    kg_pom_add_predicate(r->m, pom, tm);
  }
fail:
  return st;
}

static kg_status read_graphs(reader *r, const kg_node *n, kg_pom *pom,
                             kg_triples_map *map) {
  kg_status st = KG_OK;
  size_t count = n->kind == KG_NODE_SEQ ? n->n : 1;
  for (size_t i = 0; i < count; i++) {
    const kg_node *g = n->kind == KG_NODE_SEQ ? n->items[i] : n;
    kg_term_map *tm;
    keyed k = {0};
    if (g->kind == KG_NODE_MAP)
      TRY(read_term_keys(r, g, "a graph", &k, &g));
    TRY(graph_term(r, g, &tm));
    TRY(read_target_refs(r, &k, &tm->targets));
    if (pom)
      kg_pom_add_graph(r->m, pom, tm);
    else
      kg_map_add_graph(r->m, map, tm);
  }
fail:
  return st;
}

static kg_status read_objects(reader *r, kg_pom *pom, const kg_node *n,
                              const obj_defaults *df) {
  kg_status st = KG_OK;
  if (n->kind == KG_NODE_NULL)
    return bad_kind(r, n, "'objects'", "a value, a list or a map");
  size_t count = n->kind == KG_NODE_SEQ ? n->n : 1;
  for (size_t i = 0; i < count; i++)
    TRY(read_object(r, pom, n->kind == KG_NODE_SEQ ? n->items[i] : n, df));
  if (count == 0)
    return bad_kind(r, n, "'objects'", "a value or a non-empty list");
fail:
  return st;
}

/* [predicates, objects, meta?] or { predicates, objects, ... } */
static kg_status read_po(reader *r, kg_triples_map *map, const kg_node *n) {
  kg_status st = KG_OK;
  kg_pos pos = pos_of(r, n);
  obj_defaults df = {0};
  kg_target_set targets = 0;
  const kg_node *preds, *objs, *graphs = NULL;
  char ctx[300], w[200];
  if (n->kind == KG_NODE_SEQ) {
    if (n->n < 2 || n->n > 3)
      return bad_kind(r, n, "a predicate-object",
                      "[predicate, object] or [predicate, object, datatype]");
    preds = n->items[0], objs = n->items[1];
    df.meta = n->n == 3 ? n->items[2] : NULL;
  } else if (n->kind == KG_NODE_MAP) {
    keyed k;
    snprintf(ctx, sizeof ctx, "in a predicate-object%s", where(r, w, sizeof w));
    TRY(read_keys(r, n, KEYS(po_keys), ctx, &k));
    preds = k.v[K_PREDICATES], objs = k.v[K_OBJECTS], graphs = k.v[K_GRAPHS];
    df.datatype = k.v[K_DATATYPE], df.language = k.v[K_LANGUAGE];
    TRY(read_target_refs(r, &k, &targets));
    if (!preds || !objs)
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "a predicate-object needs 'predicates' and 'objects'");
  } else {
    return bad_kind(r, n, "a predicate-object", "a list or a map");
  }
  kg_pom *pom = kg_map_add_pom(r->m, map, &pos);
  pom->targets = targets;
  TRY(read_predicates(r, pom, preds, &df.iri));
  TRY(read_objects(r, pom, objs, &df));
  if (graphs)
    TRY(read_graphs(r, graphs, pom, NULL));
fail:
  return st;
}

/* --- Subjects --------------------------------------------------------- */

static kg_status read_subject(reader *r, kg_triples_map *map,
                              const kg_node *n) {
  kg_status st = KG_OK;
  kg_term_map *tm;
  char ctx[300], w[200];
  if (n->kind != KG_NODE_MAP) {
    TRY(iri_term(r, n, "a subject", &tm));
  } else {
    keyed k;
    kg_term_type type = KG_TT_IRI;
    snprintf(ctx, sizeof ctx, "in a subject%s", where(r, w, sizeof w));
    TRY(read_keys(r, n, KEYS(subject_keys), ctx, &k));
    if (k.v[K_TYPE])
      TRY(read_term_type(r, k.v[K_TYPE], &type));
    kg_pos pos = pos_of(r, n);
    if (type == KG_TT_LITERAL)
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "a subject is an IRI or a blank node, not a literal");
    if (k.v[K_VALUE]) {
      TRY(scalar_term(r, k.v[K_VALUE], "'value'", type, &tm));
      TRY(check_blank(r, tm));
    } else if (type == KG_TT_BLANK) {
      tm = kg_term_map_new(r->m, KG_TM_FRESH, KG_TT_BLANK, &pos);
    } else {
      return kg_error(r->d, &pos, KG_ERR_MAPPING, "a subject needs a 'value'");
    }
    tm->type_explicit = k.v[K_TYPE] != NULL;
    TRY(read_target_refs(r, &k, &tm->targets));
  }
  kg_map_add_subject(r->m, map, tm);
fail:
  return st;
}

/* Subjects: templates; none (absent, null, []) is a blank node per record
 * (YARRRML "Subjects"). */
static kg_status read_subjects(reader *r, kg_triples_map *map,
                               const kg_node *n) {
  kg_status st = KG_OK;
  size_t count = !n || n->kind == KG_NODE_NULL ? 0
                 : n->kind == KG_NODE_SEQ      ? n->n
                                               : 1;
  for (size_t i = 0; i < count; i++)
    TRY(read_subject(r, map, n->kind == KG_NODE_SEQ ? n->items[i] : n));
  if (count == 0) {
    kg_pos pos = n ? pos_of(r, n) : map->pos;
    kg_map_add_subject(r->m, map,
                       kg_term_map_new(r->m, KG_TM_FRESH, KG_TT_BLANK, &pos));
  }
fail:
  return st;
}

/* --- Sources ---------------------------------------------------------- */

static bool find(const char *s, size_t n, const char *word) {
  size_t k = strlen(word);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(s + i, word, k) == 0)
      return true;
  return false;
}

static const char *last_tilde(const char *s, size_t n) {
  while (n > 0)
    if (s[--n] == '~')
      return s + n;
  return NULL;
}

/* The file of access, resolved against the mapping file's directory. */
static kg_status source_path(reader *r, const kg_node *at, const char *access,
                             size_t n, const char **path) {
  kg_pos pos = pos_of(r, at);
  if (n == 0)
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "a source needs an 'access'");
  if (find(access, n, "://"))
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "YARRRML remote sources are not supported yet ('%.*s')",
                    (int)n, access);
  if (access[0] == '/' || !r->dir)
    *path = kg_arena_strndup(r->m->arena, access, n);
  else
    *path = kg_arena_printf(r->m->arena, "%s/%.*s", r->dir, (int)n, access);
  return KG_OK;
}

static kg_status read_formulation(reader *r, const kg_node *at, const char *s,
                                  size_t n, kg_doc_format *fmt) {
  for (size_t i = 0; i < sizeof formulations / sizeof *formulations; i++)
    if (strlen(formulations[i].name) == n &&
        memcmp(formulations[i].name, s, n) == 0) {
      *fmt = formulations[i].format;
      return KG_OK;
    }
  kg_pos pos = pos_of(r, at);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "YARRRML reference formulation '%.*s' is not supported yet "
                  "(kgmap reads JSON, JSON Lines and YAML with 'jsonpath')",
                  (int)n, s);
}

static kg_status read_iterator(reader *r, const kg_node *n, src_def *def) {
  if (!is_scalar(n))
    return bad_kind(r, n, "an iterator", "a JSONPath string");
  def->iter = kg_arena_strndup(r->m->arena, n->text, n->len);
  def->iter_pos = pos_of(r, n);
  return KG_OK;
}

/* [ACCESS~FORMULATION, ITERATOR?] */
static kg_status short_source(reader *r, const kg_node *n, src_def *def) {
  kg_status st = KG_OK;
  if (n->n < 1 || n->n > 2 || !is_scalar(n->items[0]))
    return bad_kind(r, n, "a source", "[file~jsonpath, iterator]");
  const kg_node *a = n->items[0];
  const char *tilde = last_tilde(a->text, a->len);
  kg_pos pos = pos_of(r, a);
  if (!tilde)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "source '%s' has no reference formulation (write "
                    "'%s~jsonpath')",
                    a->text, a->text);
  size_t alen = (size_t)(tilde - a->text);
  TRY(read_formulation(r, a, tilde + 1, a->len - alen - 1, &def->format));
  TRY(source_path(r, a, a->text, alen, &def->path));
  if (!def->name)
    def->name = kg_arena_strndup(r->m->arena, a->text, alen);
  if (n->n == 2)
    TRY(read_iterator(r, n->items[1], def));
fail:
  return st;
}

static kg_status check_source_type(reader *r, const keyed *k) {
  const kg_node *t = k->v[K_TYPE], *e = k->v[K_ENCODING];
  if (t && !(is_scalar(t) && strcmp(t->text, "localfile") == 0)) {
    kg_pos pos = pos_of(r, t);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "YARRRML source type '%s' is not supported yet (only "
                    "'localfile')",
                    is_scalar(t) ? t->text : kind_name(t));
  }
  if (e && !(is_scalar(e) && (strcmp(e->text, "utf-8") == 0 ||
                              strcmp(e->text, "UTF-8") == 0))) {
    kg_pos pos = pos_of(r, e);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "source encoding '%s' is not supported (only UTF-8)",
                    is_scalar(e) ? e->text : kind_name(e));
  }
  return KG_OK;
}

/* { access, referenceFormulation, iterator, type, encoding } */
static kg_status long_source(reader *r, const kg_node *n, src_def *def) {
  kg_status st = KG_OK;
  keyed k;
  char ctx[300], w[200];
  if (def->name && !r->map)
    snprintf(ctx, sizeof ctx, "in source '%s'", def->name);
  else
    snprintf(ctx, sizeof ctx, "in a source%s", where(r, w, sizeof w));
  TRY(read_keys(r, n, KEYS(source_keys), ctx, &k));
  TRY(check_source_type(r, &k));
  const kg_node *a = k.v[K_ACCESS], *f = k.v[K_FORMULATION];
  kg_pos pos = pos_of(r, n);
  if (!a || !is_scalar(a))
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a source needs an 'access' (the data file)");
  if (!f || !is_scalar(f))
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a source needs a 'referenceFormulation' (jsonpath)");
  TRY(read_formulation(r, f, f->text, f->len, &def->format));
  TRY(source_path(r, a, a->text, a->len, &def->path));
  if (!def->name)
    def->name = kg_arena_strdup(r->m->arena, a->text);
  if (k.v[K_ITERATOR])
    TRY(read_iterator(r, k.v[K_ITERATOR], def));
fail:
  return st;
}

static kg_status read_source(reader *r, const kg_node *n, src_def *def) {
  def->pos = pos_of(r, n);
  if (n->kind == KG_NODE_SEQ)
    return short_source(r, n, def);
  if (n->kind == KG_NODE_MAP)
    return long_source(r, n, def);
  return bad_kind(r, n, "a source", "a list or a map");
}

/* The document's named sources: { NAME: source ... } */
static kg_status read_root_sources(reader *r, const kg_node *n) {
  kg_status st = KG_OK;
  if (n->kind != KG_NODE_MAP)
    return bad_kind(r, n, "'sources'", "a map of named sources");
  r->sources = kg_arena_alloc(r->m->arena, n->n * sizeof *r->sources);
  for (size_t i = 0; i < n->n; i++) {
    src_def *def = &r->sources[r->nsources++];
    def->name = kg_arena_strdup(r->m->arena, n->keys[i]->text);
    TRY(read_source(r, n->items[i], def));
  }
fail:
  return st;
}

static kg_status named_source(reader *r, const kg_node *n, src_def *out) {
  size_t best = SIZE_MAX;
  const char *hint = NULL;
  for (size_t i = 0; i < r->nsources; i++) {
    if (strcmp(r->sources[i].name, n->text) == 0) {
      *out = r->sources[i];
      return KG_OK;
    }
    if (is_near(n->text, r->sources[i].name, &best))
      hint = r->sources[i].name;
  }
  kg_pos pos = pos_of(r, n);
  if (hint)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "unknown source '%s' in mapping '%s' (did you mean '%s'?)",
                    n->text, r->map, hint);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "unknown source '%s' in mapping '%s'", n->text, r->map);
}

static bool is_named(const reader *r, const kg_node *n) {
  for (size_t i = 0; i < r->nsources; i++)
    if (strcmp(r->sources[i].name, n->text) == 0)
      return true;
  return false;
}

static kg_status mapping_source(reader *r, const kg_node *n, src_def *def) {
  memset(def, 0, sizeof *def);
  if (is_scalar(n))
    return named_source(r, n, def);
  return read_source(r, n, def);
}

/* A mapping's sources: NAME, a source, or a list of them.  A list of
 * scalars whose first is "file~formulation" is one shortcut source (the
 * spec writes `sources: [data/person.json~jsonpath, $]`). */
static kg_status read_map_sources(reader *r, const kg_node *n, src_def **defs,
                                  size_t *ndefs) {
  kg_status st = KG_OK;
  bool one = n->kind != KG_NODE_SEQ ||
             (n->n >= 1 && n->n <= 2 && is_scalar(n->items[0]) &&
              (n->n == 1 || is_scalar(n->items[1])) &&
              memchr(n->items[0]->text, '~', n->items[0]->len) &&
              !is_named(r, n->items[0]));
  *ndefs = one ? 1 : n->n;
  *defs = kg_arena_alloc(r->m->arena, *ndefs * sizeof **defs);
  if (one && n->kind == KG_NODE_SEQ) {
    memset(*defs, 0, sizeof **defs);
    (*defs)->pos = pos_of(r, n);
    return short_source(r, n, *defs);
  }
  for (size_t i = 0; i < *ndefs; i++)
    TRY(mapping_source(r, one ? n : n->items[i], &(*defs)[i]));
  if (*ndefs == 0)
    return bad_kind(r, n, "'sources'", "a source or a non-empty list");
fail:
  return st;
}

static kg_status attach_source(reader *r, kg_triples_map *map,
                               const src_def *def) {
  map->source =
      kg_mapping_add_source(r->m, def->name, def->path, def->format, &def->pos);
  map->iterator = def->iter;
  if (!def->iter)
    return KG_OK;
  return kg_mapping_compile_path(r->m, def->iter, strlen(def->iter), false,
                                 &def->iter_pos, &map->iter, r->d);
}

/* --- Mappings --------------------------------------------------------- */

/* YARRRML: a mapping with several sources is one triples map per source
 * (the first keeps the name; the others share its term maps). */
static kg_status add_copies(reader *r, kg_triples_map *map, const src_def *defs,
                            size_t ndefs) {
  kg_status st = KG_OK;
  for (size_t i = 1; i < ndefs; i++) {
    char *name = kg_arena_printf(r->m->arena, "%s#%zu", map->name, i + 1);
    kg_triples_map *copy = kg_mapping_add_map(r->m, name, &map->pos, r->d);
    if (!copy)
      return KG_ERR_MAPPING;
    *copy = *map;
    copy->name = name;
    TRY(attach_source(r, copy, &defs[i]));
  }
fail:
  return st;
}

static kg_status read_mapping(reader *r, const kg_node *key, const kg_node *n) {
  kg_status st = KG_OK;
  keyed k;
  char ctx[300];
  src_def *defs = NULL;
  size_t ndefs = 0;
  kg_pos pos = pos_of(r, key);
  r->map = key->text;
  snprintf(ctx, sizeof ctx, "mapping '%s'", key->text);
  if (n->kind != KG_NODE_MAP)
    return bad_kind(r, n, ctx, "a map");
  snprintf(ctx, sizeof ctx, "in mapping '%s'", key->text);
  TRY(read_keys(r, n, KEYS(mapping_keys), ctx, &k));
  if (k.v[K_SOURCES])
    TRY(read_map_sources(r, k.v[K_SOURCES], &defs, &ndefs));
  kg_triples_map *map = kg_mapping_add_map(r->m, key->text, &pos, r->d);
  if (!map)
    return KG_ERR_MAPPING;
  map->base = r->base;
  map->arrays_expand = true; /* YARRRML: an array yields a term per item */
  if (ndefs)
    TRY(attach_source(r, map, &defs[0]));
  TRY(read_subjects(r, map, k.v[K_SUBJECTS]));
  const kg_node *po = k.v[K_PO];
  if (po && po->kind != KG_NODE_SEQ && po->kind != KG_NODE_NULL)
    return bad_kind(r, po, "'predicateobjects'", "a list");
  for (size_t i = 0; po && i < po->n; i++)
    TRY(read_po(r, map, po->items[i]));
  if (k.v[K_GRAPHS])
    TRY(read_graphs(r, k.v[K_GRAPHS], NULL, map));
  TRY(add_copies(r, map, defs, ndefs));
fail:
  r->map = NULL;
  return st;
}

/* --- The document ----------------------------------------------------- */

static kg_status read_prefixes(reader *r, const kg_node *n) {
  if (n->kind != KG_NODE_MAP)
    return bad_kind(r, n, "'prefixes'", "a map of prefix: IRI");
  for (size_t i = 0; i < n->n; i++) {
    if (!is_scalar(n->items[i]))
      return bad_kind(r, n->items[i], "a prefix IRI", "a string");
    kg_mapping_add_prefix(r->m, n->keys[i]->text, n->items[i]->text);
  }
  r->prefixes = n;
  return KG_OK;
}

/* YARRRML "External references": the document's values come after the
 * caller's (-e), which therefore win. */
static kg_status read_external(reader *r, const kg_node *n) {
  kg_mapping *m = r->m;
  if (n->kind != KG_NODE_MAP)
    return bad_kind(r, n, "'external'", "a map of name: value");
  const char **all =
      kg_arena_alloc(m->arena, (m->nexternals + n->n) * sizeof *all);
  for (size_t i = 0; i < m->nexternals; i++)
    all[i] = m->externals[i];
  for (size_t i = 0; i < n->n; i++) {
    if (!is_scalar(n->items[i]))
      return bad_kind(r, n->items[i], "an external value", "a scalar");
    all[m->nexternals + i] =
        kg_arena_printf(m->arena, "%s=%s", n->keys[i]->text, n->items[i]->text);
  }
  m->externals = all;
  m->nexternals += n->n;
  return KG_OK;
}

static kg_status read_document(reader *r, const kg_node *root) {
  kg_status st = KG_OK;
  keyed k;
  kg_pos pos = {r->file, root->line, root->col};
  r->prefixes = NULL, r->base = NULL, r->sources = NULL, r->nsources = 0;
  if (root->kind != KG_NODE_MAP)
    return bad_kind(r, root, "a YARRRML document", "a map");
  TRY(read_keys(r, root, KEYS(root_keys), "at the top level", &k));
  if (k.v[K_PREFIXES])
    TRY(read_prefixes(r, k.v[K_PREFIXES]));
  if (k.v[K_BASE]) {
    if (!is_scalar(k.v[K_BASE]))
      return bad_kind(r, k.v[K_BASE], "'base'", "an IRI");
    r->base = kg_arena_strdup(r->m->arena, k.v[K_BASE]->text);
  }
  if (k.v[K_EXTERNAL])
    TRY(read_external(r, k.v[K_EXTERNAL]));
  if (k.v[K_SOURCES])
    TRY(read_root_sources(r, k.v[K_SOURCES]));
  if (k.v[K_TARGETS])
    TRY(kg_yarrrml_read_targets(r->m, r->file, r->dir, k.v[K_TARGETS], r->d));
  const kg_node *maps = k.v[K_MAPPINGS];
  if (!maps)
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "a YARRRML document needs 'mappings'");
  if (maps->kind != KG_NODE_MAP)
    return bad_kind(r, maps, "'mappings'", "a map of named mappings");
  for (size_t i = 0; i < maps->n; i++)
    TRY(read_mapping(r, maps->keys[i], maps->items[i]));
fail:
  return st;
}

static kg_status read_stream(kg_mapping *m, kg_doc_reader *dr, const char *name,
                             const char *dir, kg_diag *d) {
  kg_status st = KG_OK;
  reader r = {.m = m, .d = d};
  r.file = kg_arena_strdup(m->arena, name);
  r.dir = dir;
  const kg_doc *doc;
  size_t docs = 0;
  while ((st = kg_doc_reader_next(dr, &doc)) == KG_OK) {
    docs++;
    TRY(read_document(&r, doc->root));
  }
  if (st == KG_DONE)
    st = KG_OK;
  if (st == KG_OK && docs == 0)
    st = kg_error(d, &(kg_pos){r.file, 1, 1}, KG_ERR_MAPPING,
                  "empty YARRRML file");
fail:
  kg_doc_reader_free(dr);
  return st;
}

kg_status kg_yarrrml_read(kg_mapping *m, const char *path, kg_diag *d) {
  kg_doc_reader *dr;
  kg_status st = kg_doc_reader_open(&dr, path, KG_DOC_YAML, NULL, d);
  if (st != KG_OK)
    return st;
  const char *slash = strrchr(path, '/');
  const char *dir = !slash          ? NULL
                    : slash == path ? "/"
                                    : kg_arena_strndup(m->arena, path,
                                                       (size_t)(slash - path));
  return read_stream(m, dr, path, dir, d);
}

kg_status kg_yarrrml_read_mem(kg_mapping *m, const char *name, const char *dir,
                              const char *data, size_t len, kg_diag *d) {
  kg_doc_reader *dr;
  kg_status st =
      kg_doc_reader_open_mem(&dr, name, data, len, KG_DOC_YAML, NULL, d);
  if (st != KG_OK)
    return st;
  return read_stream(m, dr, name, dir ? kg_arena_strdup(m->arena, dir) : NULL,
                     d);
}
