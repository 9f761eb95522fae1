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
        // A new file, never one found at that name: a link planted there is not followed.
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
          // errno says what is wrong (no such folder, no permission, a read-only file system).
          throw PlumbFailure.usage("cannot write \(output): \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        (finalPath, temporaryPath) = (target, temporary)
      }
    } catch let failure as PlumbFailure {
      throw failure
    } catch {
      throw PlumbFailure.usage("cannot write \(output): \(error.localizedDescription)")
    }
  }

  func write(_ text: String) throws {
    var text = text
    // One copy at most, from the string's own UTF-8 (a whole report is written straight from it).
    try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
  }

  func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard bytes.count < Self.bufferSize else {
      try flush()
      try handle.write(contentsOf: bytes)
      return
    }
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.bufferSize { try flush() }
  }

  static let bufferSize = 1 << 16

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
