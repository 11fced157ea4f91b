/* parallel.c - one process or N workers (see parallel.h).
 *
 * The workers claim chunks from a counter in a page shared by all of
 * them (an anonymous shared mapping made before the fork): a worker that
 * ends its chunk takes the next number, so a worker that runs faster (or
 * that the machine favours) maps more chunks.
 *
 * The output of a worker does not go through its pipe: each worker has a
 * ring of RING_BYTES shared with the parent.  The worker's body writer
 * fills the ring; the parent writes the bytes out from there, in place,
 * and then publishes how far it has read (ring.tail) and wakes the worker
 * with a byte on its ack pipe.  The pipe carries only frames: a fixed
 * header, then `len` payload bytes for 'M' and 'E'.
 *   'K' claim: the worker holds chunk `len` (claimed at the first
 *       document after its last chunk, before anything of the new one)
 *   'P' piece: the next `len` bytes of the ring belong to the worker's
 *       current chunk (sent when the ring is full, before the worker
 *       waits for room)
 *   'C' chunk a: the next `len` bytes of the ring end chunk a (the chunk
 *       number, mod 2^32)
 *   'M' message: a severity, b line, c column; payload: a byte (1 if the
 *       message has a position), the file name, NUL, the message, NUL
 *   'E' end: a status; payload: the six counters of kg_eval_stats, then
 *       the per-map counters that the options ask for (map_counters)
 * A worker sends the messages of a chunk between its 'K' and its 'C', and
 * 'E' last (after an error, right after that error's messages; at the end
 * of the documents, after a 'K' for a chunk past them).
 *
 * The parent writes chunk c, c = 0, 1, ...: it finds the worker that
 * claimed c by reading the next 'K' of each worker whose claim it does
 * not know (a worker sends its next 'K' right after its 'C', with an
 * empty ring: it never waits for the parent before that), then that
 * worker's frames up to the 'C' of c.  Claims are made in increasing
 * order, so when every worker has told a claim and none is c, chunk c was
 * never claimed: the documents ended.  An 'E' in place of a chunk ends
 * the run.  The parent, waiting for chunk c, always consumes its owner's
 * ring, whose unread bytes then all belong to chunk c: that worker can
 * always go on.  A worker ahead of the parent waits when its ring is
 * full; its memory is the ring, whatever the chunk's size. */
#define _GNU_SOURCE
#include "parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum { RING_BYTES = 4 << 20, RING_HEAD = 4096 };

typedef struct frame {
  uint32_t type, a, b, c;
  uint64_t len;
} frame;

/* The start of a shared mapping of RING_HEAD + RING_BYTES bytes. */
typedef struct ring {
  _Atomic uint64_t tail; /* bytes the parent has written out */
} ring;

static char *ring_data(ring *r) {
  return (char *)r + RING_HEAD;
}

/* The page that the workers share (a mapping of RING_HEAD bytes). */
typedef struct claims {
  _Atomic uint64_t next; /* the next chunk that no worker holds */
} claims;

/* --- -j 1 -------------------------------------------------------------- */

static kg_status break_writer(void *h) { return kg_writer_break(h); }

/* --- I/O helpers ------------------------------------------------------- */

static bool write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n) {
    const ssize_t k = write(fd, c, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return false;
    c += k;
    n -= (size_t)k;
  }
  return true;
}

/* Bytes read: n, or fewer at the end of the pipe or on an error. */
static size_t read_all(int fd, void *p, size_t n) {
  char *c = p;
  size_t got = 0;
  while (got < n) {
    const ssize_t k = read(fd, c + got, n - got);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      break;
    got += (size_t)k;
  }
  return got;
}

/* 'P' and 'C' have no payload: their bytes are in the ring. */
static bool send_frame(int fd, frame f, const void *payload) {
  return write_all(fd, &f, sizeof f) &&
         (!payload || write_all(fd, payload, (size_t)f.len));
}

/* The per-map counters that the caller asked for (kg_eval_options), in
 * the order a worker's 'E' carries them after the six of kg_eval_stats:
 * each worker counts into its copy, and the parent adds them up. */
