/* gsp.h - a SPARQL 1.1 Graph Store HTTP Protocol client (libcurl): add
 * the statements of a file to one graph of a store.  Used by sparql
 * targets (target.h). */
#ifndef KG_GSP_H
#define KG_GSP_H

#include <stdio.h>

#include "kg.h"

typedef struct kg_gsp_request {
  const char *endpoint;     /* the Graph Store URL (may hold a query) */
  const char *graph;        /* the graph IRI; NULL: the default graph */
  const char *content_type; /* of body: text/turtle, application/n-triples */
  FILE *body;               /* read from its start; must be seekable */
  const char *user;         /* NULL: no authentication */
  const char *password;     /* basic or digest, as the server asks */
  const char *what;         /* "target 'x'", for messages */
} kg_gsp_request;

/* Call once before the first request and once after the last. */
void kg_gsp_init(void);
void kg_gsp_cleanup(void);

/* POST body to ENDPOINT?graph=IRI (or ?default).  A transport failure or
 * an HTTP status other than 2xx is KG_ERR_IO, reported at pos with the
 * status and the server's message (the text of its HTML error page). */
kg_status kg_gsp_post(const kg_gsp_request *rq, const kg_pos *pos, kg_diag *d);

/* The readable text of an HTTP error body, on one line and at most size-1
 * bytes: tags dropped (with the contents of style, script and head),
 * entities &lt; &gt; &amp; &quot; decoded, white space collapsed. */
void kg_gsp_message(const char *body, size_t len, char *out, size_t size);

#endif
