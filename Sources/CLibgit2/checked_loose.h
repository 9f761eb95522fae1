#ifndef PLUMB_CLIBGIT2_CHECKED_LOOSE_H
#define PLUMB_CLIBGIT2_CHECKED_LOOSE_H
/*
 * Loose objects read with every length checked.
 *
 * libgit2 1.5 trusts a loose object's header: read_loose_standard (odb_loose.c) copies up to 57 inflated bytes
 * into a buffer sized from the header, so a header that understates the size corrupts the heap, and a body cut
 * short makes its inflate loop spin for ever on zlib's Z_BUF_ERROR; a FIFO in place of an object blocks it.
 * plumb reads untrusted mirrors, so loose objects and their headers are read here instead, with zlib directly.
 * libgit2's loose backends still answer whether an object exists (they stat and list, never open) and step
 * aside for reads.
 */
#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <zlib.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libgit2 ignores alternates nested deeper than this (GIT_ALTERNATES_MAX_DEPTH). */
#define PLUMB_ALTERNATES_MAX_DEPTH 5
/* An alternates file is a few paths; a bigger one is not read. */
#define PLUMB_ALTERNATES_MAX_BYTES (1024 * 1024)
/* deflate never shrinks data more than about 1032:1, so a header claiming more is a lie, refused unallocated. */
#define PLUMB_DEFLATE_MAX_RATIO 1100

typedef struct {
  git_odb_backend parent;
  /* libgit2's own loose backend for the same folder, asked only to expand short ids (it inflates nothing). */
  git_odb_backend *index;
  char folder[];
} plumb_checked_loose;

static inline int plumb_loose_error(const char *message) {
  git_error_set_str(GIT_ERROR_ODB, message);
  return -1;
}

/* Reads a regular file, whole or its first `prefix` bytes; a FIFO or device is refused rather than waited on. */
static inline int plumb_read_regular_file(
  const char *path, size_t limit, size_t prefix, unsigned char **out, size_t *length) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return GIT_ENOTFOUND;
    /* Fixed words rather than strerror, whose buffer the estate's threads would share. */
    return plumb_loose_error(errno == EACCES ? "permission denied" : "cannot be opened");
  }
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return plumb_loose_error("loose object is not a regular file");
  }
  size_t size = (size_t)st.st_size < prefix ? (size_t)st.st_size : prefix;
  if (size > limit) {
    close(fd);
    return plumb_loose_error("file too large to read");
  }
  unsigned char *bytes = malloc(size > 0 ? size : 1);
  if (bytes == NULL) {
    close(fd);
    return plumb_loose_error("out of memory");
  }
  size_t filled = 0;
  while (filled < size) {
    ssize_t got = read(fd, bytes + filled, size - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    filled += (size_t)got;
  }
  close(fd);
  *out = bytes;
  *length = filled;
  return 0;
}

typedef struct {
  git_object_t type;
  size_t declared;
  unsigned char bytes[64]; /* "<type> <size>\0" is at most 64 bytes, with the largest size */
  size_t produced, length;  /* inflated into `bytes`, and how much of that is the header */
} plumb_loose_header;

/* Starts inflating a loose object and parses its header; the zlib stream is left open on success. */
static inline int plumb_inflate_loose_header(
  z_stream *z, const unsigned char *compressed, size_t compressed_length, plumb_loose_header *header) {
  if (compressed_length == 0) return plumb_loose_error("corrupt loose object: the file is empty");
  if (compressed_length < 2 || (compressed[0] & 0x8F) != 0x08 || ((compressed[0] << 8) | compressed[1]) % 31 != 0)
    return plumb_loose_error("corrupt loose object: not zlib data (git no longer reads the old loose format)");
  memset(z, 0, sizeof *z);
  if (inflateInit(z) != Z_OK) return plumb_loose_error("cannot start zlib");
  z->next_in = (Bytef *)compressed;
  z->avail_in = compressed_length > UINT_MAX ? UINT_MAX : (uInt)compressed_length;
  z->next_out = header->bytes;
  z->avail_out = sizeof header->bytes;
  int status = inflate(z, Z_NO_FLUSH);
  header->produced = sizeof header->bytes - z->avail_out;
  unsigned char *end = memchr(header->bytes, '\0', header->produced);
  unsigned char *space = end ? memchr(header->bytes, ' ', (size_t)(end - header->bytes)) : NULL;
  header->type = GIT_OBJECT_INVALID;
  if (space != NULL && (size_t)(space - header->bytes) < 8) {
    char name[8] = {0};
    memcpy(name, header->bytes, (size_t)(space - header->bytes));
    header->type = git_object_string2type(name);
  }
  header->declared = 0;
  int digits = 0;
  for (unsigned char *digit = space ? space + 1 : end; digit != NULL && digit < end; digit++, digits++) {
    if (*digit < '0' || *digit > '9' || header->declared > (SIZE_MAX - 9) / 10) {
      digits = 0;
      break;
    }
    header->declared = header->declared * 10 + (size_t)(*digit - '0');
  }
  if ((status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) || !git_object_typeisloose(header->type)
    || digits == 0) {
    inflateEnd(z);
    return plumb_loose_error("corrupt loose object: invalid header");
  }
  header->length = (size_t)(end - header->bytes) + 1;
  /* A Z_STREAM_END here is kept for the body's checks: the stream may already be whole. */
  return status == Z_STREAM_END ? 1 : 0;
}