static size_t map_counters(const kg_eval_options *eo, size_t *v[3]) {
  size_t k = 0;
  if (eo->map_statements)
    v[k++] = eo->map_statements;
  if (eo->map_no_subject)
    v[k++] = eo->map_no_subject;
  if (eo->skipped_by_map)
    v[k++] = eo->skipped_by_map;
  return k;
}

/* The payload of an 'E' frame, in 64-bit counters. */
static size_t end_counters(const kg_eval_options *eo, size_t nmaps) {
  size_t *v[3];
  return 6 + map_counters(eo, v) * nmaps;
}

/* --- the worker -------------------------------------------------------- */

typedef struct worker {
  int fd;  /* frames to the parent */
  int ack; /* wake-ups from the parent */
  ring *r;
  claims *c;
  uint64_t head; /* bytes put in the ring */
  uint64_t sent; /* bytes of the ring announced by 'P' and 'C' frames */
  kg_writer *bw;
  kg_buf msg;
  bool pipe_broken;
} worker;

/* Announce the ring's new bytes, then wait until the parent has read
 * some: false when the parent is gone. */
static bool wait_for_room(worker *wk) {
  if (wk->head > wk->sent) {
    const frame f = {'P', 0, 0, 0, wk->head - wk->sent};
    if (!send_frame(wk->fd, f, NULL))
      return false;
    wk->sent = wk->head;
  }
  char b[64];
  for (;;) {
    const ssize_t k = read(wk->ack, b, sizeof b);
    if (k > 0)
      return true;
    if (k == 0 || errno != EINTR)
      return false;
  }
}

/* The body writer's output stream: into the ring. */
static ssize_t ring_write(void *cookie, const char *p, size_t n) {
  worker *wk = cookie;
  char *data = ring_data(wk->r);
  const size_t total = n;
  while (n) {
    const uint64_t tail =
        atomic_load_explicit(&wk->r->tail, memory_order_acquire);
    const size_t room = RING_BYTES - (size_t)(wk->head - tail);
    if (room == 0) {
      if (!wait_for_room(wk)) {
        wk->pipe_broken = true;
        errno = EPIPE;
        return -1;
      }
      continue;
    }
    const size_t off = (size_t)(wk->head % RING_BYTES);
    size_t k = n < room ? n : room;
    if (k > RING_BYTES - off)
      k = RING_BYTES - off;
    memcpy(data + off, p, k);
    wk->head += k;
    p += k;
    n -= k;
  }
  return (ssize_t)total;
}

static kg_status worker_break(void *h) {
  const worker *wk = h;
  return kg_writer_break(wk->bw);
}

static kg_status send_chunk(void *h, size_t chunk) {
  worker *wk = h;
  kg_status st = kg_writer_end_body(wk->bw);
  if (st != KG_OK)
    return st;
  const frame f = {'C', (uint32_t)chunk, 0, 0, wk->head - wk->sent};
  if (!send_frame(wk->fd, f, NULL)) {
    wk->pipe_broken = true;
    return KG_ERR_IO;
  }
  wk->sent = wk->head;
  return KG_OK;
}

static kg_status claim_chunk(void *h, size_t *chunk) {
  worker *wk = h;
  const uint64_t c =
      atomic_fetch_add_explicit(&wk->c->next, 1, memory_order_relaxed);
  const frame f = {'K', 0, 0, 0, c};
  if (!send_frame(wk->fd, f, NULL)) {
    wk->pipe_broken = true;
    return KG_ERR_IO;
  }
  *chunk = (size_t)c;
  return KG_OK;
}

static void send_message(void *h, kg_severity sev, const kg_pos *pos,
                         const char *msg) {
  worker *wk = h;
  kg_buf_reset(&wk->msg);
  kg_buf_putc(&wk->msg, pos ? 1 : 0);
  if (pos && pos->file)
    kg_buf_puts(&wk->msg, pos->file);
  kg_buf_putc(&wk->msg, '\0');
  kg_buf_puts(&wk->msg, msg);
  kg_buf_putc(&wk->msg, '\0');
  const frame f = {'M', (uint32_t)sev, pos ? pos->line : 0, pos ? pos->col : 0,
                   wk->msg.len};
  if (!send_frame(wk->fd, f, wk->msg.data))
    wk->pipe_broken = true;
}

