/* diag.c - status strings and the diagnostics sink (see kg.h). */
#include "kg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *kg_strerror(kg_status st) {
  static const char *const names[] = {
      [KG_OK] = "success",
      [KG_DONE] = "end of input",
      [KG_ERR_USAGE] = "usage error",
      [KG_ERR_IO] = "input/output error",
      [KG_ERR_SYNTAX] = "syntax error",
      [KG_ERR_MAPPING] = "mapping error",
      [KG_ERR_DATA] = "data error",
      [KG_ERR_LIMIT] = "limit exceeded",
  };
  if ((unsigned)st < sizeof names / sizeof names[0] && names[st])
    return names[st];
  return "unknown error";
}

static void emit(kg_diag *d, kg_severity sev, const kg_pos *pos,
                 const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void emit(kg_diag *d, kg_severity sev, const kg_pos *pos,
                 const char *fmt, va_list ap) {
  char msg[2048];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (sev == KG_SEV_ERROR)
    d->errors++;
  else if (sev == KG_SEV_WARNING)
    d->warnings++;
  if (d->fn)
    d->fn(d->h, sev, pos, msg);
}

kg_status kg_error(kg_diag *d, const kg_pos *pos, kg_status st,
                   const char *fmt, ...) {
  if (!d)
    return st;
  va_list ap;
  va_start(ap, fmt);
  emit(d, KG_SEV_ERROR, pos, fmt, ap);
  va_end(ap);
  return st;
}

void kg_warn(kg_diag *d, const kg_pos *pos, const char *fmt, ...) {
  if (!d)
    return;
  va_list ap;
  va_start(ap, fmt);
  emit(d, KG_SEV_WARNING, pos, fmt, ap);
  va_end(ap);
}

/* A message on one line: values quoted in it (an IRI, a language tag from
 * the data) may hold line breaks and other control characters. */
static void one_line(char *out, size_t size, const char *msg) {
  static const char hex[] = "0123456789ABCDEF";
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
    const unsigned char c = *p;
    char esc[5] = {(char)c, 0, 0, 0, 0};
    if (c == '\n' || c == '\r' || c == '\t')
      esc[0] = '\\', esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
    else if (c < 0x20 || c == 0x7F)
      esc[0] = '\\', esc[1] = 'x', esc[2] = hex[c >> 4], esc[3] = hex[c & 15];
    const size_t n = strlen(esc);
    if (k + n >= size)
      break;
    memcpy(out + k, esc, n);
    k += n;
  }
  out[k] = '\0';
}

void kg_diag_format(char *buf, size_t size, kg_severity sev, const kg_pos *pos,
                    const char *raw) {
  static const char *const sevs[] = {"error", "warning", "note"};
  const char *s = sevs[sev];
  char msg[2048];
  one_line(msg, sizeof msg, raw);
  if (pos && pos->file && pos->line)
    snprintf(buf, size, "%s:%u:%u: %s: %s", pos->file, pos->line,
             pos->col ? pos->col : 1, s, msg);
  else if (pos && pos->file)
    snprintf(buf, size, "%s: %s: %s", pos->file, s, msg);
  else
    snprintf(buf, size, "kgmap: %s: %s", s, msg);
}
