/* replay.c - a main() for the fuzz targets without libFuzzer: feeds each
 * file named on the command line to LLVMFuzzerTestOneInput once, so the
 * regression inputs (tests/fuzz/regressions/) run in the normal build and
 * under `make asan`.  A broken contract aborts, as under libFuzzer. */
#include "fuzz.h"

static unsigned char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  unsigned char *buf = NULL;
  size_t cap = 0;
  *len = 0;
  for (;;) {
    if (*len == cap) {
      cap = cap ? 2 * cap : 4096;
      unsigned char *nb = realloc(buf, cap);
      if (!nb)
        abort();
      buf = nb;
    }
    const size_t n = fread(buf + *len, 1, cap - *len, f);
    if (n == 0)
      break;
    *len += n;
  }
  const bool bad = ferror(f) != 0;
  fclose(f);
  if (bad) {
    free(buf);
    return NULL;
  }
  return buf;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    size_t len;
    unsigned char *data = read_all(argv[i], &len);
    if (!data) {
      fprintf(stderr, "replay: cannot read %s\n", argv[i]);
      return 2;
    }
    LLVMFuzzerTestOneInput(data, len);
    free(data);
  }
  return 0;
}