/* The body of worker w of n; never returns. */
static void run_worker(kg_eval_t *e, const kg_eval_options *eo, size_t nmaps,
                       size_t w, size_t n, int fd, int ack, ring *r, claims *c,
                       const kg_writer *like, kg_sink_fn sink) {
  signal(SIGINT, SIG_DFL); /* the parent removes the temporary output */
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  worker wk = {.fd = fd, .ack = ack, .r = r, .c = c};
  static const cookie_io_functions_t io = {.write = ring_write};
  FILE *f = fopencookie(&wk, "w", io);
  kg_status st = KG_ERR_IO;
  kg_eval_stats stats = {0};
  if (f) {
    setvbuf(f, NULL, _IONBF, 0); /* the writer buffers: no second copy */
    wk.bw = kg_writer_new_body(f, like);
    kg_diag wd = {send_message, &wk, 0, 0};
    kg_eval_options o = *eo;
    o.select.workers = n;
    o.select.chunk_docs = KG_PARALLEL_CHUNK;
    o.select.claim = claim_chunk;
    o.doc_done = worker_break;
    o.chunk_done = send_chunk;
    o.cb_h = &wk;
    st = kg_eval_run(e, &o, sink, wk.bw, &stats, &wd);
  }
  const size_t nc = end_counters(eo, nmaps);
  uint64_t *counts = kg_xcalloc(nc, sizeof *counts);
  counts[0] = stats.documents;
  counts[1] = stats.records;
  counts[2] = stats.statements;
  counts[3] = stats.no_subject;
  counts[4] = stats.skipped;
  counts[5] = w == 0 ? stats.parents_skipped : 0; /* pass 1 ran once */
  size_t *v[3];
  const size_t k = map_counters(eo, v);
  for (size_t a = 0; a < k; a++)
    for (size_t i = 0; i < nmaps; i++)
      counts[6 + a * nmaps + i] = v[a][i];
  const frame end = {'E', (uint32_t)st, 0, 0, nc * sizeof *counts};
  if (!wk.pipe_broken)
    send_frame(fd, end, counts);
  free(counts);
  _exit(0);
}

/* --- the parent -------------------------------------------------------- */

typedef struct pool {
  size_t n;
  pid_t *pid;
  int *fd;        /* frames from worker i */
  int *ack;       /* wake-ups to worker i (non-blocking) */
  ring **r;       /* worker i's ring */
  uint64_t *read; /* bytes of ring i written out */
  claims *c;
  uint64_t *held; /* the chunk worker i holds, when known[i] */
  bool *known;
  bool *ended;
  size_t errors; /* error messages relayed */
  const kg_eval_options *eo;
  size_t nmaps;
  kg_buf buf;
  kg_diag *d;
  kg_eval_stats stats;
} pool;

/* Relay one 'M' frame to d, as if the message were this process's. */
static kg_status relay_message(pool *p, const frame *f) {
  const char *b = p->buf.data;
  if (f->len < 3 || b[f->len - 1] != '\0')
    return KG_ERR_IO;
  const char *file = b + 1;
  const size_t flen = strlen(file);
  if (flen + 3 > f->len)
    return KG_ERR_IO;
  const kg_pos pos = {flen ? file : NULL, f->b, f->c};
  const kg_severity sev = (kg_severity)f->a;
  if (sev == KG_SEV_ERROR) {
    p->d->errors++;
    p->errors++;
  } else if (sev == KG_SEV_WARNING) {
    p->d->warnings++;
  }
  if (p->d->fn)
    p->d->fn(p->d->h, sev, b[0] ? &pos : NULL, file + flen + 1);
  return KG_OK;
}

/* The next frame of worker i with its payload ('M' and 'E' only) in
 * p->buf. */
