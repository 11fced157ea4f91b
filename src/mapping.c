/* mapping.c - building and checking the mapping model (see mapping.h). */
#include "mapping.h"

#include <stdlib.h>
#include <string.h>

#include "term.h"

kg_mapping *kg_mapping_new(void) {
  kg_mapping *m = kg_xcalloc(1, sizeof *m);
  m->arena = kg_arena_new();
  return m;
}

void kg_mapping_free(kg_mapping *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->npaths; i++)
    kg_jsonpath_free(m->paths[i]);
  kg_arena_free(m->arena);
  free(m);
}

void kg_mapping_add_prefix(kg_mapping *m, const char *prefix, const char *iri) {
  for (size_t i = 0; i < m->nprefixes; i++)
    if (strcmp(m->prefixes[i].prefix, prefix) == 0) {
      m->prefixes[i].iri = kg_arena_strdup(m->arena, iri);
      return;
    }
  kg_prefix *p =
      kg_arena_push(m->arena, &m->prefixes, &m->nprefixes, sizeof *p);
  p->prefix = kg_arena_strdup(m->arena, prefix);
  p->iri = kg_arena_strdup(m->arena, iri);
}

const char *kg_mapping_prefix_iri(const kg_mapping *m, const char *prefix,
                                  size_t n) {
  for (size_t i = 0; i < m->nprefixes; i++)
    if (strlen(m->prefixes[i].prefix) == n &&
        memcmp(m->prefixes[i].prefix, prefix, n) == 0)
      return m->prefixes[i].iri;
  return NULL;
}

kg_triples_map *kg_mapping_find_map(const kg_mapping *m, const char *name) {
  for (size_t i = 0; i < m->nmaps; i++)
    if (strcmp(m->maps[i]->name, name) == 0)
      return m->maps[i];
  return NULL;
}

kg_triples_map *kg_mapping_add_map(kg_mapping *m, const char *name,
                                   const kg_pos *pos, kg_diag *d) {
  const kg_triples_map *old = kg_mapping_find_map(m, name);
  if (old) {
    kg_error(d, pos, KG_ERR_MAPPING,
             "mapping '%s' is defined twice (first at %s:%u:%u)", name,
             old->pos.file ? old->pos.file : "?", old->pos.line, old->pos.col);
    return NULL;
  }
  kg_triples_map *tm = kg_arena_alloc(m->arena, sizeof *tm);
  tm->name = kg_arena_strdup(m->arena, name);
  if (pos)
    tm->pos = *pos;
  kg_triples_map **slot =
      kg_arena_push(m->arena, &m->maps, &m->nmaps, sizeof *slot);
  *slot = tm;
  return tm;
}

kg_target *kg_mapping_find_target(const kg_mapping *m, const char *name) {
  for (size_t i = 0; i < m->ntargets; i++)
    if (strcmp(m->targets[i]->name, name) == 0)
      return m->targets[i];
  return NULL;
}

kg_target *kg_mapping_add_target(kg_mapping *m, const kg_target *t,
                                 kg_diag *d) {
  const kg_target *old = kg_mapping_find_target(m, t->name);
  /* Two files in one place would clobber each other; an endpoint may
   * receive several targets. */
  for (size_t i = 0; !old && t->type == KG_TARGET_FILE && i < m->ntargets; i++)
    if (m->targets[i]->type == KG_TARGET_FILE &&
        strcmp(m->targets[i]->access, t->access) == 0)
      old = m->targets[i];
  if (old) {
    bool same = strcmp(old->name, t->name) == 0;
    kg_error(d, &t->pos, KG_ERR_MAPPING,
             "target '%s' %s target '%s' (at %s:%u:%u)", t->name,
             same ? "is defined twice: see" : "writes to the same place as",
             old->name, old->pos.file ? old->pos.file : "?", old->pos.line,
             old->pos.col);
    return NULL;
  }
  if (m->ntargets == KG_MAX_TARGETS) {
    kg_error(d, &t->pos, KG_ERR_LIMIT, "more than %d targets", KG_MAX_TARGETS);
    return NULL;
  }
  kg_target *nt = kg_arena_alloc(m->arena, sizeof *nt);
  *nt = *t;
  nt->name = kg_arena_strdup(m->arena, t->name);
  nt->index = (unsigned)m->ntargets;
  *(kg_target **)kg_arena_push(m->arena, &m->targets, &m->ntargets, sizeof nt) =
      nt;
  return nt;
}

