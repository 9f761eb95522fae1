import Foundation

/// Output written piece by piece as results arrive (`jsonl`), so nothing waits for the whole estate.
/// A regular file is written beside its target and renamed into place at the end, so a killed run
/// never leaves half a file where a complete one was; pipes and devices are written directly.
final class OutputStream {
  let handle: FileHandle
  let finalPath: String?
  let temporaryPath: String?
  var buffer: [UInt8] = []

  init(to output: String?) throws {
    guard let output else {
      (handle, finalPath, temporaryPath) = (FileHandle.standardOutput, nil, nil)
      return
    }
    var info = stat()
    let exists = stat(output, &info) == 0
    do {
      if exists && (info.st_mode & S_IFMT) != S_IFREG {
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        (finalPath, temporaryPath) = (nil, nil)
      } else {
        let target = exists ? URL(fileURLWithPath: output).resolvingSymlinksInPath().path : output
        let temporary = target + ".plumb-\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
          throw CocoaError(.fileWriteNoPermission)
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        (finalPath, temporaryPath) = (target, temporary)
      }
    } catch {
      throw PlumbFailure.usage("cannot write \(output): \(error.localizedDescription)")
    }
  }

  func write(_ text: String) throws {
    var text = text
    // One copy, from the string's own UTF-8 into the buffer (a reused result is tens of kilobytes).
    text.withUTF8 { buffer.append(contentsOf: $0) }
    if buffer.count >= 1 << 16 { try flush() }
  }

  func flush() throws {
    guard !buffer.isEmpty else { return }
    try handle.write(contentsOf: buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  func close() throws {
    try flush()
    guard let finalPath, let temporaryPath else { return }
    try handle.close()
    if rename(temporaryPath, finalPath) != 0 {
      throw PlumbFailure.usage("cannot write \(finalPath): \(String(cString: strerror(errno)))")
    }
  }

  /// Removes the half-written file when the run fails before the end.
  func abandon() {
    guard let temporaryPath else { return }
    try? handle.close()
    unlink(temporaryPath)
  }
}