static bool read_frame(pool *p, size_t i, frame *f) {
  if (read_all(p->fd[i], f, sizeof *f) != sizeof *f)
    return false;
  kg_buf_reset(&p->buf);
  if (f->type != 'M' && f->type != 'E')
    return true;
  if (f->len > (f->type == 'E'
                    ? end_counters(p->eo, p->nmaps) * sizeof(uint64_t)
                    : 1 << 20))
    return false;
  kg_buf_reserve(&p->buf, (size_t)f->len + 1);
  if (read_all(p->fd[i], p->buf.data, (size_t)f->len) != f->len)
    return false;
  p->buf.len = (size_t)f->len;
  return true;
}

static kg_status worker_lost(pool *p, size_t i) {
  return kg_error(p->d, NULL, KG_ERR_IO,
                  "worker %zu of %zu stopped before "
                  "its end",
                  i + 1, p->n);
}

/* Write the next n bytes of worker i's ring into w (the chunk goes on
 * when *started), then give the worker the room back. */
static kg_status take(pool *p, size_t i, uint64_t n, kg_writer *w,
                      bool *started) {
  if (n > RING_BYTES)
    return worker_lost(p, i); /* more than the worker can have put */
  kg_status st = KG_OK;
  const char *data = ring_data(p->r[i]);
  while (n && st == KG_OK) {
    const size_t off = (size_t)(p->read[i] % RING_BYTES);
    const size_t k = n < RING_BYTES - off ? (size_t)n : RING_BYTES - off;
    st = kg_writer_splice(w, data + off, k, *started);
    *started = true;
    p->read[i] += k;
    n -= k;
  }
  atomic_store_explicit(&p->r[i]->tail, p->read[i], memory_order_release);
  /* A full ack pipe already holds a wake-up: EAGAIN is fine. */
  if (write(p->ack[i], "", 1) < 0 && errno != EAGAIN && errno != EPIPE)
    return kg_error(p->d, NULL, KG_ERR_IO, "cannot wake worker %zu: %s", i + 1,
                    strerror(errno));
  return st;
}

/* Worker i's 'E' frame, in p->buf: its counters are added up. */
static kg_status end_of(pool *p, size_t i, const frame *f) {
  const size_t nc = end_counters(p->eo, p->nmaps);
  if (f->len != nc * sizeof(uint64_t))
    return worker_lost(p, i);
  uint64_t c[6];
  memcpy(c, p->buf.data, sizeof c);
  p->stats.documents += (size_t)c[0];
  p->stats.records += (size_t)c[1];
  p->stats.statements += (size_t)c[2];
  p->stats.no_subject += (size_t)c[3];
  p->stats.skipped += (size_t)c[4];
  p->stats.parents_skipped += (size_t)c[5];
  size_t *v[3];
  const size_t k = map_counters(p->eo, v);
  for (size_t a = 0; a < k; a++)
    for (size_t m = 0; m < p->nmaps; m++) {
      uint64_t x;
      memcpy(&x, p->buf.data + (6 + a * p->nmaps + m) * sizeof x, sizeof x);
      v[a][m] += (size_t)x;
    }
  p->ended[i] = true;
  if (f->a != KG_OK && p->errors == 0)
    return kg_error(p->d, NULL, (kg_status)f->a, "worker %zu of %zu failed: %s",
                    i + 1, p->n, kg_strerror((kg_status)f->a));
  return (kg_status)f->a;
}

/* Worker i's next frame that is not a message, the messages before it
 * relayed. */
static kg_status next_frame(pool *p, size_t i, frame *f) {
  for (;;) {
    if (!read_frame(p, i, f))
      return worker_lost(p, i);
    if (f->type != 'M')
      return KG_OK;
    if (relay_message(p, f) != KG_OK)
      return worker_lost(p, i);
  }
}

/* Worker i's frames up to its next claim (p->known[i]) or its end. */
static kg_status next_claim(pool *p, size_t i) {
  frame f;
  const kg_status st = next_frame(p, i, &f);
  if (st != KG_OK)
    return st;
  if (f.type == 'E')
    return end_of(p, i, &f);
  if (f.type != 'K')
    return worker_lost(p, i);
  p->held[i] = f.len;
  p->known[i] = true;
  return KG_OK;
}