kg_source *kg_mapping_add_source(kg_mapping *m, const char *name,
                                 const char *path, kg_doc_format fmt,
                                 const kg_pos *pos) {
  for (size_t i = 0; i < m->nsources; i++) {
    kg_source *s = m->sources[i];
    if (strcmp(s->path, path) == 0 && s->format == fmt &&
        strcmp(s->name, name ? name : path) == 0)
      return s;
  }
  kg_source *s = kg_arena_alloc(m->arena, sizeof *s);
  s->name = kg_arena_strdup(m->arena, name ? name : path);
  s->path = kg_arena_strdup(m->arena, path);
  s->format = fmt;
  if (pos)
    s->pos = *pos;
  kg_source **slot =
      kg_arena_push(m->arena, &m->sources, &m->nsources, sizeof *slot);
  *slot = s;
  return s;
}

size_t kg_mapping_override_source(kg_mapping *m, const char *name,
                                  const char *path) {
  size_t changed = 0;
  for (size_t i = 0; i < m->nsources; i++)
    if (strcmp(m->sources[i]->name, name) == 0) {
      m->sources[i]->path = kg_arena_strdup(m->arena, path);
      m->sources[i]->format = KG_DOC_AUTO;
      changed++;
    }
  return changed;
}

kg_term_map *kg_term_map_new(kg_mapping *m, kg_tm_kind kind, kg_term_type type,
                             const kg_pos *pos) {
  kg_term_map *tm = kg_arena_alloc(m->arena, sizeof *tm);
  tm->kind = kind;
  tm->type = type;
  if (pos)
    tm->pos = *pos;
  return tm;
}

void kg_term_map_set_constant(kg_mapping *m, kg_term_map *tm, const char *s,
                              size_t n) {
  tm->kind = KG_TM_CONSTANT;
  tm->constant = kg_arena_strndup(m->arena, s, n);
  tm->constant_len = n;
}

/* How much of a long expression a message quotes: 80 bytes, cut at a
 * UTF-8 character boundary. */
static int quoted_len(const char *s, size_t n) {
  if (n <= 80)
    return (int)n;
  size_t k = 80;
  while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
    k--;
  return (int)k;
}

kg_status kg_mapping_compile_path(kg_mapping *m, const char *expr, size_t len,
                                  bool relative, const kg_pos *pos,
                                  kg_jsonpath **out, kg_diag *d) {
  kg_jsonpath_error err = {0};
  kg_status st = kg_jsonpath_compile(out, expr, len, relative, &err);
  if (st != KG_OK)
    return kg_error(d, pos, st, "invalid JSONPath '%.*s%s' (at offset %zu): %s",
                    quoted_len(expr, len), expr,
                    (size_t)quoted_len(expr, len) < len ? "..." : "",
                    err.offset, err.msg);
  kg_jsonpath **slot =
      kg_arena_push(m->arena, &m->paths, &m->npaths, sizeof *slot);
  *slot = *out;
  return KG_OK;
}

kg_pom *kg_map_add_pom(kg_mapping *m, kg_triples_map *tm, const kg_pos *pos) {
  kg_pom *pom = kg_arena_push(m->arena, &tm->poms, &tm->npoms, sizeof *pom);
  if (pos)
    pom->pos = *pos;
  return pom;
}

kg_object_map *kg_pom_add_object(kg_mapping *m, kg_pom *pom,
                                 const kg_pos *pos) {
  kg_object_map *om =
      kg_arena_push(m->arena, &pom->objects, &pom->nobjects, sizeof *om);
  if (pos)
    om->pos = *pos;
  return om;
}

