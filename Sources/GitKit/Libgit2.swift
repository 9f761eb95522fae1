import CLibgit2

/// One-time libgit2 set-up; a `static let` gives thread-safe lazy initialisation without mutable globals.
enum Libgit2 {
  static let ready: Bool = {
    git_libgit2_init()
    // plumb only reads, so repositories owned by another user (mirrors) must still open.
    _ = plumb_git_set_owner_validation(0)
    // Packs are mapped in 4 MB windows, at most 8 MB at a time: a walk over a long history touches
    // most of the pack, and whole-pack windows would keep all of it resident.
    _ = plumb_git_set_mwindow_size(4 * 1024 * 1024)
    _ = plumb_git_set_mwindow_mapped_limit(8 * 1024 * 1024)
    _ = plumb_git_set_cache_max_size(16 * 1024 * 1024)
    // Trees are not cached: a listing reads each once, and their parsed entries cost several times the 16 MB
    // the cache counts in raw bytes (a 200,000-file tree peaked at 187 MB with them, 108 MB without).
    _ = plumb_git_set_cache_object_limit(GIT_OBJECT_TREE, 0)
    // Trust the object database on read instead of hashing every object again (fsck's job): hashing cost 50-70%
    // more time (200-repository scan 0.7 -> 1.1-1.4 s). An object stored under another's id is then read as it
    // is; the walks guard against the circles that makes.
    _ = plumb_git_enable_strict_hash_verification(0)
    // Global and system git config must not change what plumb sees.
    _ = plumb_git_set_search_path_empty(Int32(GIT_CONFIG_LEVEL_SYSTEM.rawValue))
    _ = plumb_git_set_search_path_empty(Int32(GIT_CONFIG_LEVEL_XDG.rawValue))
    _ = plumb_git_set_search_path_empty(Int32(GIT_CONFIG_LEVEL_GLOBAL.rawValue))
    return true
  }()

  @inline(__always) static func ensure() { precondition(ready) }
}