/* Inflates a loose object whose body must be exactly as long as its header says. */
static inline int plumb_inflate_loose(
  const unsigned char *compressed, size_t compressed_length, git_odb_backend *backend, void **out,
  size_t *length_out, git_object_t *type_out) {
  z_stream z;
  plumb_loose_header header;
  int started = plumb_inflate_loose_header(&z, compressed, compressed_length, &header);
  if (started < 0) return started;
  size_t declared = header.declared, body_start = header.produced - header.length;
  if (declared / PLUMB_DEFLATE_MAX_RATIO > compressed_length || body_start > declared) {
    inflateEnd(&z);
    return plumb_loose_error("corrupt loose object: it holds more bytes than its header says");
  }
  char *data = git_odb_backend_data_alloc(backend, declared + 1);
  if (data == NULL) {
    inflateEnd(&z);
    return plumb_loose_error("out of memory");
  }
  memcpy(data, header.bytes + header.length, body_start);
  int status = started == 1 ? Z_STREAM_END : Z_OK;
  size_t remaining = declared - body_start;
  z.next_out = (Bytef *)data + body_start;
  while (status == Z_OK && remaining > 0) {
    z.avail_out = remaining > UINT_MAX ? UINT_MAX : (uInt)remaining;
    uInt offered = z.avail_out;
    status = inflate(&z, Z_NO_FLUSH);
    remaining -= offered - z.avail_out;
  }
  /* The body is complete: the stream must end here, with nothing more to give. */
  int too_long = 0;
  if (status == Z_OK && remaining == 0) {
    unsigned char extra = 0;
    z.next_out = &extra;
    z.avail_out = 1;
    status = inflate(&z, Z_NO_FLUSH);
    too_long = z.avail_out == 0;
  }
  inflateEnd(&z);
  const char *problem = NULL;
  if (too_long)
    problem = "corrupt loose object: it holds more bytes than its header says";
  else if (status == Z_STREAM_END && remaining > 0)
    problem = "corrupt loose object: it holds fewer bytes than its header says";
  else if (status == Z_BUF_ERROR || (status == Z_OK && remaining > 0))
    problem = "corrupt loose object: it is cut short";
  else if (status != Z_STREAM_END)
    problem = "corrupt loose object: its zlib data is damaged";
  if (problem != NULL) {
    git_odb_backend_data_free(backend, data);
    return plumb_loose_error(problem);
  }
  data[declared] = '\0';
  *out = data;
  *length_out = declared;
  *type_out = header.type;
  return 0;
}

/* The loose file of `oid` in `folder`; NULL when out of memory. */
static inline char *plumb_loose_path(const char *folder, const git_oid *oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, oid);
  size_t folder_length = strlen(folder);
  char *path = malloc(folder_length + GIT_OID_HEXSZ + 3);
  if (path == NULL) return NULL;
  memcpy(path, folder, folder_length);
  path[folder_length] = '/';
  memcpy(path + folder_length + 1, hex, 2);
  path[folder_length + 3] = '/';
  memcpy(path + folder_length + 4, hex + 2, GIT_OID_HEXSZ - 2 + 1);
  return path;
}