static void push_tm(kg_mapping *m, kg_term_map ***arr, size_t *n,
                    kg_term_map *tm) {
  kg_term_map **slot = kg_arena_push(m->arena, arr, n, sizeof *slot);
  *slot = tm;
}

void kg_pom_add_predicate(kg_mapping *m, kg_pom *pom, kg_term_map *tm) {
  push_tm(m, &pom->predicates, &pom->npredicates, tm);
}

void kg_pom_add_graph(kg_mapping *m, kg_pom *pom, kg_term_map *tm) {
  push_tm(m, &pom->graphs, &pom->ngraphs, tm);
}

void kg_map_add_subject(kg_mapping *m, kg_triples_map *tm, kg_term_map *s) {
  push_tm(m, &tm->subjects, &tm->nsubjects, s);
}

void kg_map_add_graph(kg_mapping *m, kg_triples_map *tm, kg_term_map *g) {
  push_tm(m, &tm->graphs, &tm->ngraphs, g);
}

void kg_map_add_class(kg_mapping *m, kg_triples_map *tm, const char *iri) {
  const char **slot =
      kg_arena_push(m->arena, &tm->classes, &tm->nclasses, sizeof *slot);
  *slot = kg_arena_strdup(m->arena, iri);
}

kg_join *kg_object_add_join(kg_mapping *m, kg_object_map *om) {
  return kg_arena_push(m->arena, &om->joins, &om->njoins, sizeof(kg_join));
}

/* --- kg_mapping_finish: resolve and check ------------------------------ */

/* See kg_term_map.valid_iris. */
static bool template_valid_iris(const kg_term_map *tm) {
  if (tm->kind != KG_TM_TEMPLATE || tm->type != KG_TT_IRI || tm->nparts == 0 ||
      tm->parts[0].is_ref ||
      !kg_iri_has_scheme(tm->parts[0].text, tm->parts[0].len))
    return false;
  for (size_t i = 0; i < tm->nparts; i++) {
    const kg_tpl_part *p = &tm->parts[i];
    if (!p->is_ref && (memchr(p->text, '%', p->len) ||
                       (p->len && !kg_iri_is_absolute_part(p->text, p->len))))
      return false;
  }
  return true;
}

static kg_status check_term_map(kg_term_map *tm, const char *role,
                                const kg_triples_map *map, kg_diag *d) {
  tm->valid_iris = template_valid_iris(tm);
  tm->constant_clean = tm->kind == KG_TM_CONSTANT && tm->constant &&
                       kg_iri_has_scheme(tm->constant, tm->constant_len) &&
                       kg_iri_is_clean(tm->constant, tm->constant_len);
  tm->text_clean = tm->kind == KG_TM_TEMPLATE;
  for (size_t i = 0; i < tm->nparts; i++)
    if (!tm->parts[i].is_ref &&
        !kg_iri_is_clean(tm->parts[i].text, tm->parts[i].len))
      tm->text_clean = false;
  if (tm->kind == KG_TM_CONSTANT && tm->type != KG_TT_LITERAL &&
      tm->type != KG_TT_BLANK && !tm->constant)
    return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                    "%s of mapping '%s' has no value", role, map->name);
  /* Absolute constant IRIs are checked once here, not per statement
   * (termgen.c); relative ones when resolved against the base. */
  if (tm->kind == KG_TM_CONSTANT && tm->constant &&
      (tm->type == KG_TT_IRI || tm->type == KG_TT_URI) &&
      kg_iri_has_scheme(tm->constant, tm->constant_len) &&
      !kg_iri_is_absolute(tm->constant, tm->constant_len))
    return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                    "%s of mapping '%s' is the invalid IRI '%s'", role,
                    map->name, tm->constant);
  /* termgen.c trusts a constant datatype as much as any constant IRI */
  if (tm->datatype)
    return check_term_map(tm->datatype, "datatype", map, d);
  return KG_OK;
}

static kg_status check_subject(kg_term_map *s, const kg_triples_map *map,
                               kg_diag *d) {
  if (s->type == KG_TT_LITERAL)
    return kg_error(d, &s->pos, KG_ERR_MAPPING,
                    "subject of mapping '%s' cannot be a literal", map->name);
  return check_term_map(s, "subject", map, d);
}

