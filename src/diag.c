/* diag.c - status strings and the diagnostics sink (see kg.h). */
#include "kg.h"

#include <stdarg.h>
#include <stdio.h>

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

void kg_diag_format(char *buf, size_t size, kg_severity sev, const kg_pos *pos,
                    const char *msg) {
  static const char *const sevs[] = {"error", "warning", "note"};
  const char *s = sevs[sev];
  if (pos && pos->file && pos->line)
    snprintf(buf, size, "%s:%u:%u: %s: %s", pos->file, pos->line,
             pos->col ? pos->col : 1, s, msg);
  else if (pos && pos->file)
    snprintf(buf, size, "%s: %s: %s", pos->file, s, msg);
  else
    snprintf(buf, size, "kgmap: %s: %s", s, msg);
}
