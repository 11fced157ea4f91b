/* template.c - parsing term-map templates (see template.h).
 *
 * RML (RML-Core 7.3):
 *   template  = *( text / "{" reference "}" )
 *   text      = any char but "{", "}", "\"; or "\{" / "\}" / "\\"
 * YARRRML:
 *   template  = *( text / "$(" reference ")" )
 *   text      = any char; "\$(" stands for a literal "$("
 *   reference = balanced text: brackets, parentheses and quotes nest, so
 *               "$(items[?(@.a == ')')].b)" is one reference.
 *   "$(_name)" is the external value `name` (kg_mapping.externals);
 *   "$(\_name)" is the reference `_name`. */
#include "template.h"

#include <string.h>

#include "term.h"

static void add_text(kg_mapping *m, kg_term_map *tm, kg_buf *text) {
  if (text->len == 0)
    return;
  kg_tpl_part *p = kg_arena_push(m->arena, &tm->parts, &tm->nparts, sizeof *p);
  p->text = kg_arena_strndup(m->arena, text->data, text->len);
  p->len = text->len;
  kg_buf_reset(text);
}

static kg_status add_ref(kg_mapping *m, kg_term_map *tm, const char *ref,
                         size_t len, kg_diag *d) {
  kg_jsonpath *path;
  if (len == 0)
    return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                    "empty reference in template");
  kg_status st = kg_mapping_compile_path(m, ref, len, true, &tm->pos, &path, d);
  if (st != KG_OK)
    return st;
  kg_tpl_part *p = kg_arena_push(m->arena, &tm->parts, &tm->nparts, sizeof *p);
  p->is_ref = true;
  p->text = kg_arena_strndup(m->arena, ref, len);
  p->len = len;
  p->ref = path;
  return KG_OK;
}

static kg_status parse_rml(kg_mapping *m, kg_term_map *tm, const char *s,
                           size_t n, kg_buf *text, kg_diag *d) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '\\') {
      if (i + 1 < n && strchr("{}\\", s[i + 1])) {
        kg_buf_putc(text, s[++i]);
        continue;
      }
      return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                      "invalid escape in template '%.*s': a backslash must "
                      "precede '{', '}' or '\\'",
                      (int)n, s);
    }
    if (c == '}')
      return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                      "unbalanced '}' in template '%.*s'", (int)n, s);
    if (c != '{') {
      kg_buf_putc(text, c);
      continue;
    }
    size_t start = ++i;
    while (i < n && s[i] != '}' && s[i] != '{')
      i += (s[i] == '\\' && i + 1 < n) ? 2 : 1;
    if (i >= n || s[i] != '}')
      return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                      "unterminated '{' in template '%.*s'", (int)n, s);
    add_text(m, tm, text);
    /* The reference is the text between the braces with its escapes
     * undone: {\{Name\}} names the field "{Name}". */
    kg_buf ref = {0};
    for (size_t j = start; j < i; j++)
      kg_buf_putc(&ref, s[j] == '\\' ? s[++j] : s[j]);
    kg_status st = add_ref(m, tm, ref.data ? ref.data : "", ref.len, d);
    kg_buf_free(&ref);
    if (st != KG_OK)
      return st;
  }
  return KG_OK;
}

/* End of a YARRRML reference starting at s[i]: the index of its closing
 * ")", or n when unterminated. */
static size_t yarrrml_ref_end(const char *s, size_t n, size_t i) {
  int depth = 0;
  char quote = 0;
  for (; i < n; i++) {
    char c = s[i];
    if (quote) {
      if (c == '\\')
        i++;
      else if (c == quote)
        quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(' || c == '[') {
      depth++;
    } else if (c == ']' || (c == ')' && depth > 0)) {
      depth--;
    } else if (c == ')') {
      return i;
    }
  }
  return n;
}

static const char *external_value(const kg_mapping *m, const char *name,
                                  size_t len) {
  for (size_t i = 0; i < m->nexternals; i++) {
    const char *e = m->externals[i];
    if (strncmp(e, name, len) == 0 && e[len] == '=')
      return e + len + 1;
  }
  return NULL;
}

static kg_status parse_yarrrml(kg_mapping *m, kg_term_map *tm, const char *s,
                               size_t n, kg_buf *text, kg_diag *d) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\\' && i + 2 < n && s[i + 1] == '$' && s[i + 2] == '(') {
      kg_buf_append(text, "$(", 2);
      i += 2;
      continue;
    }
    if (!(s[i] == '$' && i + 1 < n && s[i + 1] == '(')) {
      kg_buf_putc(text, s[i]);
      continue;
    }
    size_t start = i + 2, end = yarrrml_ref_end(s, n, start);
    if (end >= n)
      return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                      "unterminated '$(' in '%.*s'", (int)n, s);
    i = end;
    if (s[start] == '\\' && s[start + 1] == '_') {
      start++; /* $(\_name): the field "_name", not an external */
    } else if (s[start] == '_') {
      const char *v = external_value(m, s + start + 1, end - start - 1);
      if (!v)
        return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                        "external reference '$(%.*s)' has no value (give it "
                        "with -e %.*s=VALUE)",
                        (int)(end - start), s + start, (int)(end - start - 1),
                        s + start + 1);
      if (!kg_utf8_is_valid(v, strlen(v))) /* -e takes any bytes */
        return kg_error(d, &tm->pos, KG_ERR_MAPPING,
                        "the value of external reference '$(%.*s)' is not "
                        "valid UTF-8",
                        (int)(end - start), s + start);
      kg_buf_puts(text, v);
      continue;
    }
    add_text(m, tm, text);
    kg_status st = add_ref(m, tm, s + start, end - start, d);
    if (st != KG_OK)
      return st;
  }
  return KG_OK;
}

kg_status kg_template_parse(kg_mapping *m, kg_term_map *tm, const char *text,
                            size_t len, kg_tpl_syntax syn, kg_diag *d) {
  kg_buf lit = {0};
  tm->kind = KG_TM_TEMPLATE;
  tm->parts = NULL;
  tm->nparts = 0;
  kg_status st = syn == KG_TPL_RML ? parse_rml(m, tm, text, len, &lit, d)
                                   : parse_yarrrml(m, tm, text, len, &lit, d);
  if (st == KG_OK)
    add_text(m, tm, &lit);
  kg_buf_free(&lit);
  return st;
}
