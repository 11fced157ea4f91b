/* gsp.c - the Graph Store Protocol client (see gsp.h).
 *
 * SPARQL 1.1 Graph Store HTTP Protocol 5.5: POST to the graph's URL adds
 * the body's statements to it (RDF merge).  The graph is named indirectly,
 * ?graph=IRI, or ?default for the default graph.  Authentication is
 * whatever the server asks for: a HEAD request first learns the schemes
 * from its 401 (Virtuoso answers 100 Continue before it checks the
 * credentials, so without that curl would send the whole body twice);
 * with digest, curl then sends an empty POST for the challenge and the
 * body once.  The body must be seekable (curl may rewind it). */
#include "gsp.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* The most of an error body kept for the message. */
#define BODY_CAP 65536

void kg_gsp_init(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

void kg_gsp_cleanup(void) {
  curl_global_cleanup();
}

static size_t read_body(char *buf, size_t size, size_t n, void *h) {
  return fread(buf, size, n, (FILE *)h);
}

static int seek_body(void *h, curl_off_t off, int origin) {
  return fseeko((FILE *)h, (off_t)off, origin) == 0 ? CURL_SEEKFUNC_OK
                                                    : CURL_SEEKFUNC_FAIL;
}

static size_t keep_response(char *data, size_t size, size_t n, void *h) {
  kg_buf *b = h;
  size_t len = size * n;
  if (b->len < BODY_CAP)
    kg_buf_append(b, data, len < BODY_CAP - b->len ? len : BODY_CAP - b->len);
  return len;
}

/* The URL of the graph: endpoint?graph=IRI (percent-encoded) or
 * endpoint?default. */
static char *graph_url(CURL *c, const kg_gsp_request *rq) {
  kg_buf url = {0};
  kg_buf_puts(&url, rq->endpoint);
  kg_buf_putc(&url, strchr(rq->endpoint, '?') ? '&' : '?');
  if (rq->graph) {
    char *esc = curl_easy_escape(c, rq->graph, 0);
    kg_buf_printf(&url, "graph=%s", esc ? esc : "");
    curl_free(esc);
  } else {
    kg_buf_puts(&url, "default");
  }
  return url.data;
}

static bool starts_tag(const char *s, const char *end, const char *name) {
  size_t n = strlen(name);
  if ((size_t)(end - s) < n + 1 || s[0] != '<')
    return false;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)s[1 + i]) != name[i])
      return false;
  return !isalnum((unsigned char)s[1 + n]);
}

/* Skip from a <name ...> to just after its </name>, or to end. */
static const char *skip_element(const char *s, const char *end,
                                const char *name) {
  char close[16];
  snprintf(close, sizeof close, "/%s", name);
  for (; s < end; s++)
    if (starts_tag(s, end, close))
      break;
  while (s < end && *s != '>')
    s++;
  return s < end ? s + 1 : end;
}

static const char *entity(const char *s, const char *end, char *c) {
  static const struct {
    const char *name;
    char c;
  } ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}};
  for (size_t i = 0; i < sizeof ents / sizeof *ents; i++) {
    size_t n = strlen(ents[i].name);
    if ((size_t)(end - s) >= n && memcmp(s, ents[i].name, n) == 0) {
      *c = ents[i].c;
      return s + n;
    }
  }
  *c = '&';
  return s + 1;
}

void kg_gsp_message(const char *body, size_t len, char *out, size_t size) {
  const char *s = body, *end = body + len;
  static const char *const hidden[] = {"style", "script", "head"};
  size_t n = 0;
  bool space = false;
  while (s < end && n + 1 < size) {
    char c = *s;
    bool skipped = false;
    for (size_t i = 0; i < 3 && c == '<' && !skipped; i++)
      if (starts_tag(s, end, hidden[i])) {
        s = skip_element(s, end, hidden[i]);
        skipped = true;
      }
    if (skipped || c == '<') {
      while (!skipped && s < end && *s != '>')
        s++;
      s += !skipped && s < end;
      space = true;
      continue;
    }
    if (c == '&')
      s = entity(s, end, &c);
    else
      s++;
    if (isspace((unsigned char)c) || c == '\0') {
      space = true;
      continue;
    }
    if (space && n > 0 && n + 2 < size)
      out[n++] = ' ';
    space = false;
    out[n++] = c;
  }
  if (size)
    out[n < size ? n : size - 1] = '\0';
}

