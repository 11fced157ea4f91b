/* termgen.c - term maps applied to records (see termgen.h). */
#include "termgen.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct value {
  const char *s;
  size_t len;
  kg_node_kind kind;
  bool clean; /* kg_iri_is_clean(s, len), known without a scan */
} value;

typedef struct values {
  value *v;
  size_t n;
} values;

typedef struct collect {
  kg_gen *g;
  const kg_jsonpath *path;
  values *out;
  kg_status st;
} collect;

static const char *kind_name(kg_node_kind k) {
  return k == KG_NODE_SEQ ? "an array" : "an object";
}

/* Canonical xsd:integer lexical form: no '+', no leading zeros; YAML's
 * 0x and 0o forms in decimal. */
static value canonical_int(kg_arena *a, const char *s, size_t n) {
  size_t i = 0;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-'))
    neg = s[i++] == '-';
  if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
    unsigned long long v = strtoull(s + i + 2, NULL, s[i + 1] == 'x' ? 16 : 8);
    const char *t = kg_arena_printf(a, "%s%llu", neg && v ? "-" : "", v);
    return (value){t, strlen(t), KG_NODE_INT, false};
  }
  while (i + 1 < n && s[i] == '0')
    i++;
  bool zero = n - i == 1 && s[i] == '0';
  if (!neg || zero)
    return (value){s + i, n - i, KG_NODE_INT, false};
  char *t = kg_arena_alloc(a, n - i + 2);
  t[0] = '-';
  memcpy(t + 1, s + i, n - i);
  return (value){t, n - i + 1, KG_NODE_INT, false};
}

static value scalar_value(kg_arena *a, const kg_node *node) {
  if (node->kind == KG_NODE_INT)
    return canonical_int(a, node->text, node->len);
  if (node->kind == KG_NODE_BOOL) {
    bool t = node->len && tolower((unsigned char)node->text[0]) == 't';
    return (value){t ? "true" : "false", t ? 4 : 5, KG_NODE_BOOL, false};
  }
  return (value){node->text, node->len, node->kind, false};
}

static kg_status push_node(collect *c, const kg_node *node, bool top) {
  kg_gen *g = c->g;
  if (node->kind == KG_NODE_NULL)
    return KG_OK; /* RML-Core: a null value yields no term */
  if (node->kind == KG_NODE_SEQ && top && g->expand_arrays) {
    for (size_t i = 0; i < node->n; i++) {
      kg_status st = push_node(c, node->items[i], false);
      if (st != KG_OK)
        return st;
    }
    return KG_OK;
  }
  if (node->kind == KG_NODE_SEQ || node->kind == KG_NODE_MAP) {
    kg_pos pos = {g->doc->file, node->line, node->col};
    return kg_error(g->d, &pos, KG_ERR_DATA,
                    "reference '%s' in mapping '%s' selects %s; a scalar is "
                    "needed (select its items, e.g. '%s[*]')",
                    kg_jsonpath_text(c->path), g->map->name,
                    kind_name(node->kind), kg_jsonpath_text(c->path));
  }
  value *v = kg_arena_push(g->scratch, &c->out->v, &c->out->n, sizeof *v);
  *v = scalar_value(g->scratch, node);
  return KG_OK;
}

static int collect_visit(void *h, const kg_node *node) {
  collect *c = h;
  c->st = push_node(c, node, true);
  return c->st != KG_OK;
}

static kg_status ref_values(kg_gen *g, const kg_jsonpath *path, values *out) {
  collect c = {g, path, out, KG_OK};
  if (kg_jsonpath_is_singular(path)) { /* most references: no visitor */
    const kg_node *node = kg_jsonpath_get(path, g->rec);
    return node ? push_node(&c, node, true) : KG_OK;
  }
  const size_t max = kg_jsonpath_budget(g->max_steps);
  if (kg_jsonpath_eval_max(path, g->rec, collect_visit, &c, max) ==
          KG_JSONPATH_TOO_LONG &&
      c.st == KG_OK) {
    const kg_pos pos = {g->doc->file, g->rec->line, g->rec->col};
    return kg_error(g->d, &pos, KG_ERR_LIMIT,
                    "reference '%s' in mapping '%s' takes more than %zu "
                    "steps on this record",
                    kg_jsonpath_text(path), g->map->name, max);
  }
  return c.st;
}

/* A blank node label from any value: [A-Za-z0-9]+ is kept as is; anything
 * else becomes "_" followed by the value with every other byte written
 * "_XX", so distinct values give distinct labels. */
static const char *blank_label(kg_arena *a, const char *s, size_t n,
                               size_t *len) {
  bool simple = n > 0;
  for (size_t i = 0; i < n && simple; i++)
    simple = isalnum((unsigned char)s[i]) != 0;
  if (simple) {
    *len = n;
    return s;
  }
  static const char hex[] = "0123456789ABCDEF";
  char *t = kg_arena_alloc(a, 3 * n + 2), *o = t;
  *o++ = '_';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isalnum(c)) {
      *o++ = (char)c;
    } else {
      *o++ = '_';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
  }
  *len = (size_t)(o - t);
  return t;
}