static inline int plumb_checked_loose_read(
  void **out, size_t *length_out, git_object_t *type_out, git_odb_backend *backend, const git_oid *oid) {
  char *path = plumb_loose_path(((plumb_checked_loose *)backend)->folder, oid);
  if (path == NULL) return plumb_loose_error("out of memory");
  unsigned char *compressed = NULL;
  size_t compressed_length = 0;
  int error = plumb_read_regular_file(path, SIZE_MAX, SIZE_MAX, &compressed, &compressed_length);
  free(path);
  if (error < 0) return error;
  error = plumb_inflate_loose(compressed, compressed_length, backend, out, length_out, type_out);
  free(compressed);
  return error;
}

/* A header is in the first kilobyte, as libgit2 reads it; the rest of the file is not opened to it. */
static inline int plumb_checked_loose_read_header(
  size_t *length_out, git_object_t *type_out, git_odb_backend *backend, const git_oid *oid) {
  char *path = plumb_loose_path(((plumb_checked_loose *)backend)->folder, oid);
  if (path == NULL) return plumb_loose_error("out of memory");
  unsigned char *compressed = NULL;
  size_t compressed_length = 0;
  int error = plumb_read_regular_file(path, SIZE_MAX, 1024, &compressed, &compressed_length);
  free(path);
  if (error < 0) return error;
  z_stream z;
  plumb_loose_header header;
  error = plumb_inflate_loose_header(&z, compressed, compressed_length, &header);
  free(compressed);
  if (error < 0) return error;
  inflateEnd(&z);
  *length_out = header.declared;
  *type_out = header.type;
  return 0;
}

static inline int plumb_checked_loose_read_prefix(
  git_oid *full_out, void **out, size_t *length_out, git_object_t *type_out, git_odb_backend *backend,
  const git_oid *short_oid, size_t length) {
  plumb_checked_loose *self = (plumb_checked_loose *)backend;
  git_oid full;
  int error = self->index->exists_prefix(&full, self->index, short_oid, length);
  if (error < 0) return error;
  if ((error = plumb_checked_loose_read(out, length_out, type_out, backend, &full)) < 0) return error;
  git_oid_cpy(full_out, &full);
  return 0;
}

static inline void plumb_checked_loose_free(git_odb_backend *backend) {
  plumb_checked_loose *self = (plumb_checked_loose *)backend;
  self->index->free(self->index);
  free(self);
}

static inline int plumb_loose_passthrough_read(void **out, size_t *length, git_object_t *type, git_odb_backend *b,
  const git_oid *oid) {
  (void)out; (void)length; (void)type; (void)b; (void)oid;
  return GIT_PASSTHROUGH;
}

static inline int plumb_loose_passthrough_read_prefix(git_oid *full, void **out, size_t *length, git_object_t *type,
  git_odb_backend *b, const git_oid *short_oid, size_t short_length) {
  (void)full; (void)out; (void)length; (void)type; (void)b; (void)short_oid; (void)short_length;
  return GIT_PASSTHROUGH;
}

static inline int plumb_loose_passthrough_read_header(
  size_t *length, git_object_t *type, git_odb_backend *b, const git_oid *oid) {
  (void)length; (void)type; (void)b; (void)oid;
  return GIT_PASSTHROUGH;
}

/* The objects folder and its alternates, in libgit2's order and by its rules: relative paths only in the
   repository's own file, at most 5 levels, a folder seen before (same inode) or missing skipped. */
typedef struct {
  char **folders;
  dev_t *devices;
  ino_t *inodes;
  size_t count, capacity;
} plumb_object_folders;

