/* fuzz_rml.c - libFuzzer target for the RML Turtle reader (yarrrml.c).
 *
 * The input is one RML mapping in Turtle, read from memory and finished
 * (kg_mapping_finish resolves joins and checks the model).  Checked: the
 * status agrees with the messages, and a finished mapping is complete:
 * every triples map has a source and a subject map (mapping.h). */
#include "fuzz.h"

#include "rml.h"

static void check_model(const kg_mapping *m) {
  for (size_t i = 0; i < m->nmaps; i++) {
    const kg_triples_map *map = m->maps[i];
    if (!map->source || !map->source->path || map->nsubjects == 0)
      fuzz_fail("a finished triples map without a source or subject");
    for (size_t k = 0; k < map->npoms; k++)
      for (size_t j = 0; j < map->poms[k].nobjects; j++) {
        const kg_object_map *om = &map->poms[k].objects[j];
        if (om->parent_name && !om->parent)
          fuzz_fail("a finished join without its parent map");
      }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_diag fd;
  fuzz_diag_init(&fd);
  kg_mapping *m = kg_mapping_new();
  kg_status st =
      kg_rml_read_mem(m, "fuzz.ttl", NULL, (const char *)data, size, &fd.diag);
  if (st == KG_OK)
    st = kg_mapping_finish(m, &fd.diag);
  fuzz_check_status(&fd, st);
  if (st == KG_OK)
    check_model(m);
  kg_mapping_free(m);
  return 0;
}