/* The worker that holds chunk c in *owner, or p->n when no worker claimed
 * it: every worker then has ended, or told a claim that is not c. */
static kg_status find_owner(pool *p, uint64_t c, size_t *owner) {
  for (;;) {
    size_t unknown = p->n;
    for (size_t i = 0; i < p->n; i++) {
      if (p->ended[i])
        continue;
      if (p->known[i] && p->held[i] == c) {
        *owner = i;
        return KG_OK;
      }
      if (!p->known[i] && unknown == p->n)
        unknown = i;
    }
    *owner = p->n;
    if (unknown == p->n)
      return KG_OK;
    const kg_status st = next_claim(p, unknown);
    if (st != KG_OK)
      return st;
  }
}

/* Worker i's frames up to the end of chunk c (written into w: *more) or
 * its end (*more false: the documents ended before c). */
static kg_status next_chunk(pool *p, size_t i, uint64_t c, kg_writer *w,
                            bool *more) {
  frame f;
  bool started = false;
  *more = false;
  for (;;) {
    kg_status st = next_frame(p, i, &f);
    if (st != KG_OK)
      return st;
    if (f.type == 'P') {
      st = take(p, i, f.len, w, &started);
      if (st != KG_OK)
        return st;
    } else if (f.type == 'C' && f.a == (uint32_t)c) {
      *more = true;
      p->known[i] = false;
      return take(p, i, f.len, w, &started);
    } else if (f.type == 'E') {
      return end_of(p, i, &f);
    } else {
      return worker_lost(p, i);
    }
  }
}

/* Splice every chunk in order, then collect the workers' ends (after
 * their claims past the documents). */
static kg_status collect(pool *p, kg_writer *w) {
  kg_status st = KG_OK;
  bool more = true;
  for (uint64_t c = 0; more; c++) {
    size_t i;
    TRY(find_owner(p, c, &i));
    if (i == p->n)
      break;
    TRY(next_chunk(p, i, c, w, &more));
  }
  for (size_t i = 0; i < p->n; i++) {
    while (!p->ended[i]) {
      p->known[i] = false;
      TRY(next_claim(p, i));
    }
  }
fail:
  return st;
}

static kg_status spawn(pool *p, kg_eval_t *e, const kg_eval_options *eo,
                       const kg_writer *w, kg_sink_fn sink) {
  fflush(NULL);
  void *c = mmap(NULL, RING_HEAD, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (c == MAP_FAILED)
    return kg_error(p->d, NULL, KG_ERR_IO,
                    "cannot map the workers' shared page: %s", strerror(errno));
  p->c = c; /* zero-filled: the first claim is chunk 0 */
  for (size_t i = 0; i < p->n; i++) {
    int fds[2], acks[2];
    void *r = mmap(NULL, RING_HEAD + RING_BYTES, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED)
      return kg_error(p->d, NULL, KG_ERR_IO,
                      "cannot map a worker's output buffer: %s",
                      strerror(errno));
    p->r[i] = r; /* zero-filled: tail 0 */
    if (pipe(fds) != 0)
      return kg_error(p->d, NULL, KG_ERR_IO, "cannot create a pipe: %s",
                      strerror(errno));
    if (pipe(acks) != 0) {
      close(fds[0]);
      close(fds[1]);
      return kg_error(p->d, NULL, KG_ERR_IO, "cannot create a pipe: %s",
                      strerror(errno));
    }
    fcntl(acks[1], F_SETFL, O_NONBLOCK);
    const pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      close(acks[0]);
      close(acks[1]);
      return kg_error(p->d, NULL, KG_ERR_IO, "cannot start a worker: %s",
                      strerror(errno));
    }
    if (pid == 0) {
      close(fds[0]);
      close(acks[1]); /* so that the parent's end alone keeps it open */
      for (size_t k = 0; k < i; k++) {
        close(p->fd[k]);
        close(p->ack[k]);
      }
      run_worker(e, eo, p->nmaps, i, p->n, fds[1], acks[0], p->r[i], p->c, w,
                 sink);
    }
    close(fds[1]);
    close(acks[0]);
    p->pid[i] = pid;
    p->fd[i] = fds[0];
    p->ack[i] = acks[1];
  }
  return KG_OK;
}

