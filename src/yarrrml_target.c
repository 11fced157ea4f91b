/* yarrrml_target.c - YARRRML `targets` (see yarrrml_target.h).
 *
 * Grammar read here (YARRRML "Targets", with the shortcuts of the
 * reference parser):
 *
 *   targets    = { NAME: target ... }
 *   target     = ACCESS[~TYPE]
 *              | [ ACCESS[~TYPE], SERIALIZATION?, COMPRESSION? ]
 *              | { access, type, serialization, compression,
 *                  graph, userVariable, passwordVariable }
 *   TYPE       = localfile (default) | sparql
 *   SERIALIZATION = turtle | ntriples | nquads (default) | trig
 *                 (or their W3C format IRIs, formats:Turtle ...)
 *   COMPRESSION   = none (default) | gzip
 *   refs       = NAME | [ NAME ... ]                 where `targets:` is used
 *
 * graph, userVariable and passwordVariable are kgmap's: the graph that
 * receives a sparql target's default-graph statements, and the names of
 * the environment variables that hold its credentials.  A password is
 * never read from the mapping. */
#include "yarrrml_target.h"

#include <stdio.h>
#include <string.h>

typedef struct treader {
  kg_mapping *m;
  const char *file;
  const char *dir;
  kg_diag *d;
} treader;

static const struct {
  const char *name;
  const char *canonical;
} serializations[] = {
    {"turtle", "turtle"},
    {"ttl", "turtle"},
    {"http://www.w3.org/ns/formats/Turtle", "turtle"},
    {"ntriples", "ntriples"},
    {"nt", "ntriples"},
    {"http://www.w3.org/ns/formats/N-Triples", "ntriples"},
    {"nquads", "nquads"},
    {"nq", "nquads"},
    {"http://www.w3.org/ns/formats/N-Quads", "nquads"},
    {"trig", "trig"},
    {"http://www.w3.org/ns/formats/TriG", "trig"},
};

static const char *const target_keys[] = {
    "access", "type",         "serialization",    "compression",
    "graph",  "userVariable", "passwordVariable",
};

static kg_pos at(const treader *r, const kg_node *n) {
  return (kg_pos){r->file, n->line, n->col};
}

static bool scalar(const kg_node *n) {
  return n && n->kind != KG_NODE_SEQ && n->kind != KG_NODE_MAP &&
         n->kind != KG_NODE_NULL;
}

static kg_status want_string(treader *r, const kg_node *n, const char *what) {
  if (scalar(n))
    return KG_OK;
  kg_pos pos = at(r, n);
  return kg_error(r->d, &pos, KG_ERR_MAPPING, "%s must be a string", what);
}

static kg_status read_serialization(treader *r, const kg_node *n,
                                    kg_target *t) {
  kg_status st = want_string(r, n, "a target's 'serialization'");
  if (st != KG_OK)
    return st;
  const char *s = n->text;
  if (strncmp(s, "formats:", 8) == 0)
    s += 8;
  for (size_t i = 0; i < sizeof serializations / sizeof *serializations; i++) {
    const char *name = serializations[i].name;
    const char *tail = strrchr(name, '/');
    if (strcmp(s, name) == 0 ||
        (s != n->text && tail && !strcmp(s, tail + 1))) {
      t->serialization = serializations[i].canonical;
      return KG_OK;
    }
  }
  kg_pos pos = at(r, n);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "target serialization '%s' is not supported (turtle, "
                  "ntriples, nquads, trig)",
                  n->text);
}

static kg_status read_compression(treader *r, const kg_node *n, kg_target *t) {
  kg_status st = want_string(r, n, "a target's 'compression'");
  if (st != KG_OK)
    return st;
  const char *s = n->text;
  if (strncmp(s, "comp:", 5) == 0)
    s += 5;
  else if (strncmp(s, "http://semweb.mmlab.be/ns/rml-compression#", 41) == 0)
    s += 41;
  if (strcmp(s, "gzip") == 0 || strcmp(s, "none") == 0) {
    t->gzip = s[0] == 'g';
    return KG_OK;
  }
  kg_pos pos = at(r, n);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "target compression '%s' is not supported (none, gzip)",
                  n->text);
}