static kg_status check_pom(kg_mapping *m, kg_triples_map *map, kg_pom *pom,
                           kg_diag *d) {
  kg_status st = KG_OK;
  for (size_t i = 0; i < pom->npredicates; i++) {
    kg_term_map *p = pom->predicates[i];
    if (!kg_tt_is_iri(p->type))
      return kg_error(d, &p->pos, KG_ERR_MAPPING,
                      "predicate of mapping '%s' must be an IRI", map->name);
    TRY(check_term_map(p, "predicate", map, d));
  }
  for (size_t i = 0; i < pom->ngraphs; i++) {
    if (!kg_tt_is_iri(pom->graphs[i]->type))
      return kg_error(d, &pom->graphs[i]->pos, KG_ERR_MAPPING,
                      "graph of mapping '%s' must be an IRI", map->name);
    TRY(check_term_map(pom->graphs[i], "graph", map, d));
  }
  for (size_t i = 0; i < pom->nobjects; i++) {
    kg_object_map *om = &pom->objects[i];
    if (!om->parent_name && !om->parent) {
      if (!om->tm)
        return kg_error(d, &om->pos, KG_ERR_MAPPING,
                        "object of mapping '%s' has no value", map->name);
      TRY(check_term_map(om->tm, "object", map, d));
      continue;
    }
    if (!om->parent) {
      om->parent = kg_mapping_find_map(m, om->parent_name);
      if (!om->parent)
        return kg_error(d, &om->pos, KG_ERR_MAPPING,
                        "mapping '%s' joins to unknown mapping '%s'", map->name,
                        om->parent_name);
    }
  }
fail:
  return st;
}

kg_status kg_mapping_finish(kg_mapping *m, kg_diag *d) {
  kg_status st = KG_OK;
  for (size_t i = 0; i < m->nmaps; i++) {
    kg_triples_map *map = m->maps[i];
    if (!map->source)
      return kg_error(d, &map->pos, KG_ERR_MAPPING,
                      "mapping '%s' has no data source", map->name);
    if (map->nsubjects == 0)
      return kg_error(d, &map->pos, KG_ERR_MAPPING,
                      "mapping '%s' has no subject", map->name);
    for (size_t k = 0; k < map->nsubjects; k++)
      TRY(check_subject(map->subjects[k], map, d));
    for (size_t k = 0; k < map->ngraphs; k++) {
      if (!kg_tt_is_iri(map->graphs[k]->type))
        return kg_error(d, &map->graphs[k]->pos, KG_ERR_MAPPING,
                        "graph of mapping '%s' must be an IRI", map->name);
      TRY(check_term_map(map->graphs[k], "graph", map, d));
    }
    map->classes_clean = true;
    for (size_t k = 0; k < map->nclasses; k++) {
      const size_t len = strlen(map->classes[k]);
      if (!kg_iri_is_absolute(map->classes[k], len))
        return kg_error(d, &map->pos, KG_ERR_MAPPING,
                        "class of mapping '%s' is the invalid IRI '%s'",
                        map->name, map->classes[k]);
      map->classes_clean &= kg_iri_is_clean(map->classes[k], len);
    }
    for (size_t k = 0; k < map->npoms; k++)
      TRY(check_pom(m, map, &map->poms[k], d));
  }
fail:
  return st;
}

static bool has_named_graph(kg_term_map *const *g, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!(g[i]->kind == KG_TM_CONSTANT &&
          strcmp(g[i]->constant, KG_RML_DEFAULT_GRAPH) == 0))
      return true;
  return false;
}

bool kg_mapping_has_graphs(const kg_mapping *m) {
  for (size_t i = 0; i < m->nmaps; i++) {
    const kg_triples_map *map = m->maps[i];
    if (has_named_graph(map->graphs, map->ngraphs))
      return true;
    for (size_t k = 0; k < map->npoms; k++)
      if (has_named_graph(map->poms[k].graphs, map->poms[k].ngraphs))
        return true;
  }
  return false;
}