static kg_status report(const kg_gsp_request *rq, const char *url, long code,
                        const kg_buf *resp, const kg_pos *pos, kg_diag *d) {
  char msg[400];
  kg_gsp_message(resp->data ? resp->data : "", resp->len, msg, sizeof msg);
  const char *hint = code == 401 || code == 403
                         ? (rq->user ? " (the credentials were refused)"
                                     : " (no credentials were set)")
                         : "";
  return kg_error(d, pos, KG_ERR_IO, "%s: %s answered HTTP %ld%s%s%s", rq->what,
                  url, code, hint, msg[0] ? ": " : "", msg);
}

static void set_request(CURL *c, const kg_gsp_request *rq, const char *url,
                        curl_off_t size, struct curl_slist *hdrs, kg_buf *resp,
                        char *errbuf) {
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, size);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(c, CURLOPT_READDATA, rq->body);
  curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, seek_body);
  curl_easy_setopt(c, CURLOPT_SEEKDATA, rq->body);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_response);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  /* Never hang: give up on a server that stops answering. */
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 120L);
}

/* The authentication scheme for url: digest or basic if the server's 401
 * to a HEAD offers them, else whatever it asks for later. */
static long auth_scheme(CURL *c, const char *url) {
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  long avail = 0;
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_HTTPAUTH_AVAIL, &avail);
  curl_easy_reset(c);
  unsigned long offered = (unsigned long)avail;
  if (offered & CURLAUTH_DIGEST)
    return (long)CURLAUTH_DIGEST;
  if (offered & CURLAUTH_BASIC)
    return (long)CURLAUTH_BASIC;
  return (long)CURLAUTH_ANY;
}

static void set_auth(CURL *c, const kg_gsp_request *rq, long scheme) {
  if (!rq->user)
    return;
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, scheme);
  curl_easy_setopt(c, CURLOPT_USERNAME, rq->user);
  curl_easy_setopt(c, CURLOPT_PASSWORD, rq->password ? rq->password : "");
}

kg_status kg_gsp_post(const kg_gsp_request *rq, const kg_pos *pos, kg_diag *d) {
  kg_status st = KG_OK;
  char errbuf[CURL_ERROR_SIZE] = "";
  kg_buf resp = {0}, ct = {0};
  if (fseeko(rq->body, 0, SEEK_END) != 0)
    return kg_error(d, pos, KG_ERR_IO, "%s: cannot read the upload back",
                    rq->what);
  curl_off_t size = (curl_off_t)ftello(rq->body);
  rewind(rq->body);
  CURL *c = curl_easy_init();
  if (!c)
    return kg_error(d, pos, KG_ERR_IO, "%s: cannot start libcurl", rq->what);
  char *url = graph_url(c, rq);
  kg_buf_printf(&ct, "Content-Type: %s", rq->content_type);
  struct curl_slist *hdrs = curl_slist_append(NULL, kg_buf_cstr(&ct));
  long scheme = rq->user ? auth_scheme(c, url) : 0;
  set_request(c, rq, url, size, hdrs, &resp, errbuf);
  set_auth(c, rq, scheme);
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (rc != CURLE_OK)
    st = kg_error(d, pos, KG_ERR_IO, "%s: cannot upload to %s: %s", rq->what,
                  url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
  else if (code < 200 || code > 299)
    st = report(rq, url, code, &resp, pos, d);
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(c);
  free(url);
  kg_buf_free(&resp);
  kg_buf_free(&ct);
  return st;
}