static kg_status read_type(treader *r, const kg_node *n, const char *s,
                           size_t len, kg_target *t) {
  if (len == 9 && memcmp(s, "localfile", 9) == 0) {
    t->type = KG_TARGET_FILE;
    return KG_OK;
  }
  if (len == 6 && memcmp(s, "sparql", 6) == 0) {
    t->type = KG_TARGET_SPARQL;
    return KG_OK;
  }
  kg_pos pos = at(r, n);
  return kg_error(r->d, &pos, KG_ERR_MAPPING,
                  "YARRRML target type '%.*s' is not supported yet "
                  "(localfile, sparql)",
                  (int)len, s);
}

static bool is_url(const char *s) {
  return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* The access: a file resolved against the mapping's directory, or the
 * endpoint URL of a sparql target. */
static kg_status set_access(treader *r, const kg_node *n, const char *s,
                            size_t len, kg_target *t) {
  kg_pos pos = at(r, n);
  char *a = kg_arena_strndup(r->m->arena, s, len);
  if (len == 0)
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "target '%s' needs an 'access'",
                    t->name);
  if (t->type == KG_TARGET_SPARQL) {
    if (!is_url(a))
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "sparql target '%s': the access must be an http:// or "
                      "https:// URL, not '%s'",
                      t->name, a);
    const char *host = strstr(a, "://") + 3;
    size_t authority = strcspn(host, "/?#");
    if (memchr(host, '@', authority))
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "sparql target '%s': credentials are never read from "
                      "the mapping (not from the URL either): set them in "
                      "the environment",
                      t->name);
    t->access = a;
    return KG_OK;
  }
  if (is_url(a))
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "target '%s': '%s' is a URL: write '%s~sparql' for a "
                    "SPARQL Graph Store endpoint",
                    t->name, a, a);
  t->access = a[0] == '/' || !r->dir
                  ? a
                  : kg_arena_printf(r->m->arena, "%s/%s", r->dir, a);
  return KG_OK;
}

/* ACCESS[~TYPE] */
static kg_status read_access_type(treader *r, const kg_node *n, kg_target *t) {
  kg_status st = want_string(r, n, "a target's access");
  if (st != KG_OK)
    return st;
  const char *tilde = strrchr(n->text, '~');
  size_t alen = tilde ? (size_t)(tilde - n->text) : n->len;
  if (tilde) {
    size_t tlen = n->len - alen - 1;
    st = read_type(r, n, tilde + 1, tlen, t);
    if (st != KG_OK)
      return st;
  }
  return set_access(r, n, n->text, alen, t);
}

/* [ ACCESS~TYPE, SERIALIZATION?, COMPRESSION? ] */
static kg_status short_target(treader *r, const kg_node *n, kg_target *t) {
  kg_status st = KG_OK;
  if (n->n < 1 || n->n > 3) {
    kg_pos pos = at(r, n);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "target '%s' must be [access~type, serialization, "
                    "compression]",
                    t->name);
  }
  TRY(read_access_type(r, n->items[0], t));
  if (n->n >= 2)
    TRY(read_serialization(r, n->items[1], t));
  if (n->n == 3)
    TRY(read_compression(r, n->items[2], t));
fail:
  return st;
}

static kg_status check_keys(treader *r, const kg_node *n, const kg_target *t) {
  for (size_t i = 0; i < n->n; i++) {
    const kg_node *k = n->keys[i];
    bool known = false;
    for (size_t j = 0; j < sizeof target_keys / sizeof *target_keys; j++)
      known = known || strcmp(k->text, target_keys[j]) == 0;
    kg_pos pos = at(r, k);
    if (!known && (strstr(k->text, "password") || strstr(k->text, "auth") ||
                   strstr(k->text, "user")))
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "target '%s': credentials are never read from the "
                      "mapping: name the environment variables that hold "
                      "them with 'userVariable' and 'passwordVariable'",
                      t->name);
    if (!known)
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "unknown key '%s' in target '%s' (access, type, "
                      "serialization, compression, graph, userVariable, "
                      "passwordVariable)",
                      k->text, t->name);
    if (scalar(n->items[i]))
      continue;
    pos = at(r, n->items[i]);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "'%s' in target '%s' must be a string", k->text, t->name);
  }
  return KG_OK;
}