static void stop_all(pool *p, bool kill_them) {
  for (size_t i = 0; i < p->n; i++) {
    if (p->pid[i] <= 0)
      continue;
    if (kill_them)
      kill(p->pid[i], SIGKILL);
    close(p->fd[i]);
    close(p->ack[i]);
    waitpid(p->pid[i], NULL, 0);
  }
  for (size_t i = 0; i < p->n; i++)
    if (p->r[i])
      munmap(p->r[i], RING_HEAD + RING_BYTES);
  if (p->c)
    munmap(p->c, RING_HEAD);
}

static kg_status run_pool(kg_eval_t *e, const kg_eval_options *eo, size_t nmaps,
                          size_t jobs, kg_writer *w, kg_sink_fn sink,
                          kg_eval_stats *stats, kg_diag *d) {
  pool p = {.n = jobs, .d = d, .eo = eo, .nmaps = nmaps};
  p.pid = kg_xcalloc(jobs, sizeof *p.pid);
  p.fd = kg_xcalloc(jobs, sizeof *p.fd);
  p.ack = kg_xcalloc(jobs, sizeof *p.ack);
  p.r = kg_xcalloc(jobs, sizeof *p.r);
  p.read = kg_xcalloc(jobs, sizeof *p.read);
  p.held = kg_xcalloc(jobs, sizeof *p.held);
  p.known = kg_xcalloc(jobs, sizeof *p.known);
  p.ended = kg_xcalloc(jobs, sizeof *p.ended);
  kg_status st = spawn(&p, e, eo, w, sink);
  if (st == KG_OK)
    st = collect(&p, w);
  stop_all(&p, st != KG_OK);
  *stats = p.stats;
  kg_buf_free(&p.buf);
  free(p.pid);
  free(p.fd);
  free(p.ack);
  free(p.r);
  free(p.read);
  free(p.held);
  free(p.known);
  free(p.ended);
  return st;
}

/* --- the entry point and the option values ----------------------------- */

kg_status kg_parallel_eval(const kg_mapping *m, const kg_eval_options *eo,
                           const kg_parallel_options *po, kg_writer *w,
                           kg_sink_fn sink, kg_eval_stats *stats, kg_diag *d) {
  kg_eval_options o = *eo;
  o.select.shard_k = po->shard_k;
  o.select.shard_n = po->shard_n;
  kg_eval_stats s = {0};
  kg_eval_t *e = NULL;
  kg_status st = kg_eval_new(&e, m, &o, d);
  if (st == KG_OK && po->jobs > 1) {
    st = run_pool(e, &o, m->nmaps, po->jobs, w, sink, &s, d);
  } else if (st == KG_OK) {
    o.doc_done = break_writer;
    o.cb_h = w;
    st = kg_eval_run(e, &o, sink, w, &s, d);
  }
  kg_eval_free(e);
  if (stats)
    *stats = s;
  return st;
}

static bool parse_size(const char *s, const char **end, size_t *v) {
  if (*s < '0' || *s > '9')
    return false;
  size_t n = 0;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (n > (SIZE_MAX - 9) / 10)
      return false;
    n = n * 10 + (size_t)(*s - '0');
  }
  *end = s;
  *v = n;
  return true;
}

bool kg_parallel_parse_shard(const char *s, size_t *k, size_t *n) {
  const char *p;
  return parse_size(s, &p, k) && *p == '/' && parse_size(p + 1, &p, n) &&
         *p == '\0' && *n > 0 && *k < *n;
}

bool kg_parallel_parse_jobs(const char *s, size_t *jobs) {
  const char *p;
  return parse_size(s, &p, jobs) && *p == '\0' && *jobs >= 1 &&
         *jobs <= KG_PARALLEL_MAX_JOBS;
}
