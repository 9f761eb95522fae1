import CLibgit2

/// A libgit2 failure, carrying libgit2's own message so users see what git saw.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Code: Sendable, Equatable {
    case notFound, unbornBranch, ambiguous, invalidSpec, tooLarge, notARepository, other(Int32)
  }
  public let code: Code
  public let message: String

  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  /// Reads libgit2's thread-local last error for a failed call.
  static func last(_ status: Int32, _ context: String) -> GitError {
    let text: String
    if let err = git_error_last(), let msg = err.pointee.message {
      text = String(cString: msg)
    } else {
      // libgit2 sets no message for some failures (a `:/text` search that finds nothing): name the code.
      let names: [Int32: String] = [
        GIT_ENOTFOUND.rawValue: "not found", GIT_EAMBIGUOUS.rawValue: "ambiguous",
        GIT_EINVALIDSPEC.rawValue: "not a valid revision", GIT_EUNBORNBRANCH.rawValue: "the branch has no commits",
      ]
      text = names[status] ?? "libgit2 error \(status)"
    }
    let code: Code
    switch status {
    case GIT_ENOTFOUND.rawValue: code = .notFound
    case GIT_EUNBORNBRANCH.rawValue: code = .unbornBranch
    case GIT_EAMBIGUOUS.rawValue: code = .ambiguous
    case GIT_EINVALIDSPEC.rawValue: code = .invalidSpec
    default: code = .other(status)
    }
    return GitError(code: code, message: context.isEmpty ? text : "\(context): \(text)")
  }

  public var description: String { message }
}

/// Turns a libgit2 status code into a thrown GitError.
@inline(__always)
func check(_ status: Int32, _ context: @autoclosure () -> String = "") throws(GitError) {
  if status < 0 { throw GitError.last(status, context()) }
}