/* { access, type, serialization, compression, graph, userVariable,
 *   passwordVariable } */
static kg_status long_target(treader *r, const kg_node *n, kg_target *t) {
  kg_status st = KG_OK;
  TRY(check_keys(r, n, t));
  const kg_node *type = kg_node_get(n, "type"), *a = kg_node_get(n, "access");
  if (type)
    TRY(read_type(r, type, type->text, type->len, t));
  if (!a) {
    kg_pos pos = at(r, n);
    return kg_error(r->d, &pos, KG_ERR_MAPPING, "target '%s' needs an 'access'",
                    t->name);
  }
  TRY(set_access(r, a, a->text, a->len, t));
  const kg_node *v;
  if ((v = kg_node_get(n, "serialization")))
    TRY(read_serialization(r, v, t));
  if ((v = kg_node_get(n, "compression")))
    TRY(read_compression(r, v, t));
  const char *only[] = {"graph", "userVariable", "passwordVariable"};
  const char **dst[] = {&t->graph, &t->user_var, &t->password_var};
  for (size_t i = 0; i < 3; i++) {
    if (!(v = kg_node_get(n, only[i])))
      continue;
    kg_pos pos = at(r, v);
    if (t->type != KG_TARGET_SPARQL)
      return kg_error(r->d, &pos, KG_ERR_MAPPING,
                      "'%s' is for sparql targets ('%s' is a local file)",
                      only[i], t->name);
    *dst[i] = kg_arena_strdup(r->m->arena, v->text);
  }
fail:
  return st;
}

static kg_status read_target(treader *r, const kg_node *key, const kg_node *n) {
  kg_status st = KG_OK;
  kg_target t = {.name = key->text,
                 .type = KG_TARGET_FILE,
                 .serialization = "nquads",
                 .pos = at(r, key)};
  if (n->kind == KG_NODE_MAP)
    TRY(long_target(r, n, &t));
  else if (n->kind == KG_NODE_SEQ)
    TRY(short_target(r, n, &t));
  else
    TRY(read_access_type(r, n, &t));
  if (t.type == KG_TARGET_SPARQL && t.gzip) {
    kg_pos pos = at(r, n);
    return kg_error(r->d, &pos, KG_ERR_MAPPING,
                    "sparql target '%s' cannot be compressed", t.name);
  }
  if (!kg_mapping_add_target(r->m, &t, r->d))
    return KG_ERR_MAPPING;
fail:
  return st;
}

kg_status kg_yarrrml_read_targets(kg_mapping *m, const char *file,
                                  const char *dir, const kg_node *n,
                                  kg_diag *d) {
  kg_status st = KG_OK;
  treader r = {m, file, dir, d};
  if (n->kind != KG_NODE_MAP) {
    kg_pos pos = at(&r, n);
    return kg_error(d, &pos, KG_ERR_MAPPING,
                    "'targets' must be a map of named targets");
  }
  for (size_t i = 0; i < n->n; i++)
    TRY(read_target(&r, n->keys[i], n->items[i]));
fail:
  return st;
}

kg_status kg_yarrrml_target_refs(const kg_mapping *m, const char *file,
                                 const kg_node *n, kg_target_set *out,
                                 kg_diag *d) {
  size_t count = n->kind == KG_NODE_SEQ ? n->n : 1;
  for (size_t i = 0; i < count; i++) {
    const kg_node *ref = n->kind == KG_NODE_SEQ ? n->items[i] : n;
    kg_pos pos = {file, ref->line, ref->col};
    if (!scalar(ref))
      return kg_error(d, &pos, KG_ERR_MAPPING,
                      "'targets' names targets declared under the top-level "
                      "'targets' (inline targets are not supported)");
    const kg_target *t = kg_mapping_find_target(m, ref->text);
    if (!t)
      return kg_error(d, &pos, KG_ERR_MAPPING,
                      "unknown target '%s' (declare it under the top-level "
                      "'targets')",
                      ref->text);
    *out |= (kg_target_set)1 << t->index;
  }
  if (count == 0) {
    kg_pos pos = {file, n->line, n->col};
    return kg_error(d, &pos, KG_ERR_MAPPING, "'targets' is an empty list");
  }
  return KG_OK;
}