static kg_pos record_pos(const kg_gen *g) {
  return (kg_pos){g->doc->file, g->rec->line, g->rec->col};
}

static kg_status make_iri(kg_gen *g, const kg_term_map *tm, const char *s,
                          size_t n, bool clean, kg_term *t) {
  kg_pos pos = record_pos(g);
  if (!tm->valid_iris && !kg_iri_has_scheme(s, n)) {
    clean = false; /* the base is not known to be clean */
    if (!g->base)
      return kg_error(g->d, &pos, KG_ERR_DATA,
                      "mapping '%s' generated the relative IRI '%.*s' and no "
                      "base IRI is set (use --base)",
                      g->map->name, (int)n, s);
    const char *full =
        kg_arena_printf(g->scratch, "%s%.*s", g->base, (int)n, s);
    s = full;
    n = strlen(full);
  }
  /* An absolute constant was checked by kg_mapping_finish. */
  const bool checked =
      (tm->kind == KG_TM_CONSTANT && s == tm->constant) || tm->valid_iris;
  if (tm->type != KG_TT_UNSAFE_IRI && !checked && !kg_iri_is_absolute(s, n))
    return kg_error(g->d, &pos, KG_ERR_DATA,
                    "mapping '%s' generated the invalid IRI '%.*s' (mapping "
                    "at %s:%u:%u)",
                    g->map->name, (int)n, s, tm->pos.file ? tm->pos.file : "?",
                    tm->pos.line, tm->pos.col);
  *t = (kg_term){KG_TERM_IRI, s, n, NULL, NULL, clean};
  return KG_OK;
}

static const char *natural_datatype(kg_node_kind k) {
  switch (k) {
  case KG_NODE_INT:
    return KG_XSD_INTEGER;
  case KG_NODE_FLOAT:
    return KG_XSD_DOUBLE;
  case KG_NODE_BOOL:
    return KG_XSD_BOOLEAN;
  default:
    return NULL;
  }
}

/* Literal terms: one per datatype or language value (usually one). */
static kg_status make_literals(kg_gen *g, const kg_term_map *tm, value v,
                               kg_terms *out) {
  kg_status st = KG_OK;
  kg_terms meta = {0};
  const kg_term_map *mm = tm->datatype ? tm->datatype : tm->language;
  if (!mm) {
    kg_term *t = kg_arena_push(g->scratch, &out->v, &out->n, sizeof *t);
    *t = (kg_term){.kind = KG_TERM_LITERAL,
                   .value = v.s,
                   .len = v.len,
                   .datatype = natural_datatype(v.kind)};
    return KG_OK;
  }
  TRY(kg_gen_terms(g, mm, &meta));
  for (size_t i = 0; i < meta.n; i++) {
    kg_term *t = kg_arena_push(g->scratch, &out->v, &out->n, sizeof *t);
    *t = (kg_term){KG_TERM_LITERAL, v.s, v.len, NULL, NULL, false};
    if (mm == tm->datatype) {
      t->datatype = meta.v[i].value;
      continue;
    }
    if (!kg_langtag_is_valid(meta.v[i].value, meta.v[i].len)) {
      kg_pos pos = record_pos(g);
      return kg_error(g->d, &pos, KG_ERR_DATA,
                      "mapping '%s' generated the invalid language tag '%s'",
                      g->map->name, meta.v[i].value);
    }
    t->language = meta.v[i].value;
  }
fail:
  return st;
}

static kg_status make_term(kg_gen *g, const kg_term_map *tm, value v,
                           kg_terms *out) {
  kg_term t;
  kg_status st;
  switch (tm->type) {
  case KG_TT_LITERAL:
    return make_literals(g, tm, v, out);
  case KG_TT_BLANK:
    t = (kg_term){KG_TERM_BLANK, NULL, 0, NULL, NULL, false};
    t.value = blank_label(g->scratch, v.s, v.len, &t.len);
    break;
  default:
    st = make_iri(g, tm, v.s, v.len, v.clean, &t);
    if (st != KG_OK)
      return st;
  }
  *(kg_term *)kg_arena_push(g->scratch, &out->v, &out->n, sizeof t) = t;
  return KG_OK;
}

static kg_status too_many(kg_gen *g, const kg_term_map *tm, size_t max) {
  const kg_pos pos = record_pos(g);
  return kg_error(g->d, &pos, KG_ERR_LIMIT,
                  "a template of mapping '%s' (at %s:%u:%u) yields more than "
                  "%zu values for one record (the product of its references' "
                  "values)",
                  g->map->name, tm->pos.file ? tm->pos.file : "?", tm->pos.line,
                  tm->pos.col, max);
}

/* The product of a template's parts: every combination of its references'
 * values, the last reference varying fastest.  Each reference is evaluated
 * once and each value built once, in g->text.  encode: reference values
 * IRI-safe (or URI-safe) encoded as the term type asks (literals, blank
 * nodes and unsafe IRIs are not).  A reference without values ends the
 * product: the template yields nothing and later references are not
 * evaluated. */