static inline void plumb_collect_object_folders(plumb_object_folders *found, const char *folder, int depth) {
  struct stat st;
  if (depth > PLUMB_ALTERNATES_MAX_DEPTH || stat(folder, &st) < 0 || !S_ISDIR(st.st_mode)) return;
  for (size_t seen = 0; seen < found->count; seen++)
    if (found->devices[seen] == st.st_dev && found->inodes[seen] == st.st_ino) return;
  if (found->count == found->capacity) {
    size_t capacity = found->capacity ? found->capacity * 2 : 4;
    char **folders = realloc(found->folders, capacity * sizeof *folders);
    if (folders) found->folders = folders;
    dev_t *devices = realloc(found->devices, capacity * sizeof *devices);
    if (devices) found->devices = devices;
    ino_t *inodes = realloc(found->inodes, capacity * sizeof *inodes);
    if (inodes) found->inodes = inodes;
    if (!folders || !devices || !inodes) return;
    found->capacity = capacity;
  }
  char *copy = strdup(folder);
  if (copy == NULL) return;
  found->folders[found->count] = copy;
  found->devices[found->count] = st.st_dev;
  found->inodes[found->count] = st.st_ino;
  found->count++;

  size_t folder_length = strlen(folder);
  char *file = malloc(folder_length + sizeof "/info/alternates");
  if (file == NULL) return;
  memcpy(file, folder, folder_length);
  memcpy(file + folder_length, "/info/alternates", sizeof "/info/alternates");
  unsigned char *bytes = NULL;
  size_t length = 0;
  int error = plumb_read_regular_file(file, PLUMB_ALTERNATES_MAX_BYTES, SIZE_MAX, &bytes, &length);
  free(file);
  if (error < 0) return;
  char *text = realloc(bytes, length + 1);
  if (text == NULL) {
    free(bytes);
    return;
  }
  text[length] = '\0';
  char *cursor = text;
  while (*cursor) {
    char *line = cursor;
    size_t line_length = strcspn(cursor, "\r\n");
    cursor += line_length;
    while (*cursor == '\r' || *cursor == '\n') *cursor++ = '\0';
    if (line_length == 0 || line[0] == '#') continue;
    if (line[0] == '.' && depth == 0) {
      char *joined = malloc(folder_length + line_length + 2);
      if (joined == NULL) continue;
      memcpy(joined, folder, folder_length);
      joined[folder_length] = '/';
      memcpy(joined + folder_length + 1, line, line_length + 1);
      plumb_collect_object_folders(found, joined, depth + 1);
      free(joined);
    } else {
      plumb_collect_object_folders(found, line, depth + 1);
    }
  }
  free(text);
}

static inline int plumb_add_checked_loose(git_odb *odb, const char *folder, int is_alternate) {
  size_t folder_length = strlen(folder);
  plumb_checked_loose *self = calloc(1, sizeof *self + folder_length + 1);
  if (self == NULL) return plumb_loose_error("out of memory");
  memcpy(self->folder, folder, folder_length + 1);
  int error = git_odb_backend_loose(&self->index, folder, -1, 0, 0, 0);
  if (error < 0) {
    free(self);
    return error;
  }
  git_odb_init_backend(&self->parent, GIT_ODB_BACKEND_VERSION);
  self->parent.read = plumb_checked_loose_read;
  self->parent.read_prefix = plumb_checked_loose_read_prefix;
  self->parent.read_header = plumb_checked_loose_read_header;
  self->parent.free = plumb_checked_loose_free;
  /* Priority 1, as libgit2 gives its loose backends: after the packs, where most objects are. */
  error = is_alternate ? git_odb_add_alternate(odb, &self->parent, 1) : git_odb_add_backend(odb, &self->parent, 1);
  if (error < 0) plumb_checked_loose_free(&self->parent);
  return error;
}

/* Makes libgit2's loose backends step aside for reads and adds a checked one for every objects folder. */
static inline int plumb_git_check_loose_reads(git_repository *repository) {
  git_odb *odb = NULL;
  int error = git_repository_odb(&odb, repository);
  if (error < 0) return error;
  size_t count = git_odb_num_backends(odb);
  for (size_t position = 0; position < count; position++) {
    git_odb_backend *backend = NULL;
    /* libgit2's loose backend reads by stream and takes no packs; its pack backend is the other way round. */
    if (git_odb_get_backend(&backend, odb, position) < 0 || backend == NULL || backend->readstream == NULL
      || backend->writepack != NULL)
      continue;
    backend->read = plumb_loose_passthrough_read;
    backend->read_prefix = plumb_loose_passthrough_read_prefix;
    backend->read_header = plumb_loose_passthrough_read_header;
  }
  const char *common = git_repository_commondir(repository);
  size_t common_length = strlen(common);
  while (common_length > 1 && common[common_length - 1] == '/') common_length--;
  char *objects = malloc(common_length + sizeof "/objects");
  plumb_object_folders found = {0};
  if (objects != NULL) {
    memcpy(objects, common, common_length);
    memcpy(objects + common_length, "/objects", sizeof "/objects");
    plumb_collect_object_folders(&found, objects, 0);
    free(objects);
  }
  for (size_t index = 0; index < found.count; index++) {
    if (error == 0) error = plumb_add_checked_loose(odb, found.folders[index], index > 0);
    free(found.folders[index]);
  }
  free(found.folders);
  free(found.devices);
  free(found.inodes);
  git_odb_free(odb);
  return error;
}
#endif
