import CLibgit2

/// One-time libgit2 set-up; a `static let` gives thread-safe lazy initialisation without mutable globals.
enum Libgit2 {
  static let ready: Bool = {
    git_libgit2_init()
    // plumb only reads, so repositories owned by another user (mirrors) must still open.
    _ = plumb_git_set_owner_validation(0)
    // Bounded mapped windows keep memory flat across estate runs without slowing walks.
    _ = plumb_git_set_mwindow_mapped_limit(32 * 1024 * 1024)
    _ = plumb_git_set_cache_max_size(16 * 1024 * 1024)
    // Global and system git config must not change what plumb sees.
    _ = plumb_git_set_search_path_empty(Int32(GIT_CONFIG_LEVEL_SYSTEM.rawValue))
    _ = plumb_git_set_search_path_empty(Int32(GIT_CONFIG_LEVEL_XDG.rawValue))
    _ = plumb_git_set_search_path_empty(Int32(GIT_CONFIG_LEVEL_GLOBAL.rawValue))
    return true
  }()

  @inline(__always) static func ensure() { precondition(ready) }
}