static kg_status template_values(kg_gen *g, const kg_term_map *tm, bool encode,
                                 values *out) {
  kg_status st = KG_OK;
  kg_buf local = {0};
  kg_buf *b = g->text ? g->text : &local;
  const size_t max = g->max_values ? g->max_values : KG_MAX_TERMS;
  const size_t np = tm->nparts;
  enum { LOCAL_PARTS = 8 }; /* most templates: no allocation */
  values refs_local[LOCAL_PARTS] = {{0}};
  size_t at_local[LOCAL_PARTS] = {0};
  values *refs = np <= LOCAL_PARTS
                     ? refs_local
                     : kg_arena_alloc(g->scratch, np * sizeof *refs);
  size_t *at = np <= LOCAL_PARTS ? at_local
                                 : kg_arena_alloc(g->scratch, np * sizeof *at);
  size_t total = 1;
  for (size_t i = 0; i < np; i++) {
    if (!tm->parts[i].is_ref)
      continue;
    TRY(ref_values(g, tm->parts[i].ref, &refs[i]));
    if (refs[i].n == 0) {
      *out = (values){0};
      goto fail;
    }
    if (total > max / refs[i].n)
      TRY(too_many(g, tm, max));
    total *= refs[i].n;
  }
  const bool iri = encode && tm->type == KG_TT_IRI;
  const bool uri = encode && tm->type == KG_TT_URI;
  /* Exactly total values: no kg_arena_push onto this array afterwards. */
  out->v = kg_arena_alloc(g->scratch, total * sizeof *out->v);
  out->n = total;
  for (size_t k = 0; k < total; k++) {
    bool clean = tm->text_clean; /* and every reference's encoded value */
    kg_buf_reset(b);
    for (size_t i = 0; i < np; i++) {
      const kg_tpl_part *part = &tm->parts[i];
      if (!part->is_ref) {
        kg_buf_append(b, part->text, part->len);
        continue;
      }
      const value *v = &refs[i].v[at[i]];
      if (iri) {
        clean &= kg_iri_safe_append(b, v->s, v->len);
      } else if (uri) {
        kg_uri_safe_append(b, v->s, v->len); /* only unreserved and %XX */
      } else {
        kg_buf_append(b, v->s, v->len);
        clean = false;
      }
    }
    out->v[k] =
        (value){kg_arena_strndup(g->scratch, b->data ? b->data : "", b->len),
                b->len, KG_NODE_STRING, clean};
    for (size_t i = np; i-- > 0;) /* the next combination */
      if (tm->parts[i].is_ref) {
        if (++at[i] < refs[i].n)
          break;
        at[i] = 0;
      }
  }
fail:
  kg_buf_free(&local);
  return st;
}

static kg_status tm_values(kg_gen *g, const kg_term_map *tm, bool encode,
                           values *vals) {
  switch (tm->kind) {
  case KG_TM_CONSTANT:
    *(value *)kg_arena_push(g->scratch, &vals->v, &vals->n, sizeof(value)) =
        (value){tm->constant, tm->constant_len, KG_NODE_STRING,
                tm->constant_clean};
    return KG_OK;
  case KG_TM_REFERENCE:
    return ref_values(g, tm->ref, vals);
  case KG_TM_TEMPLATE:
    return template_values(g, tm, encode, vals);
  case KG_TM_FRESH: {
    const char *s = kg_arena_printf(g->scratch, "_f%zu_%zu_%zu", g->map_index,
                                    g->doc->index, g->rec_index);
    *(value *)kg_arena_push(g->scratch, &vals->v, &vals->n, sizeof(value)) =
        (value){s, strlen(s), KG_NODE_STRING, false};
    return KG_OK;
  }
  }
  return KG_OK;
}

kg_status kg_gen_terms(kg_gen *g, const kg_term_map *tm, kg_terms *out) {
  kg_status st = KG_OK;
  values vals = {0};
  TRY(tm_values(g, tm, true, &vals));
  for (size_t i = 0; i < vals.n; i++) {
    if (tm->kind == KG_TM_FRESH) {
      kg_term *t = kg_arena_push(g->scratch, &out->v, &out->n, sizeof *t);
      *t = (kg_term){
          .kind = KG_TERM_BLANK, .value = vals.v[i].s, .len = vals.v[i].len};
      continue;
    }
    if (tm->kind != KG_TM_REFERENCE)
      vals.v[i].kind = KG_NODE_STRING; /* no natural datatype */
    TRY(make_term(g, tm, vals.v[i], out));
  }
fail:
  return st;
}

kg_status kg_gen_strings(kg_gen *g, const kg_term_map *tm, kg_strs *out) {
  kg_status st = KG_OK;
  values vals = {0};
  TRY(tm_values(g, tm, false, &vals));
  out->s = kg_arena_alloc(g->scratch, (vals.n + 1) * sizeof *out->s);
  out->len = kg_arena_alloc(g->scratch, (vals.n + 1) * sizeof *out->len);
  for (size_t i = 0; i < vals.n; i++) {
    out->s[i] = vals.v[i].s;
    out->len[i] = vals.v[i].len;
  }
  out->n = vals.n;
fail:
  return st;
}
